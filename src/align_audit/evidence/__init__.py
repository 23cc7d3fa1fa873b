"""Evidence (SPEC §7): declared effects confronted with observed metric data.

Needs the optional extra ``align-audit[data]`` (DuckDB to read the data, SciPy for the
statistics); nothing here is imported by an audit without data.
"""

from __future__ import annotations

EXTRA_HINT = "observed data needs the optional extra: pip install 'align-audit[data]'"
"""The one line shown when --data is used without the extra installed."""


def extra_installed() -> bool:
    """Whether DuckDB and SciPy can be imported (without importing them)."""
    from importlib.util import find_spec

    try:
        return all(find_spec(name) is not None for name in ("duckdb", "scipy"))
    except (ImportError, ValueError):
        return False
