"""Customer coverage: AA107 unmeasured-customer, AA108 unmeasured-outcome,
AA112 unbalanced-scorecard."""

from __future__ import annotations

from collections.abc import Iterator

from align_audit.findings import Finding, Severity
from align_audit.rules.base import AuditContext, Rule


class UnmeasuredCustomer(Rule):
    """No metric is measured for the customer or any of its outcomes.

    Why: a customer nobody measures is a customer nobody optimizes for; in every tradeoff their
    interests lose by default, because they never show up on a dashboard. For regulators this is
    an error: an unmeasured regulator is a compliance risk discovered by the regulator.

    Fires:
        ```yaml
        customers:
          - {id: health_authority, role: regulator, outcomes: [reporting_compliance]}
        ```

    Passes:
        ```yaml
        customers:
          - {id: health_authority, role: regulator, outcomes: [reporting_compliance]}
        metrics:
          - id: reports_filed_on_time
            direction: increase
            serves: health_authority.reporting_compliance
        ```
    """

    code = "AA107"
    name = "unmeasured-customer"
    severity = Severity.WARNING
    severity_note = "error for role regulator"
    absence = True

    def check(self, ctx: AuditContext) -> Iterator[Finding]:
        measured = ctx.analysis.measured_for
        for customer, entry in ctx.catalog.customers.items():
            if measured.get(customer):
                continue
            assert entry.model is not None
            role = entry.model.role
            yield Finding(
                self.code,
                f"customer {customer} ({role}) is not measured: no metric serves it or any of "
                "its outcomes",
                entry.id_location,
                customer,
                hint=f"add a metric with 'serves: {customer}' or 'serves: {customer}.<outcome>'",
                severity=Severity.ERROR if role == "regulator" else None,
            )


class UnmeasuredOutcome(Rule):
    """No metric is measured directly for an outcome, though its customer is measured for
    another outcome.

    Why: what a customer values is several things at once. When only some of their outcomes
    have a metric, optimization quietly trades the unmeasured ones away. (A customer measured
    for nothing gets AA107 alone.)

    Fires:
        ```yaml
        customers:
          - {id: patient, role: end_user, outcomes: [care_quality, fast_access]}
        metrics:
          - {id: readmission_rate, direction: decrease, serves: patient.care_quality}
        ```

    Passes:
        ```yaml
        customers:
          - {id: patient, role: end_user, outcomes: [care_quality, fast_access]}
        metrics:
          - {id: readmission_rate, direction: decrease, serves: patient.care_quality}
          - {id: days_to_appointment, direction: decrease, serves: patient.fast_access}
        ```
    """

    code = "AA108"
    name = "unmeasured-outcome"
    severity = Severity.INFO
    absence = True

    def check(self, ctx: AuditContext) -> Iterator[Finding]:
        catalog = ctx.catalog
        direct = ctx.analysis.measured_directly
        for customer, outcomes in catalog.outcomes_of.items():
            if not any(direct.get(o) for o in outcomes):
                continue
            for outcome in outcomes:
                if direct.get(outcome):
                    continue
                yield Finding(
                    self.code,
                    f"outcome {outcome} has no metric, though {customer} is measured for other "
                    "outcomes",
                    catalog.outcomes[outcome].id_location,
                    outcome,
                    hint=f"add a metric with 'serves: {outcome}'",
                )


class UnbalancedScorecard(Rule):
    """Every metric measured for a customer that declares a `kind` is of the same kind (all
    leading or all lagging).

    Why: lagging metrics (outcomes: retention, readmissions) confirm too late; leading metrics
    (drivers: wait time, first-contact resolution) can be gamed without the outcome following.
    A balanced scorecard pairs them, so that optimizing the leading ones is checked by the
    lagging ones.

    Fires:
        ```yaml
        customers:
          - {id: patient, role: end_user}
        metrics:
          - {id: readmission_rate, direction: decrease, kind: lagging, serves: patient}
          - {id: mortality_rate, direction: decrease, kind: lagging, serves: patient}
        ```

    Passes:
        ```yaml
        customers:
          - {id: patient, role: end_user}
        metrics:
          - {id: readmission_rate, direction: decrease, kind: lagging, serves: patient}
          - {id: discharge_followup_calls, direction: increase, kind: leading, serves: patient}
        ```
    """

    code = "AA112"
    name = "unbalanced-scorecard"
    severity = Severity.INFO
    absence = True

    def check(self, ctx: AuditContext) -> Iterator[Finding]:
        catalog = ctx.catalog
        for customer, kind in ctx.analysis.unbalanced_scorecards.items():
            other = "lagging" if kind == "leading" else "leading"
            yield Finding(
                self.code,
                f"customer {customer}'s scorecard is all {kind}: every metric measured for it "
                f"that declares a kind is {kind}",
                catalog.customers[customer].id_location,
                customer,
                hint=f"add a {other} metric measured for {customer}",
            )
