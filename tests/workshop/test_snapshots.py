"""Every workshop output of two examples, byte for byte; ``UPDATE_SNAPSHOTS=1`` rewrites them.

A restructuring of the workshop outputs must leave these files unchanged; a feature that changes
one shows its diff in the commit.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import EXAMPLES, invoke

UPDATE = os.environ.get("UPDATE_SNAPSHOTS") == "1"
SNAPSHOTS = Path(__file__).resolve().parent / "snapshots"
TODAY = "2026-12-01"
OUTPUTS = [
    ("report", "text"),
    ("report", "markdown"),
    ("report", "html"),
    ("impact", "text"),
    ("impact", "markdown"),
    ("impact", "html"),
    ("impact", "json"),
    ("graph", "mermaid"),
    ("graph", "dot"),
    ("graph", "graphml"),
    ("graph", "json"),
    ("graph", "svg"),
]
ORGANIZATIONS = {"healthcare": "healthcare.yaml", "hiring": "hiring.yaml"}


@pytest.mark.parametrize("org", sorted(ORGANIZATIONS))
@pytest.mark.parametrize(("command", "fmt"), OUTPUTS)
def test_workshop_snapshot(
    org: str, command: str, fmt: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(EXAMPLES.parent)  # paths in the outputs: examples/...
    args = [command, f"examples/{ORGANIZATIONS[org]}", "--format", fmt]
    if command != "graph":
        args += ["--today", TODAY]
    run = invoke(*args)
    assert run.exit_code == 0, run.stderr
    snapshot = SNAPSHOTS / f"{org}.{command}.{fmt}"
    if UPDATE:
        SNAPSHOTS.mkdir(parents=True, exist_ok=True)
        snapshot.write_bytes(run.stdout.encode("utf-8"))
    if not snapshot.is_file():
        pytest.fail(f"missing snapshot {snapshot.name}: run with UPDATE_SNAPSHOTS=1 to create it")
    expected = snapshot.read_bytes().decode("utf-8")
    assert run.stdout == expected, f"{snapshot.name} differs; UPDATE_SNAPSHOTS=1 rewrites it"
