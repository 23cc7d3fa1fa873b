"""Write the examples' observed data: 130 weeks of every metric the AI systems optimize or guard.

    python examples/generate_data.py

Deterministic (fixed seeds): the CSVs in examples/ are committed; this script says how they
were made, and the story each data set tells.

healthcare-metrics.csv (Northwind Health), what `check --data` finds in it:
- AA304: over the last twelve weeks the claims optimizer wins (cost_per_episode falls) while
  readmission_rate_30d, measured for the patients it claims to serve, rises;
- AA301: the declarations say that filling clinic slots raises physician overtime; in the data,
  weeks of better utilization are weeks of *less* overtime;
- AA303: appointment_lead_time and ed_wait_time, both measured for the patient, trade off week
  after week (clinic slots taken from walk-in capacity), and nothing declares it.

customer-service-metrics.csv (the support organization):
- AA301: "rushed calls reopen" does not hold: weeks of shorter calls are weeks of more
  first-contact resolution (both follow how well-coached the floor is);
- AA304: the deflection bot's containment rises over the last twelve weeks while its guardrail
  csat falls, and AA305: csat's latest value is below the ">= 4.2" threshold.
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

HERE = Path(__file__).resolve().parent
WEEKS = 130
START = dt.date(2024, 6, 3)  # a Monday; the last week is 2026-11-23


def _write(path: Path, series: dict[str, list[float]], decimals: dict[str, int]) -> None:
    periods = [(START + dt.timedelta(weeks=i)).isoformat() for i in range(WEEKS)]
    lines = ["metric,period,value"]
    for metric in sorted(series):
        places = decimals.get(metric, 2)
        for period, value in zip(periods, series[metric], strict=True):
            lines.append(f"{metric},{period},{value:.{places}f}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _push(week: int) -> float:
    """How far into the last twelve weeks' push (0 before it, then 1, 2, … 12)."""
    return max(0, week - (WEEKS - 13))


class Series(dict[str, list[float]]):
    """metric → its weekly values, appended week after week."""

    def add(self, metric: str, value: float) -> None:
        self.setdefault(metric, []).append(value)


def healthcare(seed: int = 2026) -> None:
    """Each metric is its usual level plus weekly noise; the story is in the shared terms."""
    rng = random.Random(seed)
    g = rng.gauss
    m = Series()
    add = m.add

    for week in range(WEEKS):
        push = _push(week)  # the claims optimizer's push: cheaper episodes, shorter stays
        cost = 6200 - 45 * push + g(0, 40)
        add("cost_per_episode", cost)
        add("length_of_stay", 4.6 * cost / 6200 + g(0, 0.02))
        add("readmission_rate_30d", 11.0 + 0.12 * push + g(0, 0.15))
        add("triage_accuracy", 96.0 + g(0, 0.3))
        access = g(0, 1)  # clinic slots taken from walk-in capacity: shorter lead, longer waits
        add("appointment_lead_time", 9.0 - 0.8 * access + g(0, 0.2))
        add("ed_wait_time", 24.0 + 2.5 * access + g(0, 0.6))
        add("clean_claim_rate", 94.0 + g(0, 0.4))
        fill = g(0, 1.5)  # fuller clinics, *fewer* overtime hours: against the declaration
        add("clinic_utilization", 82.0 + fill)
        add("physician_overtime_hours", 14.0 - 0.5 * fill + g(0, 0.25))
    _write(
        HERE / "healthcare-metrics.csv",
        m,
        {"cost_per_episode": 0, "length_of_stay": 2, "readmission_rate_30d": 2},
    )


def customer_service(seed: int = 7) -> None:
    """The deflection bot's push: containment up, csat down; rushed calls do not reopen."""
    rng = random.Random(seed)
    g = rng.gauss
    m = Series()
    add = m.add

    for week in range(WEEKS):
        push = _push(week)
        quality = g(0, 1)  # better-trained weeks: shorter calls *and* more first-time fixes
        add("avg_handle_time", 8.0 - 0.4 * quality + g(0, 0.15))
        fcr = 72.0 + 2.0 * quality + g(0, 0.6)
        add("first_contact_resolution", fcr)
        csat = 4.4 + 0.03 * (fcr - 72.0) - 0.025 * push + g(0, 0.03)
        add("csat", csat)
        add("churn_rate", 2.1 - 0.5 * (csat - 4.4) + g(0, 0.03))
        add("speed_to_answer", 45.0 + g(0, 4))
        containment = 38.0 + 1.2 * push + g(0, 1.0)
        add("bot_containment_rate", containment)
        add("cost_per_contact", 6.5 - 0.03 * (containment - 38.0) + g(0, 0.05))
        occupancy = 78.0 + g(0, 1.5)
        add("agent_occupancy", occupancy)
        add("agent_attrition", 28.0 + g(0, 0.8))
        add("training_hours", 6.0 + 0.5 * quality + g(0, 0.3))
    _write(HERE / "customer-service-metrics.csv", m, {})


def main() -> None:
    healthcare()
    customer_service()


if __name__ == "__main__":
    main()
