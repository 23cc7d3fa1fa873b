"""The inline SVG drawing of the alignment graph (embedded by the HTML report)."""

from __future__ import annotations

import functools
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from align_audit.graph import Elements
from align_audit.workshop.graph import svg as drawing
from align_audit.workshop.graph.svg import COMPACT_ABOVE, wrap
from conftest import EXAMPLES

EXAMPLE_TARGETS = [*sorted(EXAMPLES.glob("*.yaml")), EXAMPLES / "config-repo"]
IDS = [p.stem for p in EXAMPLE_TARGETS]
NS = "{http://www.w3.org/2000/svg}"
XMLNS = 'xmlns="http://www.w3.org/2000/svg"'
GREEN, RED = "#2e7d32", "#c62828"
COLUMN = {"system": 0, "objective": 0, "metric": 1, "outcome": 2, "customer": 3}


def graph_svg(graph: nx.MultiDiGraph, **options: Any) -> str:
    """The drawing of a networkx graph (the engine's, or one built here)."""
    elements = Elements(graph.nodes(data=True), graph.edges(keys=True, data=True))
    return drawing.graph_svg(elements, **options)


@functools.cache
def example_graph(target: Path) -> nx.MultiDiGraph:
    from align_audit.engine import audit

    return audit([str(target)]).graph


def node_groups(root: ET.Element) -> dict[str, ET.Element]:
    groups = {g.get("data-id"): g for g in root.iter(f"{NS}g") if g.get("data-id") is not None}
    return {str(k): v for k, v in groups.items()}


def label_text(group: ET.Element) -> str:
    text = next(t for t in group.iter(f"{NS}text") if t.get("class") == "label")
    return " ".join(span.text or "" for span in text.iter(f"{NS}tspan"))


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def assert_self_contained(svg: str) -> None:
    assert svg.count("http://") + svg.count("https://") == 1
    assert svg.count(XMLNS) == 1
    lowered = svg.lower()
    for banned in ("<script", "<style", "href", "@import", "<foreignobject", "<image"):
        assert banned not in lowered, banned
    for element in ET.fromstring(svg).iter():
        assert not [a for a in element.attrib if a.lower().startswith("on")], element.attrib
    assert set(re.findall(r"url\(([^)]*)\)", svg)) <= {
        f"#{m}" for m in re.findall(r'<marker id="([^"]+)"', svg)
    }


@pytest.mark.parametrize("target", EXAMPLE_TARGETS, ids=IDS)
def test_examples_draw_as_self_contained_svg(target: Path) -> None:
    graph = example_graph(target)
    svg = graph_svg(graph)
    root = ET.fromstring(svg)
    assert root.tag == f"{NS}svg"
    assert list(root.iter(f"{NS}marker"))
    assert_self_contained(svg)
    groups = node_groups(root)
    assert set(groups) == set(graph.nodes)
    for node, group in groups.items():
        label = graph.nodes[node]["label"]
        assert squash(label_text(group)) == squash(label), node  # wrapped, never cut here
        assert group.findtext(f"{NS}title", "").startswith(label)
    edges = [p for p in root.iter(f"{NS}path") if "edge" in (p.get("class") or "").split()]
    assert len(edges) == graph.number_of_edges()
    assert svg == graph_svg(graph)  # deterministic


@pytest.mark.parametrize("target", EXAMPLE_TARGETS, ids=IDS)
def test_layers_left_to_right_and_declaration_order_outside(target: Path) -> None:
    graph = example_graph(target)
    root = ET.fromstring(graph_svg(graph))
    boxes: dict[str, ET.Element] = {}
    for node, group in node_groups(root).items():
        rect = group.find(f"{NS}rect")
        assert rect is not None
        boxes[node] = rect
    xs: dict[int, set[float]] = {}
    for node, rect in boxes.items():
        xs.setdefault(COLUMN[graph.nodes[node]["kind"]], set()).add(float(rect.get("x", "0")))
    assert all(len(v) == 1 for v in xs.values())
    lefts = [xs[c].pop() for c in sorted(xs)]
    assert lefts == sorted(lefts) and len(set(lefts)) == len(lefts)
    for kinds in (("system", "objective"), ("customer",)):
        column = [n for n in graph.nodes if graph.nodes[n]["kind"] in kinds]
        by_order = sorted(column, key=lambda n: graph.nodes[n]["order"])
        ys = [float(boxes[n].get("y", "0")) for n in by_order]
        assert ys == sorted(ys)


