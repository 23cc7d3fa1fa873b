"""``--format text``: a rich table on a terminal, plain ``path:line:col`` lines when piped."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from align_audit.console import text_console
from align_audit.findings import Finding, Severity
from align_audit.reporters.base import Reporter, ReportOptions

if TYPE_CHECKING:
    from rich.text import Text

    from align_audit.engine import AuditResult

_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}
_LOCATION_WIDTH = 48
"""The widest the location column gets: a longer path folds onto several lines."""
_BESIDE_MESSAGE = 5 + 8 + 3 * 2
"""The code and severity columns, and the padding between the four columns."""
_MESSAGE_WIDTH = 50
"""The narrowest message column worth a table; below it, messages go under their location."""


def summary_line(result: AuditResult) -> str:
    """One sentence: how many findings of each severity, in how many files."""
    files = len(result.files)
    where = f"{files} file" + ("" if files == 1 else "s")
    notes = [f"{result.waived} waived"] if result.waived else []
    if result.baselined:
        notes.append(f"{result.baselined} in the baseline")
    if result.baseline_gone:
        gone = result.baseline_gone
        notes.append(f"{gone} baseline {'entry' if gone == 1 else 'entries'} no longer occur")
    notes += known_notes(result)
    waived = f" ({'; '.join(notes)})" if notes else ""
    total = len(result.findings)
    skipped = ""
    if result.skipped:
        n = len(result.skipped)
        shown = ", ".join(result.skipped[:10]) + (", ..." if n > 10 else "")
        skipped = f" Skipped {n} YAML file{'s' if n != 1 else ''} that declare nothing: {shown}."
    if result.undeclared_data:
        n = len(result.undeclared_data)
        shown = ", ".join(result.undeclared_data[:10]) + (", ..." if n > 10 else "")
        metrics = "metric in the data is" if n == 1 else "metrics in the data are"
        skipped += f" Evidence: {n} {metrics} not declared: {shown}."
    if not total:
        return f"No findings in {where}{waived}.{skipped}"
    counts = result.counts()
    parts = [
        f"{n} {level.label}" + ("s" if n != 1 and level != Severity.INFO else "")
        for level, n in counts.items()
    ]
    noun = "finding" if total == 1 else "findings"
    return f"Found {total} {noun} in {where}: {', '.join(parts)}{waived}.{skipped}"


def known_notes(result: AuditResult) -> list[str]:
    """What ``--new-from-rev`` left out: findings already there, and those fixed since."""
    known = result.new_from
    if known is None:
        return []
    notes = [f"{known.preexisting} already at {known.revision}"]
    if known.fixed:
        notes.append(f"{known.fixed} fixed since {known.revision}")
    return notes


def statistics_table(result: AuditResult) -> str:
    """One line per rule: count, code, name, most frequent first."""
    return "".join(f"{count:>6}  {code}  {name}\n" for code, name, count in result.statistics())


def finding_line(finding: Finding) -> str:
    """``path:line:col: CODE [severity] message``."""
    loc = finding.location
    return f"{loc.path}:{loc.line}:{loc.column}: {finding.code} [{finding.level.label}] " + (
        finding.message
    )


def plain_lines(findings: Iterable[Finding]) -> str:
    """``path:line:col: CODE [severity] message`` per finding, then its source excerpt and a
    ``help:`` line (as ruff prints them), for pipes, logs and standard error."""
    lines: list[str] = []
    for f in findings:
        lines.append(finding_line(f))
        if f.snippet:
            lines.extend("    " + row for row in f.snippet.splitlines())
        if f.hint:
            lines.append(f"    help: {f.hint}")
    return "".join(line + "\n" for line in lines)


class TextReporter(Reporter):
    """Human-readable findings plus a summary line."""

    def render(self, result: AuditResult, options: ReportOptions) -> str:
        if options.statistics:
            body = statistics_table(result)
        else:
            body = self._table(result, options) if options.terminal else self._plain(result)
        if options.github:
            from align_audit.reporters.github import GithubReporter

            body += GithubReporter().render(result, options)
        if not options.quiet:
            body += summary_line(result) + "\n"
        return body

    @staticmethod
    def _plain(result: AuditResult) -> str:
        return plain_lines(result.findings)

    @staticmethod
    def _table(result: AuditResult, options: ReportOptions) -> str:
        import io

        from rich.padding import Padding
        from rich.table import Table
        from rich.text import Text

        buffer = io.StringIO()
        console = text_console(buffer, color=options.color, width=options.width, wide=120)
        if not result.findings:
            return ""
        places = [_place(f) for f in result.findings]
        beside = min(max(map(len, places)), _LOCATION_WIDTH) + _BESIDE_MESSAGE
        if console.width - beside < _MESSAGE_WIDTH:
            # Too narrow for a message column: ids would be folded mid-word into a tall,
            # thin column. Each finding's message goes under its location instead.
            for f, place in zip(result.findings, places, strict=True):
                head = Text(f"{place}  {f.code}  ")
                head.append(f.level.label, style=_STYLE[f.level])
                console.print(head)
                console.print(Padding(_message(f), (0, 0, 0, 4), expand=False))
            return buffer.getvalue()
        table = Table(box=None, show_edge=False, pad_edge=False, header_style="bold")
        # A long path folds onto several lines; code and severity are never cut short.
        table.add_column("Location", overflow="fold", max_width=_LOCATION_WIDTH)
        table.add_column("Code", no_wrap=True, min_width=5)
        table.add_column("Severity", no_wrap=True, min_width=8)
        table.add_column("Message", ratio=1, min_width=30, overflow="fold")
        for f, place in zip(result.findings, places, strict=True):
            label = Text(f.level.label, style=_STYLE[f.level])
            table.add_row(place, f.code, label, _message(f))
        console.print(table)
        return buffer.getvalue()


def _place(finding: Finding) -> str:
    loc = finding.location
    return f"{loc.path}:{loc.line}:{loc.column}"


def _message(finding: Finding) -> Text:
    """The message, then its hint and source excerpt, dimmed."""
    from rich.text import Text

    message = Text(finding.message)
    if finding.hint:
        message.append(f"\nhint: {finding.hint}", style="dim")
    if finding.snippet:
        message.append("\n" + finding.snippet, style="dim")
    return message
