"""Evidence facts (SPEC §7.2): every declared metric→metric effect tested against the observed
data, the family corrected by Benjamini–Hochberg; computed once, read by the rules and outputs.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from align_audit.evidence.stats import PairTest, correlate, improvements, q_values

if TYPE_CHECKING:
    from align_audit.catalog import Catalog, EffectLink
    from align_audit.evidence.data import Observations


@dataclass(frozen=True, slots=True)
class EvidenceParameters:
    """The ``[evidence]`` table of the configuration (SPEC §7.2 defaults)."""

    min_periods: int = 12
    max_lag: int = 1
    alpha: float = 0.05
    min_correlation: float = 0.3
    window: int = 12


@dataclass(frozen=True, slots=True)
class DeclaredPair:
    """One declared effects entry from a metric to a metric, and what the data says."""

    source: str
    target: str
    weight: int
    link: EffectLink
    test: PairTest
    q: float | None
    """Benjamini–Hochberg q over the tested declared pairs; None when untested."""
    verdict: str
    """``confirmed``, ``contradicted``, ``unconfirmed`` or ``untested``."""


class Evidence:
    """The observed data confronted with the declarations."""

    def __init__(
        self, catalog: Catalog, observed: Observations, parameters: EvidenceParameters
    ) -> None:
        self.catalog = catalog
        self.observed = observed
        self.parameters = parameters

    def _significant(self, test: PairTest, q: float | None) -> bool:
        return (
            q is not None
            and test.rho is not None
            and q <= self.parameters.alpha
            and abs(test.rho) >= self.parameters.min_correlation
        )

    @cached_property
    def declared(self) -> tuple[DeclaredPair, ...]:
        """Every effects entry m → n between metrics, in declaration order, with its verdict."""
        catalog, series, params = self.catalog, self.observed.series, self.parameters
        entries: list[tuple[str, EffectLink, PairTest]] = []
        for source, effects in catalog.effects.items():
            for link in effects:
                if link.target not in catalog.metrics:
                    continue
                m, n = catalog.metrics[source].model, catalog.metrics[link.target].model
                assert m is not None and n is not None
                dm, dn = improvements(
                    series.get(source, {}), m.direction, series.get(link.target, {}), n.direction
                )
                test = correlate(dm, dn, min_periods=params.min_periods, max_lag=params.max_lag)
                entries.append((source, link, test))
        tested = [test.p for _, _, test in entries if test.tested and test.p is not None]
        qs = iter(q_values(tested))
        pairs = []
        for source, link, test in entries:
            q = next(qs) if test.tested else None
            if not test.tested:
                verdict = "untested"
            elif not self._significant(test, q):
                verdict = "unconfirmed"
            else:
                assert test.rho is not None
                agrees = (test.rho > 0) == (link.weight > 0)
                verdict = "confirmed" if agrees else "contradicted"
            pairs.append(DeclaredPair(source, link.target, link.weight, link, test, q, verdict))
        return tuple(pairs)
