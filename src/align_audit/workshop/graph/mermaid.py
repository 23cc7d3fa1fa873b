"""The graph as a mermaid flowchart."""

from __future__ import annotations

from typing import TYPE_CHECKING

from align_audit.workshop.graph import style as look
from align_audit.workshop.graph.view import (
    LAYERS,
    NO_PROBLEMS,
    Problems,
    layer_of,
    node_label,
    sorted_edges,
    sorted_nodes,
)

if TYPE_CHECKING:
    from align_audit.graph import Elements

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
    "helps": f"stroke:{look.GREEN},stroke-width:2px,color:{look.GREEN}",
    "hurts": f"stroke:{look.RED},stroke-width:2px,stroke-dasharray:6 4,color:{look.RED}",
    "serves": f"stroke:{look.GREY},stroke-width:1.5px",
    "guards": f"stroke:{look.BLUE},stroke-width:1.5px,stroke-dasharray:2 3,color:{look.BLUE}",
    "optimizes": f"stroke:{look.DARK},stroke-width:3px",
    "stakeholder": f"stroke:{look.PURPLE},stroke-width:1px,color:{look.PURPLE}",
    "of": f"stroke:{look.LIGHT},stroke-width:1px",
    "has": f"stroke:{look.LIGHT},stroke-width:1px",
    "users": f"stroke:{look.LIGHT},stroke-width:1px,stroke-dasharray:1 3",
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


def render_mermaid(graph: Elements, problems: Problems = NO_PROBLEMS) -> str:
    """A mermaid flowchart: one subgraph per column, a classDef per kind, sanitized ids
    (``n0``, ``n1`` … in declaration order, the real id in the label)."""
    nodes = sorted_nodes(graph)
    ids = {node: f"n{i}" for i, node in enumerate(nodes)}
    edges = sorted_edges(graph)
    lines = [
        "flowchart LR",
        f"  %% align-audit alignment graph: {len(nodes)} nodes, {len(edges)} edges",
    ]
    for kind, (fill, stroke) in look.KIND_COLOURS.items():
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
        style = look.edge_style(rel, weight)
        arrow = _MERMAID_ARROWS.get(style, "-->")
        text = look.edge_text(rel, weight)
        label = f'|"{mermaid_text(text)}"|' if text else ""
        lines.append(f"  {ids[source]} {arrow}{label} {ids[target]}")
        styles.setdefault(style, []).append(index)
    by_kind: dict[str, list[str]] = {}
    for node in nodes:
        by_kind.setdefault(str(graph.nodes[node].get("kind")), []).append(ids[node])
    for kind in look.KIND_COLOURS:
        if by_kind.get(kind):
            lines.append(f"  class {','.join(by_kind[kind])} {kind}")
    for style, css in _MERMAID_LINK_STYLES.items():
        if styles.get(style):
            lines.append(f"  linkStyle {','.join(map(str, styles[style]))} {css}")
    return "\n".join(lines) + "\n"
