"""What the observed data says of the declarations (SPEC §7.5), as tables shared by the
``evidence`` command and the report's evidence section: which beliefs the data supports,
contradicts or cannot judge; hidden tradeoffs; proxies winning while outcomes lose; breached
guardrails; and a sparkline of every optimized and guardrail metric."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from align_audit.workshop.report.wording import counted, impact_text
from align_audit.workshop.tables import TextWriter

if TYPE_CHECKING:
    from align_audit.engine import AuditResult
    from align_audit.evidence.facts import Evidence, EvidencePair, Trend

TITLE = "Evidence: declared beliefs against observed data"
SECTION = "Evidence: declared vs observed"
"""The report's section heading."""
_VERDICT_ORDER = {"contradicted": 0, "unconfirmed": 1, "confirmed": 2, "untested": 3}
_BARS = "▁▂▃▄▅▆▇█"


@dataclass(frozen=True, slots=True)
class Block:
    """One titled table (or only its sentences) of the evidence view."""

    title: str
    intro: str
    headers: tuple[str, ...]
    rows: Sequence[tuple[str, ...]]
    right: tuple[int, ...] = ()
    empty: str = ""
    note: str = ""
    """A sentence after the table (what it leaves out)."""
    sparks: list[list[float]] = field(default_factory=list)
    """Per row, the values drawn in the last column (HTML: inline SVG; text: bars)."""
    alarms: list[bool] = field(default_factory=list)
    """Per sparkline, whether the metric is losing while a proxy wins, or breaches its
    threshold (drawn in the warning colour)."""


def subtitle(evidence: Evidence) -> str:
    """What data was read: metrics, periods, files."""
    observed = evidence.observed
    span = ""
    if len(observed.keys):
        span = f" from {observed.period(0)} to {observed.period(len(observed.keys) - 1)}"
    return (
        f"{counted(len(observed.metrics), 'metric')} × {counted(len(observed.keys), 'period')}"
        f"{span}, read from {', '.join(observed.files)}."
    )


def _number(value: float | None, spec: str) -> str:
    return "—" if value is None else format(value, spec)


def _untested_reason(evidence: Evidence, pair: EvidencePair) -> str:
    rows = evidence.observed.row
    missing = [m for m in (pair.source, pair.target) if m not in rows]
    if missing:
        return f"no data for {' and '.join(missing)}"
    if pair.test.periods < evidence.parameters.min_periods:
        return f"{pair.test.periods} periods, fewer than {evidence.parameters.min_periods}"
    return "a constant series"


def verdict_text(evidence: Evidence, pair: EvidencePair) -> str:
    """The verdict, with why when the data cannot judge."""
    if pair.verdict == "untested":
        return f"untested ({_untested_reason(evidence, pair)})"
    return pair.verdict


def _pair_numbers(pair: EvidencePair) -> tuple[str, str, str, str]:
    test = pair.test
    lag = "—" if test.lag is None else str(test.lag)
    return _number(test.rho, "+.2f"), lag, str(test.periods), _number(pair.q, ".3g")


def declared_block(evidence: Evidence) -> Block:
    """Every declared metric→metric effect: contradicted first, then unconfirmed, confirmed
    and untested."""
    pairs = sorted(evidence.declared, key=lambda p: (_VERDICT_ORDER[p.verdict], p.source))
    rows = [
        (
            f"{p.source} {impact_text(p.weight or 0)} {p.target}",
            verdict_text(evidence, p),
            *_pair_numbers(p),
        )
        for p in pairs
    ]
    return Block(
        "Declared effects",
        "Each declared metric→metric effect, tested against the data: do the two metrics' "
        "improvements move the way the declaration says (Spearman ρ at the best lag, q after "
        "Benjamini–Hochberg)?",
        ("belief", "verdict", "ρ", "lag", "periods", "q"),
        rows,
        right=(2, 3, 4, 5),
        empty="No effect between two metrics is declared.",
    )


def undeclared_block(evidence: Evidence) -> Block:
    """Significant pairs measured for a common customer with nothing declared between them."""
    shown = [p for p in evidence.undeclared if p.verdict in ("hidden-tradeoff", "coupled")]
    shown.sort(key=lambda p: (p.verdict != "hidden-tradeoff", p.source, p.target))
    rest = len(evidence.undeclared) - len(shown)
    untested = sum(1 for p in evidence.undeclared if p.verdict == "untested")
    rows = [
        (
            f"{p.source} · {p.target}",
            p.customer or "",
            p.verdict,
            *_pair_numbers(p)[0:1],
            str(p.test.periods),
            _number(p.q, ".3g"),
        )
        for p in shown
    ]
    note = (
        f"{counted(rest, 'other pair')}: {rest - untested} independent, {untested} untested."
        if rest
        else ""
    )
    return Block(
        "Undeclared pairs",
        "Metrics measured for one customer with no effect or path declared between them, whose "
        "improvements move together (coupled) or opposite (a hidden tradeoff).",
        ("pair", "customer", "verdict", "ρ", "periods", "q"),
        rows,
        right=(3, 4, 5),
        empty="No undeclared pair moves significantly.",
        note=note,
    )


