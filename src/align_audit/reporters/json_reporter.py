"""``--format json``: the versioned machine-readable result (SPEC §3.2, docs/output-json.md)."""

from __future__ import annotations

from json.encoder import encode_basestring as encode
from typing import TYPE_CHECKING, Any

from align_audit import __version__
from align_audit.findings import Finding, Related
from align_audit.outputs import SelfWritten, json_chunks
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


def finding_json(finding: Finding, indent: str) -> str:
    """``json_text(finding_to_json(finding))`` at ``indent``, byte for byte, written straight
    from the finding's fields (a findings-heavy audit writes hundreds of thousands)."""
    inner = indent + "  "
    deeper = inner + "  "
    span = finding.location.span
    return "".join(
        [
            "{\n",
            inner,
            '"code": ',
            encode(finding.code),
            _NEXT[inner],
            '"name": ',
            encode(finding.name),
            _NEXT[inner],
            '"severity": ',
            encode(finding.level.label),
            _NEXT[inner],
            '"message": ',
            encode(finding.message),
            _NEXT[inner],
            '"path": ',
            encode(finding.location.path),
            _NEXT[inner],
            '"line": ',
            str(span.line),
            _NEXT[inner],
            '"column": ',
            str(span.column),
            _NEXT[inner],
            '"end_line": ',
            str(span.end_line),
            _NEXT[inner],
            '"end_column": ',
            str(span.end_column),
            _NEXT[inner],
            '"entity": ',
            encode(finding.entity),
            _NEXT[inner],
            '"related": ',
            _list([_related(r, deeper) for r in finding.related], inner),
            _NEXT[inner],
            '"trace": ',
            _list([encode(step) for step in finding.trace], inner),
            _NEXT[inner],
            '"hint": ',
            encode(finding.hint),
            _NEXT[inner],
            '"fingerprint": ',
            encode(finding.fingerprint),
            "\n",
            indent,
            "}",
        ]
    )


class _Separators(dict[str, str]):
    """``",\n" + indent``, made once per indent."""

    def __missing__(self, indent: str) -> str:
        self[indent] = separator = ",\n" + indent
        return separator


_NEXT = _Separators()


def _list(items: list[str], indent: str) -> str:
    if not items:
        return "[]"
    inner = indent + "  "
    return "[\n" + inner + _NEXT[inner].join(items) + "\n" + indent + "]"


def _related(related: Related, indent: str) -> str:
    inner = indent + "  "
    location = related.location
    return "".join(
        [
            "{\n",
            inner,
            '"path": ',
            encode(location.path),
            _NEXT[inner],
            '"line": ',
            str(location.line),
            _NEXT[inner],
            '"column": ',
            str(location.column),
            _NEXT[inner],
            '"entity": ',
            encode(related.entity),
            _NEXT[inner],
            '"message": ',
            encode(related.message),
            "\n",
            indent,
            "}",
        ]
    )


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
            "findings": (SelfWritten(f, finding_json) for f in result.findings),
        }
        if result.evidence is not None:
            from align_audit.evidence.export import evidence_lists

            document.update(evidence_lists(result.evidence))
        return json_chunks(document)
