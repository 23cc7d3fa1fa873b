"""The catalog formats (SPEC §8) by their ``format:`` name: one row per importer module."""

from __future__ import annotations

from align_audit.catalogs.base import Importer
from align_audit.catalogs.dbt import DbtImporter
from align_audit.catalogs.eppo import EppoImporter
from align_audit.catalogs.growthbook import GrowthBookImporter
from align_audit.catalogs.metric_hub import MetricHubImporter

IMPORTERS: dict[str, Importer] = {
    importer.format: importer
    for importer in (DbtImporter(), EppoImporter(), GrowthBookImporter(), MetricHubImporter())
}
"""``format:`` value → importer."""
