"""Evidence facts (SPEC §7): the declarations confronted with the observed data, computed once
and read by the rules and every output.

- :attr:`Evidence.pairs`: both families of §7.2 (declared effects; undeclared pairs measured for
  a common customer), each corrected by Benjamini–Hochberg, with their verdicts;
- :attr:`Evidence.trends`: §7.3, each objective's metric against its guardrails and the metrics
  measured for its stakeholder over the recent window;
- :attr:`Evidence.breaches`: §7.4, guardrail thresholds at the latest period;
- :attr:`Evidence.unobserved`: metrics an objective optimizes or guards that have no data.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any, Literal

from align_audit.evidence.stats import (
    PairTest,
    correlate_pairs,
    q_values,
    sign_of,
    steps,
    trend_rows,
)
from align_audit.evidence.thresholds import Threshold, parse_threshold
from align_audit.findings import Location

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    from align_audit.analysis import Analysis
    from align_audit.catalog import Catalog
    from align_audit.evidence.data import Observations, Period
    from align_audit.links import EffectLink
    from align_audit.settings import EvidenceParameters

Family = Literal["declared", "undeclared"]
_CHUNK = 20_000
"""Pairs tested per matrix: bounds memory on organizations with huge scorecards."""


@dataclass(frozen=True, slots=True)
class EvidencePair:
    """One pair of §7.2 and what the data says of it."""

    family: Family
    source: str
    """m: the effect's source; for an undeclared pair, the smaller id."""
    target: str
    weight: int | None
    """The declared weight; None for an undeclared pair."""
    test: PairTest
    q: float | None
    """Benjamini–Hochberg q within the family; None when untested."""
    verdict: str
    """declared: confirmed, contradicted, unconfirmed; undeclared: hidden-tradeoff, coupled,
    independent; either: untested."""
    link: EffectLink | None = None
    """The effects entry (declared pairs)."""
    customer: str | None = None
    """A customer both are measured for (undeclared pairs): the first declared."""


@dataclass(frozen=True, slots=True)
class Trend:
    """An objective's metric and one metric it must not hurt, over the recent window (§7.3)."""

    objective: str
    metric: str
    """o: the metric the objective optimizes."""
    other: str
    """g: a guardrail, or a metric measured for the objective's stakeholder customer."""
    relation: Literal["guardrail", "stakeholder"]
    periods: int
    """Periods in the window (fewer than ``window``: untested)."""
    first: Period | None
    last: Period | None
    metric_trend: tuple[float, float] | None
    """o's Kendall τ and p (None: untested or constant)."""
    other_trend: tuple[float, float] | None
    verdict: Literal["diverging", "not-diverging", "untested"]


@dataclass(frozen=True, slots=True)
class Breach:
    """A guardrail threshold the latest observed value violates (§7.4)."""

    objective: str
    metric: str
    threshold: Threshold
    value: float
    period: Period
    location: Location


@dataclass(frozen=True, slots=True)
class Unobserved:
    """A metric an objective optimizes or guards, with no data."""

    objective: str
    metric: str
    role: Literal["optimizes", "guardrail"]
    location: Location


