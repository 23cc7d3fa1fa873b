"""Observed metric data (SPEC §7.1), read with DuckDB: CSV (also gzipped), Parquet, or a DuckDB
database holding ``align_audit_metrics``; long (``metric, period, value``) or wide (``period``
and one column per metric) shapes. Anything wrong is AA007 at the CSV line or the file.

DuckDB does the reading, typing, checking and grouping: every file becomes rows of one table
(file, row, metric, period text, value text, value as a number); SQL finds the bad rows and the
repeats, and hands back one dense matrix (metric × period) of values, NaN where none was given.
"""

from __future__ import annotations

import datetime as dt
import os
import stat
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from align_audit.codes import INVALID_DATA
from align_audit.findings import Finding, Location, Span

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

Period = int | str
"""A period as JSON shows it: an integer, or an ISO date or timestamp."""
TABLE = "align_audit_metrics"
"""The table or view a DuckDB database file must hold (unless a query is configured)."""
MAX_PROBLEMS = 50
"""AA007 findings per file; the rest are counted in one more."""
_CSV = (".csv", ".csv.gz")
_PARQUET = (".parquet",)
_DUCKDB = (".duckdb", ".db")
_EPOCH = dt.datetime(1970, 1, 1)

# The type of a period text, decided by its form (an integer, YYYY-MM-DD, any timestamp).
_KIND = """CASE
    WHEN regexp_full_match(period, '[+-]?[0-9]{1,18}') THEN 'integer'
    WHEN regexp_full_match(period, '[0-9]{4}-[0-9]{2}-[0-9]{2}')
        THEN CASE WHEN TRY_CAST(period AS DATE) IS NOT NULL THEN 'date' END
    WHEN TRY_CAST(period AS TIMESTAMP) IS NOT NULL THEN 'timestamp' END"""
# A sortable integer per period of the chosen type: the integer, days or microseconds since 1970.
_KEY = {
    "integer": "CAST(period AS BIGINT)",
    "date": "CAST(CAST(period AS DATE) - DATE '1970-01-01' AS BIGINT)",
    "timestamp": "epoch_us(CAST(period AS TIMESTAMP))",
}


class Observations:
    """Every valid observation of every file, as a matrix: ``values[i, j]`` is metric
    ``metrics[i]`` at period ``keys[j]`` (NaN: not observed)."""

    def __init__(
        self,
        metrics: tuple[str, ...],
        keys: npt.NDArray[np.int64],
        values: npt.NDArray[np.float64],
        period_type: str | None,
        files: tuple[str, ...],
        findings: list[Finding],
        doubtful: frozenset[str] | None,
    ) -> None:
        self.metrics = metrics
        self.keys = keys
        self.values = values
        self.period_type = period_type
        """``integer``, ``date`` or ``timestamp``; None without a valid period."""
        self.files = files
        self.findings = findings
        """AA007, one per problem."""
        self.doubtful = doubtful
        """Metrics whose observations a problem may have hidden; None: any metric's may (a
        file not read, a bad period, problems past the cap)."""
        self.row = {metric: i for i, metric in enumerate(metrics)}
        """Metric → its row of ``values``."""

    def period(self, index: int) -> Period:
        """The period at column ``index``, as JSON and messages show it."""
        key = int(self.keys[index])
        if self.period_type == "date":
            return (_EPOCH + dt.timedelta(days=key)).date().isoformat()
        if self.period_type == "timestamp":
            return (_EPOCH + dt.timedelta(microseconds=key)).isoformat()
        return key

    def series(self, metric: str) -> dict[Period, float]:
        """One metric's observations, period → value (empty when it has none)."""
        row = self.row.get(metric)
        if row is None:
            return {}
        return {
            self.period(j): float(v)
            for j, v in enumerate(self.values[row].tolist())
            if v == v  # not NaN
        }


def _finding(
    path: str,
    message: str,
    row: int | None,
    line: int | None,
    hint: str,
) -> Finding:
    start = line or 1
    return Finding(
        INVALID_DATA,
        message,
        Location(path, Span(start, 1, start, 1)),
        path,
        f"row {row}" if row is not None else "file",
        hint=hint,
    )


