"""``dbt``: the compiled semantic manifest of the dbt semantic layer (MetricFlow),
``target/semantic_manifest.json``.

Each entry of its ``metrics`` list is a metric: ``name`` is its id, ``label`` and
``description`` its display text, and ``config.meta`` (or the older ``meta``) may carry
``direction`` and ``owner``.
"""

from __future__ import annotations

import json
from typing import Any, ClassVar

from align_audit.catalogs.base import (
    CatalogMetric,
    Imported,
    Reader,
    Subset,
    SyntaxProblem,
    read_text,
)
from align_audit.catalogs.positions import JsonMap
from align_audit.loading import Limits


class _Meta(Subset):
    direction: Any = None
    owner: Any = None


class _Config(Subset):
    meta: _Meta | None = None


class _Metric(Subset):
    name: str
    label: str | None = None
    description: str | None = None
    config: _Config | None = None
    meta: _Meta | None = None


class DbtImporter:
    """``format: dbt``."""

    format: ClassVar[str] = "dbt"

    def read(self, path: str, data: bytes, limits: Limits) -> Imported:
        hint = "re-create it with `dbt parse` (it writes target/semantic_manifest.json)"
        imported = read_text(path, data, limits, _parse, "JSON", hint)
        reader = Reader(imported)
        top = reader.top_mapping(("metrics",))
        metrics = reader.metric_list(top, _HINT) if top is not None else []
        for index, raw in enumerate(metrics):
            keypath = ("metrics", index)
            name = raw.get("name") if isinstance(raw, dict) else None
            metric = reader.entry(_Metric, raw, keypath, name)
            if metric is None:
                continue
            meta = metric.config.meta if metric.config and metric.config.meta else None
            fallback = metric.meta
            reported = len(imported.findings)
            direction = _field(reader, "direction", meta, fallback, keypath, metric.name)
            owner = _field(reader, "owner", meta, fallback, keypath, metric.name)
            if len(imported.findings) > reported:  # a malformed direction or owner
                imported.metrics.append(CatalogMetric(metric.name, keypath, valid=False))
                continue
            imported.metrics.append(
                CatalogMetric(
                    metric.name, keypath, direction, owner, metric.label, metric.description
                )
            )
        return imported


def _parse(text: str) -> tuple[Any, JsonMap]:
    try:
        parsed = json.loads(text)
    except json.JSONDecodeError as exc:
        raise SyntaxProblem(exc.msg.lower(), exc.lineno, exc.colno) from None
    return parsed, JsonMap(text, parsed)


_HINT = "point at the semantic_manifest.json that `dbt parse` writes in target/"
_DIRECTIONS = ("increase", "decrease")


def _field(
    reader: Reader,
    name: str,
    meta: _Meta | None,
    fallback: _Meta | None,
    keypath: tuple[str | int, ...],
    ident: str,
) -> str | None:
    """``config.meta.NAME``, else ``meta.NAME``; AA008 for a value of the wrong kind."""
    for source, where in ((meta, ("config", "meta", name)), (fallback, ("meta", name))):
        value = getattr(source, name) if source is not None else None
        if value is None:
            continue
        if name == "direction" and value not in _DIRECTIONS:
            reader.problem(
                (*keypath, *where),
                ident,
                f"metric {ident}: {'.'.join(where)} must be increase or decrease, got "
                f"{str(value)[:40]!r}",
                "write direction: increase (or decrease) in the metric's config.meta",
                "direction",
            )
            return None
        if not isinstance(value, str):
            reader.problem(
                (*keypath, *where),
                ident,
                f"metric {ident}: {'.'.join(where)} must be a string",
                "write the owner as a string",
                name,
            )
            return None
        return value
    return None
