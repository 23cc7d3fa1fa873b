"""What a diagram shows and in which order: columns, node and edge order, labels, a focus."""

from __future__ import annotations

import difflib
from typing import TYPE_CHECKING

from align_audit.errors import AuditError
from align_audit.graph import Edge, Elements
from align_audit.visible import visible

if TYPE_CHECKING:
    from collections.abc import Callable

    from align_audit.analysis import Analysis

LAYERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Systems and objectives", ("system", "objective")),
    ("Metrics", ("metric",)),
    ("Outcomes", ("outcome",)),
    ("Customers", ("customer",)),
)
"""Columns, left to right, and the node kinds in each."""

LAYER_OF = {kind: index for index, (_, kinds) in enumerate(LAYERS) for kind in kinds}
"""Node kind → column index (unknown kinds go to the metrics column)."""

REL_ORDER = {
    rel: i
    for i, rel in enumerate(
        ("has", "optimizes", "guards", "stakeholder", "users", "serves", "effects", "of")
    )
}
"""Relations in a fixed order, the last tie-break of edge sorting."""


def node_key(graph: Elements, node: str) -> tuple[int, str]:
    """Sort key of a node: declaration order, then id."""
    order = graph.nodes[node].get("order")
    return (order if isinstance(order, int) else 1 << 62, node)


def sorted_nodes(graph: Elements) -> list[str]:
    """Node ids in declaration order."""
    return sorted(graph.nodes, key=lambda n: node_key(graph, n))


def sorted_edges(graph: Elements) -> list[Edge]:
    """(source, target, key, attrs) sorted by source order, target order, relation, key."""
    edges = graph.edges()
    place = {node: node_key(graph, node) for node in graph.nodes}
    edges.sort(
        key=lambda e: (
            place[e[0]],
            place[e[1]],
            REL_ORDER.get(str(e[3].get("rel", e[2])), len(REL_ORDER)),
            str(e[2]),
        )
    )
    return edges


def layer_of(graph: Elements, node: str) -> int:
    """Column of a node (0 systems/objectives … 3 customers)."""
    return LAYER_OF.get(str(graph.nodes[node].get("kind")), 1)


def node_label(graph: Elements, node: str) -> str:
    """The node's display label (its name, else its id), control characters shown escaped."""
    label = graph.nodes[node].get("label")
    return visible(str(label)) if label else node


def focus_graph(graph: Elements, focus: str, depth: int) -> Elements:
    """The nodes within ``depth`` hops of ``focus``, edges in either direction; all the edges
    among them are kept (what ``nx.ego_graph(graph, focus, depth, undirected=True)`` keeps).
    An unknown id is an :class:`AuditError`."""
    if focus not in graph:
        raise AuditError(_unknown_focus(graph, focus))
    if depth < 0:
        raise AuditError(f"--depth: expected a number ≥ 0, got {depth}")
    edges = graph.edges()
    neighbours: dict[str, list[str]] = {}
    for source, target, _, _ in edges:
        neighbours.setdefault(source, []).append(target)
        neighbours.setdefault(target, []).append(source)
    near = {focus}
    frontier = [focus]
    for _ in range(depth):
        reached = []
        for node in frontier:
            for other in neighbours.get(node, ()):
                if other not in near:
                    near.add(other)
                    reached.append(other)
        frontier = reached
    return Elements(
        ((node, dict(attrs)) for node, attrs in graph.nodes.items() if node in near),
        ((s, t, k, dict(a)) for s, t, k, a in edges if s in near and t in near),
    )


def _unknown_focus(graph: Elements, focus: str) -> str:
    message = f"--focus: {focus!r} is not a node of the alignment graph"
    close = difflib.get_close_matches(focus, sorted(str(n) for n in graph.nodes), n=3)
    if close:
        message += f" (did you mean {', '.join(close)}?)"
    else:
        message += (
            "; use a customer, metric or system id, customer.outcome or system.objective "
            "(declarations with errors are left out of the graph)"
        )
    return message


Found = tuple[dict[str, str], frozenset[tuple[str, str]]]
"""Problem nodes (node → why) and problem edges."""


