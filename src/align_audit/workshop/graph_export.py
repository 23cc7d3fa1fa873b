"""`graph`: the alignment graph (SPEC §2) as a diagram (mermaid, dot) or as data (graphml, json).

Every format is deterministic: nodes in declaration order, edges sorted by (source order, target
order, relation). Diagrams are layered left to right — systems and objectives, metrics, outcomes,
customers — and draw helping and hurting effects differently (colour *and* line style, so the
difference survives a black-and-white printout).
"""

from __future__ import annotations

import difflib
import io
import json
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from align_audit.errors import AuditError
from align_audit.findings import Location
from align_audit.formats import choices, load
from align_audit.visible import visible, xml_text
from align_audit.workshop.wording import impact_word

if TYPE_CHECKING:
    import networkx as nx

    from align_audit.engine import AuditResult

FORMATS: tuple[str, ...] = choices("graph")
"""Output formats of the `graph` command."""

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

"""GRL contribution words (SPEC §1.2); other weights are shown as signed integers."""

KEPT_NODE_ATTRS = ("kind", "label", "role", "direction", "order", "location")
KEPT_EDGE_ATTRS = ("rel", "weight", "location")


# --------------------------------------------------------------------------------------------
# Shared helpers


def node_key(graph: nx.MultiDiGraph, node: str) -> tuple[int, str]:
    """Sort key of a node: declaration order, then id."""
    order = graph.nodes[node].get("order")
    return (order if isinstance(order, int) else 1 << 62, node)


def sorted_nodes(graph: nx.MultiDiGraph) -> list[str]:
    """Node ids in declaration order."""
    return sorted(graph.nodes, key=lambda n: node_key(graph, n))


def sorted_edges(graph: nx.MultiDiGraph) -> list[tuple[str, str, str, dict[str, Any]]]:
    """(source, target, key, attrs) sorted by source order, target order, relation, key."""
    edges = list(graph.edges(keys=True, data=True))
    edges.sort(
        key=lambda e: (
            node_key(graph, e[0]),
            node_key(graph, e[1]),
            REL_ORDER.get(str(e[3].get("rel", e[2])), len(REL_ORDER)),
            str(e[2]),
        )
    )
    return edges


def layer_of(graph: nx.MultiDiGraph, node: str) -> int:
    """Column of a node (0 systems/objectives … 3 customers)."""
    return LAYER_OF.get(str(graph.nodes[node].get("kind")), 1)


def node_label(graph: nx.MultiDiGraph, node: str) -> str:
    """The node's display label (its name, else its id), control characters shown escaped."""
    label = graph.nodes[node].get("label")
    return visible(str(label)) if label else node


def focus_graph(graph: nx.MultiDiGraph, focus: str, depth: int) -> nx.MultiDiGraph:
    """The nodes within ``depth`` hops of ``focus``, edges in either direction; all the edges
    among them are kept. An unknown id is an :class:`AuditError`."""
    import networkx as nx

    if focus not in graph:
        raise AuditError(_unknown_focus(graph, focus))
    if depth < 0:
        raise AuditError(f"--depth: expected a number ≥ 0, got {depth}")
    return nx.ego_graph(graph, focus, radius=depth, undirected=True)


def _unknown_focus(graph: nx.MultiDiGraph, focus: str) -> str:
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


def export_graph(result: AuditResult, fmt: str, focus: str | None = None, depth: int = 2) -> str:
    """The audit's alignment graph (or the ``depth``-neighbourhood of ``focus``) in ``fmt``."""
    render: Callable[[nx.MultiDiGraph], str] = load("graph", fmt)
    graph: nx.MultiDiGraph = result.graph
    if focus is not None:
        graph = focus_graph(graph, focus, depth)
    return render(graph)


# --------------------------------------------------------------------------------------------
# Data formats: a copy with GraphML-safe attributes


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


def render_graphml(graph: nx.MultiDiGraph) -> str:
    """GraphML written by networkx itself (keys declared per attribute and type; edge ids
    ``source:rel:target``)."""
    import networkx as nx

    buffer = io.BytesIO()
    nx.write_graphml(
        data_graph(graph, unique_keys=True), buffer, encoding="utf-8", prettyprint=True
    )
    text = buffer.getvalue().decode("utf-8")
    return text if text.endswith("\n") else text + "\n"


