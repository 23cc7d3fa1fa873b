"""Bytes → :class:`Document`, with PyYAML's C parser and our own construction.

We compose (parse into nodes, which keep their marks) and construct values ourselves so that:
keys keep their source text (``on:`` stays ``"on"``), repeated keys are reported instead of
silently overwritten, tags outside the core schema are never constructed, and alias expansion is
counted against a budget with memoized sizes (an alias bomb costs what its unique nodes cost).
"""

from __future__ import annotations

from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from align_audit.findings import Finding, Location, Related, Span
from align_audit.loading.document import REFUSED, Document, KeyPath, RawSpan, SourceMap, pointer
from align_audit.loading.limits import Limits

_T = "tag:yaml.org,2002:"
_STR, _SEQ, _MAP, _MERGE = _T + "str", _T + "seq", _T + "map", _T + "merge"
_SCALAR_TAGS = {_STR, _T + "int", _T + "float", _T + "bool", _T + "null", _T + "timestamp"}
_CONSTRUCT = SafeConstructor()
_BUILDERS = {
    _T + "int": _CONSTRUCT.construct_yaml_int,
    _T + "float": _CONSTRUCT.construct_yaml_float,
    _T + "bool": _CONSTRUCT.construct_yaml_bool,
    _T + "timestamp": _CONSTRUCT.construct_yaml_timestamp,
}


class _FileRefused(Exception):
    """The whole file is refused (limits); carries the finding."""

    def __init__(self, finding: Finding) -> None:
        super().__init__(finding.message)
        self.finding = finding


def _span(node: Node) -> RawSpan:
    start, end = node.start_mark, node.end_mark
    return (start.line + 1, start.column + 1, end.line + 1, end.column + 1)


def _clip(text: str, limit: int = 40) -> str:
    """``repr`` of a scalar's text, shortened so that a message stays one readable line."""
    return repr(text if len(text) <= limit else text[: limit - 3] + "...")


def _short_tag(tag: str) -> str:
    return "!!" + tag[len(_T) :] if tag.startswith(_T) else tag


class _Builder:
    """Walks composed nodes once, building values and the source map."""

    def __init__(self, path: str, limits: Limits) -> None:
        self.path = path
        self.limits = limits
        self.source_map = SourceMap()
        self.findings: list[Finding] = []
        self.refused: set[KeyPath] = set()
        self.count = 0
        self.built: dict[int, tuple[Any, int]] = {}  # id(collection node) -> (value, size)
        self.active: set[int] = set()

    def _loc(self, raw: RawSpan) -> Location:
        return Location(self.path, Span(*raw))

    def _refuse_file(self, node: Node, message: str, hint: str) -> _FileRefused:
        finding = Finding("AA006", message, self._loc(_span(node)), self.path, "limits", hint=hint)
        return _FileRefused(finding)

    def build(self, node: Node, keypath: KeyPath, depth: int) -> Any:
        raw = _span(node)
        self.source_map.values[keypath] = raw
        tag = node.tag
        if isinstance(node, ScalarNode):
            self.count += 1
            if tag == _STR:
                return node.value
            if tag not in _SCALAR_TAGS:
                return self._refuse_tag(node, keypath, raw)
            if tag == _T + "null":
                return None
            try:
                return _BUILDERS[tag](node)
            except (ValueError, TypeError, OverflowError, yaml.YAMLError):
                # e.g. 2024-02-30 looks like a timestamp but is none: keep the text, and let
                # the schema say what the field expects (AA002 at the value).
                return node.value
        ident = id(node)
        seen = self.built.get(ident)
        if seen is not None:  # an alias to a collection already built: share it, count its size
            self.count += seen[1]
            self._check_budget(node)
            return seen[0]
        if ident in self.active:
            raise self._refuse_file(
                node,
                "file refused: an alias refers to a collection that contains it (recursive alias)",
                "remove the recursive anchor/alias",
            )
        if tag not in (_SEQ, _MAP):
            return self._refuse_tag(node, keypath, raw)
        if depth >= self.limits.max_depth:
            raise self._refuse_file(
                node,
                f"file refused: nesting deeper than {self.limits.max_depth} levels",
                "flatten the structure or raise max-depth in the configuration",
            )
        start = self.count
        self.count += 1
        self._check_budget(node)
        self.active.add(ident)
        value: Any
        if isinstance(node, SequenceNode):
            value = [
                self.build(item, (*keypath, i), depth + 1) for i, item in enumerate(node.value)
            ]
        else:
            assert isinstance(node, MappingNode)
            value = self._mapping(node, keypath, depth)
        self.active.discard(ident)
        self.built[ident] = (value, self.count - start)
        return value

    def _check_budget(self, node: Node) -> None:
        if self.count > self.limits.max_alias_nodes:
            raise self._refuse_file(
                node,
                f"file refused: more than {self.limits.max_alias_nodes:,} nodes once aliases are "
                "expanded (alias bomb?)",
                "use fewer aliases or raise max-alias-nodes in the configuration",
            )

    def _refuse_tag(self, node: Node, keypath: KeyPath, raw: RawSpan) -> Any:
        self.findings.append(
            Finding(
                "AA006",
                f"tag {_short_tag(node.tag)} is outside the YAML core schema and was not "
                "constructed",
                self._loc(raw),
                self.path,
                pointer(keypath),
                hint="remove the tag; align-audit reads plain YAML values only",
            )
        )
        self.refused.add(keypath)
        return REFUSED

    def _mapping(self, node: MappingNode, keypath: KeyPath, depth: int) -> dict[str, Any]:
        result: dict[str, Any] = {}
        first_keys: dict[str, RawSpan] = {}
        merges: list[Node] = []
        for index, (key_node, value_node) in enumerate(node.value):
            key_raw = _span(key_node)
            if not isinstance(key_node, ScalarNode):
                self.findings.append(
                    Finding(
                        "AA002",
                        "mapping keys must be plain scalars, not a sequence or mapping",
                        self._loc(key_raw),
                        self.path,
                        f"{pointer(keypath)}/?{index}",
                        hint="use a plain string key",
                    )
                )
                continue
            if key_node.tag not in _SCALAR_TAGS and key_node.tag != _MERGE:
                self._refuse_tag(key_node, (*keypath, key_node.value), key_raw)
                continue
            key = key_node.value  # the source text: `on:` stays "on"
            child = (*keypath, key)
            if key in first_keys:
                first = first_keys[key]
                self.findings.append(
                    Finding(
                        "AA003",
                        f"key {_clip(key)} is repeated; the first value (line {first[0]}) is "
                        "kept and this one ignored",
                        self._loc(key_raw),
                        self.path,
                        pointer(child),
                        related=(Related(self._loc(first), self.path, f"first {_clip(key)}"),),
                        hint="remove or merge the repeated key",
                    )
                )
                continue
            first_keys[key] = key_raw
            if key_node.tag == _MERGE:
                merges.append(value_node)
                continue
            self.source_map.keys[child] = key_raw
            result[key] = self.build(value_node, child, depth + 1)
        for source in merges:
            self._merge(source, result, keypath, depth)
        return result

    def _merge(self, source: Node, result: dict[str, Any], keypath: KeyPath, depth: int) -> None:
        """YAML merge keys (``<<: *base``): keys written in the mapping win, then earlier
        sources over later ones. Merged keys point at where the source defines them."""
        sources = source.value if isinstance(source, SequenceNode) else [source]
        for mapping in sources:
            if not isinstance(mapping, MappingNode):
                self.findings.append(
                    Finding(
                        "AA002",
                        "a merge key '<<' takes a mapping or a list of mappings",
                        self._loc(_span(mapping)),
                        self.path,
                        pointer((*keypath, "<<")),
                        hint="merge an anchored mapping, e.g. '<<: *defaults'",
                    )
                )
                continue
            built = self.build(mapping, (*keypath, "<<"), depth + 1)
            spans = {
                k.value: (_span(k), _span(v)) for k, v in mapping.value if isinstance(k, ScalarNode)
            }
            for key, value in built.items():
                if key in result:
                    continue
                result[key] = value
                if key in spans:
                    self.source_map.keys[(*keypath, key)] = spans[key][0]
                    self.source_map.values[(*keypath, key)] = spans[key][1]


