"""Guardrail thresholds (SPEC §7.4): ``OP NUMBER`` with OP one of ``<``, ``<=``, ``>``, ``>=``
(spaces allowed, a trailing ``%`` ignored). Any other text is a note for people, not checked."""

from __future__ import annotations

import math
import operator
import re
from collections.abc import Callable
from dataclasses import dataclass

_FORM = re.compile(
    r"\s*(<=|>=|<|>)\s*([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)\s*%?\s*", re.ASCII
)
_COMPARE: dict[str, Callable[[float, float], bool]] = {
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}


@dataclass(frozen=True, slots=True)
class Threshold:
    """A checkable bound on a guardrail metric."""

    op: str
    bound: float
    text: str
    """As written, for messages."""

    def holds(self, value: float) -> bool:
        """Whether ``value`` respects the bound."""
        return _COMPARE[self.op](value, self.bound)


def parse_threshold(text: str | None) -> Threshold | None:
    """The threshold, or None when the text is not of the checkable form."""
    if text is None:
        return None
    match = _FORM.fullmatch(text)
    if match is None:
        return None
    bound = float(match.group(2))
    if not math.isfinite(bound):
        return None
    return Threshold(match.group(1), bound, text.strip())