def test_helps_and_hurts_are_drawn_differently() -> None:
    graph = example_graph(EXAMPLES / "healthcare.yaml")
    root = ET.fromstring(graph_svg(graph))
    paths = list(root.iter(f"{NS}path"))
    helps = [p for p in paths if "edge-helps" in (p.get("class") or "")]
    hurts = [p for p in paths if "edge-hurts" in (p.get("class") or "")]
    weights = [d["weight"] for _, _, k, d in graph.edges(keys=True, data=True) if k == "effects"]
    assert len(helps) == sum(w > 0 for w in weights) > 0
    assert len(hurts) == sum(w < 0 for w in weights) > 0
    for path in helps:
        assert path.get("stroke") == GREEN and path.get("stroke-dasharray") is None
    for path in hurts:
        assert path.get("stroke") == RED and path.get("stroke-dasharray")
    styles = {
        cls: {
            (p.get("stroke"), p.get("stroke-dasharray")) for p in paths if cls in p.get("class", "")
        }
        for cls in ("edge-serves", "edge-guards", "edge-optimizes", "edge-stakeholder")
    }
    assert all(len(s) == 1 for s in styles.values())
    assert len({next(iter(s)) for s in styles.values()}) == 4  # four distinct looks
    markers = {m.get("id") for m in root.iter(f"{NS}marker")}
    for path in paths:
        end = path.get("marker-end")
        if end:
            assert end[len("url(#") : -1] in markers


def synthetic(
    n_customers: int, per_customer: int, n_metrics: int, n_systems: int
) -> nx.MultiDiGraph:
    """A deterministic organization of a given size, built directly as a graph."""
    graph = nx.MultiDiGraph()
    order = 0

    def add(node: str, **attrs: object) -> None:
        nonlocal order
        graph.add_node(node, **{"order": order, "label": node, **attrs})
        order += 1

    outcomes = []
    for c in range(n_customers):
        add(f"c{c}", kind="customer", role="end_user")
        for o in range(per_customer):
            add(f"c{c}.o{o}", kind="outcome")
            graph.add_edge(f"c{c}.o{o}", f"c{c}", key="of", rel="of", weight=100)
            outcomes.append(f"c{c}.o{o}")
    for m in range(n_metrics):
        add(f"metric_{m}", kind="metric", direction="increase", label=f"Metric number {m}")
        graph.add_edge(
            f"metric_{m}", outcomes[(m * 7) % len(outcomes)], key="serves", rel="serves", weight=100
        )
        if m:
            weight = -25 if m % 3 == 0 else 25
            graph.add_edge(
                f"metric_{m}", f"metric_{(m * 5) % m}", key="effects", rel="effects", weight=weight
            )
    for s in range(n_systems):
        add(f"s{s}", kind="system")
        for j in range(2):
            objective = f"s{s}.obj{j}"
            add(objective, kind="objective")
            graph.add_edge(f"s{s}", objective, key="has", rel="has", weight=None)
            graph.add_edge(
                objective,
                f"metric_{(s * 3 + j) % n_metrics}",
                key="optimizes",
                rel="optimizes",
                weight=None,
            )
            graph.add_edge(
                objective, f"c{s % n_customers}", key="stakeholder", rel="stakeholder", weight=None
            )
            graph.add_edge(
                objective,
                f"metric_{(s * 3 + j + 1) % n_metrics}",
                key="guards",
                rel="guards",
                weight=None,
            )
    return graph


def test_eighty_nodes_stay_readable() -> None:
    graph = synthetic(8, 3, 24, 8)  # 8 + 24 + 24 + 8 + 16 = 80 nodes
    assert graph.number_of_nodes() == 80
    svg = graph_svg(graph)
    root = ET.fromstring(svg)
    assert set(node_groups(root)) == set(graph.nodes)
    assert len([t for t in root.iter(f"{NS}text") if t.get("class") == "id"]) == 80
    height = float(root.get("height", "0"))
    assert 24 * 40 < height < 24 * 120  # grows with the largest column (24 metrics)
    font_sizes = {
        float(t.get("font-size", "0")) for t in root.iter(f"{NS}text") if t.get("class") == "label"
    }
    assert font_sizes == {12.0}


def test_large_graphs_are_compact_and_never_fail() -> None:
    graph = synthetic(40, 4, 200, 60)
    assert graph.number_of_nodes() > COMPACT_ABOVE
    svg = graph_svg(graph)
    root = ET.fromstring(svg)
    assert set(node_groups(root)) == set(graph.nodes)
    assert not [t for t in root.iter(f"{NS}text") if t.get("class") == "id"]
    assert_self_contained(svg)
    assert svg == graph_svg(graph)


def test_hostile_text_is_escaped() -> None:
    graph = nx.MultiDiGraph()
    label = "<script>alert(\"x\")</script> & 'quotes' \x01 https://evil.example ]]> é 日本"
    graph.add_node("patient", kind="customer", order=0, label=label, role="end_user")
    graph.add_node("csat", kind="metric", order=1, label="a" * 300, direction="increase")
    graph.add_edge("csat", "patient", key="serves", rel="serves", weight=100)
    svg = graph_svg(graph)
    root = ET.fromstring(svg)  # well-formed despite the control character
    assert "<script" not in svg
    groups = node_groups(root)
    title = groups["patient"].findtext(f"{NS}title", "")
    assert title.startswith("<script>alert(\"x\")</script> & 'quotes' \\x01 https://evil")
    assert label_text(groups["csat"]).endswith("…")  # cut after three lines


