"""Declarations as written: each validated model with its file and position."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from align_audit.findings import Finding, Location, Span
from align_audit.loading import Document, KeyPath
from align_audit.loading.document import Cursor
from align_audit.model.declarations import (
    CatalogRef,
    Customer,
    Declaration,
    Metric,
    OrganizationInfo,
    System,
    TopLevel,
    Tradeoff,
    Waiver,
)

D = TypeVar("D", bound=Declaration)


@dataclass(slots=True)
class Entry(Generic[D]):
    """One declaration as written: its model (None when invalid) and where it is."""

    kind: str
    """customer, outcome, metric, system, objective, tradeoff, waiver, organization, priorities."""
    ident: str | None
    """Its id as written (``customer.outcome`` for nested ones); None when unreadable."""
    model: D | None
    """The validated declaration (without the parts dropped for AA002 errors), or None when it
    is left out: its id or a required field is missing or invalid."""
    doc: Document
    """The file it is in."""
    keypath: KeyPath
    """Where it is in the file."""
    dropped: tuple[tuple[str, Any], ...] = ()
    """(field, raw value) of invalid values left out of the model (SPEC §6.1)."""
    children: tuple[Entry[Any], ...] = ()
    """Outcomes of a customer, objectives of a system."""
    origin: Entry[Any] | None = None
    """The catalog metric (SPEC §8) this metric declaration refines, if any."""
    _cursor: Cursor | None = field(default=None, repr=False, compare=False)
    _id_location: Location | None = field(default=None, repr=False, compare=False)

    def _here(self) -> Cursor:
        cursor = self._cursor
        if cursor is None:
            cursor = self._cursor = self.doc.source_map.cursor(self.keypath)
        return cursor

    def location(self, *sub: str | int) -> Location:
        """Location of a value inside the declaration (the declaration itself by default);
        looked up when first read."""
        return Location(self.doc.path, find=_value_at, source=(self, sub))

    def key_location(self, *sub: str | int) -> Location:
        """Location of a key inside the declaration; looked up when first read."""
        return Location(self.doc.path, find=_key_at, source=(self, sub))

    def value_span(self, sub: tuple[str | int, ...]) -> Span:
        """Span of the value at ``sub`` below the declaration."""
        return self._here().value_span(sub)

    def key_span(self, sub: tuple[str | int, ...]) -> Span:
        """Span of the key introducing ``sub`` below the declaration."""
        return self._here().key_span(sub)

    @property
    def id_location(self) -> Location:
        """Where the id is written (the declaration itself for shorthand outcomes). One
        object per entry: many findings point at one customer or metric."""
        location = self._id_location
        if location is None:
            location = self._id_location = Location(self.doc.path, find=_id_at, source=self)
        return location


def _value_at(source: tuple[Entry[Any], tuple[str | int, ...]]) -> Span:
    entry, sub = source
    return entry.value_span(sub)


def _key_at(source: tuple[Entry[Any], tuple[str | int, ...]]) -> Span:
    entry, sub = source
    return entry.key_span(sub)


def _id_at(entry: Entry[Any]) -> Span:
    return entry.value_span(("id",))


@dataclass(slots=True)
class Declarations:
    """Everything declared across all files, in SPEC order, before identity checks."""

    documents: list[Document] = field(default_factory=list)
    customers: list[Entry[Customer]] = field(default_factory=list)
    metrics: list[Entry[Metric]] = field(default_factory=list)
    systems: list[Entry[System]] = field(default_factory=list)
    tradeoffs: list[Entry[Tradeoff]] = field(default_factory=list)
    waivers: list[Entry[Waiver]] = field(default_factory=list)
    organizations: list[Entry[OrganizationInfo]] = field(default_factory=list)
    priorities: list[tuple[Entry[TopLevel], list[str]]] = field(default_factory=list)
    catalogs: list[Entry[CatalogRef]] = field(default_factory=list)
    """The ``catalogs:`` entries of every file (SPEC §8)."""
    catalog_documents: list[Document] = field(default_factory=list)
    """The metric catalogs read, in the order first named."""
    findings: list[Finding] = field(default_factory=list)
