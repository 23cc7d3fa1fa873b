"""Two audits → what a change does to alignment (SPEC §9): findings introduced and resolved (by
fingerprint), impact changes per (objective, customer), declarations added, removed, changed."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from align_audit.findings import Finding, Location, Severity
from align_audit.settings import parse_fail_on

if TYPE_CHECKING:
    from align_audit.analysis import Analysis
    from align_audit.catalog import Catalog
    from align_audit.engine import AuditResult
    from align_audit.model import Entry

NOT_REACHED = "not reached"
_CHILDREN = {"outcomes", "objectives", "effects"}
"""Fields compared on their own: a customer's outcomes and a system's objectives are
declarations of their own; a metric's effects are listed one by one."""
_WORDS = {100: "makes", 25: "helps", -25: "hurts", -100: "breaks"}


@dataclass(frozen=True, slots=True)
class ImpactChange:
    """What optimizing one objective does to one customer, before and after."""

    objective: str
    customer: str
    before: str
    """improves, worsens, mixed or not reached."""
    after: str
    score_before: int | None
    score_after: int | None


@dataclass(frozen=True, slots=True)
class EffectChange:
    """One effect of a metric on another node, added, removed, flipped or changed."""

    target: str
    change: Literal["added", "removed", "flipped", "changed"]
    """``flipped``: the sign of its impact changed (helps → hurts)."""
    before: int | None
    """Impact weight at base (None when added)."""
    after: int | None

    def phrase(self) -> str:
        """``effect on x flipped: helps → hurts``."""
        was, now = _impact(self.before), _impact(self.after)
        if self.change == "added":
            return f"effect on {self.target} added ({now})"
        if self.change == "removed":
            return f"effect on {self.target} removed (was {was})"
        if self.change == "flipped":
            return f"effect on {self.target} flipped: {was} → {now}"
        detail = f"{was} → {now}" if self.before != self.after else "note changed"
        return f"effect on {self.target} changed: {detail}"


@dataclass(frozen=True, slots=True)
class DeclarationChange:
    """One declaration added, removed or changed."""

    kind: str
    """customer, outcome, metric, system, objective, tradeoff or waiver."""
    ident: str
    change: Literal["added", "removed", "changed"]
    location: Location
    """Where it is at head (at base when removed)."""
    fields: tuple[tuple[str, str, str], ...] = ()
    """(field, before, after) of each field that changed, values as text (``—`` for none)."""
    effects: tuple[EffectChange, ...] = ()
    """A metric's effects that changed."""

    def phrases(self) -> list[str]:
        """What changed, one phrase each (``direction: increase → decrease``)."""
        return [f"{name}: {a} → {b}" for name, a, b in self.fields] + [
            e.phrase() for e in self.effects
        ]


@dataclass(frozen=True, slots=True)
class AlignmentDiff:
    """What the change from base to head does."""

    base: str
    """The base revision as given."""
    base_commit: str
    head: str
    """The head revision as given, or ``working tree``."""
    head_commit: str | None
    """None for the working tree."""
    base_result: AuditResult
    head_result: AuditResult
    introduced: tuple[Finding, ...]
    resolved: tuple[Finding, ...]
    impacts: tuple[ImpactChange, ...]
    declarations: tuple[DeclarationChange, ...]

    @property
    def changed(self) -> bool:
        """Whether anything differs."""
        return bool(self.introduced or self.resolved or self.impacts or self.declarations)

    def exit_code(self, fail_on: str | None = None) -> int:
        """1 when an introduced finding is at or above ``fail_on`` (default: the settings')."""
        settings = self.head_result.settings
        level = parse_fail_on(fail_on, "fail_on") if fail_on is not None else settings.fail_on
        if level == "never":
            return 0
        threshold = Severity.parse(level)
        return 1 if any(f.level >= threshold for f in self.introduced) else 0


def compare(
    base: AuditResult,
    head: AuditResult,
    base_name: tuple[str, str],
    head_name: tuple[str, str | None],
) -> AlignmentDiff:
    """The alignment diff of two audits of the same paths; names are (as given, commit id)."""
    before = {f.fingerprint for f in base.findings}
    after = {f.fingerprint for f in head.findings}
    return AlignmentDiff(
        *base_name,
        *head_name,
        base,
        head,
        tuple(f for f in head.findings if f.fingerprint not in before),
        tuple(f for f in base.findings if f.fingerprint not in after),
        tuple(impact_changes(base.analysis, head.analysis)),
        tuple(declaration_changes(base.catalog, head.catalog)),
    )


def _reached(analysis: Analysis, objective: str) -> tuple[object, ...] | None:
    """What an objective's impact depends on: its propagation and the weighted edges among the
    nodes it reaches (the GRL scores are computed over exactly those); None when it does not
    exist or its metric did not resolve."""
    if objective not in analysis.catalog.objectives:
        return None
    reach = analysis.objective_reach(objective)
    if reach is None:
        return None
    succ = analysis.successors
    edges = tuple((node, succ.get(node, ())) for node in reach.masks)
    return (reach.start, reach.sign, tuple(reach.masks.items()), edges)