def test_odd_graphs_never_fail() -> None:
    empty = graph_svg(nx.MultiDiGraph())
    assert "No valid declarations" in empty
    ET.fromstring(empty)
    graph = nx.MultiDiGraph()
    graph.add_node("bare")  # no kind, order or label
    graph.add_node("m", kind="metric", order=1)
    graph.add_edge("m", "m", key="effects", rel="effects", weight=-40)  # self-loop
    graph.add_edge("m", "bare", key="weird", rel="weird", weight=1.5)  # unknown relation
    graph.add_edge("m", "bare", key="effects", rel="effects", weight=None)
    for width in (10, 640, 3000):
        svg = graph_svg(graph, width=width, id_prefix="9 odd prefix!")
        root = ET.fromstring(svg)
        assert set(node_groups(root)) == {"bare", "m"}
        assert_self_contained(svg)


def test_marker_ids_take_the_prefix() -> None:
    graph = example_graph(EXAMPLES / "clean.yaml")
    svg = graph_svg(graph, id_prefix="second")
    root = ET.fromstring(svg)
    assert {m.get("id", "").split("-arrow-")[0] for m in root.iter(f"{NS}marker")} == {"second"}


@pytest.mark.parametrize(
    ("text", "lines"),
    [
        ("triage_assistant.shorten_waits", ["triage_assistant.", "shorten_waits"]),
        ("Short label", ["Short label"]),
        ("", [""]),
        ("x" * 60, ["x" * 27, "x" * 27, "x" * 6]),
    ],
)
def test_wrap(text: str, lines: list[str]) -> None:
    assert wrap(text, 27, 3) == lines


def test_graph_format_svg_is_a_standalone_document(tmp_path: Path) -> None:
    """``graph --format svg``: the own renderer, no Graphviz; a well-formed SVG file."""
    from conftest import EXAMPLES, invoke

    out = tmp_path / "g.svg"
    run = invoke("graph", str(EXAMPLES / "healthcare.yaml"), "--format", "svg", "-o", str(out))
    assert run.exit_code == 0, run.stderr
    text = out.read_text(encoding="utf-8")
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<svg ')
    root = ET.fromstring(text.encode("utf-8"))
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert len(node_groups(root)) == 32


def _problem_nodes(root: ET.Element) -> set[str]:
    return {
        str(g.get("data-id"))
        for g in root.iter(f"{NS}g")
        if g.get("data-id") and any(r.get("stroke") == "#d50000" for r in g.iter(f"{NS}rect"))
    }


def test_problems_are_drawn_in_the_warning_colour() -> None:
    """AA101 unserved metric, AA104 false claim, AA105 harmed customers and harm paths."""
    from conftest import EXAMPLES, invoke

    svg = invoke("graph", str(EXAMPLES / "healthcare.yaml"), "--format", "svg").stdout
    root = ET.fromstring(svg.encode("utf-8"))
    assert _problem_nodes(root) == {
        "portal_page_views",  # AA101
        "claims_optimizer.lower_episode_cost",  # AA104
        "patient",  # AA105 (and the two below)
        "physician",
        "health_authority",
    }
    red = [p for p in root.iter(f"{NS}path") if p.get("stroke") == "#d50000"]
    titles = {str(p.findtext(f"{NS}title")) for p in red}
    assert "length_of_stay → readmission_rate_30d: hurts" in titles  # on a harm path
    assert "problem: AA101 unserved metric" in svg  # the legend says what the colour means


def test_a_clean_organization_has_no_warning_colour() -> None:
    from conftest import EXAMPLES, invoke

    for fmt in ("svg", "dot"):
        out = invoke("graph", str(EXAMPLES / "clean.yaml"), "--format", fmt).stdout
        assert "#d50000" not in out
        assert "problem:" not in out


def test_a_large_organization_as_svg_shows_systems_and_customers(tmp_path: Path) -> None:
    from conftest import invoke

    metrics = "".join(f"  - {{id: m{j:03d}, direction: increase, serves: c}}\n" for j in range(170))
    objective = "{id: o, optimizes: m000, serves: c, guardrails: [m001]}"
    org = tmp_path / "org.yaml"
    org.write_text(
        "customers: [{id: c, role: buyer}]\n"
        f"metrics:\n{metrics}"
        f"systems: [{{id: s, objectives: [{objective}]}}]\n",
        encoding="utf-8",
    )
    svg = invoke("graph", str(org), "--format", "svg").stdout
    assert sorted(node_groups(ET.fromstring(svg.encode("utf-8")))) == ["c", "s"]
    focused = invoke("graph", str(org), "--format", "svg", "--focus", "s.o", "--depth", "1").stdout
    nodes = sorted(node_groups(ET.fromstring(focused.encode("utf-8"))))
    assert nodes == ["c", "m000", "m001", "s", "s.o"]  # --focus opens one part in full
