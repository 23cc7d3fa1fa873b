"""Where an audit reads its inputs: the working tree, or (for ``diff``) a git revision.

The engine, the catalog importers and the data reader ask a :class:`Files` for everything they
read, so that one audit pipeline serves both.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

from align_audit.loading.discovery import (
    DEFAULT_EXCLUDE,
    Source,
    discover,
    read_bytes,
    read_regular,
)


class Files(Protocol):
    """The inputs of one audit."""

    @property
    def revision(self) -> str | None:
        """The git revision read (None for the working tree)."""
        ...

    def discover(self, paths: list[str], exclude: Sequence[str] = DEFAULT_EXCLUDE) -> list[Source]:
        """The YAML sources of the command-line paths, sorted by display path."""
        ...

    def read(self, source: Source, limit: int) -> bytes:
        """A source's bytes, at most ``limit + 1``; AuditError when it cannot be read."""
        ...

    def read_catalog(self, shown: str, limit: int) -> bytes:
        """A metric catalog (its path as shown); AuditError saying why it cannot be read."""
        ...

    def data_file(self, path: Path) -> str:
        """A path DuckDB can read holding the observed-data file ``path`` (SPEC §7.1)."""
        ...


class WorkingTree:
    """The file system, as it is now."""

    revision: str | None = None

    def discover(self, paths: list[str], exclude: Sequence[str] = DEFAULT_EXCLUDE) -> list[Source]:
        return discover(paths, exclude)

    def read(self, source: Source, limit: int) -> bytes:
        return read_bytes(source, limit)

    def read_catalog(self, shown: str, limit: int) -> bytes:
        return read_regular(Path(shown), limit, "catalog")

    def data_file(self, path: Path) -> str:
        return str(path)


WORKING_TREE = WorkingTree()
