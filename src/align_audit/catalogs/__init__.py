"""Metric catalogs (SPEC §8): metrics defined where the organization already keeps them.

One importer module per format, chosen by name from :data:`IMPORTERS` (adding a format is one
module and one row); :func:`~align_audit.catalogs.refine.apply_catalogs` turns their metrics
into metric declarations and merges the YAML entries that refine them.
"""

from __future__ import annotations

from align_audit.catalogs.base import CatalogMetric, Imported, Importer, make_id
from align_audit.catalogs.dbt import DbtImporter
from align_audit.catalogs.eppo import EppoImporter
from align_audit.catalogs.growthbook import GrowthBookImporter
from align_audit.catalogs.metric_hub import MetricHubImporter

IMPORTERS: dict[str, Importer] = {
    importer.format: importer
    for importer in (DbtImporter(), EppoImporter(), GrowthBookImporter(), MetricHubImporter())
}
"""``format:`` value → importer."""

__all__ = ["IMPORTERS", "CatalogMetric", "Imported", "Importer", "make_id"]
