"""SPEC §6.1: workshop outputs of an organization with input errors say so, in every format."""

from __future__ import annotations

import json
import shutil
import subprocess
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import networkx as nx
import pytest

from conftest import invoke

BROKEN = (
    "customers:\n"
    "  - {id: patient, role: end_user, bogus: 1}\n"
    "metrics:\n"
    "  - {id: wait, direction: up, serves: patient}\n"
    "  - {id: csat, direction: increase, serves: patient}\n"
)
TAB = "customers:\n  - id: patient\n\trole: end_user\n"
BANNER = {
    "text": "! The picture is incomplete: 2 input errors",
    "markdown": "**The picture is incomplete: 2 input errors.**",
    "html": "The picture is incomplete: 2 input errors.",
}

COMMANDS = [
    ("report", "text"),
    ("report", "markdown"),
    ("report", "html"),
    ("impact", "text"),
    ("impact", "markdown"),
    ("impact", "html"),
    ("impact", "json"),
    ("graph", "mermaid"),
    ("graph", "dot"),
    ("graph", "graphml"),
    ("graph", "json"),
]


@pytest.mark.parametrize(("command", "fmt"), COMMANDS)
def test_banner_stderr_and_exit_1(write: Callable[..., Path], command: str, fmt: str) -> None:
    path = write(BROKEN)
    run = invoke(command, str(path), "--format", fmt)
    assert run.exit_code == 1
    errors = [line for line in run.stderr.splitlines() if " AA002 [error] " in line]
    assert len(errors) == 2
    out = run.stdout
    if fmt in BANNER:
        assert BANNER[fmt] in out
    elif fmt == "json":
        assert json.loads(out)["input_errors"] == 2
    else:
        assert "the picture is incomplete: 2 input errors" in out
    if fmt == "graphml":
        ET.fromstring(out.encode("utf-8"))  # still well-formed
    if fmt == "dot" and shutil.which("dot"):
        subprocess.run(["dot", "-Tsvg"], input=out, text=True, capture_output=True, check=True)


@pytest.mark.parametrize(("command", "fmt"), COMMANDS)
def test_clean_input_has_no_banner(write: Callable[..., Path], command: str, fmt: str) -> None:
    path = write(BROKEN.replace(", bogus: 1", "").replace("direction: up", "direction: decrease"))
    run = invoke(command, str(path), "--format", fmt)
    assert run.exit_code == 0, run.stderr
    assert "incomplete" not in run.stdout
    assert "input_errors" not in run.stdout
    assert run.stderr == ""


def test_a_yaml_error_is_not_an_empty_report(write: Callable[..., Path]) -> None:
    path = write(TAB)
    run = invoke("report", str(path))
    assert run.exit_code == 1
    assert "AA001" in run.stderr
    assert run.stdout.startswith("! The picture is incomplete: 1 input error ")


def test_report_keeps_the_valid_parts(write: Callable[..., Path]) -> None:
    path = write(BROKEN)
    run = invoke("report", str(path), "--format", "markdown")
    assert "| patient |" in run.stdout  # the customer with an unknown key is still there
    assert "csat" in run.stdout


def test_html_banner_is_visible_in_the_page(write: Callable[..., Path], tmp_path: Path) -> None:
    path = write(BROKEN)
    out = tmp_path / "report.html"
    run = invoke("report", str(path), "--format", "html", "-o", str(out))
    assert run.exit_code == 1
    page = out.read_text(encoding="utf-8")
    body = page.split("<body>", 1)[1]
    assert body.lstrip().startswith('<div class="incomplete" role="alert"')
    assert "unknown key &#x27;bogus&#x27;" in body


def test_graphml_banner_parses_with_networkx(write: Callable[..., Path], tmp_path: Path) -> None:
    path = write(BROKEN)
    out = tmp_path / "g.graphml"
    assert invoke("graph", str(path), "-f", "graphml", "-o", str(out)).exit_code == 1
    assert "patient" in nx.read_graphml(out).nodes


def test_report_and_impact_take_selection_options(write: Callable[..., Path]) -> None:
    path = write(BROKEN)
    run = invoke("report", str(path), "--select", "AA1", "--ignore", "AA107", "-f", "markdown")
    assert run.exit_code == 1  # input errors are never deselected
    assert "incomplete" in run.stdout
    bad = invoke("impact", str(path), "--select", "no-such-rule")
    assert bad.exit_code == 2
    assert "unknown rule selector" in bad.stderr
