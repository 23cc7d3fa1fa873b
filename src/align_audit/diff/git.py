"""The ``git`` executable, asked only to read: the repository's top, a revision's commit, its
tree and its blobs. Nothing is checked out; the working tree and the index are never touched.
Every failure is one line (:class:`AuditError`)."""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from align_audit.errors import AuditError

_ENV = {
    "GIT_OPTIONAL_LOCKS": "0",  # never refresh the index as a side effect
    "GIT_TERMINAL_PROMPT": "0",
    "LC_ALL": "C",
    "GIT_CONFIG_NOSYSTEM": "1",
}
_SYMLINK = "120000"


@dataclass(frozen=True, slots=True)
class Blob:
    """One file of a revision's tree."""

    oid: str
    size: int
    symlink: bool


class GitMissing(AuditError):
    """No ``git`` executable on PATH."""


class Repository:
    """The git repository holding a directory."""

    def __init__(self, cwd: Path) -> None:
        self.cwd = cwd
        self._env = {**os.environ, **_ENV}
        try:
            top = self._run("rev-parse", "--show-toplevel", what="git").strip()
        except GitMissing:
            raise
        except AuditError:
            top = ""
        if not top:  # not a repository, or inside .git itself
            raise AuditError(f"not inside a git working tree: {cwd} (diff reads git revisions)")
        self.top = Path(top)

    def _spawn(self, args: tuple[str, ...], **streams: Any) -> subprocess.Popen[bytes]:
        """git started in the repository's folder; one line when it cannot start."""
        try:
            return subprocess.Popen(
                ["git", "-c", "core.quotepath=off", *args], cwd=self.cwd, env=self._env, **streams
            )
        except FileNotFoundError:
            raise GitMissing(
                "git executable not found on PATH: diff reads revisions with git"
            ) from None
        except OSError as exc:
            raise AuditError(f"cannot run git: {exc.strerror or exc}") from None

    def _run(self, *args: str, what: str, data: bytes | None = None) -> str:
        return self._bytes(*args, what=what, data=data).decode("utf-8", "surrogateescape")

    def _bytes(self, *args: str, what: str, data: bytes | None = None) -> bytes:
        pipe = subprocess.PIPE
        with self._spawn(args, stdin=pipe, stdout=pipe, stderr=pipe) as process:
            out, err = process.communicate(data)
        if process.returncode != 0:
            message = err.decode("utf-8", "replace").strip().splitlines()
            raise AuditError(f"{what}: {message[-1].removeprefix('fatal: ')}" if message else what)
        return out

    def commit(self, revision: str) -> str:
        """The commit id of ``revision``; one line saying why when there is none."""
        if not revision or revision.startswith("-") or "\0" in revision:
            raise AuditError(f"unknown revision {revision!r}")
        try:
            return self._run(
                "rev-parse",
                "--verify",
                "--quiet",
                "--end-of-options",
                f"{revision}^{{commit}}",
                what=f"unknown revision {revision!r}",
            ).strip()
        except AuditError:
            shallow = self._run("rev-parse", "--is-shallow-repository", what="git").strip()
            if shallow == "true":
                raise AuditError(
                    f"unknown revision {revision!r}: this is a shallow clone; fetch the history "
                    "(actions/checkout with fetch-depth: 0, or git fetch --unshallow)"
                ) from None
            raise

    def tree(self, commit: str) -> dict[str, Blob]:
        """Every file of the commit's tree: repository-relative POSIX path → blob (submodules
        are left out)."""
        raw = self._bytes("ls-tree", "-r", "-z", "-l", "--full-tree", commit, what="git ls-tree")
        files: dict[str, Blob] = {}
        for record in raw.split(b"\0"):
            if not record:
                continue
            meta, _, path = record.partition(b"\t")
            mode, kind, oid, size = meta.split()
            if kind != b"blob":
                continue
            files[path.decode("utf-8", "surrogateescape")] = Blob(
                oid.decode(), int(size), mode.decode() == _SYMLINK
            )
        return files

    def write_blob(self, oid: str, path: Path) -> None:
        """Copy a blob into a file (observed data can be large: streamed, not held)."""
        with (
            path.open("wb") as handle,
            self._spawn(("cat-file", "blob", oid), stdout=handle, stderr=subprocess.DEVNULL) as p,
        ):
            p.wait()
        if p.returncode != 0:
            raise AuditError(f"git cat-file: cannot read object {oid}")

    def head(self, oid: str, size: int) -> bytes:
        """The first ``size`` bytes of a blob (one too large to read whole)."""
        streams = {"stdout": subprocess.PIPE, "stderr": subprocess.DEVNULL}
        with self._spawn(("cat-file", "blob", oid), **streams) as process:
            assert process.stdout is not None
            data = process.stdout.read(size)
            process.kill()
        return data

    def blobs(self, oids: list[str]) -> dict[str, bytes]:
        """The contents of many blobs in one ``git cat-file --batch``."""
        unique = sorted(set(oids))
        if not unique:
            return {}
        out = self._bytes(
            "cat-file",
            "--batch",
            what="git cat-file",
            data="".join(f"{o}\n" for o in unique).encode(),
        )
        contents: dict[str, bytes] = {}
        position = 0
        for oid in unique:
            end = out.index(b"\n", position)
            header = out[position:end].split()
            if len(header) != 3:
                raise AuditError(f"git cat-file: object {oid} is missing")
            size = int(header[2])
            contents[oid] = out[end + 1 : end + 1 + size]
            position = end + 1 + size + 1
        return contents
