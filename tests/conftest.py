"""Shared helpers: run the real CLI on real files."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from align_audit.cli import app

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
FINDING_FIELDS = (
    "code",
    "name",
    "severity",
    "message",
    "path",
    "line",
    "column",
    "end_line",
    "end_column",
    "entity",
    "related",
    "trace",
    "hint",
    "fingerprint",
)
"""SPEC §3.2: exactly these JSON fields, in this order."""


class Run:
    """The outcome of one CLI invocation."""

    def __init__(self, exit_code: int, stdout: str, stderr: str) -> None:
        self.exit_code = exit_code
        self.stdout = stdout
        self.stderr = stderr

    def json(self) -> Any:
        return json.loads(self.stdout)

    def findings(self) -> list[dict[str, Any]]:
        return list(self.json()["findings"])


def invoke(*args: str, input: str | bytes | None = None) -> Run:
    result = CliRunner().invoke(app, list(args), input=input, catch_exceptions=False)
    return Run(result.exit_code, result.stdout, result.stderr)


@pytest.fixture
def cli() -> Callable[..., Run]:
    return invoke


def write_file(path: Path, text: str | bytes) -> Path:
    """Write text (UTF-8) or bytes to ``path``, creating its folders."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def write(tmp_path: Path) -> Callable[..., Path]:
    """Write a YAML file under tmp_path and return its path."""

    def _write(text: str | bytes, name: str = "org.yaml") -> Path:
        return write_file(tmp_path / name, text)

    return _write


def on_a_terminal(
    args: list[str], *, stream: str = "stdout", env: dict[str, str] | None = None
) -> tuple[int, bytes]:
    """Run the CLI in a subprocess with ``stream`` (stdout or stderr) on a pseudo-terminal:
    its exit code and what the terminal received."""
    import pty

    leader, follower = pty.openpty()
    proc = subprocess.Popen(
        [str(Path(sys.executable).absolute()), "-m", "align_audit", *args],
        stdout=follower if stream == "stdout" else subprocess.DEVNULL,
        stderr=follower if stream == "stderr" else subprocess.DEVNULL,
        env=env if env is not None else dict(os.environ),
    )
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    return proc.wait(timeout=60), b"".join(chunks)


def keypaths(value: Any, prefix: tuple[str | int, ...] = ()) -> list[tuple[str | int, ...]]:
    """Every key path of a parsed value, the root's first (to compare source maps)."""
    paths = [prefix]
    if isinstance(value, dict):
        for key, item in value.items():
            paths += keypaths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            paths += keypaths(item, (*prefix, index))
    return paths
