"""The loader's state while a collection is being built: one frame per open mapping or
sequence (where it sits, what it holds, its spans, and the key whose value comes next)."""

from __future__ import annotations

from array import array
from typing import Any

from align_audit.loading.document import KeyPath


class Frame:
    """A collection being built: where it sits, what it holds, its spans, and (for mappings)
    the key whose value comes next."""

    __slots__ = (
        "anchor",
        "container",
        "discard",
        "discard_value",
        "first_keys",
        "is_map",
        "key",
        "key_span",
        "keypath",
        "merge",
        "merges",
        "refused",
        "repeats",
        "spans",
        "start",
        "start_count",
    )

    def __init__(
        self,
        is_map: bool,
        keypath: KeyPath,
        start: Any,
        count: int,
        anchor: str | None,
        discard: bool,
        typecode: str,
    ) -> None:
        self.is_map = is_map
        self.container: Any = {} if is_map else []
        self.keypath = keypath
        self.start = start
        self.start_count = count
        self.anchor = anchor
        self.discard = discard  # built but never stored in the data: no spans kept
        self.spans: array[int] = array(typecode)
        self.key: str | None = None  # pending mapping key (None: a key comes next)
        self.key_span: tuple[int, int] = (0, 0)
        self.discard_value = False
        self.merge = False
        self.merges: list[tuple[Any, tuple[int, int], tuple[int, int, int]]] = []
        self.first_keys: dict[str, tuple[int, int]] = {}  # key -> its packed span
        self.repeats: dict[str, int] = {}
        self.refused = False

    def child_keypath(self) -> KeyPath:
        """The key path of the next node inside this collection."""
        if not self.is_map:
            return (*self.keypath, len(self.container))
        return (*self.keypath, self.key if self.key is not None else "?")

    def child_discarded(self) -> bool:
        """Whether the next node inside this collection is thrown away."""
        return self.discard or (
            self.is_map and (self.key is None or self.discard_value or self.merge)
        )


def marks(event: Any) -> tuple[int, int]:
    """An event's start and end as character offsets."""
    return event.start_mark.index, event.end_mark.index
