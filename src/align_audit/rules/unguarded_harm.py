"""AA105 unguarded-harm."""

from __future__ import annotations

from collections.abc import Iterator

from align_audit.codes import UNGUARDED_HARM
from align_audit.findings import Finding, Related, Severity
from align_audit.rules.base import AuditContext, Rule, arrow


class UnguardedHarm(Rule):
    """Optimizing the objective harms a customer and no guardrail watches that harm.

    Why: Goodhart's law in one line: an AI that optimizes one metric perfectly will push every
    side effect as far as it goes. When the propagation of the objective reaches a customer with
    a negative effect, some guardrail of the objective must be measured for that customer or for
    a harmed outcome of theirs, or the harm grows unseen. One finding per (objective, harmed
    customer), naming the harmed outcomes and the path. The objective's own stakeholder can be
    harmed too (mixed effects).

    Fires:
        ```yaml
        customers:
          - {id: subscriber, role: end_user, outcomes: [quick_help, problem_solved]}
        metrics:
          - id: avg_handle_time
            direction: decrease
            serves: subscriber.quick_help
            effects: {first_contact_resolution: hurts}
          - {id: first_contact_resolution, direction: increase, serves: subscriber.problem_solved}
        systems:
          - id: support_bot
            objectives:
              - id: fast
                optimizes: avg_handle_time
                serves: subscriber
                guardrails: [avg_handle_time]   # watches quick_help, not the harmed outcome
        ```

    Passes:
        ```yaml
        customers:
          - {id: subscriber, role: end_user, outcomes: [quick_help, problem_solved]}
        metrics:
          - id: avg_handle_time
            direction: decrease
            serves: subscriber.quick_help
            effects: {first_contact_resolution: hurts}
          - {id: first_contact_resolution, direction: increase, serves: subscriber.problem_solved}
        systems:
          - id: support_bot
            objectives:
              - id: fast
                optimizes: avg_handle_time
                serves: subscriber
                guardrails: [{metric: first_contact_resolution, threshold: ">= 0.7"}]
        ```
    """

    code = UNGUARDED_HARM
    name = "unguarded-harm"
    severity = Severity.ERROR
    severity_note = "warning when the objective's stakeholder outranks the harmed customer"

    def check(self, ctx: AuditContext) -> Iterator[Finding]:
        catalog = ctx.catalog
        for harm in ctx.analysis.unguarded_harm:
            objective, customer, harmed = harm.objective, harm.customer, harm.outcomes
            outcomes = f" ({', '.join(harmed)})" if harmed else ""
            yield Finding(
                self.code,
                f"optimizing {harm.trace[0]} for {objective} harms {customer}{outcomes} and no "
                f"guardrail watches it: {arrow(harm.trace)}",
                catalog.optimizes[objective].location,
                objective,
                customer,
                related=(Related(catalog.customers[customer].id_location, customer, "harmed"),),
                trace=harm.trace,
                hint=f"add a guardrail metric measured for {harmed[0] if harmed else customer}"
                " to this objective",
                severity=Severity.WARNING if harm.outranked else Severity.ERROR,
            )
