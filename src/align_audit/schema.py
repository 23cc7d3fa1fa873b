"""The JSON Schema (draft 2020-12) of the declaration format (SPEC §1), for editors.

Generated from the pydantic models of :mod:`align_audit.model`, so property names, required keys,
enums, descriptions (the attribute docstrings) and bounds cannot drift from the loader. What
pydantic cannot see is added here:

- the checks done by plain ``BeforeValidator`` functions, recognised by identity in
  :class:`_Generator`: ids (pattern), dates (:data:`DATE_PATTERN` and ``format: date``),
  impacts (labels or non-zero integers in [-100, 100]) and "one string or a list";
- the shorthand forms written as model-level before-validators and the declarations validated one
  by one (``list[Any]`` fields), in :data:`_OVERRIDES`;
- ``x-`` keys, allowed in every mapping (``patternProperties``), including ``effects``.

The schema accepts exactly the documents the loader reports no AA002 for, as a YAML editor sees
them (tests/schema checks this with a property test). The differences that no JSON Schema can
express are listed in tests/schema/test_schema.py as expected failures: integral floats such as
``1.0`` are integers in JSON, JSON has no infinity or NaN, and editors read YAML 1.2 where the
loader reads YAML 1.1 (``yes``/``on`` are booleans only in the latter).

Keywords are kept to those that draft-07 tools (yaml-language-server) read the same way.
"""

from __future__ import annotations

import ast
import copy
import inspect
import json
from collections.abc import Callable
from functools import cache
from typing import Any

from pydantic.json_schema import GenerateJsonSchema, JsonSchemaValue, models_json_schema
from pydantic_core import core_schema

from align_audit.model import (
    DECLARATION_MODELS,
    IMPACT_LABELS,
    Declaration,
    TopLevel,
)
from align_audit.model import declarations as model

__all__ = ["DATE_PATTERN", "ID_PATTERN", "SCHEMA_ID", "json_schema", "schema_text"]

DIALECT = "https://json-schema.org/draft/2020-12/schema"
SCHEMA_ID = "urn:align-audit:schema:declarations:v1"
"""A stable, absolute identifier for format version 1 (the schema is not published online)."""

# ``$`` in a Python pattern also matches before a final newline, and jsonschema's ``pattern`` uses
# re.search; ``(?!\n)$`` means "end of the string" in Python and in ECMA-262 alike, so "abc\n" is
# no id for either (the loader uses fullmatch).
_END = r"(?!\n)$"
ID_PATTERN = model.ID_PATTERN.removesuffix("$") + _END
"""SPEC §1.2 identifiers."""

DATE_PATTERN = (
    r"^(?:(?!0000)[0-9]{4}-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])"
    r"|(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)|02-(?:0[1-9]|1[0-9]|2[0-8]))"
    r"|(?:[0-9]{2}(?:0[48]|[2468][048]|[13579][26])|(?:0[48]|[2468][048]|[13579][26])00)-02-29)"
    + _END
)
"""YYYY-MM-DD calendar dates from 0001-01-01 (29 February in leap years only), so that editors
that treat ``format`` as an annotation still reject 2024-02-30."""

_EXTENSIONS: dict[str, Any] = {"^x-": {}}
_X_NOTE = "Keys starting with x- are allowed and ignored."

_MODELS = DECLARATION_MODELS
# What the defs are called in the schema (pydantic names them after the classes).
_DEF_NAMES = {m.__name__: m.__name__ for m in _MODELS} | {"OrganizationInfo": "Organization"}


def _ref(name: str) -> JsonSchemaValue:
    return {"$ref": f"#/$defs/{name}"}


def _id(description: str | None = None) -> JsonSchemaValue:
    schema: JsonSchemaValue = {"type": "string", "pattern": ID_PATTERN}
    return {"description": description, **schema} if description else schema


def _one_or_many(array: JsonSchemaValue) -> JsonSchemaValue:
    """``BeforeValidator(_one_or_many)``: one string is a list of one."""
    return {"anyOf": [array["items"], array]}


# pydantic resolves every "$ref" it sees in a field's schema against its own definitions, so the
# generator marks the defs it adds and _tidy turns the marks into references.
_MARK = "align-audit-def"


