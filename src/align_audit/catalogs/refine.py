"""Catalog metrics become metric declarations, and YAML entries refine them (SPEC §8).

Runs between validation and the catalog stage (``align_audit.catalog``), on the declarations
of every file: it reads the catalogs the files name, puts their metrics in the metric list in
the order the catalogs are named, merges each YAML metric entry that has a catalog metric's id
into it, and checks what only the whole picture tells: a metric left without a direction.
"""

from __future__ import annotations

import os
import posixpath
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from align_audit.codes import CATALOG_MISMATCH, DUPLICATE_ID, INVALID_CATALOG
from align_audit.errors import AuditError
from align_audit.findings import Finding, Related
from align_audit.loading import Document, Limits, pointer
from align_audit.loading.discovery import STDIN_NAME
from align_audit.loading.files import WORKING_TREE
from align_audit.model import CatalogRef, Declarations, Entry, Metric, validate
from align_audit.model.validation import metric_label, missing_key

if TYPE_CHECKING:
    from align_audit.catalogs.base import CatalogMetric

ReadCatalog = Callable[[str, int], bytes]
"""Reads a catalog file (its path as shown, the byte limit); raises AuditError saying why not.
The default reads the file system; ``diff`` reads git objects."""


def catalog_path(declared_in: str, path: str) -> str:
    """The catalog's path as shown: ``path`` relative to the declaring file's folder."""
    folder = "" if declared_in == STDIN_NAME else posixpath.dirname(declared_in)
    return posixpath.normpath(posixpath.join(folder, path.replace(os.sep, "/")))


def named_catalogs(documents: list[Document]) -> set[str]:
    """The paths (as shown) of the catalogs that parsed files name, before validation."""
    named: set[str] = set()
    for document in documents:
        entries = document.data.get("catalogs")
        for entry in entries if isinstance(entries, list) else ():
            if isinstance(entry, dict) and isinstance(entry.get("path"), str):
                named.add(catalog_path(document.path, entry["path"]))
    return named


def apply_catalogs(
    decls: Declarations, limits: Limits, read: ReadCatalog = WORKING_TREE.read_catalog
) -> Declarations:
    """Read every catalog the declarations name and merge its metrics into ``decls.metrics``;
    AA008, AA009 and AA004 join ``decls.findings``. A metric entry without a direction that
    refines nothing is AA002, as it always was."""
    catalog_entries = _read_catalogs(decls, limits, read)
    first_yaml: dict[str, Entry[Metric]] = {}
    for entry in decls.metrics:
        if entry.ident is not None:
            first_yaml.setdefault(entry.ident, entry)
    metrics: list[Entry[Metric]] = []
    refinements: set[int] = set()
    for entry in catalog_entries:
        assert entry.ident is not None
        refinement = first_yaml.get(entry.ident)
        if refinement is None:
            metrics.append(_unrefined(entry, decls.findings))
        else:
            refinements.add(id(refinement))
            metrics.append(_refined(entry, refinement, decls.findings))
    for entry in decls.metrics:
        if id(entry) not in refinements:
            metrics.append(_own(entry, decls.findings))
    decls.metrics = metrics
    return decls


def _read_catalogs(decls: Declarations, limits: Limits, read: ReadCatalog) -> list[Entry[Metric]]:
    """The metrics of every catalog named (each file once), first definition of an id only."""
    entries: list[Entry[Metric]] = []
    first: dict[str, Entry[Metric]] = {}
    read_already: set[str] = set()
    for ref in decls.catalogs:
        model = ref.model
        if model is None:
            continue
        shown = catalog_path(ref.doc.path, model.path)
        real = os.path.realpath(shown)
        if real in read_already:  # named by several files: one catalog
            continue
        read_already.add(real)
        try:
            data = read(shown, limits.max_file_size)
        except AuditError as exc:
            decls.findings.append(_unreadable(ref, shown, str(exc)))
            continue
        from align_audit.catalogs.importers import IMPORTERS  # only once a catalog is named

        imported = IMPORTERS[model.format].read(shown, data, limits)
        decls.catalog_documents.append(imported.document)
        decls.findings.extend(imported.findings)
        for metric in imported.metrics:
            entry = _declaration(metric, imported.document)
            earlier = first.get(metric.ident)
            if earlier is not None:
                decls.findings.append(_repeated(entry, earlier))
                continue
            first[metric.ident] = entry
            entries.append(entry)
    return entries


