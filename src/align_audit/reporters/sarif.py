"""``--format sarif``: SARIF 2.1.0 for code-scanning tools (GitHub, Azure DevOps, IDE viewers).

One run; the driver lists every rule of the registry with its documentation; each result carries a
relative URI (base ``SRCROOT``, the directory align-audit ran from), a region, the finding's
fingerprint under ``partialFingerprints``, its related locations and, when propagation produced
it, the witness path as a code flow.
"""

from __future__ import annotations

from pathlib import PurePosixPath, PureWindowsPath
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from align_audit import __version__
from align_audit.findings import Finding, Location, RuleInfo, Severity
from align_audit.outputs import json_chunks
from align_audit.reporters.base import Reporter, ReportOptions

if TYPE_CHECKING:
    from collections.abc import Iterator

    from align_audit.catalog import Catalog
    from align_audit.engine import AuditResult

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SARIF_VERSION = "2.1.0"
FINGERPRINT_KEY = "alignAudit/v1"
"""``partialFingerprints`` key; the value is :attr:`Finding.fingerprint` (stable across edits)."""
SRCROOT = "SRCROOT"

_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
_CATEGORY = {"AA0": "input", "AA1": "alignment", "AA2": "decisions", "AA3": "evidence"}


def sarif_level(severity: Severity) -> str:
    """SARIF's ``level`` for a severity: error, warning, note."""
    return _LEVEL[severity]


def _is_absolute(path: str) -> bool:
    return PurePosixPath(path).is_absolute() or PureWindowsPath(path).is_absolute()


def artifact_location(path: str, index: int | None = None) -> dict[str, Any]:
    """A path as shown in findings → a SARIF ``artifactLocation``.

    Relative paths (the usual case) become relative URI references against ``SRCROOT``, each
    segment percent-encoded per RFC 3986 (so spaces, ``%``, ``#`` or ``<stdin>`` stay valid);
    a path outside the working directory, shown absolute, becomes a ``file://`` URI.
    """
    location: dict[str, Any]
    if _is_absolute(path):
        if PureWindowsPath(path).drive:
            uri = PureWindowsPath(path).as_uri()
        else:
            uri = PurePosixPath(path).as_uri()
        location = {"uri": uri}
    else:
        # quote() keeps only unreserved characters and "/": ":" in a first segment (which would
        # read as a scheme), spaces, "?", "#" and non-ASCII letters are all escaped.
        location = {"uri": quote(path, safe="/"), "uriBaseId": SRCROOT}
    if index is not None:
        location["index"] = index
    return location


def _region(location: Location) -> dict[str, int]:
    span = location.span
    return {
        "startLine": span.line,
        "startColumn": span.column,
        "endLine": span.end_line,
        "endColumn": span.end_column,
    }


def _indent(text: str) -> str:
    return "".join("    " + line + "\n" if line else "\n" for line in text.splitlines())


def rule_descriptor(rule: RuleInfo) -> dict[str, Any]:
    """A SARIF ``reportingDescriptor`` from the rule's identity and documentation."""
    doc, summary = rule, rule.summary
    severity = rule.severity.label + (f" ({rule.severity_note})" if rule.severity_note else "")
    text = (
        f"{summary}\n\nWhy it matters: {doc.why}\n\nDefault severity: {severity}.\n\n"
        f"Fires:\n\n{_indent(doc.fires)}\nPasses:\n\n{_indent(doc.passes)}"
    )
    markdown = (
        f"{summary}\n\n**Why it matters.** {doc.why}\n\nDefault severity: **{severity}**.\n\n"
        f"**Fires:**\n\n```yaml\n{doc.fires}```\n\n**Passes:**\n\n```yaml\n{doc.passes}```\n"
    )
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": summary},
        "fullDescription": {"text": doc.why},
        "help": {"text": text, "markdown": markdown},
        "defaultConfiguration": {"level": sarif_level(rule.severity)},
        "properties": {"tags": [_CATEGORY.get(rule.code[:3], "other")]},
    }


