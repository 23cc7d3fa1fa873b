"""`graph`: the alignment graph (SPEC §2) as a diagram (mermaid, dot) or as data (graphml, json).

Every format is deterministic: nodes in declaration order, edges sorted by (source order, target
order, relation). Diagrams are layered left to right — systems and objectives, metrics, outcomes,
customers — and draw helping and hurting effects differently (colour *and* line style, so the
difference survives a black-and-white printout).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from align_audit.formats import choices, load
from align_audit.workshop.graph.view import (
    COLLAPSE_ABOVE,
    Problems,
    collapsed,
    focus_graph,
    problems_of,
)

if TYPE_CHECKING:
    from align_audit.engine import AuditResult
    from align_audit.graph import Elements

FORMATS: tuple[str, ...] = choices("graph")
"""Output formats of the `graph` command."""


def export_graph(
    result: AuditResult, fmt: str, focus: str | None = None, depth: int = 2
) -> str | Iterable[str]:
    """The audit's alignment graph (or the ``depth``-neighbourhood of ``focus``) in ``fmt``:
    a text, or its pieces as they are written (the data formats)."""
    render: Callable[[Elements, Problems], str | Iterable[str]] = load("graph", fmt)
    graph = result.analysis.elements
    problems = problems_of(result.analysis)
    if focus is not None:
        graph = focus_graph(graph, focus, depth)
    elif fmt == "svg" and len(graph) > COLLAPSE_ABOVE:
        # our own drawing of a large organization: systems and customers; --focus opens one
        graph, problems = collapsed(result.analysis, problems)
    return render(graph, problems)
