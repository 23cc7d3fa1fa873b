"""The declaration format of SPEC §1 as pydantic models, and validation of parsed documents.

Each declaration (customer, outcome, metric, system, objective, tradeoff, waiver) is validated on
its own, so that every error of every declaration is reported (AA002) and one bad declaration is
left out of the analysis without hiding the rest.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, fields
from typing import Annotated, Any, Generic, Literal, TypeVar

from pydantic import (
    BeforeValidator,
    ConfigDict,
    Field,
    Strict,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic.dataclasses import dataclass as declaration
from pydantic_core import PydanticCustomError, SchemaValidator

from align_audit.findings import Finding, Location, Span
from align_audit.loading import Document, KeyPath, pointer
from align_audit.loading.document import Cursor

ID_PATTERN = r"^[A-Za-z][A-Za-z0-9_-]{0,63}$"
_ID_RE = re.compile(r"[A-Za-z][A-Za-z0-9_-]{0,63}")
_DATE_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
IMPACT_LABELS: dict[str, int] = {"makes": 100, "helps": 25, "hurts": -25, "breaks": -100}
_BOOL_HINT = 'YAML reads unquoted on/off/yes/no/true/false as booleans; quote the value, e.g. "on"'

Role = Literal["end_user", "influencer", "buyer", "regulator", "employee", "shareholder"]
Direction = Literal["increase", "decrease"]
MetricKind = Literal["leading", "lagging"]


def _clip(text: str, limit: int = 40) -> str:
    """Shorten a value quoted in a message so that the message stays one readable line."""
    return text if len(text) <= limit else text[: limit - 3] + "..."


def is_id(value: str) -> bool:
    """Whether ``value`` is a well-formed identifier (SPEC §1.2)."""
    return _ID_RE.fullmatch(value) is not None


def _check_id(value: Any) -> Any:
    if isinstance(value, bool):
        raise PydanticCustomError("id_bool", "a boolean is not an id; " + _BOOL_HINT)
    if isinstance(value, str) and not _ID_RE.fullmatch(value):
        raise PydanticCustomError(
            "id_pattern",
            "'{value}' is not a valid id: start with a letter, then letters, digits, '_' or '-' "
            "(no dots), at most 64 characters",
            {"value": _clip(value)},
        )
    return value


def _check_ref(value: Any) -> Any:
    if isinstance(value, bool):
        raise PydanticCustomError("ref_bool", "a boolean is not a reference; " + _BOOL_HINT)
    return value


def _one_or_many(value: Any) -> Any:
    return [value] if isinstance(value, str | bool) else value


def _as_date(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        raise PydanticCustomError("date_type", "expected a date (YYYY-MM-DD), not a date and time")
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            # fromisoformat alone also reads week dates and compact forms: SPEC says YYYY-MM-DD
            if _DATE_RE.fullmatch(value):
                return dt.date.fromisoformat(value)
        except ValueError:
            pass
        raise PydanticCustomError(
            "date_format", "'{value}' is not a date in YYYY-MM-DD form", {"value": value}
        )
    raise PydanticCustomError("date_type", "expected a date (YYYY-MM-DD)")


def _check_version(value: Any) -> Any:
    # Literal[1] alone would accept True and 1.0 (they compare equal to 1).
    if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
        raise PydanticCustomError(
            "version_int",
            "version must be the integer 1, got {value}",
            {"value": _clip(repr(value))},
        )
    return value


def impact_weight(value: Any) -> Any:
    """``makes``/``helps``/``hurts``/``breaks`` or a non-zero integer in [-100, 100] → weight."""
    if isinstance(value, str):
        if value in IMPACT_LABELS:
            return IMPACT_LABELS[value]
        raise PydanticCustomError(
            "impact_label",
            "'{value}' is not an impact: use makes, helps, hurts, breaks or an integer in "
            "[-100, 100] other than 0",
            {"value": value},
        )
    if isinstance(value, bool) or not isinstance(value, int):
        raise PydanticCustomError(
            "impact_type", "an impact is makes, helps, hurts, breaks or a non-zero integer"
        )
    if value == 0 or not -100 <= value <= 100:
        raise PydanticCustomError(
            "impact_range",
            "impact {value} is out of range: use a non-zero integer in [-100, 100]",
            {"value": _clip(str(value))},
        )
    return value


# Declarations are frozen, slotted pydantic dataclasses: a third of the memory of BaseModel
# instances (no __dict__, no fields-set) and faster to validate. Their config cannot be strict
# (a strict dataclass accepts only its own instances, not mappings), so every field type is.
Str = Annotated[str, Strict()]
Id = Annotated[str, Strict(), BeforeValidator(_check_id)]
Ref = Annotated[str, Strict(), BeforeValidator(_check_ref)]
Refs = Annotated[list[Ref], Strict(), BeforeValidator(_one_or_many)]
Date = Annotated[dt.date, Strict(), BeforeValidator(_as_date)]
Impact = Annotated[int, Strict(), BeforeValidator(impact_weight)]
Text = Annotated[str, Strict(), Field(min_length=1)]
Number = Annotated[float, Strict()]
AnyList = Annotated[list[Any], Strict()]
_CONFIG = ConfigDict(extra="forbid")


# Defaults of list and dict fields. Plain functions rather than ``list``/``dict``: pydantic
# inspects a default factory's signature, and reading a builtin's costs ~0.5 ms at each start.
def _none() -> list[Any]:
    return []


def _no_entries() -> dict[str, Any]:
    return {}


@declaration(frozen=True, slots=True, config=_CONFIG)
class Declaration:
    """Base of every mapping in the format: unknown keys forbidden, ``x-`` keys ignored.

    Attribute docstrings document the fields; schema.py reads them (pydantic's own
    use_attribute_docstrings parses this file's source on every run: ~20 ms of start-up).
    """

    @model_validator(mode="before")
    @classmethod
    def _drop_extensions(cls, data: Any) -> Any:
        return _without_extensions(data)


def _without_extensions(data: Any) -> Any:
    """A mapping without its ``x-`` keys (the same mapping when it has none: the usual case)."""
    if type(data) is dict:
        for key in data:
            if key[:2] == "x-":
                return {k: v for k, v in data.items() if k[:2] != "x-"}
    return data


def _shorthand_id(data: Any) -> Any:
    return {"id": data} if not isinstance(data, dict) else data


@declaration(frozen=True, slots=True, config=_CONFIG)
class Outcome(Declaration):
    """Something a customer values; addressed as ``customer.outcome``."""

    id: Id
    """Identifier, unique within its customer."""
    name: Str | None = None
    """Display name."""
    description: Str | None = None
    """What this outcome means for the customer."""

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, data: Any) -> Any:
        return _shorthand_id(data)


@declaration(frozen=True, slots=True, config=_CONFIG)
class Customer(Declaration):
    """A stakeholder the organization serves, in one of the customer roles."""

    id: Id
    """Identifier, unique across customers, metrics and systems."""
    role: Role
    """end_user | influencer | buyer | regulator | employee | shareholder."""
    name: Str | None = None
    """Display name."""
    description: Str | None = None
    """Who this customer is."""
    outcomes: AnyList = Field(default_factory=_none)
    """What this customer values: outcome ids or mappings with id, name, description."""


@declaration(frozen=True, slots=True, config=_CONFIG)
class Effect(Declaration):
    """What pushing a metric toward "better" does to something else."""

    impact: Impact
    """makes (+100), helps (+25), hurts (-25), breaks (-100) or an integer in [-100, 100], not 0."""
    note: Str | None = None
    """Evidence or rationale for the effect."""

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, data: Any) -> Any:
        return data if isinstance(data, dict) else {"impact": data}


@declaration(frozen=True, slots=True, config=_CONFIG)
class Metric(Declaration):
    """Something the organization measures, with the direction that means "better"."""

    id: Id
    """Identifier, unique across customers, metrics and systems."""
    direction: Direction
    """increase | decrease: which way is better."""
    name: Str | None = None
    """Display name."""
    description: Str | None = None
    """What is measured and how."""
    owner: Str | None = None
    """The function that defines and reports the metric."""
    unit: Str | None = None
    """Unit of measure."""
    kind: MetricKind | None = None
    """leading | lagging."""
    serves: Refs = Field(default_factory=_none)
    """Customers (id) or outcomes (customer.outcome) this metric is measured for."""
    effects: Annotated[dict[str, Effect], Strict()] = Field(default_factory=_no_entries)
    """Metric, customer.outcome or customer → impact (or {impact, note})."""

    @field_validator("effects", mode="before")
    @classmethod
    def _drop_extension_keys(cls, value: Any) -> Any:
        return _without_extensions(value)


@declaration(frozen=True, slots=True, config=_CONFIG)
class Guardrail(Declaration):
    """A metric that must not degrade while the objective is optimized."""

    metric: Ref
    """The guarded metric's id."""
    threshold: Str | None = None
    """The bound it must respect, e.g. ">= 4.2"."""

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, data: Any) -> Any:
        return data if isinstance(data, dict) else {"metric": data}


