"""A large file is parsed in two halves on two cores (loading/halves.py): the joined document
must be the whole file's — data, every key and value span, the root's span — or, when the
halves cannot be joined, the file is parsed whole, so the audit cannot tell."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import align_audit.loading.halves as halves
import align_audit.loading.parallel as parallel
from align_audit.loading import Document, Limits, discover
from align_audit.loading.document import Lines
from align_audit.loading.yaml_reader import read_text
from conftest import EXAMPLES, invoke, keypaths, write_file

LIMITS = Limits()


def _joined(text: str) -> Document | None:
    """The document of ``text`` parsed in halves, checked against the whole file's; None when
    it is not cut or its halves do not join."""
    whole = read_text("org.yaml", text, LIMITS)
    cut = halves.cut(text, smallest=0)
    if cut is None:
        return None
    lines = Lines(text)
    first = read_text("org.yaml", cut.first, LIMITS, lines=lines)
    second = halves.parse_second("org.yaml", cut.key, cut.at, cut.rest, LIMITS)
    joined = None if second is None else halves.joined(first, second, cut, lines)
    if joined is None:
        return None
    assert not whole.findings and not whole.refused  # a file with a problem is parsed whole
    assert joined.data == whole.data
    assert list(joined.data) == list(whole.data)
    assert joined.source_map.root_span == whole.source_map.root_span
    for keypath in keypaths(whole.data):
        assert joined.source_map.value_span(keypath) == whole.source_map.value_span(keypath)
        assert joined.source_map.key_span(keypath) == whole.source_map.key_span(keypath)
    return joined


def _organization(metrics: int) -> str:
    lines = ["version: 1\n", "customers:\n", "  - id: patient\n", "    role: end_user\n"]
    lines.append("metrics:  # the long section\n")
    for i in range(metrics):
        lines += [f"  - id: metric_{i}\n", "    direction: increase\n"]
        if i % 3 == 0:
            lines.append(f"    effects:\n      metric_{i + 1}: hurts\n")
        if i % 4 == 1:
            lines.append('    name: "a name\n      on two lines"\n')
        if i % 5 == 2:
            lines.append("    description: |\n      a block\n\n      of text\n  # a comment\n")
        if i % 7 == 3:
            lines.append("    serves: [patient,\n      patient]\n")
    lines += ["systems:\n", "  - id: bot\n", "    users: [patient]\n"]
    return "".join(lines)


def test_a_cut_organization_joins_into_the_whole_files_document() -> None:
    text = _organization(200)
    assert halves.cut(text, smallest=0) is not None
    assert _joined(text) is not None


def test_every_example_joins_or_is_parsed_whole() -> None:
    joined = 0
    for path in sorted(EXAMPLES.rglob("*.yaml")):
        joined += _joined(path.read_text(encoding="utf-8")) is not None
    assert joined  # some example is really cut and joined


@pytest.mark.parametrize(
    "text",
    [
        "metrics:\n  - id: a\n    x: &anchor 1\n  - id: b\n    y: *anchor\n",  # anchors
        "metrics:\n  - id: a\n\tdirection: up\n  - id: b\n",  # a tab
        "metrics: []\n  - id: a\n  - id: b\n",  # the header has a value
        "metrics:\n- id: a\n  serves:\n  - x\n  - y\n",  # a zero-indented list
        "metrics:\n  - id: a\n  - id: b\n".replace("\n", "\r\n"),  # carriage returns
        "metrics:\n    - id: a\n  - id: b\n",  # the first item is not at two spaces
    ],
)
def test_a_file_that_cannot_be_cut_safely_is_not(text: str) -> None:
    assert halves.cut(text, smallest=0) is None


def test_a_problem_in_either_half_parses_the_whole_file() -> None:
    text = _organization(40)
    for problem in ("    direction: increase\n    direction: decrease\n", "    bad: [x\n"):
        for where in (0.25, 0.75):
            at = text.index("  - id:", int(len(text) * where))
            broken = text[:at] + f"  - id: broken\n{problem}" + text[at:]
            assert read_text("org.yaml", broken, LIMITS).findings
            assert _joined(broken) is None


VALID = [
    "    direction: increase\n",
    '    name: "two\n  - lines"\n',  # a quoted line that looks like an item
    "    note: |\n      block\n  - text\n",
    "    tags:\n    - a\n    - b\n",
    "    effects: {x: helps}\n",
    "  # comment\n",
    "\n",
    "  - ~\n",
    "    x: !!str 5\n",
    '    z: "é 中"\n',
    "systems:\n",
]
BROKEN = [
    "    serves: [a,\n  - b]\n",
    "    dup: 1\n    dup: 2\n",
    "---\n",
    "other: 1\n",
    "metrics:\n",
    "    y: [unclosed\n",
    "- zero\n",
]
SNIPPETS = VALID * 20 + BROKEN  # most random files parse: those are the ones cut


@settings(
    max_examples=int(os.environ.get("ALIGN_AUDIT_FUZZ_EXAMPLES", "150")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(st.lists(st.tuples(st.integers(0, 9), st.sampled_from(SNIPPETS)), min_size=1, max_size=40))
def test_random_files_join_into_the_whole_files_document_or_are_parsed_whole(
    parts: list[tuple[int, str]],
) -> None:
    text = "customers:\n  - id: c\nmetrics:\n"
    for i, (no_item, snippet) in enumerate(parts):
        text += ("" if no_item == 0 else f"  - id: m{i}\n") + snippet
    _joined(text)


def test_parallel_halves_are_invisible_in_every_format(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "org" / "org.yaml"
    write_file(path, _organization(300))
    runs: list[dict[str, tuple[int, str]]] = []
    for smallest in (10**12, 0):
        monkeypatch.setattr(parallel, "SPLIT_FROM", smallest)
        monkeypatch.setattr(halves, "SPLIT_FROM", smallest)
        assert parallel._pays(discover([str(path)])) == (smallest == 0)
        runs.append(
            {
                fmt: ((run := invoke("check", str(path), "-f", fmt)).exit_code, run.stdout)
                for fmt in ("json", "sarif", "text")
            }
        )
    assert runs[0] == runs[1]
    assert json.loads(runs[0]["json"][1])["findings"]  # spans of real findings compared