def render_json(graph: nx.MultiDiGraph) -> str:
    """networkx node-link data (``nodes``, ``edges``), keys sorted, indented."""
    import inspect

    import networkx as nx

    options: dict[str, str] = {}
    if "edges" in inspect.signature(nx.node_link_data).parameters:
        options["edges"] = "edges"  # networkx ≥ 3.4; older versions only know "links"
    data = nx.node_link_data(data_graph(graph), **options)
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


# --------------------------------------------------------------------------------------------
# Edge styles shared by the diagrams

GREEN = "#2e7d32"
RED = "#c62828"
GREY = "#757575"
LIGHT = "#9e9e9e"
BLUE = "#1565c0"
DARK = "#263238"
PURPLE = "#7b1fa2"

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


# --------------------------------------------------------------------------------------------
# Mermaid

_MERMAID_SHAPES = {
    "customer": ('(["', '"])'),  # stadium
    "outcome": ('("', '")'),  # rounded
    "metric": ('["', '"]'),  # rectangle
    "objective": ('{{"', '"}}'),  # hexagon
    "system": ('[["', '"]]'),  # subroutine
}

_MERMAID_ARROWS = {
    "helps": "-->",
    "hurts": "-.->",
    "serves": "-->",
    "guards": "-.->",
    "optimizes": "==>",
    "stakeholder": "-->",
    "users": "-.->",
}

_MERMAID_LINK_STYLES = {
    "helps": f"stroke:{GREEN},stroke-width:2px,color:{GREEN}",
    "hurts": f"stroke:{RED},stroke-width:2px,stroke-dasharray:6 4,color:{RED}",
    "serves": f"stroke:{GREY},stroke-width:1.5px",
    "guards": f"stroke:{BLUE},stroke-width:1.5px,stroke-dasharray:2 3,color:{BLUE}",
    "optimizes": f"stroke:{DARK},stroke-width:3px",
    "stakeholder": f"stroke:{PURPLE},stroke-width:1px,color:{PURPLE}",
    "of": f"stroke:{LIGHT},stroke-width:1px",
    "has": f"stroke:{LIGHT},stroke-width:1px",
    "users": f"stroke:{LIGHT},stroke-width:1px,stroke-dasharray:1 3",
}

_MERMAID_ENTITIES = {
    "#": "#35;",
    '"': "#quot;",
    "&": "#amp;",
    "<": "#lt;",
    ">": "#gt;",
    "`": "#96;",
    "|": "#124;",
}


def mermaid_text(text: str) -> str:
    """Escape text for a quoted mermaid label (mermaid's ``#name;`` entity codes)."""
    text = " ".join(text.split())
    return "".join(_MERMAID_ENTITIES.get(char, char) for char in text)


def render_mermaid(graph: nx.MultiDiGraph) -> str:
    """A mermaid flowchart: one subgraph per column, a classDef per kind, sanitized ids
    (``n0``, ``n1`` … in declaration order, the real id in the label)."""
    nodes = sorted_nodes(graph)
    ids = {node: f"n{i}" for i, node in enumerate(nodes)}
    edges = sorted_edges(graph)
    lines = [
        "flowchart LR",
        f"  %% align-audit alignment graph: {len(nodes)} nodes, {len(edges)} edges",
    ]
    for kind, (fill, stroke) in KIND_COLOURS.items():
        lines.append(f"  classDef {kind} fill:{fill},stroke:{stroke},color:#1a1a1a")
    for index, (title, _) in enumerate(LAYERS):
        members = [n for n in nodes if layer_of(graph, n) == index]
        if not members:
            continue
        lines.append(f'  subgraph layer{index}["{mermaid_text(title)}"]')
        lines.append("    direction TB")
        for node in members:
            kind = str(graph.nodes[node].get("kind"))
            start, end = _MERMAID_SHAPES.get(kind, ('["', '"]'))
            label = mermaid_text(node_label(graph, node))
            if label != mermaid_text(node):
                label += f"<br/><small>{mermaid_text(node)}</small>"
            lines.append(f"    {ids[node]}{start}{label}{end}")
        lines.append("  end")
    styles: dict[str, list[int]] = {}
    for index, (source, target, key, attrs) in enumerate(edges):
        rel = str(attrs.get("rel", key))
        weight = attrs.get("weight")
        style = edge_style(rel, weight)
        arrow = _MERMAID_ARROWS.get(style, "-->")
        text = edge_text(rel, weight)
        label = f'|"{mermaid_text(text)}"|' if text else ""
        lines.append(f"  {ids[source]} {arrow}{label} {ids[target]}")
        styles.setdefault(style, []).append(index)
    by_kind: dict[str, list[str]] = {}
    for node in nodes:
        by_kind.setdefault(str(graph.nodes[node].get("kind")), []).append(ids[node])
    for kind in KIND_COLOURS:
        if by_kind.get(kind):
            lines.append(f"  class {','.join(by_kind[kind])} {kind}")
    for style, css in _MERMAID_LINK_STYLES.items():
        if styles.get(style):
            lines.append(f"  linkStyle {','.join(map(str, styles[style]))} {css}")
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------------------------
# Graphviz DOT

