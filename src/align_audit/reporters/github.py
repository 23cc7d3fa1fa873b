"""``--format github``: GitHub Actions workflow commands (annotations on the pull request)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from align_audit.findings import Severity
from align_audit.reporters.base import Reporter, ReportOptions

if TYPE_CHECKING:
    from align_audit.engine import AuditResult

_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


class GithubReporter(Reporter):
    """One ``::error file=…,line=…,col=…,title=…::message`` line per finding."""

    def render(self, result: AuditResult, options: ReportOptions) -> str:
        lines = []
        for f in result.findings:
            span = f.location.span
            props = ",".join(
                (
                    f"file={_escape_property(f.location.path)}",
                    f"line={span.line}",
                    f"col={span.column}",
                    f"endLine={span.end_line}",
                    f"endColumn={span.end_column}",
                    f"title={_escape_property(f'{f.code} {f.name}')}",
                )
            )
            text = f"{f.message}\nhelp: {f.hint}" if f.hint else f.message
            lines.append(f"::{_LEVEL[f.level]} {props}::{_escape_data(text)}\n")
        return "".join(lines)
