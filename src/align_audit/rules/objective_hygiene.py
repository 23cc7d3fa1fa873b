"""AA106 missing-guardrail and AA110 counter-directional-objective."""

from __future__ import annotations

from collections.abc import Iterator

from align_audit.findings import Finding, Severity
from align_audit.rules.base import AuditContext, Rule


class MissingGuardrail(Rule):
    """An objective declares no guardrails.

    Why: every optimized metric is a proxy, and proxies drift from what customers value as
    soon as they are pushed hard (Goodhart's law). A guardrail names the metric that must not
    degrade while the objective is optimized; without one, nobody will notice the drift.

    Fires:
        ```yaml
        customers:
          - {id: patient, role: end_user}
        metrics:
          - {id: bed_utilization, direction: increase, serves: patient}
        systems:
          - id: scheduling
            objectives:
              - {id: fill_beds, optimizes: bed_utilization, serves: patient}
        ```

    Passes:
        ```yaml
        customers:
          - {id: patient, role: end_user}
        metrics:
          - {id: bed_utilization, direction: increase, serves: patient}
          - {id: ed_wait_time, direction: decrease, serves: patient}
        systems:
          - id: scheduling
            objectives:
              - id: fill_beds
                optimizes: bed_utilization
                serves: patient
                guardrails: [{metric: ed_wait_time, threshold: "<= 30"}]
        ```
    """

    code = "AA106"
    name = "missing-guardrail"
    severity = Severity.WARNING
    absence = True

    def check(self, ctx: AuditContext) -> Iterator[Finding]:
        for objective, entry in ctx.catalog.objectives.items():
            assert entry.model is not None
            if entry.model.guardrails:
                continue
            yield Finding(
                self.code,
                f"objective {objective} declares no guardrails: nothing checks what optimizing "
                f"{entry.model.optimizes} degrades",
                entry.id_location,
                objective,
                hint="add 'guardrails:' with the metrics that must not degrade",
            )


class CounterDirectionalObjective(Rule):
    """An objective's direction is opposite to its metric's declared direction.

    Why: the metric's direction says which way is better for the organization. An objective
    that pushes the other way deliberately makes the metric worse, which is either a typo that
    turns the AI against its purpose, or a decision that deserves its own, honestly named metric.

    Fires:
        ```yaml
        customers:
          - {id: caller, role: end_user}
        metrics:
          - {id: speed_to_answer, direction: decrease, serves: caller}
        systems:
          - id: router
            objectives:
              - {id: answer, optimizes: speed_to_answer, direction: increase, serves: caller,
                 guardrails: [speed_to_answer]}
        ```

    Passes:
        ```yaml
        customers:
          - {id: caller, role: end_user}
        metrics:
          - {id: speed_to_answer, direction: decrease, serves: caller}
        systems:
          - id: router
            objectives:
              - {id: answer, optimizes: speed_to_answer, serves: caller,
                 guardrails: [speed_to_answer]}
        ```
    """

    code = "AA110"
    name = "counter-directional-objective"
    severity = Severity.ERROR

    def check(self, ctx: AuditContext) -> Iterator[Finding]:
        catalog = ctx.catalog
        for objective, entry in catalog.objectives.items():
            model = entry.model
            link = catalog.optimizes.get(objective)
            if model is None or link is None or model.direction is None:
                continue
            metric = catalog.metrics[link.target].model
            assert metric is not None
            if model.direction == metric.direction:
                continue
            yield Finding(
                self.code,
                f"objective {objective} pushes {link.target} to {model.direction}, but "
                f"{link.target} is better when it goes the other way ({metric.direction})",
                entry.location("direction"),
                objective,
                hint="remove 'direction:' (it defaults to the metric's) or fix the metric's",
            )
