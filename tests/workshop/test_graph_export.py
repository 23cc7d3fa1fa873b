"""`align-audit graph`: mermaid, dot, graphml and json, run through the real CLI on the examples.

DOT is rendered by Graphviz when ``dot`` is installed (CI installs it). Mermaid is checked
structurally; set ``ALIGN_AUDIT_MERMAID_DIR`` to a folder whose ``node_modules`` holds the
``mermaid`` and ``jsdom`` npm packages to have mermaid's own parser check it as well.
"""

from __future__ import annotations

import functools
import io
import json
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from conftest import EXAMPLES, ROOT, invoke

EXAMPLE_TARGETS = [*sorted(EXAMPLES.glob("*.yaml")), EXAMPLES / "config-repo"]
IDS = [p.stem for p in EXAMPLE_TARGETS]
SVG = "{http://www.w3.org/2000/svg}"
DOT = shutil.which("dot")
needs_dot = pytest.mark.skipif(DOT is None, reason="Graphviz `dot` is not installed")

GREEN, RED = "#2e7d32", "#c62828"
_NODE = re.compile(r'^    (n\d+)(?:\(\["|\("|\[\["|\["|\{\{")(.*)(?:"\]\)|"\)|"\]\]|"\]|"\}\})$')
_EDGE = re.compile(r'^  (n\d+) (-->|-\.->|==>)(?:\|"([^"]*)"\|)? (n\d+)$')
EDGE_ARROWS = {"optimizes": {"==>"}, "guards": {"-.->"}, "serves": {"-->"}, "claims": {"-->"}}
_LINKSTYLE = re.compile(r"^  linkStyle ([\d,]+) (.*)$")


@functools.cache
def full_graph(target: Path) -> nx.MultiDiGraph:
    """The alignment graph the engine builds, to compare the exports against."""
    from align_audit.engine import audit

    return audit([str(target)]).graph


def graph_text(target: Path | str, fmt: str, *extra: str, input_errors: int = 0) -> str:
    run = invoke("graph", str(target), "--format", fmt, *extra)
    assert run.exit_code == (1 if input_errors else 0), run.stderr
    assert len([line for line in run.stderr.splitlines() if " AA0" in line]) == input_errors
    return run.stdout


def json_graph(text: str) -> nx.MultiDiGraph:
    data = json.loads(text)
    return nx.node_link_graph(data, edges="edges")


def neighbourhood(graph: nx.MultiDiGraph, start: str, depth: int) -> set[str]:
    """Breadth-first over edges in both directions, up to ``depth`` hops."""
    seen = {start}
    frontier = {start}
    for _ in range(depth):
        frontier = {
            n for f in frontier for n in (*graph.successors(f), *graph.predecessors(f))
        } - seen
        seen |= frontier
    return seen


def as_networkx(elements: Any) -> nx.MultiDiGraph:
    graph = nx.MultiDiGraph()
    graph.add_nodes_from(elements.nodes.items())
    graph.add_edges_from(elements.edges())
    return graph


def same_graph(one: nx.MultiDiGraph, other: nx.MultiDiGraph) -> bool:
    return bool(
        list(one.nodes(data=True)) == list(other.nodes(data=True))
        and sorted(one.edges(keys=True, data=True), key=repr)
        == sorted(other.edges(keys=True, data=True), key=repr)
    )


@pytest.mark.parametrize("target", EXAMPLE_TARGETS, ids=IDS)
def test_the_outputs_read_the_graph_the_api_returns(target: Path) -> None:
    """The diagrams and exports read the graph's nodes and edges without networkx
    (``Analysis.elements``): the same nodes, edges, keys and attributes as SPEC §2's
    MultiDiGraph."""
    from align_audit.engine import audit

    result = audit([str(target)])
    assert same_graph(as_networkx(result.analysis.elements), result.graph)


@pytest.mark.parametrize("target", EXAMPLE_TARGETS, ids=IDS)
def test_node_count_and_attributes_are_the_graphs(target: Path) -> None:
    """The report sizes and draws a large organization's collapsed diagram without making its
    graph: the count and the attributes it reads are the graph's."""
    from align_audit.engine import audit
    from align_audit.graph import node_attributes, node_count

    result = audit([str(target)])
    catalog, nodes = result.analysis.catalog, result.analysis.elements.nodes
    assert node_count(catalog) == len(nodes) == result.graph.number_of_nodes()
    wanted = {*catalog.systems, *catalog.customers}
    assert node_attributes(catalog, wanted) == {n: a for n, a in nodes.items() if n in wanted}