@declaration(frozen=True, slots=True, config=_CONFIG)
class Objective(Declaration):
    """What an AI system optimizes, and the stakeholder it claims to serve."""

    id: Id
    """Identifier, unique within its system; addressed as system.objective."""
    optimizes: Ref
    """The metric the system pushes."""
    serves: Ref
    """The stakeholder: a customer id or customer.outcome."""
    direction: Direction | None = None
    """increase | decrease; defaults to the metric's direction."""
    name: Str | None = None
    """Display name."""
    description: Str | None = None
    """What the objective is for."""
    guardrails: Annotated[list[Guardrail], Strict()] = Field(default_factory=_none)
    """Metrics that must not degrade: ids or {metric, threshold}."""
    weight: Number | None = Field(default=None, ge=0, allow_inf_nan=False)
    """Relative weight, informational."""

    @field_validator("weight", mode="before")
    @classmethod
    def _no_bool(cls, value: Any) -> Any:
        if isinstance(value, bool):
            raise PydanticCustomError("float_type", "Input should be a valid number")
        return value


@declaration(frozen=True, slots=True, config=_CONFIG)
class System(Declaration):
    """An AI system and the objectives it optimizes."""

    id: Id
    """Identifier, unique across customers, metrics and systems."""
    name: Str | None = None
    """Display name."""
    description: Str | None = None
    """What the system does."""
    owner: Str | None = None
    """The team accountable for the system."""
    users: Refs = Field(default_factory=_none)
    """Customers who interact with the system."""
    objectives: AnyList = Field(default_factory=_none)
    """The objectives it optimizes."""


