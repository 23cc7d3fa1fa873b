"""The report's facts: one dataclass per section, built from the audit result's analysis
(SPEC §2.2) and findings; the renderers only lay them out."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from align_audit.analysis.impact import ObjectiveImpact, objective_impact
from align_audit.codes import UNGUARDED_HARM
from align_audit.findings import Finding
from align_audit.workshop.report.coverage import Coverage, coverage_of
from align_audit.workshop.report.customers import CustomerView, customer_views
from align_audit.workshop.report.findings import FindingGroup, group_findings

if TYPE_CHECKING:
    from align_audit.analysis import Conflict
    from align_audit.catalog import Catalog
    from align_audit.engine import AuditResult
    from align_audit.links import ResolvedTradeoff


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
class ConflictEntry:
    """One conflict (metric hurts metric) and how it is decided."""

    source: str
    target: str
    weight: int
    kind: str
    """``tradeoff``, ``precedence`` or ``unresolved``."""
    tradeoff: ResolvedTradeoff | None
    """The deciding tradeoff (kind ``tradeoff``)."""
    precedence: tuple[str, tuple[str, ...], tuple[str, ...]] | None
    """(winning metric, its customers, the outranked customers) (kind ``precedence``)."""
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
    """``unbalanced``, ``not measured``, ``no kinds`` or ``balanced``."""
    unbalanced: bool


@dataclass(frozen=True, slots=True)
class Share:
    """``part`` of ``whole``."""

    measure: str
    """What is counted (``metrics_serving``, ``guarded_objectives``, ...; see wording)."""
    part: int
    whole: int

    @property
    def percent(self) -> int | None:
        """Floor percentage (never shows 100% unless complete); None when there is no whole."""
        return None if self.whole == 0 else self.part * 100 // self.whole


@dataclass(frozen=True, slots=True)
class Summary:
    """The alignment summary."""

    shares: tuple[Share, ...]
    counts: tuple[tuple[str, int], ...]
    """Findings per severity, highest first."""
    waived: int
    sizes: tuple[tuple[int, str], ...]
    """(count, kind) of customers, metrics, systems, objectives and tradeoffs."""


@dataclass(frozen=True, slots=True)
class Report:
    """Everything the report shows."""

    organization: str | None
    """The organization's name, if declared."""
    files: tuple[str, ...]
    """The files read."""
    today: dt.date
    """The audit date."""
    stakeholders: tuple[Stakeholder, ...]
    coverage: Coverage
    conflicts: tuple[ConflictEntry, ...]
    decisions: tuple[Decision, ...]
    systems: tuple[SystemImpact, ...]
    scorecards: tuple[Scorecard, ...]
    summary: Summary
    findings: tuple[FindingGroup, ...]
    """Every reported finding, grouped by system or customer, errors first."""
    customers: tuple[CustomerView, ...]
    """What every AI system does to each customer."""


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

    @cached_property
    def impacts(self) -> dict[str, ObjectiveImpact | None]:
        """Each objective's impact on customers, computed once for the system and customer
        views (the report shows no metric's path)."""
        return {
            o: objective_impact(self.analysis, o, ("customer",)) for o in self.catalog.objectives
        }

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

    # -- 2 is report.coverage.coverage_of --------------------------------------------------
    # -- 3 ----------------------------------------------------------------------------------
    def stale(self) -> set[str]:
        return {str(entry.ident) for entry in self.analysis.stale_tradeoffs}

    def conflicts(self, stale: set[str]) -> tuple[ConflictEntry, ...]:
        entries = []
        for conflict in self.analysis.conflicts:
            kind = self.analysis.resolution(conflict.source, conflict.target)
            tradeoff = None
            if kind == "tradeoff":
                tradeoff = self.analysis.tradeoff_for[frozenset((conflict.source, conflict.target))]
            entries.append(
                ConflictEntry(
                    conflict.source,
                    conflict.target,
                    conflict.weight,
                    kind or "unresolved",
                    tradeoff,
                    self.precedence(conflict) if kind == "precedence" else None,
                    tradeoff is not None and tradeoff.entry.ident in stale,
                )
            )
        return tuple(entries)

    def precedence(self, conflict: Conflict) -> tuple[str, tuple[str, ...], tuple[str, ...]]:
        """The metric whose customers all outrank the other's, and both groups of customers."""
        served = self.analysis.served_customers
        m, n = conflict.source, conflict.target
        if not self.analysis.all_outrank(served[m], served[n]):
            m, n = n, m
        return m, tuple(self.by_order(served[m])), tuple(self.by_order(served[n]))

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
                impact = self.impacts[objective]
                if impact is None:
                    skipped.append(objective.split(".", 1)[1])
                    continue
                customers = [e for e in impact.effects if e.kind == "customer"]
                reach = self.analysis.objective_reach(objective)
                claimed = reach.effect(impact.stakeholder) if reach and impact.stakeholder else None
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
                        claimed in ("improves", "mixed"),
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
                status = "unbalanced"
            elif not kinds:
                status = "not measured"
            elif not leading and not lagging:
                status = "no kinds"
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
                "metrics_serving",
                sum(1 for m in catalog.metrics if served.get(m)),
                len(catalog.metrics),
            ),
            Share(
                "guarded_objectives",
                sum(1 for o in catalog.objectives if catalog.guardrails.get(o)),
                len(catalog.objectives),
            ),
            Share(
                "reaching_objectives",
                sum(1 for row in objectives if row.reached),
                sum(1 for row in objectives if row.stakeholder is not None),
            ),
            Share(
                "decided_conflicts",
                sum(1 for c in conflicts if c.kind != "unresolved"),
                len(conflicts),
            ),
            Share(
                "measured_customers",
                sum(1 for c in catalog.customers if measured.get(c)),
                len(catalog.customers),
            ),
        )
        counts = tuple((level.label, n) for level, n in result.counts().items())
        sizes = (
            (len(catalog.customers), "customer"),
            (len(catalog.metrics), "metric"),
            (len(catalog.systems), "system"),
            (len(catalog.objectives), "objective"),
            (len(catalog.tradeoffs), "tradeoff"),
        )
        return Summary(shares, counts, result.waived, sizes)

    def build(self) -> Report:
        stale = self.stale()
        conflicts = self.conflicts(stale)
        systems = self.systems()
        organizations = self.catalog.declarations.organizations
        org = organizations[0].model if organizations else None
        return Report(
            org.name if org is not None else None,
            self.result.files,
            self.result.settings.today,
            self.stakeholders(),
            coverage_of(self.analysis),
            conflicts,
            self.decisions(stale),
            systems,
            self.scorecards(),
            self.summary(systems, conflicts),
            group_findings(self.result),
            customer_views(self.analysis, self.impacts),
        )


def build_report(result: AuditResult) -> Report:
    """The facts of every section, from the analysis engine."""
    return _Builder(result).build()
