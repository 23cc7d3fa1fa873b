"""json_text writes exactly what json.dumps(indent=2, ensure_ascii=False) writes."""

from __future__ import annotations

import json
from collections.abc import Iterator
from itertools import islice
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from align_audit.findings import Finding, Location, Related, Severity, Span
from align_audit.outputs import SelfWritten, json_chunks, json_text, pieces
from align_audit.reporters.json_reporter import finding_json, finding_to_json

scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text()
)
values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.tuples(inner, inner)
        | st.dictionaries(st.text(), inner, max_size=4)
    ),
    max_leaves=30,
)


@given(values)
def test_same_text_as_the_standard_encoder(value: Any) -> None:
    assert json_text(value) == json.dumps(value, indent=2, ensure_ascii=False) + "\n"


def test_an_iterator_is_written_as_a_list() -> None:
    document = {"findings": (n for n in range(3)), "none": iter(())}
    assert json.loads(json_text(document)) == {"findings": [0, 1, 2], "none": []}


def test_what_json_cannot_hold_is_refused() -> None:
    with pytest.raises(TypeError, match="cannot write set"):
        json_text({"x": {1}})


@given(values, st.integers(min_value=0, max_value=5))
def test_the_pieces_make_the_same_text(value: Any, levels: int) -> None:
    expected = json.dumps(value, indent=2, ensure_ascii=False) + "\n"
    assert "".join(json_chunks(value, levels)) == expected


def test_pieces_are_made_as_they_are_asked_for() -> None:
    made: list[int] = []

    def findings() -> Iterator[dict[str, int]]:
        for n in range(1000):
            made.append(n)
            yield {"n": n}

    pieces = json_chunks({"version": 1, "findings": findings()})
    head = "".join(islice(pieces, 4))
    assert head.startswith('{\n  "version": 1,\n  "findings": [\n    {\n      "n": 0\n    }')
    assert len(made) < 5  # not the whole document at once


texts = st.text(max_size=12)
spans = st.builds(Span, *[st.integers(min_value=1, max_value=10**6)] * 4)
locations = st.builds(Location, texts, spans)
findings = st.builds(
    Finding,
    code=texts,
    message=texts,
    location=locations,
    entity=texts,
    related=st.lists(st.builds(Related, locations, texts, texts), max_size=3).map(tuple),
    trace=st.lists(texts, max_size=4).map(tuple),
    hint=texts,
    severity=st.sampled_from([None, *Severity]),
    name=texts,
)


@given(findings, st.integers(min_value=0, max_value=4))
def test_a_finding_writes_what_its_mapping_writes(finding: Finding, depth: int) -> None:
    """The JSON reporter writes findings with finding_json (fast), never through the mapping
    finding_to_json makes (which diff and the API use): both give the same text."""
    indent = "  " * depth
    document = SelfWritten(finding, finding_json)
    expected = json.dumps(finding_to_json(finding), indent=2, ensure_ascii=False)
    assert finding_json(finding, indent) == expected.replace("\n", "\n" + indent)
    assert json_text([document, {"n": 1}]) == json_text([finding_to_json(finding), {"n": 1}])


@given(st.lists(st.text(max_size=3), max_size=30), st.integers(1, 7))
def test_pieces_join_to_the_parts_a_few_at_a_time(parts: list[str], size: int) -> None:
    written = list(pieces(parts, size))
    assert "".join(written) == "".join(parts)
    assert len(written) == -(-len(parts) // size)  # every piece but the last holds `size` parts
