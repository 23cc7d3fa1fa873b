"""``--format junit``: JUnit XML, one testsuite per file, one failure per finding."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from conftest import invoke

from .helpers import CONFIG_REPO, HEALTHCARE, TODAY, Check, config_repo_files


def _parse(text: str) -> ET.Element:
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n')
    return ET.fromstring(text.encode("utf-8"))


@pytest.mark.parametrize("target", [HEALTHCARE, CONFIG_REPO])
def test_one_failure_per_finding(check: Check, target: str) -> None:
    root = _parse(check(target, fmt="junit").stdout)
    findings = check(target, fmt="json").findings()
    assert root.tag == "testsuites"
    assert root.get("name") == "align-audit"
    failures = root.findall("./testsuite/testcase/failure")
    assert len(failures) == len(findings) == int(root.get("failures", "-1"))
    assert sum(int(s.get("failures", "-1")) for s in root.iter("testsuite")) == len(findings)
    assert int(root.get("tests", "-1")) == len(root.findall("./testsuite/testcase"))
    cases = [c for c in root.iter("testcase") if c.find("failure") is not None]
    for case, finding in zip(cases, findings, strict=True):
        failure = case.find("failure")
        assert failure is not None
        assert case.get("classname") == finding["path"]
        assert case.get("name") == f"{finding['code']} {finding['entity']} (line {finding['line']})"
        assert failure.get("type") == f"{finding['code']} {finding['name']}"
        assert failure.get("message") == finding["message"]
        location = f"{finding['path']}:{finding['line']}:{finding['column']}"
        assert (failure.text or "").startswith(f"{location}: {finding['severity']}: ")
        if finding["hint"]:
            assert f"hint: {finding['hint']}" in (failure.text or "")


def test_a_testsuite_per_file_even_without_findings(check: Check) -> None:
    root = _parse(check(CONFIG_REPO, fmt="junit").stdout)
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == config_repo_files()
    findings = check(CONFIG_REPO, fmt="json").findings()
    with_findings = {f["path"] for f in findings}
    assert len(with_findings) < len(suites)  # the example has clean files too
    for suite in suites:
        cases = suite.findall("testcase")
        assert cases, suite.get("name")
        assert int(suite.get("tests", "-1")) == len(cases)
        if suite.get("name") not in with_findings:
            assert suite.get("failures") == "0"
            assert [c.find("failure") for c in cases] == [None]


def test_a_syntax_error_is_a_failure(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "bad.yaml").write_text("customers:\n  - id: a\n\trole: x\n", encoding="utf-8")
    (tmp_path / "ok.yaml").write_text("customers: []\n", encoding="utf-8")
    run = invoke("check", ".", "--format", "junit", "--today", TODAY)
    assert run.exit_code == 1
    root = _parse(run.stdout)
    assert [s.get("name") for s in root.findall("testsuite")] == ["bad.yaml", "ok.yaml"]
    (failure,) = root.iter("failure")
    assert (failure.get("type") or "").startswith("AA001 ")
    assert (failure.text or "").startswith("bad.yaml:3:1: error: ")


def test_no_timestamps_or_hostnames(check: Check) -> None:
    text = check(HEALTHCARE, fmt="junit").stdout
    root = _parse(text)
    for element in root.iter():
        assert not {"timestamp", "hostname", "time"} & set(element.attrib)
