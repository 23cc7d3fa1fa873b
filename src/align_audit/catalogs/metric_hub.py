"""``metric-hub``: a Mozilla metric-hub definitions file (TOML), whose ``[metrics.NAME]`` tables
are the metrics: ``NAME`` is the id, ``bigger_is_better = false`` means decrease (else
increase), ``friendly_name``, ``description`` and ``owner`` (a string or a list of them) are
read as they are. Other ``[metrics]`` keys that are not tables (jetstream's ``weekly = [...]``)
are not metrics.
"""

from __future__ import annotations

import re
import tomllib
from typing import Any, ClassVar

from align_audit.catalogs.base import (
    CatalogMetric,
    Imported,
    Reader,
    Subset,
    SyntaxProblem,
    read_text,
)
from align_audit.catalogs.positions import TomlMap
from align_audit.loading import Limits

_AT = re.compile(r"\(at line (\d+), column (\d+)\)")


class _Metric(Subset):
    friendly_name: str | None = None
    description: str | None = None
    bigger_is_better: bool = True
    owner: str | list[str] | None = None


class MetricHubImporter:
    """``format: metric-hub``."""

    format: ClassVar[str] = "metric-hub"

    def read(self, path: str, data: bytes, limits: Limits) -> Imported:
        hint = "fix the TOML syntax at this position"
        imported = read_text(path, data, limits, _parse, "TOML", hint)
        reader = Reader(imported)
        top = reader.top_mapping(("metrics",))
        if top is None:
            return imported
        metrics = top["metrics"]
        if not isinstance(metrics, dict):
            reader.problem(("metrics",), path, "catalog 'metrics' is not a table", _HINT)
            return imported
        for name, raw in metrics.items():
            if not isinstance(raw, dict):
                continue
            keypath = ("metrics", name)
            metric = reader.entry(_Metric, raw, keypath, name)
            if metric is None:
                continue
            owner = ", ".join(metric.owner) if isinstance(metric.owner, list) else metric.owner
            owner = owner or None
            direction = "increase" if metric.bigger_is_better else "decrease"
            imported.metrics.append(
                CatalogMetric(
                    name, keypath, direction, owner, metric.friendly_name, metric.description
                )
            )
        return imported


def _parse(text: str) -> tuple[Any, TomlMap]:
    try:
        parsed = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        at = _AT.search(str(exc))
        line, column = (int(at[1]), int(at[2])) if at else (text.count("\n") + 1, 1)
        reason = _AT.sub("", str(exc)).strip()
        raise SyntaxProblem(reason[:1].lower() + reason[1:], line, column) from None
    return parsed, TomlMap(text)


_HINT = "a metric-hub definitions file has a [metrics.NAME] table per metric"
