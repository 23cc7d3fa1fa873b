"""Propagation (SPEC §2.1) and the derived facts of SPEC §2.2, computed once and shared by the
rules, ``impact`` and ``report``.

Signs are +1 / -1; a node's *effect* is the set of signs it is reached with (improves, worsens,
mixed). Every (node, sign) state is visited once, breadth-first, so cycles terminate and one
propagation costs what it reaches.
"""

from __future__ import annotations

import datetime as dt
from array import array
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Literal

from align_audit.analysis import facts
from align_audit.analysis.reach import Reach, state
from align_audit.analysis.scores import scores
from align_audit.catalog import Catalog
from align_audit.findings import Location
from align_audit.links import ResolvedTradeoff

if TYPE_CHECKING:
    import networkx as nx

    from align_audit.graph import Elements
    from align_audit.model import Entry, Tradeoff

_REL_ORDER = {"serves": 0, "effects": 1, "of": 2}
_UNLISTED = 1 << 30


@dataclass(frozen=True, slots=True)
class Conflict:
    """One ``effects`` entry of negative weight from metric ``source`` on metric ``target``."""

    source: str
    target: str
    weight: int
    location: Location


class Analysis:
    """Propagation and derived facts over one alignment graph; everything computed lazily once."""

    def __init__(self, catalog: Catalog, today: dt.date | None = None) -> None:
        self.catalog = catalog
        self.today = today or dt.date.today()
        """The audit date: stale tradeoffs are judged against it."""
        self._reach_cache: dict[tuple[str, int], Reach] = {}
        self._following: list[list[int] | None] = [None] * (2 * len(catalog.order))  # _next

    # -- judgments shared by rules and report (computed in .facts, once) ------------------------
    @cached_property
    def stale_tradeoffs(self) -> tuple[Entry[Tradeoff], ...]:
        """Decisions past their ``review_by`` date (AA201)."""
        return facts.stale_tradeoffs(self, self.today)

    @cached_property
    def obsolete_tradeoffs(self) -> tuple[ResolvedTradeoff, ...]:
        """Tradeoffs with no negative path between their metrics (AA202)."""
        return facts.obsolete_tradeoffs(self)

    @cached_property
    def precedence_overrides(self) -> tuple[facts.Override, ...]:
        """Tradeoffs that prefer against the priorities (AA203)."""
        return facts.precedence_overrides(self)

    @cached_property
    def unguarded_harm(self) -> tuple[facts.Harm, ...]:
        """Harm to a customer that no guardrail of the objective watches (AA105)."""
        return facts.unguarded_harm(self)

    @cached_property
    def misaligned_objectives(self) -> tuple[str, ...]:
        """Objectives that do not reach their claimed stakeholder with sign + (AA104)."""
        return facts.misaligned_objectives(self)

    @cached_property
    def unbalanced_scorecards(self) -> dict[str, str]:
        """Customer → its only declared metric kind (AA112)."""
        return facts.unbalanced_scorecards(self)

    # -- propagation ---------------------------------------------------------------------------
    @cached_property
    def successors(self) -> dict[str, tuple[tuple[str, int], ...]]:
        """Propagated out-edges of every node (SPEC §2: ``of``, ``serves``, ``effects``):
        (target, weight), ordered by the target's declaration order, then ``serves`` before
        ``effects``. Read from the catalog: the rules never need the networkx graph."""
        catalog, order = self.catalog, self.catalog.order
        succ: dict[str, tuple[tuple[str, int], ...]] = {}
        for customer in catalog.customers:
            for outcome in catalog.outcomes_of[customer]:
                succ[outcome] = ((customer, 100),)
        serves, effects = _REL_ORDER["serves"], _REL_ORDER["effects"]
        for metric in catalog.metrics:
            # One edge per (target, relation), as in the graph; the last weight written wins.
            edges = {(link.target, serves): 100 for link in catalog.serves[metric]}
            for effect in catalog.effects[metric]:
                edges[effect.target, effects] = effect.weight
            if edges:
                keys = sorted(edges, key=lambda key: (order[key[0]], key[1]))
                succ[metric] = tuple([(target, edges[target, rel]) for target, rel in keys])
        return succ

    @cached_property
    def numbered(self) -> list[str]:
        """Every declared node id by declaration order (``catalog.order[numbered[i]] == i``):
        how graph passes over integers (Tarjan's) number nodes, with no table of their own."""
        return list(self.catalog.order)

    @cached_property
    def graph(self) -> nx.MultiDiGraph:
        """The networkx alignment graph (SPEC §2), for the API: nothing of ours reads it."""
        from align_audit.graph import build_graph

        return build_graph(self.catalog)

    @cached_property
    def elements(self) -> Elements:
        """The graph's nodes and edges as plain data: what the diagrams and exports read."""
        from align_audit.graph import Elements

        return Elements.of(self.catalog)

    @cached_property
    def _state_names(self) -> list[str]:
        """State → its node: each declared node twice, sign + then sign -."""
        return [node for node in self.catalog.order for _ in (0, 1)]

    def successor_states(self, source: int) -> list[int]:
        """The states ``source``'s propagated edges lead to (states as :func:`.reach.state`
        makes them), made anew: the served-customers pass visits every state once or twice and
        keeps none."""
        order, names, flip = self.catalog.order, self.numbered, source & 1
        return [
            2 * order[target] + (flip if weight > 0 else flip ^ 1)
            for target, weight in self.successors.get(names[source >> 1], ())
        ]

    def _next(self, source: int) -> list[int]:
        """:meth:`successor_states`, made when a propagation first leaves ``source`` and kept,
        so states no propagation reaches cost nothing (most of a large organization's
        metrics)."""
        following = self._following[source] = self.successor_states(source)
        return following

    def propagate(self, start: str, sign: int = 1) -> Reach:
        """Breadth-first propagation from ``start`` (a declared node) pushed with ``sign``
        (cached)."""
        cached = self._reach_cache.get((start, sign))
        if cached is not None:
            return cached
        first = state(self.catalog.order[start], sign)
        following, make = self._following, self._next
        parent = {first: -1}
        queue = [first]  # in the order states are first reached, as the witness tree is
        for here in queue:
            nexts = following[here]
            for nxt in make(here) if nexts is None else nexts:
                if nxt not in parent:
                    parent[nxt] = here
                    queue.append(nxt)
        reach = Reach(start, sign, parent, self.catalog.order, self._state_names)
        self._reach_cache[start, sign] = reach
        return reach

    def reached_customers(self, reach: Reach, sign: int | None = None) -> list[str]:
        """Customers the propagation reaches with ``sign`` (with either sign when None), in
        declaration order (cost: what was reached or the number of customers, whichever is
        fewer)."""
        customers, order = self.catalog.customers, self.catalog.order
        candidates = customers if len(customers) < len(reach) else reach.masks
        if sign is None:
            found = [n for n in candidates if n in customers and reach.effect(n) is not None]
        else:
            found = [n for n in candidates if n in customers and reach.reaches(n, sign)]
        return sorted(found, key=order.__getitem__)

    def objective_sign(self, objective: str) -> int | None:
        """+1 when the objective pushes its metric in the metric's direction, -1 against it."""
        link = self.catalog.optimizes.get(objective)
        if link is None:
            return None
        model = self.catalog.objectives[objective].model
        assert model is not None
        own = self.catalog.direction(link.target)
        return 1 if (model.direction or own) == own else -1

    def objective_reach(self, objective: str) -> Reach | None:
        """The propagation of an objective (None when its metric did not resolve)."""
        sign = self.objective_sign(objective)
        if sign is None:
            return None
        return self.propagate(self.catalog.optimizes[objective].target, sign)

    def stakeholder_customer(self, objective: str) -> str | None:
        """The customer an objective serves, or the customer owning the outcome it serves."""
        link = self.catalog.stakeholder.get(objective)
        return None if link is None else self.catalog.customer_of(link.target)

    # -- scores ---------------------------------------------------------------------------------
    def scores(self, reach: Reach) -> dict[str, int]:
        """GRL quantitative forward evaluation over the reached propagated edges (SPEC §2.1):
        node → score, for the reached nodes that have one (see :func:`.scores.scores`)."""
        return scores(reach, self.successors, self._sources, self._targets)

    @cached_property
    def _sources(self) -> dict[str, list[int]]:
        """Node → the declaration index of the source of each propagated edge into it (one
        per edge, as :attr:`successors` lists them)."""
        order = self.catalog.order
        sources: dict[str, list[int]] = {}
        for node, edges in self.successors.items():
            index = order[node]
            for target, _ in edges:
                sources.setdefault(target, []).append(index)
        return sources

    @cached_property
    def _targets(self) -> dict[str, tuple[str, ...]]:
        """Node → the target of each of its propagated out-edges."""
        return {node: tuple([t for t, _ in edges]) for node, edges in self.successors.items()}

    # -- derived facts ----------------------------------------------------------------------------
    @cached_property
    def served_customers(self) -> dict[str, frozenset[str]]:
        """Metric → customers its propagation (sign +) reaches with sign + (SPEC §2.2)."""
        return _served_customers(self.catalog, self.successor_states, self.numbered)

    @cached_property
    def measured_directly(self) -> dict[str, list[str]]:
        """Customer or outcome → metrics whose ``serves`` names it, in declaration order."""
        return self._serving(lambda target: target)

    @cached_property
    def measured_for(self) -> dict[str, list[str]]:
        """Customer → metrics measured for it or for any of its outcomes (declaration order)."""
        return self._serving(self.catalog.customer_of)

    def _serving(self, key: Callable[[str], str]) -> dict[str, list[str]]:
        """``key(target)`` of every ``serves`` link → its metrics, each once, in order."""
        found: dict[str, dict[str, None]] = {}  # ordered sets: a large customer has many metrics
        for metric, links in self.catalog.serves.items():
            for link in links:
                found.setdefault(key(link.target), {})[metric] = None
        return {name: list(metrics) for name, metrics in found.items()}

    def measured_customers(self, metric: str) -> set[str]:
        """Customers a metric is measured for."""
        return {self.catalog.customer_of(link.target) for link in self.catalog.serves[metric]}

    @cached_property
    def rank(self) -> dict[str, int]:
        """Customer → index in ``priorities`` (0 = highest); unlisted customers are absent."""
        ranks: dict[str, int] = {}
        for index, customer in enumerate(self.catalog.priorities):
            ranks.setdefault(customer, index)
        return ranks

    def outranks(self, a: str, b: str) -> bool:
        """A is listed and B is not, or both are listed and A comes first."""
        return self.rank.get(a, _UNLISTED) < self.rank.get(b, _UNLISTED)

    def all_outrank(self, group: Iterable[str], others: Iterable[str]) -> bool:
        """Every customer of a non-empty ``group`` outranks every one of non-empty ``others``."""
        if not self.rank:  # no priorities: nobody outranks anybody
            return False
        group_ranks = [self.rank.get(c, _UNLISTED) for c in group]
        other_ranks = [self.rank.get(c, _UNLISTED) for c in others]
        if not group_ranks or not other_ranks:
            return False
        return max(group_ranks) < min(other_ranks)

    @cached_property
    def tradeoff_for(self) -> dict[frozenset[str], ResolvedTradeoff]:
        """Unordered metric pair → the first tradeoff that names it."""
        pairs: dict[frozenset[str], ResolvedTradeoff] = {}
        for tradeoff in self.catalog.tradeoffs:
            pairs.setdefault(frozenset((tradeoff.a, tradeoff.b)), tradeoff)
        return pairs

    @cached_property
    def conflicts(self) -> list[Conflict]:
        """Every ``effects`` entry of negative weight from a metric on a metric."""
        metrics = self.catalog.metrics
        return [
            Conflict(source, effect.target, effect.weight, effect.location)
            for source, effects in self.catalog.effects.items()
            for effect in effects
            if effect.weight < 0 and effect.target in metrics
        ]

    def precedence_decides(self, m: str, n: str) -> bool:
        """Both metrics serve customers and all of one's outrank all of the other's."""
        served_m = self.served_customers.get(m, frozenset())
        served_n = self.served_customers.get(n, frozenset())
        return self.all_outrank(served_m, served_n) or self.all_outrank(served_n, served_m)

    def resolution(self, m: str, n: str) -> Literal["tradeoff", "precedence"] | None:
        """How a conflict between metrics m and n is resolved, if it is (SPEC §2.2)."""
        if frozenset((m, n)) in self.tradeoff_for:
            return "tradeoff"
        if self.precedence_decides(m, n):
            return "precedence"
        return None

    def objectives_resolved(self, a: str, b: str) -> bool:
        """Two objectives of one system are resolved by a tradeoff or by precedence."""
        metric_a = self.catalog.optimizes.get(a)
        metric_b = self.catalog.optimizes.get(b)
        if (
            metric_a
            and metric_b
            and frozenset((metric_a.target, metric_b.target)) in (self.tradeoff_for)
        ):
            return True
        ca, cb = self.stakeholder_customer(a), self.stakeholder_customer(b)
        if ca is None or cb is None:
            return False
        return self.outranks(ca, cb) or self.outranks(cb, ca)


