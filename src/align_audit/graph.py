"""The alignment graph (SPEC §2): one networkx MultiDiGraph, edges keyed by ``rel``; and the
same nodes and edges as plain data (:class:`Elements`), which is what the outputs read.

Node ids are the reference syntax of SPEC §1.2 (``patient``, ``patient.care_quality``,
``support_bot.fast_resolution``); every node has ``kind``, ``location``, ``order`` and ``label``
(customers also ``role``, metrics ``direction``); every edge has ``rel`` and ``weight`` (None
where the edge is not propagated) and, where it is written in a file, ``location``.
"""

from __future__ import annotations

from collections.abc import Container, Iterable, Iterator
from typing import TYPE_CHECKING, Any

from align_audit.catalog import Catalog
from align_audit.links import Link

if TYPE_CHECKING:
    import networkx as nx

    from align_audit.model import Entry

PROPAGATED = frozenset({"of", "serves", "effects"})
"""Relations followed by propagation (SPEC §2)."""

Node = tuple[str, dict[str, Any]]
Edge = tuple[str, str, str, dict[str, Any]]


def _node(node_id: str, kind: str, entry: Entry[Any], order: int, **extra: Any) -> Node:
    model = entry.model
    assert model is not None
    label = getattr(model, "name", None) or node_id
    attrs = {"kind": kind, "location": entry.id_location, "order": order, "label": label}
    return node_id, attrs | extra


def _link(source: str, link: Link, rel: str, weight: int | None = None) -> Edge:
    return source, link.target, rel, {"rel": rel, "weight": weight, "location": link.location}


def _nodes(c: Catalog) -> Iterator[Node]:
    order = c.order
    for cid, customer in c.customers.items():
        assert customer.model is not None
        yield _node(cid, "customer", customer, order[cid], role=customer.model.role)
        for oid in c.outcomes_of[cid]:
            yield _node(oid, "outcome", c.outcomes[oid], order[oid])
    for mid, metric in c.metrics.items():
        yield _node(mid, "metric", metric, order[mid], direction=c.direction(mid))
    for sid, system in c.systems.items():
        yield _node(sid, "system", system, order[sid])
        for oid in c.objectives_of[sid]:
            yield _node(oid, "objective", c.objectives[oid], order[oid])


def _edges(c: Catalog) -> Iterator[Edge]:
    for cid in c.customers:
        for oid in c.outcomes_of[cid]:
            yield oid, cid, "of", {"rel": "of", "weight": 100}
    for mid in c.metrics:
        for link in c.serves[mid]:
            yield _link(mid, link, "serves", 100)
        for e in c.effects[mid]:
            attrs = {"rel": "effects", "weight": e.weight, "location": e.location}
            yield mid, e.target, "effects", attrs
    for sid in c.systems:
        for oid in c.objectives_of[sid]:
            yield sid, oid, "has", {"rel": "has", "weight": None}
            if oid in c.optimizes:
                yield _link(oid, c.optimizes[oid], "optimizes")
            if oid in c.stakeholder:
                yield _link(oid, c.stakeholder[oid], "stakeholder")
            for link in c.guardrails[oid]:
                yield _link(oid, link, "guards")
        for link in c.users[sid]:
            yield _link(sid, link, "users")


class Elements:
    """The nodes and edges of the graph, as networkx would hold them, without its adjacency.

    The diagrams and exports read each node and edge once, in order: networkx's
    MultiDiGraph (a dict per node, per neighbour and per edge, in both directions) cost them
    more time and memory than the audit, and importing networkx a fifth of a small run. A node
    or edge given twice is merged as networkx merges it (the later attributes win); an edge's
    unknown end becomes a node without attributes.
    """

    __slots__ = ("_edges", "nodes")

    def __init__(self, nodes: Iterable[Node] = (), edges: Iterable[Edge] = ()) -> None:
        self.nodes: dict[str, dict[str, Any]] = {}
        """Node id → attributes, in the order first given."""
        self._edges: dict[tuple[str, str, str], dict[str, Any]] = {}
        known = self.nodes
        for node, attrs in nodes:
            if node in known:
                known[node].update(attrs)
            else:
                known[node] = attrs
        for source, target, key, attrs in edges:
            for end in (source, target):
                if end not in known:
                    known[end] = {}
            same = self._edges.get((source, target, key))
            if same is None:
                self._edges[(source, target, key)] = attrs
            else:
                same.update(attrs)

    @classmethod
    def of(cls, catalog: Catalog) -> Elements:
        """The graph of a catalog."""
        return cls(_nodes(catalog), _edges(catalog))

    def edges(self) -> list[Edge]:
        """(source, target, key, attributes) of every edge, in the order first given."""
        return [(s, t, key, attrs) for (s, t, key), attrs in self._edges.items()]

    def __len__(self) -> int:
        return len(self.nodes)

    def __contains__(self, node: object) -> bool:
        return node in self.nodes


def node_count(catalog: Catalog) -> int:
    """How many nodes ``Elements.of(catalog)`` has, without making them: every link of a
    catalog is resolved, so no edge adds a node."""
    c = catalog
    outcomes = sum(len(c.outcomes_of[customer]) for customer in c.customers)
    objectives = sum(len(c.objectives_of[system]) for system in c.systems)
    return len(c.customers) + outcomes + len(c.metrics) + len(c.systems) + objectives


def node_attributes(catalog: Catalog, wanted: Container[str]) -> dict[str, dict[str, Any]]:
    """The attributes ``Elements.of(catalog)`` gives the ``wanted`` nodes, without making the
    graph's other nodes and its edges (a large organization's drawing shows a few)."""
    return {node: attrs for node, attrs in _nodes(catalog) if node in wanted}


def build_graph(catalog: Catalog) -> nx.MultiDiGraph:
    """Catalog → MultiDiGraph. Only valid, resolved declarations become nodes and edges.

    Nodes and edges are generated one at a time: networkx copies each attribute dict, so
    building lists first would hold every attribute twice at the peak.
    """
    import networkx as nx

    graph = nx.MultiDiGraph()
    graph.add_nodes_from(_nodes(catalog))
    graph.add_edges_from(_edges(catalog))
    return graph
