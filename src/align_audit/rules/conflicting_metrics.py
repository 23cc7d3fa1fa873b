"""AA102 conflicting-metrics and AA109 competing-definitions: unresolved metric conflicts."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from align_audit.analysis import Conflict
from align_audit.findings import Finding, Related, Severity
from align_audit.rules.base import AuditContext, Rule


def is_competing(ctx: AuditContext, conflict: Conflict) -> bool:
    """Both metrics declare different owners and are measured for a common customer."""
    metrics = ctx.catalog.metrics
    source, target = metrics[conflict.source].model, metrics[conflict.target].model
    assert source is not None and target is not None
    if not source.owner or not target.owner or source.owner == target.owner:
        return False
    analysis = ctx.analysis
    common = analysis.measured_customers(conflict.source) & analysis.measured_customers(
        conflict.target
    )
    return bool(common)


def unresolved_conflicts(ctx: AuditContext) -> Iterator[Conflict]:
    """Conflicts resolved neither by a tradeoff nor by precedence."""
    for conflict in ctx.analysis.conflicts:
        if ctx.analysis.resolution(conflict.source, conflict.target) is None:
            yield conflict


def _related(ctx: AuditContext, conflict: Conflict) -> tuple[Related, ...]:
    target = ctx.catalog.metrics[conflict.target]
    return (Related(target.id_location, conflict.target, "the hurt metric"),)


def _names(items: Iterable[str]) -> str:
    return ", ".join(sorted(items))


def why_precedence_cannot_decide(ctx: AuditContext, m: str, n: str) -> str:
    """Why the priorities do not resolve a conflict between m and n (SPEC §2.2), in words."""
    served = ctx.analysis.served_customers
    rank = ctx.analysis.rank
    mine, theirs = served.get(m, frozenset()), served.get(n, frozenset())
    for metric, customers in ((m, mine), (n, theirs)):
        if not customers:
            return f"{metric} serves no declared customer"
    shared = mine & theirs
    if shared:
        return f"both serve {_names(shared)}"
    unranked_m = [c for c in mine if c not in rank]
    unranked_n = [c for c in theirs if c not in rank]
    if unranked_m and unranked_n:
        return (
            f"{_names(unranked_m)} ({m}) and {_names(unranked_n)} ({n}) are not listed in "
            "priorities, so neither outranks the other"
        )

    def ranked(customers: frozenset[str]) -> str:
        return ", ".join(
            f"{c} #{rank[c] + 1}" if c in rank else f"{c} unranked" for c in sorted(customers)
        )

    return f"the customers of {m} ({ranked(mine)}) and of {n} ({ranked(theirs)}) interleave"


class ConflictingMetrics(Rule):
    """Two metrics are in conflict (one `hurts` the other) and nobody decided which one wins.

    Why: when improving one metric degrades another, every team and every AI system optimizing
    either of them will trade the other away by default. Customer focus means taking that
    decision deliberately: record a tradeoff (which metric wins, why, who decided), or let the
    declared priorities decide it by having the two metrics serve customers of different rank.

    Fires:
        ```yaml
        customers:
          - {id: subscriber, role: end_user}
        metrics:
          - id: avg_handle_time
            direction: decrease
            serves: subscriber
            effects: {csat: hurts}
          - {id: csat, direction: increase, serves: subscriber}
        ```

    Passes:
        ```yaml
        customers:
          - {id: subscriber, role: end_user}
        metrics:
          - id: avg_handle_time
            direction: decrease
            serves: subscriber
            effects: {csat: hurts}
          - {id: csat, direction: increase, serves: subscriber}
        tradeoffs:
          - between: [avg_handle_time, csat]
            prefer: csat
            rationale: Satisfaction wins; handle time is capped by a guardrail
        ```
    """

    code = "AA102"
    name = "conflicting-metrics"
    severity = Severity.WARNING

    def check(self, ctx: AuditContext) -> Iterator[Finding]:
        for conflict in unresolved_conflicts(ctx):
            if is_competing(ctx, conflict):
                continue  # reported as AA109
            yield Finding(
                self.code,
                f"metric {conflict.source} hurts metric {conflict.target}; no tradeoff decides "
                "the conflict, and priorities cannot: "
                + why_precedence_cannot_decide(ctx, conflict.source, conflict.target),
                conflict.location,
                conflict.source,
                conflict.target,
                related=_related(ctx, conflict),
                trace=(conflict.source, conflict.target),
                hint=f"add a tradeoff between [{conflict.source}, {conflict.target}] saying "
                "which one wins and why",
            )


class CompetingDefinitions(Rule):
    """Two metrics owned by different functions and measured for the same customer conflict,
    and the conflict is unresolved: the functions define this customer's value differently.

    Why: when, say, operations owns handle time and quality owns satisfaction for the same
    customer, each function optimizes its own definition of what the customer values and the
    conflict surfaces as a turf war instead of a decision. Name the tradeoff, or let priorities
    decide. Replaces AA102 for such conflicts.

    Fires:
        ```yaml
        customers:
          - {id: subscriber, role: end_user}
        metrics:
          - id: avg_handle_time
            direction: decrease
            owner: support_ops
            serves: subscriber
            effects: {csat: hurts}
          - {id: csat, direction: increase, owner: cx_quality, serves: subscriber}
        ```

    Passes:
        ```yaml
        customers:
          - {id: subscriber, role: end_user}
        metrics:
          - id: avg_handle_time
            direction: decrease
            owner: support_ops
            serves: subscriber
            effects: {csat: hurts}
          - {id: csat, direction: increase, owner: cx_quality, serves: subscriber}
        tradeoffs:
          - between: [avg_handle_time, csat]
            prefer: csat
            rationale: The customer's experience outranks operating cost
            decided_by: COO
        ```
    """

    code = "AA109"
    name = "competing-definitions"
    severity = Severity.WARNING

    def check(self, ctx: AuditContext) -> Iterator[Finding]:
        metrics = ctx.catalog.metrics
        for conflict in unresolved_conflicts(ctx):
            if not is_competing(ctx, conflict):
                continue
            source, target = metrics[conflict.source].model, metrics[conflict.target].model
            assert source is not None and target is not None
            common = sorted(
                ctx.analysis.measured_customers(conflict.source)
                & ctx.analysis.measured_customers(conflict.target)
            )
            yield Finding(
                self.code,
                f"metric {conflict.source} (owner {source.owner}) hurts metric "
                f"{conflict.target} (owner {target.owner}); both are measured for "
                f"{', '.join(common)} and the conflict is unresolved",
                conflict.location,
                conflict.source,
                conflict.target,
                related=_related(ctx, conflict),
                trace=(conflict.source, conflict.target),
                hint=f"have {source.owner} and {target.owner} agree a tradeoff between "
                f"[{conflict.source}, {conflict.target}]",
            )
