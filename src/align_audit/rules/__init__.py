"""The rule registry: every rule, in code order, listed explicitly."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from align_audit.errors import AuditError
from align_audit.rules.balancing_loop import BalancingLoop
from align_audit.rules.base import AuditContext, Rule, RuleDoc, parse_doc
from align_audit.rules.catalogs import CatalogMismatch, InvalidCatalog
from align_audit.rules.conflicting_metrics import CompetingDefinitions, ConflictingMetrics
from align_audit.rules.coverage import UnbalancedScorecard, UnmeasuredCustomer, UnmeasuredOutcome
from align_audit.rules.evidence import (
    ContradictedEffect,
    GuardrailBreached,
    HiddenTradeoff,
    ProxyDivergence,
    UnconfirmedEffect,
    UnobservedObjective,
)
from align_audit.rules.input import (
    DuplicateId,
    DuplicateKey,
    InvalidData,
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
    InvalidData,
    InvalidCatalog,
    CatalogMismatch,
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
    ContradictedEffect,
    UnconfirmedEffect,
    HiddenTradeoff,
    ProxyDivergence,
    GuardrailBreached,
    UnobservedObjective,
    UnusedWaiver,
    ExpiredWaiver,
)

BY_CODE: dict[str, type[Rule]] = {rule.code: rule for rule in REGISTRY}
BY_NAME: dict[str, type[Rule]] = {rule.name: rule for rule in REGISTRY}
INPUT_CODES: frozenset[str] = frozenset(rule.code for rule in REGISTRY if rule.input_error)
"""Input errors (SPEC §6.1): no setting hides them."""
ABSENCE_CODES: frozenset[str] = frozenset(rule.code for rule in REGISTRY if rule.absence)
"""Rules that report something missing (SPEC §6.1)."""

__all__ = [
    "ABSENCE_CODES",
    "BY_CODE",
    "BY_NAME",
    "INPUT_CODES",
    "REGISTRY",
    "AuditContext",
    "Rule",
    "RuleDoc",
    "identifiers",
    "lookup",
    "match_codes",
    "parse_doc",
]


def identifiers(codes: Iterable[str] | None = None) -> frozenset[str]:
    """Every code and name a waiver or an option may use (of ``codes`` only, when given)."""
    rules = REGISTRY if codes is None else [BY_CODE[code] for code in codes]
    return frozenset(r.code for r in rules) | frozenset(r.name for r in rules)


def lookup(code_or_name: str) -> type[Rule] | None:
    """The rule with this code (any case) or name (``_`` read as ``-``), or None."""
    text = code_or_name.strip()
    return BY_CODE.get(text.upper()) or BY_NAME.get(text.lower().replace("_", "-"))


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
        close = difflib.get_close_matches(text.lower().replace("_", "-"), list(BY_NAME), n=1)
        raise AuditError(
            f"unknown rule selector {selector!r}: "
            + (f"did you mean {close[0]!r}? " if close else "")
            + "use a code (AA101), a prefix (AA1) or a name (unserved-metric); "
            "see `align-audit rules`"
        )
    return codes
