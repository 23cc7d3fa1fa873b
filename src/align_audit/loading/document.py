"""A parsed file: plain Python values plus a source map from key paths to spans."""

from __future__ import annotations

import re
from array import array
from bisect import bisect_right
from dataclasses import dataclass, field
from itertools import accumulate, count
from operator import add
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


_BREAKS = re.compile("\r\n|[\r\n\x85\u2028\u2029]")


class Lines:
    """Character offset → 1-based line and column, with libyaml's line breaks (LF, CR, CRLF,
    NEL, LS, PS). The loader keeps offsets only: two numbers per node instead of four, and
    most are never turned into a line."""

    __slots__ = ("starts",)

    def __init__(self, text: str = "") -> None:
        # Four bytes an offset while they fit: the source map's offsets take this type too.
        starts = array("I" if len(text) < 2**32 else "Q", [0])
        if "\r" in text or "\x85" in text or "\u2028" in text or "\u2029" in text:
            starts.extend(match.end() for match in _BREAKS.finditer(text))
        else:  # the usual file, "\n" only: line k starts after k breaks and the lines before
            lengths = accumulate(map(len, text.split("\n")[:-1]))
            starts.extend(map(add, lengths, count(1)))
        self.starts = starts

    def position(self, offset: int) -> tuple[int, int]:
        """(line, column), both 1-based, of a character offset."""
        line = bisect_right(self.starts, offset)
        return line, offset - self.starts[line - 1] + 1

    def span(self, start: int, end: int) -> RawSpan:
        """The 1-based span between two character offsets."""
        starts = self.starts
        line = bisect_right(starts, start)
        first = starts[line - 1]
        if line == len(starts) or end < starts[line]:  # most values end on their first line
            return line, start - first + 1, line, end - first + 1
        end_line = bisect_right(starts, end, line)
        return line, start - first + 1, end_line, end - starts[end_line - 1] + 1


_SCAN = 32


ENTRY = 5
"""Numbers per mapping entry in a source map's offsets: key start, key end, value start, value
end, and the value's own run + 1 (0 when it has none)."""
ITEM = 3
"""Numbers per list item: value start, value end, the value's own run + 1."""


