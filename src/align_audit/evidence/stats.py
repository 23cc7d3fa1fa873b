"""The statistics of SPEC §7.2 and §7.3, exactly as specified, computed with SciPy.

- improvements: first differences over the periods both metrics have, oriented so that a
  positive step is better (×−1 for a metric whose direction is ``decrease``);
- a pair is tested at each lag k in 0…max-lag with at least ``min-periods`` aligned steps (m leads
  n by k): Spearman's ρ and its two-sided p-value; the pair's lag is the smallest p (ties: the
  smaller k) and its p is Bonferroni-corrected by the number of lags tried;
- each family of pairs is corrected by Benjamini–Hochberg into q-values;
- a trend is Kendall's τ of the direction-oriented values against their position.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

Period = Any
"""A date, a timestamp or an integer: comparable within one data set."""


@dataclass(frozen=True, slots=True)
class PairTest:
    """One pair's correlation of improvements (SPEC §7.2)."""

    periods: int
    """L: the number of improvements (common periods − 1)."""
    lag: int | None
    """The chosen lag k; None when untested."""
    rho: float | None
    """Spearman's ρ at that lag."""
    p: float | None
    """Its p-value × the number of lags tried, at most 1."""

    @property
    def tested(self) -> bool:
        """Whether some lag had enough periods and no constant series."""
        return self.lag is not None


def sign_of(direction: str) -> int:
    """+1 for ``increase``, −1 for ``decrease``: what "better" means."""
    return 1 if direction == "increase" else -1


def improvements(
    m: Mapping[Period, float], m_direction: str, n: Mapping[Period, float], n_direction: str
) -> tuple[list[float], list[float]]:
    """The two improvement series over the sorted periods at which both have a value."""
    common = sorted(m.keys() & n.keys())
    sm, sn = sign_of(m_direction), sign_of(n_direction)
    dm = [(m[b] - m[a]) * sm for a, b in pairwise(common)]
    dn = [(n[b] - n[a]) * sn for a, b in pairwise(common)]
    return dm, dn


def _constant(values: Sequence[float]) -> bool:
    return all(v == values[0] for v in values)


def correlate(
    dm: Sequence[float], dn: Sequence[float], *, min_periods: int, max_lag: int
) -> PairTest:
    """Spearman of m's improvements 1…L−k against n's 1+k…L for each usable lag k (SPEC §7.2).

    A lag is tried when L − k ≥ ``min_periods``; a pair with no such lag, or with a constant
    series (at every lag tried), is untested."""
    from scipy.stats import spearmanr

    length = len(dm)
    if length == 0 or _constant(dm) or _constant(dn):
        return PairTest(length, None, None, None)
    best: tuple[float, int, float] | None = None  # (p, k, rho)
    tried = 0
    for k in range(max_lag + 1):
        if length - k < min_periods:
            break
        x, y = dm[: length - k], dn[k:]
        if _constant(x) or _constant(y):
            continue
        tried += 1
        result = spearmanr(x, y)
        rho, p = float(result.statistic), float(result.pvalue)
        if math.isnan(rho) or math.isnan(p):
            continue
        if best is None or p < best[0]:
            best = (p, k, rho)
    if best is None:
        return PairTest(length, None, None, None)
    p, k, rho = best
    return PairTest(length, k, rho, min(1.0, p * tried))


def q_values(p_values: Sequence[float]) -> list[float]:
    """Benjamini–Hochberg adjusted p-values, as ``scipy.stats.false_discovery_control``."""
    if not p_values:
        return []
    from scipy.stats import false_discovery_control

    return [float(q) for q in false_discovery_control(list(p_values), method="bh")]


def trend(values: Sequence[float], direction: str) -> tuple[float, float] | None:
    """Kendall's τ and p of the direction-oriented values against their position (SPEC §7.3);
    None for a constant series."""
    from scipy.stats import kendalltau

    oriented = [v * sign_of(direction) for v in values]
    if len(oriented) < 2 or _constant(oriented):
        return None
    result = kendalltau(oriented, list(range(len(oriented))))
    tau, p = float(result.statistic), float(result.pvalue)
    if math.isnan(tau) or math.isnan(p):
        return None
    return tau, p