_DOT_SHAPES = {
    "customer": 'shape=box, style="rounded,filled", penwidth=2',
    "outcome": 'shape=ellipse, style="filled"',
    "metric": 'shape=box, style="filled"',
    "objective": 'shape=hexagon, style="filled"',
    "system": 'shape=folder, style="filled"',
}


def dot_quote(text: str) -> str:
    """A double-quoted DOT string that shows ``text`` literally (backslashes, quotes, HTML
    entities and line breaks escaped)."""
    text = text.replace("\\", "\\\\").replace('"', '\\"').replace("&", "&amp;")
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n")
    return f'"{text}"'


def _dot_edge_attrs(rel: str, weight: object) -> str:
    style = edge_style(rel, weight)
    text = edge_text(rel, weight)
    attrs: list[str] = []
    if style in ("helps", "hurts"):
        colour = GREEN if style == "helps" else RED
        size = abs(weight) if isinstance(weight, int | float) else 25
        attrs += [
            f'color="{colour}"',
            f'fontcolor="{colour}"',
            "style=solid" if style == "helps" else "style=dashed",
            f"penwidth={1 + 3 * min(size, 100) / 100:.2f}",
        ]
    elif style == "serves":
        attrs += [f'color="{GREY}"', f'fontcolor="{GREY}"']
    elif style == "guards":
        attrs += [f'color="{BLUE}"', f'fontcolor="{BLUE}"', "style=dotted", "penwidth=1.5"]
    elif style == "optimizes":
        attrs += [f'color="{DARK}"', "penwidth=3"]
    elif style == "stakeholder":
        attrs += [f'color="{PURPLE}"', f'fontcolor="{PURPLE}"', "penwidth=0.8"]
    elif style == "users":
        attrs += [f'color="{LIGHT}"', f'fontcolor="{LIGHT}"', "style=dashed"]
    else:
        attrs += [f'color="{LIGHT}"']
    if text:
        attrs.insert(0, f"label={dot_quote(text)}")
    return ", ".join(attrs)


def render_dot(graph: nx.MultiDiGraph) -> str:
    """A Graphviz digraph: left to right, one ``rank=same`` subgraph per column, shapes and
    colours per kind, helps green solid, hurts red dashed (thicker for stronger effects)."""
    nodes = sorted_nodes(graph)
    lines = [
        "digraph alignment {",
        "  rankdir=LR;",
        "  newrank=true;",
        "  nodesep=0.35;",
        "  ranksep=1.1;",
        '  node [fontname="Helvetica,Arial,sans-serif", fontsize=11, margin="0.15,0.06"];',
        '  edge [fontname="Helvetica,Arial,sans-serif", fontsize=9, arrowsize=0.7];',
    ]
    for index, (title, _) in enumerate(LAYERS):
        members = [n for n in nodes if layer_of(graph, n) == index]
        if not members:
            continue
        lines.append(f"  subgraph layer{index} {{")
        lines.append(f"    // {title}")
        lines.append("    rank=same;")
        for node in members:
            attrs = graph.nodes[node]
            kind = str(attrs.get("kind"))
            fill, stroke = KIND_COLOURS.get(kind, ("#ffffff", "#000000"))
            label = node_label(graph, node)
            text = label if label == node else f"{label}\n{node}"
            shape = _DOT_SHAPES.get(kind, "shape=box")
            lines.append(
                f"    {dot_quote(node)} [label={dot_quote(text)}, {shape}, "
                f'fillcolor="{fill}", color="{stroke}", tooltip={dot_quote(f"{kind} {node}")}];'
            )
        lines.append("  }")
    for source, target, key, attrs in sorted_edges(graph):
        rel = str(attrs.get("rel", key))
        lines.append(
            f"  {dot_quote(source)} -> {dot_quote(target)} "
            f"[{_dot_edge_attrs(rel, attrs.get('weight'))}];"
        )
    lines.append("}")
    return "\n".join(lines) + "\n"
