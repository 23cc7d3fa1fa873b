"""The inputs as they are at a git revision (a :class:`~align_audit.loading.files.Files`).

Paths mean what they mean in the working tree: ``org/`` is the folder ``org`` at the revision,
searched with the same exclude globs, and each file is shown under the name it has in the
working tree, so a finding keeps its fingerprint and location across revisions. Declarations,
catalogs and data inside the repository are read from git objects; a path that does not exist
at the revision is simply absent there (a file the change adds).
"""

from __future__ import annotations

import os
import posixpath
import tempfile
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType

from align_audit.diff.git import Blob, Repository
from align_audit.errors import AuditError
from align_audit.loading.discovery import (
    DEFAULT_EXCLUDE,
    STDIN,
    YAML_SUFFIXES,
    Source,
    display_path,
    excluded_name,
)
from align_audit.loading.files import WORKING_TREE

_BINARY_PROBE = 8000
"""Bytes searched for a NUL, as git decides that a file is binary."""
_MAX_LINKS = 40


class RevisionFiles:
    """One revision's files, read through ``git`` (nothing is checked out)."""

    def __init__(self, repository: Repository, revision: str) -> None:
        self.repository = repository
        self.revision: str | None = revision
        self.commit = repository.commit(revision)
        self._tree = repository.tree(self.commit)
        self._contents: dict[str, bytes] = {}
        self._cwd = os.path.realpath(repository.cwd)
        self._top = os.path.realpath(repository.top)
        self._temporary: tempfile.TemporaryDirectory[str] | None = None
        self._copies = 0

    def __enter__(self) -> RevisionFiles:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._temporary is not None:
            self._temporary.cleanup()

    def relative(self, path: str | Path) -> str | None:
        """The repository-relative POSIX path of a path as given, None outside the repository."""
        absolute = os.path.normpath(Path(self._cwd, path))
        relative = os.path.relpath(absolute, self._top).replace(os.sep, "/")
        if relative == ".." or relative.startswith("../"):
            return None
        return relative

    def inside(self, raw: str) -> str:
        """The repository path of a command-line path; one line when it cannot be read at a
        revision (standard input, a path outside the repository)."""
        if raw == STDIN:
            raise AuditError("standard input (-) has no revisions: name files or folders")
        relative = self.relative(raw)
        if relative is None:
            raise AuditError(f"path outside the repository {self._top}: {raw}")
        return relative

    def discover(self, paths: list[str], exclude: Sequence[str] = DEFAULT_EXCLUDE) -> list[Source]:
        found: dict[str, tuple[str, bool]] = {}
        for raw in paths:
            relative = self.inside(raw)
            for shown, inside, explicit in self._candidates(raw, relative, exclude):
                earlier = found.get(shown)
                found[shown] = (inside, explicit or (earlier is not None and earlier[1]))
        sources: list[Source] = []
        seen: set[str] = set()
        for shown in sorted(found):
            inside, explicit = found[shown]
            resolved = self._resolve(inside)
            key = resolved[0] if resolved else inside
            if key in seen:  # one file reached by two names
                continue
            seen.add(key)
            size = resolved[1].size if resolved else 0
            sources.append(Source(shown, Path(inside), explicit, known_size=size))
        self._prefetch(sources)
        return sources

    def _candidates(
        self, raw: str, relative: str, exclude: Sequence[str]
    ) -> list[tuple[str, str, bool]]:
        """(shown, repository path, explicit) of the YAML files a path names at the revision."""
        if relative in self._tree:
            return [(display_path(Path(raw)), relative, True)]
        prefix = "" if relative == "." else relative + "/"
        found = []
        for inside in self._tree:
            if not inside.startswith(prefix) or not inside.endswith(YAML_SUFFIXES):
                continue
            below = inside[len(prefix) :]
            parts = below.split("/")
            if any(
                excluded_name(part, "/".join(parts[: i + 1]), exclude)
                for i, part in enumerate(parts)
            ):
                continue
            found.append((display_path(Path(raw) / below), inside, False))
        return found

    def _resolve(self, inside: str) -> tuple[str, Blob] | None:
        """Follow symbolic links inside the tree; None when the file is not there."""
        for _ in range(_MAX_LINKS):
            blob = self._tree.get(inside)
            if blob is None:
                return None
            if not blob.symlink:
                return inside, blob
            target = self._blob(blob).decode("utf-8", "surrogateescape")
            if target.startswith("/"):
                return None
            inside = posixpath.normpath(posixpath.join(posixpath.dirname(inside), target))
            if inside.startswith("../"):
                return None
        return None

    def _blob(self, blob: Blob) -> bytes:
        if blob.oid not in self._contents:
            self._contents.update(self.repository.blobs([blob.oid]))
        return self._contents[blob.oid]

    def _prefetch(self, sources: Sequence[Source]) -> None:
        """Read every file found in one call to git (those below the largest limit)."""
        blobs = [self._resolve(str(source.path)) for source in sources]
        self._contents.update(
            self.repository.blobs(
                [b[1].oid for b in blobs if b is not None and b[1].size < 1 << 26]
            )
        )

    def _read(self, inside: str, shown: str, limit: int, what: str) -> bytes:
        resolved = self._resolve(inside)
        if resolved is None:
            raise AuditError(f"cannot read {what}{shown} at {self.revision}: no such file")
        blob = resolved[1]
        if blob.size > limit:
            return self.repository.head(blob.oid, limit + 1)
        data = self._blob(blob)
        if b"\0" in data[:_BINARY_PROBE]:
            raise AuditError(f"cannot read {what}{shown} at {self.revision}: it is a binary file")
        return data

    def read(self, source: Source, limit: int) -> bytes:
        assert source.path is not None
        return self._read(source.path.as_posix(), source.display, limit, "")

    def read_catalog(self, shown: str, limit: int) -> bytes:
        inside = self.relative(shown)
        if inside is None:  # outside the repository: as it is now
            return WORKING_TREE.read_catalog(shown, limit)
        return self._read(inside, shown, limit, "catalog ")

    def data_file(self, path: Path) -> str:
        inside = self.relative(path)
        if inside is None:
            return str(path)
        if self._temporary is None:
            self._temporary = tempfile.TemporaryDirectory(prefix="align-audit-")
        self._copies += 1
        folder = Path(self._temporary.name) / str(self._copies)
        folder.mkdir()
        copy = folder / path.name
        resolved = self._resolve(inside)
        if resolved is not None:  # absent at the revision: the reader says it cannot be read
            self.repository.write_blob(resolved[1].oid, copy)
        return str(copy)
