"""The same input gives byte-identical output, whatever the argument order or hash seed (§3.2)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import FIXTURES, invoke

PYTHON = str(Path(sys.executable).absolute())  # subprocesses may run in another cwd

ORG = {
    "people.yaml": """\
customers:
  - id: patient
    role: end_user
    outcomes: [care, fast_access, privacy]
  - id: insurer
    role: buyer
    outcomes: [cost_control]
  - id: health_authority
    role: regulator
  - id: clinician
    role: employee
    outcomes: [workload]
priorities: [health_authority, patient, insurer]
""",
    "metrics/core.yaml": """\
metrics:
  - id: csat
    direction: increase
    owner: cx
    kind: lagging
    serves: [patient.care]
    effects: {avg_handle_time: hurts, clinician.workload: -40}
  - id: avg_handle_time
    direction: decrease
    owner: ops
    kind: leading
    serves: [insurer.cost_control]
    effects: {csat: hurts, first_contact_resolution: breaks, patient.privacy: -10}
  - id: first_contact_resolution
    direction: increase
    serves: patient.fast_access
    effects: {avg_handle_time: helps, cost_per_case: hurts}
  - id: cost_per_case
    direction: decrease
    serves: insurer
    effects: {csat: -60, first_contact_resolution: -30}
  - id: orphan_metric
    direction: increase
""",
    "systems/bots.yaml": """\
systems:
  - id: support_bot
    users: [patient, clinician]
    objectives:
      - id: fast
        optimizes: avg_handle_time
        serves: patient
      - id: happy
        optimizes: csat
        serves: patient.care
        guardrails: [first_contact_resolution]
      - id: cheap
        optimizes: cost_per_case
        direction: increase
        serves: insurer.cost_control
  - id: triage
    objectives:
      - {id: route, optimizes: first_contact_resolution, serves: health_authority}
tradeoffs:
  - {between: [csat, avg_handle_time], prefer: avg_handle_time, rationale: r, review_by: 2020-01-01}
  - {between: [orphan_metric, csat], prefer: csat, rationale: unrelated}
waivers:
  - {rule: AA004, target: csat, reason: nothing to waive}
  - {rule: AA005, target: triage.route, reason: expired, until: 2020-01-01}
""",
    "systems/broken.yaml": """\
systems:
  - id: support_bot
  - id: ghost_bot
    objectives:
      - {id: o, optimizes: nothing, serves: nobody, guardrails: [csat, nope]}
metrics:
  - {id: csat, direction: up}
customers:
  - {id: patient, role: end_user, colour: blue, colour: red}
""",
}


@pytest.fixture
def org(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    monkeypatch.chdir(tmp_path)
    for name, text in ORG.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return sorted(ORG)


def _inputs() -> list[str]:
    return sorted(str(p) for p in (FIXTURES / "input").glob("AA00*/*/*.yaml"))


@pytest.mark.parametrize("fmt", ["json", "text", "github"])
def test_argument_order_does_not_matter(org: list[str], fmt: str) -> None:
    orders = [
        org,
        list(reversed(org)),
        [org[2], org[0], org[3], org[1]],
        ["."],
        ["systems", "people.yaml", "metrics"],
        ["systems/bots.yaml", ".", "metrics/core.yaml"],  # files named twice
    ]
    outputs = set()
    for paths in orders:
        run = invoke("check", *paths, "--format", fmt, "--today", "2025-01-01")
        assert run.exit_code == 1, run.stderr
        outputs.add(run.stdout)
    assert len(outputs) == 1
    if fmt == "json":
        assert '"findings": [' in next(iter(outputs))


def test_the_organization_produces_many_kinds_of_findings(org: list[str]) -> None:
    run = invoke("check", ".", "--format", "json", "--today", "2025-01-01")
    codes = {f["code"] for f in run.findings()}
    assert {"AA002", "AA003", "AA004", "AA005"} <= codes
    fingerprints = [f["fingerprint"] for f in run.findings()]
    assert len(fingerprints) == len(set(fingerprints))


def test_findings_are_sorted(org: list[str]) -> None:
    findings = invoke("check", ".", "--format", "json", "--today", "2025-01-01").findings()
    keys = [(f["path"], f["line"], f["column"], f["code"], f["entity"]) for f in findings]
    assert keys == sorted(keys)


def test_fixture_corpus_in_any_order() -> None:
    files = _inputs()
    assert len(files) > 60
    shuffled = files[1::2] + files[0::2]
    for fmt in ("json", "text"):
        first = invoke("check", *files, "--format", fmt, "--today", "2025-01-01")
        second = invoke("check", *reversed(shuffled), "--format", fmt, "--today", "2025-01-01")
        assert first.exit_code == second.exit_code == 1
        assert first.stdout == second.stdout


def _run_with_seed(seed: str, args: list[str], cwd: Path) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    env.pop("GITHUB_ACTIONS", None)
    return subprocess.run(
        [PYTHON, "-m", "align_audit", "check", *args],
        capture_output=True,
        env=env,
        cwd=cwd,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize("fmt", ["json", "text"])
def test_hash_seed_does_not_matter(org: list[str], tmp_path: Path, fmt: str) -> None:
    args = [".", "--format", fmt, "--today", "2025-01-01"]
    runs = [_run_with_seed(seed, args, tmp_path) for seed in ("0", "1", "4242")]
    assert {r.returncode for r in runs} == {1}
    assert all(r.stderr == b"" for r in runs)
    assert runs[0].stdout == runs[1].stdout == runs[2].stdout
    assert runs[0].stdout  # not vacuous


def test_hash_seed_with_the_fixture_corpus(tmp_path: Path) -> None:
    args = [*_inputs(), str(FIXTURES / "malformed"), "--format", "json", "--today", "2025-01-01"]
    first, second = (_run_with_seed(seed, args, tmp_path) for seed in ("7", "987654"))
    assert first.returncode == second.returncode == 1
    assert first.stdout == second.stdout
