"""One large file parsed on two cores: the first half here, the second in a worker process.

A file is cut only where nothing can tell: at an item of a top-level block sequence (a line
that starts with ``  - ``, in the sequence under a plain ``key:`` line whose first item is
indented two spaces), in a file without anchors (``&``), merge keys, tabs or carriage
returns. Each half
is parsed as a file of its own, with the character offsets of the whole:

- the first half ends with a sentinel item ``  - ~`` at the cut, so that every node before it
  ends where it ends in the whole file (libyaml closes a block at the next token);
- the second half starts with ``key:`` padded with spaces to the length of the first half, so
  that its offsets are the whole file's.

The halves are joined into the document the whole file gives, source map included; when
either half has any finding, or their top-level keys overlap, the whole file is parsed again
instead, so a file with a problem is reported as it always was. The tests parse the examples,
a generated organization and random files both ways and compare every span.
"""

from __future__ import annotations

import re
from array import array
from dataclasses import dataclass
from typing import Any

from align_audit.loading.document import ENTRY, ITEM, Document, Lines
from align_audit.loading.limits import Limits
from align_audit.loading.yaml_reader import read_text

SPLIT_FROM = 4_000_000
"""Smallest file (in characters) cut in two: below it, forking and sending the second half
cost more than the second core saves."""

_TOP = re.compile(r"\n(?=[^ \n#])")
"""A line break before a line that starts at column 0 with neither space nor comment."""
_SECTION = re.compile(r"([A-Za-z_][A-Za-z0-9_-]*):[ ]*(?:#.*)?")
_SENTINEL = "  - ~\n"
_NO_OFFSETS = Lines()
"""A line table without breaks: every offset is on line 1, at column offset + 1."""


@dataclass(frozen=True, slots=True)
class Cut:
    """Where a text is cut: the first half to parse, and what the second is made of."""

    first: str
    key: str
    """The top-level key whose sequence is cut."""
    at: int
    """Where the second half starts in the text."""
    rest: str
    """The text from there on."""


def cut(text: str, smallest: int | None = None) -> Cut | None:
    """The halves of ``text``, or None when it cannot be cut safely (see the module) or is
    shorter than ``smallest`` (default :data:`SPLIT_FROM`)."""
    if len(text) < (SPLIT_FROM if smallest is None else smallest) or any(
        c in text for c in ("&", "<<", "\t", "\r", "\ufeff")
    ):
        return None
    at = text.find("\n  - ", len(text) // 2) + 1
    if at <= 0:
        return None
    start = 0
    for line_break in _TOP.finditer(text, 0, at):
        start = line_break.end()  # the last line before the cut that starts at column 0
    header_end = text.find("\n", start)
    section = _SECTION.fullmatch(text, start, header_end)
    first_item = header_end + 1
    while text.startswith(("\n", "#"), first_item):  # blank lines and comments
        first_item = text.find("\n", first_item) + 1
    if section is None or not 0 < first_item < at or not text.startswith("  - ", first_item):
        return None
    return Cut(text[:at] + _SENTINEL, section[1], at, text[at:])


@dataclass(frozen=True, slots=True)
class Half:
    """What a worker sends back of the second half: its data and source map offsets, where
    its root's run starts and its root ends, and the position of every run reference in the
    offsets (to move them when the offsets are appended to the first half's)."""

    data: dict[str, Any]
    offsets: array[int]
    root_run: int
    root_end: int
    references: array[int]


def parse_second(path: str, key: str, at: int, rest: str, limits: Limits) -> Half | None:
    """In a worker: the second half, or None when it has any finding."""
    padded = f"{key}:{' ' * (at - len(key) - 2)}\n{rest}"  # the whole file's offsets
    document = read_text(path, padded, limits, lines=_NO_OFFSETS)
    if document.findings or document.refused or not document.data:
        return None
    source_map = document.source_map
    root_end = source_map.root_span[3] - 1  # column - 1 on the one line of _NO_OFFSETS
    references = _references(document.data, source_map.root_run, source_map.offsets)
    return Half(document.data, source_map.offsets, source_map.root_run, root_end, references)


def _references(root: dict[str, Any], root_run: int, at: array[int]) -> array[int]:
    """Where in ``at`` each container's run is named (its value's run + 1, when not 0)."""
    found = array("Q")
    todo: list[tuple[Any, int]] = [(root, root_run)]
    while todo:
        container, run = todo.pop()
        if type(container) is dict:
            step, where, values = ENTRY, 4, container.values()
        else:
            step, where, values = ITEM, 2, container
        for i, value in enumerate(values):
            position = run + i * step + where
            if at[position] and type(value) in (dict, list):
                found.append(position)
                todo.append((value, at[position] - 1))
    return found


def joined(first: Document, second: Half, cut: Cut, lines: Lines) -> Document | None:
    """The whole file's document from its halves (None when they cannot be joined: the
    whole file must be parsed instead)."""
    key, data, other = cut.key, first.data, second.data
    if first.findings or first.refused or not data or [*data][-1] != key:
        return None
    head, tail = data[key], other.get(key)
    if type(head) is not list or not head or head[-1] is not None or type(tail) is not list:
        return None  # the sentinel item ends the first half's list
    names = [*other]
    later = names[1:]
    if names[0] != key or any(name in data for name in later):
        return None  # a key repeated across the halves: the whole file reports it
    source_map = first.source_map
    at, moved = source_map.offsets, second.offsets
    if moved.typecode != at.typecode:
        moved = array(at.typecode, moved)
    base = len(at)
    for position in second.references:
        moved[position] += base
    at.extend(moved)
    first_root, second_root = source_map.root_run, second.root_run + base
    last = first_root + (len(data) - 1) * ENTRY  # the key's entry, last in the first root
    head_run, tail_run = at[last + 4] - 1, at[second_root + 4] - 1
    items = len(at)  # the joined list's run: the first half's items but the sentinel, then
    at.extend(at[head_run : head_run + (len(head) - 1) * ITEM])  # the second half's
    at.extend(at[tail_run : tail_run + len(tail) * ITEM])
    root = len(at)  # the joined root's run: the key's value now ends where the second's does
    at.extend(at[first_root : last + 3])
    at.extend((at[second_root + 3], items + 1))
    at.extend(at[second_root + ENTRY : second_root + len(other) * ENTRY])
    head.pop()
    head.extend(tail)
    for name in later:
        data[name] = other[name]
    source_map.root_run = root
    line, column = source_map.root_span[:2]
    source_map.root_span = (line, column, *lines.position(second.root_end))
    return first