def _unreadable(ref: Entry[CatalogRef], shown: str, reason: str) -> Finding:
    return Finding(
        INVALID_CATALOG,
        reason,
        ref.location("path"),
        shown,
        "read",
        hint="check the path: it is relative to the file that names the catalog",
    )


def _declaration(metric: CatalogMetric, document: Document) -> Entry[Metric]:
    """A catalog metric as a metric declaration located in its catalog file."""
    model = None
    if metric.valid:
        fields: dict[str, Any] = {"id": metric.ident, "direction": metric.direction}
        for name in ("owner", "name", "description"):
            if getattr(metric, name) is not None:
                fields[name] = getattr(metric, name)
        model = validate(Metric, fields)
    return Entry("metric", metric.ident, model, document, metric.keypath)


def _repeated(entry: Entry[Metric], earlier: Entry[Metric]) -> Finding:
    assert entry.ident is not None
    return Finding(
        DUPLICATE_ID,
        f"metric id {entry.ident!r} is already defined by the catalog {earlier.doc.path} (line "
        f"{earlier.location().line}); this definition is ignored",
        entry.location(),
        entry.ident,
        entry.doc.path + pointer(entry.keypath),
        related=(Related(earlier.location(), entry.ident, "first definition"),),
        hint="define each metric in one catalog only",
    )


def _no_direction(entry: Entry[Metric], refined: bool) -> Finding:
    assert entry.ident is not None
    given = "" if refined else " and no metric entry refines it"
    return Finding(
        INVALID_CATALOG,
        f"catalog metric {entry.ident} has no direction in {entry.doc.path}{given}: the audit "
        "cannot tell which way is better",
        entry.location(),
        entry.ident,
        "direction",
        hint=f"give it a direction in the catalog, or in YAML: - {{id: {entry.ident}, "
        "direction: increase}",
    )


def _unrefined(entry: Entry[Metric], findings: list[Finding]) -> Entry[Metric]:
    if entry.model is not None and entry.model.direction is None:
        findings.append(_no_direction(entry, refined=False))
        return replace(entry, model=None)
    return entry


def _refined(
    catalog: Entry[Metric], refinement: Entry[Metric], findings: list[Finding]
) -> Entry[Metric]:
    """The catalog metric with what its YAML entry adds, located at that entry."""
    own, given = catalog.model, refinement.model
    merged: Metric | None = None
    dropped = refinement.dropped
    if own is not None and given is None:  # the refinement is unreadable (reported): taint
        merged, dropped = own, (("refinement", refinement.ident),)
    elif own is not None and given is not None:
        changes: dict[str, Any] = {}
        for key in ("direction", "owner"):
            theirs, ours = getattr(own, key), getattr(given, key)
            if theirs is not None and ours is not None and theirs != ours:
                findings.append(_mismatch(catalog, refinement, key, theirs, ours))
            changes[key] = theirs if theirs is not None else ours
        for key in ("name", "description"):  # display text: the refinement's wins
            if getattr(given, key) is None:
                changes[key] = getattr(own, key)
        merged = replace(given, **changes)
        if merged.direction is None:
            findings.append(_no_direction(catalog, refined=True))
            merged = None
    return Entry(
        "metric",
        catalog.ident,
        merged,
        refinement.doc,
        refinement.keypath,
        dropped,
        origin=catalog,
    )


def _mismatch(
    catalog: Entry[Metric], refinement: Entry[Metric], key: str, theirs: str, ours: str
) -> Finding:
    assert catalog.ident is not None
    return Finding(
        CATALOG_MISMATCH,
        f"metric {catalog.ident} declares {key} {ours!r}, but its catalog {catalog.doc.path} "
        f"says {theirs!r}; the catalog's stands",
        refinement.location(key),
        catalog.ident,
        key,
        related=(Related(catalog.location(), catalog.ident, "catalog entry"),),
        hint=f"delete '{key}:' from the metric entry, or change it in the catalog",
    )


def _own(entry: Entry[Metric], findings: list[Finding]) -> Entry[Metric]:
    """A metric declared in YAML only: its direction is required."""
    if entry.model is not None and entry.model.direction is None:
        if not any(key == "direction" for key, _ in entry.dropped):  # else reported as invalid
            label = metric_label(entry.ident)
            where = (*entry.keypath, "direction")
            findings.append(missing_key(entry.doc, where, label, entry.ident or entry.doc.path))
        return replace(entry, model=None)
    return entry
