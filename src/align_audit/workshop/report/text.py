"""The report as plain text: rich tables, fitted to a terminal or wide and stable when piped."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from align_audit.console import text_console
from align_audit.visible import visible
from align_audit.workshop.report.wording import (
    CUSTOMER_HEADERS,
    DIRECT,
    IMPACT_HEADERS,
    LEGEND_LIMIT,
    MATRIX_TEXT_LIMIT,
    NO_CUSTOMERS,
    NO_FINDINGS,
    SECTIONS,
    STAKEHOLDER_HEADERS,
    THROUGH_EFFECTS,
    conflict_rows,
    coverage_totals,
    customer_heading,
    customer_rows,
    decision_rows,
    finding_place,
    group_counts,
    group_title,
    impact_rows,
    matrix_intro,
    report_subtitle,
    report_title,
    scorecard_rows,
    section_intro,
    size_text,
    skipped_line,
    stakeholder_rows,
    summary_rows,
    system_title,
    unreached_line,
    unserved_line,
)

if TYPE_CHECKING:
    from align_audit.engine import AuditResult
    from align_audit.workshop.report.facts import Report


# -- text -------------------------------------------------------------------------------------
def render(report: Report, result: AuditResult, width: int | None = None) -> str:
    """Plain and stable when ``width`` is None (piped, a file); else fitted to that many
    columns: cells wrap at spaces, and no header is narrower than its longest word."""
    import io

    from rich import box
    from rich.table import Table
    from rich.text import Text

    buffer = io.StringIO()
    console = text_console(buffer, width=width)

    def rule(char: str, title: str) -> Text:
        return Text(char * min(len(title), width or len(title)))

    def heading(title: str) -> None:
        console.print()
        console.print(Text(title))
        console.print(rule("═", title))

    def para(text: str) -> None:
        if text:
            console.print(Text(visible(text)))

    def grid(
        headers: Sequence[str], rows: Sequence[Sequence[str]], right: Iterable[int] = ()
    ) -> None:
        if not rows:
            para(NO_CUSTOMERS)
            return
        table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
        right = set(right)
        for i, header in enumerate(headers):
            table.add_column(
                header,
                justify="right" if i in right else "left",
                no_wrap=width is None,
                min_width=max(map(len, header.split())) if width else None,
                overflow="fold",
            )
        for row in rows:
            table.add_row(*(Text(visible(cell)) for cell in row))
        console.print(table)

    console.print(Text(visible(report_title(report))))
    console.print(rule("━", report_title(report)))
    para(report_subtitle(report))
    para(size_text(report.summary) + ".")

    heading(SECTIONS[0])
    para(section_intro(0))
    grid(
        STAKEHOLDER_HEADERS,
        stakeholder_rows(report),
        right=(3, 5, 6, 7),
    )

    heading(SECTIONS[1])
    coverage = report.coverage
    full = len(coverage.rows) <= MATRIX_TEXT_LIMIT
    para(matrix_intro(report, full, MATRIX_TEXT_LIMIT))
    if full and coverage.customers:
        legend = len(coverage.customers) > LEGEND_LIMIT
        headers = [f"C{i}" if legend else c for i, c in enumerate(coverage.customers, 1)]
        table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
        table.add_column("metric")
        for header in headers:
            table.add_column(header, justify="center")
        table.add_column("note")
        for metric, marks in coverage.rows:
            note = "serves nobody" if metric in coverage.unserved else ""
            table.add_row(Text(metric), *(Text(m) for m in marks), Text(note))
        console.print(table)
        if legend:
            para(
                "Columns: "
                + ", ".join(f"C{i} = {c}" for i, c in enumerate(coverage.customers, 1))
                + "."
            )
    elif coverage.customers:
        grid(
            ("customer", f"measured for it {DIRECT}", f"through effects only {THROUGH_EFFECTS}"),
            coverage_totals(coverage),
            right=(1, 2),
        )
    para(unserved_line(coverage))

    heading(SECTIONS[2])
    para(section_intro(2))
    if report.conflicts:
        grid(("#", "metric", "hurts", "impact", "resolution"), conflict_rows(report), right=(0,))
    else:
        para("No metric hurts another: there is nothing to decide.")
    console.print()
    console.print(Text("Tradeoff decisions"))
    if report.decisions:
        grid(
            ("tradeoff", "prefer", "decided by", "review by", "conflicts", "notes", "rationale"),
            decision_rows(report),
            right=(4,),
        )
    else:
        para("No tradeoffs are declared.")

    heading(SECTIONS[3])
    para(section_intro(3))
    for system in report.systems:
        console.print()
        console.print(Text(system_title(system)))
        if system.objectives:
            grid(IMPACT_HEADERS, impact_rows(system))
        para(skipped_line(system))
    if not report.systems:
        para("No AI systems are declared.")

    heading(SECTIONS[4])
    para(section_intro(4))
    for view in report.customers:
        console.print()
        console.print(Text(visible(customer_heading(view))))
        para(unreached_line(view))
        if view.effects:
            grid(CUSTOMER_HEADERS, customer_rows(view))

    heading(SECTIONS[5])
    para(section_intro(5))
    grid(
        ("customer", "leading", "lagging", "unspecified", "balance"),
        scorecard_rows(report),
        right=(1, 2, 3),
    )

    heading(SECTIONS[6])
    grid(("measure", "value"), summary_rows(report), right=(1,))

    heading(SECTIONS[7])
    para(section_intro(7))
    if not report.findings:
        para(NO_FINDINGS)
    for group in report.findings:
        console.print()
        console.print(Text(visible(f"{group_title(group)} ({group_counts(group)})")))
        for f in group.findings:
            para(f"  {f.level.label:<7} {f.code}  {f.message} ({finding_place(f)})")
            if f.hint:
                para(f"          help: {f.hint}")
    text = buffer.getvalue()
    return "\n".join(line.rstrip() for line in text.splitlines()) + "\n"
