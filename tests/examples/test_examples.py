"""The bundled examples report exactly the findings their header comments promise.

Each example's header has a block starting at a line containing "Expected findings", with one
line per finding, ``#   AA104 claims_optimizer.lower_episode_cost — why``, continuation lines
indented further, ``#   (waived) AA108 entity — ...`` for findings a waiver accepts, and the
expected exit code ("exit 1"). The config repository keeps its list in organization.yaml.
"""

from __future__ import annotations

import re
import shutil
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import EXAMPLES, invoke

TODAY = "2026-12-01"
_FINDING = re.compile(r"^#\s{1,4}(?P<waived>\(waived\)\s+)?(?P<code>AA\d{3})\s+(?P<entity>\S+)\s+—")
_EXIT = re.compile(r"exit(?: code)? (?P<code>[012])\b", re.IGNORECASE)

CASES = {
    "healthcare": (EXAMPLES / "healthcare.yaml", EXAMPLES / "healthcare.yaml"),
    "customer-service": (EXAMPLES / "customer-service.yaml", EXAMPLES / "customer-service.yaml"),
    "hiring": (EXAMPLES / "hiring.yaml", EXAMPLES / "hiring.yaml"),
    "config-repo": (EXAMPLES / "config-repo", EXAMPLES / "config-repo" / "organization.yaml"),
    "catalogs": (EXAMPLES / "catalogs", EXAMPLES / "catalogs" / "freshcart.yaml"),
}


@dataclass
class Promise:
    findings: Counter[tuple[str, str]] = field(default_factory=Counter)
    waived: list[tuple[str, str]] = field(default_factory=list)
    exit_code: int | None = None


def parse_promise(header_file: Path) -> Promise:
    promise = Promise()
    inside = False
    for line in header_file.read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            if inside:
                break
            continue
        if "Expected findings" in line:
            inside = True
        if not inside:
            continue
        if (exit_match := _EXIT.search(line)) and promise.exit_code is None:
            promise.exit_code = int(exit_match["code"])
        match = _FINDING.match(line)
        if match is None:
            continue
        key = (match["code"], match["entity"])
        if match["waived"]:
            promise.waived.append(key)
        else:
            promise.findings[key] += 1
    return promise


def _run(target: Path, *extra: str) -> tuple[int, dict[str, Any]]:
    run = invoke("check", str(target), "--format", "json", "--today", TODAY, *extra)
    assert run.exit_code in (0, 1), run.stderr
    return run.exit_code, run.json()


@pytest.mark.parametrize("name", sorted(CASES))
def test_example_reports_exactly_its_promised_findings(name: str) -> None:
    target, header = CASES[name]
    promise = parse_promise(header)
    assert promise.findings, f"{header}: no expected findings parsed from the header"
    exit_code, data = _run(target)
    actual = Counter((f["code"], f["entity"]) for f in data["findings"])
    missing = promise.findings - actual
    unexpected = actual - promise.findings
    assert not missing and not unexpected, f"missing {dict(missing)}, unexpected {dict(unexpected)}"
    assert promise.exit_code is not None, f"{header}: the header states no exit code"
    assert exit_code == promise.exit_code


def _without_waivers(target: Path, tmp_path: Path) -> Path:
    """A copy of the example (with what lies beside it: metric catalogs) with every
    `waivers:` list removed."""
    folder = tmp_path / "copy"
    shutil.copytree(target.parent, folder)
    copy = folder / target.name
    files = [copy] if copy.is_file() else sorted(copy.rglob("*.yaml"))
    for path in files:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        if isinstance(data, dict) and "waivers" in data:
            data.pop("waivers")
            path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return copy


@pytest.mark.parametrize("name", sorted(CASES))
def test_example_waivers_accept_what_the_header_says(name: str, tmp_path: Path) -> None:
    target, header = CASES[name]
    promise = parse_promise(header)
    _, data = _run(target)
    assert data["summary"]["waived"] == len(promise.waived)
    with_waivers = Counter((f["code"], f["entity"]) for f in data["findings"])
    _, bare = _run(_without_waivers(target, tmp_path))
    without = Counter((f["code"], f["entity"]) for f in bare["findings"])
    # Removing the waivers brings back exactly the waived findings, and drops only the
    # findings about the waivers themselves (AA204 unused, AA205 expired).
    assert without - with_waivers == Counter(promise.waived)
    assert all(code in ("AA204", "AA205") for code, _ in with_waivers - without)


def test_clean_example_passes() -> None:
    run = invoke("check", str(EXAMPLES / "clean.yaml"), "--format", "json", "--fail-on", "info")
    assert run.exit_code == 0, run.stdout
    assert run.json()["findings"] == []
    # On any date: nothing in it can go stale or expire.
    for today in ("2000-01-01", TODAY, "2099-12-31"):
        late = invoke("check", str(EXAMPLES / "clean.yaml"), "--today", today, "--fail-on", "info")
        assert late.exit_code == 0, late.stdout


def test_promise_parser() -> None:
    promise = parse_promise(EXAMPLES / "healthcare.yaml")
    assert promise.findings[("AA105", "claims_optimizer.lower_episode_cost")] == 2
    assert promise.waived == [("AA108", "physician.clinical_autonomy")]
    assert promise.exit_code == 1
    # Continuation lines and the explanatory AAxxx lines of clean.yaml are not findings.
    assert parse_promise(EXAMPLES / "clean.yaml").findings == Counter()
