"""A file's bytes → its text: the size limit, a byte-order mark, UTF-8."""

from __future__ import annotations

from align_audit.codes import UNSAFE_YAML
from align_audit.findings import Finding, Location
from align_audit.loading.document import Document, SourceMap
from align_audit.loading.limits import Limits
from align_audit.loading.problems import invalid, line_col


def decoded(path: str, data: bytes, limits: Limits) -> str | Document:
    """A file's text, or the empty Document that says why it has none."""
    empty = Document(path, {}, SourceMap())
    if len(data) > limits.max_file_size:
        empty.findings.append(
            Finding(
                UNSAFE_YAML,
                f"file refused: larger than the {limits.max_file_size:,}-byte limit",
                Location(path),
                path,
                "limits",
                hint="split the organization into several files or raise max-file-size",
            )
        )
        return empty
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        prefix = data[: exc.start].decode("utf-8", errors="replace")
        line, column = line_col(prefix, len(prefix))
        empty.findings.append(
            invalid(
                path,
                prefix,
                line,
                column,
                f"file is not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start})",
                "save the file as UTF-8",
            )
        )
        return empty
    return text
