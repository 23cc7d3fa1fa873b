"""AA301 contradicted-effect and AA302 unconfirmed-effect: declared effects against data."""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path

import pytest

pytest.importorskip("duckdb")
pytest.importorskip("scipy")

from conftest import invoke

ORG = (
    "customers: [{{id: patient, role: end_user}}]\n"
    "metrics:\n"
    "  - {{id: aht, direction: decrease, serves: patient, effects: {{csat: {effect}}}}}\n"
    "  - {{id: csat, direction: increase, serves: patient}}\n"
)


def _data(path: Path, together: bool) -> Path:
    """40 weeks: aht's and csat's improvements move together (or independently)."""
    rng = random.Random(7)
    aht, csat = 10.0, 4.0
    lines = ["metric,period,value"]
    for week in range(40):
        step = rng.gauss(0, 1)
        aht -= step  # an improvement of aht is a decrease
        csat += (step if together else rng.gauss(0, 1)) * 0.1 + rng.gauss(0, 0.01)
        day = f"2026-{1 + week // 4:02d}-{1 + (week % 4) * 7:02d}"
        lines += [f"aht,{day},{aht:.4f}", f"csat,{day},{csat:.4f}"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _codes(write: Callable[..., Path], effect: str, data: Path) -> list[tuple[str, str]]:
    org = write(ORG.format(effect=effect))
    run = invoke("check", str(org), "--data", str(data), "--format", "json", "--select", "AA3")
    assert run.exit_code in (0, 1), run.stderr
    return [(f["code"], f["message"]) for f in run.findings()]


def test_a_contradicted_belief_fires_aa301(write: Callable[..., Path], tmp_path: Path) -> None:
    [(code, message)] = _codes(write, "hurts", _data(tmp_path / "d.csv", together=True))
    assert code == "AA301"
    assert message.startswith("declared aht hurts csat, but over 39 periods their improvements")
    assert "moved together (ρ = 0.9" in message


def test_the_same_data_confirms_the_corrected_belief(
    write: Callable[..., Path], tmp_path: Path
) -> None:
    assert _codes(write, "helps", _data(tmp_path / "d.csv", together=True)) == []


def test_independent_data_leaves_the_belief_unconfirmed(
    write: Callable[..., Path], tmp_path: Path
) -> None:
    [(code, message)] = _codes(write, "hurts", _data(tmp_path / "d.csv", together=False))
    assert code == "AA302"
    assert "no significant support over 39 periods" in message


def test_without_data_no_evidence_rule_runs(write: Callable[..., Path]) -> None:
    run = invoke("check", str(write(ORG.format(effect="hurts"))), "-f", "json", "--select", "AA3")
    assert run.findings() == []
