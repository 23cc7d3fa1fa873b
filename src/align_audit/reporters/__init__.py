"""Output formats, each behind one name: adding a format is adding one module and one row."""

from __future__ import annotations

from align_audit.formats import choices, load
from align_audit.reporters.base import Reporter, ReportOptions

FORMATS: tuple[str, ...] = choices("check")
"""The ``check --format`` names (the table is :data:`align_audit.formats.TABLES`)."""

__all__ = ["FORMATS", "ReportOptions", "Reporter", "get_reporter"]


def get_reporter(name: str) -> Reporter:
    """The reporter for a format name (one of :data:`FORMATS`); its module is imported now."""
    reporter: Reporter = load("check", name)()
    return reporter
