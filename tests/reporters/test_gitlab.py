"""``--format gitlab``: a GitLab Code Quality report."""

from __future__ import annotations

import json

import pytest

from align_audit.findings import Finding, Location
from align_audit.reporters.gitlab import unique_fingerprints

from .helpers import CONFIG_REPO, HEALTHCARE, Check

GITLAB_SEVERITIES = {"info", "minor", "major", "critical", "blocker"}
MAPPING = {"error": "major", "warning": "minor", "info": "info"}


@pytest.mark.parametrize("target", [HEALTHCARE, CONFIG_REPO, "examples"])
def test_issues_match_the_json_findings(check: Check, target: str) -> None:
    issues = json.loads(check(target, fmt="gitlab").stdout)
    findings = check(target, fmt="json").findings()
    assert isinstance(issues, list)
    assert len(issues) == len(findings)
    for issue, finding in zip(issues, findings, strict=True):
        assert {"description", "check_name", "fingerprint", "severity", "location"} <= set(issue)
        assert issue["description"] == f"{finding['code']} {finding['message']}"
        assert issue["check_name"].startswith(finding["code"])
        assert issue["severity"] in GITLAB_SEVERITIES
        assert issue["severity"] == MAPPING[finding["severity"]]
        assert issue["fingerprint"] == finding["fingerprint"]
        assert issue["location"]["path"] == finding["path"]
        assert issue["location"]["lines"]["begin"] == finding["line"]
    fingerprints = [issue["fingerprint"] for issue in issues]
    assert len(set(fingerprints)) == len(fingerprints)


def test_no_findings_is_an_empty_array(check: Check) -> None:
    run = check("examples/clean.yaml", fmt="gitlab")
    assert run.exit_code == 0
    assert run.stdout == "[]\n"


def test_repeated_fingerprints_are_made_unique() -> None:
    finding = Finding("AA101", "m serves no one", Location("a.yaml"), "m")
    other = Finding("AA102", "x", Location("a.yaml"), "n")
    result = unique_fingerprints((finding, other, finding, finding))
    assert result[0] == finding.fingerprint and result[1] == other.fingerprint
    assert len(set(result)) == 4
    assert result == unique_fingerprints((finding, other, finding, finding))
