"""What is read at a revision besides declaration files: catalogs and observed data (SPEC §9),
oversized files, and ``check --new-from-rev`` in every format."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import FIXTURES

from .repos import CUSTOMERS, METRICS, Repo

TODAY = ("--today", "2026-12-01")


def _manifest(direction: str) -> str:
    metric = {
        "name": "recovery_rate",
        "label": "Recovery rate",
        "type": "simple",
        "config": {"meta": {"direction": direction, "owner": "clinical"}},
    }
    return json.dumps({"metrics": [metric], "semantic_models": []}, indent=1)


CATALOG_ORG = """\
catalogs:
  - {format: dbt, path: target/semantic_manifest.json}
metrics:
  - id: recovery_rate
    serves: patient.recovery
"""


def test_a_catalog_is_read_at_the_revision(repo: Repo) -> None:
    repo.write("customers.yaml", CUSTOMERS)
    repo.write("org.yaml", CATALOG_ORG)
    repo.write("target/semantic_manifest.json", _manifest("increase"))
    repo.commit("catalog")
    repo.write("target/semantic_manifest.json", _manifest("decrease"))
    run = repo.run("diff", "--base", "main", "-f", "json", *TODAY)
    document = json.loads(run.stdout)
    assert [(d["change"], d["id"], d["path"], d["fields"]) for d in document["declarations"]] == [
        (
            "changed",
            "recovery_rate",
            "org.yaml",  # the entry that refines the catalog metric
            [{"field": "direction", "before": "increase", "after": "decrease"}],
        )
    ]
    assert document["base"]["files"] == document["head"]["files"] == 3


def test_a_catalog_missing_at_the_revision_is_a_finding_there(repo: Repo) -> None:
    repo.write("customers.yaml", CUSTOMERS)
    repo.write("org.yaml", CATALOG_ORG)
    repo.commit("named, not committed")
    repo.write("target/semantic_manifest.json", _manifest("increase"))
    document = json.loads(repo.run("diff", "--base", "main", "-f", "json", *TODAY).stdout)
    [aa008] = [f for f in document["resolved"] if f["code"] == "AA008"]
    assert aa008["entity"] == "target/semantic_manifest.json"
    assert aa008["message"] == (
        "cannot read catalog target/semantic_manifest.json at main: no such file"
    )


def test_observed_data_is_read_at_the_revision(repo: Repo) -> None:
    pytest.importorskip("duckdb")
    repo.write("org.yaml", CUSTOMERS + METRICS)
    repo.write("data/metrics.csv", "metric,period,value\nrecovery_rate,1,oops\n")
    repo.commit("bad data")
    repo.write("data/metrics.csv", "metric,period,value\nrecovery_rate,1,0.5\n")
    run = repo.run("diff", "org.yaml", "--base", "main", "--data", "data/metrics.csv", "-f", "json")
    document = json.loads(run.stdout)
    [aa007] = [f for f in document["resolved"] if f["code"] == "AA007"]
    assert aa007["path"] == "data/metrics.csv" and aa007["line"] == 2
    assert aa007["message"].startswith("value 'oops' of recovery_rate is not a finite number")
    assert not [f for f in document["introduced"] if f["code"] == "AA007"]


def test_a_file_too_large_at_the_revision_is_refused_with_a_finding(repo: Repo) -> None:
    repo.write("org.yaml", CUSTOMERS + "# " + "x" * 5000 + "\n")
    repo.commit("large")
    repo.write("org.yaml", CUSTOMERS)
    repo.write("align-audit.toml", "max-file-size = 1000\n")
    document = json.loads(repo.run("diff", "org.yaml", "--base", "main", "-f", "json").stdout)
    assert [(f["code"], f["message"]) for f in document["resolved"]] == [
        ("AA006", "file refused: larger than the 1,000-byte limit")
    ]


@pytest.fixture
def adopted(org: Repo) -> Repo:
    """main has two AA112 findings; the working tree adds an unserved metric."""
    org.write("org/extra.yaml", "metrics:\n  - id: orphan_metric\n    direction: increase\n")
    return org


def test_new_from_rev_reports_only_new_findings(adopted: Repo) -> None:
    everything = adopted.run("check", *TODAY)
    assert everything.stdout.count("AA112") == 2
    run = adopted.run("check", "--new-from-rev", "main", *TODAY)
    assert run.exit_code == 1
    assert run.stdout.splitlines()[0].startswith("org/extra.yaml:2:9: AA101 [error]")
    assert "AA112" not in run.stdout
    assert run.stdout.splitlines()[-1] == (
        "Found 1 finding in 4 files: 1 error, 0 warnings, 0 info (2 already at main)."
    )


def test_new_from_rev_in_every_format_and_save(adopted: Repo, tmp_path: Path) -> None:
    sarif_file = tmp_path / "out.sarif"
    run = adopted.run(
        "check", "--new-from-rev", "main", "-f", "json", "--save", f"sarif={sarif_file}", *TODAY
    )
    document = json.loads(run.stdout)
    assert [f["code"] for f in document["findings"]] == ["AA101"]
    commit = adopted.git("rev-parse", "main").strip()
    assert document["summary"]["new_from_rev"] == {
        "revision": "main",
        "commit": commit,
        "preexisting": 2,
        "fixed": 0,
    }
    sarif = json.loads(sarif_file.read_text(encoding="utf-8"))
    schema = json.loads((FIXTURES / "schemas" / "sarif-schema-2.1.0.json").read_text("utf-8"))
    jsonschema.validate(sarif, schema)
    assert [r["ruleId"] for r in sarif["runs"][0]["results"]] == ["AA101"]
    markdown = adopted.run("check", "--new-from-rev", "main", "-f", "markdown", *TODAY).stdout
    assert "2 already at main" in markdown


def test_new_from_rev_as_a_config_key(adopted: Repo) -> None:
    adopted.write("align-audit.toml", 'new-from-rev = "main"\n')
    run = adopted.run("check", "-f", "json", *TODAY)
    assert [f["code"] for f in json.loads(run.stdout)["findings"]] == ["AA101"]
    adopted.write("align-audit.toml", "new-from-rev = 3\n")
    bad = adopted.run("check", *TODAY)
    assert bad.exit_code == 2 and "'new-from-rev' must be a git revision" in bad.stderr


def test_new_from_rev_counts_what_was_fixed(org: Repo) -> None:
    leading = "  - id: follow_up_calls\n    direction: increase\n    kind: leading\n"
    org.write("org/metrics.yaml", METRICS + leading + "    serves: patient.recovery\n")
    run = org.run("check", "--new-from-rev", "main", *TODAY)
    assert run.exit_code == 0
    assert run.stdout == "No findings in 3 files (1 already at main; 1 fixed since main).\n"


def test_input_errors_are_always_reported(org: Repo) -> None:
    org.write("org/metrics.yaml", METRICS + "  - id: [broken\n")
    org.commit("broken on main too")
    run = org.run("check", "--new-from-rev", "main", *TODAY)
    assert run.exit_code == 1 and "AA001" in run.stdout


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(revision=st.text(min_size=1, max_size=30))
def test_any_revision_is_a_diff_or_one_line(org: Repo, revision: str) -> None:
    run = org.run("diff", "--base", revision, "-f", "json")
    if run.exit_code == 2:
        assert run.stderr.count("\n") == 1 and "Traceback" not in run.stderr
    else:
        document: dict[str, Any] = json.loads(run.stdout)
        assert document["base"]["revision"] == revision
