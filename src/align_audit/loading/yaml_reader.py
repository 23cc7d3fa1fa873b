"""Bytes → :class:`Document`, with PyYAML's C parser and our own construction.

We read the parser's events (which carry their marks) and construct values ourselves so that:
keys keep their source text (``on:`` stays ``"on"``), repeated keys are reported instead of
silently overwritten, tags outside the core schema are never constructed, and alias expansion is
counted against a budget with memoized sizes (an alias bomb costs what its unique nodes cost).
"""

from __future__ import annotations

from array import array
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
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
    REFUSED,
    Document,
    KeyPath,
    Lines,
    RawSpan,
    SourceMap,
    pointer,
)
from align_audit.loading.limits import Limits
from align_audit.visible import visible

_T = "tag:yaml.org,2002:"
_STR, _SEQ, _MAP, _MERGE = _T + "str", _T + "seq", _T + "map", _T + "merge"
_NULL = _T + "null"
_SCALAR_TAGS = {_STR, _T + "int", _T + "float", _T + "bool", _T + "null", _T + "timestamp"}
_CONSTRUCT = SafeConstructor()
_BUILDERS = {
    _T + "int": _CONSTRUCT.construct_yaml_int,
    _T + "float": _CONSTRUCT.construct_yaml_float,
    _T + "bool": _CONSTRUCT.construct_yaml_bool,
    _T + "timestamp": _CONSTRUCT.construct_yaml_timestamp,
}


