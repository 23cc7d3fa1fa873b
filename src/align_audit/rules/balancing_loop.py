"""AA111 balancing-loop."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator

from align_audit.analysis import strongly_connected
from align_audit.findings import Finding, Severity
from align_audit.links import EffectLink
from align_audit.rules.base import AuditContext, Rule, arrow


def _negative_cycle(
    start: str, members: set[str], effects: dict[str, tuple[EffectLink, ...]]
) -> list[str] | None:
    """A simple cycle of net negative sign through the component, or None when all are positive.

    (start, +) reaching (start, -) inside a strongly connected set is exactly the existence of a
    negative closed walk; splitting that walk into simple cycles yields a negative one.
    """
    parent: dict[tuple[str, int], tuple[str, int] | None] = {(start, 1): None}
    queue = deque([(start, 1)])
    while queue and (start, -1) not in parent:
        node, sign = queue.popleft()
        for effect in effects.get(node, ()):
            if effect.target not in members:
                continue
            state = (effect.target, sign if effect.weight > 0 else -sign)
            if state not in parent:
                parent[state] = (node, sign)
                queue.append(state)
    if (start, -1) not in parent:
        return None
    walk: list[tuple[str, int]] = []
    cursor: tuple[str, int] | None = (start, -1)
    while cursor is not None:
        walk.append(cursor)
        cursor = parent[cursor]
    walk.reverse()  # (start,+) ... (start,-): signs are cumulative
    # Split into simple cycles: a repeated node closes a cycle whose sign is the ratio of the
    # cumulative signs at its two visits.
    stack: list[tuple[str, int]] = []
    position: dict[str, int] = {}
    for node, sign in walk:
        if node in position:
            i = position[node]
            cycle_sign = stack[i][1] * sign
            cycle = [n for n, _ in stack[i:]] + [node]
            if cycle_sign < 0:
                return cycle
            for n, _ in stack[i + 1 :]:
                del position[n]
            del stack[i + 1 :]
            continue
        position[node] = len(stack)
        stack.append((node, sign))
    return None  # unreachable: the product of the cycles' signs is negative


class BalancingLoop(Rule):
    """A strongly connected set of metrics (through `effects`) contains a cycle of net negative
    sign: optimizing anywhere in it limits itself.

    Why: in a balancing loop, pushing one metric eventually pushes it back (more occupancy, more
    attrition, fewer agents, less occupancy). Such loops are real and often healthy, but an AI
    optimizing inside one oscillates or stalls; the loop deserves a name in the workshop. One
    finding per strongly connected set, at its smallest metric id.

    Fires:
        ```yaml
        customers:
          - {id: shareholder, role: shareholder}
        metrics:
          - id: agent_occupancy
            direction: increase
            serves: shareholder
            effects: {agent_attrition: hurts}
          - id: agent_attrition
            direction: decrease
            serves: shareholder
            effects: {agent_occupancy: helps}
        ```

    Passes:
        ```yaml
        customers:
          - {id: shareholder, role: shareholder}
        metrics:
          - id: agent_occupancy
            direction: increase
            serves: shareholder
            effects: {agent_attrition: hurts}
          - {id: agent_attrition, direction: decrease, serves: shareholder}
        ```
    """

    code = "AA111"
    name = "balancing-loop"
    severity = Severity.INFO

    def check(self, ctx: AuditContext) -> Iterator[Finding]:
        catalog = ctx.catalog
        metrics, effects, order = catalog.metrics, catalog.effects, catalog.order
        names = ctx.analysis.numbered

        def following(i: int) -> list[int]:
            return [order[e.target] for e in effects.get(names[i], ()) if e.target in metrics]

        roots = [order[metric] for metric in metrics]
        for members in strongly_connected(roots, following, len(names)):
            if len(members) == 1 and not any(i in children for i, children in members.items()):
                continue  # a single metric without a loop on itself
            component = {names[i] for i in members}
            first = min(component)
            cycle = _negative_cycle(first, component, effects)
            if cycle is None:
                continue
            yield Finding(
                self.code,
                f"metrics {', '.join(sorted(component))} form a balancing loop: "
                f"{arrow(cycle)} has a net negative sign, so optimizing there limits itself",
                metrics[first].id_location,
                first,
                trace=tuple(cycle),
                hint="name the loop and decide which metric anchors it (a tradeoff), or "
                "guard the objectives inside it",
            )
