"""``growthbook``: GrowthBook's ``config.yml``, whose ``metrics`` and ``factMetrics`` hold the
metrics: mappings keyed by id (an entry's own ``id`` wins), or lists of entries with ``id``.

``inverse: true`` (a metric where lower is better) means decrease, else increase; ``owner``,
``name`` and ``description`` are read as they are.
"""

from __future__ import annotations

from typing import ClassVar

from align_audit.catalogs.base import CatalogMetric, Imported, Reader, Subset, read_yaml
from align_audit.loading import Limits

_SECTIONS = ("metrics", "factMetrics")


class _Metric(Subset):
    id: str | None = None
    name: str | None = None
    description: str | None = None
    owner: str | None = None
    inverse: bool = False


class GrowthBookImporter:
    """``format: growthbook``."""

    format: ClassVar[str] = "growthbook"

    def read(self, path: str, data: bytes, limits: Limits) -> Imported:
        imported = read_yaml(path, data, limits, ("datasources", "metrics", "factMetrics"))
        reader = Reader(imported)
        top = reader.top_mapping(_SECTIONS)
        if top is None:
            return imported
        for section in _SECTIONS:
            entries = top.get(section)
            if entries is None:
                continue
            if isinstance(entries, dict):
                pairs = [(key, key, raw) for key, raw in entries.items()]
            elif isinstance(entries, list):
                pairs = [(index, None, raw) for index, raw in enumerate(entries)]
            else:
                reader.problem(
                    (section,),
                    path,
                    f"catalog '{section}' is neither a mapping of metrics by id nor a list",
                    "write metrics as a mapping: id → {name, inverse, owner, ...}",
                )
                continue
            for part, key, raw in pairs:
                keypath = (section, part)
                given = raw.get("id") if isinstance(raw, dict) else None
                metric = reader.entry(_Metric, raw, keypath, given if given is not None else key)
                if metric is None:
                    continue
                ident = metric.id or str(key)
                direction = "decrease" if metric.inverse else "increase"
                imported.metrics.append(
                    CatalogMetric(
                        ident, keypath, direction, metric.owner, metric.name, metric.description
                    )
                )
        return imported
