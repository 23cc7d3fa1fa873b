"""The report's per-customer view: what every AI system does to one customer ("what do all our
AI systems do to the regulator?"), with the path that explains each effect."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from align_audit.analysis import Analysis
    from align_audit.analysis.impact import ObjectiveImpact


@dataclass(frozen=True, slots=True)
class CustomerEffect:
    """What perfectly optimizing one objective does to one customer."""

    objective: str
    metric: str
    effect: str
    """improves, worsens or mixed."""
    score: int | None
    path: tuple[str, ...]
    """A witness path from the objective's metric to the customer (the − one for harm)."""
    claimed: bool
    """The objective claims to serve this customer (or one of its outcomes)."""
    unguarded: bool
    """Harm no guardrail of the objective watches (AA105)."""


@dataclass(frozen=True, slots=True)
class CustomerView:
    """Every objective that reaches one customer, in declaration order."""

    customer: str
    role: str
    rank: int | None
    """1-based precedence rank; None when unranked."""
    effects: tuple[CustomerEffect, ...]


def customer_views(
    analysis: Analysis, impacts: Mapping[str, ObjectiveImpact | None]
) -> tuple[CustomerView, ...]:
    """One view per declared customer, from the objectives' impacts (computed once)."""
    catalog = analysis.catalog
    harmed = {(h.objective, h.customer) for h in analysis.unguarded_harm}
    per_customer: dict[str, list[CustomerEffect]] = {c: [] for c in catalog.customers}
    for objective, impact in impacts.items():  # what each reaches: linear in the impacts
        if impact is None:
            continue
        stakeholder = analysis.stakeholder_customer(objective)
        for reached in impact.effects:
            if reached.kind != "customer" or reached.target not in per_customer:
                continue
            customer, path = reached.target, reached.path  # harm shows its − path
            per_customer[customer].append(
                CustomerEffect(
                    objective,
                    impact.metric,
                    reached.effect,
                    reached.score,
                    path,
                    stakeholder == customer,
                    (objective, customer) in harmed,
                )
            )
    views = []
    for customer, effects in per_customer.items():
        model = catalog.customers[customer].model
        assert model is not None
        rank = analysis.rank.get(customer)
        views.append(
            CustomerView(customer, model.role, None if rank is None else rank + 1, tuple(effects))
        )
    return tuple(views)
