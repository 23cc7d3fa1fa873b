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
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    Matrix = npt.NDArray[np.float64]


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


def steps(values: Matrix, signs: Matrix) -> Matrix:
    """Improvements: each row's first differences × its metric's sign (positive = better).
    A step between ±1e308 overflows to ±inf, which ranks last: no warning."""
    import numpy as np

    with np.errstate(over="ignore", invalid="ignore"):
        improved: Matrix = np.diff(values, axis=1) * signs[:, None]
    return improved


def improvements(
    m: Mapping[Any, float], m_direction: str, n: Mapping[Any, float], n_direction: str
) -> tuple[list[float], list[float]]:
    """:func:`steps` of two metrics over the sorted periods at which both have a value."""
    import numpy as np

    common = sorted(m.keys() & n.keys())
    values = np.asarray([[m[p] for p in common], [n[p] for p in common]], dtype=float)
    signs = np.asarray([sign_of(m_direction), sign_of(n_direction)], dtype=float)
    dm, dn = steps(values.reshape(2, len(common)), signs).tolist()
    return dm, dn


def average_ranks(x: Matrix) -> Matrix:
    """Ranks 1…n of each row, ties sharing their average rank (``scipy.stats.rankdata``)."""
    import numpy as np

    rows, n = x.shape
    order = np.argsort(x, axis=1, kind="mergesort")
    ordered = np.take_along_axis(x, order, axis=1)
    first = np.ones((rows, n), dtype=bool)
    first[:, 1:] = ordered[:, 1:] != ordered[:, :-1]
    ranks = np.empty((rows, n))
    position = np.broadcast_to(np.arange(n, dtype=float), (rows, n))
    if first.all():  # no ties (measured values usually have none): ranks are positions
        np.put_along_axis(ranks, order, position + 1, axis=1)
        return ranks
    last = np.ones((rows, n), dtype=bool)
    last[:, :-1] = first[:, 1:]
    start = np.maximum.accumulate(np.where(first, position, 0), axis=1)
    end = np.minimum.accumulate(np.where(last, position, n - 1)[:, ::-1], axis=1)[:, ::-1]
    np.put_along_axis(ranks, order, (start + end) / 2 + 1, axis=1)
    return ranks