def _source(con: Any, index: int, path: str, query: str | None) -> tuple[str, list[str]]:
    """The file as SQL and its parameters (CSV as text, so that a bad cell is found, not
    fatal); a database file is attached and made current."""
    lower = path.lower()
    if lower.endswith(_CSV):
        # The dialect is pinned: a sniffed one may skip lines or drop ragged rows silently.
        return (
            "SELECT * FROM read_csv(?, header = true, all_varchar = true, delim = ',', "
            "quote = '\"', escape = '\"', skip = 0, comment = '')",
            [path],
        )
    if lower.endswith(_PARQUET):
        return "SELECT * FROM read_parquet(?)", [path]
    if lower.endswith(_DUCKDB):
        con.execute(f"ATTACH ? AS observed_{index} (READ_ONLY)", [path])
        con.execute(f"USE observed_{index}")
        return query or f"SELECT * FROM {TABLE}", []
    raise ValueError("not a .csv, .csv.gz, .parquet or .duckdb file")


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _insert(con: Any, index: int, sql: str, params: list[str]) -> str | None:
    """Append one file's observations to ``obs`` (long or wide shape); a problem with its
    columns is returned as a sentence."""
    columns = {str(c).strip().lower(): str(c) for c in con.sql(sql, params=params).columns}
    if "period" not in columns:
        return f"has no 'period' column (columns: {', '.join(columns)[:120]})"
    period = f"trim(CAST({_quote(columns['period'])} AS VARCHAR))"
    if "metric" in columns and "value" in columns:
        value = _quote(columns["value"])
        select = (
            f"SELECT {index}, row_number() OVER (), trim(CAST({_quote(columns['metric'])} "
            f"AS VARCHAR)), {period}, CAST({value} AS VARCHAR), TRY_CAST({value} AS DOUBLE) "
            f"FROM ({sql})"
        )
    else:
        metrics = [c for c in columns if c != "period"]
        if not metrics:
            return "has a 'period' column but no metric column"
        texts = ", ".join(f"CAST({_quote(columns[c])} AS VARCHAR) AS {_quote(c)}" for c in metrics)
        select = (
            f"SELECT {index}, r, metric, p, raw, TRY_CAST(raw AS DOUBLE) FROM (UNPIVOT "
            f"(SELECT row_number() OVER () AS r, {period} AS p, {texts} FROM ({sql})) "
            f"ON {', '.join(_quote(c) for c in metrics)} INTO NAME metric VALUE raw)"
        )
    con.execute(f"INSERT INTO memory.main.obs {select}", params)
    return None


def read_data(
    paths: Sequence[str], max_size: int = 500_000_000, query: str | None = None
) -> Observations:
    """Read every data file (in the given order); problems become AA007 findings."""
    import duckdb

    findings: list[Finding] = []
    con = duckdb.connect(":memory:")
    try:
        con.execute(
            "CREATE TABLE obs (file INTEGER, row BIGINT, metric VARCHAR, period VARCHAR, "
            "raw VARCHAR, num DOUBLE)"
        )
        for index, path in enumerate(paths):
            problem = _unreadable(path, max_size)
            if problem is None:
                try:
                    problem = _insert(con, index, *_source(con, index, path, query))
                except (duckdb.Error, ValueError) as exc:
                    first = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
                    problem = "cannot be read: " + " ".join(first.split())[:200]
                    if "sniffing" in first:  # DuckDB's word for a malformed CSV
                        problem = (
                            "is not a CSV file of comma-separated cells with one header row "
                            "and as many cells on every line"
                        )
                finally:
                    con.execute("USE memory")
            if problem is not None:
                hint = (
                    "raise max-data-size in the configuration"
                    if "limit" in problem
                    else "give long (metric, period, value) or wide (period and one column "
                    "per metric id) data"
                )
                findings.append(_finding(path, f"{path} {problem}", None, None, hint))
        return _collect(con, list(paths), findings)
    finally:
        con.close()


def _unreadable(path: str, max_size: int) -> str | None:
    try:
        info = os.stat(path)
    except OSError as exc:
        return f"cannot be read: {exc.strerror}"
    if not stat.S_ISREG(info.st_mode):
        return "is not a regular file"
    if info.st_size > max_size:
        return f"is larger than the data limit ({max_size:,} bytes)"
    if info.st_size == 0:
        return "is empty"
    return None


