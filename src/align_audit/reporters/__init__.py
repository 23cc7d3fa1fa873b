"""Output formats, each behind one name: adding a format is adding one module and one row."""

from __future__ import annotations

from align_audit.reporters.base import Reporter, ReportOptions

_TABLE: dict[str, tuple[str, str]] = {
    "text": ("align_audit.reporters.text", "TextReporter"),
    "json": ("align_audit.reporters.json_reporter", "JsonReporter"),
    "sarif": ("align_audit.reporters.sarif", "SarifReporter"),
    "junit": ("align_audit.reporters.junit", "JunitReporter"),
    "github": ("align_audit.reporters.github", "GithubReporter"),
    "gitlab": ("align_audit.reporters.gitlab", "GitlabReporter"),
    "markdown": ("align_audit.reporters.markdown", "MarkdownReporter"),
}
"""Format name → (module, class); modules are imported only when their format is used."""

FORMATS: tuple[str, ...] = tuple(_TABLE)

__all__ = ["FORMATS", "ReportOptions", "Reporter", "get_reporter"]


def get_reporter(name: str) -> Reporter:
    """The reporter for a format name (one of :data:`FORMATS`)."""
    import importlib

    module_name, class_name = _TABLE[name]
    reporter: Reporter = getattr(importlib.import_module(module_name), class_name)()
    return reporter
