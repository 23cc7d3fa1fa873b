"""GRL quantitative forward evaluation (SPEC §2.1): the score each node reached by one
propagation gets."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from itertools import chain

from align_audit.analysis.reach import Reach


def _combined(terms: Sequence[int]) -> int:
    """A node's score from its terms: summed, clamped to ±100, and short of ±100 (at most ±90)
    unless one term is itself ±100 (SPEC §2.1)."""
    total = max(-100, min(100, sum(terms)))
    if total >= 90 and 100 not in terms:
        return 90
    if total <= -90 and -100 not in terms:
        return -90
    return total


def round_half_away(value: float) -> int:
    """Round to the nearest integer, halves away from zero (GRL/jUCMNav arithmetic)."""
    magnitude = int(abs(value) + 0.5)
    return magnitude if value >= 0 else -magnitude


def scores(
    reach: Reach,
    successors: dict[str, tuple[tuple[str, int], ...]],
    sources: dict[str, list[int]],
    targets: dict[str, tuple[str, ...]],
) -> dict[str, int]:
    """GRL quantitative forward evaluation over the reached propagated edges (SPEC §2.1):
    node → score, for the reached nodes that have one. A reached node left out has none: it
    is on a cycle or below one.

    Kahn's algorithm, pushing: a node is scored once its every reached predecessor is, and
    then passes its terms on. A node never scored is on a cycle or below one: some reached
    predecessor of it has no score, so it has none either — no strongly-connected-components
    pass is needed, and on a cyclic organization the work stops where the cycles begin. A
    node's in-degree within the reached subgraph is counted when an edge first reaches it,
    so the work is what gets scored, not what is reached (a dense organization's objectives
    reach nearly everything and score almost nothing); see :func:`_reached_in_degree`.

    ``successors``: node → (target, weight) per propagated edge; ``sources``: node → the
    declaration index of each edge's source; ``targets``: node → each edge's target."""
    start = reach.start
    in_degree = _reached_in_degree(reach, sources, targets)
    known = {start: 100 * reach.sign}
    terms: dict[str, list[int]] = {}
    pending: dict[str, int] = {}
    ready = [start]
    while ready:
        node = ready.pop()
        score = known[node]
        for target, weight in successors.get(node, ()):
            if target == start:  # edges into the start are ignored: it is not re-evaluated
                continue
            term = round_half_away(weight * score / 100)
            if term:
                terms.setdefault(target, []).append(term)
            # Parallel edges are separate terms, so each counts in the in-degree.
            left = pending.get(target)
            if left is None:
                left = in_degree(target)
            pending[target] = left = left - 1
            if not left:
                known[target] = _combined(terms.get(target, ()))
                ready.append(target)
    return known


def _reached_in_degree(
    reach: Reach, sources: dict[str, list[int]], targets: dict[str, tuple[str, ...]]
) -> Callable[[str], int]:
    """Node → the number of propagated edges into it from nodes ``reach`` reached.

    Counted per node from its sources while that costs less, in all, than the states reached;
    past that (a customer served by thousands of metrics), once for every node, from the
    out-edges of the reached nodes. Either way the cost is about the smaller of the two."""
    budget = len(reach)
    counted: Counter[str] | None = None

    def in_degree(node: str) -> int:
        nonlocal budget, counted
        if counted is None:
            these = sources[node]
            if len(these) <= budget:
                budget -= len(these)
                return reach.reached_among(these)
            counted = Counter(chain.from_iterable([targets.get(n, ()) for n in reach.nodes()]))
        return counted[node]

    return in_degree
