"""The alignment graph as one self-contained inline ``<svg>`` element, for HTML reports.

Layered columns, left to right: systems and objectives | metrics | outcomes | customers. Nodes
are rounded rectangles coloured per kind, with their label (wrapped) and their id in small text;
edges are cubic curves with arrowheads, styled per relation — helping effects green and solid,
hurting effects red and dashed, so the difference survives a black-and-white printout. A small
legend sits underneath.

The output has no scripts, no stylesheet (a ``<style>`` in inline SVG would leak into the host
page), no external references and no fonts to fetch: every style is a presentation attribute.
The same graph always gives the same bytes.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from html import escape
from itertools import chain
from typing import TYPE_CHECKING, Any

from align_audit.outputs import pieces
from align_audit.visible import visible
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

FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"
COMPACT_ABOVE = 150
"""Graphs with more nodes than this are drawn compact: one-line labels, no id subtitles."""

# (colour, stroke width, dash pattern or "", legend text)
EDGE_STYLES: dict[str, tuple[str, float, str, str]] = {
    "helps": (look.GREEN, 2.0, "", "helps / makes"),
    "hurts": (look.RED, 2.0, "7 4", "hurts / breaks"),
    "serves": (look.GREY, 1.3, "", "serves"),
    "guards": (look.BLUE, 1.6, "2 3", "guards (guardrail)"),
    "optimizes": (look.DARK, 3.2, "", "optimizes"),
    "stakeholder": (look.PURPLE, 1.0, "", "claims to serve"),
    "of": (look.LIGHT, 1.0, "", "outcome of · has"),
    "has": (look.LIGHT, 1.0, "", ""),
    "users": (look.LIGHT, 1.0, "1 3", "used by"),
    "problem": (look.PROBLEM, 3.4, "", ""),
}
"""How each kind of edge is drawn; ``helps``/``hurts`` are the two signs of ``effects``."""

KIND_NAMES = {
    "system": "system",
    "objective": "objective",
    "metric": "metric",
    "outcome": "outcome",
    "customer": "customer",
}


def _text(value: object) -> str:
    """Escaped text, with control characters shown escaped (XML cannot carry most of them)."""
    return escape(visible(str(value)), quote=True)


def _num(value: float) -> str:
    """A coordinate with at most one decimal, no trailing zeros (stable across platforms)."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _width(text: str) -> int:
    """Display width in 'average characters': wide East Asian characters count twice."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _cut(text: str, limit: int) -> str:
    """``text`` shortened to ``limit`` characters of width, ending with an ellipsis if cut."""
    if _width(text) <= limit:
        return text
    out = ""
    for char in text:
        if _width(out + char) > limit - 1:
            break
        out += char
    return out.rstrip() + "…"


def wrap(text: str, limit: int, max_lines: int) -> list[str]:
    """Greedy word wrap to lines of ``limit`` width; long words break after ``. _ - /``, or
    anywhere if they must. More than ``max_lines`` lines: the last shown one ends with '…'."""
    limit = max(limit, 4)
    tokens: list[tuple[str, str]] = []  # (piece, joiner before it)
    for word in text.split():
        pieces = []
        for part in re.findall(r"[^.]*\.+|[^.]+", word) or [word]:
            if _width(part) > limit:  # a long id segment: break after _ - / too
                pieces += re.findall(r"[^_/-]*[_/-]+|[^_/-]+", part) or [part]
            else:
                pieces.append(part)
        first = True
        for piece in pieces:
            while _width(piece) > limit:
                size = 1
                while _width(piece[: size + 1]) <= limit:
                    size += 1
                tokens.append((piece[:size], " " if first else ""))
                first = False
                piece = piece[size:]
            tokens.append((piece, " " if first else ""))
            first = False
    lines: list[str] = []
    current = ""
    for piece, joiner in tokens:
        candidate = current + joiner + piece if current else piece
        if current and _width(candidate) > limit:
            lines.append(current)
            current = piece
        else:
            current = candidate
    if current or not lines:
        lines.append(current)
    if len(lines) > max_lines:
        lines = [*lines[: max_lines - 1], _cut(lines[max_lines - 1] + "  " * limit, limit)]
    return lines


@dataclass(slots=True)
class _Box:
    node: str
    column: int
    x: float
    y: float
    w: float
    h: float

    @property
    def cy(self) -> float:
        return self.y + self.h / 2


def _order_columns(graph: Elements, columns: list[list[str]]) -> None:
    """Reduce crossings: the middle columns (metrics, outcomes) are sorted by the barycentre of
    their neighbours' relative heights; the outer columns keep declaration order. A stable sort
    with the current position as tie-break keeps this deterministic."""
    position: dict[str, float] = {}

    def measure() -> None:
        for column in columns:
            for index, node in enumerate(column):
                position[node] = (index + 0.5) / len(column)

    neighbours: dict[str, list[str]] = {}
    for source, target, _, _ in graph.edges():
        if source != target:
            neighbours.setdefault(source, []).append(target)
            neighbours.setdefault(target, []).append(source)
    measure()
    middle = [i for i in (1, 2) if i < len(columns)]
    for _ in range(4):
        for index in middle:
            column = columns[index]
            inside = set(column)
            centre: dict[str, float] = {}
            for node in column:
                near = [position[n] for n in neighbours.get(node, ()) if n not in inside]
                centre[node] = round(sum(near) / len(near), 9) if near else position[node]
            column.sort(key=centre.__getitem__)
            measure()


def _legend(
    x0: float, y0: float, width: float, prefix: str, problems: bool
) -> tuple[list[str], float]:
    """The legend's elements and its height."""
    items: list[tuple[str, str]] = []  # (kind of item, key)
    items += [("node", kind) for kind in look.KIND_COLOURS]
    items += [("edge", style) for style, spec in EDGE_STYLES.items() if spec[3]]
    slot = 158.0
    per_row = max(1, int((width - x0) // slot))
    out: list[str] = ['<g class="legend" font-size="11" fill="#333">']
    for index, (what, key) in enumerate(items):
        x = x0 + (index % per_row) * slot
        y = y0 + (index // per_row) * 22
        if what == "node":
            fill, stroke = look.KIND_COLOURS[key]
            out.append(
                f'<rect x="{_num(x)}" y="{_num(y - 7)}" width="26" height="14" rx="4" '
                f'fill="{fill}" stroke="{stroke}" stroke-width="1.5"/>'
            )
            label = KIND_NAMES[key]
        else:
            colour, stroke_width, dash, label = EDGE_STYLES[key]
            dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
            out.append(
                f'<path d="M{_num(x)},{_num(y)} L{_num(x + 26)},{_num(y)}" fill="none" '
                f'stroke="{colour}" stroke-width="{stroke_width}"{dash_attr} '
                f'marker-end="url(#{prefix}-arrow-{key})"/>'
            )
        out.append(f'<text x="{_num(x + 34)}" y="{_num(y + 4)}">{_text(label)}</text>')
    out.append("</g>")
    rows = (len(items) + per_row - 1) // per_row
    if problems:  # the problem entry's words are long: it gets a row of its own
        y = y0 + rows * 22
        colour, stroke_width, _, _ = EDGE_STYLES["problem"]
        out.insert(
            -1,
            f'<path d="M{_num(x0)},{_num(y)} L{_num(x0 + 26)},{_num(y)}" fill="none" '
            f'stroke="{colour}" stroke-width="{stroke_width}" '
            f'marker-end="url(#{prefix}-arrow-problem)"/>'
            f'<text x="{_num(x0 + 34)}" y="{_num(y + 4)}">{_text(look.PROBLEM_WORDS)}</text>',
        )
        rows += 1
    return out, rows * 22.0


def graph_svg(
    graph: Elements,
    *,
    width: int = 1200,
    id_prefix: str = "aa-graph",
    problems: Problems = NO_PROBLEMS,
) -> str:
    """The alignment graph drawn as an inline ``<svg>`` element (a string, no XML prolog).

    ``width`` is the drawing's width in CSS pixels (its height follows from the largest column);
    ``id_prefix`` namespaces the marker ids, for pages that embed several drawings; the
    ``problems`` are drawn in the warning colour, with a legend entry.
    """
    return "".join(svg_chunks(graph, width=width, id_prefix=id_prefix, problems=problems))


def svg_chunks(
    graph: Elements,
    *,
    width: int = 1200,
    id_prefix: str = "aa-graph",
    problems: Problems = NO_PROBLEMS,
) -> Iterator[str]:
    """The text of :func:`graph_svg` in pieces of a thousand elements, each made when asked
    for: a large organization's drawing is tens of megabytes, and was copied whole three
    times on its way into a page."""
    prefix = re.sub(r"[^A-Za-z0-9_-]", "-", id_prefix) or "aa-graph"
    if not prefix[0].isalpha():
        prefix = "g" + prefix
    width = max(int(width), 480)
    nodes = sorted_nodes(graph)
    edges = sorted_edges(graph)
    compact = len(nodes) > COMPACT_ABOVE

    # Geometry ---------------------------------------------------------------------------
    left, right, top = 40.0, 16.0, 44.0
    pitch = (width - left - right) / len(LAYERS)
    node_w = pitch * 0.74
    font = 10.0 if compact else 12.0
    sub_font = 9.5
    line_h = font + 3
    chars = max(8, int((node_w - 14) / (font * 0.56)))
    sub_chars = max(8, int((node_w - 12) / (sub_font * 0.56)))

    columns: list[list[str]] = [[] for _ in LAYERS]
    for node in nodes:
        columns[layer_of(graph, node)].append(node)
    _order_columns(graph, columns)

    texts: dict[str, tuple[list[str], str]] = {}
    for node in nodes:
        label = node_label(graph, node)
        lines = wrap(label, chars, 1 if compact else 3)
        subtitle = "" if compact else _cut(_subtitle(graph, node, label), sub_chars)
        texts[node] = (lines, subtitle)
    max_lines = max((len(lines) for lines, _ in texts.values()), default=1)
    box_h = 18.0 if compact else 12 + max_lines * line_h + 13
    row = box_h + (5 if compact else 14)
    content_h = max((len(c) for c in columns), default=0) * row

    boxes: dict[str, _Box] = {}
    for index, column in enumerate(columns):
        if not column:
            continue
        slot = content_h / len(column)
        x = left + index * pitch
        for i, node in enumerate(column):
            cy = top + slot * (i + 0.5)
            boxes[node] = _Box(node, index, x, cy - box_h / 2, node_w, box_h)

    # Drawing ----------------------------------------------------------------------------
    titles = [
        f'<text x="{_num(left + index * pitch + node_w / 2)}" y="24" text-anchor="middle" '
        f'font-size="13" font-weight="600" fill="#37474f">{_text(title)}</text>'
        for index, (title, _) in enumerate(LAYERS)
    ]
    if not nodes:
        titles.append(
            f'<text x="{_num(width / 2)}" y="{_num(top + 24)}" text-anchor="middle" '
            f'font-size="13" fill="#555">No valid declarations to draw.</text>'
        )
        content_h = 40.0
    legend, legend_h = _legend(left, top + content_h + 26, width - right, prefix, bool(problems))
    height = top + content_h + 26 + legend_h + 8

    def drawing() -> Iterator[str]:
        yield from titles
        yield '<g class="edges" fill="none">'
        yield from _edges(graph, edges, boxes, prefix, compact, pitch - node_w, problems)
        yield "</g>"
        yield '<g class="nodes">'
        for node in nodes:
            problem = problems.nodes.get(node)
            yield _node(graph, boxes[node], *texts[node], font, sub_font, line_h, compact, problem)
        yield "</g>"
        yield from legend

    defs = ["<defs>"]
    for style, (colour, *_rest) in EDGE_STYLES.items():
        if style == "problem" and not problems:
            continue
        defs.append(
            f'<marker id="{prefix}-arrow-{style}" viewBox="0 0 10 10" refX="9" refY="5" '
            f'markerWidth="8" markerHeight="8" markerUnits="userSpaceOnUse" '
            f'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="{colour}"/>'
            "</marker>"
        )
    defs.append("</defs>")
    summary = f"Alignment graph: {len(nodes)} nodes, {len(edges)} edges"
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="alignment-graph" '
        f'width="{width}" height="{_num(height)}" viewBox="0 0 {width} {_num(height)}" '
        f'role="img" aria-label="{_text(summary)}" font-family="{_text(FONT)}">'
    )
    elements = chain((head, f"<title>{_text(summary)}</title>", *defs), drawing(), ("</svg>",))
    yield from pieces(element + "\n" for element in elements)  # each on a line of its own


def _subtitle(graph: Elements, node: str, label: str) -> str:
    """The small text under a label: the id, or (when the label is the id) the kind."""
    if label != node:
        return node
    attrs = graph.nodes[node]
    kind = str(attrs.get("kind", ""))
    detail = attrs.get("role") or attrs.get("direction")
    if kind == "customer" and detail:
        return f"customer · {str(detail).replace('_', ' ')}"
    if kind == "metric" and detail:
        return f"metric · {detail}"
    return kind


def _node(
    graph: Elements,
    box: _Box,
    lines: list[str],
    subtitle: str,
    font: float,
    sub_font: float,
    line_h: float,
    compact: bool,
    problem: str | None = None,
) -> str:
    attrs: dict[str, Any] = graph.nodes[box.node]
    kind = str(attrs.get("kind", "node"))
    fill, stroke = look.KIND_COLOURS.get(kind, ("#ffffff", "#616161"))
    stroke_width = 2.2 if kind == "customer" else 1.4
    label = node_label(graph, box.node)
    tooltip = f"{label} ({box.node}), {kind}" if label != box.node else f"{box.node}, {kind}"
    if problem is not None:
        stroke, stroke_width = look.PROBLEM, 3.4
        tooltip += f" — {problem}"
    cx = box.x + box.w / 2
    block = len(lines) * line_h + (0 if compact or not subtitle else sub_font + 3)
    baseline = box.cy - block / 2 + font * 0.95
    spans = "".join(
        f'<tspan x="{_num(cx)}" y="{_num(baseline + i * line_h)}">{_text(line)}</tspan>'
        for i, line in enumerate(lines)
    )
    weight = ' font-weight="600"' if kind == "customer" else ""
    parts = [
        f'<g class="node node-{_text(kind)}" data-id="{_text(box.node)}">',
        f"<title>{_text(tooltip)}</title>",
        f'<rect x="{_num(box.x)}" y="{_num(box.y)}" width="{_num(box.w)}" '
        f'height="{_num(box.h)}" rx="{6 if compact else 9}" fill="{fill}" stroke="{stroke}" '
        f'stroke-width="{stroke_width}"/>',
        f'<text class="label" text-anchor="middle" font-size="{_num(font)}" fill="#1a1a1a"'
        f"{weight}>{spans}</text>",
    ]
    if subtitle and not compact:
        y = baseline + (len(lines) - 1) * line_h + sub_font + 5
        parts.append(
            f'<text class="id" x="{_num(cx)}" y="{_num(y)}" text-anchor="middle" '
            f'font-size="{_num(sub_font)}" fill="#546e7a">{_text(subtitle)}</text>'
        )
    parts.append("</g>")
    return "".join(parts)


def _edges(
    graph: Elements,
    edges: list[tuple[str, str, str, dict[str, Any]]],
    boxes: dict[str, _Box],
    prefix: str,
    compact: bool,
    gap: float,
    problems: Problems = NO_PROBLEMS,
) -> list[str]:
    """Cubic curves, between columns from right side to left side; within a column, an arc
    beside it (``has`` on the left, the rest on the right). Parallel edges fan out a little."""
    pair_count: dict[tuple[str, str], int] = {}
    for source, target, _, _ in edges:
        pair = (min(source, target), max(source, target))
        pair_count[pair] = pair_count.get(pair, 0) + 1
    pair_seen: dict[tuple[str, str], int] = {}
    out: list[str] = []
    labels: list[str] = []
    for source, target, key, attrs in edges:
        a, b = boxes[source], boxes[target]
        rel = str(attrs.get("rel", key))
        weight = attrs.get("weight")
        style = look.edge_style(rel, weight)
        colour, stroke_width, dash, _ = EDGE_STYLES.get(style, (look.LIGHT, 1.0, "", ""))
        if style in ("helps", "hurts") and isinstance(weight, int | float):
            stroke_width = 1.0 + 2.5 * min(abs(weight), 100) / 100
        problem = (source, target) in problems.edges and rel in PROBLEM_RELS
        if problem:
            colour, stroke_width, dash = look.PROBLEM, max(stroke_width, 3.4), ""
        pair = (min(source, target), max(source, target))
        k = pair_seen.get(pair, 0)
        pair_seen[pair] = k + 1
        offset = (k - (pair_count[pair] - 1) / 2) * 6
        y1, y2 = a.cy + offset, b.cy + offset
        if a.column != b.column:
            if a.column < b.column:
                x1, x2 = a.x + a.w, b.x
            else:
                x1, x2 = a.x, b.x + b.w
            dx = (x2 - x1) * 0.45
            c1x, c2x = x1 + dx, x2 - dx
            c1y, c2y = y1, y2
        else:
            side = -1.0 if rel == "has" else 1.0
            x1 = x2 = a.x if side < 0 else a.x + a.w
            room = (a.x if side < 0 else gap) - 6  # stay inside the drawing / the gap
            bulge = min(room, 18.0 + abs(y2 - y1) * 0.18) * side
            c1x = c2x = x1 + bulge
            c1y, c2y = y1, y2
            if source == target:
                y1, y2 = a.cy - a.h / 4, a.cy + a.h / 4
                c1y, c2y = y1 - 8, y2 + 8
        d = (
            f"M{_num(x1)},{_num(y1)} C{_num(c1x)},{_num(c1y)} "
            f"{_num(c2x)},{_num(c2y)} {_num(x2)},{_num(y2)}"
        )
        text = look.edge_text(rel, weight)
        title = f"{source} → {target}: {text or rel}"
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        if abs(a.column - b.column) > 1 and not problem:  # long edges pass behind a column
            dash_attr += ' stroke-opacity="0.6"'
        marker = "problem" if problem else style if style in EDGE_STYLES else "of"
        out.append(
            f'<path class="edge edge-{_text(style)}" d="{d}" stroke="{colour}" '
            f'stroke-width="{_num(stroke_width)}"{dash_attr} stroke-linecap="round" '
            f'marker-end="url(#{prefix}-arrow-{marker})"><title>{_text(title)}</title></path>'
        )
        if rel == "effects" and not compact:
            mx = (x1 + 3 * c1x + 3 * c2x + x2) / 8
            my = (y1 + 3 * c1y + 3 * c2y + y2) / 8
            labels.append(
                f'<text x="{_num(mx)}" y="{_num(my + 3)}" text-anchor="middle" font-size="9.5" '
                f'fill="{colour}" stroke="#ffffff" stroke-width="3" paint-order="stroke" '
                f'font-weight="600">{_text(text)}</text>'
            )
    if labels:
        out.append('<g class="edge-labels">')
        out.extend(labels)
        out.append("</g>")
    return out


def render_svg(graph: Elements, problems: Problems = NO_PROBLEMS) -> Iterator[str]:
    """``graph --format svg``: the drawing as a standalone SVG file (no Graphviz needed), in
    pieces as it is drawn."""
    yield '<?xml version="1.0" encoding="UTF-8"?>\n'
    yield from svg_chunks(graph, problems=problems)
    yield "\n"
