"""A deliberately naive reference model of SPEC §2.1, §2.2 and the AA1xx/AA2xx rules.

Written straight from the spec's sentences, with no concern for speed (one propagation per
metric, loops over all pairs), for valid organizations only. The differential test compares
it with the real engine on random organizations.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict, deque
from typing import Any

import networkx as nx

from align_audit.analysis import round_half_away

IMPACTS = {"makes": 100, "helps": 25, "hurts": -25, "breaks": -100}
Key = tuple[str, ...]


def _impact(value: Any) -> int:
    if isinstance(value, dict):
        value = value["impact"]
    return IMPACTS[value] if isinstance(value, str) else int(value)


def _as_list(value: Any) -> list[str]:
    return [value] if isinstance(value, str) else list(value or [])


def reference_findings(org: dict[str, Any], today: dt.date) -> Counter[Key]:
    """(code, entity[, detail]) of every AA1xx/AA2xx finding, before waivers."""
    customers = {c["id"]: c for c in org.get("customers", [])}
    outcomes = {
        c["id"]: [o if isinstance(o, str) else o["id"] for o in c.get("outcomes", [])]
        for c in customers.values()
    }
    metrics = {m["id"]: m for m in org.get("metrics", [])}
    priorities = list(org.get("priorities", []))

    # The propagated edges of SPEC §2: of, serves, effects.
    edges: defaultdict[str, list[tuple[str, int]]] = defaultdict(list)
    for c, outs in outcomes.items():
        for o in outs:
            edges[f"{c}.{o}"].append((c, 100))
    for m in metrics.values():
        for target in _as_list(m.get("serves")):
            edges[m["id"]].append((target, 100))
        for target, value in (m.get("effects") or {}).items():
            edges[m["id"]].append((target, _impact(value)))

    def reach(start: str, sign: int) -> dict[str, set[int]]:
        seen = {(start, sign)}
        queue = deque([(start, sign)])
        while queue:
            node, s = queue.popleft()
            for target, weight in edges[node]:
                state = (target, s if weight > 0 else -s)
                if state not in seen:
                    seen.add(state)
                    queue.append(state)
        signs: defaultdict[str, set[int]] = defaultdict(set)
        for node, s in seen:
            signs[node].add(s)
        return signs

    served = {m: {c for c in customers if 1 in reach(m, 1)[c]} for m in metrics}
    direct: defaultdict[str, set[str]] = defaultdict(set)  # customer/outcome -> metrics
    measured: defaultdict[str, set[str]] = defaultdict(set)  # customer -> metrics
    for m in metrics.values():
        for target in _as_list(m.get("serves")):
            direct[target].add(m["id"])
            measured[target.split(".")[0]].add(m["id"])

    def outranks(a: str, b: str) -> bool:
        return a in priorities and (
            b not in priorities or priorities.index(a) < priorities.index(b)
        )

    def all_outrank(group: set[str], others: set[str]) -> bool:
        return bool(group and others) and all(outranks(a, b) for a in group for b in others)

    tradeoffs = org.get("tradeoffs", [])
    decided = {frozenset(t["between"]) for t in tradeoffs}
    found: Counter[Key] = Counter()

    for m in metrics:
        if not served[m]:
            found["AA101", m] += 1
    for m in metrics.values():
        for n, value in (m.get("effects") or {}).items():
            if n not in metrics or _impact(value) >= 0:
                continue
            pair = frozenset((m["id"], n))
            if (
                pair in decided
                or all_outrank(served[m["id"]], served[n])
                or all_outrank(served[n], served[m["id"]])
            ):
                continue
            owners = (m.get("owner"), metrics[n].get("owner"))
            common = {c for c in customers if m["id"] in measured[c] and n in measured[c]}
            competing = all(owners) and owners[0] != owners[1] and common
            found["AA109" if competing else "AA102", m["id"], n] += 1

    for system in org.get("systems", []):
        objectives = {}
        for o in system.get("objectives", []):
            oid = f"{system['id']}.{o['id']}"
            metric = metrics[o["optimizes"]]
            direction = o.get("direction", metric["direction"])
            sign = 1 if direction == metric["direction"] else -1
            signs = reach(metric["id"], sign)
            stakeholder = o["serves"].split(".")[0]
            objectives[oid] = (metric["id"], sign, signs, stakeholder)
            if 1 not in signs[o["serves"]]:
                found["AA104", oid] += 1
            if not o.get("guardrails"):
                found["AA106", oid] += 1
            if direction != metric["direction"]:
                found["AA110", oid] += 1
            guards = {g if isinstance(g, str) else g["metric"] for g in o.get("guardrails", [])}
            for c in customers:
                if -1 not in signs[c]:
                    continue
                harmed = [f"{c}.{x}" for x in outcomes[c] if -1 in signs[f"{c}.{x}"]]
                if any(guards & direct[x] for x in (c, *harmed)):
                    continue
                level = "warning" if outranks(stakeholder, c) else "error"
                found["AA105", oid, c, level] += 1
        for a, (_, _, signs_a, stake_a) in objectives.items():
            for b, (metric_b, sign_b, _, stake_b) in objectives.items():
                if a == b or -sign_b not in signs_a[metric_b]:
                    continue
                pair = frozenset((objectives[a][0], metric_b))
                if pair in decided or outranks(stake_a, stake_b) or outranks(stake_b, stake_a):
                    continue
                found["AA103", a, b] += 1
        stakes = {v[3] for v in objectives.values()}
        for user in _as_list(system.get("users")):
            if user not in stakes:
                found["AA113", system["id"], user] += 1

    for c, customer in customers.items():
        if not measured[c]:
            level = "error" if customer["role"] == "regulator" else "warning"
            found["AA107", c, level] += 1
            continue
        if any(direct[f"{c}.{o}"] for o in outcomes[c]):
            for o in outcomes[c]:
                if not direct[f"{c}.{o}"]:
                    found["AA108", f"{c}.{o}"] += 1
        kinds = {metrics[m].get("kind") for m in measured[c]} - {None}
        if len(kinds) == 1:
            found["AA112", c] += 1

    loops = nx.DiGraph()
    for m in metrics.values():
        for n, value in (m.get("effects") or {}).items():
            if n in metrics:
                loops.add_edge(m["id"], n, sign=1 if _impact(value) > 0 else -1)
    for component in nx.strongly_connected_components(loops):
        cycles = nx.simple_cycles(loops.subgraph(component))
        for cycle in cycles:
            product = 1
            for u, v in zip(cycle, [*cycle[1:], cycle[0]], strict=True):
                product *= loops[u][v]["sign"]
            if product < 0:
                found["AA111", min(component)] += 1
                break

    for t in tradeoffs:
        a, b = t["between"]
        entity = f"tradeoff:{a},{b}"
        review = t.get("review_by")
        if review is not None and dt.date.fromisoformat(str(review)) < today:
            found["AA201", entity] += 1
        if -1 not in reach(a, 1)[b] and -1 not in reach(b, 1)[a]:
            found["AA202", entity] += 1
        other = b if t["prefer"] == a else a
        if all_outrank(served[other], served[t["prefer"]]):
            found["AA203", entity] += 1
    return found


def reference_scores(
    successors: dict[str, tuple[tuple[str, int], ...]], reached: list[str], start: str, sign: int
) -> dict[str, int | None]:
    """SPEC §2.1's score, sentence by sentence, over a networkx multigraph of the reached
    propagated edges (``successors``: node → (target, weight) per edge)."""
    graph: nx.MultiDiGraph = nx.MultiDiGraph()
    graph.add_nodes_from(reached)
    for node in reached:
        for target, weight in successors.get(node, ()):
            if target != start:  # edges into the start are ignored
                graph.add_edge(node, target, weight=weight)
    on_cycle = {
        node
        for component in nx.strongly_connected_components(graph)
        for node in component
        if len(component) > 1 or graph.has_edge(node, node)
    }
    unscored = set(on_cycle)
    for node in on_cycle:
        unscored |= nx.descendants(graph, node)
    values: dict[str, int | None] = dict.fromkeys(reached)
    values[start] = 100 * sign
    acyclic = graph.subgraph(n for n in reached if n not in unscored)
    for node in nx.topological_sort(acyclic):
        if node == start:
            continue
        terms = [
            term
            for source, _, weight in graph.in_edges(node, data="weight")
            if (term := round_half_away(weight * values[source] / 100))  # type: ignore[operator]
        ]
        total = max(-100, min(100, sum(terms)))
        if total >= 90 and 100 not in terms:
            total = 90
        if total <= -90 and -100 not in terms:
            total = -90
        values[node] = total
    return values
