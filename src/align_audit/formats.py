"""Every command's output formats in one table: format name → where its renderer lives.

The command line takes its choices, help text and error messages from here, and each command
imports the renderer of the chosen format only. Adding a format is one module and one row.
Renderers of one command share one signature (its protocol):

- ``check``: a class with ``render(result, options) -> str`` (:class:`reporters.base.Reporter`);
- ``report``: ``render(report, result, width) -> str``;
- ``impact``: ``render(impacts, color, width, verdicts) -> str`` or its pieces, one objective
  at a time (the impacts are an iterator: a dense organization's are larger than it);
- ``evidence``: ``render(result, width) -> str``;
- ``graph``: ``render(graph, problems) -> str`` or its pieces (diagrams draw the problems;
  data ignores them);
- ``diff``: ``render(diff, color, width) -> str``.
"""

from __future__ import annotations

import importlib
from typing import Any

from align_audit.errors import AuditError

TABLES: dict[str, dict[str, str]] = {
    "check": {
        "text": "align_audit.reporters.text:TextReporter",
        "json": "align_audit.reporters.json_reporter:JsonReporter",
        "sarif": "align_audit.reporters.sarif:SarifReporter",
        "junit": "align_audit.reporters.junit:JunitReporter",
        "github": "align_audit.reporters.github:GithubReporter",
        "gitlab": "align_audit.reporters.gitlab:GitlabReporter",
        "markdown": "align_audit.reporters.markdown:MarkdownReporter",
    },
    "report": {
        "text": "align_audit.workshop.report.text:render",
        "markdown": "align_audit.workshop.report.markdown:render",
        "html": "align_audit.workshop.report.html:render",
    },
    "impact": {
        "text": "align_audit.workshop.impact:impact_text",
        "markdown": "align_audit.workshop.impact:impact_markdown",
        "html": "align_audit.workshop.impact:impact_html",
        "json": "align_audit.workshop.impact:impact_json",
    },
    "evidence": {
        "text": "align_audit.workshop.evidence:evidence_text",
        "markdown": "align_audit.workshop.evidence:evidence_markdown",
        "json": "align_audit.workshop.evidence:evidence_json",
        "html": "align_audit.workshop.evidence:evidence_html",
    },
    "diff": {
        "text": "align_audit.diff.render:diff_text",
        "markdown": "align_audit.diff.render:diff_markdown",
        "json": "align_audit.diff.render:diff_json",
    },
    "graph": {
        "mermaid": "align_audit.workshop.graph.mermaid:render_mermaid",
        "dot": "align_audit.workshop.graph.dot:render_dot",
        "graphml": "align_audit.workshop.graph.data:render_graphml",
        "json": "align_audit.workshop.graph.data:render_json",
        "svg": "align_audit.workshop.graph.svg:render_svg",
    },
}


def choices(command: str) -> tuple[str, ...]:
    """The format names of a command, in help order."""
    return tuple(TABLES[command])


def help_text(command: str) -> str:
    """``Output format: a|b|c.``"""
    return f"Output format: {'|'.join(TABLES[command])}."


def check(command: str, name: str, option: str = "--format") -> str:
    """``name`` when it is a format of ``command``; else one-line :class:`AuditError`."""
    if name not in TABLES[command]:
        raise AuditError(f"{option}: expected one of {', '.join(TABLES[command])}, got {name!r}")
    return name


def load(command: str, name: str) -> Any:
    """The renderer of one format (its module is imported now, not before)."""
    module, _, attr = TABLES[command][check(command, name)].partition(":")
    return getattr(importlib.import_module(module), attr)
