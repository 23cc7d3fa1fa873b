"""The graph as a Graphviz digraph."""

from __future__ import annotations

from typing import TYPE_CHECKING

from align_audit.workshop.graph import style as look
from align_audit.workshop.graph.view import (
    LAYERS,
    NO_PROBLEMS,
    PROBLEM_RELS,
    Problems,
    layer_of,
    node_label,
    sorted_edges,
    sorted_nodes,
)

if TYPE_CHECKING:
    from align_audit.graph import Elements

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
    style = look.edge_style(rel, weight)
    text = look.edge_text(rel, weight)
    attrs: list[str] = []
    if style in ("helps", "hurts"):
        colour = look.GREEN if style == "helps" else look.RED
        size = abs(weight) if isinstance(weight, int | float) else 25
        attrs += [
            f'color="{colour}"',
            f'fontcolor="{colour}"',
            "style=solid" if style == "helps" else "style=dashed",
            f"penwidth={1 + 3 * min(size, 100) / 100:.2f}",
        ]
    elif style == "serves":
        attrs += [f'color="{look.GREY}"', f'fontcolor="{look.GREY}"']
    elif style == "guards":
        attrs += [
            f'color="{look.BLUE}"',
            f'fontcolor="{look.BLUE}"',
            "style=dotted",
            "penwidth=1.5",
        ]
    elif style == "optimizes":
        attrs += [f'color="{look.DARK}"', "penwidth=3"]
    elif style == "stakeholder":
        attrs += [f'color="{look.PURPLE}"', f'fontcolor="{look.PURPLE}"', "penwidth=0.8"]
    elif style == "users":
        attrs += [f'color="{look.LIGHT}"', f'fontcolor="{look.LIGHT}"', "style=dashed"]
    else:
        attrs += [f'color="{look.LIGHT}"']
    if text:
        attrs.insert(0, f"label={dot_quote(text)}")
    return ", ".join(attrs)


_LEGEND = (
    (look.GREEN, "━━━▶", "helps / makes"),
    (look.RED, "╍╍╍▶", "hurts / breaks"),
    (look.GREY, "━━━▶", "serves"),
    (look.BLUE, "┈┈┈▶", "guards (guardrail)"),
    (look.DARK, "━━━▶", "optimizes"),
    (look.PURPLE, "───▶", "claims to serve"),
)


def _legend(problems: bool) -> list[str]:
    """A legend node (an HTML-like table): each edge style, and the warning colour when used."""
    rows = list(_LEGEND)
    if problems:
        rows.append((look.PROBLEM, "━━━▶", look.PROBLEM_WORDS))
    cells = "".join(
        f'<tr><td><font color="{colour}">{sample}</font></td>'
        f'<td align="left">{text.replace("&", "&amp;").replace("<", "&lt;")}</td></tr>'
        for colour, sample, text in rows
    )
    return [
        '  "align-audit:legend" [shape=plaintext, fontsize=9, label=<<table border="0" '
        'cellborder="0" '
        f'cellspacing="1"><tr><td colspan="2"><b>Legend</b></td></tr>{cells}</table>>];'
    ]


def render_dot(graph: Elements, problems: Problems = NO_PROBLEMS) -> str:
    """A Graphviz digraph: left to right, one ``rank=same`` subgraph per column, shapes and
    colours per kind, helps green solid, hurts red dashed (thicker for stronger effects), the
    ``problems`` in the warning colour, and a legend."""
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
            fill, stroke = look.KIND_COLOURS.get(kind, ("#ffffff", "#000000"))
            label = node_label(graph, node)
            text = label if label == node else f"{label}\n{node}"
            shape = _DOT_SHAPES.get(kind, "shape=box")
            tooltip = f"{kind} {node}"
            if node in problems.nodes:
                stroke, shape = look.PROBLEM, shape + ", penwidth=3.5"
                tooltip += f" — {problems.nodes[node]}"
            lines.append(
                f"    {dot_quote(node)} [label={dot_quote(text)}, {shape}, "
                f'fillcolor="{fill}", color="{stroke}", tooltip={dot_quote(tooltip)}];'
            )
        lines.append("  }")
    for source, target, key, attrs in sorted_edges(graph):
        rel = str(attrs.get("rel", key))
        style = _dot_edge_attrs(rel, attrs.get("weight"))
        if (source, target) in problems.edges and rel in PROBLEM_RELS:
            style += f', color="{look.PROBLEM}", penwidth=3.5'
        lines.append(f"  {dot_quote(source)} -> {dot_quote(target)} [{style}];")
    lines.extend(_legend(bool(problems)))
    lines.append("}")
    return "\n".join(lines) + "\n"
