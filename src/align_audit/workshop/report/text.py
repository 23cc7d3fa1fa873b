"""The report as plain text: rich tables, fitted to a terminal or wide and stable when piped."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING

from align_audit.workshop.report import wording
from align_audit.workshop.tables import TextWriter

if TYPE_CHECKING:
    from align_audit.engine import AuditResult
    from align_audit.workshop.report.facts import Report


# -- text -------------------------------------------------------------------------------------
def render(report: Report, result: AuditResult, width: int | None = None) -> Iterator[str]:
    """Plain and stable when ``width`` is None (piped, a file); else fitted to that many
    columns: cells wrap at spaces, and no header is narrower than its longest word. Written
    in pieces, a section or a group of findings each, as they are made."""
    from rich import box
    from rich.table import Table
    from rich.text import Text

    out = TextWriter(width)
    console = out.console
    heading, para = out.heading, out.para

    def grid(
        headers: Sequence[str], rows: Sequence[Sequence[str]], right: Iterable[int] = ()
    ) -> None:
        out.grid(headers, rows, right, wording.NO_CUSTOMERS)

    out.title(wording.report_title(report))
    para(wording.report_subtitle(report))
    para(wording.size_text(report.summary) + ".")

    yield out.take()
    heading(wording.SECTIONS[0])
    para(wording.section_intro(0))
    grid(
        wording.STAKEHOLDER_HEADERS,
        wording.stakeholder_rows(report),
        right=(3, 5, 6, 7),
    )

    yield out.take()
    heading(wording.SECTIONS[1])
    coverage = report.coverage
    full = len(coverage.metrics) <= wording.MATRIX_TEXT_LIMIT
    para(wording.matrix_intro(report, full, wording.MATRIX_TEXT_LIMIT))
    if full and coverage.customers:
        legend = len(coverage.customers) > wording.LEGEND_LIMIT
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
            (
                "customer",
                f"measured for it {wording.DIRECT}",
                f"through effects only {wording.THROUGH_EFFECTS}",
            ),
            wording.coverage_totals(coverage),
            right=(1, 2),
        )
    para(wording.unserved_line(coverage))

    yield out.take()
    heading(wording.SECTIONS[2])
    para(wording.section_intro(2))
    if report.conflicts:
        grid(
            ("#", "metric", "hurts", "impact", "resolution"),
            wording.conflict_rows(report),
            right=(0,),
        )
    else:
        para("No metric hurts another: there is nothing to decide.")
    out.line()
    out.line("Tradeoff decisions")
    if report.decisions:
        grid(
            ("tradeoff", "prefer", "decided by", "review by", "conflicts", "notes", "rationale"),
            wording.decision_rows(report),
            right=(4,),
        )
    else:
        para("No tradeoffs are declared.")

    yield out.take()
    heading(wording.SECTIONS[3])
    para(wording.section_intro(3))
    for system in report.systems:
        out.line()
        out.line(wording.system_title(system))
        if system.objectives:
            grid(wording.IMPACT_HEADERS, wording.impact_rows(system))
        para(wording.skipped_line(system))
        yield out.take()  # a system at a time: a large organization's section is megabytes
    if not report.systems:
        para("No AI systems are declared.")

    yield out.take()
    heading(wording.SECTIONS[4])
    para(wording.section_intro(4))
    for view in report.customers:
        out.line()
        out.line(wording.customer_heading(view))
        para(wording.unreached_line(view))
        if view.effects:
            grid(wording.CUSTOMER_HEADERS, wording.customer_rows(view))
        yield out.take()

    yield out.take()
    heading(wording.SECTIONS[5])
    para(wording.section_intro(5))
    grid(
        ("customer", "leading", "lagging", "unspecified", "balance"),
        wording.scorecard_rows(report),
        right=(1, 2, 3),
    )

    yield out.take()
    heading(wording.SECTIONS[6])
    grid(("measure", "value"), wording.summary_rows(report), right=(1,))

    if result.evidence is not None:
        from align_audit.workshop import evidence

        yield out.take()
        heading(evidence.SECTION)
        para(evidence.subtitle(result.evidence))
        for block in evidence.blocks(result.evidence, evidence.spark_width(width)):
            evidence.text_block(out, block, top=False)

    yield out.take()
    heading(wording.SECTIONS[7])
    para(wording.section_intro(7))
    if not report.findings:
        para(wording.NO_FINDINGS)
    written = 0
    for group in report.findings:
        out.line()
        out.line(f"{wording.group_title(group)} ({wording.group_counts(group)})")
        for f in group.findings:
            para(f"  {f.level.label:<7} {f.code}  {f.message} ({wording.finding_place(f)})")
            if f.hint:
                para(f"          help: {f.hint}")
            written += 1
            if not written % 1000:  # across groups: most groups are small
                yield out.take()
    yield out.take()
