"""SPEC §7.2–7.3 statistics: hand-computed cases, and agreement with an independent use of
SciPy on random data (every ρ, p and q to 1e-9)."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

pytest.importorskip("scipy")
from scipy import stats as sp

from align_audit.evidence.stats import (
    correlate,
    improvements,
    q_values,
    trend,
)


def test_improvements_are_oriented_by_direction_over_common_periods() -> None:
    m = {1: 10.0, 2: 12.0, 3: 11.0, 5: 20.0}
    n = {2: 5.0, 3: 4.0, 4: 9.0, 5: 1.0}
    dm, dn = improvements(m, "increase", n, "decrease")
    # common periods 2, 3, 5: m steps +(-1), +9; n steps -(-1), -(-3)
    assert dm == [-1.0, 9.0]
    assert dn == [1.0, 3.0]


def test_opposite_improvements_correlate_negatively() -> None:
    dm = [1.0, -2.0, 3.0, -4.0, 5.0, -6.0, 7.0, -8.0, 9.0, -10.0, 11.0, -12.0, 13.0]
    dn = [-x for x in dm]
    result = correlate(dm, dn, min_periods=12, max_lag=0)
    assert result.lag == 0 and result.rho == pytest.approx(-1.0)
    assert result.periods == 13


def test_too_few_periods_is_untested() -> None:
    dm = [1.0, 2.0, 3.0, 1.0, 2.0, 5.0, 1.0, 7.0, 3.0, 2.0, 4.0]  # L = 11 < 12
    assert not correlate(dm, list(reversed(dm)), min_periods=12, max_lag=1).tested


def test_a_constant_series_is_untested() -> None:
    dm = [float(i % 5) for i in range(20)]
    assert not correlate(dm, [2.0] * 20, min_periods=12, max_lag=1).tested
    assert not correlate([0.0] * 20, dm, min_periods=12, max_lag=1).tested


def test_lags_are_tried_only_with_enough_periods_and_bonferroni_counts_them() -> None:
    dm = [((i * 7) % 11) - 5.0 for i in range(13)]  # L = 13: lags 0 and 1 usable (13, 12)
    dn = [0.0, *dm[:-1]]  # n follows m one step later
    result = correlate(dm, dn, min_periods=12, max_lag=3)
    assert result.lag == 1
    expected = sp.spearmanr(dm[:12], dn[1:])
    assert result.rho == pytest.approx(expected.statistic, abs=1e-12)
    assert result.p == pytest.approx(min(1.0, expected.pvalue * 2), abs=1e-12)


series = st.lists(
    st.floats(-1e3, 1e3, allow_nan=False, allow_infinity=False).map(lambda v: round(v, 2)),
    min_size=14,
    max_size=40,
)


@settings(max_examples=200, deadline=None)
@given(series, series, st.integers(0, 2), st.sampled_from(["increase", "decrease"]))
def test_agrees_with_scipy(a: list[float], b: list[float], max_lag: int, direction: str) -> None:
    size = min(len(a), len(b))
    m = dict(enumerate(a[:size]))
    n = dict(enumerate(b[:size]))
    dm, dn = improvements(m, direction, n, "increase")
    result = correlate(dm, dn, min_periods=12, max_lag=max_lag)
    # independent reference: SPEC §7.2 written out
    sign = 1 if direction == "increase" else -1
    xs = [(a[i + 1] - a[i]) * sign for i in range(size - 1)]
    ys = [b[i + 1] - b[i] for i in range(size - 1)]
    length = len(xs)
    candidates = []
    for k in range(max_lag + 1):
        if length - k < 12:
            break
        x, y = xs[: length - k], ys[k:]
        if len(set(x)) == 1 or len(set(y)) == 1:
            continue
        r = sp.spearmanr(x, y)
        candidates.append((r.pvalue, k, r.statistic))
    if len(set(xs)) == 1 or len(set(ys)) == 1 or not candidates:
        assert not result.tested
        return
    p, k, rho = min(candidates, key=lambda c: (c[0], c[1]))
    assert result.lag == k
    assert result.rho is not None and math.isclose(result.rho, rho, abs_tol=1e-9)
    assert result.p is not None and math.isclose(
        result.p, min(1.0, p * len(candidates)), abs_tol=1e-9
    )


@settings(max_examples=100, deadline=None)
@given(st.lists(st.floats(0, 1, allow_nan=False), min_size=1, max_size=30))
def test_q_values_are_benjamini_hochberg(p_values: list[float]) -> None:
    expected = sp.false_discovery_control(p_values, method="bh")
    assert all(
        math.isclose(q, e, abs_tol=1e-12) for q, e in zip(q_values(p_values), expected, strict=True)
    )


def test_trend_is_kendall_of_oriented_values() -> None:
    values = [5.0, 4.0, 4.5, 3.0, 2.0, 2.5, 1.0, 0.5, 0.7, 0.1, 0.0, -1.0]
    tau, p = trend(values, "decrease") or (0.0, 1.0)
    expected = sp.kendalltau([-v for v in values], list(range(12)))
    assert tau == pytest.approx(expected.statistic) and tau > 0
    assert p == pytest.approx(expected.pvalue)
    assert trend([3.0] * 12, "increase") is None


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.lists(
            st.sampled_from([0.0, 1.0, 2.5, -3.0, 7.0]) | st.floats(-1e6, 1e6),
            min_size=5,
            max_size=5,
        ),
        min_size=1,
        max_size=8,
    )
)
def test_average_ranks_are_scipy_rankdata(rows: list[list[float]]) -> None:
    import numpy as np

    from align_audit.evidence.stats import average_ranks

    matrix = np.asarray(rows)
    assert np.array_equal(average_ranks(matrix), sp.rankdata(matrix, axis=1))


def test_t_test_p_agrees_at_the_extremes() -> None:
    """ρ = ±1 gives p = 0, as SciPy; a perfectly tied-free opposite series is maximal."""
    result = correlate(
        [float(i) for i in range(14)], [float(-i) for i in range(14)], min_periods=12, max_lag=0
    )
    assert result.rho == -1.0 and result.p == 0.0
