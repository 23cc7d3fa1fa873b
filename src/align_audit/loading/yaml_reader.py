"""Bytes → :class:`Document`, with PyYAML's C parser and our own construction.

We read the parser's events (which carry their marks) and construct values ourselves so that:
keys keep their source text (``on:`` stays ``"on"``), repeated keys are reported instead of
silently overwritten, tags outside the core schema are never constructed, and alias expansion is
counted against a budget with memoized sizes (an alias bomb costs what its unique nodes cost).
"""

from __future__ import annotations

from sys import intern
from typing import Any

import yaml
from yaml.events import (
    AliasEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)
from yaml.nodes import ScalarNode

from align_audit.codes import DUPLICATE_KEY, INVALID_SCHEMA, INVALID_YAML, UNSAFE_YAML
from align_audit.findings import Finding, Location, Related, Span
from align_audit.loading.document import (
    ENTRY,
    ITEM,
    REFUSED,
    Document,
    KeyPath,
    Lines,
    RawSpan,
    SourceMap,
    pointer,
)
from align_audit.loading.frames import Frame, marks
from align_audit.loading.limits import Limits
from align_audit.loading.problems import invalid_at, syntax_finding
from align_audit.loading.scalars import (
    BUILDERS,
    MAP,
    MAX_INT_BITS,
    MERGE,
    NULL,
    RESOLVERS,
    SCALAR_TAGS,
    SEQ,
    STR,
    clip,
    short_tag,
)
from align_audit.loading.text import decoded


class _FileRefused(Exception):
    """The whole file is refused (limits, unsafe root); carries the finding."""

    def __init__(self, finding: Finding) -> None:
        super().__init__(finding.message)
        self.finding = finding


_OPEN = object()  # an anchor whose collection is still being built