class SourceMap:
    """Where each value (and each mapping key) of a document sits in its file.

    Kept beside the data instead of keyed by path, because spans for every node of a large
    file would otherwise cost several times the data: each mapping or list of the data has a
    run of numbers in one flat array — per mapping entry, in key order: key start, key end,
    value start, value end, and where the value's own run starts (plus one; 0 for a scalar or
    a value without spans); per list item the last three. Only the root's run is kept apart:
    a table from each container to its run cost more than the runs themselves. A lookup walks
    the data and the runs together along the key path, and turns the offsets it finds into
    lines and columns.
    """

    __slots__ = ("_keys", "lines", "offsets", "root", "root_run", "root_span")

    def __init__(self, lines: Lines | None = None) -> None:
        self.lines = lines or Lines()
        self.root: Any = None
        self.root_run = -1
        self.root_span: RawSpan = (1, 1, 1, 1)
        self.offsets: array[int] = array(self.lines.starts.typecode)
        self._keys: dict[int, dict[str, int]] = {}  # large mappings: key → position

    def __getstate__(self) -> tuple[Any, ...]:
        return self.lines, self.root, self.root_run, self.root_span, self.offsets

    def __setstate__(self, state: tuple[Any, ...]) -> None:
        self.lines, self.root, self.root_run, self.root_span, self.offsets = state
        self._keys = {}

    def add(self, offsets: array[int]) -> int:
        """Record the offsets of a finished container's entries; where its run starts."""
        run = len(self.offsets)
        self.offsets.extend(offsets)
        return run

    def _top(self) -> Any:
        """The node lookups start from (see :meth:`_walk`)."""
        return self.root, self.root_run

    def _walk(self, keypath: KeyPath, node: Any) -> tuple[Any, int, Any]:
        """From ``node`` — a (container, its run) pair — along ``keypath``: (the place of the
        deepest node reached — None when no step matched —, how many parts matched, that
        node). A place is where its spans sit in ``offsets``; they become lines only when
        asked for (:meth:`_value`, :meth:`_key`)."""
        container, run = node
        at = self.offsets
        index = -1
        depth = 0
        for part in keypath:
            if run < 0:
                break
            kind = type(container)
            if kind is dict and type(part) is str and part in container:
                index = run + self._position(container, part) * ENTRY + 2
            elif kind is list and type(part) is int and 0 <= part < len(container):
                index = run + part * ITEM
            else:
                break
            container = container[part]
            run = at[index + 2] - 1
            depth += 1
        if index < 0:
            return None, 0, node
        return index, depth, (container, run)

    def _value(self, place: Any, otherwise: RawSpan) -> RawSpan:
        """The value span at a place :meth:`_walk` found (``otherwise`` for None)."""
        if place is None:
            return otherwise
        return self.lines.span(self.offsets[place], self.offsets[place + 1])

    def _key(self, place: Any) -> RawSpan:
        """The span of the mapping key at a place :meth:`_walk` found under a key."""
        return self.lines.span(self.offsets[place - 2], self.offsets[place - 1])

    def _position(self, mapping: dict[str, Any], key: str) -> int:
        """Where ``key`` is in ``mapping``'s order: a scan for a small mapping, an index built
        once for a large one (a GrowthBook catalog keys thousands of metrics by id)."""
        if len(mapping) <= _SCAN:
            return [*mapping].index(key)
        keys = self._keys.get(id(mapping))
        if keys is None:
            keys = self._keys[id(mapping)] = {k: i for i, k in enumerate(mapping)}
        return keys[key]

    def cursor(self, keypath: KeyPath) -> Cursor:
        """A position to look up many paths below ``keypath`` without walking from the root."""
        place, depth, node = self._walk(keypath, self._top())
        keyed = depth > 0 and type(keypath[depth - 1]) is str
        return Cursor(self, node if depth == len(keypath) else None, place, keyed)

    def value_span(self, keypath: KeyPath) -> Span:
        """The span of the value at ``keypath``, or of its nearest located ancestor."""
        return Span(*self._value(self._walk(keypath, self._top())[0], self.root_span))

    def key_span(self, keypath: KeyPath) -> Span:
        """The span of the mapping key that introduces ``keypath`` (else its value's span)."""
        place, depth, _ = self._walk(keypath, self._top())
        if depth == len(keypath) and depth and type(keypath[-1]) is str:
            return Span(*self._key(place))
        return Span(*self._value(place, self.root_span))

    def has(self, keypath: KeyPath) -> bool:
        """Whether ``keypath`` names a located value."""
        return self._walk(keypath, self._top())[1] == len(keypath)


class Cursor:
    """Spans below one node, looked up relative to it (declarations locate many fields).
    Small: a large organization's export keeps one per declaration."""

    __slots__ = ("keyed", "node", "place", "source_map")

    def __init__(self, source_map: SourceMap, node: Any, place: Any, keyed: bool) -> None:
        self.source_map = source_map
        self.node = node  # None when the cursor's own path was not fully located
        self.place = place  # where its spans are (None: the file's root)
        self.keyed = keyed  # whether a mapping key introduces it

    def value_span(self, sub: KeyPath) -> Span:
        """Span of the value at ``sub`` below the cursor (or of its nearest located ancestor)."""
        source_map = self.source_map
        place = self.place
        if sub and self.node is not None:
            found = source_map._walk(sub, self.node)[0]
            place = place if found is None else found
        return Span(*source_map._value(place, source_map.root_span))

    def key_span(self, sub: KeyPath) -> Span:
        """Span of the key introducing ``sub`` below the cursor (else of its value)."""
        source_map = self.source_map
        place, keyed = self.place, self.keyed
        if sub:
            if self.node is None:
                keyed = False
            else:
                found, depth, _ = source_map._walk(sub, self.node)
                keyed = depth == len(sub) and type(sub[-1]) is str
                place = place if found is None else found
        if keyed:
            return Span(*source_map._key(place))
        return Span(*source_map._value(place, source_map.root_span))


@dataclass(slots=True)
class Document:
    """One input file after parsing."""

    path: str
    """Display path, as findings show it."""
    data: dict[str, Any]
    """The top-level mapping (empty when the file could not be read as one)."""
    source_map: SourceMap = field(default_factory=SourceMap)
    """Spans of every key and value (looked up through ``data``)."""
    findings: list[Finding] = field(default_factory=list)
    """AA001/AA003/AA006 (and AA002 for non-scalar keys) found while parsing."""
    refused: set[KeyPath] = field(default_factory=set)
    """Key paths of values that were refused (and already reported)."""
