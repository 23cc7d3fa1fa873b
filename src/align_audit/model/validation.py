"""Validation of parsed documents into declarations, with located AA002 findings.

Each declaration (customer, outcome, metric, system, objective, tradeoff, waiver) is validated on
its own, so that every error of every declaration is reported (AA002). An error drops the
offending part only (SPEC §6.1): see :mod:`align_audit.model.partial`.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import fields
from typing import Any

from pydantic import ValidationError
from pydantic_core import SchemaValidator

from align_audit.codes import INVALID_SCHEMA
from align_audit.findings import Finding, Location
from align_audit.loading import Document, KeyPath, pointer
from align_audit.model.declarations import (
    _BOOL_HINT,
    MODELS_BY_TITLE,
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
    _clip,
)
from align_audit.model.entries import D, Declarations, Entry
from align_audit.model.partial import error_loc, prune

_LABEL_OF_MODEL: dict[type[Declaration], str] = {
    Customer: "customer",
    Outcome: "outcome",
    Metric: "metric",
    Effect: "effect",
    System: "system",
    Objective: "objective",
    Guardrail: "guardrail",
    Tradeoff: "tradeoff",
    Waiver: "waiver",
    OrganizationInfo: "organization",
    CatalogRef: "catalog",
}

_LABELS = {
    "customer": "customer",
    "outcome": "outcome",
    "metric": "metric",
    "system": "system",
    "objective": "objective",
    "tradeoff": "tradeoff",
    "waiver": "waiver",
    "organization": "organization",
    "catalog": "catalog",
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
    ) -> tuple[D | None, tuple[tuple[str, Any], ...]]:
        """The declaration, or what is left of it once the offending parts are dropped (None
        when it is left out), and the dropped values; AA002 for each error."""
        try:
            return validate(model, data, self.context), ()
        except ValidationError as exc:
            self._report(exc, keypath, kind, ident, entity)
            error = exc
        dropped: list[tuple[str, Any]] = []
        for _ in range(3):  # a repair can uncover a check that needed the dropped part
            errors = [(_normalized(e), error_loc(e)) for e in error.errors(include_url=False)]
            pruned = prune(model, data, errors)
            if pruned is None:
                return None, ()
            data = pruned.data
            dropped.extend(pruned.dropped)
            try:
                return validate(model, data, self.context), tuple(dropped)
            except ValidationError as exc:
                error = exc
        return None, ()

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
            loc = error_loc(error)
            kind_ = _normalized(error)
            if _effect_shorthand(loc, error):
                loc, kind_ = loc[:2], "effect_type"
            full = (*keypath, *loc)
            if any(full[:n] in self.doc.refused for n in range(len(full) + 1)):
                continue  # already reported as AA006/AA001
            where = pointer(full)
            if where + kind_ in seen:
                continue
            seen.add(where + kind_)
            field_name = ".".join(str(p) for p in loc) or "(declaration)"
            if kind_ == "extra_forbidden":
                message, hint = _unknown_key(label, loc, self._fields(exc) if len(loc) == 1 else [])
                span = smap.key_span(full)
            elif kind_ == "missing":
                self.out.findings.append(missing_key(self.doc, full, label, entity))
                continue
            elif kind_ == "effect_type":
                message = (
                    f"{label}: {field_name}: an effect is an impact (makes, helps, hurts, breaks "
                    f"or a non-zero integer) or a mapping with impact and note, got "
                    f"{_kind_of(error.get('input'))}"
                )
                span = smap.value_span(full)
                hint = (
                    f"is '{loc[1]}' a key of the {kind}? indent it at the level of 'effects'"
                    if str(loc[1]) in _KEYS_OF.get(kind, ())
                    else "write the effect as, e.g., csat: hurts"
                )
            else:
                text, hint = _describe(error, kind_)
                message = f"{label}: {field_name}: {text}"
                span = smap.value_span(full)
            self.out.findings.append(
                Finding(
                    INVALID_SCHEMA,
                    message,
                    Location(self.doc.path, span),
                    entity,
                    f"{where}#{kind_}",
                    hint=hint,
                )
            )

    @staticmethod
    def _fields(exc: ValidationError) -> list[str]:
        model = MODELS_BY_TITLE.get(exc.title)
        return [f.name for f in fields(model)] if model is not None else []


def missing_key(doc: Document, keypath: KeyPath, label: str, entity: str) -> Finding:
    """AA002: the key at the end of ``keypath`` is required and missing."""
    key = keypath[-1]
    return Finding(
        INVALID_SCHEMA,
        f"{label}: required key {key!r} is missing",
        Location(doc.path, doc.source_map.value_span(keypath[:-1])),
        entity,
        f"{pointer(keypath)}#missing",
        hint=f"add '{key}:'",
    )


def metric_label(ident: str | None) -> str:
    """How AA002 names a metric."""
    return _LABELS["metric"] + (f" {_clip(ident)}" if ident else "")


def _normalized(error: Mapping[str, Any]) -> str:
    kind = str(error["type"])
    return _ERROR_TYPES.get(kind, kind)


def _effect_shorthand(loc: tuple[str | int, ...], error: Mapping[str, Any]) -> bool:
    """An ``effects`` value that is neither an impact nor a mapping: pydantic names the
    ``impact`` key of the shorthand, which the user never wrote."""
    return (
        len(loc) == 3
        and loc[0] == "effects"
        and loc[2] == "impact"
        and not isinstance(error.get("input"), str | int)
    )


def _kind_of(value: Any) -> str:
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return _clip(repr(value))


_KEYS_OF: dict[str, frozenset[str]] = {
    _LABEL_OF_MODEL[m]: frozenset(f.name for f in fields(m)) for m in _LABEL_OF_MODEL
}


def _unknown_key(label: str, loc: tuple[str | int, ...], allowed: list[str]) -> tuple[str, str]:
    """The message and hint of an unknown key: did you mean a close allowed key, or is it a key
    of another part of the format (indented at the wrong level)?"""
    key = str(loc[-1])
    message = f"{label}: unknown key {key!r}"
    if allowed:
        message += f" (allowed: {', '.join(allowed)}; keys starting with x- are ignored)"
    close = difflib.get_close_matches(key, allowed, n=1)
    if close:
        return message, f"did you mean {close[0]!r}? (or remove the key, or prefix it with x-)"
    owners = [kind for kind, keys in _KEYS_OF.items() if key in keys and kind != "top level"]
    if owners and allowed:
        return message, f"'{key}' is a key of {_a(owners[0])}: check its indentation"
    return message, "remove the key, or prefix it with x-"


def _a(kind: str) -> str:
    return ("an " if kind[0] in "aeiou" else "a ") + kind


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
    data = doc.data
    top = v.validate(TopLevel, data, (), "top", None, path)[0] or TopLevel()
    top_entry: Entry[TopLevel] = Entry("top", None, top, doc, ())
    if "organization" in data:
        kp: KeyPath = ("organization",)
        org, dropped = v.validate(
            OrganizationInfo, data["organization"], kp, "organization", None, path
        )
        out.organizations.append(Entry("organization", "organization", org, doc, kp, dropped))
    if top.priorities is not None:
        out.priorities.append((top_entry, list(top.priorities)))

    def each(key: str, fn: Callable[[Any, KeyPath], None]) -> None:
        for index, item in enumerate(_list_of(data, key)):
            fn(item, (key, index))

    def entry(
        model: type[D], item: Any, kp: KeyPath, kind: str, ident: str | None, entity: str
    ) -> Entry[D]:
        validated, dropped = v.validate(model, item, kp, kind, ident, entity)
        return Entry(kind, ident, validated, doc, kp, dropped)

    def customer(item: Any, kp: KeyPath) -> None:
        ident = _raw_id(item) if isinstance(item, dict) else None
        entity = ident or path
        parent = entry(Customer, item, kp, "customer", ident, entity)
        children = []
        for i, raw in enumerate(_list_of(item, "outcomes")):
            oid = _raw_id(raw)
            full = f"{ident}.{oid}" if ident and oid else None
            children.append(
                entry(Outcome, raw, (*kp, "outcomes", i), "outcome", full, full or entity)
            )
        parent.children = tuple(children)
        out.customers.append(parent)

    def metric(item: Any, kp: KeyPath) -> None:
        ident = _raw_id(item) if isinstance(item, dict) else None
        out.metrics.append(entry(Metric, item, kp, "metric", ident, ident or path))

    def system(item: Any, kp: KeyPath) -> None:
        ident = _raw_id(item) if isinstance(item, dict) else None
        entity = ident or path
        parent = entry(System, item, kp, "system", ident, entity)
        children = []
        for i, raw in enumerate(_list_of(item, "objectives")):
            oid = _raw_id(raw) if isinstance(raw, dict) else None
            full = f"{ident}.{oid}" if ident and oid else None
            children.append(
                entry(Objective, raw, (*kp, "objectives", i), "objective", full, full or entity)
            )
        parent.children = tuple(children)
        out.systems.append(parent)

    def tradeoff(item: Any, kp: KeyPath) -> None:
        ident = _tradeoff_entity(item)
        out.tradeoffs.append(entry(Tradeoff, item, kp, "tradeoff", ident, ident or path))

    def waiver(item: Any, kp: KeyPath) -> None:
        ident = _waiver_entity(item)
        out.waivers.append(entry(Waiver, item, kp, "waiver", ident, ident or path))

    def catalog(item: Any, kp: KeyPath) -> None:
        out.catalogs.append(entry(CatalogRef, item, kp, "catalog", None, path))

    each("catalogs", catalog)
    each("customers", customer)
    each("metrics", metric)
    each("systems", system)
    each("tradeoffs", tradeoff)
    each("waivers", waiver)


def validate_documents(
    documents: list[Document],
    rule_names: Iterable[str] | None = None,
    unwaivable: Iterable[str] = (),
) -> Declarations:
    """Validate every declaration of every document; AA002 for each error, nothing skipped.

    ``rule_names``: the codes and names a waiver's ``rule`` may use (None: accept any);
    ``unwaivable``: those it may not (input errors, SPEC §6.1).
    """
    out = Declarations(documents=documents)
    context = {
        "rules": frozenset(rule_names) if rule_names is not None else None,
        "unwaivable": frozenset(unwaivable),
    }
    for doc in documents:
        out.findings.extend(doc.findings)
        _validate_document(doc, out, context)
    return out