@declaration(frozen=True, slots=True, config=_CONFIG)
class Tradeoff(Declaration):
    """A decision taken about a known conflict between two metrics."""

    between: Annotated[list[Id], Strict()]
    """Exactly two distinct metric ids."""
    prefer: Ref
    """The metric that wins: one of the two."""
    rationale: Text
    """Why; non-empty."""
    decided_by: Str | None = None
    """Who decided."""
    review_by: Date | None = None
    """Date after which the decision is stale."""

    @field_validator("between")
    @classmethod
    def _two_distinct(cls, value: list[str]) -> list[str]:
        if len(value) != 2 or value[0] == value[1]:
            raise PydanticCustomError(
                "between_pair", "between must list exactly two distinct metric ids"
            )
        return value


@declaration(frozen=True, slots=True, config=_CONFIG)
class Waiver(Declaration):
    """An accepted finding, with the reason it is accepted."""

    rule: Str
    """A rule code (AA106) or name (missing-guardrail)."""
    target: Text
    """The entity of the findings it accepts."""
    reason: Text
    """Why the finding is accepted; non-empty."""
    until: Date | None = None
    """Expiry date; after it the waiver no longer suppresses."""

    @field_validator("rule")
    @classmethod
    def _known_rule(cls, value: str, info: ValidationInfo) -> str:
        known = (info.context or {}).get("rules")
        if known is not None and not {value, value.upper(), value.lower()} & known:
            raise PydanticCustomError(
                "unknown_rule",
                "'{value}' is not a rule code or name (see `align-audit rules`)",
                {"value": value},
            )
        return value


@declaration(frozen=True, slots=True, config=_CONFIG)
class OrganizationInfo(Declaration):
    """Who is being audited."""

    name: Str
    """The organization's name."""
    description: Str | None = None
    """What it does."""


def _no_repeats(value: list[str]) -> list[str]:
    seen: set[str] = set()
    for item in value:
        if item in seen:
            raise PydanticCustomError(
                "priorities_repeat", "'{item}' is listed twice in priorities", {"item": item}
            )
        seen.add(item)
    return value