class Problems:
    """What a diagram draws in the warning colour: the places a workshop must look at. Given,
    or found when a renderer first asks (:func:`problems_of`): the data formats never ask,
    and a large organization's problems are costly to find."""

    __slots__ = ("_find", "_found")

    def __init__(
        self,
        nodes: dict[str, str] | None = None,
        edges: frozenset[tuple[str, str]] = frozenset(),
        *,
        find: Callable[[], Found] | None = None,
    ) -> None:
        self._found = None if find is not None else (nodes or {}, edges)
        self._find = find

    def _get(self) -> Found:
        if self._found is None:
            assert self._find is not None
            self._found = self._find()
        return self._found

    @property
    def nodes(self) -> dict[str, str]:
        """Node → why: ``unserved`` metric (AA101), ``false claim`` objective (AA104),
        ``harmed`` customer (AA105)."""
        return self._get()[0]

    @property
    def edges(self) -> frozenset[tuple[str, str]]:
        """Edges along unguarded-harm paths, and the stakeholder edge of a false claim."""
        return self._get()[1]

    def __bool__(self) -> bool:
        return bool(self.nodes or self.edges)


NO_PROBLEMS = Problems({}, frozenset())

COLLAPSE_ABOVE = 160
"""Above this many nodes a drawing shows systems and customers only (see :func:`collapsed`)."""

PROBLEM_RELS = frozenset({"optimizes", "stakeholder", "serves", "effects", "of"})
"""Relations a problem path takes (an objective and its metric are also joined by guards)."""


def problems_of(analysis: Analysis) -> Problems:
    """The problems of SPEC §2.2 that have a place in the graph, found when first asked for."""
    return Problems(find=lambda: _found(analysis))


def _found(analysis: Analysis) -> Found:
    catalog = analysis.catalog
    nodes: dict[str, str] = {}
    edges: set[tuple[str, str]] = set()
    for metric in catalog.metrics:
        if not analysis.served_customers.get(metric):
            nodes[metric] = "unserved"
    for objective in analysis.misaligned_objectives:
        nodes[objective] = "false claim"
        edges.add((objective, catalog.stakeholder[objective].target))
    for harm in analysis.unguarded_harm:
        nodes.setdefault(harm.customer, "harmed")
        edges.add((harm.objective, harm.trace[0]))
        edges.update(zip(harm.trace, harm.trace[1:], strict=False))
    return nodes, frozenset(edges)


def collapsed(analysis: Analysis, problems: Problems) -> tuple[Elements, Problems]:
    """The organization at the level a large workshop can read: systems and customers only,
    one edge per (system, customer) its objectives reach — ``hurts`` when one of them worsens
    the customer (worsens or mixed), else ``helps``; a system with a problem objective, and a
    harmed customer, keep the warning colour. ``graph --focus`` opens one part in full."""
    from align_audit.graph import node_attributes

    catalog = analysis.catalog
    full = node_attributes(catalog, {*catalog.systems, *catalog.customers})
    worst: dict[tuple[str, str], int] = {}
    for objective in catalog.objectives:
        reach = analysis.objective_reach(objective)
        if reach is None:
            continue
        system = objective.split(".", 1)[0]
        for customer in analysis.reached_customers(reach):
            weight = 25 if reach.effect(customer) == "improves" else -25
            key = (system, customer)
            worst[key] = min(worst.get(key, weight), weight)
    graph = Elements(
        ((node, dict(full[node])) for node in (*catalog.systems, *catalog.customers)),
        (
            (system, customer, "effects", {"rel": "effects", "weight": weight})
            for (system, customer), weight in worst.items()
        ),
    )
    nodes = {
        node: why
        for node, why in problems.nodes.items()
        if node in graph or node.split(".", 1)[0] in catalog.systems
    }
    folded = {n.split(".", 1)[0] if n in catalog.objectives else n: w for n, w in nodes.items()}
    harmful = {(s, c) for (s, c), w in worst.items() if w < 0 and folded.get(c) == "harmed"}
    return graph, Problems({n: w for n, w in folded.items() if n in graph}, frozenset(harmful))
