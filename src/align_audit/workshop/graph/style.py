"""How diagrams look: one palette, colours per kind, and edge styles (helps and hurts differ in
colour *and* line style, so the difference survives a black-and-white printout)."""

from __future__ import annotations

from align_audit.workshop.wording import impact_word

GREEN = "#2e7d32"
RED = "#c62828"
GREY = "#757575"
LIGHT = "#9e9e9e"
BLUE = "#1565c0"
DARK = "#263238"
PURPLE = "#7b1fa2"
PROBLEM = "#d50000"
"""The warning colour: false claims (AA104), unserved metrics (AA101), unguarded harm (AA105)."""
PROBLEM_WORDS = "problem: AA101 unserved metric, AA104 false claim, AA105 unguarded harm"

KIND_COLOURS = {
    # kind: (fill, stroke)
    "system": ("#eceff1", "#455a64"),
    "objective": ("#fff3e0", "#e65100"),
    "metric": ("#e3f2fd", "#1565c0"),
    "outcome": ("#e8f5e9", "#2e7d32"),
    "customer": ("#f3e5f5", "#6a1b9a"),
}
"""Fill and stroke colour of each node kind, shared by mermaid, dot and SVG."""

EDGE_WORDS = {
    "serves": "serves",
    "guards": "guards",
    "optimizes": "optimizes",
    "stakeholder": "claims",
    "users": "used by",
}
"""Edge labels of the non-effect relations (``of`` and ``has`` are unlabelled)."""


def edge_style(rel: str, weight: object) -> str:
    """The visual class of an edge: helps, hurts or the relation itself."""
    if rel == "effects":
        return "hurts" if isinstance(weight, int | float) and weight < 0 else "helps"
    return rel


def edge_text(rel: str, weight: object) -> str:
    """The label drawn on an edge ('' for none)."""
    if rel == "effects":
        return impact_word(weight)
    return EDGE_WORDS.get(rel, "")
