"""The evidence as JSON rows (SPEC §7.5): ``evidence`` (both families of §7.2) and ``trends``
(§7.3). Floats are rounded to 6 decimals; rows come in the facts' order (family, source,
target; objective, then metric)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from align_audit.evidence.facts import Evidence, EvidencePair, Trend


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 6)


def pair_row(pair: EvidencePair) -> dict[str, Any]:
    """One pair of §7.2, with exactly the fields of SPEC §7.5."""
    test = pair.test
    return {
        "family": pair.family,
        "source": pair.source,
        "target": pair.target,
        "weight": pair.weight,
        "periods": test.periods,
        "lag": test.lag,
        "rho": _round(test.rho),
        "p": _round(test.p),
        "q": _round(pair.q),
        "verdict": pair.verdict,
    }


def trend_row(trend: Trend) -> dict[str, Any]:
    """One (objective, watched metric) trend of §7.3."""
    mine, theirs = trend.metric_trend, trend.other_trend
    return {
        "objective": trend.objective,
        "metric": trend.metric,
        "other": trend.other,
        "relation": trend.relation,
        "periods": trend.periods,
        "first": trend.first,
        "last": trend.last,
        "metric_tau": None if mine is None else _round(mine[0]),
        "metric_p": None if mine is None else _round(mine[1]),
        "other_tau": None if theirs is None else _round(theirs[0]),
        "other_p": None if theirs is None else _round(theirs[1]),
        "verdict": trend.verdict,
    }


def evidence_lists(evidence: Evidence) -> dict[str, Any]:
    """The two top-level lists."""
    return {
        "evidence": [pair_row(pair) for pair in evidence.pairs],
        "trends": [trend_row(trend) for trend in evidence.trends],
    }