def strongly_connected(
    roots: Iterable[int], successors: Callable[[int], list[int]], size: int
) -> Iterator[dict[int, list[int]]]:
    """Strongly connected components of the integer nodes reachable from ``roots``
    (iterative Tarjan), each yielded after every component it reaches, sinks first, as
    member → its successors: callers walk the edges again, and a node's successors are
    kept only while it waits on the stack."""
    # Arrays, not lists: a list holds an int object per visited node (a million at 1M).
    index = array("q", [-1]) * size
    low = array("q", bytes(8 * size))
    on_stack = bytearray(size)
    stack: list[int] = []
    kept: dict[int, list[int]] = {}  # the successors of the nodes on the stack
    counter = 0
    for root in roots:
        if index[root] != -1:
            continue
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack[root] = 1
        kept[root] = successors(root)
        work = [(root, iter(kept[root]))]
        while work:
            node, children = work[-1]
            for child in children:
                if index[child] == -1:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack[child] = 1
                    kept[child] = successors(child)
                    work.append((child, iter(kept[child])))
                    break
                if on_stack[child] and index[child] < low[node]:
                    low[node] = index[child]
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    if low[node] < low[parent]:
                        low[parent] = low[node]
                if low[node] == index[node]:
                    component = {}
                    while True:
                        member = stack.pop()
                        on_stack[member] = 0
                        component[member] = kept.pop(member)
                        if member == node:
                            break
                    yield component


