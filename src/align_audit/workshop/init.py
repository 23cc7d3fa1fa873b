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


def write_starter(path: Path, template: str, force: bool) -> Path:
    """Write the template to ``path`` (``path/align-audit.yaml`` for a folder) atomically,
    creating missing folders; never overwrite without ``force``. Returns the file written."""
    from align_audit.outputs import check_destinations

    text = template_text(template)
    if path.is_dir():
        path = path / "align-audit.yaml"
    if path.exists() and not force:
        raise AuditError(f"{path} already exists; use --force to overwrite it")
    check_destinations([("init", path)])
    write_atomic(path, text)
    return path
