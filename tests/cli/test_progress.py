"""Progress on a terminal: shown for large inputs, never for small ones or when not a terminal."""

from __future__ import annotations

import io
import os
import re
import sys
from pathlib import Path

import pytest
from rich.console import Console

from align_audit.progress import SHOW_FROM_BYTES, Silent, TerminalProgress, for_terminal
from conftest import EXAMPLES, on_a_terminal


def test_stages_are_drawn_and_cleared() -> None:
    out = io.StringIO()
    console = Console(file=out, force_terminal=True, no_color=True, width=80)
    progress = TerminalProgress(min_bytes=0, console=console)
    progress.begin(3, 10)
    for _ in range(3):
        progress.step()
    progress.stage("validating declarations")
    progress.stage("checking rules", 2)
    progress.step()
    progress.__exit__(None, None, None)
    text = out.getvalue()
    for label in ("reading 3 files", "validating declarations"):
        assert label in text
    assert re.search(r"checking rules [━ ]+ 1/2", text)
    assert text.endswith("\x1b[1A\x1b[2K")  # the line is erased at the end: nothing stays


def test_small_inputs_draw_nothing() -> None:
    out = io.StringIO()
    with TerminalProgress(console=Console(file=out, force_terminal=True)) as progress:
        progress.begin(1, SHOW_FROM_BYTES - 1)
        progress.stage("checking rules", 2)
        progress.step()
    assert out.getvalue() == ""


def test_not_a_terminal_is_silent() -> None:
    assert isinstance(for_terminal(), Silent)  # pytest captures stderr


@pytest.fixture
def large_org(tmp_path: Path) -> Path:
    """Just over the size from which progress shows: 26,000 metrics."""
    org = tmp_path / "org.yaml"
    lines = ["metrics:"]
    lines += [f"  - {{id: metric_{i:06d}, direction: increase}}" for i in range(26_000)]
    org.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert org.stat().st_size >= SHOW_FROM_BYTES
    return org


def _stderr_on_a_terminal(*args: str) -> tuple[int, bytes]:
    return on_a_terminal(list(args), stream="stderr", env={**os.environ, "COLUMNS": "100"})


@pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")
def test_a_large_audit_shows_its_stages_on_the_terminal(large_org: Path) -> None:
    org = large_org
    code, received = _stderr_on_a_terminal("check", str(org))
    assert code == 1  # every metric serves nobody
    assert b"reading 1 file" in received
    assert b"checking rules" in received


@pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")
def test_a_large_report_shows_its_writing_stage(large_org: Path) -> None:
    report = large_org.parent / "report.md"
    code, received = _stderr_on_a_terminal("report", str(large_org), "-o", str(report))
    assert code == 0
    assert b"writing the report" in received


@pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")
def test_a_small_audit_writes_nothing_to_the_terminal() -> None:
    code, received = _stderr_on_a_terminal("check", str(EXAMPLES / "healthcare.yaml"))
    assert code == 1
    assert received == b""
