"""Validation of parsed documents into declarations, with located AA002 findings.

Each declaration (customer, outcome, metric, system, objective, tradeoff, waiver) is validated on
its own, so that every error of every declaration is reported (AA002). An error drops the
offending part only (SPEC §6.1): see :mod:`align_audit.model.partial`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import fields
from typing import Any

from pydantic import ValidationError
from pydantic_core import SchemaValidator

from align_audit.findings import Finding, Location
from align_audit.loading import Document, KeyPath, pointer
from align_audit.model.declarations import (
    _BOOL_HINT,
    MODELS_BY_TITLE,
    Customer,
    Metric,
    Objective,
    OrganizationInfo,
    Outcome,
    System,
    TopLevel,
    Tradeoff,
    Waiver,
    _clip,
)
from align_audit.model.entries import D, Declarations, Entry

_LABELS = {
    "customer": "customer",
    "outcome": "outcome",
    "metric": "metric",
    "system": "system",
    "objective": "objective",
    "tradeoff": "tradeoff",
    "waiver": "waiver",
    "organization": "organization",
    "top": "top level",
}


def _describe(error: Mapping[str, Any], kind: str) -> tuple[str, str]:
    """A lowercase message and a hint for one pydantic error (``kind``: its normalized type)."""
    msg = str(error["msg"])
    if kind.startswith(("id_", "ref_", "impact_", "date_", "between_", "priorities_", "unknown_")):
        if "_bool" in kind:
            return "a boolean is not an id or reference", _BOOL_HINT
        return msg, ""
    value = error.get("input")
    if kind in ("string_type", "bool_type", "int_type") and isinstance(value, bool):
        return msg[0].lower() + msg[1:] + f", got '{value}'", _BOOL_HINT
    shown = repr(value)
    if len(shown) > 40:
        shown = shown[:37] + "..."
    if kind in ("literal_error", "string_too_short", "greater_than_equal", "finite_number"):
        return msg[0].lower() + msg[1:] + f", got {shown}", ""
    if kind == "model_type":
        got = "a list" if isinstance(value, list) else shown
        return f"expected a mapping, got {got}", ""
    if kind.endswith("_type"):
        got = (
            "a list"
            if isinstance(value, list)
            else "a mapping"
            if isinstance(value, dict)
            else shown
        )
        return msg[0].lower() + msg[1:] + f", got {got}", ""
    return msg[0].lower() + msg[1:], ""


def validate(model: type[D], data: Any, context: dict[str, Any] | None = None) -> D:
    """One declaration → its model; raises pydantic's ValidationError."""
    validator: SchemaValidator = model.__pydantic_validator__  # type: ignore[attr-defined]
    result: D = validator.validate_python(data, context=context)
    return result


# Dataclass validation names two errors differently from model validation; the names are part
# of AA002 fingerprints, so they keep the model's names.
_ERROR_TYPES = {
    "unexpected_keyword_argument": "extra_forbidden",
    "missing_argument": "missing",
    "dataclass_type": "model_type",
}


class _Validator:
    """Validates one document's declarations and turns errors into located AA002 findings."""

    def __init__(self, doc: Document, out: Declarations, context: dict[str, Any]) -> None:
        self.doc = doc
        self.out = out
        self.context = context

    def validate(
        self, model: type[D], data: Any, keypath: KeyPath, kind: str, ident: str | None, entity: str
    ) -> D | None:
        try:
            return validate(model, data, self.context)
        except ValidationError as exc:
            self._report(exc, keypath, kind, ident, entity)
            return None

    def _report(
        self, exc: ValidationError, keypath: KeyPath, kind: str, ident: str | None, entity: str
    ) -> None:
        if kind in ("tradeoff", "waiver") and ident:
            label = ident
        else:
            label = _LABELS[kind] + (f" {_clip(ident)}" if ident else "")
        smap = self.doc.source_map
        seen: set[str] = set()
        for error in exc.errors(include_url=False):
            loc = tuple(error["loc"])
            full = (*keypath, *loc)
            if any(full[:n] in self.doc.refused for n in range(len(full) + 1)):
                continue  # already reported as AA006/AA001
            kind_ = _ERROR_TYPES.get(error["type"], error["type"])
            where = pointer(full)
            if where + kind_ in seen:
                continue
            seen.add(where + kind_)
            field_name = ".".join(str(p) for p in loc) or "(declaration)"
            if kind_ == "extra_forbidden":
                # The allowed keys are known for the validated model itself, not nested ones.
                allowed = ", ".join(self._fields(exc)) if len(loc) == 1 else ""
                message = f"{label}: unknown key {loc[-1]!r}" + (
                    f" (allowed: {allowed}; keys starting with x- are ignored)" if allowed else ""
                )
                span, hint = smap.key_span(full), "remove the key, or prefix it with x-"
            elif kind_ == "missing":
                message = f"{label}: required key {loc[-1]!r} is missing"
                span, hint = smap.value_span(full[:-1]), f"add '{loc[-1]}:'"
            else:
                text, hint = _describe(error, kind_)
                message = f"{label}: {field_name}: {text}"
                span = smap.value_span(full)
            self.out.findings.append(
                Finding(
                    "AA002",
                    message,
                    Location(self.doc.path, span),
                    entity,
                    f"{where}#{kind_}",
                    hint=hint,
                )
            )

    @staticmethod
    def _fields(exc: ValidationError) -> Iterable[str]:
        model = MODELS_BY_TITLE.get(exc.title)
        return [f.name for f in fields(model)] if model is not None else ()