@pytest.mark.parametrize("fmt", ["json", "graphml", "dot", "svg"])
def test_only_the_diagrams_ask_for_the_problems(fmt: str) -> None:
    """Problems are found when a renderer first asks: the data formats never do (a large
    organization's are costly to find), the diagrams draw them."""
    from align_audit.engine import audit
    from align_audit.formats import load
    from align_audit.workshop.graph.view import Problems, problems_of

    result = audit([str(EXAMPLES / "healthcare.yaml")])
    asked: list[bool] = []
    found = problems_of(result.analysis)

    def find() -> tuple[dict[str, str], frozenset[tuple[str, str]]]:
        asked.append(True)
        return found.nodes, found.edges

    text = load("graph", fmt)(result.analysis.elements, Problems(find=find))
    "".join(text)
    assert bool(asked) == (fmt in ("dot", "svg"))
    assert found.nodes  # healthcare has problems to draw


def test_elements_merge_what_networkx_merges() -> None:
    from align_audit.graph import Elements

    nodes = [("a", {"order": 1, "kind": "metric"}), ("b", {"order": 0}), ("a", {"order": 2})]
    edges = [
        ("a", "b", "effects", {"rel": "effects", "weight": 10}),
        ("a", "b", "effects", {"weight": -5, "location": None}),
        ("a", "b", "serves", {"rel": "serves"}),
        ("b", "c", "of", {"rel": "of"}),  # an end that is no node
    ]
    oracle = nx.MultiDiGraph()
    oracle.add_nodes_from([(n, dict(a)) for n, a in nodes])
    oracle.add_edges_from([(*e[:3], dict(e[3])) for e in edges])
    elements = Elements(((n, dict(a)) for n, a in nodes), ((*e[:3], dict(e[3])) for e in edges))
    assert same_graph(as_networkx(elements), oracle)
    assert len(elements) == 3 and "c" in elements and elements.nodes["c"] == {}


def test_repeated_links_are_one_edge_as_in_networkx(write: Any) -> None:
    path = write(
        "customers:\n"
        "  - {id: patient, role: end_user, outcomes: [{id: care}]}\n"
        "metrics:\n"
        "  - {id: csat, direction: increase, serves: [patient.care, patient.care]}\n"
        "  - {id: wait, direction: decrease, effects: {csat: -30, ghost: 10}}\n"
    )
    from align_audit.engine import audit

    result = audit([str(path)])
    elements = result.analysis.elements
    assert same_graph(as_networkx(elements), result.graph)
    assert [e[:3] for e in elements.edges() if e[0] == "csat"] == [
        ("csat", "patient.care", "serves")
    ]
    assert "ghost" not in elements and "wait" in elements


# ------------------------------------------------------------------------------------------
# Graphviz


