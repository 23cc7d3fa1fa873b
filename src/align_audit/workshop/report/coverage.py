"""The report's coverage matrix: which metric serves which customer, directly (●) or only
through effects (○), with per-customer totals for an organization too large for a matrix."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from align_audit.workshop.report.wording import DIRECT, THROUGH_EFFECTS

if TYPE_CHECKING:
    from align_audit.analysis import Analysis


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
    metrics: tuple[str, ...]
    totals: tuple[CustomerCoverage, ...]
    unserved: tuple[str, ...]
    """Metrics that serve no customer."""
    measured: dict[str, set[str]]
    """Customer → the metrics measured for it or one of its outcomes."""
    served: dict[str, frozenset[str]]
    """Metric → the customers it serves (SPEC §2.2)."""

    @property
    def rows(self) -> list[tuple[str, tuple[str, ...]]]:
        """(metric, one mark per customer: ●, ○ or ""). Made when a matrix is shown: metrics
        × customers cells would be most of the report's memory in a large organization,
        which gets per-customer totals instead."""
        empty: frozenset[str] = frozenset()
        return [
            (
                metric,
                tuple(
                    DIRECT
                    if metric in self.measured[customer]
                    else THROUGH_EFFECTS
                    if customer in self.served.get(metric, empty)
                    else ""
                    for customer in self.customers
                ),
            )
            for metric in self.metrics
        ]


def coverage_of(analysis: Analysis) -> Coverage:
    """The matrix's totals, and what its cells are made from (in time linear in the links)."""
    catalog = analysis.catalog
    customers = tuple(catalog.customers)
    measured = {c: set(analysis.measured_for.get(c, ())) for c in customers}
    served = analysis.served_customers
    direct = {c: sum(1 for m in measured[c] if m in catalog.metrics) for c in customers}
    effects_only = dict.fromkeys(customers, 0)
    for metric in catalog.metrics:
        for customer in served.get(metric, ()):
            if customer in effects_only and metric not in measured[customer]:
                effects_only[customer] += 1
    unserved = tuple(m for m in catalog.metrics if not served.get(m))
    totals = tuple(CustomerCoverage(c, direct[c], effects_only[c]) for c in customers)
    return Coverage(customers, tuple(catalog.metrics), totals, unserved, measured, served)