def _impact() -> JsonSchemaValue:
    return {_MARK: "Impact"}


def _date() -> JsonSchemaValue:
    return {_MARK: "Date"}


# Plain functions used as BeforeValidators in the models → what they admit, from the schema
# pydantic generates for the type they feed.
_BEFORE: dict[Callable[..., Any], Callable[[JsonSchemaValue], JsonSchemaValue]] = {
    model._check_id: lambda inner: {**inner, "pattern": ID_PATTERN},
    model._check_ref: lambda inner: inner,
    model._one_or_many: _one_or_many,
    model._as_date: lambda inner: _date(),
    model.impact_weight: lambda inner: _impact(),
    model._check_version: lambda inner: inner,
}


# Validator methods of the models, and what the schema does about them. A validator missing here
# fails the generation (and so the tests): decide what the schema must say about it first.
_METHODS = {
    "Declaration._drop_extensions": "patternProperties ^x- on every object",
    "Metric._drop_extension_keys": "patternProperties ^x- in effects (_effects)",
    "Outcome._shorthand": "Customer.outcomes items (_OVERRIDES)",
    "Effect._shorthand": "effects values (_effects)",
    "Guardrail._shorthand": "Objective.guardrails items (_OVERRIDES)",
    "Objective._no_bool": "nothing: JSON Schema's number excludes booleans",
    "Tradeoff._two_distinct": "Tradeoff.between (_pair)",
    "Waiver._known_rule": "Waiver.rule (_rule)",
    "TopLevel._unique": "TopLevel.priorities (_unique)",
}


class _Generator(GenerateJsonSchema):
    """pydantic's generator, aware of the validators of :mod:`align_audit.model`."""

    def function_before_schema(
        self, schema: core_schema.BeforeValidatorFunctionSchema
    ) -> JsonSchemaValue:
        inner = super().function_before_schema(schema)
        function = schema["function"]["function"]
        hook = _BEFORE.get(function)
        if hook is not None:
            return hook(inner)
        _known(function)
        return inner

    def function_after_schema(
        self, schema: core_schema.AfterValidatorFunctionSchema
    ) -> JsonSchemaValue:
        _known(schema["function"]["function"])
        return super().function_after_schema(schema)


def _known(function: Callable[..., Any]) -> None:
    name = getattr(function, "__qualname__", repr(function))
    if name not in _METHODS:
        raise AssertionError(f"the JSON Schema does not know the validator {name}")


# --------------------------------------------------------------------------------------------
# Per-property additions: shorthand forms (model-level before-validators), declarations that the
# models keep as ``list[Any]`` because they are validated one by one, and after-validators.


def _array_of(item: JsonSchemaValue) -> Callable[[JsonSchemaValue], JsonSchemaValue]:
    def apply(prop: JsonSchemaValue) -> JsonSchemaValue:
        assert prop.get("type") == "array", prop
        return {**prop, "items": item}

    return apply


def _effects(prop: JsonSchemaValue) -> JsonSchemaValue:
    assert prop.get("type") == "object", prop
    return {
        **prop,
        "additionalProperties": {"anyOf": [_impact(), _ref("Effect")]},
        "patternProperties": _EXTENSIONS,
    }


def _pair(prop: JsonSchemaValue) -> JsonSchemaValue:
    assert prop.get("type") == "array", prop
    return {**prop, "minItems": 2, "maxItems": 2, "uniqueItems": True}


def _unique(prop: JsonSchemaValue) -> JsonSchemaValue:
    branches = prop["anyOf"]
    assert [b.get("type") for b in branches] == ["array", "null"], prop
    return {**prop, "anyOf": [{**branches[0], "uniqueItems": True}, branches[1]]}


def _rule(prop: JsonSchemaValue) -> JsonSchemaValue:
    from align_audit.rules import REGISTRY

    # Input errors cannot be waived (SPEC §6.1).
    codes = [rule.code for rule in REGISTRY if not rule.input_error]
    names = [rule.name for rule in REGISTRY if not rule.input_error]
    # The loader accepts value, value.upper() (codes) and value.lower() with "_" read as "-"
    # (names). Apart from ASCII,
    # only the Kelvin sign lower-cases to an ASCII letter ("k"); nothing upper-cases to "A".
    prefixes = sorted({code[:2] for code in codes})
    assert prefixes == ["AA"], prefixes
    any_code = "[Aa][Aa](?:" + "|".join(code[2:] for code in codes) + ")"
    any_name = "|".join(_any_case(name) for name in names)
    return {
        **prop,
        "anyOf": [
            {"enum": [*codes, *names]},
            {
                "description": "A rule code or name in any letter case (_ for - in names).",
                "pattern": f"^(?:{any_code}|{any_name}){_END}",
            },
        ],
    }


