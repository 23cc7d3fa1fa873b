"""Evidence rules (SPEC §7): declared beliefs confronted with observed data. They run only when
data is given (``--data``); their facts come from :mod:`align_audit.evidence.facts`."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, ClassVar

from align_audit.findings import Finding, Related, Severity
from align_audit.rules.base import AuditContext, Rule

if TYPE_CHECKING:
    from align_audit.evidence.facts import Evidence, EvidencePair, Trend


def measured(pair: EvidencePair) -> str:
    """ρ, q and lag of a tested pair, as every evidence message gives them."""
    test = pair.test
    assert test.rho is not None and test.lag is not None and pair.q is not None
    return f"(ρ = {test.rho:.2f}, q = {pair.q:.3g}, lag {test.lag})"


def _moved(pair: EvidencePair) -> str:
    assert pair.test.rho is not None
    moved = "moved together" if pair.test.rho > 0 else "moved opposite"
    return f"over {pair.test.periods} periods their improvements {moved} {measured(pair)}"


def trend_text(trend: tuple[float, float] | None) -> str:
    """τ and p of a trend, for messages."""
    return "untested" if trend is None else f"τ = {trend[0]:.2f}, p = {trend[1]:.3g}"


class EvidenceRule(Rule):
    """Base of the AA3xx rules: silent without data."""

    needs_data: ClassVar[bool] = True

    def check(self, ctx: AuditContext) -> Iterator[Finding]:
        return iter(()) if ctx.evidence is None else self.observe(ctx, ctx.evidence)

    def observe(self, ctx: AuditContext, evidence: Evidence) -> Iterator[Finding]:
        """Yield the findings the observed data gives."""
        raise NotImplementedError


class ContradictedEffect(EvidenceRule):
    """Observed data moves opposite to a declared metric→metric effect.

    Why: the declarations say pushing one metric helps (or hurts) another; the organization's
    own data, corrected for testing many pairs at once, says the opposite. Either the belief is
    wrong or something else drives both; an AI optimizing on the belief will be surprised.

    Fires:
        ```yaml
        # with --data: aht and csat improve together, period after period
        metrics:
          - {id: aht, direction: decrease, serves: patient, effects: {csat: hurts}}
          - {id: csat, direction: increase, serves: patient}
        ```

    Passes:
        ```yaml
        # the same data, the belief corrected
        metrics:
          - {id: aht, direction: decrease, serves: patient, effects: {csat: helps}}
          - {id: csat, direction: increase, serves: patient}
        ```
    """

    code = "AA301"
    name = "contradicted-effect"
    severity = Severity.ERROR

    def observe(self, ctx: AuditContext, evidence: Evidence) -> Iterator[Finding]:
        for pair in evidence.declared:
            if pair.verdict != "contradicted":
                continue
            assert pair.link is not None and pair.weight is not None
            word = "helps" if pair.weight > 0 else "hurts"
            target = ctx.catalog.metrics[pair.target]
            yield Finding(
                self.code,
                f"declared {pair.source} {word} {pair.target}, but {_moved(pair)}",
                pair.link.location,
                pair.source,
                pair.target,
                related=(Related(target.id_location, pair.target, "affected metric"),),
                hint="revise the effect, or find what else moves both metrics",
            )


class UnconfirmedEffect(EvidenceRule):
    """A declared metric→metric effect has enough data, but the data does not support it.

    Why: a belief the data cannot confirm may still be true, but it should not drive an AI
    objective unexamined; collect more periods or revisit the effect.

    Fires:
        ```yaml
        # with --data: aht and csat move independently over 40 weeks
        metrics:
          - {id: aht, direction: decrease, serves: patient, effects: {csat: hurts}}
          - {id: csat, direction: increase, serves: patient}
        ```

    Passes:
        ```yaml
        # the same data: no effect is declared between them
        metrics:
          - {id: aht, direction: decrease, serves: patient}
          - {id: csat, direction: increase, serves: patient}
        ```
    """

    code = "AA302"
    name = "unconfirmed-effect"
    severity = Severity.INFO

    def observe(self, ctx: AuditContext, evidence: Evidence) -> Iterator[Finding]:
        for pair in evidence.declared:
            if pair.verdict != "unconfirmed":
                continue
            assert pair.link is not None and pair.weight is not None
            word = "helps" if pair.weight > 0 else "hurts"
            yield Finding(
                self.code,
                f"declared {pair.source} {word} {pair.target}, but the data gives it no "
                f"significant support over {pair.test.periods} periods {measured(pair)}",
                pair.link.location,
                pair.source,
                pair.target,
                hint="collect more periods, or revisit the declared effect",
            )


class HiddenTradeoff(EvidenceRule):
    """Two metrics measured for one customer trade off in the data, and nothing declares it.

    Why: when one of them improves the other gets worse, period after period, yet no effect or
    path links them: a tradeoff hides inside the customer's scorecard, and an AI pushing one
    will quietly spend the other. Declare the effect (and decide the tradeoff).

    Fires:
        ```yaml
        # with --data: wait_time and first_contact_resolution improve in opposite steps
        metrics:
          - {id: wait_time, direction: decrease, serves: caller}
          - {id: first_contact_resolution, direction: increase, serves: caller}
        ```

    Passes:
        ```yaml
        # the same data, the tradeoff declared
        metrics:
          - {id: wait_time, direction: decrease, serves: caller,
             effects: {first_contact_resolution: hurts}}
          - {id: first_contact_resolution, direction: increase, serves: caller}
        ```
    """

    code = "AA303"
    name = "hidden-tradeoff"
    severity = Severity.WARNING

    def observe(self, ctx: AuditContext, evidence: Evidence) -> Iterator[Finding]:
        for pair in evidence.undeclared:
            if pair.verdict != "hidden-tradeoff":
                continue
            source, target = ctx.catalog.metrics[pair.source], ctx.catalog.metrics[pair.target]
            yield Finding(
                self.code,
                f"{pair.source} and {pair.target}, both measured for {pair.customer}, have no "
                f"declared effect between them, but {_moved(pair)}",
                source.id_location,
                pair.source,
                pair.target,
                related=(Related(target.id_location, pair.target, "the other metric"),),
                hint=f"declare the effect (effects: {{{pair.target}: hurts}} on {pair.source}) "
                "and decide the tradeoff",
            )


class ProxyDivergence(EvidenceRule):
    """An objective's metric improves while a metric it must not hurt gets worse (Goodhart).

    Why: over the recent window the optimized metric trends the right way while a guardrail, or
    a metric measured for the stakeholder the objective claims to serve, trends the wrong way:
    the proxy is winning and the outcome is losing.

    Fires:
        ```yaml
        # with --data: cost_per_episode falls week after week while readmissions rise
        systems:
          - id: claims_optimizer
            objectives:
              - {id: cost, optimizes: cost_per_episode, serves: insurer,
                 guardrails: [readmissions]}
        ```

    Passes:
        ```yaml
        # the same declarations, data in which readmissions hold steady
        systems:
          - id: claims_optimizer
            objectives:
              - {id: cost, optimizes: cost_per_episode, serves: insurer,
                 guardrails: [readmissions]}
        ```
    """

    code = "AA304"
    name = "proxy-divergence"
    severity = Severity.ERROR

    def observe(self, ctx: AuditContext, evidence: Evidence) -> Iterator[Finding]:
        for trend in evidence.trends:
            if trend.verdict != "diverging":
                continue
            yield Finding(
                self.code,
                f"{trend.objective} is winning while {_role(trend)} {trend.other} is losing "
                f"from {trend.first} to {trend.last}: {trend.metric} improves "
                f"({trend_text(trend.metric_trend)}), {trend.other} worsens "
                f"({trend_text(trend.other_trend)})",
                ctx.catalog.optimizes[trend.objective].location,
                trend.objective,
                trend.other,
                related=(
                    Related(
                        ctx.catalog.metrics[trend.other].id_location,
                        trend.other,
                        "worsening metric",
                    ),
                ),
                hint="the proxy is winning, the outcome is losing: guard or rebalance the "
                "objective",
            )


def _role(trend: Trend) -> str:
    return "guardrail" if trend.relation == "guardrail" else "stakeholder metric"


class GuardrailBreached(EvidenceRule):
    """The latest observed value of a guardrail metric violates its threshold.

    Why: the guardrail exists so that the objective stops (or a person looks) when the bound is
    crossed; the data says it is crossed now.

    Fires:
        ```yaml
        # with --data: the latest csat is 3.9
        guardrails:
          - {metric: csat, threshold: ">= 4.2"}
        ```

    Passes:
        ```yaml
        # the same data, a bound the latest value respects
        guardrails:
          - {metric: csat, threshold: ">= 3.5"}
        ```
    """

    code = "AA305"
    name = "guardrail-breached"
    severity = Severity.ERROR

    def observe(self, ctx: AuditContext, evidence: Evidence) -> Iterator[Finding]:
        for breach in evidence.breaches:
            yield Finding(
                self.code,
                f"guardrail {breach.metric} of {breach.objective} is breached: its latest value "
                f"{breach.value:g} (period {breach.period}) violates {breach.threshold.text}",
                breach.location,
                breach.objective,
                breach.metric,
                hint="act on the breach, or revise the threshold with whoever owns it",
            )


class UnobservedObjective(EvidenceRule):
    """Data was given, but a metric an objective optimizes or guards has none.

    Why: the evidence rules cannot judge an objective, or its guardrail, without observations of
    its metric; add the metric to the data export.

    Fires:
        ```yaml
        # with --data holding no rows for cost_per_episode
        objectives:
          - {id: cost, optimizes: cost_per_episode, serves: insurer}
        ```

    Passes:
        ```yaml
        # the data holds cost_per_episode
        objectives:
          - {id: cost, optimizes: cost_per_episode, serves: insurer}
        ```
    """

    code = "AA306"
    name = "unobserved-objective"
    severity = Severity.INFO

    def observe(self, ctx: AuditContext, evidence: Evidence) -> Iterator[Finding]:
        for gap in evidence.unobserved:
            what = "optimizes" if gap.role == "optimizes" else "is guarded by"
            yield Finding(
                self.code,
                f"{gap.objective} {what} {gap.metric}, which has no observations in the data",
                gap.location,
                gap.objective,
                gap.metric,
                hint=f"add {gap.metric} to the data export",
            )
