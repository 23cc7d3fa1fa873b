"""Limits with their default values (SPEC §6) and outputs that are never left half-written."""

from __future__ import annotations

import json
import os
import resource
import stat
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import EXAMPLES, Run


def test_25_mb_file_is_refused_quickly(write: Callable[..., Path], cli: Callable[..., Run]) -> None:
    line = "x-padding: " + "a" * 1000 + "\n"
    path = write(line * 25_000)  # 25 MB, past the 20 MB default
    assert path.stat().st_size > 25_000_000
    started = time.perf_counter()
    run = cli("check", str(path), "--format", "json")
    assert time.perf_counter() - started < 2.0
    [finding] = run.findings()
    assert (finding["code"], finding["line"], finding["column"]) == ("AA006", 1, 1)
    assert "20,000,000-byte limit" in finding["message"]


def test_alias_bomb_is_refused_with_bounded_memory(
    write: Callable[..., Path], cli: Callable[..., Run]
) -> None:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 12)]
    path = write("\n".join(lines) + "\n")  # 10^12 nodes once expanded
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    run = cli("check", str(path), "--format", "json")
    assert time.perf_counter() - started < 1.0
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert grown_mb < 50
    [finding] = run.findings()
    assert finding["code"] == "AA006" and "alias" in finding["message"]


def test_100_deep_nesting_is_refused(write: Callable[..., Path], cli: Callable[..., Run]) -> None:
    text = "".join(f"{'  ' * i}k{i}:\n" for i in range(100)) + "  " * 100 + "leaf\n"
    [finding] = cli("check", str(write(text)), "--format", "json").findings()
    assert finding["code"] == "AA006"
    assert finding["line"] == 65  # the mapping that opens level 65
    assert "nesting deeper than 64" in finding["message"]


@pytest.mark.parametrize("option", ["-o", "--save"])
def test_failed_output_leaves_no_partial_file(
    tmp_path: Path, cli: Callable[..., Run], option: str
) -> None:
    (tmp_path / "a-file").write_text("x", encoding="utf-8")
    target = tmp_path / "a-file" / "out.sarif"
    value = str(target) if option == "-o" else f"sarif={target}"
    run = cli("check", str(EXAMPLES / "clean.yaml"), option, value)
    assert run.exit_code == 2
    assert run.stderr.startswith("align-audit: error: ")
    assert "a-file is not a directory" in run.stderr
    assert run.stdout == ""  # refused before the audit: nothing printed
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-file"]


def test_output_replaces_atomically(tmp_path: Path, cli: Callable[..., Run]) -> None:
    target = tmp_path / "out.json"
    target.write_text("previous", encoding="utf-8")
    run = cli("check", str(EXAMPLES / "clean.yaml"), "--format", "json", "-o", str(target))
    assert run.exit_code == 0
    assert target.read_text(encoding="utf-8").startswith("{")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.json"]


def test_declaration_files_are_never_written(tmp_path: Path, cli: Callable[..., Run]) -> None:
    org = tmp_path / "org.yaml"
    org.write_text((EXAMPLES / "healthcare.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    before = (org.stat().st_mtime_ns, org.read_bytes())
    for args in (
        ("check", str(org), "--write-baseline", str(tmp_path / "b.json")),
        ("report", str(org), "--format", "html", "-o", str(tmp_path / "r.html")),
        ("impact", str(org)),
        ("graph", str(org), "--format", "dot"),
    ):
        assert cli(*args).exit_code in (0, 1)
    assert (org.stat().st_mtime_ns, org.read_bytes()) == before


def test_output_files_get_the_usual_permissions(tmp_path: Path, cli: Callable[..., Run]) -> None:
    """A temporary file is private (0600); the report it becomes must not be."""
    new, existing = tmp_path / "new.json", tmp_path / "existing.json"
    existing.write_text("previous", encoding="utf-8")
    existing.chmod(0o640)
    umask = os.umask(0o022)
    try:
        for target in (new, existing):
            run = cli("check", str(EXAMPLES / "clean.yaml"), "--format", "json", "-o", str(target))
            assert run.exit_code == 0
    finally:
        os.umask(umask)
    assert stat.S_IMODE(new.stat().st_mode) == 0o644
    assert stat.S_IMODE(existing.stat().st_mode) == 0o640


def test_output_to_a_pipe_is_written_in_place(tmp_path: Path, cli: Callable[..., Run]) -> None:
    """``-o /dev/null`` or a FIFO: renaming a temporary file over it would replace it."""
    fifo = tmp_path / "report.fifo"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    run = cli("check", str(EXAMPLES / "clean.yaml"), "--format", "json", "-o", str(fifo))
    reader.join(timeout=10)
    assert run.exit_code == 0
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    assert json.loads(received[0])["findings"] == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.fifo"]


def test_output_through_a_symlink_keeps_the_link(tmp_path: Path, cli: Callable[..., Run]) -> None:
    real = tmp_path / "reports" / "latest.json"
    real.parent.mkdir()
    real.write_text("previous", encoding="utf-8")
    link = tmp_path / "latest.json"
    link.symlink_to(real)
    run = cli("check", str(EXAMPLES / "clean.yaml"), "--format", "json", "-o", str(link))
    assert run.exit_code == 0
    assert link.is_symlink()
    assert json.loads(real.read_text(encoding="utf-8"))["findings"] == []


@pytest.mark.parametrize(
    "args",
    [
        ("check", "{org}", "-o", "{org}"),
        ("check", "{dir}", "--save", "sarif={link}"),
        ("check", "{org}", "--write-baseline", "{org}"),
        ("report", "{dir}", "-o", "{org}"),
        ("graph", "{org}", "--format", "json", "-o", "{link}"),
    ],
)
def test_a_report_never_replaces_a_declaration_file(
    tmp_path: Path, cli: Callable[..., Run], args: tuple[str, ...]
) -> None:
    folder = tmp_path / "org"
    folder.mkdir()
    org = folder / "org.yaml"
    org.write_text((EXAMPLES / "healthcare.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    link = tmp_path / "link.yaml"
    link.symlink_to(org)
    before = org.read_bytes()
    names = {"org": str(org), "dir": str(folder), "link": str(link)}
    run = cli(*(arg.format(**names) for arg in args))
    assert run.exit_code == 2
    assert run.stderr.startswith("align-audit: error: refusing to write")
    assert len(run.stderr.splitlines()) == 1
    assert org.read_bytes() == before
