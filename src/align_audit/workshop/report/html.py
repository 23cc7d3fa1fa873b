"""The report as one self-contained HTML page: inline CSS and SVG, no network request."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from align_audit.workshop.html import escape as _h
from align_audit.workshop.report import wording
from align_audit.workshop.wording import direction_arrow, score_text

if TYPE_CHECKING:
    from align_audit.engine import AuditResult
    from align_audit.workshop.report.customers import CustomerView
    from align_audit.workshop.report.facts import ConflictEntry, Report, Scorecard, SystemImpact
    from align_audit.workshop.report.findings import FindingGroup


# -- html -------------------------------------------------------------------------------------
_ANCHORS = (
    "stakeholders",
    "coverage",
    "conflicts",
    "impact",
    "customers",
    "scorecards",
    "summary",
    "findings",
)


def _ref(ref: str) -> str:
    """An id in reference syntax as inline code that may break after its dots only."""
    return "<code>" + _h(ref).replace(".", ".<wbr>") + "</code>"


def _ids(items: Sequence[str], limit: int = wording.LIST_LIMIT) -> str:
    if not items:
        return "—"
    shown = ", ".join(f"<code>{_h(i)}</code>" for i in items[:limit])
    if len(items) > limit:
        shown += f", … (+{len(items) - limit} more)"
    return shown


def _scored_html(items: Sequence[tuple[str, int | None]], css: str) -> str:
    if not items:
        return "—"
    cells = [
        f'<span class="{css} nowrap"><code>{_h(c)}</code> {_h(score_text(s))}</span>'
        for c, s in items[: wording.LIST_LIMIT]
    ]
    if len(items) > wording.LIST_LIMIT:
        cells.append(f"… (+{len(items) - wording.LIST_LIMIT} more)")
    return "<br>".join(cells)


def _card(label: str, value: str, detail: str, tone: str) -> str:
    return (
        f'<div class="card {tone}"><div class="big">{_h(value)}</div>'
        f'<div class="label">{_h(label)}</div><div class="detail">{_h(detail)}</div></div>'
    )


def _cards(report: Report) -> str:
    cards = []
    for share in report.summary.shares:
        percent = share.percent
        if percent is None:
            cards.append(_card(wording.share_label(share), "—", "none to assess", "neutral"))
            continue
        tone = "good" if percent == 100 else ("warn" if percent >= 75 else "bad")
        cards.append(
            _card(wording.share_label(share), f"{percent}%", f"{share.part} of {share.whole}", tone)
        )
    counts = dict(report.summary.counts)
    errors, warnings, infos = (counts.get(k, 0) for k in ("error", "warning", "info"))
    tone = "bad" if errors else ("warn" if warnings else "good")
    cards.append(
        _card(
            "Findings",
            str(errors + warnings + infos),
            f"{wording.counted(errors, 'error')}, {wording.counted(warnings, 'warning')}, "
            f"{infos} info; "
            f"{report.summary.waived} waived",
            tone,
        )
    )
    return '<div class="cards">\n' + "\n".join(cards) + "\n</div>\n"


def diagram(result: AuditResult) -> str:
    """The alignment graph as inline SVG, problems drawn in the warning colour."""
    return "".join(diagram_chunks(result))


def diagram_chunks(result: AuditResult) -> Iterator[str]:
    """The text of :func:`diagram` in pieces, as they are drawn."""
    from align_audit.graph import node_count

    nodes = node_count(result.analysis.catalog)  # a large graph is drawn collapsed, unmade
    if nodes == 0:
        yield '<p class="note">Nothing is declared yet: there is no graph to draw.</p>\n'
        return
    from align_audit.workshop.graph.svg import svg_chunks
    from align_audit.workshop.graph.view import COLLAPSE_ABOVE, collapsed, problems_of

    problems = problems_of(result.analysis)
    yield '<figure class="diagram">\n'
    if nodes > COLLAPSE_ABOVE:
        graph, problems = collapsed(result.analysis, problems)
        yield from svg_chunks(graph, problems=problems)
        yield f"\n<figcaption>{_h(wording.collapsed_caption(nodes))}</figcaption>\n</figure>\n"
        return
    yield from svg_chunks(result.analysis.elements, problems=problems)
    yield (
        "\n<figcaption>Customers and outcomes, the metrics that serve them, and the AI "
        "objectives that push those metrics. Helping and hurting effects are drawn "
        "differently.</figcaption>\n</figure>\n"
    )


def _scorecard_tone(s: Scorecard) -> str:
    if s.unbalanced:
        return "warn"
    return "bad" if s.status == "not measured" else "neutral"


def _resolution_html(c: ConflictEntry) -> str:
    tone = "bad" if c.kind == "unresolved" else ("warn" if c.stale else "good")
    return f'<span class="tag {tone}">{_h(wording.resolution_text(c))}</span>'


_TONE = {"error": "bad", "warning": "warn", "info": "neutral"}


def findings_html(groups: Sequence[FindingGroup]) -> str:
    """Each group with its findings: severity, code, message, place and fix hint."""
    return "".join(findings_chunks(groups))


def findings_chunks(groups: Sequence[FindingGroup]) -> Iterator[str]:
    """:func:`findings_html` in pieces, a finding each."""
    if not groups:
        yield f"<p>{_h(wording.NO_FINDINGS)}</p>\n"
        return
    for group in groups:
        yield (
            f"<h3>{_h(wording.group_title(group))} "
            f'<span class="count">({_h(wording.group_counts(group))})</span></h3>\n'
            '<ul class="findings">\n'
        )
        for f in group.findings:
            hint = f'<br><span class="hint">help: {_h(f.hint)}</span>' if f.hint else ""
            yield (
                f'<li><span class="tag {_TONE[f.level.label]}">{_h(f.level.label)}</span> '
                f"<code>{_h(f.code)}</code> {_h(f.message)} "
                f'<span class="path">{_h(wording.finding_place(f))}</span>{hint}</li>\n'
            )
        yield "</ul>\n"


def _toc(result: AuditResult) -> list[tuple[str, str]]:
    entries = list(zip(_ANCHORS, wording.SECTIONS, strict=True))
    if result.evidence is not None:
        entries.insert(-1, ("evidence", "Evidence"))
    return entries


def table(
    headers: Sequence[str], rows: Sequence[Sequence[str]], numeric: set[int] | None = None
) -> str:
    """An HTML table, or a sentence when there are no rows."""
    from align_audit.workshop.html import table as html_table

    if not rows:
        return f"<p>{_h(wording.NO_CUSTOMERS)}</p>\n"
    return html_table(headers, rows, numeric)


def system_html(system: SystemImpact) -> str:
    """One system: what perfectly optimizing each of its objectives does to the customers."""
    from align_audit.workshop.html import code

    parts = [f"<h3>{_h(wording.system_title(system))}</h3>\n"]
    if wording.skipped_line(system):
        parts.append(f'<p class="note">{_h(wording.skipped_line(system))}</p>\n')
    if not system.objectives:
        return "".join(parts)
    rows_html = []
    for row in system.objectives:
        reach_tone = "improves" if row.reached else "worsens"
        mark = "✓" if row.reached else "✗ not reached:"
        claimed = (
            "?"
            if row.stakeholder is None
            else f'<span class="{reach_tone}">{mark}</span> {_ref(row.stakeholder)}'
        )
        harm = wording.harm_text(row)
        tone = "bad" if row.unguarded else ("warn" if row.waived else "good")
        title = code(row.objective.split(".", 1)[1])
        if row.name:
            title += f'<br><span class="path">{_h(row.name)}</span>'
        rows_html.append(
            (
                title,
                f'<span class="nowrap">{code(row.metric)} {direction_arrow(row.direction)}</span>',
                claimed,
                _scored_html(row.improves, "improves"),
                _scored_html(row.worsens, "worsens"),
                _scored_html(row.mixed, "mixed"),
                f'<span class="tag {tone}">{_h(harm)}</span>',
            )
        )
    parts.append(table(wording.IMPACT_HEADERS, rows_html))
    return "".join(parts)


def customer_html(view: CustomerView) -> str:
    """One customer: what every AI objective does to it, with score and witness path."""
    from align_audit.workshop.html import code

    heading = f"<h3>{_h(wording.customer_heading(view))}</h3>\n"
    line = wording.unreached_line(view)
    if line:
        return heading + f"<p>{_h(line)}</p>\n"
    customer_cells = [
        (
            code(objective),
            code(metric),
            f'<span class="{view_effect.effect}">{_h(effect)}</span>',
            _h(score),
            f'<span class="path">{_h(path)}</span>',
        )
        for view_effect, (objective, metric, effect, score, path) in zip(
            view.effects, wording.customer_rows(view), strict=True
        )
    ]
    return heading + table(wording.CUSTOMER_HEADERS, customer_cells, numeric={3})


def render(report: Report, result: AuditResult, width: int | None = None) -> Iterator[str]:
    """The whole page, in pieces as they are made."""
    from align_audit.workshop.html import page_chunks

    return page_chunks(
        wording.report_title(report),
        wording.report_subtitle(report),
        report_chunks(report, result),
    )


def content(report: Report, result: AuditResult) -> str:
    """The page without its document shell: title, subtitle and every section (the live page's
    overview)."""
    from align_audit.workshop.html import heading

    title, subtitle = wording.report_title(report), wording.report_subtitle(report)
    return heading(title, subtitle) + report_body(report, result)


def report_body(report: Report, result: AuditResult) -> str:
    """Every section of the report, in order."""
    return "".join(report_chunks(report, result))


def report_chunks(report: Report, result: AuditResult) -> Iterator[str]:
    """Every section of the report, in order, in pieces as they are made: a report of many
    findings streams to its destination instead of being held whole (twice, joined)."""
    from align_audit.workshop.html import code, table_chunks

    yield f'<p class="size">{_h(wording.size_text(report.summary))}.</p>\n'
    yield _cards(report)
    yield (
        '<nav class="toc">'
        + " · ".join(f'<a href="#{anchor}">{_h(title)}</a>' for anchor, title in _toc(result))
        + "</nav>\n"
    )
    yield '<section id="diagram">\n<h2>Alignment graph</h2>\n'
    yield from diagram_chunks(result)
    yield "</section>\n"

    def section(index: int) -> str:
        intro = wording.section_intro(index)
        return f'<section id="{_ANCHORS[index]}">\n<h2>{_h(wording.SECTIONS[index])}</h2>\n' + (
            f'<p class="intro">{_h(intro)}</p>\n' if intro else ""
        )

    # 1
    yield section(0)
    yield (
        table(
            wording.STAKEHOLDER_HEADERS,
            [
                (
                    code(s.customer),
                    _h(s.name),
                    f'<span class="role">{_h(s.role)}</span>',
                    _h(wording.rank_text(s.rank)),
                    _ids(s.outcomes),
                    str(s.measured),
                    f'<span class="worsens">{s.serving}</span>'
                    if not s.serving
                    else str(s.serving),
                    str(s.objectives),
                )
                for s in report.stakeholders
            ],
            numeric={3, 5, 6, 7},
        )
    )
    yield "</section>\n"

    # 2
    yield section(1)
    coverage = report.coverage
    full = len(coverage.metrics) <= wording.MATRIX_HTML_LIMIT
    yield (
        f'<p class="intro">'
        f"{_h(wording.matrix_intro(report, full, wording.MATRIX_HTML_LIMIT))}</p>\n"
    )
    if full and coverage.customers:
        vertical = len(coverage.customers) > wording.LEGEND_LIMIT
        head_class = ' class="vertical"' if vertical else ""
        # many customers: narrow columns, so that the matrix fits a 1280-pixel projector
        dense = ' class="dense"' if len(coverage.customers) > wording.DENSE_LIMIT else ""
        heads = "".join(f"<th{head_class}>{_h(c)}</th>" for c in coverage.customers)
        rows = []
        for metric, marks in coverage.rows:
            unserved = metric in coverage.unserved
            cells = "".join(
                f'<td class="mark {"direct" if m == wording.DIRECT else "effects"}">{m}</td>'
                if m
                else "<td></td>"
                for m in marks
            )
            note = '<span class="tag bad">serves nobody</span>' if unserved else ""
            rows.append(
                f"<tr{' class=unserved' if unserved else ''}><th>{code(metric)}</th>"
                f"{cells}<td>{note}</td></tr>\n"
            )
        yield (
            f'<div class="matrix"><table{dense}>\n<thead><tr><th>metric</th>{heads}<th>note</th>'
            f"</tr></thead>\n<tbody>\n{''.join(rows)}</tbody>\n</table></div>\n"
        )
    elif coverage.customers:
        yield (
            table(
                (
                    "customer",
                    f"measured for it {wording.DIRECT}",
                    f"through effects only {wording.THROUGH_EFFECTS}",
                ),
                [(code(t.customer), str(t.direct), str(t.effects_only)) for t in coverage.totals],
                numeric={1, 2},
            )
        )
    yield f"<p>{_h(wording.unserved_line(coverage))}</p>\n</section>\n"

    # 3
    yield section(2)
    if report.conflicts:
        yield from table_chunks(
            ("#", "metric", "hurts", "impact", "resolution"),
            (
                (
                    str(i),
                    code(c.source),
                    code(c.target),
                    f'<span class="worsens nowrap">{_h(wording.impact_text(c.weight))}</span>',
                    _resolution_html(c),
                )
                for i, c in enumerate(report.conflicts, 1)
            ),
            numeric={0},
        )
    else:
        yield "<p>No metric hurts another: there is nothing to decide.</p>\n"
    yield "<h3>Tradeoff decisions</h3>\n"
    if report.decisions:
        rows_html = []
        for d, texts in zip(report.decisions, wording.decision_rows(report), strict=True):
            notes = wording.decision_notes(d)
            tone = "bad" if d.obsolete or d.override else ("warn" if d.stale else "")
            rows_html.append(
                (
                    f"{code(d.a)} ↔ {code(d.b)}",
                    code(d.prefer),
                    _h(texts[2]),
                    f'<span class="tag warn nowrap">{_h(texts[3])}</span>'
                    if d.stale
                    else f'<span class="nowrap">{_h(texts[3])}</span>',
                    texts[4],
                    f'<span class="tag {tone}">{_h(notes)}</span>' if tone else _h(notes),
                    _h(texts[6]),
                )
            )
        yield (
            table(
                (
                    "tradeoff",
                    "prefer",
                    "decided by",
                    "review by",
                    "conflicts",
                    "notes",
                    "rationale",
                ),
                rows_html,
                numeric={4},
            )
        )
    else:
        yield "<p>No tradeoffs are declared.</p>\n"
    yield "</section>\n"

    # 4
    yield section(3)
    yield from (system_html(system) for system in report.systems)
    if not report.systems:
        yield "<p>No AI systems are declared.</p>\n"
    yield "</section>\n"

    # 5
    yield section(4)
    yield from (customer_html(view) for view in report.customers)
    yield "</section>\n"

    # 6
    yield section(5)
    yield (
        table(
            ("customer", "leading", "lagging", "unspecified", "balance"),
            [
                (
                    code(s.customer),
                    str(s.leading),
                    str(s.lagging),
                    str(s.unspecified),
                    f'<span class="tag {_scorecard_tone(s)}">'
                    f"{_h(wording.scorecard_status(s))}</span>",
                )
                for s in report.scorecards
            ],
            numeric={1, 2, 3},
        )
    )
    yield "</section>\n"

    # 6
    yield section(6)
    yield (
        '<div class="compact">\n'
        + table(
            ("measure", "value"),
            [(_h(label), _h(value)) for label, value in wording.summary_rows(report)],
            numeric={1},
        )
        + "</div>\n"
    )
    yield "</section>\n"

    if result.evidence is not None:
        from align_audit.workshop import evidence

        yield (
            f'<section id="evidence">\n<h2>{_h(evidence.SECTION)}</h2>\n'
            f'<p class="intro">{_h(evidence.subtitle(result.evidence))}</p>\n'
        )
        yield from (evidence.html_block(b, "h3") for b in evidence.blocks(result.evidence))
        yield "</section>\n"

    # 7
    yield section(7)
    yield from findings_chunks(report.findings)
    yield "</section>\n"
