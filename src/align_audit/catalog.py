"""The organization as one indexed whole: one namespace, first-wins duplicates (AA004), and
every reference resolved or reported (AA005)."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from align_audit.codes import DUPLICATE_ID, UNKNOWN_REFERENCE
from align_audit.findings import Finding, Related
from align_audit.links import EffectLink, Link, ResolvedTradeoff, first_per_target, link
from align_audit.loading import pointer
from align_audit.model import (
    Customer,
    Declarations,
    Entry,
    Metric,
    Objective,
    Outcome,
    System,
    Tradeoff,
    Waiver,
    is_id,
)
from align_audit.model.partial import reference_names, strings_in

_KIND_PHRASE = {
    "customer": "a customer",
    "outcome": "an outcome",
    "metric": "a metric",
    "system": "a system",
    "objective": "an objective",
}


def _is_id(value: str | None) -> bool:
    return value is not None and is_id(value)


@dataclass(slots=True)
class Catalog:
    """Valid, first-declared, resolved declarations; the input of the graph and the rules."""

    declarations: Declarations
    kinds: dict[str, str] = field(default_factory=dict)
    """Every declared id (customer/metric/system namespace, plus dotted outcome/objective ids),
    valid or not, first declaration only → its kind."""
    customers: dict[str, Entry[Customer]] = field(default_factory=dict)
    outcomes: dict[str, Entry[Outcome]] = field(default_factory=dict)
    metrics: dict[str, Entry[Metric]] = field(default_factory=dict)
    systems: dict[str, Entry[System]] = field(default_factory=dict)
    objectives: dict[str, Entry[Objective]] = field(default_factory=dict)
    outcomes_of: dict[str, list[str]] = field(default_factory=dict)
    objectives_of: dict[str, list[str]] = field(default_factory=dict)
    serves: dict[str, tuple[Link, ...]] = field(default_factory=dict)
    """metric → the customers/outcomes its ``serves`` names."""
    effects: dict[str, tuple[EffectLink, ...]] = field(default_factory=dict)
    """metric → its resolved ``effects`` entries."""
    optimizes: dict[str, Link] = field(default_factory=dict)
    """objective → its metric."""
    stakeholder: dict[str, Link] = field(default_factory=dict)
    """objective → the customer or outcome it claims to serve."""
    guardrails: dict[str, tuple[Link, ...]] = field(default_factory=dict)
    """objective → guarded metrics."""
    users: dict[str, tuple[Link, ...]] = field(default_factory=dict)
    """system → its user customers."""
    priorities: list[str] = field(default_factory=list)
    decisions: list[Entry[Tradeoff]] = field(default_factory=list)
    """Valid tradeoffs, the first one per pair of metrics (resolved or not)."""
    tradeoffs: list[ResolvedTradeoff] = field(default_factory=list)
    """Decisions whose two metrics resolve."""
    waivers: list[Entry[Waiver]] = field(default_factory=list)
    """Valid waivers whose target names an entity."""
    order: dict[str, int] = field(default_factory=dict)
    """Declaration order of every node id, for deterministic tie-breaks."""
    findings: list[Finding] = field(default_factory=list)
    broken: set[str] = field(default_factory=set)
    """Declared customers/systems with errors: references below them are not reported."""
    incomplete: set[str] = field(default_factory=set)
    """Entities an input error may have changed (SPEC §6.1): left-out declarations, those with
    dropped parts, what either names, and what names a left-out declaration. Absence findings
    about them are not reported."""

    def direction(self, metric: str) -> str:
        """increase | decrease: every metric here has one (SPEC §8 leaves out those without)."""
        model = self.metrics[metric].model
        assert model is not None and model.direction is not None
        return model.direction

    def entry(self, node: str) -> Entry[Any] | None:
        """The declaration behind a node of the alignment graph (None for other ids)."""
        tables = (self.customers, self.outcomes, self.metrics, self.systems, self.objectives)
        return next((table[node] for table in tables if node in table), None)

    def customer_of(self, node: str) -> str:
        """The customer a customer or outcome node belongs to."""
        return node.split(".", 1)[0]


class _Builder:
    def __init__(self, decls: Declarations) -> None:
        self.c = Catalog(decls)
        self.first: dict[str, Entry[Any]] = {}

    # -- identity -----------------------------------------------------------------------------
    def _declare(self, entry: Entry[Any], ident: str, kind: str) -> bool:
        first = self.first.get(ident)
        if first is not None:
            self.c.findings.append(
                Finding(
                    DUPLICATE_ID,
                    f"{kind} id {ident!r} is already declared as {self.c.kinds[ident]} "
                    f"{ident!r} (line {first.id_location.line} of {first.doc.path}); "
                    "this declaration is ignored",
                    entry.id_location,
                    ident,
                    entry.doc.path + pointer(entry.keypath),
                    related=(Related(first.id_location, ident, "first declaration"),),
                    hint="rename one of them or remove the repeat",
                )
            )
            return False
        self.first[ident] = entry
        self.c.kinds[ident] = kind
        self.c.order[ident] = len(self.c.order)
        return True

    def declare_all(self) -> None:
        decls = self.c.declarations
        groups: tuple[tuple[str, list[Entry[Any]]], ...] = (
            ("customer", list(decls.customers)),
            ("metric", list(decls.metrics)),
            ("system", list(decls.systems)),
        )
        for top_kind, entries in groups:
            for entry in entries:
                if not _is_id(entry.ident):
                    continue
                assert entry.ident is not None
                if not self._declare(entry, entry.ident, top_kind):
                    continue
                if entry.model is None:
                    self.c.broken.add(entry.ident)
                self._taint(entry)
                child_kind = "outcome" if top_kind == "customer" else "objective"
                children: list[str] = []
                for child in entry.children:
                    if self._taint(child):
                        self.c.incomplete.add(entry.ident)
                    if child.ident is None or not _is_id(child.ident.split(".", 1)[1]):
                        continue
                    if not self._declare(child, child.ident, child_kind):
                        continue
                    if entry.model is not None and child.model is not None:
                        children.append(child.ident)
                        if child_kind == "outcome":
                            self.c.outcomes[child.ident] = child
                        else:
                            self.c.objectives[child.ident] = child
                if entry.model is None:
                    continue
                if top_kind == "customer":
                    self.c.customers[entry.ident] = entry
                    self.c.outcomes_of[entry.ident] = children
                elif top_kind == "metric":
                    self.c.metrics[entry.ident] = entry
                else:
                    self.c.systems[entry.ident] = entry
                    self.c.objectives_of[entry.ident] = children
        for decision in decls.tradeoffs:
            self._taint(decision)
        for waiver in decls.waivers:
            self._taint(waiver)
        for label, items in (
            ("organization", decls.organizations),
            ("priorities", [e for e, _ in decls.priorities]),
        ):
            # organization entries sit at their key; priorities belong to the file's top level
            sub = (label,) if label == "priorities" else ()
            for later in items[1:]:
                self.c.findings.append(
                    Finding(
                        DUPLICATE_ID,
                        f"{label} is already declared in {items[0].doc.path}; declare it in one "
                        "file only (this one is ignored)",
                        later.key_location(*sub),
                        label,
                        later.doc.path,
                        related=(Related(items[0].key_location(*sub), label, "first declaration"),),
                        hint=f"keep a single '{label}:' across all files",
                    )
                )

    def _taint(self, entry: Entry[Any]) -> bool:
        """Mark what an input error in ``entry`` may have changed; True when it had one."""
        if entry.model is not None and not entry.dropped:
            return False
        names = self.c.incomplete
        if entry.ident is not None:
            names.add(entry.ident)
        # What it references, kept or not: a dropped `kind` can change AA112 of the customer a
        # metric serves, a dropped effect the reach of everything the metric names.
        names.update(reference_names(_raw(entry)))
        for _, value in entry.dropped:
            names.update(strings_in(value))
        return True

    # -- references ---------------------------------------------------------------------------
    def kind_of(self, ref: str) -> str | None:
        """The kind of what ``ref`` names, or None."""
        return self.c.kinds.get(ref)

    def resolve(
        self,
        entry: Entry[Any],
        entity: str,
        ref: str,
        wanted: Iterable[str],
        sub: tuple[str | int, ...],
        what: str,
    ) -> str | None:
        """The node ``ref`` names if it is of a wanted kind and valid; else AA005 (or None
        silently when it points into a declaration that has errors of its own)."""
        wanted = tuple(wanted)
        kind = self.kind_of(ref)
        if kind in wanted:
            valid = ref in self.c.customers or ref in self.c.metrics or ref in self.c.systems
            valid = valid or ref in self.c.outcomes or ref in self.c.objectives
            if not valid:  # it names a left-out declaration
                self.c.incomplete.add(entity)
            return ref if valid else None
        if kind is None and "." in ref and ref.split(".", 1)[0] in self.c.broken:
            self.c.incomplete.add(entity)
            return None  # the parent declaration is broken: its children are unknown
        phrases = " or ".join(_KIND_PHRASE[k] for k in wanted)
        if kind is None:
            candidates = [k for k, v in self.c.kinds.items() if v in wanted]
            close = difflib.get_close_matches(ref, candidates, n=1)
            message = f"{what} {ref!r}, which is not declared"
            hint = f"did you mean {close[0]!r}?" if close else f"declare {ref!r} as {phrases}"
        else:
            message = f"{what} {ref!r}, which is {_KIND_PHRASE[kind]}, not {phrases}"
            hint = f"name {phrases} here"
        self.report_unknown(entry, entity, sub, message, hint)
        return None

    def report_unknown(
        self, entry: Entry[Any], entity: str, sub: tuple[str | int, ...], message: str, hint: str
    ) -> None:
        where = (*entry.keypath, *sub)
        self.c.findings.append(
            Finding(
                UNKNOWN_REFERENCE,
                message,
                entry.key_location(*sub) if sub and sub[0] == "effects" else entry.location(*sub),
                entity,
                pointer(where),
                hint=hint,
            )
        )

    def resolve_all(self) -> None:
        c = self.c
        for mid, entry in c.metrics.items():
            metric = entry.model
            assert metric is not None
            serves: list[Link] = []
            for i, ref in enumerate(metric.serves):
                target = self.resolve(
                    entry,
                    mid,
                    ref,
                    ("customer", "outcome"),
                    ("serves", i),
                    f"metric {mid} serves",
                )
                if target is not None:
                    serves.append(link(target, entry, "serves", i))
            c.serves[mid] = first_per_target(serves)
            effects: list[EffectLink] = []
            for key, effect in metric.effects.items():
                target = self.resolve(
                    entry,
                    mid,
                    key,
                    ("metric", "outcome", "customer"),
                    ("effects", key),
                    f"metric {mid} has an effect on",
                )
                if target is not None:
                    effects.append(EffectLink(target, effect.impact, entry, key, effect.note))
            c.effects[mid] = tuple(effects)
        self._resolve_objectives()
        self._resolve_systems()
        self._priorities()
        self._tradeoffs()
        self._waivers()

    def _resolve_objectives(self) -> None:
        c = self.c
        for oid, entry in c.objectives.items():
            objective = entry.model
            assert objective is not None
            target = self.resolve(
                entry, oid, objective.optimizes, ("metric",), ("optimizes",), f"{oid} optimizes"
            )
            if target is not None:
                c.optimizes[oid] = link(target, entry, "optimizes")
            target = self.resolve(
                entry, oid, objective.serves, ("customer", "outcome"), ("serves",), f"{oid} serves"
            )
            if target is not None:
                c.stakeholder[oid] = link(target, entry, "serves")
            guards: list[Link] = []
            for i, guard in enumerate(objective.guardrails):
                sub: tuple[str | int, ...] = ("guardrails", i)
                if entry.doc.source_map.has((*entry.keypath, *sub, "metric")):
                    sub = (*sub, "metric")
                target = self.resolve(
                    entry, oid, guard.metric, ("metric",), sub, f"{oid} has a guardrail on"
                )
                if target is not None:
                    guards.append(link(target, entry, *sub))
            c.guardrails[oid] = first_per_target(guards)

    def _resolve_systems(self) -> None:
        c = self.c
        for sid, entry in c.systems.items():
            system = entry.model
            assert system is not None
            users: list[Link] = []
            for i, ref in enumerate(system.users):
                target = self.resolve(
                    entry, sid, ref, ("customer",), ("users", i), f"system {sid} lists user"
                )
                if target is not None:
                    users.append(link(target, entry, "users", i))
            c.users[sid] = first_per_target(users)

    def _priorities(self) -> None:
        decls = self.c.declarations
        if not decls.priorities:
            return
        top, names = decls.priorities[0]
        for i, ref in enumerate(names):
            target = self.resolve(
                top, top.doc.path, ref, ("customer",), ("priorities", i), "priorities names"
            )
            if target is not None or self.kind_of(ref) == "customer":
                self.c.priorities.append(ref)

    def _tradeoffs(self) -> None:
        first: dict[frozenset[str], Entry[Tradeoff]] = {}
        for entry in self.c.declarations.tradeoffs:
            model = entry.model
            if model is None or entry.ident is None:
                continue
            pair = frozenset(model.between)
            if pair in first:
                earlier = first[pair]
                self.c.findings.append(
                    Finding(
                        DUPLICATE_ID,
                        f"{entry.ident} decides the same pair as {earlier.ident} (line "
                        f"{earlier.location().line} of {earlier.doc.path}); this one is ignored",
                        entry.location("between"),
                        entry.ident,
                        entry.doc.path + pointer(entry.keypath),
                        related=(
                            Related(earlier.location("between"), str(earlier.ident), "first"),
                        ),
                        hint="keep one decision per pair of metrics",
                    )
                )
                continue
            first[pair] = entry
            self.c.decisions.append(entry)
            resolved = [
                self.resolve(
                    entry,
                    entry.ident,
                    ref,
                    ("metric",),
                    ("between", i),
                    f"tradeoff {entry.ident} names",
                )
                for i, ref in enumerate(model.between)
            ]
            if model.prefer not in model.between:
                self.report_unknown(
                    entry,
                    entry.ident,
                    ("prefer",),
                    f"tradeoff {entry.ident} prefers {model.prefer!r}, which is neither of the "
                    f"two metrics it is between",
                    f"prefer {model.between[0]!r} or {model.between[1]!r}",
                )
                continue
            a, b = resolved
            if a is not None and b is not None:
                self.c.tradeoffs.append(ResolvedTradeoff(entry, a, b, model.prefer))

    def _waivers(self) -> None:
        c = self.c
        entities = set(c.kinds)
        entities.update(e.ident for e in c.declarations.tradeoffs if e.ident)
        entities.update(e.ident for e in c.declarations.waivers if e.ident)
        entities.update(doc.path for doc in c.declarations.documents)
        entities.update(("organization", "priorities"))
        for entry in c.declarations.waivers:
            model = entry.model
            if model is None or entry.ident is None:
                continue
            if model.target not in entities:
                close = difflib.get_close_matches(model.target, sorted(entities), n=1)
                self.report_unknown(
                    entry,
                    entry.ident,
                    ("target",),
                    f"waiver target {model.target!r} names no declared entity",
                    f"did you mean {close[0]!r}?"
                    if close
                    else "use a finding's entity (see the 'entity' field of --format json)",
                )
                continue
            c.waivers.append(entry)


def _raw(entry: Entry[Any]) -> Any:
    """The data of a declaration as parsed (for one left out of the analysis)."""
    data: Any = entry.doc.data
    for part in entry.keypath:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def build_catalog(decls: Declarations) -> Catalog:
    """Index the declarations: AA004 for repeated ids, AA005 for references naming nothing."""
    builder = _Builder(decls)
    builder.declare_all()
    builder.resolve_all()
    return builder.c
