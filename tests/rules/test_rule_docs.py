"""Rule documentation: complete docstrings whose examples really fire and really pass, and the
`rules` / `explain` commands built from them."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from align_audit.rules import REGISTRY, Rule
from conftest import invoke

TODAY = "2026-12-01"
ALIGNMENT_RULES = [rule for rule in REGISTRY if rule.code[2] in "12"]


def _check(path: Path) -> list[dict[str, Any]]:
    run = invoke("check", str(path), "--format", "json", "--today", TODAY, "--fail-on", "never")
    assert run.exit_code == 0, run.stderr
    return run.findings()


def test_registry_covers_the_catalogue() -> None:
    codes = [rule.code for rule in REGISTRY]
    expected = (
        [f"AA00{n}" for n in range(1, 10)]
        + [f"AA1{n:02d}" for n in range(1, 14)]
        + [f"AA20{n}" for n in range(1, 6)]
        + [f"AA30{n}" for n in range(1, 7)]
    )
    assert sorted(codes) == expected
    assert len({rule.name for rule in REGISTRY}) == len(REGISTRY)
    for rule in REGISTRY:
        assert re.fullmatch(r"[a-z]+(-[a-z]+)*", rule.name), rule.name


@pytest.mark.parametrize("rule", REGISTRY, ids=lambda r: r.code)
def test_docstring_is_complete(rule: type[Rule]) -> None:
    doc = rule.doc()
    assert doc.summary.strip(), f"{rule.code}: no summary"
    assert doc.why.strip(), f"{rule.code}: no 'Why:' paragraph"
    assert doc.fires.strip(), f"{rule.code}: no 'Fires:' example"
    assert doc.passes.strip(), f"{rule.code}: no 'Passes:' example"
    assert doc.fires != doc.passes


@pytest.mark.parametrize("rule", ALIGNMENT_RULES, ids=lambda r: r.code)
def test_fires_example_fires(rule: type[Rule], tmp_path: Path) -> None:
    path = tmp_path / "fires.yaml"
    path.write_text(rule.doc().fires, encoding="utf-8")
    findings = _check(path)
    assert rule.code in {f["code"] for f in findings}, findings
    # The example is a valid declaration: the alignment rule fires, not an input error.
    assert not [f for f in findings if f["code"].startswith("AA0")], findings


@pytest.mark.parametrize("rule", ALIGNMENT_RULES, ids=lambda r: r.code)
def test_passes_example_passes(rule: type[Rule], tmp_path: Path) -> None:
    path = tmp_path / "passes.yaml"
    path.write_text(rule.doc().passes, encoding="utf-8")
    findings = _check(path)
    assert rule.code not in {f["code"] for f in findings}, findings
    assert not [f for f in findings if f["code"].startswith("AA0")], findings


def test_rules_lists_every_code_and_name() -> None:
    run = invoke("rules")
    assert run.exit_code == 0
    rows = run.stdout.splitlines()
    for rule in REGISTRY:
        row = next((r for r in rows if r.startswith(rule.code)), None)
        assert row is not None, f"{rule.code} missing from `align-audit rules`"
        assert rule.name in row
        assert rule.severity.label in row


def test_rules_json() -> None:
    run = invoke("rules", "--format", "json")
    assert run.exit_code == 0
    data = run.json()
    assert data["version"] == 1
    assert [r["code"] for r in data["rules"]] == [rule.code for rule in REGISTRY]
    by_code = {r["code"]: r for r in data["rules"]}
    for rule in REGISTRY:
        row = by_code[rule.code]
        assert row["name"] == rule.name
        assert row["severity"] == rule.severity.label
        assert row["summary"] == " ".join(rule.doc().summary.split())
        assert row["needs_data"] is rule.code.startswith("AA3")
    assert by_code["AA105"]["severity"] == "error"
    assert "warning" in by_code["AA105"]["severity_note"]
    assert "regulator" in by_code["AA107"]["severity_note"]


def test_rules_rejects_unknown_format() -> None:
    assert invoke("rules", "--format", "xml").exit_code == 2


def _indented(example: str) -> str:
    return "".join("    " + line + "\n" if line else "\n" for line in example.splitlines())


@pytest.mark.parametrize("selector", ["AA105", "unguarded-harm", "aa105"])
def test_explain(selector: str) -> None:
    run = invoke("explain", selector)
    assert run.exit_code == 0, run.stderr
    rule = next(r for r in REGISTRY if r.code == "AA105")
    doc = rule.doc()
    assert run.stdout.startswith("AA105 unguarded-harm")
    assert doc.why in run.stdout
    assert _indented(doc.fires) in run.stdout
    assert _indented(doc.passes) in run.stdout
    assert run.stdout.index("Fires") < run.stdout.index("Passes")


@pytest.mark.parametrize("rule", REGISTRY, ids=lambda r: r.code)
def test_explain_every_rule(rule: type[Rule]) -> None:
    by_code = invoke("explain", rule.code)
    by_name = invoke("explain", rule.name)
    assert by_code.exit_code == by_name.exit_code == 0
    assert by_code.stdout == by_name.stdout
    assert rule.doc().why in by_code.stdout


@pytest.mark.parametrize("selector", ["AA999", "no-such-rule"])
def test_explain_unknown_rule_exits_2(selector: str) -> None:
    run = invoke("explain", selector)
    assert run.exit_code == 2
    assert selector in run.stderr
    assert run.stdout == ""