def _trend_cell(trend: tuple[float, float] | None) -> str:
    return "—" if trend is None else f"{trend[0]:+.2f} (p {trend[1]:.1g})"


def trends_block(evidence: Evidence) -> Block:
    """Each objective whose metric wins while a metric it must not hurt loses (the rest are
    counted); the window is a column only when the pairs' windows differ."""
    tested: list[Trend] = [t for t in evidence.trends if t.verdict == "diverging"]
    tested.sort(key=lambda t: (t.objective, t.other))
    calm = sum(1 for t in evidence.trends if t.verdict == "not-diverging")
    untested = len(evidence.trends) - len(tested) - calm
    windows = {(t.first, t.last) for t in tested}
    shared = len(windows) == 1
    rows = [
        (
            t.objective,
            t.metric,
            _trend_cell(t.metric_trend),
            f"{t.other} ({t.relation})",
            _trend_cell(t.other_trend),
            *(() if shared else (f"{t.first} – {t.last}",)),
        )
        for t in tested
    ]
    headers = ("objective", "optimizes", "its τ (p)", "must not hurt", "their τ (p)")
    window = ""
    if shared:
        first, last = next(iter(windows))
        window = f" Window: {first} – {last}."
    return Block(
        "Proxies winning, outcomes losing",
        f"Over the last {evidence.parameters.window} periods both have, the optimized metric "
        "improves while a guardrail, or a metric measured for the stakeholder, worsens "
        f"(Kendall τ of the direction-oriented values, p ≤ alpha).{window}",
        (*headers, *(() if shared else ("window",))),
        rows,
        right=(2, 4),
        empty="No proxy is winning while a metric it must not hurt is losing.",
        note=f"Tested and not diverging: {calm}; without a full window of data: {untested}.",
    )


def thresholds_block(evidence: Evidence) -> Block:
    """Breached guardrail thresholds, and what has no data."""
    rows = [
        (b.objective, b.metric, b.threshold.text, f"{b.value:g}", str(b.period))
        for b in evidence.breaches
    ]
    gaps = sorted({gap.metric for gap in evidence.unobserved})
    note = (
        f"No data for {counted(len(gaps), 'optimized or guardrail metric')}: {', '.join(gaps)}."
        if gaps
        else ""
    )
    return Block(
        "Guardrail thresholds",
        'Guardrails with a threshold like ">= 4.2", checked against the latest value.',
        ("objective", "guardrail", "threshold", "latest value", "period"),
        rows,
        right=(3,),
        empty="No guardrail threshold is breached.",
        note=note,
    )


def spark_width(width: int | None) -> int:
    """Bars per sparkline: fewer on a narrow terminal, so that the series stays on one line."""
    return 12 if width is not None and width < 120 else 24


def sparkline_block(evidence: Evidence, bars: int = 24) -> Block:
    """Every metric an objective optimizes or guards, and every stakeholder metric losing while
    an objective wins, with data: its series at a glance."""
    import numpy as np

    catalog, observed = evidence.catalog, evidence.observed
    roles: dict[str, list[str]] = {}
    for objective, link in catalog.optimizes.items():
        roles.setdefault(link.target, []).append(f"optimized by {objective}")
    for objective, guards in catalog.guardrails.items():
        for guard in guards:
            roles.setdefault(guard.target, []).append(f"guards {objective}")
    for trend in evidence.trends:
        if trend.verdict == "diverging" and trend.relation == "stakeholder":
            roles.setdefault(trend.other, []).append(f"worsens while {trend.objective} wins")
    losing = {t.other for t in evidence.trends if t.verdict == "diverging"}
    losing |= {b.metric for b in evidence.breaches}
    rows, sparks, alarms = [], [], []
    for metric in sorted(m for m in roles if m in observed.row):
        values = observed.values[observed.row[metric]]
        series = [float(v) for v in values[~np.isnan(values)]]
        model = catalog.metrics[metric].model
        direction = "" if model is None else f" ({model.direction})"
        rows.append(
            (
                metric + direction,
                "; ".join(roles[metric]),
                f"{series[-1]:g}",
                spark_text(series, bars),
            )
        )
        sparks.append(series)
        alarms.append(metric in losing)
    return Block(
        "Optimized and guardrail metrics",
        "Every observed value of each metric the AI systems optimize or guard (and of each "
        "one losing while a proxy wins), oldest first.",
        ("metric", "role", "latest", "series"),
        rows,
        right=(2,),
        empty="No optimized or guardrail metric has data.",
        sparks=sparks,
        alarms=alarms,
    )


def blocks(evidence: Evidence, bars: int = 24) -> list[Block]:
    """The evidence view, in reading order (``bars``: of each text sparkline)."""
    found = [
        declared_block(evidence),
        undeclared_block(evidence),
        trends_block(evidence),
        thresholds_block(evidence),
    ]
    return [*found, sparkline_block(evidence, bars)]


