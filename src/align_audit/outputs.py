"""Output text and files: indented JSON, and atomic writes that never leave a partial file."""

from __future__ import annotations

import json
import os
import stat
import tempfile
from collections.abc import Callable, Iterable, Iterator
from json.encoder import encode_basestring
from pathlib import Path
from typing import Any, TextIO

from align_audit.errors import AuditError


def refuse_inputs(outputs: Iterable[Path | None], inputs: Iterable[str]) -> None:
    """Raise AuditError when an output file is one of the declaration files just read
    (``-o org.yaml`` would replace the organization with a report)."""
    read = {os.path.realpath(path) for path in inputs}
    for output in outputs:
        if output is not None and os.path.realpath(output) in read:
            raise AuditError(f"refusing to write {output}: it is a declaration file being audited")


def check_destinations(outputs: Iterable[tuple[str, Path | None]]) -> None:
    """Before any work: refuse a destination that is a directory, whose folder cannot be made,
    or that two outputs share (``None`` and ``-`` are standard output)."""
    taken: dict[str, str] = {}
    for label, path in outputs:
        key = "-" if path is None or str(path) == "-" else os.path.realpath(path)
        if key in taken:
            where = "standard output" if key == "-" else str(path)
            raise AuditError(f"{taken[key]} and {label} both write to {where}; choose one each")
        taken[key] = label
        if key == "-":
            continue
        assert path is not None
        if path.is_dir():
            raise AuditError(f"{label}: {path} is a directory; name a file")
        folder = Path(key).parent
        while not folder.exists() and folder != folder.parent:
            folder = folder.parent
        if not folder.is_dir():
            raise AuditError(f"{label}: cannot create {path}: {folder} is not a directory")
        if not os.access(folder, os.W_OK | os.X_OK):
            raise AuditError(f"{label}: cannot write {path}: permission denied in {folder}")


def is_stdout(path: Path | None) -> bool:
    """Whether an output option means standard output (not given, or ``-``)."""
    return path is None or str(path) == "-"


def write_atomic(path: Path, text: str | Iterable[str]) -> None:
    """Write ``text`` (or its pieces) to ``path`` through a temporary file in the same folder
    and a rename.

    A symbolic link is written through (the file it names is replaced, the link stays); a
    device, pipe or socket (``-o /dev/null``, ``-o /dev/stdout``) is written to directly:
    renaming over it would replace it.
    """
    try:
        mode: int | None = os.stat(path).st_mode
    except OSError:
        mode = None  # a new file (or a folder that is not there: reported below)
    if mode is not None and not stat.S_ISREG(mode):
        try:
            with path.open("w", encoding="utf-8", newline="\n") as stream:
                write_text(stream, text)
        except OSError as exc:
            raise AuditError(f"cannot write {path}: {exc.strerror}") from None
        return
    target = Path(os.path.realpath(path))
    try:
        target.parent.mkdir(parents=True, exist_ok=True)  # as ruff does for --output-file
        handle, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as exc:
        raise AuditError(f"cannot write {path}: {exc.strerror}") from None
    try:
        # mkstemp makes the file private; give it the mode a plain open() would (or keep the
        # mode of the file it replaces).
        Path(temp).chmod(stat.S_IMODE(mode) if mode is not None else _default_mode())
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            write_text(stream, text)
        os.replace(temp, target)
    except BaseException as exc:
        Path(temp).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise AuditError(f"cannot write {path}: {exc.strerror}") from None
        raise


def write_text(stream: TextIO, text: str | Iterable[str]) -> None:
    """Write a text, or its pieces as they come, to an open stream."""
    if isinstance(text, str):
        stream.write(text)
    else:
        stream.writelines(text)


def _default_mode() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def pieces(parts: Iterable[str], size: int = 1000) -> Iterator[str]:
    """``parts`` joined ``size`` at a time: a long output (a drawing's elements, a table's
    rows) streams to its destination in pieces large enough that writing each costs little."""
    batch: list[str] = []
    for part in parts:
        batch.append(part)
        if len(batch) >= size:
            yield "".join(batch)
            batch = []
    if batch:
        yield "".join(batch)


def json_text(value: Any) -> str:
    """``json.dumps(value, indent=2, ensure_ascii=False) + "\\n"``, byte for byte, in less time
    and memory (see :func:`json_chunks`)."""
    return "".join(json_chunks(value))


