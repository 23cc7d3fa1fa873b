"""Resolved references: a declaration's link to the node it names, kept small (a large
organization holds one per metric, effect and guardrail)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from align_audit.findings import Location, Span
from align_audit.model import Entry, Metric, Tradeoff


@dataclass(frozen=True, slots=True)
class Link:
    """A resolved reference: the node it names and where it is written."""

    target: str
    entry: Entry[Any]
    """The declaration the reference is written in."""
    where: tuple[str | int, ...]
    """Its path below the declaration (one shared tuple per path)."""

    @property
    def location(self) -> Location:
        """Where the reference is written. Made when asked for: a large organization has a
        link per metric and few are ever shown."""
        return Location(self.entry.doc.path, find=_link_span, source=self)


def _link_span(link: Link) -> Span:
    return link.entry.value_span(link.where)


_WHERE: dict[tuple[str | int, ...], tuple[str | int, ...]] = {}


def link(target: str, entry: Entry[Any], *where: str | int) -> Link:
    """A link to ``target`` written at ``where`` below ``entry``; equal paths share one tuple
    (``("serves", 0)`` is written by most metrics that serve anybody)."""
    return Link(target, entry, _WHERE.setdefault(where, where))


def first_per_target(links: list[Link]) -> tuple[Link, ...]:
    """Drop repeated references (``users: [a, a]``): they add nothing, and would otherwise
    duplicate graph edges and the findings about them. A tuple: most metrics serve nobody
    directly, and every empty one is the same object."""
    seen: set[str] = set()
    unique: list[Link] = []
    for link in links:
        if link.target not in seen:
            seen.add(link.target)
            unique.append(link)
    return tuple(unique)


@dataclass(frozen=True, slots=True)
class EffectLink:
    """A resolved ``effects`` entry."""

    target: str
    weight: int
    entry: Entry[Metric]
    """The metric it is written in."""
    key: str
    """The key it is written under (the target as written)."""
    note: str | None

    @property
    def location(self) -> Location:
        """Where the entry's key is written (made when asked for, as :attr:`Link.location`)."""
        return Location(self.entry.doc.path, find=_effect_span, source=self)


def _effect_span(effect: EffectLink) -> Span:
    return effect.entry.key_span(("effects", effect.key))


@dataclass(frozen=True, slots=True)
class ResolvedTradeoff:
    """A valid tradeoff with both metrics resolved (``a``, ``b`` in declared order)."""

    entry: Entry[Tradeoff]
    a: str
    b: str
    prefer: str

    @property
    def entity(self) -> str:
        """``tradeoff:a,b``."""
        return f"tradeoff:{self.a},{self.b}"

    @property
    def model(self) -> Tradeoff:
        """The validated tradeoff."""
        assert self.entry.model is not None
        return self.entry.model
