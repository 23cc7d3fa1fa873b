"""AA113 users-unserved."""

from __future__ import annotations

from collections.abc import Iterator

from align_audit.findings import Finding, Related, Severity
from align_audit.rules.base import AuditContext, Rule


class UsersUnserved(Rule):
    """A system's declared user is the stakeholder of none of its objectives.

    Why: the people who interact with a system feel every decision it makes. If none of its
    objectives claims to serve them, the system is optimized for somebody else while its users
    bear the consequences: the classic "the user is not the customer" trap.

    Fires:
        ```yaml
        customers:
          - {id: borrower, role: end_user}
          - {id: shareholder, role: shareholder}
        metrics:
          - {id: recovery_rate, direction: increase, serves: shareholder}
        systems:
          - id: collections_assistant
            users: [borrower]
            objectives:
              - {id: recover, optimizes: recovery_rate, serves: shareholder,
                 guardrails: [recovery_rate]}
        ```

    Passes:
        ```yaml
        customers:
          - {id: borrower, role: end_user}
          - {id: shareholder, role: shareholder}
        metrics:
          - {id: recovery_rate, direction: increase, serves: [shareholder, borrower]}
        systems:
          - id: collections_assistant
            users: [borrower]
            objectives:
              - {id: recover, optimizes: recovery_rate, serves: shareholder,
                 guardrails: [recovery_rate]}
              - {id: affordable_plans, optimizes: recovery_rate, serves: borrower,
                 guardrails: [recovery_rate]}
        ```
    """

    code = "AA113"
    name = "users-unserved"
    severity = Severity.WARNING
    absence = True

    def check(self, ctx: AuditContext) -> Iterator[Finding]:
        catalog, analysis = ctx.catalog, ctx.analysis
        for system, links in catalog.users.items():
            served = {analysis.stakeholder_customer(o) for o in catalog.objectives_of[system]}
            for link in links:
                user = link.target
                if user in served:
                    continue
                yield Finding(
                    self.code,
                    f"system {system} lists {user} as a user, but none of its objectives serves "
                    f"{user}",
                    link.location,
                    system,
                    user,
                    related=(Related(catalog.customers[user].id_location, user, "the user"),),
                    hint=f"add an objective that serves {user}, or remove {user} from 'users:'",
                )
