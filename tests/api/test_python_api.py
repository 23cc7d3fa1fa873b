"""The Python API: the obvious forms accepted, anything else one clear error at the call, and
the signatures checked by mypy --strict as a user's code would be."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import align_audit
from align_audit import AuditError
from conftest import EXAMPLES

REPO = EXAMPLES / "config-repo"


def test_a_list_of_folders_and_a_date_string() -> None:
    result = align_audit.audit([f"{REPO}/"], today="2026-12-01")
    assert result.settings.today == dt.date(2026, 12, 1)
    assert result.findings


@pytest.mark.parametrize("paths", [str(REPO), REPO, [REPO], (str(REPO),)])
def test_one_path_or_many_of_any_kind(paths: object) -> None:
    expected = align_audit.audit([str(REPO)], today="2026-12-01").findings
    assert align_audit.audit(paths, today=dt.date(2026, 12, 1)).findings == expected  # type: ignore[arg-type]


def test_select_takes_one_code_or_a_list() -> None:
    one = align_audit.audit(EXAMPLES / "healthcare.yaml", select="AA104")
    many = align_audit.audit(EXAMPLES / "healthcare.yaml", select=["AA104", "AA105"])
    assert {f.code for f in one.findings} == {"AA104"}
    assert {f.code for f in many.findings} == {"AA104", "AA105"}
    names = align_audit.audit(EXAMPLES / "healthcare.yaml", select="unguarded_harm")
    assert {f.code for f in names.findings} == {"AA105"}


@pytest.mark.parametrize(
    ("keywords", "needle"),
    [
        ({"fail_on": "warn"}, "fail_on: expected one of error, warning, info, never"),
        ({"today": "yesterday"}, "today: expected a date"),
        ({"today": dt.datetime(2026, 1, 1, 12)}, "today: expected a date"),
        ({"select": 5}, "select: expected a string or a list of strings"),
        ({"select": "AA9"}, "unknown rule selector 'AA9'"),
        ({"severity": {"AA105": "loud"}}, "severity: unknown severity 'loud'"),
    ],
)
def test_a_bad_keyword_value_is_one_clear_error(keywords: dict[str, object], needle: str) -> None:
    with pytest.raises(AuditError) as caught:
        align_audit.audit(EXAMPLES / "clean.yaml", **keywords)  # type: ignore[arg-type]
    assert needle in str(caught.value)
    assert "\n" not in str(caught.value)


def test_bad_paths_are_one_clear_error() -> None:
    with pytest.raises(AuditError, match="paths: expected a path or a list of paths, got int"):
        align_audit.audit(5)  # type: ignore[arg-type]
    with pytest.raises(AuditError, match="path not found: no/such/org"):
        align_audit.audit("no/such/org")


def test_an_unknown_keyword_is_a_type_error() -> None:
    with pytest.raises(TypeError, match="fail_onn"):
        align_audit.audit(EXAMPLES / "clean.yaml", fail_onn="error")  # type: ignore[call-arg]


def test_exit_code_checks_its_level() -> None:
    result = align_audit.audit(EXAMPLES / "healthcare.yaml", today="2026-12-01")
    assert result.exit_code("never") == 0
    assert result.exit_code("error") == 1
    with pytest.raises(AuditError, match="fail_on"):
        result.exit_code("warn")


def test_load_then_audit_and_a_baseline(tmp_path: Path) -> None:
    declarations = align_audit.load(EXAMPLES / "healthcare.yaml")
    first = align_audit.audit(declarations, today="2026-12-01")
    baseline = tmp_path / "baseline.json"
    from align_audit.baseline import write_baseline

    write_baseline(baseline, first.findings)
    again = align_audit.audit(EXAMPLES / "healthcare.yaml", today="2026-12-01", baseline=baseline)
    assert again.findings == ()
    assert again.baselined == len(first.findings)


USER_CODE = """
import datetime as dt
from pathlib import Path

import align_audit

result = align_audit.audit(["org/"], today="2026-12-01", select=["AA1"], fail_on="warning")
result = align_audit.audit(Path("org"), today=dt.date(2026, 12, 1), select="AA104")
for finding in result.findings:
    code: str = finding.code
    line: int = finding.location.line
exit_code: int = result.exit_code()
declarations = align_audit.load("org.yaml")
again = align_audit.audit(declarations)
"""
WRONG_CODE = """
import align_audit

align_audit.audit("org.yaml", fail_on="warn")
align_audit.audit("org.yaml", today=20261201)
"""


def _mypy(tmp_path: Path, code: str) -> subprocess.CompletedProcess[str]:
    script = tmp_path / "user.py"
    script.write_text(textwrap.dedent(code), encoding="utf-8")
    return subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", str(script)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=300,
    )


def test_the_public_api_type_checks(tmp_path: Path) -> None:
    run = _mypy(tmp_path, USER_CODE)
    assert run.returncode == 0, run.stdout + run.stderr


def test_mypy_catches_wrong_keyword_values(tmp_path: Path) -> None:
    run = _mypy(tmp_path, WRONG_CODE)
    assert run.returncode == 1
    assert 'Argument "fail_on" to "audit" has incompatible type' in run.stdout
    assert 'Argument "today" to "audit" has incompatible type' in run.stdout
