"""``--format markdown``: a compact table for a pull-request comment."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import invoke

from .helpers import HEALTHCARE, TODAY, Check

HEADER = "| Severity | Code | Location | Message |"


def _rows(text: str) -> list[str]:
    lines = text.splitlines()
    start = lines.index(HEADER)
    rows = []
    for line in lines[start + 2 :]:
        if not line.startswith("| "):
            break
        rows.append(line)
    return rows


def test_one_row_per_finding(check: Check) -> None:
    text = check(HEALTHCARE, fmt="markdown").stdout
    findings = check(HEALTHCARE, fmt="json").findings()
    assert text.startswith("### align-audit: 12 findings (5 errors, 5 warnings, 2 info)\n"), (
        text.splitlines()[0]
    )
    assert HEADER + "\n|---|---|---|---|\n" in text
    rows = _rows(text)
    assert len(rows) == len(findings)
    for row, finding in zip(rows, findings, strict=True):
        assert row.startswith(
            f"| {finding['severity']} | {finding['code']} | {finding['path']}:{finding['line']} | "
        )
        assert row.endswith(" |")
    assert "<details>" in text and text.endswith("</details>\n")


def test_no_findings(check: Check) -> None:
    run = check("examples/clean.yaml", fmt="markdown")
    assert run.exit_code == 0
    assert run.stdout.startswith("### align-audit: no findings\n")
    assert HEADER not in run.stdout
    assert run.stdout.endswith("\n")


def test_pipes_and_html_in_cells_are_escaped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "org.yaml").write_text(
        'metrics:\n  - id: m\n    direction: increase\n    "a|b<i>": 1\n', encoding="utf-8"
    )
    stdin = "metrics: [{id: n, direction: increase}]\n"
    run = invoke("check", "org.yaml", "-", "--format", "markdown", "--today", TODAY, input=stdin)
    rows = _rows(run.stdout)
    (row,) = [r for r in rows if "AA002" in r]
    assert "a\\|b&lt;i&gt;" in row
    (row,) = [r for r in rows if "AA101" in r and "stdin" in r]
    assert "| &lt;stdin&gt;:1 |" in row
    assert row.count(" | ") == 3  # the escaped pipe does not split the row into more cells
    assert all(r.count("|") - r.count("\\|") == 5 for r in rows)
    assert "<i>" not in run.stdout


def test_many_findings_stay_within_a_comment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    metrics = "".join(
        f"  - id: metric_{i:04d}_{'x' * 40}\n    direction: increase\n" for i in range(800)
    )
    (tmp_path / "org.yaml").write_text("metrics:\n" + metrics, encoding="utf-8")
    run = invoke("check", "org.yaml", "--format", "markdown", "--today", TODAY)
    assert run.stdout.startswith("### align-audit: 800 findings (800 errors, 0 warnings, 0 info)")
    assert len(run.stdout) < 65_536
    rows = _rows(run.stdout)
    assert 0 < len(rows) < 800
    assert f"{800 - len(rows)} more findings not shown" in run.stdout
