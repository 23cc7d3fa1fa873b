"""``--format markdown``: a compact table for a pull-request or merge-request comment.

A heading with the counts, one table row per finding, and the fix hints folded in a
``<details>`` block. Cell text is escaped so that a ``|``, a newline, ``<stdin>`` or markdown
punctuation in a message cannot break the table or the rendering. Comments have a size limit
(GitHub: 65,536 characters), so a very long report is cut short with a note saying how many
findings are not shown.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from align_audit.findings import Finding, Severity
from align_audit.reporters.base import Reporter, ReportOptions
from align_audit.reporters.text import known_notes

if TYPE_CHECKING:
    from align_audit.engine import AuditResult

MAX_CHARS = 60_000
"""Upper bound on the output size, below GitHub's 65,536-character comment limit."""

_ESCAPES = {
    "\\": "\\\\",
    "|": "\\|",
    "`": "\\`",
    "*": "\\*",
    "[": "\\[",
    "]": "\\]",
    "&": "&amp;",
    "<": "&lt;",
    ">": "&gt;",
}


def escape_markdown(text: str) -> str:
    """Markdown and HTML special characters escaped (shared by every markdown output)."""
    return "".join(_ESCAPES.get(ch, ch) for ch in text)


def escape_cell(text: str) -> str:
    """Text safe inside a table cell: markdown and HTML specials escaped, newlines as ``<br>``."""
    escaped = escape_markdown(text)
    lines = [line.strip() for line in escaped.replace("\r\n", "\n").split("\n")]
    return "<br>".join(line for line in lines if line)


def counted(n: int, word: str) -> str:
    """``1 finding``, ``2 findings`` (every output's one way to count)."""
    return f"{n} {word}" + ("" if n == 1 else "s")


def heading(result: AuditResult) -> str:
    """``### align-audit: N findings (x errors, y warnings, z info)`` or ``… no findings``."""
    if not result.findings:
        return "### align-audit: no findings"
    counts = result.counts()
    parts = (
        counted(counts[Severity.ERROR], "error"),
        counted(counts[Severity.WARNING], "warning"),
        f"{counts[Severity.INFO]} info",
    )
    return f"### align-audit: {counted(len(result.findings), 'finding')} ({', '.join(parts)})"


def _notes(result: AuditResult) -> str:
    notes = [counted(len(result.files), "file") + " audited"]
    if result.waived:
        notes.append(f"{result.waived} waived")
    if result.baselined:
        notes.append(f"{result.baselined} in the baseline")
    if result.baseline_gone:
        gone = result.baseline_gone
        notes.append(f"{gone} baseline {'entry' if gone == 1 else 'entries'} no longer occur")
    notes += [escape_cell(note) for note in known_notes(result)]
    return "; ".join(notes) + "."


def _location(finding: Finding) -> str:
    return escape_cell(f"{finding.location.path}:{finding.location.line}")


def _row(finding: Finding) -> str:
    return (
        f"| {finding.level.label} | {finding.code} | {_location(finding)} "
        f"| {escape_cell(finding.message)} |\n"
    )


def _hint(finding: Finding) -> str:
    return f"- {finding.code} {_location(finding)}: {escape_cell(finding.hint)}\n"


class MarkdownReporter(Reporter):
    """GitHub-flavoured markdown: heading, table, hints."""

    def render(self, result: AuditResult, options: ReportOptions) -> str:
        head = heading(result) + "\n\n" + _notes(result) + "\n"
        if not result.findings:
            return head
        table = "\n| Severity | Code | Location | Message |\n|---|---|---|---|\n"
        budget = MAX_CHARS - len(head) - len(table) - 200  # room for the "not shown" note
        rows: list[str] = []
        for finding in result.findings:
            row = _row(finding)
            if len(row) > budget:
                break
            rows.append(row)
            budget -= len(row)
        text = head + table + "".join(rows)
        hidden = len(result.findings) - len(rows)
        if hidden:
            return (
                text + f"\n{counted(hidden, 'more finding')} not shown: run "
                "`align-audit check` for the full report.\n"
            )
        hints = [_hint(f) for f in result.findings if f.hint]
        block = "\n<details><summary>How to fix</summary>\n\n" + "".join(hints) + "\n</details>\n"
        if hints and len(block) <= budget:
            text += block
        return text
