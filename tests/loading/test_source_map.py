"""The source map against PyYAML's own node tree: every key and value is where libyaml's
composer puts it, and values merged or repeated through anchors are found where they are
written."""

from __future__ import annotations

from typing import Any

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from align_audit.findings import Span
from align_audit.loading import KeyPath, Limits
from align_audit.loading.yaml_reader import read_document

scalars = st.none() | st.booleans() | st.integers(-99, 99) | st.text(max_size=6)
keys = st.text(min_size=1, max_size=6).filter(lambda key: key != "<<")
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(keys, inner, max_size=4),
    max_leaves=25,
)


def _span(node: yaml.Node) -> Span:
    start, end = node.start_mark, node.end_mark
    return Span(start.line + 1, start.column + 1, end.line + 1, end.column + 1)


def _walk(node: yaml.Node, keypath: KeyPath = ()) -> list[tuple[KeyPath, Span, Span | None]]:
    """(key path, value span, key span) of every node below ``node``, by the composer."""
    found: list[tuple[KeyPath, Span, Span | None]] = []
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            path = (*keypath, key.value)
            found.append((path, _span(value), _span(key)))
            found += _walk(value, path)
    elif isinstance(node, yaml.SequenceNode):
        for index, value in enumerate(node.value):
            path = (*keypath, index)
            found.append((path, _span(value), None))
            found += _walk(value, path)
    return found


@settings(max_examples=150, deadline=None)
@given(st.dictionaries(keys, values, min_size=1, max_size=5), st.sampled_from([None, False, True]))
def test_every_span_is_where_the_composer_puts_it(data: dict[str, Any], flow: bool | None) -> None:
    text = yaml.safe_dump(data, allow_unicode=True, default_flow_style=flow, sort_keys=False)
    document = read_document("org.yaml", text.encode("utf-8"), Limits())
    assert document.data == yaml.safe_load(text)
    source_map = document.source_map
    root = yaml.compose(text, Loader=yaml.CSafeLoader)
    assert root is not None
    for keypath, value, key in _walk(root):
        assert source_map.has(keypath)
        assert source_map.value_span(keypath) == value
        assert source_map.key_span(keypath) == (key or value)
        assert source_map.cursor(keypath[:1]).value_span(keypath[1:]) == value


MERGED = """\
bases: &bases
  - team: {owner: care, tags: [a, b]}
  - extra: {x: 1}
single: &single
  deep: {list: [10, 20]}
metrics:
  - id: m
    <<: *bases
  - id: n
    <<: [*single]
  - id: k
    <<: {inline: {y: 2}}
"""


def _text(span: Span) -> str:
    assert span.line == span.end_line
    return MERGED.splitlines()[span.line - 1][span.column - 1 : span.end_column - 1]


def test_values_merged_through_aliases_are_found_where_they_are_written() -> None:
    """A merged key points at the merge; what is inside its value, at the anchored text."""
    source_map = read_document("org.yaml", MERGED.encode("utf-8"), Limits()).source_map
    assert _text(source_map.value_span(("metrics", 0, "team"))) == "*bases"
    assert source_map.key_span(("metrics", 0, "team")) == Span(8, 5, 8, 7)  # `<<`
    assert _text(source_map.value_span(("metrics", 0, "team", "owner"))) == "care"
    assert _text(source_map.key_span(("metrics", 0, "team", "owner"))) == "owner"
    assert _text(source_map.value_span(("metrics", 0, "team", "tags", 1))) == "b"
    assert _text(source_map.value_span(("metrics", 1, "deep", "list", 0))) == "10"
    assert source_map.has(("metrics", 1, "deep", "list", 1))
    # An inline mapping in a merge is not data of its own: its insides point at the merge.
    inline = "{inline: {y: 2}}"
    assert _text(source_map.value_span(("metrics", 2, "inline", "y"))) == inline
    assert not source_map.has(("metrics", 2, "inline", "y"))
