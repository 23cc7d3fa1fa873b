"""``align-audit report``: the workshop tables of SPEC §4.

Six sections, each computed from the analysis engine (SPEC §2.1, §2.2) and the rules that
state the derived facts; this module only selects, orders and renders:

1. Stakeholder map: who the customers are, how they rank, what measures them.
2. Coverage matrix: which metric serves which customer, directly (●) or through effects (○).
3. Conflict and tradeoff register: every conflict and how (whether) it is decided.
4. Impact per system: what perfect optimization of each objective does to each customer.
5. Scorecard balance: leading against lagging metrics per customer.
6. Alignment summary: the shares a leadership team tracks, and the findings.

Formats: ``text`` (plain tables), ``markdown`` (pipe tables) and ``html`` (one self-contained
page: inline CSS and SVG, no network request). Same input, byte-identical output.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from align_audit.formats import choices, load
from align_audit.workshop.report.facts import Report, build_report
from align_audit.workshop.report.wording import SECTIONS

if TYPE_CHECKING:
    from align_audit.engine import AuditResult

Renderer = Callable[[Report, "AuditResult", "int | None"], "str | Iterable[str]"]

FORMATS: tuple[str, ...] = choices("report")
"""The ``--format`` choices of ``align-audit report``."""


def render_report(result: AuditResult, fmt: str, width: int | None = None) -> str | Iterable[str]:
    """The workshop report in ``fmt`` (one of :data:`FORMATS`), whole or in pieces as they are
    made (HTML: a long page streams to its destination); text fits ``width`` columns when
    given (a terminal)."""
    render: Renderer = load("report", fmt)
    return render(build_report(result), result, width)


__all__ = ["FORMATS", "SECTIONS", "Report", "build_report", "render_report"]
