"""What one propagation reaches (SPEC §2.1): its states, the witness tree of shortest paths,
and the effect on each node."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Literal

Effect = Literal["improves", "worsens", "mixed"]

_PLUS, _MINUS = 1, 2  # bits of a node's sign mask


def state(index: int, sign: int) -> int:
    """The (node, sign) state of the node at declaration ``index`` as one integer: twice the
    index, plus 1 for sign -. Integers hash for free, so a dense organization's millions of
    visits cost half what (node, sign) tuples did."""
    return 2 * index + (sign < 0)


class Reach:
    """What optimizing one metric in one direction reaches (SPEC §2.1), over states made by
    :func:`state`."""

    __slots__ = ("_index", "_masks", "_names", "_parent", "sign", "start")

    def __init__(
        self,
        start: str,
        sign: int,
        parent: dict[int, int],
        index: Mapping[str, int],
        names: Sequence[str],
    ) -> None:
        self.start = start
        """The metric pushed."""
        self.sign = sign
        """+1 when pushed toward its direction, -1 against it."""
        self._parent = parent  # witness tree: state → the state first reached from (-1: start)
        self._index = index  # node → declaration index
        self._names = names  # state → node
        self._masks: dict[str, int] | None = None

    def _state(self, node: str, sign: int) -> int:
        index = self._index.get(node)
        return -1 if index is None else state(index, sign)

    @property
    def masks(self) -> dict[str, int]:
        """Reached node → bit mask of signs (1 = +, 2 = -), in the order nodes were first
        reached; made when first asked for (the rules ask states, not masks)."""
        if self._masks is None:
            names, states = self._names, self._parent
            masks = dict.fromkeys(map(names.__getitem__, states), _PLUS)
            minus = [names[s] for s in states if s & 1]
            if minus:
                plus = {names[s] for s in states if not s & 1}
                masks.update({n: _PLUS | _MINUS if n in plus else _MINUS for n in minus})
            self._masks = masks
        return self._masks

    def __len__(self) -> int:
        """The number of (node, sign) states reached."""
        return len(self._parent)

    def effect(self, node: str) -> Effect | None:
        """improves / worsens / mixed, or None when not reached."""
        index = self._index.get(node)
        if index is None:
            return None
        parent = self._parent
        plus, minus = state(index, 1) in parent, state(index, -1) in parent
        if plus:
            return "mixed" if minus else "improves"
        return "worsens" if minus else None

    def reached_among(self, indices: Iterable[int]) -> int:
        """How many of the nodes at these declaration indices are reached, with either sign
        (repeats counted)."""
        parent = self._parent
        # state(i, 1) and state(i, -1), inlined: scores count in-degrees with it.
        return sum(1 for i in indices if 2 * i in parent or 2 * i + 1 in parent)

    def reaches(self, node: str, sign: int) -> bool:
        """Whether ``node`` is reached with ``sign`` (alone or as part of mixed)."""
        return self._state(node, sign) in self._parent

    def path(self, node: str, sign: int) -> list[str]:
        """The shortest witness path (ids) to ``node`` reached with ``sign``; [] if not reached."""
        state, parent, names = self._state(node, sign), self._parent, self._names
        if state not in parent:
            return []
        ids: list[str] = []
        while state >= 0:
            ids.append(names[state])
            state = parent[state]
        ids.reverse()
        return ids

    def nodes(self) -> Iterator[str]:
        """Reached nodes, in the order they were first reached."""
        return iter(self.masks)