def _standardized(ranks: Matrix) -> Matrix:
    """Ranks centred and scaled to unit length: ρ of two rows is then their dot product (a
    constant row becomes NaN)."""
    import numpy as np

    centred = ranks - ranks.mean(axis=1, keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        scaled: Matrix = centred / np.sqrt(np.einsum("ij,ij->i", centred, centred))[:, None]
    return scaled


def _spearman_p(rho: Matrix, n: int) -> Matrix:
    """Two-sided p of Spearman's ρ over n observations: Student's t with n − 2 degrees of
    freedom, as ``scipy.stats.spearmanr`` computes it."""
    import numpy as np
    from scipy.special import stdtr

    dof = n - 2
    with np.errstate(divide="ignore", invalid="ignore"):
        t = rho * np.sqrt((dof / ((rho + 1.0) * (1.0 - rho))).clip(0))
    p: Matrix = 2 * stdtr(dof, -np.abs(t))
    return p


def correlate_pairs(
    left: Matrix,
    right: Matrix,
    sources: npt.NDArray[np.intp],
    targets: npt.NDArray[np.intp],
    *,
    min_periods: int,
    max_lag: int,
) -> list[PairTest]:
    """SPEC §7.2 for pairs of improvement rows (every row of length L): row ``sources[i]`` of
    ``left``, improvements 1…L−k, against row ``targets[i]`` of ``right``, 1+k…L, for every lag
    k with L − k ≥ ``min_periods``. Each row is ranked once per lag, however many pairs use it
    (``left`` may be ``right``: one row per metric).

    A pair with no such lag, or constant at every lag tried, is untested."""
    import numpy as np

    length = left.shape[1]
    lags = [k for k in range(max_lag + 1) if length - k >= min_periods]
    count = len(sources)
    if count == 0 or not lags:
        return [PairTest(length, None, None, None)] * count
    best_p = np.full(count, np.inf)
    best_k = np.full(count, -1)
    best_rho = np.full(count, np.nan)
    for k in lags:
        leading = _standardized(average_ranks(left[:, : length - k]))
        same = k == 0 and left is right
        following = leading if same else _standardized(average_ranks(right[:, k:]))
        rho = np.clip(np.einsum("ij,ij->i", leading[sources], following[targets]), -1.0, 1.0)
        p = _spearman_p(rho, length - k)
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
    """:func:`correlate_pairs` for one pair of improvement series."""
    import numpy as np

    rows = np.asarray([dm, dn], dtype=float).reshape(2, len(dm))
    [result] = correlate_pairs(
        rows, rows, np.asarray([0]), np.asarray([1]), min_periods=min_periods, max_lag=max_lag
    )
    return result


def q_values(p_values: Sequence[float]) -> list[float]:
    """Benjamini–Hochberg adjusted p-values, as ``scipy.stats.false_discovery_control``."""
    import numpy as np

    if not p_values:
        return []
    ps = np.asarray(p_values, dtype=float)
    order = np.argsort(ps)
    count = len(ps)
    adjusted = ps[order] * (count / np.arange(1, count + 1))
    adjusted = np.clip(np.minimum.accumulate(adjusted[::-1])[::-1], 0, 1)
    qs = np.empty(count)
    qs[order] = adjusted
    return [float(q) for q in qs]


def _kendall_exact_p(n: int, concordant: int) -> float:
    """Two-sided exact p of Kendall's statistic without ties (Kendall 1970), computed as
    SciPy's ``_kendall_p_exact`` does: the left tail of the inversion-count distribution."""
    import numpy as np

    total = n * (n - 1) // 2
    c = min(concordant, total - concordant)
    if n <= 2 or 4 * c == n * (n - 1):
        return 1.0
    if c == 0:
        return 2.0 / math.factorial(n) if n < 171 else 0.0
    if c == 1:
        return 2.0 / math.factorial(n - 1) if n < 172 else 0.0
    counts = np.zeros(c + 1)
    counts[0:2] = 1.0
    for j in range(3, n + 1):
        counts = np.cumsum(counts) if n < 171 else np.cumsum(counts) / j
        if j <= c:
            counts[j:] -= counts[: c + 1 - j]
    p = 2.0 * np.sum(counts) / math.factorial(n) if n < 171 else float(np.sum(counts))
    return float(np.clip(p, 0, 1))


def _kendall(n: int, discordant: int, ties: tuple[int, ...]) -> tuple[float, float] | None:
    """τ-b and p of values against their positions (which never tie), as
    ``scipy.stats.kendalltau`` computes them with its defaults: the exact p without ties for
    n ≤ 33, else the normal approximation with the tie-corrected variance."""
    from scipy.special import ndtr

    total = n * (n - 1) // 2
    xtie = sum(t * (t - 1) // 2 for t in ties)
    if xtie == total:
        return None  # a constant series
    x1 = sum(t * (t - 1) * (2 * t + 5) for t in ties)
    difference = total - xtie - 2 * discordant
    tau = min(1.0, max(-1.0, difference / math.sqrt(total - xtie) / math.sqrt(total)))
    if xtie == 0 and (n <= 33 or min(discordant, total - discordant) <= 1):
        return tau, _kendall_exact_p(n, total - discordant)
    m = n * (n - 1.0)
    z = difference / math.sqrt((m * (2 * n + 5) - x1) / 18)
    return tau, float(2 * ndtr(-abs(z)))


def trend_rows(values: Matrix) -> list[tuple[float, float] | None]:
    """Kendall's τ and p (``scipy.stats.kendalltau``'s defaults) of each row of oriented
    values against its position; None for a constant row (SPEC §7.3). They depend only on the
    length, the discordant pairs and the sizes of the ties: each such key is computed once."""
    import numpy as np

    rows, size = values.shape
    if size < 2:
        return [None] * rows
    upper = np.triu(np.ones((size, size), dtype=bool), 1)
    # discordant: an earlier value strictly above a later one (positions never tie)
    discordant = ((values[:, :, None] > values[:, None, :]) & upper).sum(axis=(1, 2))
    cache: dict[tuple[int, tuple[int, ...]], tuple[float, float] | None] = {}
    results: list[tuple[float, float] | None] = []
    for row, dis in zip(values, discordant.tolist(), strict=True):
        counts = np.unique(row, return_counts=True)[1]
        key = (dis, tuple(sorted(counts[counts > 1].tolist())))
        if key not in cache:
            cache[key] = _kendall(size, *key)
        results.append(cache[key])
    return results


def trend(values: Sequence[float], direction: str) -> tuple[float, float] | None:
    """:func:`trend_rows` for one series of raw values of a metric with ``direction``."""
    import numpy as np

    oriented = np.asarray([values], dtype=float).reshape(1, len(values)) * sign_of(direction)
    return trend_rows(oriented)[0]
