"""Evidence rules (SPEC §7): declared beliefs confronted with observed data. They run only when
data is given (``--data``); their facts come from :mod:`align_audit.evidence.facts`."""

from __future__ import annotations

from collections.abc import Iterator

from align_audit.findings import Finding, Related, Severity
from align_audit.rules.base import AuditContext, Rule


def _numbers(rho: float, q: float, lag: int, periods: int) -> str:
    return f"over {periods} periods (ρ = {rho:.2f}, q = {q:.3g}, lag {lag})"


class ContradictedEffect(Rule):
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

    def check(self, ctx: AuditContext) -> Iterator[Finding]:
        if ctx.evidence is None:
            return
        for pair in ctx.evidence.declared:
            if pair.verdict != "contradicted":
                continue
            test = pair.test
            assert test.rho is not None and test.lag is not None and pair.q is not None
            word = "helps" if pair.weight > 0 else "hurts"
            moved = "moved together" if test.rho > 0 else "moved opposite"
            target = ctx.catalog.metrics[pair.target]
            yield Finding(
                self.code,
                f"declared {pair.source} {word} {pair.target}, but over {test.periods} periods "
                f"their improvements {moved} (ρ = {test.rho:.2f}, q = {pair.q:.3g}, "
                f"lag {test.lag})",
                pair.link.location,
                pair.source,
                pair.target,
                related=(Related(target.id_location, pair.target, "affected metric"),),
                hint="revise the effect, or find what else moves both metrics",
            )


class UnconfirmedEffect(Rule):
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

    def check(self, ctx: AuditContext) -> Iterator[Finding]:
        if ctx.evidence is None:
            return
        for pair in ctx.evidence.declared:
            if pair.verdict != "unconfirmed":
                continue
            test = pair.test
            assert test.rho is not None and test.lag is not None and pair.q is not None
            word = "helps" if pair.weight > 0 else "hurts"
            yield Finding(
                self.code,
                f"declared {pair.source} {word} {pair.target}, but the data gives it no "
                f"significant support {_numbers(test.rho, pair.q, test.lag, test.periods)}",
                pair.link.location,
                pair.source,
                pair.target,
                hint="collect more periods, or revisit the declared effect",
            )
