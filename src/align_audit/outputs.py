"""Output text and files: indented JSON, and atomic writes that never leave a partial file."""

from __future__ import annotations

import json
import os
import stat
import tempfile
from collections.abc import Iterable, Iterator
from json.encoder import encode_basestring
from pathlib import Path
from typing import Any

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


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file in the same folder and a rename.

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
                stream.write(text)
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
            stream.write(text)
        os.replace(temp, target)
    except BaseException as exc:
        Path(temp).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise AuditError(f"cannot write {path}: {exc.strerror}") from None
        raise


def _default_mode() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def json_text(value: Any) -> str:
    """``json.dumps(value, indent=2, ensure_ascii=False) + "\\n"``, byte for byte, in less time
    and memory: the standard encoder writes indented JSON in pure Python and holds every small
    piece of a large report at once; here each entry of the top two levels (a finding, say) is
    one string, and the text is joined once. An iterator stands for a list (findings are turned
    into mappings one at a time)."""
    out: list[str] = []
    _write(value, "", out, 2)
    out.append("\n")
    return "".join(out)


def _entries(value: Any) -> tuple[str, str, Iterable[tuple[str, Any]]] | None:
    """Brackets and (key prefix, item) pairs of a container; None for a scalar."""
    kind = type(value)
    if kind is dict:
        return "{", "}", ((encode_basestring(key) + ": ", item) for key, item in value.items())
    if kind is list or kind is tuple or isinstance(value, Iterator):
        return "[", "]", (("", item) for item in value)
    return None


def _write(value: Any, indent: str, out: list[str], levels: int) -> None:
    entries = _entries(value) if levels else None
    if entries is None:
        out.append(_dump(value, indent))
        return
    opening, closing, items = entries
    inner = indent + "  "
    separator = opening + "\n"
    for prefix, item in items:
        out.append(separator + inner + prefix)
        _write(item, inner, out, levels - 1)
        separator = ",\n"
    out.append(opening + closing if separator == opening + "\n" else "\n" + indent + closing)


_SCALARS = frozenset({str, int, float, bool, type(None)})
_FLAT_ENCODERS: dict[str, json.JSONEncoder] = {}


def _flat(value: dict[Any, Any], indent: str) -> str | None:
    """A mapping of string keys to scalars (an evidence row, say), written by the standard
    library's C encoder: its separators put each entry on its own indented line, which is
    what the indented (pure-Python) encoder writes. None for any other mapping."""
    if not value or not all(type(k) is str for k in value):
        return None
    if not all(type(v) in _SCALARS for v in value.values()):
        return None
    inner = indent + "  "
    encoder = _FLAT_ENCODERS.get(inner)
    if encoder is None:
        encoder = json.JSONEncoder(ensure_ascii=False, separators=(",\n" + inner, ": "))
        _FLAT_ENCODERS[inner] = encoder
    return "{\n" + inner + encoder.encode(value)[1:-1] + "\n" + indent + "}"


def _dump(value: Any, indent: str) -> str:
    kind = type(value)
    if kind is dict:
        flat = _flat(value, indent)
        if flat is not None:
            return flat
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
    entries = _entries(value)
    if entries is None:
        raise TypeError(f"cannot write {kind.__name__} as JSON")
    opening, closing, items = entries
    inner = indent + "  "
    parts = [prefix + _dump(item, inner) for prefix, item in items]
    if not parts:
        return opening + closing
    return opening + "\n" + inner + (",\n" + inner).join(parts) + "\n" + indent + closing


def _float(value: float) -> str:
    if value != value:
        return "NaN"
    if value in (float("inf"), float("-inf")):
        return "Infinity" if value > 0 else "-Infinity"
    return float.__repr__(value)
