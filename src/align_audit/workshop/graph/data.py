"""The graph as data: a copy whose attributes are strings and numbers, as GraphML or JSON."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from json.encoder import encode_basestring
from typing import TYPE_CHECKING, Any

from align_audit.findings import Location
from align_audit.outputs import SelfWritten, json_chunks, json_scalar
from align_audit.visible import xml_text
from align_audit.workshop.graph.view import NO_PROBLEMS, Problems, sorted_edges, sorted_nodes

if TYPE_CHECKING:
    import networkx as nx

    from align_audit.graph import Edge, Elements

KEPT_NODE_ATTRS = ("kind", "label", "role", "direction", "order", "location")
KEPT_EDGE_ATTRS = ("rel", "weight", "location")


def _location_text(location: Location) -> str:
    span = location.passing_span()
    return f"{location.path}:{span.line}:{span.column}"


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


def data_graph(graph: Elements, *, unique_keys: bool = False) -> nx.MultiDiGraph:
    """A networkx copy in declaration order whose attributes are strings and numbers only: locations
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


def render_graphml(graph: Elements, problems: Problems = NO_PROBLEMS) -> Iterator[str]:
    """GraphML as networkx's writer makes it (``nx.write_graphml(data_graph(graph,
    unique_keys=True), prettyprint=True)``, byte for byte: keys declared per attribute and
    type, newest first; edge ids ``source:rel:target``), written straight from the graph, a
    node or edge at a time. The networkx writer holds a copy of the graph and an XML tree of
    it: four times the memory of the audit at 100k declarations."""
    nodes = sorted_nodes(graph)
    edges = sorted_edges(graph)
    keys = _graphml_keys(graph, nodes, edges)
    yield _GRAPHML_HEAD + "".join(
        f'  <key id="{key}" for="{scope}" attr.name="{_attrib(name)}" attr.type="{kind}" />\n'
        for (name, kind, scope), key in reversed(keys.items())
    )
    if not nodes and not edges:
        yield '  <graph edgedefault="directed" />\n</graphml>\n'
        return
    yield '  <graph edgedefault="directed">\n'
    # Each id escaped once: both ends of every edge are nodes, and escaping is per character,
    # so an edge id escapes part by part.
    escaped = {node: _attrib(str(node)) for node in nodes}
    for node in nodes:
        opening = f'    <node id="{escaped[node]}"'
        yield _element(opening, "node", graph.nodes[node], KEPT_NODE_ATTRS, "node", keys)
    rels: dict[str, str] = {}
    for source, target, key, attrs in edges:
        rel = str(attrs.get("rel", key))
        if rel not in rels:
            rels[rel] = _attrib(rel)
        ends = escaped[source], rels[rel], escaped[target]
        opening = f'    <edge source="{ends[0]}" target="{ends[2]}" id="{":".join(ends)}"'
        yield _element(opening, "edge", attrs, KEPT_EDGE_ATTRS, "edge", keys)
    yield "  </graph>\n</graphml>\n"


_GRAPHML_HEAD = (
    "<?xml version='1.0' encoding='utf-8'?>\n"
    '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
    'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
    'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">\n'
)
_GRAPHML_TYPES = {str: "string", int: "long", float: "double", bool: "boolean"}
"""networkx's names for the types of data values."""

GraphmlKeys = dict[tuple[str, str, str], str]


def _graphml_type(value: object) -> str:
    return _GRAPHML_TYPES.get(type(value), "string")


def _graphml_keys(
    graph: Elements, nodes: list[str], edges: list[tuple[str, str, str, dict[str, Any]]]
) -> GraphmlKeys:
    """(name, type, scope) → key id, numbered as networkx numbers them: in the order each
    first occurs, nodes before edges."""
    keys: GraphmlKeys = {}
    rows: Iterable[tuple[str, Iterable[dict[str, Any]], tuple[str, ...]]] = (
        ("node", map(graph.nodes.__getitem__, nodes), KEPT_NODE_ATTRS),
        ("edge", (attrs for *_, attrs in edges), KEPT_EDGE_ATTRS),
    )
    for scope, elements, keep in rows:
        for attrs in elements:
            for name in keep:
                value = attrs.get(name)
                if value is not None:
                    kind = _graphml_type(value)  # a location is written as its text: a string
                    if (name, kind, scope) not in keys:
                        keys[name, kind, scope] = f"d{len(keys)}"
    return keys


