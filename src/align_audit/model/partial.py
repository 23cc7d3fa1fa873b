"""Keeping the valid part of a declaration (SPEC §6.1).

An AA002 error drops the offending part, not more: an unknown key is ignored, an invalid value of
an optional field leaves that field unset, an invalid element of a list (or of the ``effects``
mapping) drops that element. Only a declaration whose id or a required field is missing or
invalid is left out of the analysis.

Dropped values are kept beside the declaration: the references written in them let the catalog
know which absence findings an input error could have caused.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import MISSING, dataclass, fields
from typing import Any

from align_audit.model.declarations import Declaration

Loc = tuple[str | int, ...]

REFERENCE_FIELDS = frozenset(
    {"serves", "effects", "optimizes", "guardrails", "users", "metric", "between", "prefer"}
)
"""Keys whose values name other declarations (``effects`` by its keys)."""


@dataclass(frozen=True, slots=True)
class Pruned:
    """What is left of a declaration's data once the offending parts are dropped."""

    data: dict[str, Any]
    """The remaining mapping (a copy; the document's data is never changed)."""
    dropped: tuple[tuple[str, Any], ...]
    """(field, raw value) of every invalid value dropped; unknown keys are not listed."""


def error_loc(error: Mapping[str, Any]) -> Loc:
    """Where an error is: pydantic's ``loc``, refined to the element when a validator of a whole
    list names the offending index (``priorities`` repeats)."""
    loc: Loc = tuple(error["loc"])
    index = (error.get("ctx") or {}).get("index")
    return (*loc, index) if isinstance(index, int) else loc


def _required(model: type[Declaration]) -> frozenset[str]:
    return frozenset(
        f.name for f in fields(model) if f.default is MISSING and f.default_factory is MISSING
    )


def prune(model: type[Declaration], data: Any, errors: list[tuple[str, Loc]]) -> Pruned | None:
    """``data`` without the parts that ``errors`` (normalized type, location) point at; None when
    an error is in the declaration itself, its id or a required field (it is left out)."""
    if not isinstance(data, dict):
        return None
    required = _required(model)
    unknown: set[str] = set()
    invalid: set[str] = set()
    elements: dict[str, set[Any]] = {}
    nested: list[tuple[str, Any, Any]] = []
    for kind, loc in errors:
        if not loc:
            return None
        name = str(loc[0])
        if kind == "extra_forbidden" and len(loc) == 1:
            unknown.add(name)
        elif name in required:
            return None
        elif len(loc) == 1:
            invalid.add(name)
        elif kind == "extra_forbidden" and len(loc) == 3:
            nested.append((name, loc[1], loc[2]))
        else:
            elements.setdefault(name, set()).add(loc[1])
    out = dict(data)
    dropped: list[tuple[str, Any]] = []
    for name, item, key in nested:
        container = out.get(name)
        if isinstance(container, list | dict) and _has(container, item):
            element = container[item]
            if isinstance(element, dict):
                copy = list(container) if isinstance(container, list) else dict(container)
                copy[item] = {k: v for k, v in element.items() if k != key}
                out[name] = copy
    for name, items in elements.items():
        container = out.get(name)
        if isinstance(container, list):
            out[name] = [v for i, v in enumerate(container) if i not in items]
            dropped.append((name, [v for i, v in enumerate(container) if i in items]))
        elif isinstance(container, dict):
            out[name] = {k: v for k, v in container.items() if k not in items}
            dropped.append((name, {k: v for k, v in container.items() if k in items}))
        else:
            invalid.add(name)
    for name in sorted(unknown | invalid):
        if name in out:
            value = out.pop(name)
            if name in invalid:
                dropped.append((name, value))
    return Pruned(out, tuple(dropped))


def _has(container: list[Any] | dict[Any, Any], item: Any) -> bool:
    if isinstance(container, list):
        return isinstance(item, int) and 0 <= item < len(container)
    return item in container


def reference_names(data: Any) -> Iterator[str]:
    """Every id a raw declaration (or a dropped part of one) names in its reference fields,
    objectives of a system included; dotted references also name their first part."""
    if not isinstance(data, dict):
        return
    for key, value in data.items():
        if key == "objectives" and isinstance(value, list):
            for objective in value:
                yield from reference_names(objective)
        elif key == "effects" and isinstance(value, dict):
            yield from _names(list(value))
        elif key == "guardrails" and isinstance(value, list):
            for guard in value:
                yield from _names(guard.get("metric") if isinstance(guard, dict) else guard)
        elif key in REFERENCE_FIELDS:
            yield from _names(value)


def _names(value: Any) -> Iterator[str]:
    for item in value if isinstance(value, list) else [value]:
        if isinstance(item, str):
            yield item
            if "." in item:
                yield item.split(".", 1)[0]


def strings_in(value: Any) -> Iterator[str]:
    """Every string in a dropped value, keys included: what it meant is unknown, so anything it
    names may have been a reference (dotted ones also name their first part)."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _names(key)
            yield from strings_in(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings_in(item)
    else:
        yield from _names(value)
