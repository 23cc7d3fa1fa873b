"""The declaration format (SPEC §1): pydantic models, entries as written, and validation."""

from __future__ import annotations

from align_audit.model.declarations import (
    DECLARATION_MODELS,
    ID_PATTERN,
    IMPACT_LABELS,
    CatalogRef,
    Customer,
    Declaration,
    Effect,
    Guardrail,
    Metric,
    Objective,
    OrganizationInfo,
    Outcome,
    System,
    TopLevel,
    Tradeoff,
    Waiver,
    declares_nothing,
    impact_weight,
    is_id,
)
from align_audit.model.entries import Declarations, Entry
from align_audit.model.validation import validate, validate_documents, waiver_entity

__all__ = [
    "DECLARATION_MODELS",
    "ID_PATTERN",
    "IMPACT_LABELS",
    "CatalogRef",
    "Customer",
    "Declaration",
    "Declarations",
    "Effect",
    "Entry",
    "Guardrail",
    "Metric",
    "Objective",
    "OrganizationInfo",
    "Outcome",
    "System",
    "TopLevel",
    "Tradeoff",
    "Waiver",
    "declares_nothing",
    "impact_weight",
    "is_id",
    "validate",
    "validate_documents",
    "waiver_entity",
]