_EXTRA_LOWER = {"k": "\\u212A"}  # KELVIN SIGN.lower() == "k"


def _any_case(word: str) -> str:
    out = []
    for char in word:
        if char.isalpha():
            out.append(f"[{char.upper()}{char.lower()}{_EXTRA_LOWER.get(char.lower(), '')}]")
        else:
            assert char.isdigit() or char == "-", word
            out.append("[-_]" if char == "-" else char)
    return "".join(out)


_OVERRIDES: dict[tuple[str, str], Callable[[JsonSchemaValue], JsonSchemaValue]] = {
    ("TopLevel", "organization"): lambda prop: {**prop, **_ref("Organization")},
    ("TopLevel", "customers"): _array_of(_ref("Customer")),
    ("TopLevel", "metrics"): _array_of(_ref("Metric")),
    ("TopLevel", "systems"): _array_of(_ref("System")),
    ("TopLevel", "tradeoffs"): _array_of(_ref("Tradeoff")),
    ("TopLevel", "waivers"): _array_of(_ref("Waiver")),
    ("TopLevel", "catalogs"): _array_of(_ref("CatalogRef")),
    ("TopLevel", "priorities"): _unique,
    ("Customer", "outcomes"): _array_of(
        {"anyOf": [_id("Shorthand for {id: ...}."), _ref("Outcome")]}
    ),
    ("Metric", "effects"): _effects,
    ("System", "objectives"): _array_of(_ref("Objective")),
    ("Objective", "guardrails"): _array_of(
        {
            "anyOf": [
                {"description": "Shorthand for {metric: ...}.", "type": "string"},
                _ref("Guardrail"),
            ]
        }
    ),
    ("Tradeoff", "between"): _pair,
    ("Waiver", "rule"): _rule,
}

_EXTRA_DEFS: dict[str, JsonSchemaValue] = {
    "Impact": {
        "title": "Impact",
        "description": (
            "GRL contribution: makes (+100), helps (+25), hurts (-25), breaks (-100), "
            "or an integer in [-100, 100] other than 0."
        ),
        "anyOf": [
            {"enum": list(IMPACT_LABELS)},
            {"type": "integer", "minimum": -100, "maximum": -1},
            {"type": "integer", "minimum": 1, "maximum": 100},
        ],
    },
    "Date": {
        "title": "Date",
        "description": "A date, YYYY-MM-DD: a YAML date or a string.",
        "type": "string",
        "format": "date",
        "pattern": DATE_PATTERN,
    },
}

# Property keywords, in the order they are written (anything else follows, sorted).
_ORDER = (
    "$schema",
    "$id",
    "$ref",
    "title",
    "description",
    "type",
    "const",
    "enum",
    "format",
    "pattern",
    "minLength",
    "minimum",
    "maximum",
    "minItems",
    "maxItems",
    "uniqueItems",
    "items",
    "anyOf",
    "oneOf",
    "properties",
    "required",
    "additionalProperties",
    "patternProperties",
)


def _tidy(node: Any, *, keep_title: bool = False) -> Any:
    """Drop pydantic's per-property titles and defaults; fold ``anyOf`` of bare types into a type
    list; write keywords in a stable, readable order."""
    if isinstance(node, list):
        return [_tidy(item) for item in node]
    if not isinstance(node, dict):
        return node
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key == _MARK:
            out["$ref"] = f"#/$defs/{value}"
        elif key == "default" or (key == "title" and not keep_title):
            continue
        elif key in ("properties", "patternProperties", "$defs"):
            out[key] = {name: _tidy(sub, keep_title=key == "$defs") for name, sub in value.items()}
        else:
            out[key] = _tidy(value)
    branches = out.get("anyOf")
    if isinstance(branches, list) and all(set(b) == {"type"} for b in branches):
        del out["anyOf"]
        out["type"] = [b["type"] for b in branches]
    rank = {key: i for i, key in enumerate(_ORDER)}
    return dict(sorted(out.items(), key=lambda kv: (rank.get(kv[0], len(rank)), kv[0])))


