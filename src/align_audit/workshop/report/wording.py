"""All the report's sentences, headings and cell texts, shared by its renderers."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from align_audit.reporters.markdown import counted as counted
from align_audit.workshop.wording import (
    IMPACT_WORDS,
    SCORE_LEGEND,
    direction_arrow,
    score_text,
)

if TYPE_CHECKING:
    from align_audit.findings import Finding
    from align_audit.links import ResolvedTradeoff
    from align_audit.workshop.report.coverage import Coverage
    from align_audit.workshop.report.customers import CustomerView
    from align_audit.workshop.report.facts import (
        ConflictEntry,
        Decision,
        ObjectiveRow,
        Report,
        Scorecard,
        Share,
        Summary,
        SystemImpact,
    )
    from align_audit.workshop.report.findings import FindingGroup

SECTIONS = (
    "Stakeholder map",
    "Coverage matrix",
    "Conflict and tradeoff register",
    "Impact per system",
    "Impact per customer",
    "Scorecard balance",
    "Alignment summary",
    "Findings to decide",
)
"""Section headings, in report order (the same in every format)."""

MATRIX_TEXT_LIMIT = 40
"""Above this many metrics, text and markdown show a per-customer summary, not the matrix."""
MATRIX_HTML_LIMIT = 200
"""Above this many metrics, HTML shows the per-customer summary too."""
LIST_LIMIT = 12
"""Names listed in one cell before "+N more"."""
DENSE_LIMIT = 16
"""With more customers than this, the HTML matrix narrows its columns to fit 1280 pixels."""
LEGEND_LIMIT = 8
"""With more customers than this, the text matrix heads its columns C1, C2, … with a legend."""

DIRECT, THROUGH_EFFECTS = "●", "○"


# -- shared wording ---------------------------------------------------------------------------
def listing(items: Sequence[str], limit: int = LIST_LIMIT) -> str:
    """``a, b, c`` with at most ``limit`` names, then ``+N more``."""
    if len(items) <= limit:
        return ", ".join(items)
    return ", ".join(items[:limit]) + f", … (+{len(items) - limit} more)"


def scored(items: Sequence[tuple[str, int | None]]) -> str:
    return listing([f"{c} {score_text(s)}" for c, s in items]) or "—"


def impact_text(weight: int) -> str:
    name = IMPACT_WORDS.get(weight)
    return f"{name} ({weight:+d})" if name else f"{weight:+d}"


def tradeoff_text(tradeoff: ResolvedTradeoff, stale: bool) -> str:
    model = tradeoff.model
    parts = [f"prefer {tradeoff.prefer}"]
    if model.decided_by:
        parts.append(f"decided by {' '.join(model.decided_by.split())}")
    if model.review_by is not None:
        parts.append(f"review by {model.review_by.isoformat()}")
    if stale:
        parts.append("STALE")
    return f"tradeoff ({', '.join(parts)})"


def rank_text(rank: int | None) -> str:
    return "unranked" if rank is None else str(rank)


def stakeholder_text(row: ObjectiveRow) -> str:
    if row.stakeholder is None:
        return "?"
    return f"{'✓' if row.reached else '✗ not reached:'} {row.stakeholder}"


def harm_text(row: ObjectiveRow) -> str:
    """``no harm``, ``guarded``, or the unguarded (and waived) harmed customers."""
    if not row.harmed:
        return "no harm"
    parts = []
    if row.unguarded:
        parts.append(f"UNGUARDED: {listing(row.unguarded)}")
    if row.waived:
        parts.append(f"unguarded, waived: {listing(row.waived)}")
    guarded = [c for c in row.harmed if c not in row.unguarded and c not in row.waived]
    if guarded:
        parts.append(f"guarded: {listing(guarded)}")
    return "; ".join(parts)


def decision_notes(d: Decision) -> str:
    notes = []
    if d.obsolete:
        notes.append("OBSOLETE: no negative path between the two metrics (AA202)")
    elif d.conflicts == 0:
        notes.append("matches no direct conflict; decides an indirect one")
    if d.override:
        other = d.b if d.override == d.a else d.a
        notes.append(f"OVERRIDES PRECEDENCE: {other}'s customers outrank {d.override}'s (AA203)")
    if d.stale:
        notes.append("STALE: review date passed (AA201)")
    return "; ".join(notes) or "—"


def matrix_intro(report: Report, full: bool, limit: int) -> str:
    n = len(report.coverage.metrics)
    if full:
        return (
            f"{DIRECT} measured for the customer or one of its outcomes; "
            f"{THROUGH_EFFECTS} serves it only through effects; blank: does not serve it."
        )
    return (
        f"{n} metrics are too many for a matrix (more than {limit}): per customer, the "
        f"metrics measured for it ({DIRECT}) and those serving it only through effects "
        f"({THROUGH_EFFECTS})."
    )


def skipped_line(system: SystemImpact) -> str:
    if not system.skipped:
        return "" if system.objectives else "No objectives."
    return f"Not evaluated (the metric they optimize has errors): {listing(system.skipped)}."


def unserved_line(coverage: Coverage) -> str:
    if not coverage.metrics:
        return "No metrics are declared."
    if not coverage.unserved:
        return "Every metric serves at least one customer."
    return (
        f"{counted(len(coverage.unserved), 'metric')} "
        f"{'serves' if len(coverage.unserved) == 1 else 'serve'} nobody: "
        f"{listing(list(coverage.unserved), 40)}."
    )


def section_intro(index: int) -> str:
    return (
        "Each customer, its precedence rank and how many metrics and objectives concern it.",
        "",
        "Each conflict (an effects entry by which one metric hurts another) and how it is "
        "decided; then every tradeoff decision.",
        "If each AI objective were optimized perfectly: which customers end up better off, "
        "worse off or both (GRL score), and whether a guardrail watches the harm. " + SCORE_LEGEND,
        "What all the AI systems together do to each customer if their objectives were "
        "optimized perfectly, with the path that explains each effect; ✓ marks the objectives "
        "that claim to serve the customer.",
        "Metrics measured for each customer, by kind. Unbalanced: every metric that declares "
        "a kind has the same kind (AA112).",
        "",
        "Every finding, grouped by the system or customer it concerns, the groups with errors "
        "first: what the team must decide, in order.",
    )[index]


# -- rows shared by text and markdown ---------------------------------------------------------
NO_CUSTOMERS = "No customers are declared."
STAKEHOLDER_HEADERS = (
    "customer",
    "name",
    "role",
    "rank",
    "outcomes",
    "measured for it",
    "serving it",
    "objectives",
)
IMPACT_HEADERS = (
    "objective",
    "optimizes",
    "claimed stakeholder",
    "improves",
    "worsens",
    "mixed",
    "harm",
)


def system_title(system: SystemImpact) -> str:
    title = system.system
    if system.name:
        title += f" — {system.name}"
    if system.owner:
        title += f" (owner {system.owner})"
    return title


def stakeholder_rows(report: Report) -> list[tuple[str, ...]]:
    return [
        (
            s.customer,
            s.name,
            s.role,
            rank_text(s.rank),
            listing(s.outcomes) or "—",
            str(s.measured),
            str(s.serving),
            str(s.objectives),
        )
        for s in report.stakeholders
    ]


def coverage_totals(coverage: Coverage) -> list[tuple[str, ...]]:
    return [(t.customer, str(t.direct), str(t.effects_only)) for t in coverage.totals]


def conflict_rows(report: Report) -> list[tuple[str, ...]]:
    return [
        (str(i), c.source, c.target, impact_text(c.weight), resolution_text(c))
        for i, c in enumerate(report.conflicts, 1)
    ]


def decision_rows(report: Report) -> list[tuple[str, ...]]:
    return [
        (
            f"{d.a} ↔ {d.b}",
            d.prefer,
            " ".join(d.decided_by.split()) if d.decided_by else "—",
            d.review_by.isoformat() + (" STALE" if d.stale else "") if d.review_by else "—",
            str(d.conflicts),
            decision_notes(d),
            " ".join(d.rationale.split()),
        )
        for d in report.decisions
    ]


def impact_rows(system: SystemImpact) -> list[tuple[str, ...]]:
    return [
        (
            row.objective.split(".", 1)[1],
            f"{row.metric} {direction_arrow(row.direction)}",
            stakeholder_text(row),
            scored(row.improves),
            scored(row.worsens),
            scored(row.mixed),
            harm_text(row),
        )
        for row in system.objectives
    ]


def scorecard_rows(report: Report) -> list[tuple[str, ...]]:
    return [
        (s.customer, str(s.leading), str(s.lagging), str(s.unspecified), scorecard_status(s))
        for s in report.scorecards
    ]


def summary_rows(report: Report) -> list[tuple[str, str]]:
    summary = report.summary
    rows = [(share_label(share), share_text(share)) for share in summary.shares]
    rows.extend((f"Findings: {level}", str(n)) for level, n in summary.counts)
    rows.append(("Findings waived", str(summary.waived)))
    return rows


SHARE_LABELS = {
    "metrics_serving": "Metrics serving a customer",
    "guarded_objectives": "Objectives with guardrails",
    "reaching_objectives": "Objectives reaching their stakeholder",
    "decided_conflicts": "Conflicts decided",
    "measured_customers": "Customers measured",
}
"""The alignment summary's measures, as leadership reads them."""