class _Builder:
    """Builds values and the source map straight from the parser's events: no node tree is
    ever held, so memory is the data plus compact spans."""

    def __init__(self, path: str, limits: Limits, lines: Lines) -> None:
        self.path = path
        self.limits = limits
        self.lines = lines
        self.source_map = SourceMap(lines)
        self.findings: list[Finding] = []
        self.refused: set[KeyPath] = set()
        self.count = 0  # nodes so far, aliases expanded (sizes of anchored collections)
        self.expanded = 0  # nodes added by expanding aliases: the budget
        self.anchors: dict[str, Any] = {}  # name -> (value, size) or _OPEN
        self.anchored_runs: dict[int, int] = {}  # id of an anchored container -> its run + 1

    def _loc(self, raw: RawSpan) -> Location:
        return Location(self.path, Span(*raw))

    def _raw(self, offsets: tuple[int, ...]) -> RawSpan:
        """The span of a node's (start, end[, run + 1])."""
        return self.lines.span(offsets[0], offsets[1])

    def _refuse_file(self, raw: RawSpan, message: str, hint: str) -> _FileRefused:
        return _FileRefused(
            Finding(UNSAFE_YAML, message, self._loc(raw), self.path, "limits", hint=hint)
        )

    def _refuse_tag(self, tag: str, raw: RawSpan, keypath: KeyPath, discarded: bool) -> Any:
        self.findings.append(
            Finding(
                UNSAFE_YAML,
                f"tag {clip(short_tag(tag))} is outside the YAML core schema and was not "
                "constructed",
                self._loc(raw),
                self.path,
                pointer(keypath),
                hint="remove the tag; align-audit reads plain YAML values only",
            )
        )
        if not discarded:
            self.refused.add(keypath)
        return REFUSED

    def _scalar(self, event: Any, frame: Frame | None) -> Any:
        tag = event.tag
        value = event.value
        if tag is None or tag == "!":
            tag = STR
            if event.implicit[0]:
                for candidate, regexp in RESOLVERS.get(value[:1], ()):
                    if regexp.match(value):
                        tag = candidate
                        break
        if tag == STR:
            return value
        if tag not in SCALAR_TAGS:
            keypath = frame.child_keypath() if frame is not None else ()
            discarded = frame is None or frame.child_discarded()
            return self._refuse_tag(tag, self._raw(marks(event)), keypath, discarded)
        if tag == NULL:
            return None
        try:
            built = BUILDERS[tag](ScalarNode(tag, value))
        except Exception:
            if event.tag is None or event.tag == "!":
                # e.g. 2024-02-30 looks like a timestamp but is none: keep the text, and let
                # the schema say what the field expects (AA002 at the value).
                return value
            return self._bad_tagged(event, tag, frame)
        if type(built) is int and built.bit_length() > MAX_INT_BITS:
            return value  # no field takes such a number; its text keeps messages printable
        return built

    def _bad_tagged(self, event: Any, tag: str, frame: Frame | None) -> Any:
        """An explicit core tag on a value it does not fit (``!!int +``): not valid YAML."""
        keypath = frame.child_keypath() if frame is not None else ()
        self.findings.append(
            Finding(
                INVALID_YAML,
                f"invalid YAML: {clip(event.value)} is not a valid {short_tag(tag)} value",
                self._loc(self._raw(marks(event))),
                self.path,
                f"tag{pointer(keypath)}",
                hint=f"write a valid {short_tag(tag)} value, or remove the tag",
            )
        )
        if frame is not None and not frame.child_discarded():
            self.refused.add(keypath)
        return REFUSED

    def _key(self, frame: Frame, event: Any, packed: tuple[int, int]) -> None:
        """A node in key position of ``frame`` has ended: decide what its value will do."""
        frame.discard_value = True
        frame.merge = False
        raw = self._raw(packed)
        if type(event) is not ScalarEvent:
            kind = "an alias" if type(event) is AliasEvent else "a sequence or mapping"
            self.findings.append(
                Finding(
                    INVALID_SCHEMA,
                    f"mapping keys must be plain scalars, not {kind}",
                    self._loc(raw),
                    self.path,
                    f"{pointer(frame.keypath)}/?{len(frame.first_keys)}",
                    hint="use a plain string key",
                )
            )
            frame.key = ""
            return
        key: str = intern(event.value)  # the source text: `on:` stays "on"
        frame.key = key
        tag = event.tag
        if tag is None or tag == "!":
            is_merge = key == "<<" and event.implicit[0]
        else:
            is_merge = tag == MERGE
            if tag not in SCALAR_TAGS and not is_merge:
                # Refused and reported: the key's absence is not also a schema error.
                self._refuse_tag(tag, raw, (*frame.keypath, key), frame.discard)
                return
        first_packed = frame.first_keys.get(key)
        if first_packed is not None:
            first = self._raw(first_packed)
            # The 2nd, 3rd... occurrence of one key are distinct findings.
            repeat = frame.repeats[key] = frame.repeats.get(key, 1) + 1
            self.findings.append(
                Finding(
                    DUPLICATE_KEY,
                    f"key {clip(key)} is repeated; the first value (line {first[0]}) is "
                    "kept and this one ignored",
                    self._loc(raw),
                    self.path,
                    pointer((*frame.keypath, key)) + ("" if repeat == 2 else f"#{repeat}"),
                    related=(Related(self._loc(first), self.path, f"first {clip(key)}"),),
                    hint="remove or merge the repeated key",
                )
            )
            return
        frame.first_keys[key] = frame.key_span = packed
        frame.discard_value = False
        frame.merge = is_merge

    def _attach(self, frame: Frame, value: Any, packed: tuple[int, int, int], event: Any) -> None:
        """A complete node (scalar, alias or ended collection) goes into ``frame``; ``packed``:
        its start, end, and its run in the source map + 1 (0 for a scalar)."""
        if not frame.is_map:
            frame.container.append(value)
            frame.spans.extend(packed)
            return
        if frame.key is None:
            self._key(frame, event, packed[:2])
            return
        if frame.merge:
            frame.merges.append((value, frame.key_span, packed))
        elif not frame.discard_value:
            frame.container[frame.key] = value
            frame.spans.extend(frame.key_span)
            frame.spans.extend(packed)
        frame.key = None

    def _finish_merges(self, frame: Frame) -> None:
        """YAML merge keys (``<<: *base``): keys written in the mapping win, then earlier
        sources over later ones. Merged keys point at the merge."""
        result = frame.container
        for value, key_packed, value_packed in frame.merges:
            sources = value if isinstance(value, list) else [value]
            listed = value_packed[2] - 1 if sources is value else -1  # the list's run
            for i, source in enumerate(sources):
                run = self._run_of(source, listed, (i + 1) * ITEM - 1) - 1
                if not isinstance(source, dict):
                    self.findings.append(
                        Finding(
                            INVALID_SCHEMA,
                            "a merge key '<<' takes a mapping or a list of mappings",
                            self._loc(self._raw(value_packed)),
                            self.path,
                            pointer((*frame.keypath, "<<")),
                            hint="merge an anchored mapping, e.g. '<<: *defaults'",
                        )
                    )
                    continue
                for position, (key, item) in enumerate(source.items()):
                    if key not in result:
                        result[key] = item
                        frame.spans.extend(key_packed)
                        frame.spans.extend(value_packed[:2])
                        frame.spans.append(self._run_of(item, run, (position + 1) * ENTRY - 1))

    def _run_of(self, item: Any, run: int, entry: int) -> int:
        """The run + 1 of ``item``, the value at ``entry`` of a container whose run is ``run``:
        read there when that container has spans, else known if ``item`` is anchored (a
        merged mapping's values, an alias in a list that has no spans)."""
        if run >= 0:
            return self.source_map.offsets[run + entry]
        return self.anchored_runs.get(id(item), 0)

    def _open(self, event: Any, stack: list[Frame]) -> None:
        parent = stack[-1] if stack else None
        if len(stack) >= self.limits.max_depth:
            raise self._refuse_file(
                self._raw(marks(event)),
                f"file refused: nesting deeper than {self.limits.max_depth} levels",
                "flatten the structure or raise max-depth in the configuration",
            )
        keypath = parent.child_keypath() if parent is not None else ()
        discard = parent.child_discarded() if parent is not None else False
        frame = Frame(
            type(event) is MappingStartEvent,
            keypath,
            event.start_mark,
            self.count,
            event.anchor,
            discard,
            self.source_map.offsets.typecode,
        )
        self.count += 1
        tag = event.tag
        if tag is not None and tag != "!" and tag not in (SEQ, MAP):
            raw = self._raw(marks(event))
            if parent is None:
                raise self._refuse_file(
                    raw,
                    f"file refused: its top level carries the tag {clip(short_tag(tag))}",
                    "remove the tag",
                )
            self._refuse_tag(tag, raw, keypath, discard)
            frame.refused = frame.discard = True  # consume it, never store or locate it
        if event.anchor is not None:
            self.anchors[event.anchor] = _OPEN
        stack.append(frame)

    def _close(self, event: Any, stack: list[Frame]) -> tuple[Any, tuple[int, int, int]]:
        frame = stack.pop()
        if frame.merges:
            self._finish_merges(frame)
        value = REFUSED if frame.refused else frame.container
        run = 0 if frame.discard else self.source_map.add(frame.spans) + 1
        if frame.anchor is not None:
            self.anchors[frame.anchor] = (value, self.count - frame.start_count)
            if run:
                self.anchored_runs[id(value)] = run
        return value, (frame.start.index, event.end_mark.index, run)

    def _alias(self, event: Any, frame: Frame) -> tuple[Any, int]:
        """The anchored value an alias repeats, and its run + 1."""
        anchored = self.anchors.get(event.anchor)
        if anchored is None:
            raise yaml.composer.ComposerError(
                None, None, f"found undefined alias {event.anchor!r}", event.start_mark
            )
        raw = self._raw(marks(event))
        if anchored is _OPEN:
            raise self._refuse_file(
                raw,
                "file refused: an alias refers to a collection that contains it (recursive alias)",
                "remove the recursive anchor/alias",
            )
        value, size = anchored
        self.count += size
        self.expanded += size
        if self.expanded > self.limits.max_alias_nodes:
            raise self._refuse_file(
                raw,
                f"file refused: expanding its aliases adds more than "
                f"{self.limits.max_alias_nodes:,} nodes (alias bomb?)",
                "use fewer aliases or raise max-alias-nodes in the configuration",
            )
        return value, self.anchored_runs.get(id(value), 0)

    def build(self, get_event: Any, root: Any) -> dict[str, Any]:
        """Consume the events of one document whose root is the mapping start ``root``."""
        stack: list[Frame] = []
        self._open(root, stack)
        while True:
            event = get_event()
            cls = type(event)
            if cls is ScalarEvent:
                frame = stack[-1]
                self.count += 1
                start, end = event.start_mark.index, event.end_mark.index
                key = frame.key
                if frame.is_map and key is None:
                    # A key, kept as its source text. Keys and plain strings are interned: a
                    # large organization repeats a few thousand ids and keywords a million
                    # times, and one object each is a third of the loaded data's memory.
                    value = intern(event.value)
                    if (
                        event.tag is None
                        and event.anchor is None
                        and value != "<<"
                        and value not in frame.first_keys
                    ):  # the common case, inlined: a fresh plain key
                        frame.key = value
                        frame.first_keys[value] = frame.key_span = (start, end)
                        frame.discard_value = frame.merge = False
                        continue
                elif event.tag is None and (
                    not event.implicit[0] or event.value[:1] not in RESOLVERS
                ):
                    value = intern(event.value)  # the common case: no resolver claims it
                else:
                    value = self._scalar(event, frame)
                if event.anchor is not None:
                    self.anchors[event.anchor] = (value, 1)
                packed = (start, end, 0)
                if key is not None and not (frame.merge or frame.discard_value):
                    # The common case, inlined: a value for a fresh key of a mapping.
                    frame.container[key] = value
                    spans = frame.spans
                    spans.extend(frame.key_span)
                    spans.extend(packed)
                    frame.key = None
                else:
                    self._attach(frame, value, packed, event)
            elif cls is MappingStartEvent or cls is SequenceStartEvent:
                self._open(event, stack)
            elif cls is MappingEndEvent or cls is SequenceEndEvent:
                value, packed = self._close(event, stack)
                if not stack:
                    self.source_map.root = value
                    self.source_map.root_run = packed[2] - 1
                    self.source_map.root_span = self._raw(packed)
                    return value  # type: ignore[no-any-return]
                self._attach(stack[-1], value, packed, event)
            elif cls is AliasEvent:
                frame = stack[-1]
                value, run = self._alias(event, frame)
                self._attach(frame, value, (*marks(event), run), event)