@needs_dot
@pytest.mark.parametrize("target", EXAMPLE_TARGETS, ids=IDS)
def test_dot_renders_one_svg_node_per_graph_node(target: Path) -> None:
    graph = full_graph(target)
    text = graph_text(target, "dot")
    assert text.startswith("digraph alignment {\n  rankdir=LR;")
    done = subprocess.run(
        [str(DOT), "-Tsvg"], input=text, capture_output=True, text=True, check=False, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert "Warning" not in done.stderr and "Error" not in done.stderr, done.stderr
    root = ET.fromstring(done.stdout)
    groups = list(root.iter(f"{SVG}g"))
    titles = [g.findtext(f"{SVG}title") for g in groups if g.get("class") == "node"]
    assert "align-audit:legend" in titles  # the legend: no declared id can take its name
    titles.remove("align-audit:legend")
    assert sorted(titles) == sorted(graph.nodes)
    edges = [g for g in groups if g.get("class") == "edge"]
    assert len(edges) == graph.number_of_edges()


@pytest.mark.parametrize("target", EXAMPLE_TARGETS, ids=IDS)
def test_dot_helps_and_hurts_edges_look_different(target: Path) -> None:
    graph = full_graph(target)
    text = graph_text(target, "dot")
    for source, target_id, attrs in graph.edges(data=True):
        if attrs["rel"] != "effects":
            continue
        line = next(
            line
            for line in text.splitlines()
            if line.startswith(f'  "{source}" -> "{target_id}" ') and "serves" not in line
        )
        if attrs["weight"] < 0:
            assert f'color="{RED}"' in line and "style=dashed" in line, line
        else:
            assert f'color="{GREEN}"' in line and "style=solid" in line, line
    assert text.count("rank=same;") == 4  # one column per layer, all populated


@needs_dot
def test_dot_escapes_hostile_names(write: Any) -> None:
    name = 'Say "hi" \\ <b>&amp;</b> #1 | `x` {y}'
    path = write(
        "customers:\n"
        "  - id: patient\n"
        "    role: end_user\n"
        f"    name: '{name}'\n"
        "metrics:\n"
        "  - id: csat\n"
        "    direction: increase\n"
        "    serves: patient\n"
    )
    text = graph_text(path, "dot")
    done = subprocess.run(
        [str(DOT), "-Tsvg"], input=text, capture_output=True, text=True, check=True, timeout=60
    )
    root = ET.fromstring(done.stdout)
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert name in texts
    assert "patient" in texts  # the id, on the second line


# ------------------------------------------------------------------------------------------
# GraphML and JSON


def networkx_graphml(graph: nx.MultiDiGraph) -> str:
    """What networkx's own GraphML writer makes of the export's data graph."""
    from align_audit.graph import Elements
    from align_audit.workshop.graph.data import data_graph

    elements = Elements(graph.nodes(data=True), graph.edges(keys=True, data=True))
    buffer = io.BytesIO()
    nx.write_graphml(data_graph(elements, unique_keys=True), buffer, prettyprint=True)
    text = buffer.getvalue().decode("utf-8")
    return text if text.endswith("\n") else text + "\n"


@pytest.mark.parametrize("target", EXAMPLE_TARGETS, ids=IDS)
def test_graphml_is_byte_for_byte_what_networkx_writes(target: Path) -> None:
    """align-audit writes GraphML itself (networkx's writer holds a copy of the graph and an
    XML tree of it); the text is the one networkx writes, whole and around one node."""
    graph = full_graph(target)
    assert graph_text(target, "graphml") == networkx_graphml(graph)
    focus = min(graph.nodes)
    focused = graph_text(target, "graphml", "--focus", focus, "--depth", "1")
    assert focused == networkx_graphml(nx.ego_graph(graph, focus, radius=1, undirected=True))


def test_graphml_escapes_what_networkx_escapes(write: Any) -> None:
    name = 'Say "hi" <b>&amp;</b>\ttab'
    path = write(
        "customers:\n"
        "  - id: patient\n"
        "    role: end_user\n"
        f"    name: {json.dumps(name)}\n"
        "    outcomes: [{id: care, name: 'a > b & c'}]\n"
    )
    from align_audit.engine import audit

    text = graph_text(path, "graphml")
    assert text == networkx_graphml(audit([str(path)]).graph)
    assert nx.read_graphml(io.BytesIO(text.encode())).nodes["patient"]["label"] == name


@pytest.mark.parametrize("target", EXAMPLE_TARGETS, ids=IDS)
def test_graphml_reads_back_with_networkx(target: Path) -> None:
    graph = full_graph(target)
    text = graph_text(target, "graphml")
    assert text.startswith("<?xml")
    back = nx.read_graphml(io.BytesIO(text.encode("utf-8")), force_multigraph=True)
    assert back.is_directed()
    assert back.number_of_nodes() == graph.number_of_nodes()
    assert back.number_of_edges() == graph.number_of_edges()
    assert set(back.nodes) == set(graph.nodes)
    for node, attrs in back.nodes(data=True):
        assert attrs["kind"] == graph.nodes[node]["kind"]
        assert attrs["label"] == graph.nodes[node]["label"]
        assert re.fullmatch(r".+\.ya?ml:\d+:\d+", attrs["location"]), attrs
    rels = sorted((u, v, d["rel"]) for u, v, d in back.edges(data=True))
    assert rels == sorted((u, v, k) for u, v, k in graph.edges(keys=True))
    # GraphML requires unique edge ids
    ids = re.findall(r"<edge [^>]*\bid=\"([^\"]+)\"", text)
    assert len(ids) == len(set(ids)) == graph.number_of_edges()
    # the default reader agrees on the counts too
    plain = nx.read_graphml(io.BytesIO(text.encode("utf-8")))
    assert plain.number_of_edges() == graph.number_of_edges()


@pytest.mark.parametrize("target", EXAMPLE_TARGETS, ids=IDS)
def test_json_is_node_link_data(target: Path) -> None:
    graph = full_graph(target)
    text = graph_text(target, "json")
    data = json.loads(text)
    assert data["directed"] is True and data["multigraph"] is True
    assert len(data["nodes"]) == graph.number_of_nodes()
    assert len(data["edges"]) == graph.number_of_edges()
    assert [n["id"] for n in data["nodes"]] == sorted(
        graph.nodes, key=lambda n: graph.nodes[n]["order"]
    )
    for node in data["nodes"]:
        assert {"id", "kind", "label", "order", "location"} <= node.keys()
        assert None not in node.values()
    for edge in data["edges"]:
        assert edge["key"] == edge["rel"]
        assert None not in edge.values()
    back = json_graph(text)
    assert back.number_of_nodes() == graph.number_of_nodes()
    assert back.number_of_edges() == graph.number_of_edges()
    effects = {
        (u, v): d["weight"] for u, v, k, d in graph.edges(keys=True, data=True) if k == "effects"
    }
    assert {
        (e["source"], e["target"]): e["weight"] for e in data["edges"] if e["rel"] == "effects"
    } == effects
    assert text == json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


# ------------------------------------------------------------------------------------------
# Mermaid


def parse_mermaid(
    text: str,
) -> tuple[dict[str, str], list[tuple[str, str, str, str]], dict[int, str]]:
    """(sanitized id → label, [(source, arrow, label, target)], edge index → linkStyle)."""
    nodes: dict[str, str] = {}
    edges: list[tuple[str, str, str, str]] = []
    styles: dict[int, str] = {}
    for line in text.splitlines():
        if node := _NODE.match(line):
            assert node.group(1) not in nodes, f"{node.group(1)} declared twice"
            nodes[node.group(1)] = node.group(2)
        elif edge := _EDGE.match(line):
            edges.append((edge.group(1), edge.group(2), edge.group(3) or "", edge.group(4)))
        elif style := _LINKSTYLE.match(line):
            for index in style.group(1).split(","):
                assert int(index) not in styles, f"edge {index} styled twice"
                styles[int(index)] = style.group(2)
    return nodes, edges, styles


@pytest.mark.parametrize("target", EXAMPLE_TARGETS, ids=IDS)
def test_mermaid_structure(target: Path) -> None:
    graph = full_graph(target)
    text = graph_text(target, "mermaid")
    assert text.splitlines()[0] == "flowchart LR"
    nodes, edges, styles = parse_mermaid(text)
    assert len(nodes) == graph.number_of_nodes()
    assert len(edges) == graph.number_of_edges()
    # ids n0, n1 … in declaration order; each label carries the real id
    ordered = sorted(graph.nodes, key=lambda n: graph.nodes[n]["order"])
    assert sorted(nodes, key=lambda n: int(n[1:])) == [f"n{i}" for i in range(len(ordered))]
    for index, node in enumerate(ordered):
        assert node in nodes[f"n{index}"]
        assert '"' not in nodes[f"n{index}"]
    for source, _, _, target_id in edges:
        assert source in nodes and target_id in nodes
    assert set(styles) == set(range(len(edges)))
    real = {f"n{i}": node for i, node in enumerate(ordered)}
    helps = hurts = 0
    for index, (source, arrow, label, target_id) in enumerate(edges):
        weights = [
            d["weight"]
            for k, d in graph.get_edge_data(real[source], real[target_id]).items()
            if k == "effects"
        ]
        if label in {"makes", "helps", "hurts", "breaks"} or re.fullmatch(r"[+-]\d+", label):
            assert weights, (source, target_id)
            if weights[0] > 0:
                helps += 1
                assert (
                    arrow == "-->" and GREEN in styles[index] and "dasharray" not in styles[index]
                )
            else:
                hurts += 1
                assert arrow == "-.->" and RED in styles[index] and "dasharray" in styles[index]
    negative = sum(
        1 for _, _, k, d in graph.edges(keys=True, data=True) if k == "effects" and d["weight"] < 0
    )
    positive = sum(
        1 for _, _, k, d in graph.edges(keys=True, data=True) if k == "effects" and d["weight"] > 0
    )
    assert (helps, hurts) == (positive, negative)
    assert positive and (negative or target.name == "clean.yaml")
    arrows = {word: {a for _, a, lab, _ in edges if lab == word} for word in EDGE_ARROWS}
    assert arrows == EDGE_ARROWS


def test_mermaid_escapes_labels(write: Any) -> None:
    path = write(
        "customers:\n  - id: end\n    role: end_user\n    name: 'The \"end\" <users> & #1 | `x`'\n"
    )
    nodes, _, _ = parse_mermaid(graph_text(path, "mermaid"))
    assert nodes == {
        "n0": "The #quot;end#quot; #lt;users#gt; #amp; #35;1 #124; #96;x#96;<br/><small>end</small>"
    }


MERMAID_DIR = os.environ.get("ALIGN_AUDIT_MERMAID_DIR")
_MERMAID_PARSE = """
import { JSDOM } from 'jsdom';
const dom = new JSDOM('<!DOCTYPE html><body></body>');
globalThis.window = dom.window; globalThis.document = dom.window.document;
const { default: mermaid } = await import('mermaid');
const chunks = []; for await (const c of process.stdin) chunks.push(c);
let failed = 0;
for (const text of JSON.parse(Buffer.concat(chunks).toString('utf8'))) {
  try { await mermaid.parse(text); } catch (e) { failed++; console.error(String(e.message ?? e)); }
}
process.exit(failed ? 1 : 0);
"""


@pytest.mark.skipif(
    not MERMAID_DIR
    or not (Path(MERMAID_DIR) / "node_modules" / "mermaid").is_dir()
    or shutil.which("node") is None,
    reason="set ALIGN_AUDIT_MERMAID_DIR to a folder with node_modules/{mermaid,jsdom}",
)
def test_mermaid_parses_with_mermaid(write: Any) -> None:
    hostile = write(
        "customers:\n  - id: end\n    role: end_user\n"
        "    name: 'The \"end\" <users> & #1 | `x` [a] {b} (c)'\n"
    )
    texts = [graph_text(t, "mermaid") for t in [*EXAMPLE_TARGETS, hostile]]
    done = subprocess.run(
        ["node", "--input-type=module", "-e", _MERMAID_PARSE],
        input=json.dumps(texts),
        capture_output=True,
        text=True,
        cwd=MERMAID_DIR,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr


# ------------------------------------------------------------------------------------------
# --focus / --depth


def test_focus_on_a_customer_with_depth_1_gives_its_neighbours() -> None:
    target = EXAMPLES / "healthcare.yaml"
    graph = full_graph(target)
    expected = {"patient", *graph.predecessors("patient"), *graph.successors("patient")}
    back = json_graph(graph_text(target, "json", "--focus", "patient", "--depth", "1"))
    assert set(back.nodes) == expected
    assert back.number_of_edges() == graph.subgraph(expected).number_of_edges()
    nodes, edges, _ = parse_mermaid(
        graph_text(target, "mermaid", "--focus", "patient", "--depth", "1")
    )
    assert len(nodes) == len(expected)
    assert len(edges) == back.number_of_edges()


@pytest.mark.parametrize(
    ("focus", "depth"),
    [("claims_optimizer.lower_episode_cost", 2), ("ed_wait_time", 1), ("insurer", 0)],
)
def test_focus_depth_is_a_neighbourhood_in_either_direction(focus: str, depth: int) -> None:
    target = EXAMPLES / "healthcare.yaml"
    graph = full_graph(target)
    expected = neighbourhood(graph, focus, depth)
    back = nx.read_graphml(
        io.BytesIO(graph_text(target, "graphml", "--focus", focus, "--depth", str(depth)).encode()),
        force_multigraph=True,
    )
    assert set(back.nodes) == expected
    assert back.number_of_edges() == graph.subgraph(expected).number_of_edges()
    if depth == 0:
        assert set(back.nodes) == {focus}


def test_default_depth_is_2() -> None:
    target = EXAMPLES / "hiring.yaml"
    graph = full_graph(target)
    back = json_graph(graph_text(target, "json", "--focus", "candidate"))
    assert set(back.nodes) == neighbourhood(graph, "candidate", 2)


@pytest.mark.parametrize("fmt", ["mermaid", "dot"])
def test_unknown_focus_is_exit_2(fmt: str) -> None:
    run = invoke("graph", str(EXAMPLES / "healthcare.yaml"), "-f", fmt, "--focus", "patiant")
    assert run.exit_code == 2
    assert run.stdout == ""
    assert "--focus" in run.stderr and "'patiant'" in run.stderr
    assert "did you mean patient" in run.stderr
    assert len(run.stderr.strip().splitlines()) == 1
    assert "Traceback" not in run.stderr


def test_unknown_format_is_exit_2() -> None:
    run = invoke("graph", str(EXAMPLES / "clean.yaml"), "--format", "png")
    assert run.exit_code == 2
    assert "mermaid, dot, graphml, json" in run.stderr


def test_formats() -> None:
    from align_audit.workshop.graph import FORMATS

    assert FORMATS == ("mermaid", "dot", "graphml", "json", "svg")


# ------------------------------------------------------------------------------------------
# Output file, determinism, edge cases


@pytest.mark.parametrize("fmt", ["mermaid", "dot", "graphml", "json"])
def test_output_file_has_the_same_text(fmt: str, tmp_path: Path) -> None:
    target = EXAMPLES / "customer-service.yaml"
    out = tmp_path / f"graph.{fmt}"
    run = invoke("graph", str(target), "--format", fmt, "-o", str(out))
    assert run.exit_code == 0, run.stderr
    assert run.stdout == ""
    assert out.read_text(encoding="utf-8") == graph_text(target, fmt)


@pytest.mark.parametrize("fmt", ["mermaid", "dot", "graphml", "json"])
def test_same_bytes_whatever_the_file_order(fmt: str) -> None:
    files = sorted(str(p) for p in (EXAMPLES / "config-repo").rglob("*.yaml"))
    forward = graph_text(files[0], fmt, *files[1:])
    assert graph_text(files[0], fmt, *files[1:]) == forward
    backward = list(reversed(files))
    assert graph_text(backward[0], fmt, *backward[1:]) == forward
    if fmt in ("mermaid", "dot"):  # no file paths in the diagrams
        assert graph_text(EXAMPLES / "config-repo", fmt) == forward


def test_same_bytes_whatever_the_hash_seed() -> None:
    outputs = set()
    for seed in ("0", "12345"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run(
            [
                sys.executable,
                "-c",
                "import sys\n"
                "from align_audit.engine import audit\n"
                "from align_audit.workshop.graph import export_graph\n"
                "from align_audit.workshop.graph.svg import graph_svg\n"
                "r = audit([sys.argv[1]])\n"
                "for f in ('mermaid', 'dot', 'graphml', 'json'):\n"
                "    sys.stdout.writelines(export_graph(r, f, None, 2))\n"
                "sys.stdout.writelines(export_graph(r, 'json', 'borrower', 3))\n"
                "sys.stdout.write(graph_svg(r.analysis.elements))\n",
                "examples/config-repo",
            ],
            capture_output=True,
            text=True,
            env=env,
            cwd=ROOT,
            check=True,
            timeout=60,
        )
        outputs.add(done.stdout)
    assert len(outputs) == 1


def test_empty_organization(write: Any) -> None:
    path = write("version: 1\n")
    assert graph_text(path, "mermaid").startswith("flowchart LR\n")
    assert json.loads(graph_text(path, "json"))["nodes"] == []
    back = nx.read_graphml(io.BytesIO(graph_text(path, "graphml").encode()))
    assert back.number_of_nodes() == 0
    dot_text = graph_text(path, "dot")
    if DOT:
        subprocess.run([DOT, "-Tsvg"], input=dot_text, text=True, capture_output=True, check=True)


def test_declarations_with_errors_are_left_out(write: Any) -> None:
    path = write(
        "customers:\n"
        "  - id: patient\n"
        "    role: end_user\n"
        "metrics:\n"
        "  - id: speed\n"
        "    direction: up\n"  # AA002: not in the graph
        "  - id: csat\n"
        "    direction: increase\n"
        "    serves: patient\n"
    )
    text = graph_text(path, "json", input_errors=1)
    assert json.loads(text)["input_errors"] == 1  # SPEC §6.1: the picture is incomplete
    back = json_graph(text)
    assert set(back.nodes) == {"patient", "csat"}
    run = invoke("graph", str(path), "--focus", "speed")
    assert run.exit_code == 2
    assert "speed" in run.stderr


@pytest.mark.parametrize("fmt", ["json", "graphml", "dot"])
def test_graph_runs_no_rule(monkeypatch: pytest.MonkeyPatch, fmt: str) -> None:
    """The graph shows no rule's finding, so a large organization's graph does not pay for
    the rules; the same broken rule fails `check`, so this test can fail."""
    from align_audit.rules.unserved_metric import UnservedMetric

    def broken(*args: object) -> Any:
        raise AssertionError("a rule ran")

    monkeypatch.setattr(UnservedMetric, "check", broken)
    healthcare = str(EXAMPLES / "healthcare.yaml")
    assert invoke("graph", healthcare, "-f", fmt).exit_code == 0
    assert invoke("check", healthcare).exit_code not in (0, 1)
