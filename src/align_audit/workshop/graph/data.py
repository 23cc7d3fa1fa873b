"""The graph as data: a copy whose attributes are strings and numbers, as GraphML or JSON."""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from align_audit.findings import Location
from align_audit.outputs import json_text
from align_audit.visible import xml_text
from align_audit.workshop.graph.view import NO_PROBLEMS, Problems, sorted_edges, sorted_nodes

if TYPE_CHECKING:
    import networkx as nx

KEPT_NODE_ATTRS = ("kind", "label", "role", "direction", "order", "location")
KEPT_EDGE_ATTRS = ("rel", "weight", "location")


def _location_text(location: Location) -> str:
    return f"{location.path}:{location.line}:{location.column}"


def _safe_value(value: object) -> str | int | float | bool | None:
    if value is None:
        return None
    if isinstance(value, Location):
        return _location_text(value)
    if isinstance(value, str):
        return xml_text(value)  # GraphML is XML; JSON and the diagrams escape on their own
    if isinstance(value, int | float | bool):
        return value
    return xml_text(str(value))


def _safe_attrs(attrs: dict[str, Any], keep: Iterable[str]) -> dict[str, Any]:
    safe: dict[str, Any] = {}
    for name in keep:
        value = _safe_value(attrs.get(name))
        if value is not None:
            safe[name] = value
    return safe


def data_graph(graph: nx.MultiDiGraph, *, unique_keys: bool = False) -> nx.MultiDiGraph:
    """A copy in declaration order whose attributes are strings and numbers only: locations
    become ``path:line:column``, missing values are dropped.

    Edges stay keyed by ``rel``, unless ``unique_keys``: then each key is
    ``source:rel:target``, unique in the document (GraphML requires unique edge ids; ``:``
    occurs in no declared id, so these never collide)."""
    import networkx as nx

    copy = nx.MultiDiGraph()
    for node in sorted_nodes(graph):
        copy.add_node(node, **_safe_attrs(graph.nodes[node], KEPT_NODE_ATTRS))
    for source, target, key, attrs in sorted_edges(graph):
        if unique_keys:
            key = f"{source}:{attrs.get('rel', key)}:{target}"
        copy.add_edge(source, target, key=key, **_safe_attrs(attrs, KEPT_EDGE_ATTRS))
    return copy


def render_graphml(graph: nx.MultiDiGraph, problems: Problems = NO_PROBLEMS) -> str:
    """GraphML written by networkx itself (keys declared per attribute and type; edge ids
    ``source:rel:target``)."""
    import networkx as nx

    buffer = io.BytesIO()
    nx.write_graphml(
        data_graph(graph, unique_keys=True), buffer, encoding="utf-8", prettyprint=True
    )
    text = buffer.getvalue().decode("utf-8")
    return text if text.endswith("\n") else text + "\n"


def render_json(graph: nx.MultiDiGraph, problems: Problems = NO_PROBLEMS) -> str:
    """networkx node-link data (``directed``, ``edges``, ``graph``, ``multigraph``,
    ``nodes``; ``nx.node_link_graph(data, edges="edges")`` reads it back), keys sorted,
    indented. Written from the graph directly: a networkx copy and the standard library's
    pure-Python indented encoder cost more than the rest of the command."""
    nodes = [
        dict(sorted({**_safe_attrs(graph.nodes[node], KEPT_NODE_ATTRS), "id": node}.items()))
        for node in sorted_nodes(graph)
    ]
    edges = [
        dict(
            sorted(
                {
                    **_safe_attrs(attrs, KEPT_EDGE_ATTRS),
                    "source": source,
                    "target": target,
                    "key": key,
                }.items()
            )
        )
        for source, target, key, attrs in sorted_edges(graph)
    ]
    document = {"directed": True, "edges": edges, "graph": {}, "multigraph": True, "nodes": nodes}
    return json_text(document)
