"""GRL quantitative forward evaluation (SPEC §2.1) through ``Analysis.scores``."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml

from align_audit.analysis import Analysis, round_half_away
from align_audit.engine import audit
from align_audit.settings import Settings


def analysis_for(tmp_path: Path, metrics: dict[str, dict[str, Any]], **extra: Any) -> Analysis:
    """An organization with customer ``c`` (outcome ``c.o``) and the given metrics.

    ``metrics`` maps id → {"effects": {...}, "serves": [...], "direction": ...}.
    """
    document: dict[str, Any] = {
        "customers": [{"id": "c", "role": "end_user", "outcomes": ["o"]}],
        "metrics": [
            {"id": mid, "direction": spec.get("direction", "increase")}
            | {k: v for k, v in spec.items() if k != "direction"}
            for mid, spec in metrics.items()
        ],
        **extra,
    }
    path = tmp_path / "org.yaml"
    path.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    result = audit([str(path)], Settings(today=dt.date(2026, 12, 1)))
    errors = [f for f in result.findings if f.code.startswith("AA0")]
    assert not errors, errors
    return Analysis(result.catalog)


def scores_from(
    tmp_path: Path, start: str, metrics: dict[str, dict[str, Any]], sign: int = 1
) -> dict[str, int]:
    analysis = analysis_for(tmp_path, metrics)
    return analysis.scores(analysis.propagate(start, sign))


# -- arithmetic -------------------------------------------------------------------------------


def test_helps_from_start(tmp_path: Path) -> None:
    scores = scores_from(tmp_path, "m", {"m": {"effects": {"n": "helps"}}, "n": {}})
    assert scores == {"m": 100, "n": 25}


def test_makes_from_start(tmp_path: Path) -> None:
    scores = scores_from(tmp_path, "m", {"m": {"effects": {"n": "makes"}}, "n": {}})
    assert scores["n"] == 100


@pytest.mark.parametrize(
    ("impact", "expected"), [("hurts", -25), ("breaks", -100), (-40, -40), (1, 1)]
)
def test_named_and_integer_impacts(tmp_path: Path, impact: str | int, expected: int) -> None:
    scores = scores_from(tmp_path, "m", {"m": {"effects": {"n": impact}}, "n": {}})
    assert scores["n"] == expected


def test_integer_weight_times_value(tmp_path: Path) -> None:
    # 60 × 25 / 100 = 15
    scores = scores_from(
        tmp_path, "m", {"m": {"effects": {"n": "helps"}}, "n": {"effects": {"p": 60}}, "p": {}}
    )
    assert scores == {"m": 100, "n": 25, "p": 15}


def test_serves_and_of_weigh_plus_100(tmp_path: Path) -> None:
    scores = scores_from(
        tmp_path, "m", {"m": {"effects": {"n": "hurts"}}, "n": {"serves": ["c.o"]}}
    )
    # n = -25; serves (+100) gives c.o = -25; of (+100) gives c = -25.
    assert scores == {"m": 100, "n": -25, "c.o": -25, "c": -25}


def test_makes_into_outcome_and_customer(tmp_path: Path) -> None:
    scores = scores_from(tmp_path, "m", {"m": {"serves": ["c.o"]}})
    assert scores == {"m": 100, "c.o": 100, "c": 100}


@pytest.mark.parametrize(
    ("weight", "expected"),
    [
        (50, 13),  # 12.5 → 13
        (-50, -13),  # -12.5 → -13
        (2, 1),  # 0.5 → 1
        (-2, -1),  # -0.5 → -1
        (6, 2),  # 1.5 → 2
        (-6, -2),  # -1.5 → -2
        (25, 6),  # 6.25 → 6
        (-25, -6),  # -6.25 → -6
        (30, 8),  # 7.5 → 8
        (42, 11),  # 10.5 → 11 (banker's rounding would give 10)
        (-42, -11),  # -10.5 → -11
        (1, 0),  # 0.25 → 0
    ],
)
def test_rounding_half_away_from_zero(tmp_path: Path, weight: int, expected: int) -> None:
    scores = scores_from(
        tmp_path,
        "m",
        {"m": {"effects": {"n": "helps"}}, "n": {"effects": {"p": weight}}, "p": {}},
    )
    assert scores["n"] == 25
    assert scores["p"] == expected


def test_round_half_away_helper() -> None:
    assert [round_half_away(x) for x in (0.5, 1.5, 2.5, -0.5, -2.5, 0.49, -0.49, 0.0)] == [
        1,
        2,
        3,
        -1,
        -3,
        0,
        0,
        0,
    ]


def test_sum_of_terms(tmp_path: Path) -> None:
    # a = 25, b = -25, d = 40; t = round(40×25/100) + round(60×-25/100) + round(50×40/100)
    #                             = 10 - 15 + 20 = 15
    scores = scores_from(
        tmp_path,
        "m",
        {
            "m": {"effects": {"a": "helps", "b": "hurts", "d": 40}},
            "a": {"effects": {"t": 40}},
            "b": {"effects": {"t": 60}},
            "d": {"effects": {"t": 50}},
            "t": {},
        },
    )
    assert scores["t"] == 15


def test_serves_and_effects_on_same_outcome_both_count(tmp_path: Path) -> None:
    # Two edges m → c.o (serves +100 and effects -25): 100 - 25 = 75.
    scores = scores_from(tmp_path, "m", {"m": {"serves": ["c.o"], "effects": {"c.o": "hurts"}}})
    assert scores["c.o"] == 75


@pytest.mark.parametrize(("impact", "expected"), [("makes", 100), ("breaks", -100)])
def test_clamped(tmp_path: Path, impact: str, expected: int) -> None:
    # two terms of ±100 sum to ±200, clamped to ±100.
    scores = scores_from(
        tmp_path,
        "m",
        {
            "m": {"effects": {"a": "makes", "b": "makes"}},
            "a": {"effects": {"t": impact}},
            "b": {"effects": {"t": impact}},
            "t": {},
        },
    )
    assert scores["t"] == expected


def _two_terms(tmp_path: Path, first: int | str, second: int | str) -> int | None:
    """t's score with terms ``first`` and ``second`` (weights applied to a +100 source)."""
    return scores_from(
        tmp_path,
        "m",
        {
            "m": {"effects": {"a": "makes", "b": "makes"}},
            "a": {"effects": {"t": first}},
            "b": {"effects": {"t": second}},
            "t": {},
        },
    )["t"]


