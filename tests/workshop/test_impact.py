"""`align-audit impact`: what perfect optimization of each objective does (SPEC §2.1, §4)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import EXAMPLES, Run, invoke

EXAMPLE_ARGS = [
    str(EXAMPLES / "healthcare.yaml"),
    str(EXAMPLES / "customer-service.yaml"),
    str(EXAMPLES / "hiring.yaml"),
    str(EXAMPLES / "clean.yaml"),
    str(EXAMPLES / "config-repo"),
]


def impact_json(*args: str) -> dict[str, object]:
    run = invoke("impact", *args, "--format", "json")
    assert run.exit_code == 0, run.stderr
    document: dict[str, object] = json.loads(run.stdout)
    return document


def objectives_of(path: str) -> list[dict[str, object]]:
    document = impact_json(path)
    assert set(document) == {"version", "objectives"}
    assert document["version"] == 1
    objectives = document["objectives"]
    assert isinstance(objectives, list)
    return objectives


@pytest.mark.parametrize("path", EXAMPLE_ARGS)
def test_every_objective_of_every_example_is_answered(path: str) -> None:
    result = invoke("check", path, "--format", "json", "--select", "AA106", "--fail-on", "never")
    assert result.exit_code == 0
    objectives = objectives_of(path)
    assert objectives, "every example has AI systems with objectives"
    for item in objectives:
        assert set(item) == {"objective", "stakeholder", "effects"}
        effects = item["effects"]
        assert isinstance(effects, list) and effects
        for effect in effects:
            assert set(effect) == {"target", "kind", "effect", "score", "path"}
            assert effect["kind"] in {"metric", "outcome", "customer"}
            assert effect["effect"] in {"improves", "worsens", "mixed"}
            assert effect["score"] is None or -100 <= effect["score"] <= 100
            assert effect["path"][-1] == effect["target"]
        # The start metric is part of the result, pushed at ±100 (a loop back to it makes it
        # mixed, and then its negative path is shown).
        start = effects[0]["path"][0]
        [first] = [e for e in effects if e["target"] == start]
        assert first["score"] in (100, -100)
        assert first["path"] == [start] or first["effect"] == "mixed"


def test_claims_optimizer_helps_the_insurer_and_harms_patients() -> None:
    [item] = objectives_of_one("claims_optimizer.lower_episode_cost")
    by_target = {e["target"]: e for e in item["effects"]}
    assert item["stakeholder"] == "patient.affordable_care"
    assert "patient.affordable_care" not in by_target  # the claimed outcome is never reached
    assert by_target["insurer"]["effect"] == "improves"
    assert by_target["insurer"]["score"] == 100
    assert by_target["patient"]["effect"] == "worsens"
    assert by_target["patient"]["path"] == [
        "cost_per_episode",
        "length_of_stay",
        "readmission_rate_30d",
        "patient.care_quality",
        "patient",
    ]


def objectives_of_one(objective: str) -> list[dict[str, object]]:
    document = impact_json(str(EXAMPLES / "healthcare.yaml"), "--objective", objective)
    objectives = document["objectives"]
    assert isinstance(objectives, list)
    return objectives


def test_counter_directional_objective_starts_negative() -> None:
    document = impact_json(
        str(EXAMPLES / "customer-service.yaml"), "--objective", "routing_engine.answer_quickly"
    )
    [item] = document["objectives"]  # type: ignore[misc]
    by_target = {e["target"]: e for e in item["effects"]}
    assert by_target["speed_to_answer"]["effect"] == "worsens"
    assert by_target["speed_to_answer"]["score"] == -100
    assert by_target["subscriber"]["effect"] == "worsens"


def test_system_filter_keeps_only_its_objectives() -> None:
    document = impact_json(str(EXAMPLES / "healthcare.yaml"), "--system", "scheduling")
    names = [o["objective"] for o in document["objectives"]]  # type: ignore[attr-defined]
    assert names and all(n.startswith("scheduling.") for n in names)


@pytest.mark.parametrize(
    "option", [("--system", "nope"), ("--objective", "scheduling.nope"), ("--format", "pdf")]
)
def test_bad_selection_is_exit_2(option: tuple[str, str]) -> None:
    run = invoke("impact", str(EXAMPLES / "healthcare.yaml"), *option)
    assert run.exit_code == 2
    assert run.stderr.startswith("align-audit: error:")


def test_text_groups_by_customer_with_glyphs() -> None:
    run = invoke(
        "impact",
        str(EXAMPLES / "healthcare.yaml"),
        "--objective",
        "claims_optimizer.lower_episode_cost",
    )
    lines = run.stdout.splitlines()
    assert lines[0].startswith("Scores are GRL satisfaction levels")  # the legend, once
    assert lines[2].startswith("claims_optimizer.lower_episode_cost")
    assert "✗ not reached: patient.affordable_care" in run.stdout
    assert "  insurer" in lines and "  patient" in lines
    assert any(line.strip().startswith("▲ improves") and line.endswith("insurer") for line in lines)
    assert any(line.strip().startswith("▼ worsens") and line.endswith(" patient") for line in lines)
    assert "\x1b[" not in run.stdout  # piped: no colour


@pytest.mark.parametrize("fmt", ["markdown", "html"])
def test_markdown_and_html(fmt: str, tmp_path: Path, cli: Callable[..., Run]) -> None:
    out = tmp_path / f"impact.{fmt}"
    run = cli("impact", str(EXAMPLES / "hiring.yaml"), "--format", fmt, "-o", str(out))
    assert run.exit_code == 0 and run.stdout == ""
    text = out.read_text(encoding="utf-8")
    assert "resume_screener.shortlist_fast" in text
    assert "worsens" in text
    if fmt == "html":
        assert text.startswith("<!DOCTYPE html>")
        assert "http://" not in text and "https://" not in text and "<script" not in text
    again = cli("impact", str(EXAMPLES / "hiring.yaml"), "--format", fmt).stdout
    assert again == text
