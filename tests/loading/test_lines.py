"""The loader keeps character offsets and turns them into lines and columns itself; they must
agree with libyaml's own marks, whatever the line breaks."""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from align_audit.loading.document import Lines
from conftest import invoke

PIECES = [
    *"abé中😀:- #'\"[]{},|>\t ",
    "\n",
    "\r\n",
    "\r",
    "\x85",
    "\u2028",
    "\u2029",
    "key: value\n",
    "- item\n",
    "  nested: x\n",
]


def _marks(text: str) -> list[yaml.Mark]:
    """Every start and end mark libyaml reports before the stream ends or fails."""
    marks = []
    parser = yaml.CSafeLoader(text)
    try:
        while True:
            event = parser.get_event()
            marks += [event.start_mark, event.end_mark]
            if isinstance(event, yaml.StreamEndEvent):
                break
    except yaml.YAMLError:
        pass
    finally:
        parser.dispose()
    return marks


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=40).map("".join))
def test_offsets_give_libyamls_lines_and_columns(text: str) -> None:
    lines = Lines(text)
    for mark in _marks(text):
        if mark.index >= len(text):
            continue  # at the end of a file without a final break libyaml adds a virtual line
        assert lines.position(mark.index) == (mark.line + 1, mark.column + 1), (text, mark)


def test_the_usual_file_and_every_line_break() -> None:
    assert list(Lines("a\nbc\n\nd").starts) == [0, 2, 5, 6]
    assert list(Lines("a\r\nb\rc\x85d\u2028e\u2029f").starts) == [0, 3, 5, 7, 9, 11]
    assert Lines("").position(0) == (1, 1)
    assert Lines("ab\ncd").span(1, 4) == (1, 2, 2, 2)


def test_findings_after_byte_order_marks_and_crlf_are_located(tmp_path: Path) -> None:
    body = "metrics:\r\n  - id: m\r\n    direction: up\r\n"
    for prefix, name in ((b"", "plain"), (b"\xef\xbb\xbf", "bom"), (b"\xef\xbb\xbf" * 2, "two")):
        path = tmp_path / f"{name}.yaml"
        path.write_bytes(prefix + body.encode())
        run = invoke("check", "--format", "json", str(path))
        (finding,) = [f for f in json.loads(run.stdout)["findings"] if f["code"] == "AA002"]
        assert (finding["line"], finding["column"]) == (3, 16), name
        assert (finding["end_line"], finding["end_column"]) == (3, 18), name