@pytest.mark.parametrize(
    ("first", "second", "expected"),
    [
        (50, 45, 90),  # 95 ≥ 90 without a +100 term → 90
        (50, 42, 90),  # 92 → 90
        (50, 40, 90),  # exactly 90 stays 90
        (50, 39, 89),  # below the tolerance: unchanged
        ("makes", -1, 99),  # a term is exactly +100: 99 stays
        ("makes", 5, 100),  # 105 clamped to 100, a term is +100
        (99, 1, 90),  # 100 without a +100 term → 90
        (95, 95, 90),  # 190 → clamped 100 → no +100 term → 90
        (-50, -45, -90),  # symmetric
        (-50, -42, -90),  # -92 → -90
        (-50, -39, -89),
        ("breaks", 1, -99),  # a term is exactly -100
        ("breaks", -5, -100),
        (-99, -1, -90),
        ("makes", "breaks", 0),
    ],
)
def test_tolerance(tmp_path: Path, first: int | str, second: int | str, expected: int) -> None:
    assert _two_terms(tmp_path, first, second) == expected


def test_tolerance_on_single_term(tmp_path: Path) -> None:
    # One edge of weight 95 (or 91) on a +100 source: no term is exactly 100 → 90.
    scores = scores_from(
        tmp_path,
        "m",
        {
            "m": {"effects": {"n": 95, "p": -95, "q": 91, "r": 89}},
            "n": {},
            "p": {},
            "q": {},
            "r": {},
        },
    )
    assert (scores["n"], scores["p"], scores["q"], scores["r"]) == (90, -90, 90, 89)


# -- start, cycles ----------------------------------------------------------------------------