def _raw_id(data: Any) -> str | None:
    if isinstance(data, str):
        return data
    if isinstance(data, dict):
        value = data.get("id")
        if isinstance(value, str):
            return value
    return None


def _list_of(data: Any, key: str) -> list[Any]:
    value = data.get(key) if isinstance(data, dict) else None
    return value if isinstance(value, list) else []


def _tradeoff_entity(data: Any) -> str | None:
    between = data.get("between") if isinstance(data, dict) else None
    if isinstance(between, list) and len(between) == 2 and all(isinstance(b, str) for b in between):
        return f"tradeoff:{between[0]},{between[1]}"
    return None


def waiver_entity(rule: Any, target: Any) -> str:
    """``waiver:RULE:TARGET`` as written."""
    return f"waiver:{rule}:{target}"


def _waiver_entity(data: Any) -> str | None:
    if isinstance(data, dict) and isinstance(data.get("rule"), str):
        target = data.get("target")
        if isinstance(target, str):
            return waiver_entity(data["rule"], target)
    return None


def _validate_document(doc: Document, out: Declarations, context: dict[str, Any]) -> None:
    v = _Validator(doc, out, context)
    path = doc.path
    top = v.validate(TopLevel, doc.data, (), "top", None, path)
    data = doc.data
    if top is None:
        # Keep going with whatever parts are valid: every declaration is still checked.
        try:
            top = validate(TopLevel, {"priorities": data.get("priorities")})
        except ValidationError:
            top = TopLevel()
    top_entry: Entry[TopLevel] = Entry("top", None, top, doc, ())
    if "organization" in data:
        org = v.validate(
            OrganizationInfo, data["organization"], ("organization",), "organization", None, path
        )
        out.organizations.append(Entry("organization", "organization", org, doc, ("organization",)))
    if top.priorities is not None:
        out.priorities.append((top_entry, list(top.priorities)))

    def each(key: str, fn: Callable[[Any, KeyPath], None]) -> None:
        for index, item in enumerate(_list_of(data, key)):
            fn(item, (key, index))

    def customer(item: Any, kp: KeyPath) -> None:
        ident = _raw_id(item) if isinstance(item, dict) else None
        entity = ident or path
        model = v.validate(Customer, item, kp, "customer", ident, entity)
        entry: Entry[Customer] = Entry("customer", ident, model, doc, kp)
        for i, raw in enumerate(_list_of(item, "outcomes")):
            okp = (*kp, "outcomes", i)
            oid = _raw_id(raw)
            full = f"{ident}.{oid}" if ident and oid else None
            outcome = v.validate(Outcome, raw, okp, "outcome", full, full or entity)
            entry.children.append(Entry("outcome", full, outcome, doc, okp))
        out.customers.append(entry)

    def metric(item: Any, kp: KeyPath) -> None:
        ident = _raw_id(item) if isinstance(item, dict) else None
        model = v.validate(Metric, item, kp, "metric", ident, ident or path)
        out.metrics.append(Entry("metric", ident, model, doc, kp))

    def system(item: Any, kp: KeyPath) -> None:
        ident = _raw_id(item) if isinstance(item, dict) else None
        entity = ident or path
        model = v.validate(System, item, kp, "system", ident, entity)
        entry: Entry[System] = Entry("system", ident, model, doc, kp)
        for i, raw in enumerate(_list_of(item, "objectives")):
            okp = (*kp, "objectives", i)
            oid = _raw_id(raw) if isinstance(raw, dict) else None
            full = f"{ident}.{oid}" if ident and oid else None
            objective = v.validate(Objective, raw, okp, "objective", full, full or entity)
            entry.children.append(Entry("objective", full, objective, doc, okp))
        out.systems.append(entry)

    def tradeoff(item: Any, kp: KeyPath) -> None:
        ident = _tradeoff_entity(item)
        model = v.validate(Tradeoff, item, kp, "tradeoff", ident, ident or path)
        out.tradeoffs.append(Entry("tradeoff", ident, model, doc, kp))

    def waiver(item: Any, kp: KeyPath) -> None:
        ident = _waiver_entity(item)
        model = v.validate(Waiver, item, kp, "waiver", ident, ident or path)
        out.waivers.append(Entry("waiver", ident, model, doc, kp))

    each("customers", customer)
    each("metrics", metric)
    each("systems", system)
    each("tradeoffs", tradeoff)
    each("waivers", waiver)


def validate_documents(
    documents: list[Document], rule_names: Iterable[str] | None = None
) -> Declarations:
    """Validate every declaration of every document; AA002 for each error, nothing skipped.

    ``rule_names``: the codes and names a waiver's ``rule`` may use (None: accept any).
    """
    out = Declarations(documents=documents)
    context = {"rules": frozenset(rule_names) if rule_names is not None else None}
    for doc in documents:
        out.findings.extend(doc.findings)
        _validate_document(doc, out, context)
    return out
