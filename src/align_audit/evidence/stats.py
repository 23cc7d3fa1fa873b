"""The statistics of SPEC §7.2 and §7.3, exactly as specified, vectorized over many pairs.

- improvements: first differences over the periods both metrics have, oriented so that a
  positive step is better (×−1 for a metric whose direction is ``decrease``);
- a pair is tested at each lag k in 0…max-lag with at least ``min-periods`` aligned steps (m leads
  n by k): Spearman's ρ and its two-sided p-value; the pair's lag is the smallest p (ties: the
  smaller k) and its p is Bonferroni-corrected by the number of lags tried;
- each family of pairs is corrected by Benjamini–Hochberg into q-values;
- a trend is Kendall's τ of the direction-oriented values against their position.

Spearman is computed as ``scipy.stats.spearmanr`` does (average ranks, Pearson's r of the
ranks, Student's t with n − 2 degrees of freedom), one matrix of pairs at a time: calling SciPy
once per pair would cost 0.5 ms each, seconds for a large organization. Kendall's τ and p depend
only on the window's length, its discordant pairs and its ties: SciPy is called once per such
key. Tests compare both with SciPy's own functions on random data.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    Matrix = npt.NDArray[np.float64]

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


def spearman_rows(x: Matrix, y: Matrix) -> tuple[Matrix, Matrix]:
    """ρ and its two-sided p for each row pair of ``x`` and ``y`` (same shape, ≥ 3 columns), as
    ``scipy.stats.spearmanr`` computes them; NaN for a row with a constant side."""
    import numpy as np
    from scipy.special import stdtr
    from scipy.stats import rankdata

    rx = rankdata(x, axis=1)
    ry = rankdata(y, axis=1)
    rx -= rx.mean(axis=1, keepdims=True)
    ry -= ry.mean(axis=1, keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        rho = np.einsum("ij,ij->i", rx, ry) / np.sqrt(
            np.einsum("ij,ij->i", rx, rx) * np.einsum("ij,ij->i", ry, ry)
        )
        rho = np.clip(rho, -1.0, 1.0)
        dof = x.shape[1] - 2
        t = rho * np.sqrt((dof / ((rho + 1.0) * (1.0 - rho))).clip(0))
    p = 2 * stdtr(dof, -np.abs(t))
    return rho, p


def correlate_rows(dm: Matrix, dn: Matrix, *, min_periods: int, max_lag: int) -> list[PairTest]:
    """SPEC §7.2 for each row pair of two improvement matrices of one length L: m's
    improvements 1…L−k against n's 1+k…L for every lag k with L − k ≥ ``min_periods``.

    A pair with no such lag, or constant at every lag tried, is untested."""
    import numpy as np

    rows, length = dm.shape
    lags = [k for k in range(max_lag + 1) if length - k >= min_periods]
    if rows == 0 or not lags:
        return [PairTest(length, None, None, None)] * rows
    best_p = np.full(rows, np.inf)
    best_k = np.full(rows, -1)
    best_rho = np.full(rows, np.nan)
    for k in lags:
        rho, p = spearman_rows(dm[:, : length - k], dn[:, k:])
        better = ~np.isnan(p) & (p < best_p)  # strict: a tie keeps the smaller lag
        best_p[better], best_k[better], best_rho[better] = p[better], k, rho[better]
    adjusted = np.minimum(1.0, best_p * len(lags))
    return [
        PairTest(length, int(k), float(r), float(p))
        if k >= 0
        else PairTest(length, None, None, None)
        for k, r, p in zip(best_k.tolist(), best_rho.tolist(), adjusted.tolist(), strict=True)
    ]


def correlate(
    dm: Sequence[float], dn: Sequence[float], *, min_periods: int, max_lag: int
) -> PairTest:
    """:func:`correlate_rows` for one pair of improvement series."""
    import numpy as np

    [result] = correlate_rows(
        np.asarray([dm], dtype=float).reshape(1, len(dm)),
        np.asarray([dn], dtype=float).reshape(1, len(dn)),
        min_periods=min_periods,
        max_lag=max_lag,
    )
    return result


def q_values(p_values: Sequence[float]) -> list[float]:
    """Benjamini–Hochberg adjusted p-values, as ``scipy.stats.false_discovery_control``."""
    if not p_values:
        return []
    from scipy.stats import false_discovery_control

    return [float(q) for q in false_discovery_control(list(p_values), method="bh")]


def trend_rows(values: Matrix) -> list[tuple[float, float] | None]:
    """Kendall's τ and p (``scipy.stats.kendalltau``'s defaults) of each row of oriented
    values against its position; None for a constant row (SPEC §7.3)."""
    import numpy as np
    from scipy.stats import kendalltau

    rows, size = values.shape
    if size < 2:
        return [None] * rows
    upper = np.triu(np.ones((size, size), dtype=bool), 1)
    # discordant: an earlier value strictly above a later one (positions never tie)
    discordant = ((values[:, :, None] > values[:, None, :]) & upper).sum(axis=(1, 2))
    cache: dict[tuple[int, tuple[int, ...]], tuple[float, float] | None] = {}
    results: list[tuple[float, float] | None] = []
    positions = np.arange(size)
    for row, dis in zip(values, discordant.tolist(), strict=True):
        counts = np.unique(row, return_counts=True)[1]
        key = (dis, tuple(sorted(counts[counts > 1].tolist())))
        if key not in cache:
            result = kendalltau(row, positions)
            tau, p = float(result.statistic), float(result.pvalue)
            cache[key] = None if math.isnan(tau) or math.isnan(p) else (tau, p)
        results.append(cache[key])
    return results


def trend(values: Sequence[float], direction: str) -> tuple[float, float] | None:
    """:func:`trend_rows` for one series of raw values of a metric with ``direction``."""
    import numpy as np

    oriented = np.asarray([values], dtype=float).reshape(1, len(values)) * sign_of(direction)
    return trend_rows(oriented)[0]
