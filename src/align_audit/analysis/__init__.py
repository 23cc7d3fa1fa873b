"""Everything derived from the declarations, computed once and shared by the rules and the
workshop outputs: propagation and the facts of SPEC §2.2 (:mod:`.core`), GRL scores
(:mod:`.scores`), and the judgments the rules and the report both state — stale, obsolete and
precedence-overriding tradeoffs, unguarded harm, unbalanced scorecards (:mod:`.facts`)."""

from __future__ import annotations

from align_audit.analysis.core import (
    Analysis,
    Conflict,
    strongly_connected,
)
from align_audit.analysis.facts import Harm, Override
from align_audit.analysis.reach import Effect, Reach
from align_audit.analysis.scores import round_half_away

__all__ = [
    "Analysis",
    "Conflict",
    "Effect",
    "Harm",
    "Override",
    "Reach",
    "round_half_away",
    "strongly_connected",
]
