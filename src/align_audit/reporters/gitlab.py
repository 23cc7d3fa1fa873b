"""``--format gitlab``: a GitLab Code Quality report (``artifacts:reports:codequality``).

A JSON array of issues in the subset of the Code Climate format GitLab reads: ``description``,
``check_name``, ``fingerprint``, ``severity`` and ``location.path`` / ``location.lines.begin``.
GitLab compares fingerprints between the merge request's base and head reports to tell new
findings from fixed ones, so the fingerprint is :attr:`Finding.fingerprint` (code + entity +
discriminator, never line numbers): a finding keeps it when lines move.
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING, Any

from align_audit.findings import Finding, Severity
from align_audit.outputs import json_text
from align_audit.reporters.base import Reporter, ReportOptions

if TYPE_CHECKING:
    from align_audit.engine import AuditResult

_SEVERITY = {Severity.ERROR: "major", Severity.WARNING: "minor", Severity.INFO: "info"}
"""align-audit severity → GitLab's scale (info, minor, major, critical, blocker)."""


def gitlab_severity(severity: Severity) -> str:
    """GitLab's severity for ours: error → major, warning → minor, info → info."""
    return _SEVERITY[severity]


def _issue(finding: Finding, fingerprint: str) -> dict[str, Any]:
    span = finding.location.span
    return {
        "type": "issue",
        "description": f"{finding.code} {finding.message}",
        "check_name": f"{finding.code} {finding.name}",
        "fingerprint": fingerprint,
        "severity": gitlab_severity(finding.level),
        "location": {
            "path": finding.location.path,
            "lines": {"begin": span.line, "end": span.end_line},
        },
    }


def unique_fingerprints(findings: tuple[Finding, ...]) -> list[str]:
    """Each finding's fingerprint, made unique within the report.

    Fingerprints are unique by construction (SPEC §3.2); should two findings ever share one,
    GitLab would show only the first, so a repeat is re-hashed with its occurrence number.
    """
    seen: set[str] = set()
    result = []
    for finding in findings:
        fingerprint = finding.fingerprint
        n = 1
        while fingerprint in seen:
            raw = f"{finding.fingerprint}\x1f{n}"
            fingerprint = hashlib.sha256(raw.encode("utf-8")).hexdigest()[:32]
            n += 1
        seen.add(fingerprint)
        result.append(fingerprint)
    return result


class GitlabReporter(Reporter):
    """GitLab Code Quality JSON: one issue per finding, ``[]`` when there are none."""

    def render(self, result: AuditResult, options: ReportOptions) -> str:
        fingerprints = unique_fingerprints(result.findings)
        issues = [_issue(f, fp) for f, fp in zip(result.findings, fingerprints, strict=True)]
        return json_text(issues)