def share_label(share: Share) -> str:
    return SHARE_LABELS[share.measure]


def share_text(share: Share) -> str:
    """``3 of 4 (75%)``, or ``none to assess``."""
    if share.whole == 0:
        return "none to assess"
    return f"{share.part} of {share.whole} ({share.percent}%)"


def size_text(summary: Summary) -> str:
    """``4 customers, 10 metrics, 1 system, 2 objectives, 2 tradeoffs``."""
    return ", ".join(counted(n, word) for n, word in summary.sizes)


def report_title(report: Report) -> str:
    return (
        f"Alignment report — {report.organization}" if report.organization else ("Alignment report")
    )


def report_subtitle(report: Report) -> str:
    files = report.files
    source = files[0] if len(files) == 1 else counted(len(files), "file")
    return (
        "Who the organization serves, what it measures and what its AI systems optimize "
        f"({source}, as of {report.today.isoformat()})."
    )


def resolution_text(conflict: ConflictEntry) -> str:
    """How a conflict is decided, in words."""
    if conflict.tradeoff is not None:
        return tradeoff_text(conflict.tradeoff, conflict.stale)
    if conflict.precedence is not None:
        winner, winners, losers = conflict.precedence
        verb = "outranks" if len(winners) == 1 else "outrank"
        return f"precedence ({winner} wins: {listing(winners)} {verb} {listing(losers)})"
    return "unresolved"


