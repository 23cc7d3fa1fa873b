"""Findings: what the audit reports, where, and how it is identified across edits."""

from __future__ import annotations

import enum
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from align_audit.visible import visible


class Severity(enum.IntEnum):
    """How serious a finding is; ordered so that ``ERROR > WARNING > INFO``."""

    INFO = 1
    WARNING = 2
    ERROR = 3

    @property
    def label(self) -> str:
        """The lowercase name used in every output format."""
        return self.name.lower()

    @classmethod
    def parse(cls, text: str) -> Severity:
        """Read ``error``/``warning``/``info`` (any case); raise ValueError otherwise."""
        try:
            return cls[text.strip().upper()]
        except KeyError:
            raise ValueError(
                f"unknown severity {text!r} (expected error, warning or info)"
            ) from None


@dataclass(frozen=True, slots=True, order=True)
class Span:
    """A 1-based region of a file: start line/column to end line/column."""

    line: int
    column: int
    end_line: int
    end_column: int


_FILE_START = Span(1, 1, 1, 1)


class Location:
    """Where a finding points: a file (as given on the command line) and a span in it.

    The span may be found on first use (``find(source)``): the audit locates every node and
    reference it builds, and only the few that findings and exports show are ever looked up.
    One ``source`` rather than an argument tuple: a large organization's graph holds a
    location per node and edge, and the reference it is found from already exists.
    Immutable in use; equal when path and span are.
    """

    __slots__ = ("_find", "_source", "_span", "path")

    def __init__(
        self,
        path: str,
        span: Span | None = None,
        *,
        find: Callable[[Any], Span] | None = None,
        source: object = None,
    ) -> None:
        self.path = path
        self._span = span if span is not None or find is not None else _FILE_START
        self._find = find
        self._source = source

    @property
    def span(self) -> Span:
        """The region in the file."""
        span = self._span
        if span is None:
            assert self._find is not None
            span = self._span = self._find(self._source)
            self._find = self._source = None
        return span

    def passing_span(self) -> Span:
        """:attr:`span`, not kept when not yet known: for an export that reads each of a
        large organization's locations once (keeping them cost a graph export of 100k
        declarations 22 MB)."""
        if self._span is not None:
            return self._span
        assert self._find is not None
        return self._find(self._source)

    @property
    def line(self) -> int:
        """1-based start line."""
        return self.span.line

    @property
    def column(self) -> int:
        """1-based start column."""
        return self.span.column

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Location):
            return NotImplemented
        return self.path == other.path and self.span == other.span

    def __hash__(self) -> int:
        return hash((self.path, self.span))

    def __repr__(self) -> str:
        return f"Location({self.path!r}, {self.span!r})"


@dataclass(frozen=True, slots=True)
class Related:
    """Another place a finding refers to: the first declaration, the other side of a conflict."""

    location: Location
    entity: str
    message: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "message", visible(self.message))


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem found by one rule, about one entity.

    ``name`` and ``severity`` may be left empty by the stage that detects the problem; the engine
    fills them in from the rule registry (and the configuration's severity overrides).
    """

    code: str
    """Stable rule code, e.g. ``AA101``."""
    message: str
    """One plain sentence naming the ids involved."""
    location: Location
    """Where the finding points."""
    entity: str
    """What the finding is about (SPEC §3.2); waivers match on it."""
    discriminator: str = ""
    """Tells apart findings with the same code and entity (related entity, key path, ...)."""
    related: tuple[Related, ...] = ()
    """Other locations involved."""
    trace: tuple[str, ...] = ()
    """Ids along the witness path, where propagation produced the finding."""
    hint: str = ""
    """How to fix it."""
    severity: Severity | None = None
    """Set by the rule only when it differs from the rule's default (e.g. role-dependent)."""
    name: str = ""
    """Rule name, stamped by the engine."""
    snippet: str = ""
    """A few source lines around the problem (text output only; AA001)."""

    def __post_init__(self) -> None:
        # Messages quote the user's text: no control character reaches any output (SPEC §6).
        object.__setattr__(self, "message", visible(self.message))
        object.__setattr__(self, "hint", visible(self.hint))

    def stamped(self, name: str, severity: Severity) -> Finding:
        """A copy with the rule's name and the effective severity. Copied slot by slot:
        ``dataclasses.replace`` would run ``__init__`` and re-clean both texts, for every
        finding of a large audit."""
        copy = object.__new__(Finding)
        for slot in Finding.__slots__:
            object.__setattr__(copy, slot, getattr(self, slot))
        object.__setattr__(copy, "name", name)
        object.__setattr__(copy, "severity", severity)
        return copy

    @property
    def fingerprint(self) -> str:
        """A stable identity: code + entity + discriminator, never line numbers."""
        raw = "\x1f".join((self.code, self.entity, self.discriminator))
        return hashlib.sha256(raw.encode("utf-8")).hexdigest()[:32]

    @property
    def level(self) -> Severity:
        """The effective severity (``ERROR`` if never stamped)."""
        return self.severity if self.severity is not None else Severity.ERROR

    def sort_key(self) -> tuple[str, int, int, str, str, str]:
        """SPEC §3.2 order: path, line, column, code, entity, discriminator."""
        loc = self.location
        return (loc.path, loc.line, loc.column, self.code, self.entity, self.discriminator)


def sort_findings(findings: list[Finding]) -> list[Finding]:
    """Return findings in the deterministic SPEC order."""
    return sorted(findings, key=Finding.sort_key)


@dataclass(frozen=True, slots=True)
class RuleInfo:
    """What an output shows of a rule, so that outputs never import the rules themselves."""

    code: str
    name: str
    severity: Severity
    """Default severity."""
    severity_note: str
    """How the severity varies, when it does."""
    summary: str
    """One paragraph: what it detects."""
    why: str
    """Why it matters."""
    fires: str
    """A YAML example that fires it."""
    passes: str
    """The fixed example."""
