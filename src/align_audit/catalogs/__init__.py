"""Metric catalogs (SPEC §8): metrics defined where the organization already keeps them.

One importer module per format, chosen by name from
:data:`~align_audit.catalogs.importers.IMPORTERS` (adding a format is one module and one row);
:func:`~align_audit.catalogs.refine.apply_catalogs` turns their metrics into metric declarations
and merges the YAML entries that refine them. The formats' modules are imported only when a
file names a catalog: an audit without one never needs them.
"""

from __future__ import annotations

from align_audit.catalogs.base import CatalogMetric, Imported, Importer, make_id

__all__ = ["CatalogMetric", "Imported", "Importer", "make_id"]
