"""``align-audit init``: write a commented starter declaration file."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from align_audit.errors import AuditError
from align_audit.outputs import write_atomic

TEMPLATES = ("minimal", "healthcare", "support")


def template_text(name: str) -> str:
    """The text of a starter template."""
    if name not in TEMPLATES:
        raise AuditError(f"--template: expected one of {', '.join(TEMPLATES)}, got {name!r}")
    resource = files("align_audit.workshop").joinpath("templates", f"{name}.yaml")
    return resource.read_text(encoding="utf-8")


def write_starter(path: Path, template: str, force: bool, text: str | None = None) -> Path:
    """Write the template (or ``text``) to ``path`` (``path/align-audit.yaml`` for a folder)
    atomically, creating missing folders; never overwrite without ``force``. Returns the file
    written."""
    from align_audit.outputs import check_destinations

    text = template_text(template) if text is None else text
    if path.is_dir():
        path = path / "align-audit.yaml"
    if path.exists() and not force:
        raise AuditError(f"{path} already exists; use --force to overwrite it")
    check_destinations([("init", path)])
    write_atomic(path, text)
    return path


def write_interview(path: Path, force: bool) -> str:
    """Ask the leadership questions at the terminal, write the answers, audit the file; what
    to print."""
    import sys

    from align_audit.workshop.interview import declaration_text, interview, terminal_ask

    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise AuditError(
            "init --interview asks its questions at a terminal; without one, use --template"
        )
    target = path / "align-audit.yaml" if path.is_dir() else path
    if target.exists() and not force:  # before the questions, not after them
        raise AuditError(f"{target} already exists; use --force to overwrite it")
    print("Answer each question; Enter takes the [default]. Ctrl-C stops without writing.\n")
    try:
        answers = interview(terminal_ask)
    except EOFError:
        raise AuditError("the interview ended before its last question; nothing written") from None
    written = write_starter(path, "minimal", force, declaration_text(answers))
    from align_audit.engine import audit
    from align_audit.reporters.text import plain_lines, summary_line

    result = audit([str(written)])
    return (
        f"\nWrote {written}. align-audit check {written}:\n\n"
        + plain_lines(result.findings)
        + summary_line(result)
        + "\n"
    )
