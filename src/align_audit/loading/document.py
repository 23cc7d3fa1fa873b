"""A parsed file: plain Python values plus a source map from key paths to spans."""

from __future__ import annotations

import re
from array import array
from bisect import bisect_right
from collections.abc import Iterator
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
        return (*self.position(start), *self.position(end))


_SCAN = 32


def _position(mapping: dict[str, Any], key: str) -> int:
    for index, candidate in enumerate(mapping):
        if candidate == key:
            return index
    raise KeyError(key)  # pragma: no cover - callers check membership first


def _containers(root: Any, located: dict[int, int]) -> Iterator[Any]:
    """Every mapping and list below ``root`` that has spans, each once."""
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen or id(node) not in located:
            continue
        seen.add(id(node))
        yield node
        items = node.values() if type(node) is dict else node
        stack.extend(item for item in items if type(item) is dict or type(item) is list)


class SourceMap:
    """Where each value (and each mapping key) of a document sits in its file.

    Kept beside the data instead of keyed by path, because spans for every node of a large
    file would otherwise cost several times the data: each mapping or list of the data has a
    run of character offsets in one flat array — per mapping entry, in key order: key start,
    key end, value start, value end; per list item: value start, value end. ``spans`` maps
    the container to where its run starts (one array per container cost a third more). A
    lookup walks the data along the key path, and turns the offsets it finds into lines and
    columns.
    """

    __slots__ = ("_keys", "lines", "offsets", "root", "root_span", "spans")

    def __init__(self, lines: Lines | None = None) -> None:
        self.lines = lines or Lines()
        self.root: Any = None
        self.root_span: RawSpan = (1, 1, 1, 1)
        self.offsets: array[int] = array(self.lines.starts.typecode)
        self.spans: dict[int, int] = {}
        self._keys: dict[int, dict[str, int]] = {}  # large mappings: key → position

    def __getstate__(self) -> tuple[Any, ...]:
        # Ids mean nothing in another process: the located containers go along themselves,
        # and pickle makes them the very objects of ``root`` again.
        located = [(node, self.spans[id(node)]) for node in _containers(self.root, self.spans)]
        return self.lines, self.root, self.root_span, self.offsets, located

    def __setstate__(self, state: tuple[Any, ...]) -> None:
        self.lines, self.root, self.root_span, self.offsets, located = state
        self.spans = {id(node): start for node, start in located}
        self._keys = {}

    def add(self, container: Any, offsets: array[int]) -> None:
        """Record the offsets of a finished container's entries."""
        self.spans[id(container)] = len(self.offsets)
        self.offsets.extend(offsets)

    def _walk(
        self, keypath: KeyPath, container: Any, value: RawSpan
    ) -> tuple[RawSpan, RawSpan | None, int, Any]:
        """From ``container`` (located at ``value``) along ``keypath``: (value span of the
        deepest node reached, its key span, how many parts matched, that node)."""
        index = -1  # position in ``offsets`` of the deepest step's value span
        depth = 0
        spans_of = self.spans
        for part in keypath:
            start = spans_of.get(id(container))
            if start is None:
                break
            kind = type(container)
            if kind is dict and type(part) is str and part in container:
                index = start + self._position(container, part) * 4 + 2
            elif kind is list and type(part) is int and 0 <= part < len(container):
                index = start + part * 2
            else:
                break
            container = container[part]
            depth += 1
        if index < 0:
            return value, None, depth, container
        # The last step was a mapping key exactly when its part is a string.
        span, at = self.lines.span, self.offsets
        key = span(at[index - 2], at[index - 1]) if type(keypath[depth - 1]) is str else None
        return span(at[index], at[index + 1]), key, depth, container

    def _position(self, mapping: dict[str, Any], key: str) -> int:
        """Where ``key`` is in ``mapping``'s order: a scan for a small mapping, an index built
        once for a large one (a GrowthBook catalog keys thousands of metrics by id)."""
        if len(mapping) <= _SCAN:
            return _position(mapping, key)
        keys = self._keys.get(id(mapping))
        if keys is None:
            keys = self._keys[id(mapping)] = {k: i for i, k in enumerate(mapping)}
        return keys[key]

    def cursor(self, keypath: KeyPath) -> Cursor:
        """A position to look up many paths below ``keypath`` without walking from the root."""
        value, key, depth, node = self._walk(keypath, self.root, self.root_span)
        return Cursor(self, node if depth == len(keypath) else None, value, key, keypath[:depth])

    def value_span(self, keypath: KeyPath) -> Span:
        """The span of the value at ``keypath``, or of its nearest located ancestor."""
        return Span(*self._walk(keypath, self.root, self.root_span)[0])

    def key_span(self, keypath: KeyPath) -> Span:
        """The span of the mapping key that introduces ``keypath`` (else its value's span)."""
        value, key, depth, _ = self._walk(keypath, self.root, self.root_span)
        return Span(*(key if key is not None and depth == len(keypath) else value))

    def has(self, keypath: KeyPath) -> bool:
        """Whether ``keypath`` names a located value."""
        return self._walk(keypath, self.root, self.root_span)[2] == len(keypath)


class Cursor:
    """Spans below one node, looked up relative to it (declarations locate many fields)."""

    __slots__ = ("key", "node", "reached", "source_map", "value")

    def __init__(
        self,
        source_map: SourceMap,
        node: Any,
        value: RawSpan,
        key: RawSpan | None,
        reached: KeyPath,
    ) -> None:
        self.source_map = source_map
        self.node = node  # None when the cursor's own path was not fully located
        self.value = value
        self.key = key
        self.reached = reached

    def value_span(self, sub: KeyPath) -> Span:
        """Span of the value at ``sub`` below the cursor (or of its nearest located ancestor)."""
        if not sub or self.node is None:
            return Span(*self.value)
        return Span(*self.source_map._walk(sub, self.node, self.value)[0])

    def key_span(self, sub: KeyPath) -> Span:
        """Span of the key introducing ``sub`` below the cursor (else of its value)."""
        if not sub:
            return Span(*(self.key or self.value))
        if self.node is None:
            return Span(*self.value)
        value, key, depth, _ = self.source_map._walk(sub, self.node, self.value)
        return Span(*(key if key is not None and depth == len(sub) else value))


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
