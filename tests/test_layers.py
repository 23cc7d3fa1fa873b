"""Imports flow one way (ARCHITECTURE.md): outputs read facts and findings, never rules."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src" / "align_audit"
OUTPUTS = sorted(p for folder in ("workshop", "reporters") for p in (SRC / folder).rglob("*.py"))


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


@pytest.mark.parametrize("path", OUTPUTS, ids=lambda p: str(p.relative_to(SRC)))
def test_outputs_never_import_rules(path: Path) -> None:
    rules = {
        m for m in _imports(path) if m == "align_audit.rules" or m.startswith("align_audit.rules.")
    }
    assert not rules, f"{path.relative_to(SRC)} imports {sorted(rules)}"


def test_outputs_load_without_the_rules() -> None:
    """Importing every output module does not import a rule module as a side effect."""
    import subprocess
    import sys

    modules = ["align_audit." + ".".join(p.relative_to(SRC).with_suffix("").parts) for p in OUTPUTS]
    code = (
        "import sys\n"
        + "".join(f"import {m.removesuffix('.__init__')}\n" for m in modules)
        + "print(sorted(m for m in sys.modules if m.startswith('align_audit.rules')))\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert run.stdout.strip() == "[]", run.stdout


def test_every_format_of_every_command_loads() -> None:
    """One table names every command's formats; each row points at a renderer that exists."""
    from align_audit import formats

    for command, table in formats.TABLES.items():
        for name in table:
            assert callable(formats.load(command, name)), (command, name)
        assert formats.help_text(command) == f"Output format: {'|'.join(table)}."


def test_one_output_never_imports_another() -> None:
    """Report, impact and graph share facts (analysis) and wording, not each other; the one
    exception is the drawing the HTML report embeds (the graph's SVG renderer and its view)."""
    allowed = {"align_audit.workshop.graph.svg", "align_audit.workshop.graph.view"}
    families = {
        "report": "align_audit.workshop.report",
        "impact": "align_audit.workshop.impact",
        "graph": "align_audit.workshop.graph",
    }
    for family in families:
        folder = SRC / "workshop" / family
        paths = list(folder.rglob("*.py")) if folder.is_dir() else [folder.with_suffix(".py")]
        for path in paths:
            for module in _imports(path):
                others = [p for f, p in families.items() if f != family]
                if module in allowed:
                    continue
                assert not any(module.startswith(other) for other in others), (path, module)


def test_a_check_without_data_imports_neither_duckdb_nor_scipy() -> None:
    """Start-up stays lean: the data extra is imported only when data is given."""
    import subprocess
    import sys

    from conftest import EXAMPLES

    code = (
        "import sys\n"
        "from align_audit.engine import audit\n"
        "from align_audit.reporters import get_reporter, ReportOptions\n"
        f"result = audit([{str(EXAMPLES / 'healthcare.yaml')!r}])\n"
        "get_reporter('json').render(result, ReportOptions())\n"
        "print(sorted(m for m in ('duckdb', 'scipy', 'numpy') if m in sys.modules))\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert run.stdout.strip() == "[]"
