"""The rule registry: every rule, in code order, listed explicitly."""

from __future__ import annotations

from align_audit.errors import AuditError
from align_audit.rules.balancing_loop import BalancingLoop
from align_audit.rules.base import AuditContext, Rule, RuleDoc, parse_doc
from align_audit.rules.conflicting_metrics import CompetingDefinitions, ConflictingMetrics
from align_audit.rules.coverage import UnbalancedScorecard, UnmeasuredCustomer, UnmeasuredOutcome
from align_audit.rules.input import (
    DuplicateId,
    DuplicateKey,
    InvalidSchema,
    InvalidYaml,
    UnknownReference,
    UnsafeYaml,
)
from align_audit.rules.misaligned_objective import MisalignedObjective
from align_audit.rules.objective_hygiene import CounterDirectionalObjective, MissingGuardrail
from align_audit.rules.self_conflicting_system import SelfConflictingSystem
from align_audit.rules.tradeoffs import ObsoleteTradeoff, PrecedenceOverride, StaleTradeoff
from align_audit.rules.unguarded_harm import UnguardedHarm
from align_audit.rules.unserved_metric import UnservedMetric
from align_audit.rules.users_unserved import UsersUnserved
from align_audit.rules.waivers import ExpiredWaiver, UnusedWaiver

REGISTRY: tuple[type[Rule], ...] = (
    InvalidYaml,
    InvalidSchema,
    DuplicateKey,
    DuplicateId,
    UnknownReference,
    UnsafeYaml,
    UnservedMetric,
    ConflictingMetrics,
    SelfConflictingSystem,
    MisalignedObjective,
    UnguardedHarm,
    MissingGuardrail,
    UnmeasuredCustomer,
    UnmeasuredOutcome,
    CompetingDefinitions,
    CounterDirectionalObjective,
    BalancingLoop,
    UnbalancedScorecard,
    UsersUnserved,
    StaleTradeoff,
    ObsoleteTradeoff,
    PrecedenceOverride,
    UnusedWaiver,
    ExpiredWaiver,
)

BY_CODE: dict[str, type[Rule]] = {rule.code: rule for rule in REGISTRY}
BY_NAME: dict[str, type[Rule]] = {rule.name: rule for rule in REGISTRY}

__all__ = [
    "BY_CODE",
    "BY_NAME",
    "REGISTRY",
    "AuditContext",
    "Rule",
    "RuleDoc",
    "identifiers",
    "lookup",
    "match_codes",
    "parse_doc",
]


def identifiers() -> frozenset[str]:
    """Every code and name a waiver or an option may use."""
    return frozenset(BY_CODE) | frozenset(BY_NAME)


def lookup(code_or_name: str) -> type[Rule] | None:
    """The rule with this code (any case) or name, or None."""
    return BY_CODE.get(code_or_name.upper()) or BY_NAME.get(code_or_name.lower())


def match_codes(selector: str) -> set[str]:
    """Codes matched by a selector: a code, a code prefix (``AA1``, ``AA``) or a rule name.

    Raises AuditError when it matches nothing, so a typo in ``--select`` never passes silently.
    """
    text = selector.strip()
    rule = lookup(text)
    if rule is not None:
        return {rule.code}
    if text.upper() == "ALL":
        return set(BY_CODE)
    codes = {code for code in BY_CODE if code.startswith(text.upper())} if text else set()
    if not codes:
        raise AuditError(
            f"unknown rule selector {selector!r}: use a code (AA101), a prefix "
            "(AA1) or a name (unserved-metric); see `align-audit rules`"
        )
    return codes