def _attribute_docs(cls: type[Declaration]) -> dict[str, str]:
    """The docstrings written under a model's field declarations, by field name."""
    docs: dict[str, str] = {}
    for klass in reversed([k for k in cls.__mro__ if issubclass(k, Declaration)]):
        body = ast.parse(inspect.getsource(klass)).body[0]
        assert isinstance(body, ast.ClassDef)
        for stmt, after in zip(body.body, body.body[1:], strict=False):
            if (
                isinstance(stmt, ast.AnnAssign)
                and isinstance(stmt.target, ast.Name)
                and isinstance(after, ast.Expr)
                and isinstance(after.value, ast.Constant)
                and isinstance(after.value.value, str)
            ):
                docs[stmt.target.id] = inspect.cleandoc(after.value.value)
    return docs


def _object(model_cls: type[Declaration], generated: JsonSchemaValue) -> JsonSchemaValue:
    """One model's object schema: described properties, x- keys allowed, nothing else."""
    name = model_cls.__name__
    docs = _attribute_docs(model_cls)
    properties: dict[str, Any] = {}
    for prop_name, prop in generated["properties"].items():
        if prop_name not in docs:
            raise AssertionError(f"{name}.{prop_name} has no docstring")
        prop = {"description": docs[prop_name], **prop}
        override = _OVERRIDES.get((name, prop_name))
        properties[prop_name] = override(prop) if override is not None else prop
    description = generated.get("description", "").replace("``", "`")
    result: JsonSchemaValue = {
        "title": _DEF_NAMES.get(name, name),
        "description": f"{description} {_X_NOTE}".strip(),
        "type": "object",
        "properties": properties,
    }
    if generated.get("required"):
        result["required"] = generated["required"]
    result["additionalProperties"] = False
    result["patternProperties"] = _EXTENSIONS
    return result


@cache
def _build() -> str:
    models: list[Any] = [TopLevel, *_MODELS]  # pydantic dataclasses
    _, generated = models_json_schema(
        [(m, "validation") for m in models],
        ref_template="#/$defs/{model}",
        schema_generator=_Generator,
    )
    defs: dict[str, Any] = generated["$defs"]
    unknown = set(_OVERRIDES) - {
        (name, prop) for name, d in defs.items() for prop in d.get("properties", {})
    }
    assert not unknown, f"overrides for properties the models do not have: {sorted(unknown)}"
    top = _object(TopLevel, defs["TopLevel"])
    out_defs: dict[str, Any] = {
        _DEF_NAMES[m.__name__]: _object(m, defs[m.__name__]) for m in _MODELS
    }
    out_defs.update(_EXTRA_DEFS)
    schema: JsonSchemaValue = {
        "$schema": DIALECT,
        "$id": SCHEMA_ID,
        "title": "align-audit declarations",
        "description": (
            "One align-audit declaration file (format version 1): customers, metrics, AI "
            "systems and their objectives, priorities, tradeoffs and waivers. Every top-level "
            "key is optional; several files together form one organization. "
            f"{_X_NOTE}"
        ),
        "type": "object",
        "properties": top["properties"],
        "additionalProperties": False,
        "patternProperties": _EXTENSIONS,
        "$defs": out_defs,
    }
    schema = _tidy(schema, keep_title=True)
    # Pydantic's refs name the classes; the schema names the declarations.
    text = json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=False)
    for old, new in _DEF_NAMES.items():
        if old != new:
            text = text.replace(f'"#/$defs/{old}"', f'"#/$defs/{new}"')
    return text + "\n"


def json_schema() -> dict[str, Any]:
    """The JSON Schema of one declaration file (a fresh copy on every call)."""
    return copy.deepcopy(_parsed())


@cache
def _parsed() -> dict[str, Any]:
    value: dict[str, Any] = json.loads(_build())
    return value


def schema_text() -> str:
    """The schema as printed by ``align-audit schema``: indented JSON, deterministic."""
    return _build()
