"""``align-audit impact``: what perfect optimization of each objective does to each customer.

Everything comes from the analysis engine (SPEC §2.1): effects from propagation, scores from
its GRL evaluation. This module only selects, orders and renders.
"""

from __future__ import annotations

from itertools import pairwise
from typing import TYPE_CHECKING

from align_audit.analysis import Effect
from align_audit.analysis.impact import ObjectiveImpact, TargetImpact, objective_impact
from align_audit.errors import AuditError
from align_audit.outputs import json_text
from align_audit.workshop.wording import SCORE_LEGEND, direction_arrow, score_text

if TYPE_CHECKING:
    from align_audit.engine import AuditResult

IMPACT_VERSION = 1
GLYPH: dict[Effect, str] = {"improves": "▲", "worsens": "▼", "mixed": "◆"}
Verdicts = dict[tuple[str, str], str]
"""(source, target) of a declared metric→metric effect → what the data says of it."""


def verdicts_of(result: AuditResult) -> Verdicts:
    """The evidence verdict of every declared effect (empty without data)."""
    if result.evidence is None:
        return {}
    return {(p.source, p.target): p.verdict for p in result.evidence.declared}


def path_text(path: tuple[str, ...], verdicts: Verdicts) -> str:
    """``a → b → c``; an edge the data has judged shows its verdict: ``a →(confirmed) b``."""
    if not path:
        return ""
    parts = [path[0]]
    for source, target in pairwise(path):
        verdict = verdicts.get((source, target))
        parts.append(f"→({verdict}) {target}" if verdict else f"→ {target}")
    return " ".join(parts)


def build_impact(
    result: AuditResult, system: str | None = None, objective: str | None = None
) -> list[ObjectiveImpact]:
    """Impacts of every objective, narrowed to one system or one objective."""
    catalog = result.catalog
    if system is not None and system not in catalog.systems:
        raise AuditError(f"--system: no valid system {system!r} is declared")
    if objective is not None and objective not in catalog.objectives:
        raise AuditError(f"--objective: no valid objective {objective!r} (use system.objective)")
    analysis = result.analysis  # reuses the propagations the rules already ran
    chosen = [
        o
        for s, objectives in catalog.objectives_of.items()
        if system is None or s == system
        for o in objectives
        if objective is None or o == objective
    ]
    impacts = [objective_impact(analysis, o) for o in chosen]
    return [i for i in impacts if i is not None]


def impact_json(
    impacts: list[ObjectiveImpact],
    color: bool = False,
    width: int | None = None,
    verdicts: Verdicts | None = None,
) -> str:
    """The SPEC §4 shape."""
    document = {
        "version": IMPACT_VERSION,
        "objectives": [
            {
                "objective": i.objective,
                "stakeholder": i.stakeholder,
                "effects": [
                    {
                        "target": e.target,
                        "kind": e.kind,
                        "effect": e.effect,
                        "score": e.score,
                        "path": list(e.path),
                        **(
                            {"verdicts": [verdicts.get(edge) for edge in pairwise(e.path)]}
                            if verdicts
                            else {}
                        ),
                    }
                    for e in i.effects
                ],
            }
            for i in impacts
        ],
    }
    return json_text(document)


def _grouped(impact: ObjectiveImpact) -> list[tuple[str, list[TargetImpact]]]:
    """Customers with their reached outcomes; metrics last under "(metrics)"."""
    groups: dict[str, list[TargetImpact]] = {}
    for effect in impact.effects:
        key = effect.target.split(".", 1)[0] if effect.kind != "metric" else "(metrics)"
        groups.setdefault(key, []).append(effect)
    return list(groups.items())


def impact_text(
    impacts: list[ObjectiveImpact],
    color: bool = False,
    width: int | None = None,
    verdicts: Verdicts | None = None,
) -> str:
    """Grouped by customer, an arrow glyph and colour per effect."""
    import io

    from rich.text import Text

    from align_audit.console import text_console

    style = {"improves": "green", "worsens": "red", "mixed": "yellow"}
    lines: list[Text] = []
    if not impacts:
        lines.append(Text("No objectives to show."))
    else:
        lines += [Text(SCORE_LEGEND, style="dim"), Text("")]
    for impact in impacts:
        arrow = direction_arrow(impact.direction)
        header = Text(f"{impact.objective}", style="bold")
        header.append(
            f"  optimizes {impact.metric} {arrow}, claims to serve {impact.stakeholder or '?'}"
        )
        lines.append(header)
        if impact.stakeholder and not any(e.target == impact.stakeholder for e in impact.effects):
            lines.append(
                Text(f"    ✗ not reached: {impact.stakeholder} (claimed stakeholder)", style="bold")
            )
        for group, effects in _grouped(impact):
            lines.append(Text(f"  {group}", style="bold"))
            for e in effects:
                line = Text("    ")
                line.append(f"{GLYPH[e.effect]} {e.effect:<8}", style=style[e.effect])
                line.append(f" {score_text(e.score):>5}  {e.target}")
                if e.target == impact.stakeholder:
                    line.append("  (claimed stakeholder)", style="bold")
                lines.append(line)
                if len(e.path) > 1:
                    lines.append(
                        Text("        via " + path_text(e.path, verdicts or {}), style="dim")
                    )
        lines.append(Text(""))
    if width is None and not color:  # a pipe or a file: the lines as they are, never wrapped
        return "".join(f"{line.plain}\n" for line in lines)
    buffer = io.StringIO()
    console = text_console(buffer, color=color, width=width)
    for line in lines:
        console.print(line)
    return buffer.getvalue()


def impact_markdown(
    impacts: list[ObjectiveImpact],
    color: bool = False,
    width: int | None = None,
    verdicts: Verdicts | None = None,
) -> str:
    """One table per objective."""
    parts = [f"# Impact of perfect optimization\n\n{SCORE_LEGEND}\n"]
    for impact in impacts:
        parts.append(
            f"\n## {impact.objective}\n\nOptimizes `{impact.metric}` ({impact.direction}); "
            f"claims to serve `{impact.stakeholder or '?'}`.\n\n"
            "| effect | target | kind | score | path |\n|---|---|---|---|---|\n"
        )
        for e in impact.effects:
            parts.append(
                f"| {GLYPH[e.effect]} {e.effect} | `{e.target}` | {e.kind} | {score_text(e.score)} "
                f"| {path_text(e.path, verdicts or {})} |\n"
            )
    return "".join(parts)


def impact_html(
    impacts: list[ObjectiveImpact],
    color: bool = False,
    width: int | None = None,
    verdicts: Verdicts | None = None,
) -> str:
    """A self-contained page: one table per objective."""
    from html import escape

    from align_audit.workshop.html import code, page, table

    sections = []
    for impact in impacts:
        rows = [
            (
                f'<span class="{e.effect}">{GLYPH[e.effect]} {e.effect}</span>',
                code(e.target),
                e.kind,
                score_text(e.score),
                f'<span class="path">{escape(path_text(e.path, verdicts or {}))}</span>',
            )
            for e in impact.effects
        ]
        sections.append(
            f"<h2>{escape(impact.objective)}</h2>\n<p>Optimizes {code(impact.metric)} "
            f"({escape(impact.direction)}); claims to serve "
            f"{code(impact.stakeholder or '?')}.</p>\n"
            + table(("effect", "target", "kind", "score", "path"), rows, numeric={3})
        )
    return page(
        "Impact of perfect optimization",
        "If each AI objective were optimized perfectly, who would be better off and who worse?",
        f'<p class="legend">{escape(SCORE_LEGEND)}</p>\n' + "\n".join(sections),
    )
