"""A corpus of nasty files: every one ends in findings (exit 0/1), never exit 2 or a traceback.

SPEC §6: every input, however malformed, ends in findings or a one-line exit-2 error — never a
traceback, never a hang, never unbounded memory.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from conftest import FIXTURES, invoke

MALFORMED = FIXTURES / "malformed"
CORPUS = sorted(p.name for p in MALFORMED.glob("*.yaml"))


@pytest.fixture(autouse=True)
def _in_corpus(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(MALFORMED)


def test_corpus_is_there() -> None:
    assert len(CORPUS) >= 15


@pytest.mark.parametrize("name", CORPUS)
def test_json_is_findings_never_a_crash(name: str) -> None:
    started = time.perf_counter()
    first = invoke("check", name, "--format", "json")
    assert time.perf_counter() - started < 5.0
    assert first.exit_code in (0, 1), first.stderr
    assert "Traceback" not in first.stderr
    assert first.stderr == ""
    document = json.loads(first.stdout)
    assert set(document) == {"version", "tool", "summary", "findings"}
    assert document["summary"]["files"] == 1
    for finding in document["findings"]:
        assert finding["path"] == name
        assert finding["line"] >= 1 and finding["column"] >= 1
        assert "\n" not in finding["message"]
        assert len(finding["message"]) < 400
    second = invoke("check", name, "--format", "json")
    assert second.stdout == first.stdout
    assert second.exit_code == first.exit_code


@pytest.mark.parametrize("name", CORPUS)
def test_text_is_findings_never_a_crash(name: str) -> None:
    first = invoke("check", name)
    assert first.exit_code in (0, 1), first.stderr
    assert "Traceback" not in first.stderr
    assert first.stdout.splitlines()[-1].startswith(("Found ", "No findings"))
    assert invoke("check", name).stdout == first.stdout


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("alias-bomb-10-levels.yaml", "AA006"),
        ("alias-bomb-mappings.yaml", "AA006"),
        ("bad-tags.yaml", "AA006"),
        ("binary-garbage.yaml", "AA001"),
        ("complex-keys.yaml", "AA002"),
        ("deep-block-nesting-200.yaml", "AA006"),
        ("deep-nesting-10000.yaml", "AA006"),
        ("directive-garbage.yaml", "AA006"),
        ("duplicate-keys-everywhere.yaml", "AA003"),
        ("not-utf8-latin1.yaml", "AA001"),
        ("nul-bytes.yaml", "AA001"),
        ("tabs-everywhere.yaml", "AA001"),
        ("top-level-list.yaml", "AA001"),
        ("undefined-alias.yaml", "AA001"),
        ("utf16.yaml", "AA001"),
        ("wrong-types-everywhere.yaml", "AA002"),
    ],
)
def test_the_expected_input_rule_fires(name: str, code: str) -> None:
    run = invoke("check", name, "--format", "json", "--select", "AA0")
    assert run.exit_code == 1
    assert code in {f["code"] for f in run.findings()}


def test_whole_corpus_in_one_run() -> None:
    """One bad file never hides another: every file of the corpus reports in a single run."""
    run = invoke("check", ".", "--format", "json", "--select", "AA0")
    assert run.exit_code == 1
    document = run.json()
    # only x- keys: it declares nothing, so a directory search skips it (named, it is read)
    clean = {"many-anchors.yaml"}
    assert document["summary"]["skipped"] == sorted(clean)
    assert document["summary"]["files"] == len(CORPUS) - len(clean)
    with_findings = {f["path"] for f in document["findings"]}
    assert with_findings == set(CORPUS) - clean


def test_nothing_is_written_to_the_inputs() -> None:
    before = {p.name: (p.stat().st_mtime_ns, p.read_bytes()) for p in MALFORMED.iterdir()}
    invoke("check", ".", "--format", "json")
    after = {p.name: (p.stat().st_mtime_ns, p.read_bytes()) for p in Path(MALFORMED).iterdir()}
    assert after == before
