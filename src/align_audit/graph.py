"""The alignment graph (SPEC §2): one networkx MultiDiGraph, edges keyed by ``rel``.

Node ids are the reference syntax of SPEC §1.2 (``patient``, ``patient.care_quality``,
``support_bot.fast_resolution``); every node has ``kind``, ``location``, ``order`` and ``label``
(customers also ``role``, metrics ``direction``); every edge has ``rel`` and ``weight`` (None
where the edge is not propagated) and, where it is written in a file, ``location``.
"""

from __future__ import annotations

from collections.abc import Iterator
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
