"""Findings at a parser position (AA001, AA006), with an excerpt of the source line and a
caret under the column; the excerpt of a long line is a window around the column."""

from __future__ import annotations

from typing import Any

import yaml

from align_audit.codes import INVALID_YAML, UNSAFE_YAML
from align_audit.findings import Finding, Location, Span
from align_audit.visible import visible

_EXCERPT = 120


def snippet(text: str, line: int, column: int) -> str:
    """The source line of a problem with a caret under its column (1-based): on a long line, an
    excerpt around the column; control characters shown escaped."""
    lines = text.splitlines()
    if not lines:
        return ""
    if line > len(lines):  # a problem at the end of the stream: show the last line
        line, column = len(lines), len(lines[-1]) + 1
    raw = lines[line - 1]
    start = 0
    if len(raw) > _EXCERPT:
        start = max(0, min(column - 1 - _EXCERPT // 2, len(raw) - _EXCERPT))
    piece = raw[start : start + _EXCERPT]
    lead = "..." if start > 0 else ""
    tail = "..." if start + len(piece) < len(raw) else ""

    def shown(part: str) -> str:
        return visible(part.replace("\t", "→"))

    source = lead + shown(piece) + tail
    caret = len(lead) + len(shown(piece[: max(0, column - 1 - start)]))
    gutter = f"{line:>4} | "
    return f"{gutter}{source}\n{' ' * (len(gutter) - 2)}| {' ' * caret}^"


def line_col(text: str, offset: int) -> tuple[int, int]:
    before = text[:offset]
    line = before.count("\n") + 1
    return line, offset - (before.rfind("\n") + 1) + 1


def invalid_at(path: str, text: str, event: Any, message: str, hint: str) -> Finding:
    """AA001 where a parser event starts."""
    mark = event.start_mark
    return invalid(path, text, mark.line + 1, mark.column + 1, message, hint)


def invalid(path: str, text: str, line: int, column: int, message: str, hint: str) -> Finding:
    return Finding(
        INVALID_YAML,
        message,
        Location(path, Span(line, column, line, column)),
        path,
        "syntax",
        hint=hint,
        snippet=snippet(text, line, column),
    )


def too_deep(path: str, line: int, column: int) -> Finding:
    """AA006 for nesting so deep that the parser itself gives up (far beyond max-depth)."""
    return Finding(
        UNSAFE_YAML,
        "file refused: nesting too deep to parse",
        Location(path, Span(line, column, line, column)),
        path,
        "limits",
        hint="flatten the structure",
    )


def syntax_finding(path: str, text: str, exc: yaml.YAMLError) -> Finding:
    if isinstance(exc, yaml.MarkedYAMLError) and exc.problem_mark is not None:
        mark = exc.problem_mark
        line, column = mark.line + 1, mark.column + 1
        if "maximum nesting depth" in (exc.problem or ""):  # libyaml's own limit (1000)
            return too_deep(path, line, column)
        problem = exc.problem or "syntax error"
        context = exc.context or ""
        if exc.context_mark is not None and context:
            context = f"{context} started on line {exc.context_mark.line + 1}"
        message = f"invalid YAML: {problem}" + (f" ({context})" if context else "")
        lines = text.splitlines()
        hint = "fix the YAML syntax at this position"
        if 0 < line <= len(lines) and "\t" in lines[line - 1][: column + 1]:
            hint = "YAML forbids tabs for indentation; indent with spaces"
        if "expected a single document" in (exc.context or ""):
            message = "invalid YAML: a declaration file must hold one document, found another"
            hint = "remove the extra '---' or split the documents into separate files"
        return invalid(path, text, line, column, message, hint)
    if isinstance(exc, yaml.reader.ReaderError):
        line, column = line_col(text, exc.position)
        return invalid(
            path,
            text,
            line,
            column,
            f"invalid YAML: unacceptable character #x{exc.character:04x}"
            if isinstance(exc.character, int)
            else "invalid YAML: unacceptable character",
            "remove control characters from the file",
        )
    return invalid(path, text, 1, 1, f"invalid YAML: {exc}", "fix the YAML syntax")
