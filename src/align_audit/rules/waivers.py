"""Waiver rules AA204–AA205: produced by the engine once every other finding is known."""

from __future__ import annotations

from align_audit.codes import EXPIRED_WAIVER, UNUSED_WAIVER
from align_audit.findings import Severity
from align_audit.rules.base import Rule


class UnusedWaiver(Rule):
    """A waiver that has not expired suppresses nothing.

    Why: a waiver is a standing exception to the organization's alignment discipline. Once the
    finding it accepted is fixed (or its target renamed), the waiver only hides the next problem
    that happens to match it; delete it so exceptions stay few and deliberate.

    Fires:
        ```yaml
        customers:
          - {id: patient, role: end_user}
        metrics:
          - {id: csat, direction: increase, serves: patient}
        waivers:
          - rule: AA101
            target: csat          # csat serves patient: nothing to waive
            reason: legacy metric
        ```

    Passes:
        ```yaml
        customers:
          - {id: patient, role: end_user}
        metrics:
          - {id: csat, direction: increase, serves: patient}
        ```
    """

    code = UNUSED_WAIVER
    name = "unused-waiver"
    severity = Severity.WARNING
    reported_by_pipeline = True


class ExpiredWaiver(Rule):
    """A waiver's `until` date is before today; it no longer suppresses anything.

    Why: a waiver with an expiry is a promise to fix something by a date. When the date passes,
    the accepted finding is reported again and this finding asks the owners to fix the problem or
    renew the waiver with a new reason.

    Fires:
        ```yaml
        customers:
          - {id: patient, role: end_user}
        metrics:
          - {id: page_views, direction: increase}
        waivers:
          - rule: AA101
            target: page_views
            reason: dashboard migration
            until: 2020-01-31
        ```

    Passes:
        ```yaml
        customers:
          - {id: patient, role: end_user}
        metrics:
          - {id: page_views, direction: increase}
        waivers:
          - rule: AA101
            target: page_views
            reason: dashboard migration
            until: 2099-01-31
        ```
    """

    code = EXPIRED_WAIVER
    name = "expired-waiver"
    severity = Severity.WARNING
    reported_by_pipeline = True
