"""Judgments derived from the analysis that a rule reports and the report shows: one home each,
so the report never runs a rule to learn them (SPEC §2.2, §3.1)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from align_audit.analysis.core import Analysis
    from align_audit.links import ResolvedTradeoff
    from align_audit.model import Entry, Tradeoff


@dataclass(frozen=True, slots=True)
class Harm:
    """An objective whose perfect optimization worsens a customer no guardrail watches
    (AA105)."""

    objective: str
    """``system.objective``."""
    customer: str
    """The harmed customer."""
    outcomes: tuple[str, ...]
    """Its outcomes reached with sign −, in declaration order."""
    trace: tuple[str, ...]
    """The − witness path from the objective's metric to the customer."""
    outranked: bool
    """The objective's stakeholder outranks the harmed customer (AA105 is then a warning)."""


@dataclass(frozen=True, slots=True)
class Override:
    """A tradeoff preferring the metric whose customers are all outranked by the other's
    (AA203)."""

    tradeoff: ResolvedTradeoff
    preferred: str
    other: str


def stale_tradeoffs(analysis: Analysis, today: dt.date) -> tuple[Entry[Tradeoff], ...]:
    """Decisions whose ``review_by`` is before today (AA201)."""
    stale = []
    for entry in analysis.catalog.decisions:
        model = entry.model
        if model is None or entry.ident is None or model.review_by is None:
            continue
        if model.review_by < today:
            stale.append(entry)
    return tuple(stale)


def obsolete_tradeoffs(analysis: Analysis) -> tuple[ResolvedTradeoff, ...]:
    """Tradeoffs between two metrics neither of which worsens the other (AA202)."""

    def worsens(m: str, n: str) -> bool:
        return analysis.propagate(m).reaches(n, -1)

    return tuple(
        t for t in analysis.catalog.tradeoffs if not (worsens(t.a, t.b) or worsens(t.b, t.a))
    )


def precedence_overrides(analysis: Analysis) -> tuple[Override, ...]:
    """Tradeoffs that prefer against the priorities (AA203)."""
    served = analysis.served_customers
    overrides = []
    for tradeoff in analysis.catalog.tradeoffs:
        preferred = tradeoff.prefer
        other = tradeoff.b if preferred == tradeoff.a else tradeoff.a
        if analysis.all_outrank(served[other], served[preferred]):
            overrides.append(Override(tradeoff, preferred, other))
    return tuple(overrides)


def unguarded_harm(analysis: Analysis) -> tuple[Harm, ...]:
    """Every (objective, customer) harmed without a watching guardrail (AA105, SPEC §2.2)."""
    catalog = analysis.catalog
    direct = analysis.measured_directly
    harms = []
    for objective in catalog.objectives:
        reach = analysis.objective_reach(objective)
        if reach is None:
            continue
        guards = {link.target for link in catalog.guardrails.get(objective, ())}
        stakeholder = analysis.stakeholder_customer(objective)
        for customer in analysis.reached_customers(reach, -1):
            harmed = [o for o in catalog.outcomes_of[customer] if reach.reaches(o, -1)]
            if any(guards.intersection(direct.get(x, ())) for x in (customer, *harmed)):
                continue
            outranked = stakeholder is not None and analysis.outranks(stakeholder, customer)
            harms.append(
                Harm(objective, customer, tuple(harmed), tuple(reach.path(customer, -1)), outranked)
            )
    return tuple(harms)


def unbalanced_scorecards(analysis: Analysis) -> dict[str, str]:
    """Customer → the one kind (leading or lagging) of every metric measured for it that
    declares a kind, when there is exactly one (AA112)."""
    catalog = analysis.catalog
    unbalanced: dict[str, str] = {}
    for customer, metrics in analysis.measured_for.items():
        if customer not in catalog.customers:
            continue
        kinds = {
            kind
            for m in metrics
            if (kind := catalog.metrics[m].model.kind) is not None  # type: ignore[union-attr]
        }
        if len(kinds) == 1:
            unbalanced[customer] = kinds.pop()
    return unbalanced


def misaligned_objectives(analysis: Analysis) -> tuple[str, ...]:
    """Objectives whose perfect optimization does not reach their claimed stakeholder with
    sign + (AA104, SPEC §2.2)."""
    catalog = analysis.catalog
    misaligned = []
    for objective in catalog.objectives:
        reach = analysis.objective_reach(objective)
        link = catalog.stakeholder.get(objective)
        if reach is not None and link is not None and not reach.reaches(link.target, 1):
            misaligned.append(objective)
    return tuple(misaligned)
