"""AA103 self-conflicting-system."""

from __future__ import annotations

from collections.abc import Iterator

from align_audit.findings import Finding, Related, Severity
from align_audit.rules.base import AuditContext, Rule, arrow


class SelfConflictingSystem(Rule):
    """One system has objectives A and B where optimizing A works against B's metric, and
    neither a tradeoff nor priorities decide between them.

    Why: a system given two objectives that pull against each other settles the conflict by
    whatever weights happen to win during training or tuning, not by a decision anyone took.
    Record a tradeoff between the two metrics, or give the objectives stakeholders of different
    precedence.

    Fires:
        ```yaml
        customers:
          - {id: subscriber, role: end_user}
        metrics:
          - id: containment_rate
            direction: increase
            serves: subscriber
            effects: {first_contact_resolution: hurts}
          - {id: first_contact_resolution, direction: increase, serves: subscriber}
        systems:
          - id: chatbot
            objectives:
              - {id: deflect, optimizes: containment_rate, serves: subscriber,
                 guardrails: [first_contact_resolution]}
              - {id: resolve, optimizes: first_contact_resolution, serves: subscriber,
                 guardrails: [containment_rate]}
        ```

    Passes:
        ```yaml
        customers:
          - {id: subscriber, role: end_user}
        metrics:
          - id: containment_rate
            direction: increase
            serves: subscriber
            effects: {first_contact_resolution: hurts}
          - {id: first_contact_resolution, direction: increase, serves: subscriber}
        systems:
          - id: chatbot
            objectives:
              - {id: deflect, optimizes: containment_rate, serves: subscriber,
                 guardrails: [first_contact_resolution]}
              - {id: resolve, optimizes: first_contact_resolution, serves: subscriber,
                 guardrails: [containment_rate]}
        tradeoffs:
          - between: [containment_rate, first_contact_resolution]
            prefer: first_contact_resolution
            rationale: Solving the problem beats deflecting the contact
        ```
    """

    code = "AA103"
    name = "self-conflicting-system"
    severity = Severity.ERROR

    def check(self, ctx: AuditContext) -> Iterator[Finding]:
        catalog, analysis = ctx.catalog, ctx.analysis
        for objectives in catalog.objectives_of.values():
            pushes = {
                b: (catalog.optimizes[b].target, analysis.objective_sign(b))
                for b in objectives
                if b in catalog.optimizes
            }
            for a in pushes:
                reach = analysis.objective_reach(a)
                assert reach is not None
                for b, (metric_b, sign_b) in pushes.items():
                    assert sign_b is not None
                    if b == a or not reach.reaches(metric_b, -sign_b):
                        continue
                    if analysis.objectives_resolved(a, b):
                        continue
                    trace = reach.path(metric_b, -sign_b)
                    yield Finding(
                        self.code,
                        f"optimizing {reach.start} for {a} works against {b}, which pushes "
                        f"{metric_b} the other way ({arrow(trace)}), and no tradeoff or "
                        "priority decides between them",
                        catalog.optimizes[a].location,
                        a,
                        b,
                        related=(
                            Related(
                                catalog.objectives[b].id_location, b, "the objective worked against"
                            ),
                        ),
                        trace=tuple(trace),
                        hint=f"add a tradeoff between [{reach.start}, {metric_b}], or serve "
                        "stakeholders of different precedence",
                    )
