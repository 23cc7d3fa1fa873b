"""``eppo``: an Eppo metrics file (the YAML that ``eppo_metrics_sync`` reads).

Each entry of ``metrics`` is a metric, its ``name`` made an id (SPEC §8). Its direction is the
``desired_change`` of the fact its ``numerator`` names (a fact of the file's ``fact_sources``);
a metric's own ``desired_change``, which Eppo lets override its fact's, wins.
"""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import Field

from align_audit.catalogs.base import CatalogMetric, Imported, Reader, Subset, make_id, read_yaml
from align_audit.loading import Limits

_DIRECTIONS = ("increase", "decrease")


class _Numerator(Subset):
    fact_name: str


class _Metric(Subset):
    name: str
    description: str | None = None
    numerator: _Numerator
    desired_change: str | None = None


class _Fact(Subset):
    name: str
    desired_change: Any = None


class _Source(Subset):
    facts: list[_Fact] = Field(default_factory=list)


class EppoImporter:
    """``format: eppo``."""

    format: ClassVar[str] = "eppo"

    def read(self, path: str, data: bytes, limits: Limits) -> Imported:
        imported = read_yaml(path, data, limits, ("fact_sources", "metrics"))
        reader = Reader(imported)
        top = reader.top_mapping(("metrics",))
        if top is None:
            return imported
        changes = _desired_changes(reader, top.get("fact_sources"))
        for index, raw in enumerate(reader.metric_list(top, _HINT)):
            keypath = ("metrics", index)
            name = raw.get("name") if isinstance(raw, dict) else None
            ident = make_id(name) if isinstance(name, str) else None
            metric = reader.entry(_Metric, raw, keypath, ident)
            if metric is None:
                continue
            ident = make_id(metric.name)
            direction = metric.desired_change or changes.get(metric.numerator.fact_name)
            if direction is not None and direction not in _DIRECTIONS:
                reader.problem(
                    (*keypath, "desired_change"),
                    ident,
                    f"metric {metric.name}: desired_change must be increase or decrease, got "
                    f"{direction[:40]!r}",
                    "write desired_change: increase (or decrease)",
                    "direction",
                )
                imported.metrics.append(CatalogMetric(ident, keypath, valid=False))
                continue
            imported.metrics.append(
                CatalogMetric(ident, keypath, direction, None, metric.name, metric.description)
            )
        return imported


_HINT = "an Eppo metrics file has 'fact_sources' and 'metrics' lists"


def _desired_changes(reader: Reader, sources: object) -> dict[str, str]:
    """Fact name → its desired_change, over every fact source of the file."""
    changes: dict[str, str] = {}
    if not isinstance(sources, list):
        return changes
    for index, raw in enumerate(sources):
        label = f"fact source {index + 1}"
        source = reader.validate(_Source, raw, ("fact_sources", index), label, reader.path)
        for number, fact in enumerate(source.facts if source is not None else ()):
            if fact.desired_change in _DIRECTIONS:
                changes.setdefault(fact.name, fact.desired_change)
            elif fact.desired_change is not None:
                reader.problem(
                    ("fact_sources", index, "facts", number, "desired_change"),
                    reader.path,
                    f"fact {fact.name[:40]!r}: desired_change must be increase or decrease, "
                    f"got {str(fact.desired_change)[:40]!r}",
                    "write desired_change: increase (or decrease)",
                    "direction",
                )
    return changes
