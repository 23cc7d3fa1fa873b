"""Baselines (SPEC §3.3): adopt the gate on a repository that already has findings."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import EXAMPLES, Run

TODAY = ("--today", "2026-12-01")


@pytest.fixture
def org(tmp_path: Path) -> Path:
    path = tmp_path / "org.yaml"
    path.write_text((EXAMPLES / "healthcare.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    return path


def test_round_trip_reports_only_new_findings(
    org: Path, tmp_path: Path, cli: Callable[..., Run]
) -> None:
    baseline = tmp_path / "baseline.json"
    before = cli("check", str(org), "--format", "json", *TODAY)
    assert before.exit_code == 1
    written = cli("check", str(org), "--write-baseline", str(baseline), *TODAY)
    assert written.exit_code == 0, "after adopting the baseline nothing new is reported"
    assert "wrote 12 findings" in written.stderr

    document = json.loads(baseline.read_text(encoding="utf-8"))
    assert document["version"] == 1
    assert list(document["findings"]) == sorted(document["findings"])
    assert {e["code"] for e in document["findings"].values()} >= {"AA101", "AA105"}

    # Shift every line down and add one new problem: only the new one is reported.
    text = org.read_text(encoding="utf-8")
    shifted = "# moved by a reformat\n# and another line\n" + text.replace(
        "metrics:\n", "metrics:\n  - {id: brand_new_vanity_metric, direction: increase}\n", 1
    )
    org.write_text(shifted, encoding="utf-8")
    after = cli("check", str(org), "--baseline", str(baseline), "--format", "json", *TODAY)
    assert after.exit_code == 1
    findings = after.findings()
    assert [(f["code"], f["entity"]) for f in findings] == [("AA101", "brand_new_vanity_metric")]
    summary = after.json()["summary"]
    assert summary["baselined"] == 12
    assert summary["baseline_gone"] == 0


def test_fixed_findings_are_counted_as_gone(
    org: Path, tmp_path: Path, cli: Callable[..., Run]
) -> None:
    baseline = tmp_path / "baseline.json"
    cli("check", str(org), "--write-baseline", str(baseline), *TODAY)
    # Fix the vanity metric: its AA101 no longer occurs.
    text = org.read_text(encoding="utf-8").replace(
        "  - id: portal_page_views\n", "  - id: portal_page_views\n    serves: patient\n", 1
    )
    org.write_text(text, encoding="utf-8")
    run = cli("check", str(org), "--baseline", str(baseline), *TODAY)
    assert run.exit_code == 0
    assert "1 baseline entry no longer occur" in run.stdout


def test_baseline_from_config_file(org: Path, tmp_path: Path, cli: Callable[..., Run]) -> None:
    baseline = tmp_path / "accepted.json"
    cli("check", str(org), "--write-baseline", str(baseline), *TODAY)
    config = tmp_path / "align-audit.toml"
    config.write_text('baseline = "accepted.json"\n', encoding="utf-8")
    run = cli("check", str(org), "--config", str(config), *TODAY)
    assert run.exit_code == 0


@pytest.mark.parametrize(
    "content",
    [
        "not json",
        "[]",
        '{"version": 2, "findings": {}}',
        '{"version": 1, "findings": []}',
        '{"version": 1, "findings": {"x": 3}}',
    ],
)
def test_corrupt_baseline_is_exit_2(
    org: Path, tmp_path: Path, cli: Callable[..., Run], content: str
) -> None:
    baseline = tmp_path / "baseline.json"
    baseline.write_text(content, encoding="utf-8")
    run = cli("check", str(org), "--baseline", str(baseline))
    assert run.exit_code == 2
    assert run.stderr.startswith("align-audit: error: baseline")
    assert run.stderr.count("\n") == 1 and "Traceback" not in run.stderr


def test_missing_baseline_is_exit_2(org: Path, tmp_path: Path, cli: Callable[..., Run]) -> None:
    run = cli("check", str(org), "--baseline", str(tmp_path / "nope.json"))
    assert run.exit_code == 2
    assert "baseline file not found" in run.stderr


def test_statistics_counts_per_rule(org: Path, cli: Callable[..., Run]) -> None:
    run = cli("check", str(org), "--statistics", *TODAY)
    lines = run.stdout.splitlines()
    assert lines[0].split() == ["3", "AA105", "unguarded-harm"]
    counts = [int(line.split()[0]) for line in lines[:-1]]
    assert counts == sorted(counts, reverse=True)
    assert sum(counts) == 12
    assert lines[-1].startswith("Found 12 findings")


def test_statistics_with_json_goes_to_stderr(org: Path, cli: Callable[..., Run]) -> None:
    run = cli("check", str(org), "--statistics", "--format", "json", *TODAY)
    assert len(run.findings()) == 12
    assert "AA105  unguarded-harm" in run.stderr


def test_save_writes_extra_outputs(org: Path, tmp_path: Path, cli: Callable[..., Run]) -> None:
    saved = tmp_path / "out" / "result.json"
    saved.parent.mkdir()
    run = cli("check", str(org), "--save", f"json={saved}", *TODAY)
    assert run.exit_code == 1
    assert run.stdout.rstrip().endswith("(1 waived).")
    as_json = cli("check", str(org), "--format", "json", *TODAY).stdout
    assert saved.read_text(encoding="utf-8") == as_json


@pytest.mark.parametrize("value", ["json", "json=", "nope=out.txt", "=x"])
def test_bad_save_is_exit_2(org: Path, cli: Callable[..., Run], value: str) -> None:
    run = cli("check", str(org), "--save", value)
    assert run.exit_code == 2
    assert run.stderr.startswith("align-audit: error: --save")
