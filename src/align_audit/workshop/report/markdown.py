"""The report as markdown: pipe tables, for a wiki page or a pull-request comment."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from align_audit.workshop.report import wording
from align_audit.workshop.tables import md as _md
from align_audit.workshop.tables import md_table

if TYPE_CHECKING:
    from align_audit.engine import AuditResult
    from align_audit.workshop.report.facts import Report


def _md_table(
    headers: Sequence[str], rows: Sequence[Sequence[str]], right: Iterable[int] = ()
) -> str:
    return md_table(headers, rows, right, wording.NO_CUSTOMERS)


def render(report: Report, result: AuditResult, width: int | None = None) -> str:
    heading = _md(wording.report_title(report))
    lead = f"{_md(wording.report_subtitle(report))} {_md(wording.size_text(report.summary))}."
    parts = [f"# {heading}\n\n{lead}\n"]

    def section(index: int) -> None:
        parts.append(f"\n## {wording.SECTIONS[index]}\n\n")
        intro = wording.section_intro(index)
        if intro:
            parts.append(_md(intro) + "\n\n")

    section(0)
    parts.append(
        _md_table(
            wording.STAKEHOLDER_HEADERS,
            wording.stakeholder_rows(report),
            right=(3, 5, 6, 7),
        )
    )

    section(1)
    coverage = report.coverage
    full = len(coverage.metrics) <= wording.MATRIX_TEXT_LIMIT
    parts.append(_md(wording.matrix_intro(report, full, wording.MATRIX_TEXT_LIMIT)) + "\n\n")
    if full and coverage.customers:
        parts.append(
            _md_table(
                ("metric", *coverage.customers, "note"),
                [
                    (m, *marks, "serves nobody" if m in coverage.unserved else "")
                    for m, marks in coverage.rows
                ],
            )
        )
    elif coverage.customers:
        parts.append(
            _md_table(
                (
                    "customer",
                    f"measured for it {wording.DIRECT}",
                    f"through effects only {wording.THROUGH_EFFECTS}",
                ),
                wording.coverage_totals(coverage),
                right=(1, 2),
            )
        )
    parts.append("\n" + _md(wording.unserved_line(coverage)) + "\n")

    section(2)
    if report.conflicts:
        parts.append(
            _md_table(
                ("#", "metric", "hurts", "impact", "resolution"),
                wording.conflict_rows(report),
                (0,),
            )
        )
    else:
        parts.append("No metric hurts another: there is nothing to decide.\n")
    parts.append("\n### Tradeoff decisions\n\n")
    if report.decisions:
        parts.append(
            _md_table(
                (
                    "tradeoff",
                    "prefer",
                    "decided by",
                    "review by",
                    "conflicts",
                    "notes",
                    "rationale",
                ),
                wording.decision_rows(report),
                right=(4,),
            )
        )
    else:
        parts.append("No tradeoffs are declared.\n")

    section(3)
    for system in report.systems:
        parts.append(f"\n### {_md(wording.system_title(system))}\n\n")
        if system.objectives:
            parts.append(_md_table(wording.IMPACT_HEADERS, wording.impact_rows(system)))
        if wording.skipped_line(system):
            parts.append("\n" + _md(wording.skipped_line(system)) + "\n")
    if not report.systems:
        parts.append("No AI systems are declared.\n")

    section(4)
    for view in report.customers:
        parts.append(f"\n### {_md(wording.customer_heading(view))}\n\n")
        line = wording.unreached_line(view)
        parts.append(
            line + "\n"
            if line
            else _md_table(wording.CUSTOMER_HEADERS, wording.customer_rows(view))
        )

    section(5)
    parts.append(
        _md_table(
            ("customer", "leading", "lagging", "unspecified", "balance"),
            wording.scorecard_rows(report),
            right=(1, 2, 3),
        )
    )

    section(6)
    parts.append(_md_table(("measure", "value"), wording.summary_rows(report), right=(1,)))

    if result.evidence is not None:
        from align_audit.workshop import evidence

        parts.append(f"\n## {_md(evidence.SECTION)}\n\n{_md(evidence.subtitle(result.evidence))}\n")
        parts += [evidence.markdown_block(b, "###") for b in evidence.blocks(result.evidence)]

    section(7)
    if not report.findings:
        parts.append(wording.NO_FINDINGS + "\n")
    for group in report.findings:
        parts.append(
            f"\n### {_md(wording.group_title(group))} ({_md(wording.group_counts(group))})\n\n"
        )
        for f in group.findings:
            parts.append(
                f"- **{f.level.label}** `{f.code}` {_md(f.message)} "
                f"({_md(wording.finding_place(f))})\n"
            )
            if f.hint:
                parts.append(f"  help: {_md(f.hint)}\n")
    return re.sub(r"\n{3,}", "\n\n", "".join(parts))
