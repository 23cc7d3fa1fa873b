"""Sentences shared by several workshop outputs (one home each)."""

from __future__ import annotations

from align_audit.model.declarations import IMPACT_LABELS

SCORE_LEGEND = (
    "Scores are GRL satisfaction levels from -100 (fully denied) to +100 (fully satisfied), "
    "not sums: +100 means served directly, +25 one 'helps' away, -25 one 'hurts' away; "
    "n/a where a cycle leaves the level undefined."
)
"""How to read an impact score (SPEC §2.1), shown once in every format that shows scores."""

IMPACT_WORDS: dict[int, str] = {weight: word for word, weight in IMPACT_LABELS.items()}
"""makes (+100), helps (+25), hurts (-25), breaks (-100): the one weight → word table."""


def impact_word(weight: object) -> str:
    """makes/helps/hurts/breaks for the named weights, else a signed integer ("?" if none)."""
    if isinstance(weight, int) and not isinstance(weight, bool):
        return IMPACT_WORDS.get(weight, f"{weight:+d}")
    return "?"


def score_text(score: int | None) -> str:
    """A GRL score as shown everywhere: ``+25``, ``-100``, ``n/a``."""
    return "n/a" if score is None else f"{score:+d}"


def direction_arrow(direction: str) -> str:
    """↑ for a metric pushed up, ↓ down."""
    return "↑" if direction == "increase" else "↓"