@declaration(frozen=True, slots=True, config=_CONFIG)
class TopLevel(Declaration):
    """One declaration file. Every key is optional."""

    version: Annotated[Literal[1] | None, BeforeValidator(_check_version)] = None
    """Format version; must be 1 when present."""
    organization: Any = None
    """name (required) and description."""
    customers: AnyList = Field(default_factory=_none)
    """Customers and their outcomes."""
    metrics: AnyList = Field(default_factory=_none)
    """Metrics with direction, serves and effects."""
    systems: AnyList = Field(default_factory=_none)
    """AI systems and their objectives."""
    priorities: Annotated[list[Id], Strict()] | None = None
    """Customer ids, highest precedence first; unlisted customers rank below all listed."""
    tradeoffs: AnyList = Field(default_factory=_none)
    """Decisions about conflicts."""
    waivers: AnyList = Field(default_factory=_none)
    """Accepted findings."""

    @field_validator("priorities")
    @classmethod
    def _unique(cls, value: list[str] | None) -> list[str] | None:
        return None if value is None else _no_repeats(value)


# --------------------------------------------------------------------------------------------
# Validation of documents

D = TypeVar("D", bound=Declaration)


@dataclass(slots=True)
class Entry(Generic[D]):
    """One declaration as written: its model (None when invalid) and where it is."""

    kind: str
    """customer, outcome, metric, system, objective, tradeoff, waiver, organization, priorities."""
    ident: str | None
    """Its id as written (``customer.outcome`` for nested ones); None when unreadable."""
    model: D | None
    """The validated declaration, or None when it had AA002 errors."""
    doc: Document
    """The file it is in."""
    keypath: KeyPath
    """Where it is in the file."""
    children: list[Entry[Any]] = field(default_factory=list)
    """Outcomes of a customer, objectives of a system."""
    _cursor: Cursor | None = field(default=None, repr=False, compare=False)

    def _here(self) -> Cursor:
        cursor = self._cursor
        if cursor is None:
            cursor = self._cursor = self.doc.source_map.cursor(self.keypath)
        return cursor

    def location(self, *sub: str | int) -> Location:
        """Location of a value inside the declaration (the declaration itself by default);
        looked up when first read."""
        return Location(self.doc.path, find=Entry._value_span, args=(self, sub))

    def key_location(self, *sub: str | int) -> Location:
        """Location of a key inside the declaration; looked up when first read."""
        return Location(self.doc.path, find=Entry._key_span, args=(self, sub))

    def _value_span(self, sub: KeyPath) -> Span:
        return self._here().value_span(sub)

    def _key_span(self, sub: KeyPath) -> Span:
        return self._here().key_span(sub)

    @property
    def id_location(self) -> Location:
        """Where the id is written (the declaration itself for shorthand outcomes)."""
        return self.location("id")


@dataclass(slots=True)
class Declarations:
    """Everything declared across all files, in SPEC order, before identity checks."""

    documents: list[Document] = field(default_factory=list)
    customers: list[Entry[Customer]] = field(default_factory=list)
    metrics: list[Entry[Metric]] = field(default_factory=list)
    systems: list[Entry[System]] = field(default_factory=list)
    tradeoffs: list[Entry[Tradeoff]] = field(default_factory=list)
    waivers: list[Entry[Waiver]] = field(default_factory=list)
    organizations: list[Entry[OrganizationInfo]] = field(default_factory=list)
    priorities: list[tuple[Entry[TopLevel], list[str]]] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)


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
        model = _MODELS_BY_TITLE.get(exc.title)
        return [f.name for f in fields(model)] if model is not None else ()


DECLARATION_MODELS: tuple[type[Declaration], ...] = (
    OrganizationInfo,
    Customer,
    Outcome,
    Metric,
    Effect,
    System,
    Objective,
    Guardrail,
    Tradeoff,
    Waiver,
)
"""Every mapping of the format below the top level (the JSON Schema's ``$defs``, in order)."""

_ALL_MODELS: tuple[type[Declaration], ...] = (*DECLARATION_MODELS, TopLevel)
_MODELS_BY_TITLE: dict[str, type[Declaration]] = {m.__name__: m for m in _ALL_MODELS}


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
