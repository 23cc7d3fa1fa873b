"""A parsed file: plain Python values plus a source map from key paths to spans."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from align_audit.findings import Finding, Span

KeyPath = tuple[str | int, ...]
RawSpan = tuple[int, int, int, int]


class Refused:
    """Stands in for a node that was not constructed (an unsafe tag); already reported."""

    _instance: Refused | None = None

    def __new__(cls) -> Refused:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "<refused>"


REFUSED = Refused()


def pointer(keypath: KeyPath) -> str:
    """A JSON-pointer-like rendering of a key path, e.g. ``/metrics/3/direction``."""
    return "/" + "/".join(str(part) for part in keypath) if keypath else "/"


@dataclass(slots=True)
class SourceMap:
    """Where each value (and each mapping key) of a document sits in its file."""

    values: dict[KeyPath, RawSpan] = field(default_factory=dict)
    keys: dict[KeyPath, RawSpan] = field(default_factory=dict)

    def value_span(self, keypath: KeyPath) -> Span:
        """The span of the value at ``keypath``, or of its nearest recorded ancestor."""
        for end in range(len(keypath), -1, -1):
            raw = self.values.get(keypath[:end])
            if raw is not None:
                return Span(*raw)
        return Span(1, 1, 1, 1)

    def key_span(self, keypath: KeyPath) -> Span:
        """The span of the mapping key that introduces ``keypath`` (else its value's span)."""
        raw = self.keys.get(keypath)
        return Span(*raw) if raw is not None else self.value_span(keypath)


@dataclass(slots=True)
class Document:
    """One input file after parsing."""

    path: str
    """Display path, as findings show it."""
    data: dict[str, Any]
    """The top-level mapping (empty when the file could not be read as one)."""
    source_map: SourceMap
    """Spans of every key and value."""
    findings: list[Finding] = field(default_factory=list)
    """AA001/AA003/AA006 (and AA002 for non-scalar keys) found while parsing."""
    refused: set[KeyPath] = field(default_factory=set)
    """Key paths of values that were refused (and already reported)."""