def _effects(analysis: Analysis, objective: str) -> dict[str, tuple[str, int | None]]:
    """customer → (effect, score) of one objective, for the customers it reaches."""
    reach = (
        analysis.objective_reach(objective) if objective in analysis.catalog.objectives else None
    )
    if reach is None:
        return {}
    customers = analysis.catalog.customers
    reached = [node for node in reach.nodes() if node in customers]
    if not reached:
        return {}
    scores = analysis.scores(reach)
    effects: dict[str, tuple[str, int | None]] = {}
    for customer in reached:
        effect = reach.effect(customer)
        assert effect is not None
        effects[customer] = (effect, scores.get(customer))
    return effects


def impact_changes(base: Analysis, head: Analysis) -> list[ImpactChange]:
    """Each (objective, customer) whose effect or score differs, sorted by ids. An objective
    whose propagation and reached edges are the same on both sides is skipped unscored."""
    changes = []
    for objective in sorted(set(base.catalog.objectives) | set(head.catalog.objectives)):
        if _reached(base, objective) == _reached(head, objective):
            continue
        was, now = _effects(base, objective), _effects(head, objective)
        for customer in sorted(set(was) | set(now)):
            old = was.get(customer, (NOT_REACHED, None))
            new = now.get(customer, (NOT_REACHED, None))
            if old != new:
                changes.append(ImpactChange(objective, customer, old[0], new[0], old[1], new[1]))
    return changes


def _declared(catalog: Catalog) -> dict[tuple[str, str], Entry[Any]]:
    """(kind, id) → entry of every declaration that resolved."""
    found: dict[tuple[str, str], Entry[Any]] = {}
    for kind, table in (
        ("customer", catalog.customers),
        ("outcome", catalog.outcomes),
        ("metric", catalog.metrics),
        ("system", catalog.systems),
        ("objective", catalog.objectives),
    ):
        for ident, entry in table.items():
            found[(kind, ident)] = entry
    for tradeoff in catalog.tradeoffs:
        found.setdefault(("tradeoff", tradeoff.entity.removeprefix("tradeoff:")), tradeoff.entry)
    for waiver in catalog.waivers:
        if waiver.model is not None:
            found.setdefault(("waiver", f"{waiver.model.rule} {waiver.model.target}"), waiver)
    return found


def declaration_changes(base: Catalog, head: Catalog) -> list[DeclarationChange]:
    """Declarations added, removed and changed, in kind order then by id."""
    was, now = _declared(base), _declared(head)
    changes = []
    for key in sorted(set(was) | set(now), key=lambda k: (_KINDS.index(k[0]), k[1])):
        old, new = was.get(key), now.get(key)
        if old is None:
            assert new is not None
            changes.append(DeclarationChange(*key, "added", new.location()))
        elif new is None:
            changes.append(DeclarationChange(*key, "removed", old.location()))
        else:
            fields, effects = _differences(old.model, new.model)
            if fields or effects:
                changes.append(
                    DeclarationChange(*key, "changed", new.location(), tuple(fields), effects)
                )
    return changes


_KINDS = ("customer", "outcome", "metric", "system", "objective", "tradeoff", "waiver")


def _shown(value: object) -> str:
    if value is None:
        return "—"
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        value = {f.name: getattr(value, f.name) for f in dataclasses.fields(value)}
    text = value.isoformat() if isinstance(value, dt.date) else str(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _impact(weight: int | None) -> str:
    return "—" if weight is None else _WORDS.get(weight, str(weight))


def _differences(old: Any, new: Any) -> tuple[list[tuple[str, str, str]], tuple[EffectChange, ...]]:
    """The fields and effects that differ between two versions of a declaration."""
    if old is None or new is None or type(old) is not type(new):
        if old == new:
            return [], ()
        return [("valid", "no" if old is None else "yes", "no" if new is None else "yes")], ()
    fields = []
    for field in dataclasses.fields(old):
        a, b = getattr(old, field.name), getattr(new, field.name)
        if field.name not in _CHILDREN and a != b:
            fields.append((field.name, _shown(a), _shown(b)))
    effects = _effect_changes(old.effects, new.effects) if hasattr(old, "effects") else ()
    return fields, effects


def _effect_changes(old: dict[str, Any], new: dict[str, Any]) -> tuple[EffectChange, ...]:
    """Effects added, removed, whose sign flipped, or otherwise changed (the note)."""
    changes = []
    for target in sorted(set(old) | set(new)):
        a, b = old.get(target), new.get(target)
        if a == b:
            continue
        before, after = (None if a is None else a.impact), (None if b is None else b.impact)
        if before is None:
            kind: Literal["added", "removed", "flipped", "changed"] = "added"
        elif after is None:
            kind = "removed"
        elif (before > 0) != (after > 0):
            kind = "flipped"
        else:
            kind = "changed"
        changes.append(EffectChange(target, kind, before, after))
    return tuple(changes)
