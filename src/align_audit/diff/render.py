"""The alignment diff as text (rich on a terminal), markdown (a pull-request comment: a one-line
verdict, then collapsible sections) and JSON (docs/output-diff.md)."""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import Any

from align_audit import __version__
from align_audit.diff.compare import AlignmentDiff, DeclarationChange, ImpactChange
from align_audit.findings import Finding, Severity
from align_audit.reporters.json_reporter import finding_to_json
from align_audit.reporters.markdown import MAX_CHARS, counted, escape_cell

DIFF_JSON_VERSION = 1
COMMENT_MARKER = "<!-- align-audit-diff -->"
"""First line of the markdown: a CI job finds its earlier comment by it and edits it."""
_SIGNS = {"added": "+", "removed": "-", "changed": "~"}
_EFFECT_STYLE = {"improves": "green", "worsens": "bold red", "mixed": "yellow"}


def _levels(findings: Iterable[Finding]) -> str:
    counts = dict.fromkeys(sorted(Severity, reverse=True), 0)
    for finding in findings:
        counts[finding.level] += 1
    parts = [
        f"{n} {level.label}" + ("s" if n != 1 and level != Severity.INFO else "")
        for level, n in counts.items()
        if n
    ]
    return f" ({', '.join(parts)})" if parts else ""


def verdict(diff: AlignmentDiff) -> str:
    """One sentence: what the change does (``this change introduces 1 finding (1 error) and
    resolves 2; it changes 3 impacts and 1 declaration``)."""
    if not diff.changed:
        return "this change does not affect alignment"
    findings = []
    if diff.introduced:
        findings.append(
            f"introduces {counted(len(diff.introduced), 'finding')}{_levels(diff.introduced)}"
        )
    if diff.resolved:
        noun = counted(len(diff.resolved), "finding")
        findings.append(f"resolves {len(diff.resolved) if diff.introduced else noun}")
    changes = []
    if diff.impacts:
        changes.append(counted(len(diff.impacts), "impact"))
    if diff.declarations:
        changes.append(counted(len(diff.declarations), "declaration"))
    parts = [" and ".join(findings)] if findings else []
    if changes:
        parts.append(("it " if findings else "") + "changes " + " and ".join(changes))
    return "this change " + "; ".join(parts)


def _range(diff: AlignmentDiff) -> str:
    return f"{diff.base} → {diff.head}"


def _score(change: ImpactChange) -> str:
    if change.score_before == change.score_after:
        return ""
    was = "—" if change.score_before is None else str(change.score_before)
    now = "—" if change.score_after is None else str(change.score_after)
    return f" (score {was} → {now})"


def impact_line(change: ImpactChange) -> str:
    """``system.objective → customer: improves → worsens (score 25 → -25)``."""
    return f"{change.objective} → {change.customer}: {change.before} → {change.after}" + _score(
        change
    )


def _where(change: DeclarationChange, diff: AlignmentDiff) -> str:
    at = f" at {diff.base}" if change.change == "removed" else ""
    return f"{change.location.path}:{change.location.line}{at}"


def diff_text(diff: AlignmentDiff, color: bool = False, width: int | None = None) -> str:
    """A verdict, then one section per kind: plain lines for a pipe or a file; on a terminal,
    colours and items wrapped under their own first line."""
    from rich.text import Text

    def finding(f: Finding, style: str) -> tuple[str, Text]:
        loc = f.location
        return f"{loc.path}:{loc.line}:{loc.column}:", Text(
            f"{f.code} [{f.level.label}] {f.message}", style=style
        )

    sections: list[tuple[str, list[tuple[str, Text]]]] = [
        (
            f"Introduced findings ({len(diff.introduced)})",
            [finding(f, "red") for f in diff.introduced],
        ),
        (
            f"Resolved findings ({len(diff.resolved)}, where they were at {diff.base})",
            [finding(f, "green") for f in diff.resolved],
        ),
        (f"Impact changes ({len(diff.impacts)})", [("", _impact_text(c)) for c in diff.impacts]),
        (
            f"Declaration changes ({len(diff.declarations)})",
            [_declaration_text(c, diff) for c in diff.declarations],
        ),
    ]
    title = f"align-audit diff {_range(diff)}: {verdict(diff)}."
    if width is None:  # a pipe or a file: one line per item, never wrapped
        lines = [title]
        for heading, rows in sections:
            if rows:
                lines += ["", heading]
                lines += [
                    f"  {head} {body.plain}" if head else f"  {body.plain}" for head, body in rows
                ]
        return "".join(f"{line}\n" for line in lines)
    return _terminal(title, sections, color, width)


