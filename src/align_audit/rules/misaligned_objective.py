"""AA104 misaligned-objective."""

from __future__ import annotations

from collections.abc import Iterator

from align_audit.findings import Finding, Severity
from align_audit.rules.base import AuditContext, Rule, arrow


class MisalignedObjective(Rule):
    """Optimizing the objective does not improve the stakeholder it claims to serve.

    Why: an AI system optimizes exactly what it is given. If perfect optimization of the metric
    never reaches the claimed customer (or the named outcome) with a positive effect, the
    objective serves somebody else, whatever its `serves` says. Reaching the stakeholder with
    mixed effects counts as reaching it (AA105 then asks for a guardrail on the harm).

    Fires:
        ```yaml
        customers:
          - {id: patient, role: end_user}
          - {id: insurer, role: buyer, outcomes: [cost_control]}
        metrics:
          - {id: avg_handle_time, direction: decrease, serves: insurer.cost_control}
        systems:
          - id: support_bot
            objectives:
              - id: fast_resolution
                optimizes: avg_handle_time
                serves: patient
                guardrails: [avg_handle_time]
        ```

    Passes:
        ```yaml
        customers:
          - {id: patient, role: end_user}
          - {id: insurer, role: buyer, outcomes: [cost_control]}
        metrics:
          - {id: avg_handle_time, direction: decrease, serves: insurer.cost_control}
        systems:
          - id: support_bot
            objectives:
              - id: fast_resolution
                optimizes: avg_handle_time
                serves: insurer
                guardrails: [avg_handle_time]
        ```
    """

    code = "AA104"
    name = "misaligned-objective"
    severity = Severity.ERROR
    absence = True

    def check(self, ctx: AuditContext) -> Iterator[Finding]:
        catalog, analysis = ctx.catalog, ctx.analysis
        for objective in analysis.misaligned_objectives:
            reach = analysis.objective_reach(objective)
            link = catalog.stakeholder[objective]
            assert reach is not None
            stakeholder = link.target
            improved = analysis.reached_customers(reach, 1)
            if improved:
                trace = reach.path(improved[0], 1)
                names = ", ".join(improved)
                what = f"improves only {names} ({arrow(trace)})"
            elif reach.reaches(stakeholder, -1):
                trace = reach.path(stakeholder, -1)
                what = f"worsens {stakeholder} ({arrow(trace)}) and improves no customer"
            else:
                trace = []
                what = "improves no customer"
            yield Finding(
                self.code,
                f"{objective} claims to serve {stakeholder}, but optimizing {reach.start} {what}",
                link.location,
                objective,
                hint=f"serve the customer the metric actually improves, or link {reach.start} "
                f"to {stakeholder} with 'serves:' or an effect if it really helps them",
                trace=tuple(trace),
            )