_RESOLVERS: dict[str, tuple[tuple[str, Any], ...]] = {
    first: tuple(rules) for first, rules in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
"""PyYAML's safe implicit resolvers (YAML 1.1 rules), indexed by first character."""


class _FileRefused(Exception):
    """The whole file is refused (limits, unsafe root); carries the finding."""

    def __init__(self, finding: Finding) -> None:
        super().__init__(finding.message)
        self.finding = finding


_MAX_INT_BITS = 1024
"""Larger integers are kept as their text: no field takes one, and Python cannot print an
integer of more than 4,300 digits in a message."""


def _short_tag(tag: str) -> str:
    return "!!" + tag[len(_T) :] if tag.startswith(_T) else tag


def _clip(text: str, limit: int = 40) -> str:
    """``repr`` of a scalar's text, shortened so that a message stays one readable line."""
    return repr(text if len(text) <= limit else text[: limit - 3] + "...")


_OPEN = object()  # an anchor whose collection is still being built


class _Frame:
    """A collection being built: where it sits, what it holds, its spans, and (for mappings)
    the key whose value comes next."""

    __slots__ = (
        "anchor",
        "container",
        "discard",
        "discard_value",
        "first_keys",
        "is_map",
        "key",
        "key_span",
        "keypath",
        "merge",
        "merges",
        "refused",
        "repeats",
        "spans",
        "start",
        "start_count",
    )

    def __init__(
        self,
        is_map: bool,
        keypath: KeyPath,
        start: Any,
        count: int,
        anchor: str | None,
        discard: bool,
    ) -> None:
        self.is_map = is_map
        self.container: Any = {} if is_map else []
        self.keypath = keypath
        self.start = start
        self.start_count = count
        self.anchor = anchor
        self.discard = discard  # built but never stored in the data: no spans kept
        self.spans: array[int] = array("Q")
        self.key: str | None = None  # pending mapping key (None: a key comes next)
        self.key_span: tuple[int, int] = (0, 0)
        self.discard_value = False
        self.merge = False
        self.merges: list[tuple[Any, tuple[int, int], tuple[int, int]]] = []
        self.first_keys: dict[str, tuple[int, int]] = {}  # key -> its packed span
        self.repeats: dict[str, int] = {}
        self.refused = False

    def child_keypath(self) -> KeyPath:
        """The key path of the next node inside this collection."""
        if not self.is_map:
            return (*self.keypath, len(self.container))
        return (*self.keypath, self.key if self.key is not None else "?")

    def child_discarded(self) -> bool:
        """Whether the next node inside this collection is thrown away."""
        return self.discard or (
            self.is_map and (self.key is None or self.discard_value or self.merge)
        )


def _marks(event: Any) -> tuple[int, int]:
    """An event's start and end as character offsets."""
    return event.start_mark.index, event.end_mark.index


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

    def _loc(self, raw: RawSpan) -> Location:
        return Location(self.path, Span(*raw))

    def _raw(self, offsets: tuple[int, int]) -> RawSpan:
        return self.lines.span(*offsets)

    def _refuse_file(self, raw: RawSpan, message: str, hint: str) -> _FileRefused:
        return _FileRefused(
            Finding(UNSAFE_YAML, message, self._loc(raw), self.path, "limits", hint=hint)
        )

    def _refuse_tag(self, tag: str, raw: RawSpan, keypath: KeyPath, discarded: bool) -> Any:
        self.findings.append(
            Finding(
                UNSAFE_YAML,
                f"tag {_clip(_short_tag(tag))} is outside the YAML core schema and was not "
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

    def _scalar(self, event: Any, frame: _Frame | None) -> Any:
        tag = event.tag
        value = event.value
        if tag is None or tag == "!":
            tag = _STR
            if event.implicit[0]:
                for candidate, regexp in _RESOLVERS.get(value[:1], ()):
                    if regexp.match(value):
                        tag = candidate
                        break
        if tag == _STR:
            return value
        if tag not in _SCALAR_TAGS:
            keypath = frame.child_keypath() if frame is not None else ()
            discarded = frame is None or frame.child_discarded()
            return self._refuse_tag(tag, self._raw(_marks(event)), keypath, discarded)
        if tag == _NULL:
            return None
        try:
            built = _BUILDERS[tag](ScalarNode(tag, value))
        except Exception:
            if event.tag is None or event.tag == "!":
                # e.g. 2024-02-30 looks like a timestamp but is none: keep the text, and let
                # the schema say what the field expects (AA002 at the value).
                return value
            return self._bad_tagged(event, tag, frame)
        if type(built) is int and built.bit_length() > _MAX_INT_BITS:
            return value  # no field takes such a number; its text keeps messages printable
        return built

    def _bad_tagged(self, event: Any, tag: str, frame: _Frame | None) -> Any:
        """An explicit core tag on a value it does not fit (``!!int +``): not valid YAML."""
        keypath = frame.child_keypath() if frame is not None else ()
        self.findings.append(
            Finding(
                INVALID_YAML,
                f"invalid YAML: {_clip(event.value)} is not a valid {_short_tag(tag)} value",
                self._loc(self._raw(_marks(event))),
                self.path,
                f"tag{pointer(keypath)}",
                hint=f"write a valid {_short_tag(tag)} value, or remove the tag",
            )
        )
        if frame is not None and not frame.child_discarded():
            self.refused.add(keypath)
        return REFUSED

    def _key(self, frame: _Frame, event: Any, packed: tuple[int, int]) -> None:
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
        key: str = event.value  # the source text: `on:` stays "on"
        frame.key = key
        tag = event.tag
        if tag is None or tag == "!":
            is_merge = key == "<<" and event.implicit[0]
        else:
            is_merge = tag == _MERGE
            if tag not in _SCALAR_TAGS and not is_merge:
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
                    f"key {_clip(key)} is repeated; the first value (line {first[0]}) is "
                    "kept and this one ignored",
                    self._loc(raw),
                    self.path,
                    pointer((*frame.keypath, key)) + ("" if repeat == 2 else f"#{repeat}"),
                    related=(Related(self._loc(first), self.path, f"first {_clip(key)}"),),
                    hint="remove or merge the repeated key",
                )
            )
            return
        frame.first_keys[key] = frame.key_span = packed
        frame.discard_value = False
        frame.merge = is_merge

    def _attach(self, frame: _Frame, value: Any, packed: tuple[int, int], event: Any) -> None:
        """A complete node (scalar, alias or ended collection) goes into ``frame``."""
        if not frame.is_map:
            frame.container.append(value)
            frame.spans.extend(packed)
            return
        if frame.key is None:
            self._key(frame, event, packed)
            return
        if frame.merge:
            frame.merges.append((value, frame.key_span, packed))
        elif not frame.discard_value:
            frame.container[frame.key] = value
            frame.spans.extend(frame.key_span)
            frame.spans.extend(packed)
        frame.key = None

    def _finish_merges(self, frame: _Frame) -> None:
        """YAML merge keys (``<<: *base``): keys written in the mapping win, then earlier
        sources over later ones. Merged keys point at the merge."""
        result = frame.container
        for value, key_packed, value_packed in frame.merges:
            for source in value if isinstance(value, list) else [value]:
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
                for key, item in source.items():
                    if key not in result:
                        result[key] = item
                        frame.spans.extend(key_packed)
                        frame.spans.extend(value_packed)

    def _open(self, event: Any, stack: list[_Frame]) -> None:
        parent = stack[-1] if stack else None
        if len(stack) >= self.limits.max_depth:
            raise self._refuse_file(
                self._raw(_marks(event)),
                f"file refused: nesting deeper than {self.limits.max_depth} levels",
                "flatten the structure or raise max-depth in the configuration",
            )
        keypath = parent.child_keypath() if parent is not None else ()
        discard = parent.child_discarded() if parent is not None else False
        frame = _Frame(
            type(event) is MappingStartEvent,
            keypath,
            event.start_mark,
            self.count,
            event.anchor,
            discard,
        )
        self.count += 1
        tag = event.tag
        if tag is not None and tag != "!" and tag not in (_SEQ, _MAP):
            raw = self._raw(_marks(event))
            if parent is None:
                raise self._refuse_file(
                    raw,
                    f"file refused: its top level carries the tag {_clip(_short_tag(tag))}",
                    "remove the tag",
                )
            self._refuse_tag(tag, raw, keypath, discard)
            frame.refused = frame.discard = True  # consume it, never store or locate it
        if event.anchor is not None:
            self.anchors[event.anchor] = _OPEN
        stack.append(frame)

    def _close(self, event: Any, stack: list[_Frame]) -> tuple[Any, tuple[int, int]]:
        frame = stack.pop()
        if frame.merges:
            self._finish_merges(frame)
        packed = (frame.start.index, event.end_mark.index)
        value = REFUSED if frame.refused else frame.container
        if not frame.discard:
            self.source_map.spans[id(frame.container)] = frame.spans
        if frame.anchor is not None:
            self.anchors[frame.anchor] = (value, self.count - frame.start_count)
        return value, packed

    def _alias(self, event: Any, frame: _Frame) -> Any:
        anchored = self.anchors.get(event.anchor)
        if anchored is None:
            raise yaml.composer.ComposerError(
                None, None, f"found undefined alias {event.anchor!r}", event.start_mark
            )
        raw = self._raw(_marks(event))
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
        return value

    def build(self, get_event: Any, root: Any) -> dict[str, Any]:
        """Consume the events of one document whose root is the mapping start ``root``."""
        stack: list[_Frame] = []
        self._open(root, stack)
        while True:
            event = get_event()
            cls = type(event)
            if cls is ScalarEvent:
                frame = stack[-1]
                self.count += 1
                packed = (event.start_mark.index, event.end_mark.index)
                key = frame.key
                if frame.is_map and key is None:
                    value = event.value  # a key: kept as its source text
                    if (
                        event.tag is None
                        and event.anchor is None
                        and value != "<<"
                        and value not in frame.first_keys
                    ):  # the common case, inlined: a fresh plain key
                        frame.key = value
                        frame.first_keys[value] = frame.key_span = packed
                        frame.discard_value = frame.merge = False
                        continue
                elif event.tag is None and (
                    not event.implicit[0] or event.value[:1] not in _RESOLVERS
                ):
                    value = event.value  # the common case: a string no resolver could claim
                else:
                    value = self._scalar(event, frame)
                if event.anchor is not None:
                    self.anchors[event.anchor] = (value, 1)
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
                    self.source_map.root_span = self._raw(packed)
                    return value  # type: ignore[no-any-return]
                self._attach(stack[-1], value, packed, event)
            elif cls is AliasEvent:
                frame = stack[-1]
                value = self._alias(event, frame)
                self._attach(frame, value, _marks(event), event)


_EXCERPT = 120


def _snippet(text: str, line: int, column: int) -> str:
    """The source line of a problem with a caret under its column (1-based): on a long line, an
    excerpt around the column; control characters shown escaped."""
    lines = text.splitlines()
    if not lines:
        return ""
    if line > len(lines):  # a problem at the end of the stream: show the last line
        line, column = len(lines), len(lines[-1]) + 1
    raw = lines[line - 1]
    start = 0
    if len(raw) > _EXCERPT:
        start = max(0, min(column - 1 - _EXCERPT // 2, len(raw) - _EXCERPT))
    piece = raw[start : start + _EXCERPT]
    lead = "..." if start > 0 else ""
    tail = "..." if start + len(piece) < len(raw) else ""

    def shown(part: str) -> str:
        return visible(part.replace("\t", "→"))

    source = lead + shown(piece) + tail
    caret = len(lead) + len(shown(piece[: max(0, column - 1 - start)]))
    gutter = f"{line:>4} | "
    return f"{gutter}{source}\n{' ' * (len(gutter) - 2)}| {' ' * caret}^"


def _line_col(text: str, offset: int) -> tuple[int, int]:
    before = text[:offset]
    line = before.count("\n") + 1
    return line, offset - (before.rfind("\n") + 1) + 1


def _invalid_at(path: str, text: str, event: Any, message: str, hint: str) -> Finding:
    """AA001 where a parser event starts."""
    mark = event.start_mark
    return _invalid(path, text, mark.line + 1, mark.column + 1, message, hint)


def _invalid(path: str, text: str, line: int, column: int, message: str, hint: str) -> Finding:
    return Finding(
        INVALID_YAML,
        message,
        Location(path, Span(line, column, line, column)),
        path,
        "syntax",
        hint=hint,
        snippet=_snippet(text, line, column),
    )


def _too_deep(path: str, line: int, column: int) -> Finding:
    """AA006 for nesting so deep that the parser itself gives up (far beyond max-depth)."""
    return Finding(
        UNSAFE_YAML,
        "file refused: nesting too deep to parse",
        Location(path, Span(line, column, line, column)),
        path,
        "limits",
        hint="flatten the structure",
    )


def _syntax_finding(path: str, text: str, exc: yaml.YAMLError) -> Finding:
    if isinstance(exc, yaml.MarkedYAMLError) and exc.problem_mark is not None:
        mark = exc.problem_mark
        line, column = mark.line + 1, mark.column + 1
        if "maximum nesting depth" in (exc.problem or ""):  # libyaml's own limit (1000)
            return _too_deep(path, line, column)
        problem = exc.problem or "syntax error"
        context = exc.context or ""
        if exc.context_mark is not None and context:
            context = f"{context} started on line {exc.context_mark.line + 1}"
        message = f"invalid YAML: {problem}" + (f" ({context})" if context else "")
        lines = text.splitlines()
        hint = "fix the YAML syntax at this position"
        if 0 < line <= len(lines) and "\t" in lines[line - 1][: column + 1]:
            hint = "YAML forbids tabs for indentation; indent with spaces"
        if "expected a single document" in (exc.context or ""):
            message = "invalid YAML: a declaration file must hold one document, found another"
            hint = "remove the extra '---' or split the documents into separate files"
        return _invalid(path, text, line, column, message, hint)
    if isinstance(exc, yaml.reader.ReaderError):
        line, column = _line_col(text, exc.position)
        return _invalid(
            path,
            text,
            line,
            column,
            f"invalid YAML: unacceptable character #x{exc.character:04x}"
            if isinstance(exc.character, int)
            else "invalid YAML: unacceptable character",
            "remove control characters from the file",
        )
    return _invalid(path, text, 1, 1, f"invalid YAML: {exc}", "fix the YAML syntax")


def read_document(path: str, data: bytes, limits: Limits) -> Document:
    """Parse one file's bytes into a Document; every problem becomes a finding."""
    empty = Document(path, {}, SourceMap())
    if len(data) > limits.max_file_size:
        empty.findings.append(
            Finding(
                UNSAFE_YAML,
                f"file refused: larger than the {limits.max_file_size:,}-byte limit",
                Location(path),
                path,
                "limits",
                hint="split the organization into several files or raise max-file-size",
            )
        )
        return empty
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        prefix = data[: exc.start].decode("utf-8", errors="replace")
        line, column = _line_col(prefix, len(prefix))
        empty.findings.append(
            _invalid(
                path,
                prefix,
                line,
                column,
                f"file is not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start})",
                "save the file as UTF-8",
            )
        )
        return empty
    loader = yaml.CSafeLoader(text)
    # libyaml skips one byte-order mark at the start without counting it (one was removed
    # from the bytes already; a second one is a character of the text).
    builder = _Builder(path, limits, Lines(text[1:] if text.startswith("\ufeff") else text))
    try:
        return _read_events(path, text, loader.get_event, builder, empty)
    except _FileRefused as refused:
        empty.findings.append(refused.finding)
        return empty
    except yaml.YAMLError as exc:
        empty.findings.append(_syntax_finding(path, text, exc))
        return empty
    finally:
        loader.dispose()


def _read_events(
    path: str, text: str, get_event: Any, builder: _Builder, empty: Document
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
            _invalid_at(
                path,
                text,
                root,
                f"the top level must be a mapping (customers:, metrics:, ...), found {kind}",
                "start the file with top-level keys such as 'customers:' and 'metrics:'",
            )
        )
        return empty
    get_event()  # DocumentEndEvent
    event = get_event()
    if type(event) is not StreamEndEvent:
        empty.findings.append(
            _invalid_at(
                path,
                text,
                event,
                "invalid YAML: a declaration file must hold one document, found another",
                "remove the extra '---' or split the documents into separate files",
            )
        )
        return empty
    return Document(path, value, builder.source_map, builder.findings, builder.refused)
