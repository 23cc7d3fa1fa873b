"""Sentences shared by several workshop outputs (one home each)."""

from __future__ import annotations

SCORE_LEGEND = (
    "Scores are GRL satisfaction levels from -100 (fully denied) to +100 (fully satisfied), "
    "not sums: +100 means served directly, +25 one 'helps' away, -25 one 'hurts' away; "
    "n/a where a cycle leaves the level undefined."
)
"""How to read an impact score (SPEC §2.1), shown once in every format that shows scores."""
