"""The alignment graph (SPEC §2): one networkx MultiDiGraph, edges keyed by ``rel``.

Node ids are the reference syntax of SPEC §1.2 (``patient``, ``patient.care_quality``,
``support_bot.fast_resolution``); every node has ``kind``, ``location`` and ``order``; every edge
has ``rel`` and ``weight`` (None where the edge is not propagated).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from align_audit.catalog import Catalog

if TYPE_CHECKING:
    import networkx as nx

PROPAGATED = frozenset({"of", "serves", "effects"})
"""Relations followed by propagation (SPEC §2)."""


def build_graph(catalog: Catalog) -> nx.MultiDiGraph:
    """Catalog → MultiDiGraph. Only valid, resolved declarations become nodes and edges."""
    import networkx as nx

    c = catalog
    order = c.order
    nodes: list[tuple[str, dict[str, Any]]] = []
    edges: list[tuple[str, str, str, dict[str, Any]]] = []
    for cid, entry in c.customers.items():
        assert entry.model is not None
        nodes.append(
            (
                cid,
                {
                    "kind": "customer",
                    "location": entry.id_location,
                    "order": order[cid],
                    "role": entry.model.role,
                    "label": entry.model.name or cid,
                },
            )
        )
        for oid in c.outcomes_of[cid]:
            outcome = c.outcomes[oid]
            assert outcome.model is not None
            nodes.append(
                (
                    oid,
                    {
                        "kind": "outcome",
                        "location": outcome.id_location,
                        "order": order[oid],
                        "label": outcome.model.name or oid,
                    },
                )
            )
            edges.append((oid, cid, "of", {"rel": "of", "weight": 100}))
    for mid, metric_entry in c.metrics.items():
        metric = metric_entry.model
        assert metric is not None
        nodes.append(
            (
                mid,
                {
                    "kind": "metric",
                    "location": metric_entry.id_location,
                    "order": order[mid],
                    "direction": metric.direction,
                    "label": metric.name or mid,
                },
            )
        )
        for link in c.serves[mid]:
            edges.append(
                (
                    mid,
                    link.target,
                    "serves",
                    {"rel": "serves", "weight": 100, "location": link.location},
                )
            )
        for effect in c.effects[mid]:
            edges.append(
                (
                    mid,
                    effect.target,
                    "effects",
                    {"rel": "effects", "weight": effect.weight, "location": effect.location},
                )
            )
    for sid, system_entry in c.systems.items():
        assert system_entry.model is not None
        nodes.append(
            (
                sid,
                {
                    "kind": "system",
                    "location": system_entry.id_location,
                    "order": order[sid],
                    "label": system_entry.model.name or sid,
                },
            )
        )
        for oid in c.objectives_of[sid]:
            objective = c.objectives[oid]
            assert objective.model is not None
            nodes.append(
                (
                    oid,
                    {
                        "kind": "objective",
                        "location": objective.id_location,
                        "order": order[oid],
                        "label": objective.model.name or oid,
                    },
                )
            )
            edges.append((sid, oid, "has", {"rel": "has", "weight": None}))
            if oid in c.optimizes:
                link = c.optimizes[oid]
                edges.append(
                    (
                        oid,
                        link.target,
                        "optimizes",
                        {"rel": "optimizes", "weight": None, "location": link.location},
                    )
                )
            if oid in c.stakeholder:
                link = c.stakeholder[oid]
                edges.append(
                    (
                        oid,
                        link.target,
                        "stakeholder",
                        {"rel": "stakeholder", "weight": None, "location": link.location},
                    )
                )
            for link in c.guardrails[oid]:
                edges.append(
                    (
                        oid,
                        link.target,
                        "guards",
                        {"rel": "guards", "weight": None, "location": link.location},
                    )
                )
        for link in c.users[sid]:
            edges.append(
                (
                    sid,
                    link.target,
                    "users",
                    {"rel": "users", "weight": None, "location": link.location},
                )
            )
    graph = nx.MultiDiGraph()
    graph.add_nodes_from(nodes)
    graph.add_edges_from(edges)
    return graph