def _collect(con: Any, paths: list[str], findings: list[Finding]) -> Observations:
    """Check the rows of every file together, and build the matrix of the valid ones.

    The type of a period is decided once per distinct period text (a few hundred), not per
    row; repeats are looked for by grouping, and ranked only when some exist."""
    import numpy as np

    con.execute(
        f"CREATE TABLE periods AS SELECT period, {_KIND} AS kind "
        "FROM (SELECT DISTINCT period FROM obs WHERE period <> '')"
    )
    con.execute(
        "CREATE TABLE typed AS SELECT obs.*, kind FROM obs JOIN periods USING (period) "
        "WHERE metric <> '' AND trim(raw) <> ''"
    )
    first = con.execute(
        "SELECT kind FROM typed WHERE kind IS NOT NULL ORDER BY file, row LIMIT 1"
    ).fetchone()
    kind = None if first is None else str(first[0])
    con.execute(
        f"CREATE TABLE keys AS SELECT period, {_KEY.get(kind or 'integer', 'NULL')} AS key "
        "FROM periods WHERE kind = ?",
        [kind],
    )
    con.execute(
        "CREATE TABLE valid AS SELECT metric, key, num, file, row "
        "FROM typed JOIN keys USING (period) WHERE isfinite(num)"
    )
    repeated = con.execute(
        "SELECT count(*) FROM (SELECT 1 FROM valid GROUP BY metric, key HAVING count(*) > 1)"
    ).fetchone()
    if repeated is not None and repeated[0]:
        con.execute(
            "CREATE TABLE ranked AS SELECT *, row_number() OVER w AS nth, "
            "first_value(file) OVER w AS first_file, first_value(row) OVER w AS first_row "
            "FROM valid WINDOW w AS (PARTITION BY metric, key ORDER BY file, row)"
        )
        con.execute("CREATE OR REPLACE TABLE valid AS SELECT * FROM ranked WHERE nth = 1")
    else:
        con.execute(
            "CREATE TABLE ranked AS SELECT *, 1 AS nth, file AS first_file, row AS first_row "
            "FROM valid LIMIT 0"
        )
    problems = con.execute(
        """
        WITH found AS (
            SELECT DISTINCT file, row, 0 AS what, '' AS metric, period AS text,
                NULL::INTEGER AS ff, NULL::BIGINT AS fr
            FROM typed WHERE kind IS NULL
            UNION ALL SELECT DISTINCT file, row, 1, '', period, NULL, NULL
            FROM typed WHERE kind IS NOT NULL AND kind <> ?
            UNION ALL SELECT file, row, 2, metric, raw, NULL, NULL
            FROM typed WHERE kind = ? AND (num IS NULL OR NOT isfinite(num))
            UNION ALL SELECT file, row, 3, metric, '', first_file, first_row
            FROM ranked WHERE nth > 1
        )
        SELECT *, count(*) OVER (PARTITION BY file) AS total FROM found
        QUALIFY row_number() OVER (PARTITION BY file ORDER BY row, what, metric) <= ?
        ORDER BY file, row, what, metric
        """,
        [kind, kind, MAX_PROBLEMS],
    ).fetchall()
    doubtful: set[str] | None = None if findings else set()  # a file not read: any metric
    if doubtful is not None:
        for _, _, what, metric, *_, total in problems:
            if what in (0, 1) or total > MAX_PROBLEMS:
                doubtful = None
                break
            doubtful.add(metric)
    findings += _problem_findings(problems, paths, kind)
    con.execute(
        "CREATE TABLE rows AS SELECT metric, row_number() OVER (ORDER BY metric) - 1 AS i "
        "FROM (SELECT DISTINCT metric FROM valid)"
    )
    con.execute(
        "CREATE TABLE columns AS SELECT key, row_number() OVER (ORDER BY key) - 1 AS j "
        "FROM (SELECT DISTINCT key FROM valid)"
    )
    metrics = tuple(r[0] for r in con.execute("SELECT metric FROM rows ORDER BY i").fetchall())
    keys = con.execute("SELECT key FROM columns ORDER BY j").fetchnumpy()["key"]
    cells = con.execute(
        "SELECT i, j, num FROM valid JOIN rows USING (metric) JOIN columns USING (key)"
    ).fetchnumpy()
    values = np.full((len(metrics), len(keys)), np.nan)
    values[cells["i"], cells["j"]] = cells["num"]
    return Observations(
        metrics,
        np.asarray(keys, dtype=np.int64),
        values,
        kind,
        tuple(paths),
        findings,
        None if doubtful is None else frozenset(doubtful),
    )


def _problem_findings(
    problems: list[tuple[Any, ...]], paths: list[str], kind: str | None
) -> list[Finding]:
    findings = []
    shown: dict[int, int] = {}
    for file, row, what, metric, text, first_file, first_row, total in problems:
        path = paths[file]
        csv = path.lower().endswith(_CSV)
        line = row + 1 if csv else None
        at = f"line {line}" if csv else f"row {row}"
        cell = repr(str(text)[:40])
        if what == 0:
            message = f"period {cell} is not a date, a timestamp or an integer ({at})"
            hint = "write periods as YYYY-MM-DD, an ISO timestamp or an integer"
        elif what == 1:
            message = f"period {cell} is not a {kind}, like the first period of the data ({at})"
            hint = "use one type of period in every data file"
        elif what == 2:
            message = f"value {cell} of {metric} is not a finite number ({at})"
            hint = "write numbers only; leave the cell empty for no observation"
        else:
            first = paths[first_file]
            where = f"{first}:{first_row + 1}" if first.lower().endswith(_CSV) else first
            message = f"{metric} is given twice for one period (first at {where}; {at})"
            hint = "keep one value per metric and period across all data files"
        findings.append(_finding(path, message, row, line, hint))
        shown[file] = shown.get(file, 0) + 1
        if shown[file] == MAX_PROBLEMS and total > MAX_PROBLEMS:
            findings.append(
                _finding(
                    path,
                    f"{path} has {total - MAX_PROBLEMS:,} more problems like these",
                    None,
                    None,
                    "fix the ones shown, then run again",
                )
            )
    return findings
