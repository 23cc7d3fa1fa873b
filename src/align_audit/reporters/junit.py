"""``--format junit``: JUnit XML, one ``<testsuite>`` per input file, one failing ``<testcase>``
per finding; CI systems (GitLab, Jenkins, Azure DevOps, CircleCI) show them as test results.

Deterministic: no timestamps, hostnames or durations.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import TYPE_CHECKING

from align_audit.findings import Finding
from align_audit.reporters.base import Reporter, ReportOptions
from align_audit.visible import xml_text

if TYPE_CHECKING:
    from align_audit.engine import AuditResult

SUITES_NAME = "align-audit"
PASSING_NAME = "align-audit: no findings"
"""Name of the one passing test case of a file without findings (a suite is never empty)."""

_clean = xml_text


def _testcase_name(finding: Finding) -> str:
    return f"{finding.code} {finding.entity} (line {finding.location.line})"


def _failure_text(finding: Finding) -> str:
    loc = finding.location
    lines = [f"{loc.path}:{loc.line}:{loc.column}: {finding.level.label}: {finding.message}"]
    if finding.hint:
        lines.append(f"hint: {finding.hint}")
    for related in finding.related:
        rloc = related.location
        lines.append(
            f"related: {rloc.path}:{rloc.line}:{rloc.column}: {related.entity} ({related.message})"
        )
    if len(finding.trace) >= 2:
        lines.append("path: " + " → ".join(finding.trace))
    return "\n".join(lines)


def _suite(path: str, findings: list[Finding]) -> ET.Element:
    suite = ET.Element(
        "testsuite",
        {
            "name": _clean(path),
            "tests": str(max(len(findings), 1)),
            "failures": str(len(findings)),
            "errors": "0",
            "skipped": "0",
        },
    )
    if not findings:
        ET.SubElement(suite, "testcase", {"classname": _clean(path), "name": PASSING_NAME})
    for finding in findings:
        case = ET.SubElement(
            suite, "testcase", {"classname": _clean(path), "name": _clean(_testcase_name(finding))}
        )
        failure = ET.SubElement(
            case,
            "failure",
            {
                "type": f"{finding.code} {finding.name}",
                "message": _clean(finding.message),
            },
        )
        failure.text = _clean(_failure_text(finding))
    return suite


def junit_tree(result: AuditResult) -> ET.Element:
    """The ``<testsuites>`` element: files in the order audited, then any other path a finding
    names (none in practice), each once."""
    by_path: dict[str, list[Finding]] = {path: [] for path in result.files}
    for finding in result.findings:
        by_path.setdefault(finding.location.path, []).append(finding)
    suites = [_suite(path, findings) for path, findings in by_path.items()]
    tests = sum(int(s.get("tests", "0")) for s in suites)
    root = ET.Element(
        "testsuites",
        {
            "name": SUITES_NAME,
            "tests": str(tests),
            "failures": str(len(result.findings)),
            "errors": "0",
        },
    )
    root.extend(suites)
    return root


class JunitReporter(Reporter):
    """JUnit XML (UTF-8, with an XML declaration)."""

    def render(self, result: AuditResult, options: ReportOptions) -> str:
        root = junit_tree(result)
        ET.indent(root, space="  ")
        body = ET.tostring(root, encoding="unicode", short_empty_elements=True)
        return '<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n"