class Evidence:
    """The observed data confronted with the declarations."""

    def __init__(
        self, analysis: Analysis, observed: Observations, parameters: EvidenceParameters
    ) -> None:
        self.analysis = analysis
        self.catalog: Catalog = analysis.catalog
        self.observed = observed
        self.parameters = parameters

    # -- §7.2 -------------------------------------------------------------------------------------
    @cached_property
    def pairs(self) -> tuple[EvidencePair, ...]:
        """Both families, sorted by family, source, target (the JSON order)."""
        return self.declared + self.undeclared

    @cached_property
    def declared(self) -> tuple[EvidencePair, ...]:
        """Every effects entry from a metric to a metric, sorted by source, target."""
        links = sorted(
            (
                (source, link)
                for source, effects in self.catalog.effects.items()
                for link in effects
                if link.target in self.catalog.metrics
            ),
            key=lambda item: (item[0], item[1].target),
        )
        tests = self._test([(s, link.target) for s, link in links], self.parameters.max_lag)
        qs = self._q(tests)
        pairs = []
        for (source, link), test, q in zip(links, tests, qs, strict=True):
            agrees = "confirmed" if link.weight > 0 else "contradicted"
            disagrees = "contradicted" if link.weight > 0 else "confirmed"
            verdict = self._verdict(test, q, "unconfirmed", (disagrees, agrees))
            pairs.append(
                EvidencePair(
                    "declared", source, link.target, link.weight, test, q, verdict, link=link
                )
            )
        return tuple(pairs)

    @cached_property
    def undeclared(self) -> tuple[EvidencePair, ...]:
        """Every unordered pair measured for a common customer with no declared effect or
        propagation between them, tested at lag 0 (sorted by smaller id, larger id)."""
        common: dict[tuple[str, str], str] = {}
        near: dict[str, set[str]] = {}
        for customer in self.catalog.customers:
            metrics = sorted(set(self.analysis.measured_for.get(customer, ())))
            for i, m in enumerate(metrics):
                if m not in near:
                    near[m] = self._near(m)
                for n in metrics[i + 1 :]:
                    common.setdefault((m, n), customer)
        candidates = sorted((m, n) for m, n in common if n not in near[m] and m not in near[n])
        tests = self._test(candidates, 0)
        qs = self._q(tests)
        pairs = []
        for (m, n), test, q in zip(candidates, tests, qs, strict=True):
            verdict = self._verdict(test, q, "independent", ("hidden-tradeoff", "coupled"))
            pairs.append(
                EvidencePair("undeclared", m, n, None, test, q, verdict, customer=common[m, n])
            )
        return tuple(pairs)

    def _near(self, metric: str) -> set[str]:
        """What a metric has an effects entry on, or reaches by propagation (§2.1): a pair is
        undeclared when neither is near the other."""
        near = {link.target for link in self.catalog.effects.get(metric, ())}
        return near | self.analysis.propagate(metric).masks.keys()

    def _verdict(self, test: PairTest, q: float | None, weak: str, signed: tuple[str, str]) -> str:
        """``untested``; ``weak`` when not significant; else ``signed`` by the sign of ρ
        (negative, positive)."""
        if not test.tested:
            return "untested"
        if not self._significant(test, q):
            return weak
        assert test.rho is not None
        return signed[0] if test.rho < 0 else signed[1]

    def _significant(self, test: PairTest, q: float | None) -> bool:
        return (
            q is not None
            and test.rho is not None
            and q <= self.parameters.alpha
            and abs(test.rho) >= self.parameters.min_correlation
        )

    @staticmethod
    def _q(tests: list[PairTest]) -> list[float | None]:
        qs = iter(q_values([t.p for t in tests if t.tested and t.p is not None]))
        return [next(qs) if t.tested else None for t in tests]

    def _test(self, pairs: list[tuple[str, str]], max_lag: int) -> list[PairTest]:
        """Test every (m, n) pair, grouped by the periods both have (one matrix per group)."""
        import numpy as np

        observed = self.observed
        results: list[PairTest] = [PairTest(0, None, None, None)] * len(pairs)
        index = [
            (k, observed.row[m], observed.row[n])
            for k, (m, n) in enumerate(pairs)
            if m in observed.row and n in observed.row
        ]
        if not index:
            return results
        where, sources, targets = (np.asarray(column) for column in zip(*index, strict=True))
        present = ~np.isnan(observed.values)
        signs = np.asarray([self._sign(metric) for metric in observed.metrics], dtype=float)
        for start in range(0, len(where), _CHUNK):
            chunk = slice(start, start + _CHUNK)
            src, tgt = sources[chunk], targets[chunk]
            masks = present[src] & present[tgt]
            counts = masks.sum(axis=1)
            for count in np.unique(counts).tolist():
                members = np.flatnonzero(counts == count)
                if count < 2:
                    continue  # no improvement at all: untested, L = 0 (set above)
                tests = self._test_group(src[members], tgt[members], masks[members], signs, max_lag)
                for k, test in zip(where[chunk][members].tolist(), tests, strict=True):
                    results[k] = test
        return results

    def _test_group(
        self,
        src: npt.NDArray[np.intp],
        tgt: npt.NDArray[np.intp],
        masks: npt.NDArray[np.bool_],
        signs: npt.NDArray[np.float64],
        max_lag: int,
    ) -> list[PairTest]:
        """Pairs with as many common periods: when they all share the same periods (complete
        data), each metric's improvements are ranked once; else each pair's own."""
        import numpy as np

        values, least = self.observed.values, self.parameters.min_periods
        if (masks == masks[0]).all():
            rows, local = np.unique(np.concatenate([src, tgt]), return_inverse=True)
            shared = steps(values[np.ix_(rows, np.flatnonzero(masks[0]))], signs[rows])
            ends = local[: len(src)], local[len(src) :]
            return correlate_pairs(shared, shared, *ends, min_periods=least, max_lag=max_lag)
        own = np.nonzero(masks)[1].reshape(len(src), -1)  # each pair's common periods
        dm = steps(values[src[:, None], own], signs[src])
        dn = steps(values[tgt[:, None], own], signs[tgt])
        index = np.arange(len(src))
        return correlate_pairs(dm, dn, index, index, min_periods=least, max_lag=max_lag)

    def _sign(self, metric: str) -> int:
        entry = self.catalog.metrics.get(metric)
        return 1 if entry is None else sign_of(self.catalog.direction(metric))

    # -- §7.3 -------------------------------------------------------------------------------------
    def _watched(self, objective: str) -> Iterator[tuple[str, Literal["guardrail", "stakeholder"]]]:
        """The metrics an objective must not hurt: its guardrails, then the metrics measured
        for its stakeholder customer (each once)."""
        seen: set[str] = set()
        for link in self.catalog.guardrails.get(objective, ()):
            if link.target not in seen:
                seen.add(link.target)
                yield link.target, "guardrail"
        customer = self.analysis.stakeholder_customer(objective)
        for metric in self.analysis.measured_for.get(customer or "", ()):
            if metric not in seen:
                seen.add(metric)
                yield metric, "stakeholder"

    @cached_property
    def trends(self) -> tuple[Trend, ...]:
        """For each objective whose metric has data, each metric it must not hurt."""
        import numpy as np

        observed, window, alpha = self.observed, self.parameters.window, self.parameters.alpha
        present = ~np.isnan(observed.values)
        planned: list[tuple[str, str, str, Literal["guardrail", "stakeholder"], Any]] = []
        for objective, link in self.catalog.optimizes.items():
            o = link.target
            if o not in observed.row:
                continue
            for g, relation in self._watched(objective):
                if g == o:
                    continue
                columns = np.zeros(0, dtype=np.intp)
                if g in observed.row:
                    both = present[observed.row[o]] & present[observed.row[g]]
                    columns = np.flatnonzero(both)[-window:]
                planned.append((objective, o, g, relation, columns))
        computed = self._trends(
            [(m, c) for _, o, g, _, c in planned if len(c) == window for m in (o, g)]
        )
        trends = []
        for objective, o, g, relation, columns in planned:
            if len(columns) < window:
                trends.append(
                    Trend(
                        objective, o, g, relation, len(columns), None, None, None, None, "untested"
                    )
                )
                continue
            mine, theirs = computed[o, columns.tobytes()], computed[g, columns.tobytes()]
            diverging = (
                mine is not None
                and theirs is not None
                and mine[0] > 0
                and mine[1] <= alpha
                and theirs[0] < 0
                and theirs[1] <= alpha
            )
            trends.append(
                Trend(
                    objective,
                    o,
                    g,
                    relation,
                    window,
                    observed.period(int(columns[0])),
                    observed.period(int(columns[-1])),
                    mine,
                    theirs,
                    "untested"
                    if mine is None or theirs is None
                    else "diverging"
                    if diverging
                    else "not-diverging",
                )
            )
        return tuple(trends)

    def _trends(
        self, wanted: list[tuple[str, npt.NDArray[np.intp]]]
    ) -> dict[tuple[str, bytes], tuple[float, float] | None]:
        """Kendall trend of each (metric, window columns), each computed once."""
        import numpy as np

        unique = {(m, columns.tobytes()): (m, columns) for m, columns in wanted}
        if not unique:
            return {}
        observed = self.observed
        rows = np.asarray(
            [
                observed.values[observed.row[m], columns] * self._sign(m)
                for m, columns in unique.values()
            ]
        )
        return dict(zip(unique, trend_rows(rows), strict=True))

    # -- §7.4 and unobserved metrics ------------------------------------------------------------
    @cached_property
    def breaches(self) -> tuple[Breach, ...]:
        """Guardrail thresholds violated by the metric's value at its latest period."""
        import numpy as np

        observed, breaches = self.observed, []
        for objective, entry in self.catalog.objectives.items():
            assert entry.model is not None
            for i, guard in enumerate(entry.model.guardrails):
                threshold = parse_threshold(guard.threshold)
                row = observed.row.get(guard.metric)
                if threshold is None or row is None or guard.metric not in self.catalog.metrics:
                    continue
                columns = np.flatnonzero(~np.isnan(observed.values[row]))
                if not len(columns):
                    continue
                value = float(observed.values[row, columns[-1]])
                if not threshold.holds(value):
                    location = entry.location("guardrails", i, "threshold")
                    period = observed.period(int(columns[-1]))
                    breaches.append(
                        Breach(objective, guard.metric, threshold, value, period, location)
                    )
        return tuple(breaches)

    @cached_property
    def unobserved(self) -> tuple[Unobserved, ...]:
        """Metrics an objective optimizes or guards that have no observation at all (and whose
        observations no problem with the data may have hidden)."""
        doubtful = self.observed.doubtful
        if doubtful is None:
            return ()
        seen = self.observed.row.keys() | doubtful
        found = []
        for objective in self.catalog.objectives:
            link = self.catalog.optimizes.get(objective)
            if link is not None and link.target not in seen:
                found.append(Unobserved(objective, link.target, "optimizes", link.location))
            for guard in self.catalog.guardrails.get(objective, ()):
                if guard.target not in seen:
                    found.append(Unobserved(objective, guard.target, "guardrail", guard.location))
        return tuple(found)
