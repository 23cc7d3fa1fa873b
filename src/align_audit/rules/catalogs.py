"""Catalog rules AA008–AA009: metric catalogs (SPEC §8) and the YAML entries that refine them.

Their findings are produced while the catalogs are read and merged (``catalogs.refine``); these
classes hold the codes, names, severities and documentation.
"""

from __future__ import annotations

from align_audit.codes import CATALOG_MISMATCH, INVALID_CATALOG
from align_audit.findings import Severity
from align_audit.rules.base import Rule


class InvalidCatalog(Rule):
    """A metric catalog cannot be read or has not the shape of its format, or a catalog metric
    is left without a direction that no declaration gives it.

    Why: a catalog read in part would make the audit judge a different organization than the
    one the semantic layer or the experimentation platform defines; a metric without a
    direction cannot be told improving from worsening. The finding points at the catalog line
    (or at the `catalogs:` entry when the file cannot be read), and the gate fails, as for any
    input error.

    Fires:
        ```yaml
        # target/semantic_manifest.json has the metric "orders" without config.meta.direction
        catalogs:
          - {format: dbt, path: target/semantic_manifest.json}
        ```

    Passes:
        ```yaml
        catalogs:
          - {format: dbt, path: target/semantic_manifest.json}
        metrics:
          - id: orders            # refines the catalog metric
            direction: increase
            serves: [shopper]
        ```
    """

    code = INVALID_CATALOG
    name = "invalid-catalog"
    severity = Severity.ERROR
    reported_by_pipeline = True
    severity_note = "an input error: never deselected, waived, baselined or lowered"
    input_error = True


class CatalogMismatch(Rule):
    """A metric entry refines a catalog metric with a `direction` or `owner` different from
    the catalog's.

    Why: the catalog is where the metric is defined and reported; a YAML entry that says the
    opposite direction makes the audit's picture of the metric disagree with the dashboards
    everyone reads. The catalog's value stands (the entry's other fields still apply); the
    finding points at the entry's value, with the catalog entry as related location.

    Fires:
        ```yaml
        # growthbook/config.yml: metrics: {bounce_rate: {inverse: true}}  (decrease)
        catalogs:
          - {format: growthbook, path: growthbook/config.yml}
        metrics:
          - {id: bounce_rate, direction: increase, serves: [shopper]}
        ```

    Passes:
        ```yaml
        catalogs:
          - {format: growthbook, path: growthbook/config.yml}
        metrics:
          - {id: bounce_rate, serves: [shopper]}   # the catalog gives the direction
        ```
    """

    code = CATALOG_MISMATCH
    name = "catalog-mismatch"
    severity = Severity.ERROR
    reported_by_pipeline = True
