"""Paths on the command line → the YAML sources to read, in SPEC order."""

from __future__ import annotations

import contextlib
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from align_audit.errors import AuditError

YAML_SUFFIXES = (".yaml", ".yml")
STDIN = "-"
STDIN_NAME = "<stdin>"


@dataclass(frozen=True, slots=True)
class Source:
    """One input: the path as shown in findings, and where to read it from."""

    display: str
    """Path as given (relative to the working directory where possible), POSIX separators."""
    path: Path | None
    """File to read; ``None`` for standard input."""

    @property
    def size(self) -> int:
        """Size in bytes as the file system tells it (0 for standard input or when unknown)."""
        if self.path is None:
            return 0
        try:
            return self.path.stat().st_size
        except OSError:
            return 0  # reading it will say what is wrong


def display_path(path: Path) -> str:
    """Show ``path`` relative to the working directory when it lies below it."""
    if path.is_absolute():
        with contextlib.suppress(ValueError):
            path = path.relative_to(Path.cwd())
    return path.as_posix()


def _walk(root: Path) -> list[Path]:
    """Every YAML file below ``root``; follows symlinks but visits each directory once.

    Hidden files and directories (``.git``, ``.github``, ...) are skipped: they hold other tools'
    YAML, not declarations. Name them explicitly to audit them.
    """
    found: list[Path] = []
    seen: set[tuple[int, int]] = set()
    for dirpath, dirnames, filenames in os.walk(root, followlinks=True):
        try:
            st = os.stat(dirpath)
        except OSError:
            dirnames[:] = []
            continue
        ident = (st.st_dev, st.st_ino)
        if ident in seen:  # a symlink loop or a second link to the same directory
            dirnames[:] = []
            continue
        seen.add(ident)
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        found.extend(
            Path(dirpath) / name
            for name in filenames
            if name.endswith(YAML_SUFFIXES) and not name.startswith(".")
        )
    return found


def discover(paths: list[str]) -> list[Source]:
    """Resolve command-line paths into sources sorted by display path; each file once.

    Raises AuditError for a path that does not exist or when no YAML file is found.
    """
    if not paths:
        raise AuditError("no paths given: name YAML files or directories, or - for stdin")
    files: dict[str, Path] = {}
    stdin = False
    for raw in paths:
        if raw == STDIN:
            stdin = True
            continue
        path = Path(raw)
        if path.is_dir():
            candidates = _walk(path)
            if not candidates:
                raise AuditError(f"no YAML files (*.yaml, *.yml) found in directory {raw}")
        elif path.exists():
            candidates = [path]
        else:
            raise AuditError(f"path not found: {raw}")
        for file in candidates:
            files.setdefault(display_path(file), file)
    sources: dict[str, Source] = {STDIN_NAME: Source(STDIN_NAME, None)} if stdin else {}
    real_seen: set[str] = set()
    # Deduplicate in sorted order, so that which name of a file reached twice (a symlink, a
    # `..` path) is shown does not depend on the order of the arguments.
    for shown in sorted(files):
        real = os.path.realpath(files[shown])
        if real in real_seen:  # the same file named twice, or reached twice via links
            continue
        real_seen.add(real)
        sources[shown] = Source(shown, files[shown])
    return [sources[key] for key in sorted(sources)]


def read_bytes(source: Source, max_bytes: int) -> bytes:
    """Read a source, at most ``max_bytes + 1`` bytes (enough to know it is too large)."""
    try:
        if source.path is None:
            return sys.stdin.buffer.read(max_bytes + 1)
        with source.path.open("rb") as handle:
            return handle.read(max_bytes + 1)
    except OSError as exc:
        reason = exc.strerror or exc.__class__.__name__
        raise AuditError(f"cannot read {source.display}: {reason}") from None
