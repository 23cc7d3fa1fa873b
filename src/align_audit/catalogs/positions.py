"""Source maps of JSON and TOML catalogs: the standard library parses them fast but without
positions, so spans are found on first use, only for the entries a finding or a declaration
points at.

Both plug into :class:`~align_audit.loading.SourceMap` by its lookup, ``_walk`` (with ``_value``
and ``_key``, which read the places it finds): their "node" is the key path itself and their
place the spans found, so cursors and every span lookup work as for YAML.
"""

from __future__ import annotations

import json
import re
from json.decoder import scanstring  # type: ignore[attr-defined]
from typing import Any

from align_audit.loading import KeyPath, SourceMap
from align_audit.loading.document import Lines, RawSpan

_WS = re.compile(r"[ \t\n\r]*")
# (key start, key end, value start, value end) of a container's entries; -1 keys for list items.
Offsets = dict[str | int, tuple[int, int, int, int]]


class _PathMap(SourceMap):
    """A source map whose nodes are key paths (the root is ``()``)."""

    __slots__ = ()

    def __init__(self, text: str) -> None:
        super().__init__(Lines(text))

    def _top(self) -> Any:
        return ()  # the root's key path

    def _walk(self, keypath: KeyPath, container: Any) -> tuple[Any, int, Any]:
        base: KeyPath = container if type(container) is tuple else ()
        full = (*base, *keypath)
        found, key, depth = self._locate(full)
        depth -= len(base)
        if depth <= 0:
            return None, 0, container
        return (found, key), depth, full[: len(base) + depth]

    def _value(self, place: Any, otherwise: RawSpan) -> RawSpan:
        return otherwise if place is None else place[0]

    def _key(self, place: Any) -> RawSpan:
        value: RawSpan
        key: RawSpan | None
        value, key = place
        return key or value

    def _locate(self, keypath: KeyPath) -> tuple[RawSpan, RawSpan | None, int]:
        """(value span of the deepest part of ``keypath`` found, its key span, parts found)."""
        raise NotImplementedError


class JsonMap(_PathMap):
    """Spans of a JSON text, by walking its containers with the C scanner: each container's
    entries are located once, when a path first goes through it."""

    __slots__ = ("_containers", "_data", "_decoder", "_root", "_text")

    def __init__(self, text: str, data: Any) -> None:
        super().__init__(text)
        self._text = text
        self._data = data  # what json.loads made of the text: a path it lacks is not searched
        self._decoder = json.JSONDecoder()
        start = _WS.match(text).end()  # type: ignore[union-attr]
        self._root = (start, len(text.rstrip()))
        self.root_span = self.lines.span(*self._root)
        self._containers: dict[KeyPath, Offsets | None] = {}

    def _locate(self, keypath: KeyPath) -> tuple[RawSpan, RawSpan | None, int]:
        start, end = self._root
        key: tuple[int, int] | None = None
        depth = 0
        data = self._data
        for part in keypath:
            if not _has(data, part):
                break
            data = data[part]
            prefix = keypath[:depth]
            if prefix not in self._containers:
                self._containers[prefix] = self._entries(start)
            entries = self._containers[prefix]
            if entries is None or part not in entries:
                break
            key_start, key_end, start, end = entries[part]
            key = (key_start, key_end) if key_start >= 0 else None
            depth += 1
        span = self.lines.span
        return span(start, end), span(*key) if key and depth else None, depth

    def _entries(self, start: int) -> Offsets | None:
        """Offsets of the entries of the object or array at ``start`` (None for a scalar).
        Later repeats of a key win, as in ``json.loads``."""
        text = self._text
        opening = text[start : start + 1]
        if opening not in ("{", "["):
            return None
        offsets: Offsets = {}
        pos = _WS.match(text, start + 1).end()  # type: ignore[union-attr]
        index = 0
        closing = "}" if opening == "{" else "]"
        while text[pos : pos + 1] not in (closing, ""):
            key_start = key_end = -1
            name: str | int = index
            if opening == "{":
                key_start = pos
                name, pos = scanstring(text, pos + 1)
                key_end = pos
                pos = _WS.match(text, pos).end()  # type: ignore[union-attr]
                pos = _WS.match(text, pos + 1).end()  # type: ignore[union-attr]  # past ':'
            _, end = self._decoder.raw_decode(text, pos)
            offsets[name] = (key_start, key_end, pos, end)
            pos = _WS.match(text, end).end()  # type: ignore[union-attr]
            if text[pos : pos + 1] == ",":
                pos = _WS.match(text, pos + 1).end()  # type: ignore[union-attr]
            index += 1
        return offsets


def _has(container: Any, part: str | int) -> bool:
    if isinstance(container, dict):
        return part in container
    return isinstance(container, list) and type(part) is int and 0 <= part < len(container)


_HEADER = re.compile(r"\s*\[\s*([^\[\]]+?)\s*\]\s*(?:#.*)?$")
_KEY_PART = re.compile(r"\s*(\"(?:[^\"\\]|\\.)*\"|'[^']*'|[A-Za-z0-9_-]+)\s*(\.|=|$)")


def _parts(text: str) -> tuple[list[str], str]:
    """The parts of a dotted TOML key at the start of ``text``, and what ends it (``=`` or
    the end of the text)."""
    parts: list[str] = []
    pos = 0
    while True:
        match = _KEY_PART.match(text, pos)
        if match is None:
            return parts, ""
        raw = match[1]
        parts.append(json.loads(raw) if raw[0] == '"' else raw.strip("'"))
        pos = match.end()
        if match[2] != ".":
            return parts, match[2]


class TomlMap(_PathMap):
    """Spans of the tables of a TOML text: a path ``(table, name, ...)`` is located at the line
    that defines ``[table.name]`` (or a ``name`` key of ``[table]``); deeper parts at that line."""

    __slots__ = ("_found", "_text")

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self._text = text
        self._found: dict[tuple[str, str], RawSpan] | None = None

    def _locate(self, keypath: KeyPath) -> tuple[RawSpan, RawSpan | None, int]:
        if self._found is None:
            self._found = self._scan()
        if len(keypath) >= 2 and (keypath[0], keypath[1]) in self._found:
            span = self._found[(str(keypath[0]), str(keypath[1]))]
            return span, span, 2
        return self.root_span, None, 0

    def _scan(self) -> dict[tuple[str, str], RawSpan]:
        """The first line of each (table, name) pair, by headers and by keys."""
        found: dict[tuple[str, str], RawSpan] = {}
        table: list[str] = []
        for number, line in enumerate(self._text.splitlines(), start=1):
            stripped = line.strip()
            if not stripped or stripped[0] == "#" or stripped.startswith("[["):
                continue
            header = _HEADER.match(line)
            if header is not None:
                table, _ = _parts(header[1])
                full = table
            else:
                parts, end = _parts(line)
                if end != "=":
                    continue
                full = table + parts
            if len(full) >= 2:
                column = len(line) - len(line.lstrip()) + 1
                found.setdefault((full[0], full[1]), (number, column, number, len(line) + 1))
        return found