def _element(
    opening: str,
    tag: str,
    attrs: dict[str, Any],
    keep: Iterable[str],
    scope: str,
    keys: GraphmlKeys,
) -> str:
    """A node or edge with its data elements, indented as networkx's prettyprint does."""
    data = []
    for name in keep:
        value = _safe_value(attrs.get(name))
        if value is None:
            continue
        key = keys[name, _graphml_type(value), scope]
        text = _cdata(str(value))
        data.append(
            f'      <data key="{key}">{text}</data>\n' if text else f'      <data key="{key}" />\n'
        )
    if not data:
        return opening + " />\n"
    return opening + ">\n" + "".join(data) + f"    </{tag}>\n"


def _cdata(text: str) -> str:
    """XML character data escaped as ElementTree escapes it."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _attrib(text: str) -> str:
    """An XML attribute value escaped as ElementTree escapes it."""
    return (
        _cdata(text)
        .replace('"', "&quot;")
        .replace("\r", "&#13;")
        .replace("\n", "&#10;")
        .replace("\t", "&#09;")
    )


def render_json(graph: Elements, problems: Problems = NO_PROBLEMS) -> Iterator[str]:
    """networkx node-link data (``directed``, ``edges``, ``graph``, ``multigraph``,
    ``nodes``; ``nx.node_link_graph(data, edges="edges")`` reads it back), keys sorted,
    indented, in pieces: each node and edge is written from its attributes when its turn
    comes, never as a mapping made for the purpose nor as one document."""
    document = {
        "directed": True,
        "edges": (SelfWritten(edge, _edge_json) for edge in sorted_edges(graph)),
        "graph": {},
        "multigraph": True,
        "nodes": (SelfWritten((n, graph.nodes[n]), _node_json) for n in sorted_nodes(graph)),
    }
    return json_chunks(document)


_NODE_FIELDS = tuple(sorted((*KEPT_NODE_ATTRS, "id")))
_EDGE_FIELDS = tuple(sorted((*KEPT_EDGE_ATTRS, "source", "target", "key")))
_NAMES = {name: f'"{name}": ' for name in (*_NODE_FIELDS, *_EDGE_FIELDS)}
_ENDS = {"id": 0, "source": 0, "target": 1, "key": 2}
"""Fields written from the node id or the edge's ends (their position), not from an attribute."""


def _value_json(value: Any) -> str | None:
    """``json_scalar(_safe_value(value))``, the common types first; None for a missing value."""
    kind = type(value)
    if kind is str:
        return encode_basestring(xml_text(value))
    if kind is int:
        return int.__repr__(value)
    if kind is Location:
        return encode_basestring(_location_text(value))
    if value is None:
        return None
    return json_scalar(_safe_value(value))


def _json_object(
    fields: tuple[str, ...], ends: tuple[str, ...], attrs: dict[str, Any], indent: str
) -> str:
    """The indented JSON object of ``fields`` in order: each from ``ends`` (see ``_ENDS``) or
    the attribute of that name made safe (:func:`_safe_value`); a missing value is left out.
    Written field by field: a large graph has a million values."""
    inner = indent + "  "
    get = attrs.get
    lines = []
    for name in fields:
        end = _ENDS.get(name)
        text = encode_basestring(ends[end]) if end is not None else _value_json(get(name))
        if text is not None:
            lines.append(_NAMES[name] + text)
    return "{\n" + inner + (",\n" + inner).join(lines) + "\n" + indent + "}"


def _node_json(item: tuple[str, dict[str, Any]], indent: str) -> str:
    node, attrs = item
    return _json_object(_NODE_FIELDS, (node,), attrs, indent)


def _edge_json(edge: Edge, indent: str) -> str:
    source, target, key, attrs = edge
    return _json_object(_EDGE_FIELDS, (source, target, key), attrs, indent)
