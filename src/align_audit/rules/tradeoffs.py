"""Decisions: AA201 stale-tradeoff, AA202 obsolete-tradeoff, AA203 precedence-override."""

from __future__ import annotations

from collections.abc import Iterator

from align_audit.findings import Finding, Severity
from align_audit.rules.base import AuditContext, Rule


class StaleTradeoff(Rule):
    """A tradeoff's `review_by` date has passed.

    Why: a tradeoff records a decision taken under past conditions: prices, regulation, what
    customers said last year. A decision past its review date still resolves the conflict, but
    it is asking to be taken again by the people accountable today.

    Fires:
        ```yaml
        customers:
          - {id: subscriber, role: end_user}
        metrics:
          - {id: avg_handle_time, direction: decrease, serves: subscriber, effects: {csat: hurts}}
          - {id: csat, direction: increase, serves: subscriber}
        tradeoffs:
          - between: [avg_handle_time, csat]
            prefer: csat
            rationale: Satisfaction wins
            review_by: 2020-06-30
        ```

    Passes:
        ```yaml
        customers:
          - {id: subscriber, role: end_user}
        metrics:
          - {id: avg_handle_time, direction: decrease, serves: subscriber, effects: {csat: hurts}}
          - {id: csat, direction: increase, serves: subscriber}
        tradeoffs:
          - between: [avg_handle_time, csat]
            prefer: csat
            rationale: Satisfaction wins
            review_by: 2099-06-30
        ```
    """

    code = "AA201"
    name = "stale-tradeoff"
    severity = Severity.WARNING

    def check(self, ctx: AuditContext) -> Iterator[Finding]:
        for entry in ctx.analysis.stale_tradeoffs:
            model = entry.model
            assert model is not None and model.review_by is not None and entry.ident is not None
            yield Finding(
                self.code,
                f"{entry.ident} was due for review on {model.review_by.isoformat()}: the "
                f"decision to prefer {model.prefer} is stale",
                entry.location("review_by"),
                entry.ident,
                hint="review the decision and set a new review_by date",
            )


class ObsoleteTradeoff(Rule):
    """A tradeoff names two metrics with no negative path between them in either direction.

    Why: a tradeoff is only needed where improving one metric worsens the other. If the declared
    effects show no such path, either the conflict was fixed and the decision is dead weight, or
    the effect that justified it was never declared: declare it or delete the tradeoff.

    Fires:
        ```yaml
        customers:
          - {id: caller, role: end_user}
        metrics:
          - {id: speed_to_answer, direction: decrease, serves: caller}
          - {id: training_hours, direction: increase, serves: caller}
        tradeoffs:
          - between: [speed_to_answer, training_hours]
            prefer: training_hours
            rationale: Training first
        ```

    Passes:
        ```yaml
        customers:
          - {id: caller, role: end_user}
        metrics:
          - id: speed_to_answer
            direction: decrease
            serves: caller
            effects: {training_hours: hurts}
          - {id: training_hours, direction: increase, serves: caller}
        tradeoffs:
          - between: [speed_to_answer, training_hours]
            prefer: training_hours
            rationale: Training first
        ```
    """

    code = "AA202"
    name = "obsolete-tradeoff"
    severity = Severity.INFO

    def check(self, ctx: AuditContext) -> Iterator[Finding]:
        for tradeoff in ctx.analysis.obsolete_tradeoffs:
            a, b = tradeoff.a, tradeoff.b
            yield Finding(
                self.code,
                f"{tradeoff.entity} decides a conflict that does not exist: neither {a} nor {b} "
                "worsens the other through declared effects",
                tradeoff.entry.location("between"),
                tradeoff.entity,
                hint="delete the tradeoff, or declare the effect that makes the two conflict",
            )


class PrecedenceOverride(Rule):
    """A tradeoff prefers the metric whose served customers are all outranked by all served
    customers of the other metric.

    Why: priorities state whose interests win when customers conflict. A tradeoff may overrule
    them, and sometimes must, but then it is an exception to the organization's own precedence
    and should be visible as one in the workshop.

    Fires:
        ```yaml
        customers:
          - {id: candidate, role: end_user}
          - {id: hiring_manager, role: buyer}
        metrics:
          - id: cost_per_hire
            direction: decrease
            serves: hiring_manager
            effects: {candidate_nps: hurts}
          - {id: candidate_nps, direction: increase, serves: candidate}
        priorities: [candidate, hiring_manager]
        tradeoffs:
          - between: [cost_per_hire, candidate_nps]
            prefer: cost_per_hire
            rationale: Budget freeze
        ```

    Passes:
        ```yaml
        customers:
          - {id: candidate, role: end_user}
          - {id: hiring_manager, role: buyer}
        metrics:
          - id: cost_per_hire
            direction: decrease
            serves: hiring_manager
            effects: {candidate_nps: hurts}
          - {id: candidate_nps, direction: increase, serves: candidate}
        priorities: [candidate, hiring_manager]
        tradeoffs:
          - between: [cost_per_hire, candidate_nps]
            prefer: candidate_nps
            rationale: Candidates first, as our priorities say
        ```
    """

    code = "AA203"
    name = "precedence-override"
    severity = Severity.INFO

    def check(self, ctx: AuditContext) -> Iterator[Finding]:
        served = ctx.analysis.served_customers
        for override in ctx.analysis.precedence_overrides:
            tradeoff, preferred, other = override.tradeoff, override.preferred, override.other
            yield Finding(
                self.code,
                f"{tradeoff.entity} prefers {preferred}, which serves only customers outranked "
                f"by those {other} serves ({', '.join(sorted(served[other]))})",
                tradeoff.entry.location("prefer"),
                tradeoff.entity,
                hint="confirm the exception with the people who own the priorities, or prefer "
                f"{other}",
            )
