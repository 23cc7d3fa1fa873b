"""AA101 unserved-metric."""

from __future__ import annotations

from collections.abc import Iterator

from align_audit.findings import Finding, Severity
from align_audit.rules.base import AuditContext, Rule


class UnservedMetric(Rule):
    """A metric serves no declared customer: pushing it toward "better" improves no customer.

    Why: every number an organization tracks competes for attention. A metric that improves no
    customer, directly through `serves` or through the metrics it helps, is a vanity metric, and
    the moment a team or an AI system optimizes it, effort flows away from customers (Goodhart's
    law: it becomes a target that no longer measures anything anyone values). A metric that only
    *hurts* a served metric is unserved too; two hurts in a row help.

    Fires:
        ```yaml
        customers:
          - {id: patient, role: end_user}
        metrics:
          - {id: portal_page_views, direction: increase}
        ```

    Passes:
        ```yaml
        customers:
          - {id: patient, role: end_user, outcomes: [informed_care]}
        metrics:
          - id: portal_page_views
            direction: increase
            effects: {patient.informed_care: helps}
        ```
    """

    code = "AA101"
    name = "unserved-metric"
    severity = Severity.ERROR
    absence = True

    def check(self, ctx: AuditContext) -> Iterator[Finding]:
        served = ctx.analysis.served_customers
        for metric, entry in ctx.catalog.metrics.items():
            if served[metric]:
                continue
            yield Finding(
                self.code,
                f"metric {metric} serves no declared customer: improving it improves no "
                "customer or outcome, directly or through other metrics",
                entry.id_location,
                metric,
                hint="add 'serves:' naming the customer or outcome it is measured for, or an "
                "effect that helps a served metric; or retire the metric",
            )