def test_negative_start_objective_against_direction(tmp_path: Path) -> None:
    analysis = analysis_for(
        tmp_path,
        {"m": {"effects": {"n": "helps"}, "serves": ["c"]}, "n": {}},
        systems=[
            {
                "id": "s",
                "objectives": [
                    {"id": "down", "optimizes": "m", "direction": "decrease", "serves": "c"},
                    {"id": "up", "optimizes": "m", "direction": "increase", "serves": "c"},
                ],
            }
        ],
    )
    down = analysis.objective_reach("s.down")
    up = analysis.objective_reach("s.up")
    assert down is not None and up is not None
    assert analysis.scores(down) == {"m": -100, "n": -25, "c": -100}
    assert analysis.scores(up) == {"m": 100, "n": 25, "c": 100}


def test_negative_start_decrease_metric(tmp_path: Path) -> None:
    analysis = analysis_for(
        tmp_path,
        {"m": {"direction": "decrease", "effects": {"n": "hurts"}}, "n": {}},
        systems=[
            {
                "id": "s",
                "objectives": [
                    {"id": "up", "optimizes": "m", "direction": "increase", "serves": "c"}
                ],
            }
        ],
    )
    reach = analysis.objective_reach("s.up")
    assert reach is not None
    assert analysis.scores(reach) == {"m": -100, "n": 25}


def test_edges_into_start_are_ignored(tmp_path: Path) -> None:
    # m → n → m is a cycle only through the start: n is scored, m stays +100.
    scores = scores_from(
        tmp_path, "m", {"m": {"effects": {"n": "helps"}}, "n": {"effects": {"m": "breaks"}}}
    )
    assert scores == {"m": 100, "n": 25}
    # Pushed against its direction the start is -100 and stays so.
    assert scores_from(
        tmp_path, "m", {"m": {"effects": {"n": "helps"}}, "n": {"effects": {"m": "makes"}}}, -1
    ) == {"m": -100, "n": -25}


def test_self_loop_on_start_is_ignored(tmp_path: Path) -> None:
    scores = scores_from(tmp_path, "m", {"m": {"effects": {"m": "hurts", "n": "helps"}}, "n": {}})
    assert scores == {"m": 100, "n": 25}


def test_cycle_and_downstream_have_no_score(tmp_path: Path) -> None:
    scores = scores_from(
        tmp_path,
        "m",
        {
            "m": {"effects": {"a": "helps", "z": "hurts"}},
            "a": {"effects": {"b": "helps"}},
            "b": {"effects": {"a": "helps", "d": "makes"}},
            "d": {"serves": ["c.o"]},
            "z": {},
        },
    )
    # Reached, but unscored: on the cycle a ⇄ b, downstream of it, and further downstream.
    assert not {"a", "b", "d", "c.o", "c"} & set(scores)
    assert scores["z"] == -25  # elsewhere, still evaluated
    assert scores["m"] == 100


def test_self_loop_has_no_score(tmp_path: Path) -> None:
    scores = scores_from(
        tmp_path,
        "m",
        {"m": {"effects": {"a": "helps"}}, "a": {"effects": {"a": "helps", "b": "helps"}}, "b": {}},
    )
    assert "a" not in scores
    assert "b" not in scores


def test_node_with_cyclic_and_acyclic_predecessors_has_no_score(tmp_path: Path) -> None:
    scores = scores_from(
        tmp_path,
        "m",
        {
            "m": {"effects": {"a": "helps", "t": "makes"}},
            "a": {"effects": {"b": "helps"}},
            "b": {"effects": {"a": "hurts", "t": "helps"}},
            "t": {},
        },
    )
    assert "t" not in scores


def test_only_reached_nodes_are_scored(tmp_path: Path) -> None:
    scores = scores_from(
        tmp_path,
        "n",
        {"m": {"effects": {"n": "helps"}}, "n": {"effects": {"p": "hurts"}}, "p": {}},
    )
    # m is upstream of the start: neither reached nor scored, and its edge into n is not a term.
    assert scores == {"n": 100, "p": -25}