def read_document(
    path: str, data: bytes, limits: Limits, top_keys: tuple[str, ...] = ("customers", "metrics")
) -> Document:
    """Parse one file's bytes into a Document; every problem becomes a finding. ``top_keys``:
    the keys a file of its kind starts with (a metric catalog's differ, SPEC §8)."""
    text = decoded(path, data, limits)
    return text if isinstance(text, Document) else read_text(path, text, limits, top_keys)


def line_table(text: str) -> Lines:
    """The line table of a text as libyaml counts its positions: libyaml skips one
    byte-order mark at the start without counting it (one was removed from the bytes
    already; a second one is a character of the text)."""
    return Lines(text[1:] if text.startswith("\ufeff") else text)


def read_text(
    path: str,
    text: str,
    limits: Limits,
    top_keys: tuple[str, ...] = ("customers", "metrics"),
    lines: Lines | None = None,
) -> Document:
    """Parse a file's text (``lines``: its :func:`line_table`, when made already)."""
    empty = Document(path, {}, SourceMap())
    loader = yaml.CSafeLoader(text)
    builder = _Builder(path, limits, line_table(text) if lines is None else lines)
    try:
        return _read_events(path, text, loader.get_event, builder, empty, top_keys)
    except _FileRefused as refused:
        empty.findings.append(refused.finding)
        return empty
    except yaml.YAMLError as exc:
        empty.findings.append(syntax_finding(path, text, exc))
        return empty
    finally:
        loader.dispose()


