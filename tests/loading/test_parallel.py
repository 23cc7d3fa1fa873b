"""Many large files are parsed in worker processes (loading/parallel.py): the audit must not
be able to tell, in any output, and a document must survive the trip between processes."""

from __future__ import annotations

import pickle
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import align_audit.loading.parallel as parallel
from align_audit.loading import Limits, discover, read_document
from conftest import invoke, keypaths, write_file

FILES = {
    "a-customers.yaml": """\
customers:
  - id: patient
    role: end_user
    outcomes: [recovery, trust]
  - id: patient
    role: buyer
""",
    "b-metrics.yaml": """\
base: &base
  direction: increase
  owner: care
metrics:
  - id: recovery_rate
    <<: *base
    serves: [patient.recovery]
    effects: {wait_time: hurts, unknown_metric: helps}
  - id: wait_time
    direction: decrease
    direction: increase
  - id: orphan
    direction: increase
""",
    "c-broken.yaml": "metrics:\n  - id: x\n    direction: [unclosed\n",
    "d-systems.yaml": """\
systems:
  - id: triage
    users: [patient]
    objectives:
      - id: speed
        optimizes: wait_time
        serves: patient
      - id: bad
        optimizes: nothing_here
        serves: patient.recovery
""",
    "e-unsafe.yaml": "metrics:\n  - id: tagged\n    direction: !!python/name:os.system x\n",
    "f-latin1.yaml": "metrics:\n  - id: caf\xe9\n".encode("latin-1"),
}


def _folder(tmp_path: Path) -> Path:
    for name, text in FILES.items():
        write_file(tmp_path / "org" / name, text)
    return tmp_path / "org"


def _outputs(folder: Path, tmp_path: Path) -> dict[str, tuple[int, str]]:
    runs = {}
    for fmt in ("json", "sarif", "text"):
        run = invoke("check", str(folder), "--format", fmt, "--no-color")
        runs[fmt] = (run.exit_code, run.stdout + run.stderr)
    return runs


def test_parallel_reading_is_invisible_in_every_format(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _folder(tmp_path)
    monkeypatch.setattr(parallel, "MIN_FILES", 10**9)
    serial = _outputs(folder, tmp_path)
    monkeypatch.setattr(parallel, "MIN_FILES", 2)
    monkeypatch.setattr(parallel, "MIN_BYTES", 0)
    assert parallel._pays(discover([str(folder)]))  # the workers are really used below
    assert _outputs(folder, tmp_path) == serial
    codes = {f["code"] for f in invoke("check", str(folder), "-f", "json").findings()}
    # Findings of the loader (AA001 syntax, AA003 unsafe tag, AA002 duplicate key) and of the
    # rules over every file: the documents came back whole.
    assert {"AA001", "AA002", "AA003", "AA004", "AA101"} <= codes


def test_a_first_file_with_a_second_byte_order_mark_keeps_its_columns(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first file is parsed by the audit itself: after the byte-order mark removed from
    its bytes, a second one is skipped by libyaml without being counted, and its line table
    must skip it too."""
    folder = _folder(tmp_path)
    first = folder / "a-customers.yaml"
    first.write_bytes(b"\xef\xbb\xbf" * 2 + first.read_bytes())
    monkeypatch.setattr(parallel, "MIN_FILES", 10**9)
    serial = _outputs(folder, tmp_path)
    assert '"path": "' in serial["json"][1] and "a-customers.yaml" in serial["json"][1]
    monkeypatch.setattr(parallel, "MIN_FILES", 2)
    monkeypatch.setattr(parallel, "MIN_BYTES", 0)
    assert parallel._pays(discover([str(folder)]))
    assert _outputs(folder, tmp_path) == serial


def test_a_file_a_worker_cannot_read_gives_the_same_one_line_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _folder(tmp_path)
    (tmp_path / "align-audit.toml").write_text("max-file-size = 100\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(parallel, "MIN_FILES", 10**9)
    serial = invoke("check", str(folder), "-f", "json")
    monkeypatch.setattr(parallel, "MIN_FILES", 2)
    monkeypatch.setattr(parallel, "MIN_BYTES", 0)
    forked = invoke("check", str(folder), "-f", "json")
    assert (forked.exit_code, forked.stdout, forked.stderr) == (
        serial.exit_code,
        serial.stdout,
        serial.stderr,
    )
    assert serial.exit_code in (1, 2)


def test_small_inputs_stay_in_one_process(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    assert not parallel._pays(discover([str(folder)]))  # 6 small files: not worth a fork


def _spans(text: str) -> tuple[Any, list[Any]]:
    document = read_document("org.yaml", text.encode("utf-8"), Limits())
    copy = pickle.loads(pickle.dumps(document))
    spans = []
    for keypath in keypaths(document.data):
        original, sent = document.source_map, copy.source_map
        assert sent.value_span(keypath) == original.value_span(keypath)
        assert sent.key_span(keypath) == original.key_span(keypath)
        spans.append(original.key_span(keypath))
    assert copy.data == document.data
    assert [f.location for f in copy.findings] == [f.location for f in document.findings]
    return copy.data, spans


def test_a_document_keeps_every_span_across_processes() -> None:
    data, spans = _spans(FILES["b-metrics.yaml"])  # type: ignore[arg-type]
    assert data["metrics"][0]["owner"] == "care"  # merged through the alias
    assert len(spans) > 10


SCALARS = st.one_of(
    st.integers(-5, 5), st.sampled_from(["a", "b c", "", "yes", "1.5", "~"]), st.booleans()
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.sampled_from(["id", "x", "serves", "k-1"]), inner, max_size=4),
    ),
    max_leaves=25,
)


@settings(max_examples=60, deadline=None)
@given(st.dictionaries(st.sampled_from(["metrics", "customers", "x-a"]), VALUES, min_size=1))
@pytest.mark.parametrize("flow", [False, True])
def test_any_document_keeps_its_spans_across_processes(flow: bool, data: dict[str, Any]) -> None:
    import yaml

    text = yaml.safe_dump(data, default_flow_style=flow, allow_unicode=True)
    _spans(text)
