"""The declaration format of SPEC §1 as pydantic models: one per mapping of the format."""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import fields
from typing import Annotated, Any, Literal

from pydantic import (
    BeforeValidator,
    ConfigDict,
    Field,
    Strict,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic.dataclasses import dataclass as declaration
from pydantic_core import PydanticCustomError

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
            "date_format", "'{value}' is not a date in YYYY-MM-DD form", {"value": _clip(value)}
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
        close = difflib.get_close_matches(value.lower(), IMPACT_LABELS, n=1)
        raise PydanticCustomError(
            "impact_label",
            "'{value}' is not an impact: {close}use makes, helps, hurts, breaks or an integer "
            "in [-100, 100] other than 0",
            {"value": _clip(value), "close": f"did you mean '{close[0]}'? " if close else ""},
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
    direction: Direction | None = None
    """increase | decrease: which way is better; required unless a catalog metric gives it."""
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
        context = info.context or {}
        known = context.get("rules")
        forms = {value, value.upper(), value.lower(), value.lower().replace("_", "-")}
        if known is not None and not forms & known:
            close = difflib.get_close_matches(value.lower().replace("_", "-"), known, n=1)
            raise PydanticCustomError(
                "unknown_rule",
                "'{value}' is not a rule code or name (see `align-audit rules`){close}",
                {"value": _clip(value), "close": f"; did you mean '{close[0]}'?" if close else ""},
            )
        if forms & context.get("unwaivable", frozenset()):
            raise PydanticCustomError(
                "unknown_rule_input",
                "'{value}' is an input error and cannot be waived: fix the file instead",
                {"value": _clip(value)},
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
    for index, item in enumerate(value):
        if item in seen:
            # the index locates the error at the repeat (model.partial.error_loc)
            raise PydanticCustomError(
                "priorities_repeat",
                "'{item}' is listed twice in priorities",
                {"item": item, "index": index},
            )
        seen.add(item)
    return value


CatalogFormat = Literal["dbt", "eppo", "growthbook", "metric-hub"]


@declaration(frozen=True, slots=True, config=_CONFIG)
class CatalogRef(Declaration):
    """A metric catalog whose metrics are metric declarations of the organization (SPEC §8)."""

    format: CatalogFormat
    """dbt | eppo | growthbook | metric-hub (SPEC §8)."""
    path: Text
    """The catalog file, relative to the declaring file."""


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
    catalogs: AnyList = Field(default_factory=_none)
    """Metric catalogs (dbt, eppo, growthbook, metric-hub) read as metric declarations."""

    @field_validator("priorities")
    @classmethod
    def _unique(cls, value: list[str] | None) -> list[str] | None:
        return None if value is None else _no_repeats(value)


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
    CatalogRef,
)
"""Every mapping of the format below the top level (the JSON Schema's ``$defs``, in order)."""

ALL_MODELS: tuple[type[Declaration], ...] = (*DECLARATION_MODELS, TopLevel)
MODELS_BY_TITLE: dict[str, type[Declaration]] = {m.__name__: m for m in ALL_MODELS}


TOP_LEVEL_KEYS: frozenset[str] = frozenset(f.name for f in fields(TopLevel))
"""The keys of a declaration file."""


def declares_nothing(data: object) -> bool:
    """A parsed mapping none of whose keys belongs to the declaration format (``mkdocs.yml``)."""
    return isinstance(data, dict) and bool(data) and not TOP_LEVEL_KEYS & data.keys()