def _read_events(
    path: str,
    text: str,
    get_event: Any,
    builder: _Builder,
    empty: Document,
    top_keys: tuple[str, ...],
) -> Document:
    """Stream start, at most one document whose root is a mapping, stream end."""
    event = get_event()  # StreamStartEvent
    event = get_event()
    if type(event) is StreamEndEvent:
        return empty  # an empty file (or only comments) is an empty organization
    root = get_event()  # after DocumentStartEvent
    value: dict[str, Any] = {}
    if type(root) is MappingStartEvent:
        value = builder.build(get_event, root)
    elif type(root) is ScalarEvent and builder._scalar(root, None) is None:
        pass  # `---` alone, `~` or `null`: an empty organization
    else:
        kind = "a list" if type(root) is SequenceStartEvent else "a single value"
        empty.findings.append(
            invalid_at(
                path,
                text,
                root,
                f"the top level must be a mapping ({', '.join(k + ':' for k in top_keys)}, ...), "
                f"found {kind}",
                "start the file with top-level keys such as "
                + " and ".join(f"'{k}:'" for k in top_keys),
            )
        )
        return empty
    get_event()  # DocumentEndEvent
    event = get_event()
    if type(event) is not StreamEndEvent:
        empty.findings.append(
            invalid_at(
                path,
                text,
                event,
                "invalid YAML: a declaration file must hold one document, found another",
                "remove the extra '---' or split the documents into separate files",
            )
        )
        return empty
    return Document(path, value, builder.source_map, builder.findings, builder.refused)
