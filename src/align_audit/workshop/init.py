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


def write_starter(path: Path, template: str, force: bool) -> None:
    """Write the template to ``path`` atomically; never overwrite without ``force``."""
    text = template_text(template)
    if path.exists() and not force:
        raise AuditError(f"{path} already exists; use --force to overwrite it")
    if path.is_dir():
        raise AuditError(f"{path} is a directory; name a file to create")
    write_atomic(path, text)
