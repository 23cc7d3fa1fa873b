"""``align-audit impact``: what perfect optimization of each objective does to each customer.

Everything comes from the analysis engine (SPEC §2.1): effects from propagation, scores from
its GRL evaluation. This module only selects, orders and renders.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator
from itertools import chain, pairwise
from typing import TYPE_CHECKING, Any

from rich.padding import Padding
from rich.text import Text

from align_audit.analysis import Effect
from align_audit.analysis.impact import ObjectiveImpact, TargetImpact, objective_impact
from align_audit.errors import AuditError
from align_audit.outputs import json_chunks
from align_audit.workshop.html import code, escape, page_chunks, table
from align_audit.workshop.wording import SCORE_LEGEND, direction_arrow, score_text

if TYPE_CHECKING:
    from align_audit.engine import AuditResult

IMPACT_VERSION = 1
GLYPH: dict[Effect, str] = {"improves": "▲", "worsens": "▼", "mixed": "◆"}
_STYLE: dict[Effect, str] = {"improves": "green", "worsens": "red", "mixed": "yellow"}
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
) -> Iterator[ObjectiveImpact]:
    """Impacts of every objective, narrowed to one system or one objective, each made when it
    is asked for (the arguments are checked at once)."""
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
    # One objective at a time: a dense organization's impacts (every reached metric with its
    # witness path) are far larger than the organization, and stream to their destination.
    impacts = (objective_impact(analysis, o) for o in chosen)
    return (i for i in impacts if i is not None)


def impact_json(
    impacts: Iterable[ObjectiveImpact],
    color: bool = False,
    width: int | None = None,
    verdicts: Verdicts | None = None,
) -> Iterator[str]:
    """The SPEC §4 shape, one objective at a time."""
    document = {
        "version": IMPACT_VERSION,
        "objectives": (_objective_json(i, verdicts) for i in impacts),
    }
    return json_chunks(document)


def _objective_json(impact: ObjectiveImpact, verdicts: Verdicts | None) -> dict[str, Any]:
    return {
        "objective": impact.objective,
        "stakeholder": impact.stakeholder,
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
            for e in impact.effects
        ],
    }


def _grouped(impact: ObjectiveImpact) -> list[tuple[str, list[TargetImpact]]]:
    """Customers with their reached outcomes; metrics last under "(metrics)"."""
    groups: dict[str, list[TargetImpact]] = {}
    for effect in impact.effects:
        key = effect.target.split(".", 1)[0] if effect.kind != "metric" else "(metrics)"
        groups.setdefault(key, []).append(effect)
    return list(groups.items())


def impact_text(
    impacts: Iterable[ObjectiveImpact],
    color: bool = False,
    width: int | None = None,
    verdicts: Verdicts | None = None,
) -> str | Iterator[str]:
    """Grouped by customer, an arrow glyph and colour per effect."""
    blocks: Iterator[list[_Line]] = (_text_block(i, verdicts or {}) for i in impacts)
    first = next(blocks, None)
    if first is None:
        head: list[_Line] = [[("No objectives to show.", "")]]
    else:
        head = [[(SCORE_LEGEND, "dim")], []]
        blocks = chain((first,), blocks)
    if width is None and not color:  # a pipe or a file: the lines as they are, never wrapped
        return (
            "".join(f"{''.join(text for text, _ in line)}\n" for line in block)
            for block in chain((head,), blocks)
        )
    from align_audit.console import text_console

    buffer = io.StringIO()
    console = text_console(buffer, color=color, width=width)
    for block in chain((head,), blocks):
        for line in block:
            console.print(_indented(line))
    return buffer.getvalue()


def _indented(line: _Line) -> Text | Padding:
    """A line for the terminal: a wrapped indented line goes on at its indentation, not at
    the left edge where a witness path would lose the effect it belongs to."""
    first = line[0][0] if line else ""
    indent = len(first) - len(first.lstrip(" "))
    if not indent:
        return Text.assemble(*line)
    rest = [(first[indent:], line[0][1]), *line[1:]]
    return Padding(Text.assemble(*rest), (0, 0, 0, indent), expand=False)


_Line = list[tuple[str, str]]
"""One line of text as (text, style) pieces: joined as they are for a pipe, styled by rich
for a terminal (a rich ``Text`` per line costs more than the rest of ``impact`` together)."""


def _text_block(impact: ObjectiveImpact, verdicts: Verdicts) -> list[_Line]:
    """One objective's lines."""
    arrow = direction_arrow(impact.direction)
    header = f"{impact.objective}  optimizes {impact.metric} {arrow}, claims to serve "
    lines: list[_Line] = [[(header + (impact.stakeholder or "?"), "bold")]]
    if impact.stakeholder and not any(e.target == impact.stakeholder for e in impact.effects):
        lines.append([(f"    ✗ not reached: {impact.stakeholder} (claimed stakeholder)", "bold")])
    for group, effects in _grouped(impact):
        lines.append([(f"  {group}", "bold")])
        for e in effects:
            line = [
                ("    ", ""),
                (f"{GLYPH[e.effect]} {e.effect:<8}", _STYLE[e.effect]),
                (f" {score_text(e.score):>5}  {e.target}", ""),
            ]
            if e.target == impact.stakeholder:
                line.append(("  (claimed stakeholder)", "bold"))
            lines.append(line)
            if len(e.path) > 1:
                lines.append([("        via " + path_text(e.path, verdicts), "dim")])
    lines.append([])
    return lines


def impact_markdown(
    impacts: Iterable[ObjectiveImpact],
    color: bool = False,
    width: int | None = None,
    verdicts: Verdicts | None = None,
) -> Iterator[str]:
    """One table per objective."""
    yield f"# Impact of perfect optimization\n\n{SCORE_LEGEND}\n"
    for impact in impacts:
        rows = "".join(
            f"| {GLYPH[e.effect]} {e.effect} | `{e.target}` | {e.kind} | {score_text(e.score)} "
            f"| {path_text(e.path, verdicts or {})} |\n"
            for e in impact.effects
        )
        yield (
            f"\n## {impact.objective}\n\nOptimizes `{impact.metric}` ({impact.direction}); "
            f"claims to serve `{impact.stakeholder or '?'}`.\n\n"
            "| effect | target | kind | score | path |\n|---|---|---|---|---|\n" + rows
        )


def impact_html(
    impacts: Iterable[ObjectiveImpact],
    color: bool = False,
    width: int | None = None,
    verdicts: Verdicts | None = None,
) -> Iterator[str]:
    """A self-contained page: one table per objective."""
    return page_chunks(
        "Impact of perfect optimization",
        "If each AI objective were optimized perfectly, who would be better off and who worse?",
        chain(
            (f'<p class="legend">{escape(SCORE_LEGEND)}</p>\n',), _html_sections(impacts, verdicts)
        ),
    )


def _html_sections(impacts: Iterable[ObjectiveImpact], verdicts: Verdicts | None) -> Iterator[str]:
    separator = ""
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
        yield (
            f"{separator}<h2>{escape(impact.objective)}</h2>\n<p>Optimizes {code(impact.metric)} "
            f"({escape(impact.direction)}); claims to serve "
            f"{code(impact.stakeholder or '?')}.</p>\n"
            + table(("effect", "target", "kind", "score", "path"), rows, numeric={3})
        )
        separator = "\n"