def scorecard_status(card: Scorecard) -> str:
    if card.status == "unbalanced":
        return f"UNBALANCED: all {'leading' if card.leading else 'lagging'}"
    return {"not measured": "NOT MEASURED", "no kinds": "no kinds declared"}.get(
        card.status, card.status
    )


_GROUP_TITLES = {
    "metrics": "Metrics",
    "decisions": "Tradeoffs and waivers",
    "files": "The declaration files",
}


def group_title(group: FindingGroup) -> str:
    """``System claims_optimizer``, ``Customer patient``, ``Metrics``, …"""
    if group.kind in ("system", "customer"):
        return f"{group.kind.capitalize()} {group.key}"
    return _GROUP_TITLES[group.kind]


def group_counts(group: FindingGroup) -> str:
    """``2 errors, 1 warning``."""
    levels: dict[str, int] = {}
    for finding in group.findings:
        levels[finding.level.label] = levels.get(finding.level.label, 0) + 1
    return ", ".join(
        f"{n} {label}" + ("s" if n != 1 and label != "info" else "") for label, n in levels.items()
    )


def finding_place(finding: Finding) -> str:
    """``path:line``."""
    return f"{finding.location.path}:{finding.location.line}"


NO_FINDINGS = "No findings: nothing to decide."


CUSTOMER_HEADERS = ("objective", "optimizes", "effect", "score", "path")


def customer_heading(view: CustomerView) -> str:
    rank = f"rank {view.rank}" if view.rank is not None else "unranked"
    return f"{view.customer} ({view.role}, {rank})"


def customer_rows(view: CustomerView) -> list[tuple[str, ...]]:
    """objective (✓ when it claims the customer), metric, effect (UNGUARDED harm), score, path."""
    rows: list[tuple[str, ...]] = []
    for e in view.effects:
        effect = e.effect + (", UNGUARDED" if e.unguarded else "")
        objective = ("✓ " if e.claimed else "") + e.objective
        rows.append((objective, e.metric, effect, score_text(e.score), " → ".join(e.path)))
    return rows


def unreached_line(view: CustomerView) -> str:
    return "" if view.effects else "No AI objective reaches this customer."


def collapsed_caption(nodes: int) -> str:
    return (
        f"The alignment graph has {nodes} nodes, too many to draw legibly: here, each AI system "
        "and each customer, joined when the system's objectives reach the customer (hurts: one "
        "of them worsens the customer). Problems are in the warning colour. Draw one part in "
        "full with align-audit graph --focus ID --format svg."
    )
