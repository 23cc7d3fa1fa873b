"""``--format json``: the versioned machine-readable result (SPEC §3.2, docs/output-json.md)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from align_audit import __version__
from align_audit.findings import Finding
from align_audit.outputs import json_chunks
from align_audit.reporters.base import Reporter, ReportOptions

if TYPE_CHECKING:
    from collections.abc import Iterator

    from align_audit.engine import AuditResult

JSON_VERSION = 1


def finding_to_json(finding: Finding) -> dict[str, Any]:
    """One finding with exactly the SPEC §3.2 field names."""
    span = finding.location.span
    return {
        "code": finding.code,
        "name": finding.name,
        "severity": finding.level.label,
        "message": finding.message,
        "path": finding.location.path,
        "line": span.line,
        "column": span.column,
        "end_line": span.end_line,
        "end_column": span.end_column,
        "entity": finding.entity,
        "related": [
            {
                "path": r.location.path,
                "line": r.location.line,
                "column": r.location.column,
                "entity": r.entity,
                "message": r.message,
            }
            for r in finding.related
        ],
        "trace": list(finding.trace),
        "hint": finding.hint,
        "fingerprint": finding.fingerprint,
    }


class JsonReporter(Reporter):
    """``{"version": 1, "tool": …, "summary": …, "findings": […]}``."""

    def render(self, result: AuditResult, options: ReportOptions) -> str:
        return "".join(self.stream(result, options))

    def stream(self, result: AuditResult, options: ReportOptions) -> Iterator[str]:
        counts = result.counts()
        document = {
            "version": JSON_VERSION,
            "tool": {"name": "align-audit", "version": __version__},
            "summary": {
                "files": len(result.files),
                "findings": len(result.findings),
                **{level.label: n for level, n in counts.items()},
                "waived": result.waived,
                "baselined": result.baselined,
                "baseline_gone": result.baseline_gone,
                "new_from_rev": None
                if result.new_from is None
                else {
                    "revision": result.new_from.revision,
                    "commit": result.new_from.commit,
                    "preexisting": result.new_from.preexisting,
                    "fixed": result.new_from.fixed,
                },
                "skipped": list(result.skipped),
                "undeclared_data": list(result.undeclared_data),
            },
            "findings": (finding_to_json(f) for f in result.findings),
        }
        if result.evidence is not None:
            from align_audit.evidence.export import evidence_lists

            document.update(evidence_lists(result.evidence))
        return json_chunks(document)