# -- sparklines ---------------------------------------------------------------------------------
def _scaled(values: Sequence[float], steps: int) -> list[int]:
    low, high = min(values), max(values)
    if high == low:
        return [steps // 2] * len(values)
    return [round((v - low) / (high - low) * (steps - 1)) for v in values]


def spark_text(values: Sequence[float], width: int = 24) -> str:
    """Unicode bars of the last ``width`` values."""
    tail = list(values)[-width:]
    return "".join(_BARS[i] for i in _scaled(tail, len(_BARS))) if tail else ""


def spark_svg(values: Sequence[float], label: str, alarm: bool = False) -> str:
    """A small inline SVG line of every value, the last one marked."""
    if not values:
        return ""
    width, height, pad = 160, 28, 3
    ys = _scaled(values, 1000)
    step = (width - 2 * pad) / max(1, len(values) - 1)
    points = " ".join(
        f"{pad + i * step:.1f},{height - pad - y / 999 * (height - 2 * pad):.1f}"
        for i, y in enumerate(ys)
    )
    last = points.rsplit(" ", 1)[-1].split(",")
    from align_audit.workshop.html import escape

    return (
        f'<svg class="{"spark alarm" if alarm else "spark"}" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" '
        f'role="img" aria-label="{escape(label)}"><polyline fill="none" stroke="currentColor" '
        f'stroke-width="1.5" points="{points}"/><circle cx="{last[0]}" cy="{last[1]}" r="2.5" '
        'fill="currentColor"/></svg>'
    )


# -- the evidence command's renderers: render(result, width) -> str ------------------------------
def _evidence(result: AuditResult) -> Evidence:
    assert result.evidence is not None, "the evidence command requires data"
    return result.evidence


def evidence_text(result: AuditResult, width: int | None = None) -> str:
    """Plain tables (fitted to ``width`` columns when given)."""
    evidence = _evidence(result)
    out = TextWriter(width)
    out.title(TITLE)
    out.para(subtitle(evidence))
    for block in blocks(evidence, spark_width(width)):
        text_block(out, block)
    return out.text()


def text_block(out: TextWriter, block: Block, top: bool = True) -> None:
    """One block into a text document (``top``: a section of its own, else a subsection)."""
    if top:
        out.heading(block.title)
    else:
        out.line()
        out.line(block.title)
    out.para(block.intro)
    out.grid(block.headers, block.rows, block.right, block.empty)
    out.para(block.note)


def markdown_block(block: Block, level: str = "##") -> str:
    """One block as markdown."""
    from align_audit.workshop.tables import md, md_table

    table = md_table(block.headers, block.rows, block.right, md(block.empty))
    note = f"\n{md(block.note)}\n" if block.note else ""
    return f"\n{level} {md(block.title)}\n\n{md(block.intro)}\n\n{table}{note}"


def evidence_markdown(result: AuditResult, width: int | None = None) -> str:
    """Pipe tables, for a wiki page or a pull-request comment."""
    from align_audit.workshop.tables import md

    evidence = _evidence(result)
    body = "".join(markdown_block(block) for block in blocks(evidence))
    return f"# {md(TITLE)}\n\n{md(subtitle(evidence))}\n{body}"


def html_block(block: Block, level: str = "h2") -> str:
    """One block as HTML; the sparkline column drawn as inline SVG."""
    from align_audit.workshop.html import escape, table

    rows = []
    for i, row in enumerate(block.rows):
        cells = [escape(cell) for cell in row]
        if block.sparks:
            label = f"{row[0]}: {len(block.sparks[i])} values"
            cells[-1] = spark_svg(block.sparks[i], label, block.alarms[i])
        rows.append(cells)
    body = (
        table(block.headers, rows, numeric=set(block.right))
        if rows
        else f"<p>{escape(block.empty)}</p>\n"
    )
    note = f"<p>{escape(block.note)}</p>\n" if block.note else ""
    return f"<{level}>{escape(block.title)}</{level}>\n<p>{escape(block.intro)}</p>\n{body}{note}"


def evidence_html(result: AuditResult, width: int | None = None) -> str:
    """One self-contained page."""
    from align_audit.workshop.html import page

    evidence = _evidence(result)
    return page(TITLE, subtitle(evidence), "\n".join(html_block(b) for b in blocks(evidence)))


def evidence_json(result: AuditResult, width: int | None = None) -> str:
    """SPEC §7.5's ``evidence`` and ``trends`` lists, with what was read."""
    from align_audit import __version__
    from align_audit.evidence.export import evidence_lists
    from align_audit.outputs import json_text

    evidence = _evidence(result)
    observed = evidence.observed
    document = {
        "version": 1,
        "tool": {"name": "align-audit", "version": __version__},
        "data": {
            "files": list(observed.files),
            "metrics": len(observed.metrics),
            "periods": len(observed.keys),
            "period_type": observed.period_type,
        },
        **evidence_lists(evidence),
    }
    return json_text(document)
