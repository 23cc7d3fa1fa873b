"""The live page's views, as HTML fragments: the whole report, the diagram, one customer ("what
do all our AI systems do to the regulator?"), one system, one rule. Each is built from the
report's facts and its HTML pieces; nothing here computes a fact."""

from __future__ import annotations

from typing import TYPE_CHECKING

from align_audit.workshop.html import escape as _h

if TYPE_CHECKING:
    from align_audit.engine import AuditResult
    from align_audit.serve.state import Picture
    from align_audit.workshop.report.facts import Report

OVERVIEW, DIAGRAM = "overview", "diagram"


class UnknownView(LookupError):
    """A view name that names nothing in the current picture (404)."""


def _navigation(report: Report, result: AuditResult, current: str) -> str:
    """Buttons for the overview and the diagram; one menu each for customers, systems and rules
    (the page turns a choice into ``#kind:id``)."""

    def button(name: str, label: str) -> str:
        pressed = "true" if current == name else "false"
        return f'<a class="view" href="#/{name}" aria-pressed="{pressed}">{label}</a>'

    def menu(kind: str, label: str, items: list[tuple[str, str]]) -> str:
        options = [f'<option value="">{_h(label)}…</option>']
        for key, text in items:
            value = f"{kind}:{key}"
            chosen = " selected" if value == current else ""
            options.append(f'<option value="{_h(value)}"{chosen}>{_h(text)}</option>')
        disabled = "" if items else " disabled"
        return f'<select data-kind="{kind}"{disabled}>{"".join(options)}</select>'

    rules = sorted({(f.code, f"{f.code} {f.name}") for f in result.findings})
    return (
        '<nav class="views">'
        + button(OVERVIEW, "Overview")
        + button(DIAGRAM, "Diagram")
        + menu("customer", "Customer", [(v.customer, v.customer) for v in report.customers])
        + menu("system", "System", [(s.system, s.system) for s in report.systems])
        + menu("rule", "Rule", rules)
        + "</nav>\n"
    )


def _banner(picture: Picture) -> str:
    if not picture.problems:
        return ""
    shown = picture.problems[:20]
    more = len(picture.problems) - len(shown)
    items = "".join(f"<li><code>{_h(p)}</code></li>" for p in shown)
    if more:
        items += f"<li>… and {more} more</li>"
    kept = (
        "Showing the last picture that could be fully read."
        if picture.result is not None and not picture.result.input_errors
        else "Nothing could be fully read yet."
    )
    return (
        f'<div class="banner" role="alert"><strong>The declarations cannot be fully read '
        f"right now.</strong> {kept}<ul>{items}</ul></div>\n"
    )


def render_view(picture: Picture, name: str) -> str:
    """The fragment for view ``name``; UnknownView when it names nothing."""
    from align_audit.workshop.report.html import content as report_content
    from align_audit.workshop.report.html import customer_html, diagram, system_html

    result, report = picture.result, picture.report
    if result is None or report is None:
        return _banner(picture)
    kind, _, key = name.partition(":")
    if name == OVERVIEW:
        content = report_content(report, result)
    elif name == DIAGRAM:
        content = f'<section id="diagram"><h2>Alignment graph</h2>\n{diagram(result)}</section>\n'
    elif kind == "customer":
        views = [customer_html(v) for v in report.customers if v.customer == key]
        content = _one(report, kind, key, f"What our AI systems do to {key}", views)
    elif kind == "system":
        systems = [system_html(s) for s in report.systems if s.system == key]
        content = _one(report, kind, key, f"System {key}", systems)
    elif kind == "rule":
        content = _rule(report, key)
    else:
        raise UnknownView(name)
    return _banner(picture) + _navigation(report, result, name) + content


def _one(report: Report, kind: str, key: str, title: str, blocks: list[str]) -> str:
    """One customer's or system's section: its block of the report, then its findings."""
    from align_audit.workshop.report.html import findings_html

    if not blocks:
        raise UnknownView(f"{kind}:{key}")
    groups = [g for g in report.findings if g.kind == kind and g.key == key]
    findings = findings_html(groups) if groups else f"<p>No findings about {_h(key)}.</p>\n"
    return (
        f'<section id="{kind}"><h2>{_h(title)}</h2>\n{blocks[0]}<h3>Findings</h3>\n'
        f"{findings}</section>\n"
    )


def _rule(report: Report, code: str) -> str:
    from dataclasses import replace

    from align_audit.workshop.report.html import findings_html

    groups = []
    for group in report.findings:
        chosen = tuple(f for f in group.findings if f.code == code)
        if chosen:
            groups.append(replace(group, findings=chosen))
    if not groups:
        raise UnknownView(f"rule:{code}")
    name = groups[0].findings[0].name
    return (
        f'<section id="rule"><h2>{_h(code)} {_h(name)}</h2>\n'
        + findings_html(groups)
        + "</section>\n"
    )