class _Locator:
    """Physical locations of paths (with their artifact index) and of graph nodes."""

    def __init__(self, files: tuple[str, ...], catalog: Catalog) -> None:
        self.index = {path: i for i, path in enumerate(files)}
        self.catalog = catalog
        self._artifacts: dict[str, dict[str, Any]] = {}  # a few paths, thousands of locations

    def physical(self, location: Location) -> dict[str, Any]:
        return {
            "artifactLocation": self._artifact(location.path),
            "region": _region(location),
        }

    def _artifact(self, path: str) -> dict[str, Any]:
        known = self._artifacts.get(path)
        if known is None:
            known = self._artifacts[path] = artifact_location(path, self.index.get(path))
        return dict(known)

    def node(self, node_id: str) -> Location | None:
        entry = self.catalog.entry(node_id)
        return None if entry is None else entry.id_location


def _code_flow(finding: Finding, locator: _Locator) -> dict[str, Any]:
    steps = []
    for node_id in finding.trace:
        location: dict[str, Any] = {"message": {"text": node_id}}
        node_location = locator.node(node_id)
        if node_location is not None:
            location["physicalLocation"] = locator.physical(node_location)
        steps.append({"location": location})
    return {
        "message": {"text": "witness path: " + " → ".join(finding.trace)},
        "threadFlows": [{"locations": steps}],
    }


def _result(finding: Finding, rule_index: dict[str, int], locator: _Locator) -> dict[str, Any]:
    result: dict[str, Any] = {"ruleId": finding.code}
    if finding.code in rule_index:
        result["ruleIndex"] = rule_index[finding.code]
    result |= {
        "level": sarif_level(finding.level),
        "message": {"text": finding.message},
        "locations": [{"physicalLocation": locator.physical(finding.location)}],
        "partialFingerprints": {FINGERPRINT_KEY: finding.fingerprint},
    }
    if finding.related:
        result["relatedLocations"] = [
            {
                "id": i,
                "physicalLocation": locator.physical(related.location),
                "message": {"text": f"{related.message}: {related.entity}"},
            }
            for i, related in enumerate(finding.related)
        ]
    if len(finding.trace) >= 2:
        result["codeFlows"] = [_code_flow(finding, locator)]
    properties: dict[str, Any] = {"entity": finding.entity}
    if finding.hint:
        properties["hint"] = finding.hint
    if finding.trace:
        properties["trace"] = list(finding.trace)
    result["properties"] = properties
    return result


def sarif_document(result: AuditResult) -> dict[str, Any]:
    """The whole SARIF log as a JSON-ready dict."""
    rule_index = {rule.code: i for i, rule in enumerate(result.rules)}
    locator = _Locator(result.files, result.catalog)
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "align-audit",
                "version": __version__,
                "semanticVersion": __version__,
                "rules": [rule_descriptor(rule) for rule in result.rules],
            }
        },
        "originalUriBaseIds": {
            SRCROOT: {
                "description": {
                    "text": "The directory align-audit was run from; result paths are "
                    "relative to it."
                }
            }
        },
        "artifacts": [
            {"location": artifact_location(path), "roles": ["analysisTarget"]}
            for path in result.files
        ],
        "columnKind": "unicodeCodePoints",
        "results": (_result(f, rule_index, locator) for f in result.findings),
    }
    return {"$schema": SARIF_SCHEMA, "version": SARIF_VERSION, "runs": [run]}


class SarifReporter(Reporter):
    """SARIF 2.1.0, one run, every rule described, deterministic."""

    def render(self, result: AuditResult, options: ReportOptions) -> str:
        return "".join(self.stream(result, options))

    def stream(self, result: AuditResult, options: ReportOptions) -> Iterator[str]:
        return json_chunks(sarif_document(result), levels=4)  # down to each result
