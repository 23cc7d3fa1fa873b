"""The YAML core schema as the loader constructs it: tags, PyYAML's safe resolvers and
constructors for scalars, and how tags and values are quoted in messages."""

from __future__ import annotations

from typing import Any

import yaml
from yaml.constructor import SafeConstructor

T = "tag:yaml.org,2002:"
STR, SEQ, MAP, MERGE = T + "str", T + "seq", T + "map", T + "merge"
NULL = T + "null"
SCALAR_TAGS = {STR, T + "int", T + "float", T + "bool", T + "null", T + "timestamp"}
_CONSTRUCT = SafeConstructor()
BUILDERS = {
    T + "int": _CONSTRUCT.construct_yaml_int,
    T + "float": _CONSTRUCT.construct_yaml_float,
    T + "bool": _CONSTRUCT.construct_yaml_bool,
    T + "timestamp": _CONSTRUCT.construct_yaml_timestamp,
}


RESOLVERS: dict[str, tuple[tuple[str, Any], ...]] = {
    first: tuple(rules) for first, rules in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
"""PyYAML's safe implicit resolvers (YAML 1.1 rules), indexed by first character."""


MAX_INT_BITS = 1024
"""Larger integers are kept as their text: no field takes one, and Python cannot print an
integer of more than 4,300 digits in a message."""


def short_tag(tag: str) -> str:
    return "!!" + tag[len(T) :] if tag.startswith(T) else tag


def clip(text: str, limit: int = 40) -> str:
    """``repr`` of a scalar's text, shortened so that a message stays one readable line."""
    return repr(text if len(text) <= limit else text[: limit - 3] + "...")
