"""Paths on the command line → the YAML sources to read, in SPEC order."""

from __future__ import annotations

import contextlib
import fnmatch
import os
import stat
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn

from align_audit.errors import AuditError

YAML_SUFFIXES = (".yaml", ".yml")
STDIN = "-"
STDIN_NAME = "<stdin>"
DEFAULT_EXCLUDE = (".*",)
"""Hidden files and folders (``.git``, ``.github``) hold other tools' YAML; ``exclude``
replaces this list, ``extend-exclude`` adds to it (as in ruff)."""
_CHUNK = 1 << 20


@dataclass(frozen=True, slots=True)
class Source:
    """One input: the path as shown in findings, and where to read it from."""

    display: str
    """Path as given (relative to the working directory where possible), POSIX separators."""
    path: Path | None
    """File to read; ``None`` for standard input."""
    explicit: bool = True
    """Named on the command line (always audited), not found by searching a directory."""
    known_size: int | None = None
    """Size in bytes when known without the file system (a file at a git revision)."""

    @property
    def size(self) -> int:
        """Size in bytes as the file system tells it (0 for standard input or when unknown)."""
        if self.known_size is not None:
            return self.known_size
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


def excluded(path: Path, root: Path, patterns: Sequence[str]) -> bool:
    """Whether a glob matches the file or folder's name or its path below the searched root."""
    name = path.name
    relative = path.relative_to(root).as_posix() if path != root else name
    return excluded_name(name, relative, patterns)


def excluded_name(name: str, relative: str, patterns: Sequence[str]) -> bool:
    """Whether a glob matches a name or its POSIX path below the searched root."""
    return any(fnmatch.fnmatchcase(name, p) or fnmatch.fnmatchcase(relative, p) for p in patterns)


def _walk(root: Path, exclude: Sequence[str]) -> list[Path]:
    """Every YAML file below ``root`` that no ``exclude`` glob matches; follows symlinks but
    visits each directory once. A folder that cannot be read is an error, never a silent skip."""
    found: list[Path] = []
    seen: set[tuple[int, int]] = set()

    def unreadable(error: OSError) -> NoReturn:
        reason = error.strerror or error.__class__.__name__
        raise AuditError(f"cannot read directory {error.filename}: {reason}")

    for dirpath, dirnames, filenames in os.walk(root, onerror=unreadable, followlinks=True):
        try:
            st = os.stat(dirpath)
        except OSError as exc:
            unreadable(exc)
        ident = (st.st_dev, st.st_ino)
        if ident in seen:  # a symlink loop or a second link to the same directory
            dirnames[:] = []
            continue
        seen.add(ident)
        folder = Path(dirpath)
        dirnames[:] = sorted(d for d in dirnames if not excluded(folder / d, root, exclude))
        found.extend(
            folder / name
            for name in filenames
            if name.endswith(YAML_SUFFIXES) and not excluded(folder / name, root, exclude)
        )
    return found


def discover(paths: list[str], exclude: Sequence[str] = DEFAULT_EXCLUDE) -> list[Source]:
    """Resolve command-line paths into sources sorted by display path; each file once. Files
    named explicitly are always read; ``exclude`` globs apply to directory searches.

    Raises AuditError for a path that does not exist or when no YAML file is found.
    """
    if not paths:
        raise AuditError("no paths given: name YAML files or directories, or - for stdin")
    files: dict[str, tuple[Path, bool]] = {}
    stdin = False
    for raw in paths:
        if raw == STDIN:
            stdin = True
            continue
        path = Path(raw)
        if path.is_dir():
            candidates = [(file, False) for file in _walk(path, exclude)]
            if not candidates:
                raise AuditError(f"no YAML files (*.yaml, *.yml) found in directory {raw}")
        elif path.exists():
            candidates = [(path, True)]
        else:
            raise AuditError(f"path not found: {raw}")
        for file, explicit in candidates:
            shown = display_path(file)
            earlier = files.get(shown)
            files[shown] = (file, explicit or (earlier is not None and earlier[1]))
    sources: dict[str, Source] = {STDIN_NAME: Source(STDIN_NAME, None)} if stdin else {}
    real_seen: set[str] = set()
    # Deduplicate in sorted order, so that which name of a file reached twice (a symlink, a
    # `..` path) is shown does not depend on the order of the arguments.
    for shown in sorted(files):
        file, explicit = files[shown]
        real = os.path.realpath(file)
        if real in real_seen:  # the same file named twice, or reached twice via links
            continue
        real_seen.add(real)
        sources[shown] = Source(shown, file, explicit)
    return [sources[key] for key in sorted(sources)]


def read_regular(path: Path, limit: int, what: str = "") -> bytes:
    """The bytes of a regular file, at most ``limit + 1`` (enough to know it is too large),
    read in chunks: its declared size is not trusted, and a FIFO, device or folder is refused
    without blocking (``--baseline /dev/zero``, a FIFO named ``org.yaml``)."""
    label = f"{what} {path}" if what else str(path)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise AuditError(f"cannot read {label}: {exc.strerror or exc.__class__.__name__}") from None
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):  # checked before fdopen, which refuses a folder with an OSError
        os.close(fd)
        kind = "a directory" if stat.S_ISDIR(mode) else "not a regular file"
        raise AuditError(f"cannot read {label}: it is {kind}")
    with os.fdopen(fd, "rb", buffering=0) as handle:
        try:
            return _read_chunks(handle, limit)
        except OSError as exc:
            reason = exc.strerror or exc.__class__.__name__
            raise AuditError(f"cannot read {label}: {reason}") from None


def _read_chunks(handle: Any, limit: int) -> bytes:
    chunks: list[bytes] = []
    size = 0
    while size <= limit:
        chunk = handle.read(min(_CHUNK, limit + 1 - size))
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)


def read_bytes(source: Source, max_bytes: int) -> bytes:
    """Read a source, at most ``max_bytes + 1`` bytes (enough to know it is too large)."""
    if source.path is not None:
        return read_regular(source.path, max_bytes)
    try:
        return _read_chunks(sys.stdin.buffer, max_bytes)
    except OSError as exc:
        reason = exc.strerror or exc.__class__.__name__
        raise AuditError(f"cannot read {source.display}: {reason}") from None