def _terminal(
    title: str, sections: list[tuple[str, list[tuple[str, Any]]]], color: bool, width: int
) -> str:
    from rich.padding import Padding
    from rich.table import Table
    from rich.text import Text

    from align_audit.console import text_console

    buffer = io.StringIO()
    console = text_console(buffer, color=color, width=width)
    console.print(Text(title, style="bold"))
    for heading, rows in sections:
        if not rows:
            continue
        console.print()
        console.print(Text(heading, style="bold"))
        grid = Table.grid(padding=(0, 1, 0, 0))
        headed = any(head for head, _ in rows)
        if headed:
            grid.add_column(no_wrap=True, max_width=max(10, width // 3), overflow="fold")
        grid.add_column(ratio=1)
        for head, body in rows:
            if headed:
                grid.add_row(head, body)
            else:
                grid.add_row(body)
        console.print(Padding(grid, (0, 0, 0, 2)))
    # a grid pads its cells to the width: no trailing blanks in a terminal's copy and paste
    return "".join(line.rstrip(" ") + "\n" for line in buffer.getvalue().splitlines())


def _impact_text(change: ImpactChange) -> Any:
    from rich.text import Text

    text = Text(f"{change.objective} → {change.customer}: ")
    text.append(change.before, style=_EFFECT_STYLE.get(change.before, "dim"))
    text.append(" → ")
    text.append(change.after, style=_EFFECT_STYLE.get(change.after, "dim"))
    text.append(_score(change))
    return text


def _declaration_text(change: DeclarationChange, diff: AlignmentDiff) -> tuple[str, Any]:
    from rich.text import Text

    phrases = change.phrases()
    tail = f": {'; '.join(phrases)}" if phrases else ""
    return _SIGNS[change.change], Text(
        f"{change.kind} {change.ident} ({_where(change, diff)}){tail}"
    )


def diff_markdown(diff: AlignmentDiff, color: bool = False, width: int | None = None) -> str:
    """A pull-request comment: marker, verdict, then one ``<details>`` section per kind."""
    fails = diff.exit_code() != 0
    mark = "❌" if fails else "✅"
    out = [
        f"{COMMENT_MARKER}\n",
        f"{mark} **align-audit** ({escape_cell(_range(diff))}): {escape_cell(verdict(diff))}.\n",
    ]
    sections = [
        (
            f"Introduced findings ({len(diff.introduced)})",
            "| Severity | Code | Location | Message |\n|---|---|---|---|\n",
            [_finding_row(f) for f in diff.introduced],
        ),
        (
            f"Resolved findings ({len(diff.resolved)})",
            "| Severity | Code | Location at base | Message |\n|---|---|---|---|\n",
            [_finding_row(f) for f in diff.resolved],
        ),
        (
            f"Impact changes ({len(diff.impacts)})",
            "| Objective | Customer | Before | After | Score |\n|---|---|---|---|---|\n",
            [_impact_row(c) for c in diff.impacts],
        ),
        (
            f"Declaration changes ({len(diff.declarations)})",
            "| Change | Kind | Id | Location | What changed |\n|---|---|---|---|---|\n",
            [_declaration_row(c, diff) for c in diff.declarations],
        ),
    ]
    budget = MAX_CHARS - sum(map(len, out)) - 200 * len(sections)
    for title, header, rows in sections:
        if not rows:
            continue
        kept: list[str] = []
        for row in rows:
            if len(row) > budget:
                break
            kept.append(row)
            budget -= len(row)
        hidden = len(rows) - len(kept)
        note = (
            f"\n{hidden} more not shown: run `align-audit diff` for the full list.\n"
            if hidden
            else ""
        )
        open_ = " open" if title.startswith("Introduced") else ""
        out.append(
            f"\n<details{open_}><summary>{title}</summary>\n\n{header}{''.join(kept)}{note}\n"
            "</details>\n"
        )
    return "".join(out)


def _finding_row(finding: Finding) -> str:
    loc = escape_cell(f"{finding.location.path}:{finding.location.line}")
    return f"| {finding.level.label} | {finding.code} | {loc} | {escape_cell(finding.message)} |\n"


def _effect_cell(effect: str) -> str:
    return f"**{effect}**" if effect == "worsens" else effect


def _impact_row(change: ImpactChange) -> str:
    score = _score(change).strip(" ()").removeprefix("score ")
    return (
        f"| {escape_cell(change.objective)} | {escape_cell(change.customer)} "
        f"| {_effect_cell(change.before)} | {_effect_cell(change.after)} | {escape_cell(score)} |\n"
    )


def _declaration_row(change: DeclarationChange, diff: AlignmentDiff) -> str:
    what = "<br>".join(escape_cell(p) for p in change.phrases())
    return (
        f"| {change.change} | {change.kind} | {escape_cell(change.ident)} "
        f"| {escape_cell(_where(change, diff))} | {what} |\n"
    )


def diff_json(diff: AlignmentDiff, color: bool = False, width: int | None = None) -> str:
    """The diff as JSON (docs/output-diff.md)."""
    from align_audit.outputs import json_text

    def side(name: str, commit: str | None, files: int, findings: int) -> dict[str, Any]:
        return {"revision": name, "commit": commit, "files": files, "findings": findings}

    base, head = diff.base_result, diff.head_result
    document = {
        "version": DIFF_JSON_VERSION,
        "tool": {"name": "align-audit", "version": __version__},
        "base": side(diff.base, diff.base_commit, len(base.files), len(base.findings)),
        "head": side(diff.head, diff.head_commit, len(head.files), len(head.findings)),
        "summary": {
            "verdict": verdict(diff),
            "fails": diff.exit_code() != 0,
            "introduced": len(diff.introduced),
            "resolved": len(diff.resolved),
            "impact_changes": len(diff.impacts),
            "declaration_changes": len(diff.declarations),
        },
        "introduced": [finding_to_json(f) for f in diff.introduced],
        "resolved": [finding_to_json(f) for f in diff.resolved],
        "impacts": [
            {
                "objective": c.objective,
                "customer": c.customer,
                "before": c.before,
                "after": c.after,
                "score_before": c.score_before,
                "score_after": c.score_after,
            }
            for c in diff.impacts
        ],
        "declarations": [_declaration_json(c) for c in diff.declarations],
    }
    return json_text(document)


def _declaration_json(change: DeclarationChange) -> dict[str, Any]:
    return {
        "kind": change.kind,
        "id": change.ident,
        "change": change.change,
        "path": change.location.path,
        "line": change.location.line,
        "fields": [{"field": f, "before": a, "after": b} for f, a, b in change.fields],
        "effects": [
            {"target": e.target, "change": e.change, "before": e.before, "after": e.after}
            for e in change.effects
        ],
    }