def _snippet(text: str, line: int, column: int) -> str:
    """The source line of a problem with a caret under its column (1-based)."""
    lines = text.splitlines()
    if not lines:
        return ""
    if line > len(lines):  # a problem at the end of the stream: show the last line
        line, column = len(lines), len(lines[-1]) + 1
    source = lines[line - 1].replace("\t", "→")
    if len(source) > 120:
        source = source[:117] + "..."
    gutter = f"{line:>4} | "
    return f"{gutter}{source}\n{' ' * (len(gutter) - 2)}| {' ' * (column - 1)}^"


def _line_col(text: str, offset: int) -> tuple[int, int]:
    before = text[:offset]
    line = before.count("\n") + 1
    return line, offset - (before.rfind("\n") + 1) + 1


def _invalid(path: str, text: str, line: int, column: int, message: str, hint: str) -> Finding:
    return Finding(
        "AA001",
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
        "AA006",
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
                "AA006",
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
    try:
        root = loader.get_single_node()
    except yaml.YAMLError as exc:
        empty.findings.append(_syntax_finding(path, text, exc))
        return empty
    except RecursionError:
        empty.findings.append(_too_deep(path, 1, 1))
        return empty
    finally:
        loader.dispose()
    if root is None or (isinstance(root, ScalarNode) and root.tag == _T + "null"):
        return empty  # an empty file (or only comments) is an empty organization
    if not isinstance(root, MappingNode):
        kind = "a list" if isinstance(root, SequenceNode) else "a single value"
        raw = _span(root)
        empty.findings.append(
            _invalid(
                path,
                text,
                raw[0],
                raw[1],
                f"the top level must be a mapping (customers:, metrics:, ...), found {kind}",
                "start the file with top-level keys such as 'customers:' and 'metrics:'",
            )
        )
        return empty
    builder = _Builder(path, limits)
    try:
        value = builder.build(root, (), 0)
    except _FileRefused as refused:
        empty.findings.append(refused.finding)
        return empty
    except RecursionError:  # only with a max-depth configured far above the default
        empty.findings.append(_too_deep(path, 1, 1))
        return empty
    if not isinstance(value, dict):  # the root mapping itself carries a refused tag
        return Document(path, {}, builder.source_map, builder.findings, builder.refused)
    return Document(path, value, builder.source_map, builder.findings, builder.refused)
