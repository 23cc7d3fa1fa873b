"""Evidence (SPEC §7): declared effects confronted with observed metric data.

Needs the optional extra ``align-audit[data]`` (DuckDB to read the data, SciPy for the
statistics); nothing here is imported by an audit without data.
"""

from __future__ import annotations

EXTRA_HINT = "observed data needs the optional extra: pip install 'align-audit[data]'"
"""The one line shown when --data is used without the extra installed."""
