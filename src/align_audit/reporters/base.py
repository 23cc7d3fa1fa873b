"""The reporter interface: an audit result → the text of one output format."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterator

    from align_audit.engine import AuditResult


@dataclass(frozen=True, slots=True)
class ReportOptions:
    """How the output is shown; only the text format looks at most of these."""

    terminal: bool = False
    """Writing to an interactive terminal (rich table instead of plain lines)."""
    color: bool = False
    """Colour allowed (a terminal, and neither NO_COLOR nor --no-color)."""
    quiet: bool = False
    """Findings only: no summary line."""
    width: int | None = None
    """Terminal width, when known."""
    github: bool = False
    """Also print GitHub Actions annotations (text format inside GitHub Actions)."""
    statistics: bool = False
    """Counts per rule instead of the findings (text format)."""


class Reporter:
    """Renders a whole result; the CLI writes the text to stdout or a file."""

    def render(self, result: AuditResult, options: ReportOptions) -> str:
        """The complete output, ending with a newline."""
        raise NotImplementedError

    def stream(self, result: AuditResult, options: ReportOptions) -> Iterator[str]:
        """The same text in pieces, for the CLI to write as they come: a format whose output
        grows with the findings (JSON, SARIF) builds one finding at a time instead of holding
        the whole document."""
        yield self.render(result, options)