def _served_customers(
    catalog: Catalog, state_successors: Callable[[int], list[int]], names: list[str]
) -> dict[str, frozenset[str]]:
    """For every metric, the customers reached with + from (metric, +).

    One pass over the (node, sign) state graph — state ``2 * i`` is node ``i`` reached with +,
    ``2 * i + 1`` with - — unioning reach sets over its strongly connected components, sinks
    first: linear in the graph times the (small) number of customers per set, instead of one
    propagation per metric.
    """
    # Nodes are numbered by declaration order (``names``): every node here is declared.
    order = catalog.order
    customers = catalog.customers
    empty: frozenset[str] = frozenset()
    reach: list[frozenset[str]] = [empty] * (2 * len(names))  # by state; a list, not a dict
    roots = [2 * order[m] for m in catalog.metrics]
    for component in strongly_connected(roots, state_successors, 2 * len(names)):
        shared: frozenset[str] | None = None  # the one non-empty set below, while unique
        collected: set[str] | None = None  # the union, once there is more than one
        for member, children in component.items():
            if not member & 1 and names[member >> 1] in customers:
                collected = (collected or set(shared or ())) | {names[member >> 1]}
            for child in children:
                if child in component:
                    continue
                below = reach[child]
                if not below or below is shared:
                    continue
                if collected is None and shared is None:
                    shared = below
                else:
                    collected = (collected or set(shared or ())) | below
        # Sharing the one set below (when there is just one) keeps memory small.
        result = frozenset(collected) if collected is not None else shared or empty
        for member in component:
            reach[member] = result
    return {m: reach[2 * order[m]] for m in catalog.metrics}