def json_chunks(value: Any, levels: int = 2) -> Iterator[str]:
    """The text of :func:`json_text` in pieces: each entry of the top ``levels`` levels (a
    finding, say) is one piece, made when it is asked for. An iterator stands for a list, so
    findings are turned into mappings one at a time and never held as one document. (The
    standard encoder writes indented JSON in pure Python, one small piece per value.)"""
    yield from _write(value, "", levels)
    yield "\n"


def _entries(value: Any) -> tuple[str, str, Iterable[tuple[str, Any]]] | None:
    """Brackets and (key prefix, item) pairs of a container; None for a scalar."""
    kind = type(value)
    if kind is dict:
        return "{", "}", ((encode_basestring(key) + ": ", item) for key, item in value.items())
    if kind is list or kind is tuple or isinstance(value, Iterator):
        return "[", "]", (("", item) for item in value)
    return None


def _write(value: Any, indent: str, levels: int) -> Iterator[str]:
    entries = _entries(value) if levels else None
    if entries is None:
        yield _dump(value, indent)
        return
    opening, closing, items = entries
    inner = indent + "  "
    separator = opening + "\n"
    for prefix, item in items:
        if levels > 1:
            yield separator + inner + prefix
            yield from _write(item, inner, levels - 1)
        else:
            yield separator + inner + prefix + _dump(item, inner)
        separator = ",\n"
    yield opening + closing if separator == opening + "\n" else "\n" + indent + closing


class SelfWritten:
    """A value that writes its own JSON text: ``write(value, indent)`` returns what
    :func:`json_text` would write for it at that indent. For the many values of one known
    shape in a large output (findings), where a function that knows the fields is several
    times faster than walking a mapping made for the purpose."""

    __slots__ = ("value", "write")

    def __init__(self, value: Any, write: Callable[[Any, str], str]) -> None:
        self.value = value
        self.write = write


_SCALARS = frozenset({str, int, float, bool, type(None)})
_FLAT_ENCODERS: dict[str, json.JSONEncoder] = {}
_FLAT_FROM = 8
"""Mappings of more scalars than this go to the C encoder (one call costs a few entries)."""


def _flat_encoder(inner: str) -> json.JSONEncoder:
    """The standard library's C encoder with separators that put each entry of a container
    on its own line indented by ``inner``: for scalars, what the indented (pure-Python)
    encoder writes."""
    encoder = _FLAT_ENCODERS.get(inner)
    if encoder is None:
        encoder = json.JSONEncoder(ensure_ascii=False, separators=(",\n" + inner, ": "))
        _FLAT_ENCODERS[inner] = encoder
    return encoder


def json_scalar(value: Any) -> str | None:
    """A JSON scalar's text as :func:`json_text` writes it, or None for a container."""
    kind = type(value)
    if kind is str:
        return encode_basestring(value)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if kind is int:
        return int.__repr__(value)
    if kind is float:
        return _float(value)
    return None


def _dump(value: Any, indent: str) -> str:
    # Containers write their string items inline (most values of a report are strings).
    text = json_scalar(value)
    if text is not None:
        return text
    kind = type(value)
    if kind is SelfWritten:
        written: SelfWritten = value
        return written.write(written.value, indent)
    if kind is dict:
        if not value:
            return "{}"
        inner = indent + "  "
        if len(value) > _FLAT_FROM and all(type(item) in _SCALARS for item in value.values()):
            # A long mapping of scalars (an evidence row): the C encoder, in one call.
            body = _flat_encoder(inner).encode(value)[1:-1]
        else:
            body = (",\n" + inner).join(
                [
                    encode_basestring(key)
                    + ": "
                    + (encode_basestring(item) if type(item) is str else _dump(item, inner))
                    for key, item in value.items()
                ]
            )
        return "{\n" + inner + body + "\n" + indent + "}"
    if kind is list or kind is tuple or isinstance(value, Iterator):
        inner = indent + "  "
        items = [
            encode_basestring(item) if type(item) is str else _dump(item, inner) for item in value
        ]
        if not items:
            return "[]"
        return "[\n" + inner + (",\n" + inner).join(items) + "\n" + indent + "]"
    raise TypeError(f"cannot write {kind.__name__} as JSON")


def _float(value: float) -> str:
    if value != value:
        return "NaN"
    if value in (float("inf"), float("-inf")):
        return "Infinity" if value > 0 else "-Infinity"
    return float.__repr__(value)
