"""``align-audit report``: the workshop tables of SPEC §4.

Six sections, each computed from the analysis engine (SPEC §2.1, §2.2) and the rules that
state the derived facts; this module only selects, orders and renders:

1. Stakeholder map: who the customers are, how they rank, what measures them.
2. Coverage matrix: which metric serves which customer, directly (●) or through effects (○).
3. Conflict and tradeoff register: every conflict and how (whether) it is decided.
4. Impact per system: what perfect optimization of each objective does to each customer.
5. Scorecard balance: leading against lagging metrics per customer.
6. Alignment summary: the shares a leadership team tracks, and the findings.

Formats: ``text`` (plain tables), ``markdown`` (pipe tables) and ``html`` (one self-contained
page: inline CSS and SVG, no network request). Same input, byte-identical output.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from html import escape
from typing import TYPE_CHECKING

from align_audit.analysis import Conflict
from align_audit.codes import UNGUARDED_HARM
from align_audit.findings import Finding
from align_audit.reporters.markdown import escape_markdown
from align_audit.visible import visible
from align_audit.workshop.impact import objective_impact
from align_audit.workshop.wording import SCORE_LEGEND

if TYPE_CHECKING:
    from align_audit.catalog import Catalog, ResolvedTradeoff
    from align_audit.engine import AuditResult

FORMATS = ("text", "markdown", "html")
"""The ``--format`` choices of ``align-audit report``."""

SECTIONS = (
    "Stakeholder map",
    "Coverage matrix",
    "Conflict and tradeoff register",
    "Impact per system",
    "Scorecard balance",
    "Alignment summary",
)
"""Section headings, in report order (the same in every format)."""

MATRIX_TEXT_LIMIT = 40
"""Above this many metrics, text and markdown show a per-customer summary, not the matrix."""
MATRIX_HTML_LIMIT = 200
"""Above this many metrics, HTML shows the per-customer summary too."""
DIAGRAM_LIMIT = 400
"""Above this many graph nodes the HTML page draws no diagram (it would be unreadable)."""
LIST_LIMIT = 12
"""Names listed in one cell before "+N more"."""
LEGEND_LIMIT = 8
"""With more customers than this, the text matrix heads its columns C1, C2, … with a legend."""

DIRECT, THROUGH_EFFECTS = "●", "○"
_IMPACT_NAMES = {100: "makes", 25: "helps", -25: "hurts", -100: "breaks"}


# -- the facts, format-independent ------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Stakeholder:
    """One row of the stakeholder map."""

    customer: str
    name: str
    role: str
    rank: int | None
    """1-based precedence rank; None when the customer is not in ``priorities``."""
    outcomes: tuple[str, ...]
    """Outcome ids without the customer prefix."""
    measured: int
    """Metrics measured for the customer or its outcomes (SPEC §2.2)."""
    serving: int
    """Metrics whose propagation reaches the customer with + (served customers, SPEC §2.2)."""
    objectives: int
    """Objectives whose stakeholder customer it is."""


@dataclass(frozen=True, slots=True)
class CustomerCoverage:
    """Per-customer counts of the coverage matrix."""

    customer: str
    direct: int
    """Metrics measured for it (●)."""
    effects_only: int
    """Metrics serving it only through effects (○)."""


@dataclass(frozen=True, slots=True)
class Coverage:
    """The coverage matrix: metrics (rows) × customers (columns)."""

    customers: tuple[str, ...]
    rows: tuple[tuple[str, tuple[str, ...]], ...]
    """(metric, one mark per customer: ●, ○ or "")."""
    totals: tuple[CustomerCoverage, ...]
    unserved: tuple[str, ...]
    """Metrics that serve no customer."""


@dataclass(frozen=True, slots=True)
class ConflictEntry:
    """One conflict (metric hurts metric) and how it is decided."""

    source: str
    target: str
    weight: int
    kind: str
    """``tradeoff``, ``precedence`` or ``unresolved``."""
    resolution: str
    """The human-readable decision."""
    stale: bool


@dataclass(frozen=True, slots=True)
class Decision:
    """One tradeoff and what the analysis says about it."""

    entity: str
    a: str
    b: str
    prefer: str
    rationale: str
    decided_by: str | None
    review_by: dt.date | None
    stale: bool
    conflicts: int
    """Conflicts (effects entries, either way) it decides."""
    obsolete: bool
    """No negative path between its metrics (AA202)."""
    override: str | None
    """AA203: the metric it prefers against precedence, when it does."""


@dataclass(frozen=True, slots=True)
class ObjectiveRow:
    """What perfect optimization of one objective does to the customers."""

    objective: str
    name: str | None
    metric: str
    direction: str
    stakeholder: str | None
    reached: bool
    """Its propagation reaches the claimed stakeholder with + (improves or mixed)."""
    improves: tuple[tuple[str, int | None], ...]
    worsens: tuple[tuple[str, int | None], ...]
    mixed: tuple[tuple[str, int | None], ...]
    guardrails: tuple[str, ...]
    unguarded: tuple[str, ...]
    """Harmed customers no guardrail watches (AA105), reported."""
    waived: tuple[str, ...]
    """Harmed customers no guardrail watches, whose AA105 finding is waived."""

    @property
    def harmed(self) -> tuple[str, ...]:
        """Customers it worsens or mixes."""
        return tuple(c for c, _ in (*self.worsens, *self.mixed))


@dataclass(frozen=True, slots=True)
class SystemImpact:
    """The objectives of one system."""

    system: str
    name: str | None
    owner: str | None
    objectives: tuple[ObjectiveRow, ...]
    skipped: tuple[str, ...]
    """Objectives that cannot be evaluated: their metric did not resolve."""


@dataclass(frozen=True, slots=True)
class Scorecard:
    """Leading against lagging metrics measured for one customer."""

    customer: str
    leading: int
    lagging: int
    unspecified: int
    status: str
    unbalanced: bool


@dataclass(frozen=True, slots=True)
class Share:
    """``part`` of ``whole``."""

    label: str
    part: int
    whole: int

    @property
    def percent(self) -> int | None:
        """Floor percentage (never shows 100% unless complete); None when there is no whole."""
        return None if self.whole == 0 else self.part * 100 // self.whole

    def text(self) -> str:
        """``3 of 4 (75%)``, or ``none to assess``."""
        if self.whole == 0:
            return "none to assess"
        return f"{self.part} of {self.whole} ({self.percent}%)"


@dataclass(frozen=True, slots=True)
class Summary:
    """The alignment summary."""

    shares: tuple[Share, ...]
    counts: tuple[tuple[str, int], ...]
    """Findings per severity, highest first."""
    waived: int
    size: str
    """"4 customers, 10 metrics, …"."""


@dataclass(frozen=True, slots=True)
class Report:
    """Everything the report shows."""

    title: str
    subtitle: str
    stakeholders: tuple[Stakeholder, ...]
    coverage: Coverage
    conflicts: tuple[ConflictEntry, ...]
    decisions: tuple[Decision, ...]
    systems: tuple[SystemImpact, ...]
    scorecards: tuple[Scorecard, ...]
    summary: Summary


# -- building ---------------------------------------------------------------------------------
def _finding_keys(findings: Iterable[Finding]) -> set[tuple[str, str, str]]:
    return {(f.code, f.entity, f.discriminator) for f in findings}


class _Builder:
    def __init__(self, result: AuditResult) -> None:
        from align_audit.engine import selected_codes

        self.result = result
        self.catalog: Catalog = result.catalog
        self.analysis = result.analysis  # reuses what the rules already computed
        self.reported = _finding_keys(result.findings)
        self.selected = selected_codes(result.settings)
        self.order = result.catalog.order

    def by_order(self, ids: Iterable[str]) -> list[str]:
        return sorted(ids, key=self.order.__getitem__)

    # -- 1 ----------------------------------------------------------------------------------
    def stakeholders(self) -> tuple[Stakeholder, ...]:
        catalog, analysis = self.catalog, self.analysis
        serving: dict[str, int] = {}
        for customers in analysis.served_customers.values():
            for customer in customers:
                serving[customer] = serving.get(customer, 0) + 1
        claimed: dict[str, int] = {}
        for objective in catalog.objectives:
            owner = analysis.stakeholder_customer(objective)
            if owner is not None:
                claimed[owner] = claimed.get(owner, 0) + 1
        rows = []
        for customer, entry in catalog.customers.items():
            model = entry.model
            assert model is not None
            rank = analysis.rank.get(customer)
            rows.append(
                Stakeholder(
                    customer,
                    model.name or "",
                    model.role,
                    None if rank is None else rank + 1,
                    tuple(o.split(".", 1)[1] for o in catalog.outcomes_of[customer]),
                    len(analysis.measured_for.get(customer, ())),
                    serving.get(customer, 0),
                    claimed.get(customer, 0),
                )
            )
        return tuple(rows)

    # -- 2 ----------------------------------------------------------------------------------
    def coverage(self) -> Coverage:
        catalog, analysis = self.catalog, self.analysis
        customers = tuple(catalog.customers)
        measured = {c: set(analysis.measured_for.get(c, ())) for c in customers}
        served = analysis.served_customers
        rows = []
        direct = dict.fromkeys(customers, 0)
        effects_only = dict.fromkeys(customers, 0)
        for metric in catalog.metrics:
            reached = served.get(metric, frozenset())
            marks = []
            for customer in customers:
                if metric in measured[customer]:
                    marks.append(DIRECT)
                    direct[customer] += 1
                elif customer in reached:
                    marks.append(THROUGH_EFFECTS)
                    effects_only[customer] += 1
                else:
                    marks.append("")
            rows.append((metric, tuple(marks)))
        unserved = tuple(m for m in catalog.metrics if not served.get(m))
        totals = tuple(CustomerCoverage(c, direct[c], effects_only[c]) for c in customers)
        return Coverage(customers, tuple(rows), totals, unserved)

    # -- 3 ----------------------------------------------------------------------------------
    def stale(self) -> set[str]:
        return {str(entry.ident) for entry in self.analysis.stale_tradeoffs}

    def conflicts(self, stale: set[str]) -> tuple[ConflictEntry, ...]:
        entries = []
        for conflict in self.analysis.conflicts:
            kind = self.analysis.resolution(conflict.source, conflict.target)
            is_stale = False
            if kind == "tradeoff":
                tradeoff = self.analysis.tradeoff_for[frozenset((conflict.source, conflict.target))]
                is_stale = tradeoff.entry.ident in stale
                text = _tradeoff_text(tradeoff, is_stale)
            elif kind == "precedence":
                text = self.precedence_text(conflict)
            else:
                text = "unresolved"
            entries.append(
                ConflictEntry(
                    conflict.source,
                    conflict.target,
                    conflict.weight,
                    kind or "unresolved",
                    text,
                    is_stale,
                )
            )
        return tuple(entries)

    def precedence_text(self, conflict: Conflict) -> str:
        served = self.analysis.served_customers
        m, n = conflict.source, conflict.target
        if not self.analysis.all_outrank(served[m], served[n]):
            m, n = n, m
        winners = _names(self.by_order(served[m]))
        losers = _names(self.by_order(served[n]))
        verb = "outranks" if len(served[m]) == 1 else "outrank"
        return f"precedence ({m} wins: {winners} {verb} {losers})"

    def decisions(self, stale: set[str]) -> tuple[Decision, ...]:
        obsolete = {t.entity for t in self.analysis.obsolete_tradeoffs}
        overrides = {o.tradeoff.entity for o in self.analysis.precedence_overrides}
        per_pair: dict[frozenset[str], int] = {}
        for conflict in self.analysis.conflicts:
            pair = frozenset((conflict.source, conflict.target))
            per_pair[pair] = per_pair.get(pair, 0) + 1
        rows = []
        for tradeoff in self.catalog.tradeoffs:
            model = tradeoff.model
            rows.append(
                Decision(
                    tradeoff.entity,
                    tradeoff.a,
                    tradeoff.b,
                    tradeoff.prefer,
                    model.rationale,
                    model.decided_by,
                    model.review_by,
                    tradeoff.entry.ident in stale,
                    per_pair.get(frozenset((tradeoff.a, tradeoff.b)), 0),
                    tradeoff.entity in obsolete,
                    tradeoff.prefer if tradeoff.entity in overrides else None,
                )
            )
        return tuple(rows)

    # -- 4 ----------------------------------------------------------------------------------
    def systems(self) -> tuple[SystemImpact, ...]:
        catalog = self.catalog
        unguarded: dict[str, list[str]] = {}
        for found in self.analysis.unguarded_harm:
            unguarded.setdefault(found.objective, []).append(found.customer)
        waived_possible = UNGUARDED_HARM in self.selected
        systems = []
        for system, objectives in catalog.objectives_of.items():
            model = catalog.systems[system].model
            assert model is not None
            rows, skipped = [], []
            for objective in objectives:
                impact = objective_impact(self.analysis, objective)
                if impact is None:
                    skipped.append(objective.split(".", 1)[1])
                    continue
                customers = [e for e in impact.effects if e.kind == "customer"]
                claimed = impact.customer_effect(impact.stakeholder) if impact.stakeholder else None
                harm = self.by_order(unguarded.get(objective, ()))
                waived = [
                    c
                    for c in harm
                    if waived_possible and (UNGUARDED_HARM, objective, c) not in self.reported
                ]
                rows.append(
                    ObjectiveRow(
                        objective,
                        catalog.objectives[objective].model.name,  # type: ignore[union-attr]
                        impact.metric,
                        impact.direction,
                        impact.stakeholder,
                        claimed is not None and claimed.effect in ("improves", "mixed"),
                        tuple((e.target, e.score) for e in customers if e.effect == "improves"),
                        tuple((e.target, e.score) for e in customers if e.effect == "worsens"),
                        tuple((e.target, e.score) for e in customers if e.effect == "mixed"),
                        tuple(link.target for link in catalog.guardrails.get(objective, ())),
                        tuple(c for c in harm if c not in waived),
                        tuple(waived),
                    )
                )
            systems.append(
                SystemImpact(system, model.name, model.owner, tuple(rows), tuple(skipped))
            )
        return tuple(systems)

    # -- 5 ----------------------------------------------------------------------------------
    def scorecards(self) -> tuple[Scorecard, ...]:
        catalog = self.catalog
        unbalanced = set(self.analysis.unbalanced_scorecards)
        rows = []
        for customer in catalog.customers:
            kinds = [
                catalog.metrics[m].model.kind  # type: ignore[union-attr]
                for m in self.analysis.measured_for.get(customer, ())
            ]
            leading, lagging = kinds.count("leading"), kinds.count("lagging")
            unspecified = len(kinds) - leading - lagging
            flagged = customer in unbalanced
            if flagged:
                status = f"UNBALANCED: all {'leading' if leading else 'lagging'}"
            elif not kinds:
                status = "NOT MEASURED"
            elif not leading and not lagging:
                status = "no kinds declared"
            else:
                status = "balanced"
            rows.append(Scorecard(customer, leading, lagging, unspecified, status, flagged))
        return tuple(rows)

    # -- 6 ----------------------------------------------------------------------------------
    def summary(
        self, systems: Sequence[SystemImpact], conflicts: Sequence[ConflictEntry]
    ) -> Summary:
        catalog, result = self.catalog, self.result
        served = self.analysis.served_customers
        objectives = [row for system in systems for row in system.objectives]
        measured = self.analysis.measured_for
        shares = (
            Share(
                "Metrics serving a customer",
                sum(1 for m in catalog.metrics if served.get(m)),
                len(catalog.metrics),
            ),
            Share(
                "Objectives with guardrails",
                sum(1 for o in catalog.objectives if catalog.guardrails.get(o)),
                len(catalog.objectives),
            ),
            Share(
                "Objectives reaching their stakeholder",
                sum(1 for row in objectives if row.reached),
                sum(1 for row in objectives if row.stakeholder is not None),
            ),
            Share(
                "Conflicts decided",
                sum(1 for c in conflicts if c.kind != "unresolved"),
                len(conflicts),
            ),
            Share(
                "Customers measured",
                sum(1 for c in catalog.customers if measured.get(c)),
                len(catalog.customers),
            ),
        )
        counts = tuple((level.label, n) for level, n in result.counts().items())
        size = ", ".join(
            _count(n, word)
            for n, word in (
                (len(catalog.customers), "customer"),
                (len(catalog.metrics), "metric"),
                (len(catalog.systems), "system"),
                (len(catalog.objectives), "objective"),
                (len(catalog.tradeoffs), "tradeoff"),
            )
        )
        return Summary(shares, counts, result.waived, size)

    def build(self) -> Report:
        stale = self.stale()
        conflicts = self.conflicts(stale)
        systems = self.systems()
        organizations = self.catalog.declarations.organizations
        org = organizations[0].model if organizations else None
        name = org.name if org is not None else None
        files = self.result.files
        source = files[0] if len(files) == 1 else _count(len(files), "file")
        return Report(
            f"Alignment report — {name}" if name else "Alignment report",
            f"Who the organization serves, what it measures and what its AI systems optimize "
            f"({source}, as of {self.result.settings.today.isoformat()}).",
            self.stakeholders(),
            self.coverage(),
            conflicts,
            self.decisions(stale),
            systems,
            self.scorecards(),
            self.summary(systems, conflicts),
        )


def build_report(result: AuditResult) -> Report:
    """The facts of every section, from the analysis engine."""
    return _Builder(result).build()


# -- shared wording ---------------------------------------------------------------------------
def _count(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def _names(items: Sequence[str], limit: int = LIST_LIMIT) -> str:
    """``a, b, c`` with at most ``limit`` names, then ``+N more``."""
    if len(items) <= limit:
        return ", ".join(items)
    return ", ".join(items[:limit]) + f", … (+{len(items) - limit} more)"


def _score(score: int | None) -> str:
    return "n/a" if score is None else f"{score:+d}"


def _scored(items: Sequence[tuple[str, int | None]]) -> str:
    return _names([f"{c} {_score(s)}" for c, s in items]) or "—"


def _impact(weight: int) -> str:
    name = _IMPACT_NAMES.get(weight)
    return f"{name} ({weight:+d})" if name else f"{weight:+d}"


def _tradeoff_text(tradeoff: ResolvedTradeoff, stale: bool) -> str:
    model = tradeoff.model
    parts = [f"prefer {tradeoff.prefer}"]
    if model.decided_by:
        parts.append(f"decided by {' '.join(model.decided_by.split())}")
    if model.review_by is not None:
        parts.append(f"review by {model.review_by.isoformat()}")
    if stale:
        parts.append("STALE")
    return f"tradeoff ({', '.join(parts)})"


def _rank(rank: int | None) -> str:
    return "unranked" if rank is None else str(rank)


def _stakeholder(row: ObjectiveRow) -> str:
    if row.stakeholder is None:
        return "?"
    return f"{'✓' if row.reached else '✗ not reached:'} {row.stakeholder}"


def _harm(row: ObjectiveRow) -> str:
    """``no harm``, ``guarded``, or the unguarded (and waived) harmed customers."""
    if not row.harmed:
        return "no harm"
    parts = []
    if row.unguarded:
        parts.append(f"UNGUARDED: {_names(row.unguarded)}")
    if row.waived:
        parts.append(f"unguarded, waived: {_names(row.waived)}")
    guarded = [c for c in row.harmed if c not in row.unguarded and c not in row.waived]
    if guarded:
        parts.append(f"guarded: {_names(guarded)}")
    return "; ".join(parts)


def _decision_notes(d: Decision) -> str:
    notes = []
    if d.obsolete:
        notes.append("OBSOLETE: no negative path between the two metrics (AA202)")
    elif d.conflicts == 0:
        notes.append("matches no direct conflict; decides an indirect one")
    if d.override:
        other = d.b if d.override == d.a else d.a
        notes.append(f"OVERRIDES PRECEDENCE: {other}'s customers outrank {d.override}'s (AA203)")
    if d.stale:
        notes.append("STALE: review date passed (AA201)")
    return "; ".join(notes) or "—"


def _matrix_intro(report: Report, full: bool, limit: int) -> str:
    n = len(report.coverage.rows)
    if full:
        return (
            f"{DIRECT} measured for the customer or one of its outcomes; "
            f"{THROUGH_EFFECTS} serves it only through effects; blank: does not serve it."
        )
    return (
        f"{n} metrics are too many for a matrix (more than {limit}): per customer, the "
        f"metrics measured for it ({DIRECT}) and those serving it only through effects "
        f"({THROUGH_EFFECTS})."
    )


def _skipped_line(system: SystemImpact) -> str:
    if not system.skipped:
        return "" if system.objectives else "No objectives."
    return f"Not evaluated (the metric they optimize has errors): {_names(system.skipped)}."


def _unserved_line(coverage: Coverage) -> str:
    if not coverage.rows:
        return "No metrics are declared."
    if not coverage.unserved:
        return "Every metric serves at least one customer."
    return (
        f"{_count(len(coverage.unserved), 'metric')} "
        f"{'serves' if len(coverage.unserved) == 1 else 'serve'} nobody: "
        f"{_names(list(coverage.unserved), 40)}."
    )


def _section_intro(index: int) -> str:
    return (
        "Each customer, its precedence rank and how many metrics and objectives concern it.",
        "",
        "Each conflict (an effects entry by which one metric hurts another) and how it is "
        "decided; then every tradeoff decision.",
        "If each AI objective were optimized perfectly: which customers end up better off, "
        "worse off or both (GRL score), and whether a guardrail watches the harm. " + SCORE_LEGEND,
        "Metrics measured for each customer, by kind. Unbalanced: every metric that declares "
        "a kind has the same kind (AA112).",
        "",
    )[index]


# -- text -------------------------------------------------------------------------------------
def _text(report: Report, width: int | None = None) -> str:
    """Plain and stable when ``width`` is None (piped, a file); else fitted to that many
    columns: cells wrap at spaces, and no header is narrower than its longest word."""
    import io

    from rich import box
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    buffer = io.StringIO()
    console = Console(
        file=buffer,
        force_terminal=False,
        no_color=True,
        color_system=None,
        width=width or 1000,  # written to a pipe or a file: tables never wrap
        highlight=False,
        emoji=False,
        markup=False,
    )

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

    console.print(Text(visible(report.title)))
    console.print(rule("━", report.title))
    para(report.subtitle)
    para(report.summary.size + ".")

    heading(SECTIONS[0])
    para(_section_intro(0))
    grid(
        _STAKEHOLDER_HEADERS,
        _stakeholder_rows(report),
        right=(3, 5, 6, 7),
    )

    heading(SECTIONS[1])
    coverage = report.coverage
    full = len(coverage.rows) <= MATRIX_TEXT_LIMIT
    para(_matrix_intro(report, full, MATRIX_TEXT_LIMIT))
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
            _coverage_totals(coverage),
            right=(1, 2),
        )
    para(_unserved_line(coverage))

    heading(SECTIONS[2])
    para(_section_intro(2))
    if report.conflicts:
        grid(("#", "metric", "hurts", "impact", "resolution"), _conflict_rows(report), right=(0,))
    else:
        para("No metric hurts another: there is nothing to decide.")
    console.print()
    console.print(Text("Tradeoff decisions"))
    if report.decisions:
        grid(
            ("tradeoff", "prefer", "decided by", "review by", "conflicts", "notes", "rationale"),
            _decision_rows(report),
            right=(4,),
        )
    else:
        para("No tradeoffs are declared.")

    heading(SECTIONS[3])
    para(_section_intro(3))
    for system in report.systems:
        console.print()
        console.print(Text(_system_title(system)))
        if system.objectives:
            grid(_IMPACT_HEADERS, _impact_rows(system))
        para(_skipped_line(system))
    if not report.systems:
        para("No AI systems are declared.")

    heading(SECTIONS[4])
    para(_section_intro(4))
    grid(
        ("customer", "leading", "lagging", "unspecified", "balance"),
        _scorecard_rows(report),
        right=(1, 2, 3),
    )

    heading(SECTIONS[5])
    grid(("measure", "value"), _summary_rows(report), right=(1,))
    text = buffer.getvalue()
    return "\n".join(line.rstrip() for line in text.splitlines()) + "\n"


# -- rows shared by text and markdown ---------------------------------------------------------
NO_CUSTOMERS = "No customers are declared."
_STAKEHOLDER_HEADERS = (
    "customer",
    "name",
    "role",
    "rank",
    "outcomes",
    "measured for it",
    "serving it",
    "objectives",
)
_IMPACT_HEADERS = (
    "objective",
    "optimizes",
    "claimed stakeholder",
    "improves",
    "worsens",
    "mixed",
    "harm",
)


def _system_title(system: SystemImpact) -> str:
    title = system.system
    if system.name:
        title += f" — {system.name}"
    if system.owner:
        title += f" (owner {system.owner})"
    return title


def _stakeholder_rows(report: Report) -> list[tuple[str, ...]]:
    return [
        (
            s.customer,
            s.name,
            s.role,
            _rank(s.rank),
            _names(s.outcomes) or "—",
            str(s.measured),
            str(s.serving),
            str(s.objectives),
        )
        for s in report.stakeholders
    ]


def _coverage_totals(coverage: Coverage) -> list[tuple[str, ...]]:
    return [(t.customer, str(t.direct), str(t.effects_only)) for t in coverage.totals]


def _conflict_rows(report: Report) -> list[tuple[str, ...]]:
    return [
        (str(i), c.source, c.target, _impact(c.weight), c.resolution)
        for i, c in enumerate(report.conflicts, 1)
    ]


def _decision_rows(report: Report) -> list[tuple[str, ...]]:
    return [
        (
            f"{d.a} ↔ {d.b}",
            d.prefer,
            " ".join(d.decided_by.split()) if d.decided_by else "—",
            d.review_by.isoformat() + (" STALE" if d.stale else "") if d.review_by else "—",
            str(d.conflicts),
            _decision_notes(d),
            " ".join(d.rationale.split()),
        )
        for d in report.decisions
    ]


def _arrow(direction: str) -> str:
    return "↑" if direction == "increase" else "↓"


def _impact_rows(system: SystemImpact) -> list[tuple[str, ...]]:
    return [
        (
            row.objective.split(".", 1)[1],
            f"{row.metric} {_arrow(row.direction)}",
            _stakeholder(row),
            _scored(row.improves),
            _scored(row.worsens),
            _scored(row.mixed),
            _harm(row),
        )
        for row in system.objectives
    ]


def _scorecard_rows(report: Report) -> list[tuple[str, ...]]:
    return [
        (s.customer, str(s.leading), str(s.lagging), str(s.unspecified), s.status)
        for s in report.scorecards
    ]


def _summary_rows(report: Report) -> list[tuple[str, str]]:
    summary = report.summary
    rows = [(share.label, share.text()) for share in summary.shares]
    rows.extend((f"Findings: {level}", str(n)) for level, n in summary.counts)
    rows.append(("Findings waived", str(summary.waived)))
    return rows


# -- markdown ---------------------------------------------------------------------------------


_LONE_UNDERSCORE = re.compile(r"(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])")


def _md(text: str) -> str:
    """Text safe in a pipe-table cell or a paragraph: markdown and HTML specials escaped,
    whitespace (newlines included) collapsed. An underscore inside a word (``fast_access``)
    cannot start emphasis, so ids stay readable; any other underscore is escaped."""
    flat = visible(" ".join(text.split()))
    escaped = escape_markdown(flat)
    return _LONE_UNDERSCORE.sub(r"\\_", escaped)


def _md_table(
    headers: Sequence[str], rows: Sequence[Sequence[str]], right: Iterable[int] = ()
) -> str:
    if not rows:
        return NO_CUSTOMERS + "\n"
    right = set(right)
    head = "| " + " | ".join(_md(h) for h in headers) + " |\n"
    rule = "|" + "|".join("---:" if i in right else "---" for i in range(len(headers))) + "|\n"
    body = "".join("| " + " | ".join(_md(c) for c in row) + " |\n" for row in rows)
    return head + rule + body


def _markdown(report: Report) -> str:
    parts = [f"# {_md(report.title)}\n\n{_md(report.subtitle)} {_md(report.summary.size)}.\n"]

    def section(index: int) -> None:
        parts.append(f"\n## {SECTIONS[index]}\n\n")
        intro = _section_intro(index)
        if intro:
            parts.append(_md(intro) + "\n\n")

    section(0)
    parts.append(
        _md_table(
            _STAKEHOLDER_HEADERS,
            _stakeholder_rows(report),
            right=(3, 5, 6, 7),
        )
    )

    section(1)
    coverage = report.coverage
    full = len(coverage.rows) <= MATRIX_TEXT_LIMIT
    parts.append(_md(_matrix_intro(report, full, MATRIX_TEXT_LIMIT)) + "\n\n")
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
                    f"measured for it {DIRECT}",
                    f"through effects only {THROUGH_EFFECTS}",
                ),
                _coverage_totals(coverage),
                right=(1, 2),
            )
        )
    parts.append("\n" + _md(_unserved_line(coverage)) + "\n")

    section(2)
    if report.conflicts:
        parts.append(
            _md_table(
                ("#", "metric", "hurts", "impact", "resolution"), _conflict_rows(report), (0,)
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
                _decision_rows(report),
                right=(4,),
            )
        )
    else:
        parts.append("No tradeoffs are declared.\n")

    section(3)
    for system in report.systems:
        parts.append(f"\n### {_md(_system_title(system))}\n\n")
        if system.objectives:
            parts.append(_md_table(_IMPACT_HEADERS, _impact_rows(system)))
        if _skipped_line(system):
            parts.append("\n" + _md(_skipped_line(system)) + "\n")
    if not report.systems:
        parts.append("No AI systems are declared.\n")

    section(4)
    parts.append(
        _md_table(
            ("customer", "leading", "lagging", "unspecified", "balance"),
            _scorecard_rows(report),
            right=(1, 2, 3),
        )
    )

    section(5)
    parts.append(_md_table(("measure", "value"), _summary_rows(report), right=(1,)))
    return re.sub(r"\n{3,}", "\n\n", "".join(parts))


# -- html -------------------------------------------------------------------------------------
_ANCHORS = ("stakeholders", "coverage", "conflicts", "impact", "scorecards", "summary")


def _h(text: str) -> str:
    return escape(visible(text), quote=True)


def _ref(ref: str) -> str:
    """An id in reference syntax as inline code that may break after its dots only."""
    return "<code>" + _h(ref).replace(".", ".<wbr>") + "</code>"


def _ids(items: Sequence[str], limit: int = LIST_LIMIT) -> str:
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
        f'<span class="{css} nowrap"><code>{_h(c)}</code> {_h(_score(s))}</span>'
        for c, s in items[:LIST_LIMIT]
    ]
    if len(items) > LIST_LIMIT:
        cells.append(f"… (+{len(items) - LIST_LIMIT} more)")
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
            cards.append(_card(share.label, "—", "none to assess", "neutral"))
            continue
        tone = "good" if percent == 100 else ("warn" if percent >= 75 else "bad")
        cards.append(_card(share.label, f"{percent}%", f"{share.part} of {share.whole}", tone))
    counts = dict(report.summary.counts)
    errors, warnings, infos = (counts.get(k, 0) for k in ("error", "warning", "info"))
    tone = "bad" if errors else ("warn" if warnings else "good")
    cards.append(
        _card(
            "Findings",
            str(errors + warnings + infos),
            f"{_count(errors, 'error')}, {_count(warnings, 'warning')}, {infos} info; "
            f"{report.summary.waived} waived",
            tone,
        )
    )
    return '<div class="cards">\n' + "\n".join(cards) + "\n</div>\n"


def _diagram(result: AuditResult) -> str:
    nodes = result.graph.number_of_nodes()
    if nodes == 0:
        return '<p class="note">Nothing is declared yet: there is no graph to draw.</p>\n'
    if nodes > DIAGRAM_LIMIT:
        return (
            f'<p class="note">The alignment graph has {nodes} nodes, too many to draw legibly '
            "here; draw a neighbourhood with <code>align-audit graph --focus ID</code>.</p>\n"
        )
    from align_audit.workshop.svg import graph_svg

    return (
        '<figure class="diagram">\n'
        + graph_svg(result.graph)
        + "\n<figcaption>Customers and outcomes, the metrics that serve them, and the AI "
        "objectives that push those metrics. Helping and hurting effects are drawn "
        "differently.</figcaption>\n</figure>\n"
    )


def _scorecard_tone(s: Scorecard) -> str:
    if s.unbalanced:
        return "warn"
    return "bad" if s.status == "NOT MEASURED" else "neutral"


def _resolution_html(c: ConflictEntry) -> str:
    tone = "bad" if c.kind == "unresolved" else ("warn" if c.stale else "good")
    return f'<span class="tag {tone}">{_h(c.resolution)}</span>'


def _html(report: Report, result: AuditResult) -> str:
    from align_audit.workshop.html import code, page
    from align_audit.workshop.html import table as html_table

    def table(
        headers: Sequence[str], rows: Sequence[Sequence[str]], numeric: set[int] | None = None
    ) -> str:
        if not rows:
            return f"<p>{_h(NO_CUSTOMERS)}</p>\n"
        return html_table(headers, rows, numeric)

    body: list[str] = []
    body.append(f'<p class="size">{_h(report.summary.size)}.</p>\n')
    body.append(_cards(report))
    body.append(
        '<nav class="toc">'
        + " · ".join(
            f'<a href="#{anchor}">{_h(title)}</a>'
            for anchor, title in zip(_ANCHORS, SECTIONS, strict=True)
        )
        + "</nav>\n"
    )
    body.append('<section id="diagram">\n<h2>Alignment graph</h2>\n')
    body.append(_diagram(result))
    body.append("</section>\n")

    def section(index: int) -> None:
        body.append(f'<section id="{_ANCHORS[index]}">\n<h2>{_h(SECTIONS[index])}</h2>\n')
        intro = _section_intro(index)
        if intro:
            body.append(f'<p class="intro">{_h(intro)}</p>\n')

    # 1
    section(0)
    body.append(
        table(
            _STAKEHOLDER_HEADERS,
            [
                (
                    code(s.customer),
                    _h(s.name),
                    f'<span class="role">{_h(s.role)}</span>',
                    _h(_rank(s.rank)),
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
    body.append("</section>\n")

    # 2
    section(1)
    coverage = report.coverage
    full = len(coverage.rows) <= MATRIX_HTML_LIMIT
    body.append(f'<p class="intro">{_h(_matrix_intro(report, full, MATRIX_HTML_LIMIT))}</p>\n')
    if full and coverage.customers:
        vertical = len(coverage.customers) > LEGEND_LIMIT
        head_class = ' class="vertical"' if vertical else ""
        heads = "".join(f"<th{head_class}>{_h(c)}</th>" for c in coverage.customers)
        rows = []
        for metric, marks in coverage.rows:
            unserved = metric in coverage.unserved
            cells = "".join(
                f'<td class="mark {"direct" if m == DIRECT else "effects"}">{m}</td>'
                if m
                else "<td></td>"
                for m in marks
            )
            note = '<span class="tag bad">serves nobody</span>' if unserved else ""
            rows.append(
                f"<tr{' class=unserved' if unserved else ''}><th>{code(metric)}</th>"
                f"{cells}<td>{note}</td></tr>\n"
            )
        body.append(
            f'<div class="matrix"><table>\n<thead><tr><th>metric</th>{heads}<th>note</th>'
            f"</tr></thead>\n<tbody>\n{''.join(rows)}</tbody>\n</table></div>\n"
        )
    elif coverage.customers:
        body.append(
            table(
                (
                    "customer",
                    f"measured for it {DIRECT}",
                    f"through effects only {THROUGH_EFFECTS}",
                ),
                [(code(t.customer), str(t.direct), str(t.effects_only)) for t in coverage.totals],
                numeric={1, 2},
            )
        )
    body.append(f"<p>{_h(_unserved_line(coverage))}</p>\n</section>\n")

    # 3
    section(2)
    if report.conflicts:
        body.append(
            table(
                ("#", "metric", "hurts", "impact", "resolution"),
                [
                    (
                        str(i),
                        code(c.source),
                        code(c.target),
                        f'<span class="worsens nowrap">{_h(_impact(c.weight))}</span>',
                        _resolution_html(c),
                    )
                    for i, c in enumerate(report.conflicts, 1)
                ],
                numeric={0},
            )
        )
    else:
        body.append("<p>No metric hurts another: there is nothing to decide.</p>\n")
    body.append("<h3>Tradeoff decisions</h3>\n")
    if report.decisions:
        rows_html = []
        for d, texts in zip(report.decisions, _decision_rows(report), strict=True):
            notes = _decision_notes(d)
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
        body.append(
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
        body.append("<p>No tradeoffs are declared.</p>\n")
    body.append("</section>\n")

    # 4
    section(3)
    for system in report.systems:
        body.append(f"<h3>{_h(_system_title(system))}</h3>\n")
        if _skipped_line(system):
            body.append(f'<p class="note">{_h(_skipped_line(system))}</p>\n')
        if not system.objectives:
            continue
        rows_html = []
        for row in system.objectives:
            reach_tone = "improves" if row.reached else "worsens"
            mark = "✓" if row.reached else "✗ not reached:"
            claimed = (
                "?"
                if row.stakeholder is None
                else f'<span class="{reach_tone}">{mark}</span> {_ref(row.stakeholder)}'
            )
            harm = _harm(row)
            tone = "bad" if row.unguarded else ("warn" if row.waived else "good")
            title = code(row.objective.split(".", 1)[1])
            if row.name:
                title += f'<br><span class="path">{_h(row.name)}</span>'
            rows_html.append(
                (
                    title,
                    f'<span class="nowrap">{code(row.metric)} {_arrow(row.direction)}</span>',
                    claimed,
                    _scored_html(row.improves, "improves"),
                    _scored_html(row.worsens, "worsens"),
                    _scored_html(row.mixed, "mixed"),
                    f'<span class="tag {tone}">{_h(harm)}</span>',
                )
            )
        body.append(table(_IMPACT_HEADERS, rows_html))
    if not report.systems:
        body.append("<p>No AI systems are declared.</p>\n")
    body.append("</section>\n")

    # 5
    section(4)
    body.append(
        table(
            ("customer", "leading", "lagging", "unspecified", "balance"),
            [
                (
                    code(s.customer),
                    str(s.leading),
                    str(s.lagging),
                    str(s.unspecified),
                    f'<span class="tag {_scorecard_tone(s)}">{_h(s.status)}</span>',
                )
                for s in report.scorecards
            ],
            numeric={1, 2, 3},
        )
    )
    body.append("</section>\n")

    # 6
    section(5)
    body.append(
        '<div class="compact">\n'
        + table(
            ("measure", "value"),
            [(_h(label), _h(value)) for label, value in _summary_rows(report)],
            numeric={1},
        )
        + "</div>\n"
    )
    body.append("</section>\n")
    return page(report.title, report.subtitle, "".join(body))


# -- entry point ------------------------------------------------------------------------------
def render_report(result: AuditResult, fmt: str, width: int | None = None) -> str:
    """The workshop report in ``fmt`` (one of :data:`FORMATS`); text fits ``width`` columns
    when given (a terminal)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown report format {fmt!r} (expected {', '.join(FORMATS)})")
    report = build_report(result)
    if fmt == "text":
        return _text(report, width)
    if fmt == "markdown":
        return _markdown(report)
    return _html(report, result)


__all__ = ["FORMATS", "SECTIONS", "Report", "build_report", "render_report"]
