"""What perfectly optimizing one objective does (SPEC §2.1): each reached customer, outcome and
metric with its effect, GRL score and witness path. Read by ``impact`` and the report."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Collection

    from align_audit.analysis.core import Analysis
    from align_audit.analysis.reach import Effect

_KIND_ORDER = {"customer": 0, "outcome": 1, "metric": 2}


@dataclass(frozen=True, slots=True)
class TargetImpact:
    """One reached customer, outcome or metric."""

    target: str
    kind: str
    effect: Effect
    score: int | None
    path: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ObjectiveImpact:
    """What optimizing one objective perfectly does."""

    objective: str
    metric: str
    direction: str
    stakeholder: str | None
    effects: tuple[TargetImpact, ...]


def objective_impact(
    analysis: Analysis, objective: str, kinds: Collection[str] = tuple(_KIND_ORDER)
) -> ObjectiveImpact | None:
    """The impact of one objective on the reached nodes of ``kinds`` (None when its metric did
    not resolve). A view of customers alone skips the witness paths of every reached metric:
    in a dense organization those are most of the work."""
    catalog = analysis.catalog
    reach = analysis.objective_reach(objective)
    if reach is None:
        return None
    scores = analysis.scores(reach)
    kind_of = catalog.kinds
    effects: list[TargetImpact] = []
    # A view of customers alone asks for them only: listing all a dense organization's
    # objective reaches costs more.
    only_customers = set(kinds) == {"customer"}
    for node in analysis.reached_customers(reach) if only_customers else reach.nodes():
        kind = kind_of[node]
        if kind not in kinds:
            continue
        effect = reach.effect(node)
        assert effect is not None  # reached
        # Harm is what a workshop must see: mixed effects show their negative path.
        sign = 1 if effect == "improves" else -1
        effects.append(
            TargetImpact(node, kind, effect, scores.get(node), tuple(reach.path(node, sign)))
        )
    effects.sort(key=lambda e: (_KIND_ORDER[e.kind], catalog.order[e.target]))
    link = catalog.stakeholder.get(objective)
    model = catalog.objectives[objective].model
    metric = catalog.metrics[reach.start].model
    assert model is not None and metric is not None
    return ObjectiveImpact(
        objective,
        reach.start,
        model.direction or catalog.direction(reach.start),
        link.target if link else None,
        tuple(effects),
    )
