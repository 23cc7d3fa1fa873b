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


def _insert(con: Any, index: int, sql: str, params: list[str], located: bool) -> str | None:
    """Append one file's observations to ``obs`` (long or wide shape); a problem with its
    columns is returned as a sentence. Row numbers are counted only when ``located``: they cost
    a third of the read, and are needed only to say where a problem is."""
    columns = {str(c).strip().lower(): str(c) for c in con.sql(sql, params=params).columns}
    if "period" not in columns:
        return f"has no 'period' column (columns: {', '.join(columns)[:120]})"
    period = f"trim(CAST({_quote(columns['period'])} AS VARCHAR))"
    row = "row_number() OVER ()" if located else "NULL"
    if "metric" in columns and "value" in columns:
        select = (
            f"SELECT {index}, {row}, trim(CAST({_quote(columns['metric'])} AS VARCHAR)), "
            f"{period}, {_quote(columns['value'])} FROM ({sql})"
        )
    else:
        metrics = [c for c in columns if c != "period"]
        if not metrics:
            return "has a 'period' column but no metric column"
        texts = ", ".join(f"CAST({_quote(columns[c])} AS VARCHAR) AS {_quote(c)}" for c in metrics)
        select = (
            f"SELECT {index}, r, metric, p, raw FROM (UNPIVOT "
            f"(SELECT {row} AS r, {period} AS p, {texts} FROM ({sql})) "
            f"ON {', '.join(_quote(c) for c in metrics)} INTO NAME metric VALUE raw)"
        )
    # the value's text is kept only where it is not a number: for the message
    con.execute(
        "INSERT INTO memory.main.obs SELECT f, r, m, p, "
        "CASE WHEN TRY_CAST(v AS DOUBLE) IS NULL THEN CAST(v AS VARCHAR) END, "
        f"TRY_CAST(v AS DOUBLE) FROM ({select}) AS t(f, r, m, p, v)",
        params,
    )
    return None


def _read_error(exc: Exception) -> str:
    first = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    if "sniffing" in first:  # DuckDB's word for a malformed CSV
        return (
            "is not a CSV file of comma-separated cells with one header row and as many "
            "cells on every line"
        )
    return "cannot be read: " + " ".join(first.split())[:200]


def _load(
    con: Any,
    paths: Sequence[str],
    names: Sequence[str],
    max_size: int,
    query: str | None,
    located: bool,
) -> list[Finding]:
    """Every file into a fresh ``obs`` table; a file that cannot be read is a finding."""
    import duckdb

    con.execute(
        "CREATE OR REPLACE TABLE obs (file INTEGER, row BIGINT, metric VARCHAR, period VARCHAR, "
        "raw VARCHAR, num DOUBLE)"
    )
    findings = []
    for index, path in enumerate(paths):
        problem = _unreadable(path, max_size)
        if problem is None:
            try:
                problem = _insert(con, index, *_source(con, index, path, query), located)
            except (duckdb.Error, ValueError) as exc:
                problem = _read_error(exc)
            finally:
                con.execute("USE memory")
                con.execute(f"DETACH DATABASE IF EXISTS observed_{index}")
        if problem is not None:
            hint = (
                "raise max-data-size in the configuration"
                if "limit" in problem
                else "give long (metric, period, value) or wide (period and one column per "
                "metric id) data"
            )
            name = names[index]
            findings.append(_finding(name, f"{name} {problem}", None, None, hint))
    return findings


def read_data(
    paths: Sequence[str],
    max_size: int = 500_000_000,
    query: str | None = None,
    names: Sequence[str] | None = None,
) -> Observations:
    """Read every data file (in the given order); problems become AA007 findings, under
    ``names`` when given (a file read from a git revision is a temporary copy).

    Clean data is read once; when a row is wrong, the files are read again with row numbers,
    so that each problem is reported where it is."""
    shown = list(names if names is not None else paths)
    import duckdb

    con = duckdb.connect(":memory:")
    try:
        findings = _load(con, paths, shown, max_size, query, located=False)
        observations = _collect(con, shown, findings, located=False)
        if observations is None:
            findings = _load(con, paths, shown, max_size, query, located=True)
            observations = _collect(con, shown, findings, located=True)
        assert observations is not None
        return observations
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


_CLAIMED = "period <> '' AND metric <> '' AND (num IS NOT NULL OR trim(raw) <> '')"
"""A row that gives an observation (an empty cell, period or metric gives none)."""
Problem = tuple[int, int, int, str, str, int | None, int | None]
"""(file, row, what, metric, text, first file, first row): what is 0 a period of no type, 1 a
period of another type, 2 a value that is not a finite number, 3 a repeat."""


def _collect(
    con: Any, paths: list[str], findings: list[Finding], located: bool
) -> Observations | None:
    """Check the rows of every file together and build the matrix of the valid ones; without
    row numbers (``located`` False), None when some row is wrong.

    The type of a period is decided once per distinct period text, the type of most rows
    winning; the matrix is indexed in SQL (a join with two small tables) and repeats are
    found in numpy."""
    import numpy as np

    con.execute(
        f"CREATE OR REPLACE TABLE periods AS SELECT period, count(*) AS n, {_KIND} AS kind "
        f"FROM obs WHERE {_CLAIMED} GROUP BY period"
    )
    chosen = con.execute(
        "SELECT kind, sum(n) FROM periods WHERE kind IS NOT NULL GROUP BY kind "
        "ORDER BY sum(n) DESC, kind LIMIT 1"
    ).fetchone()
    kind = None if chosen is None else str(chosen[0])
    claimed = con.execute("SELECT coalesce(sum(n), 0) FROM periods").fetchone()
    con.execute(
        f"CREATE OR REPLACE TABLE keys AS SELECT period, {_KEY.get(kind or 'integer', 'NULL')} "
        "AS key FROM periods WHERE kind = ?",
        [kind],
    )
    valid = "FROM obs JOIN keys USING (period) {} WHERE metric <> '' AND isfinite(num)"
    con.execute(
        "CREATE OR REPLACE TABLE metrics AS SELECT metric, row_number() OVER (ORDER BY metric) "
        f"- 1 AS i FROM (SELECT DISTINCT metric {valid.format('')})"
    )
    cells = con.execute(
        "SELECT i, key, num, file, row " + valid.format("JOIN metrics USING (metric)")
    ).fetchnumpy()
    metrics = tuple(r[0] for r in con.execute("SELECT metric FROM metrics ORDER BY i").fetchall())
    # columns: the periods that have a valid cell, in order (a few hundred keys, not 1M cells)
    keys = np.unique(con.execute("SELECT key FROM keys").fetchnumpy()["key"])
    j = np.searchsorted(keys, cells["key"])
    used = np.bincount(j, minlength=len(keys)) > 0
    if not used.all():
        j, keys = (np.cumsum(used) - 1)[j], keys[used]
    flat = cells["i"].astype(np.int64) * max(1, len(keys)) + j
    repeated = bool((np.bincount(flat, minlength=len(metrics) * len(keys)) > 1).any())
    if not located and (repeated or (claimed is not None and claimed[0] != len(flat))):
        return None
    values = np.full((len(metrics), len(keys)), np.nan)
    problems = _row_problems(con, kind) if located else []
    if repeated:  # the first of repeated cells, in file and row order, is the one kept
        order = np.lexsort((cells["row"], cells["file"]))
        kept = np.unique(flat[order], return_index=True)[1]
        values.flat[flat[order[kept]]] = cells["num"][order[kept]]
        problems += _repeats(cells, flat, order, kept, metrics)
    else:
        values.flat[flat] = cells["num"]
    doubtful: set[str] | None = None if findings else set()  # a file not read: any metric
    findings += _problem_findings(sorted(problems), paths, kind)
    if doubtful is not None:
        for _, _, what, metric, *_ in problems:
            if what in (0, 1) or len(problems) > MAX_PROBLEMS:
                doubtful = None
                break
            doubtful.add(metric)
    return Observations(
        metrics,
        np.asarray(keys, dtype=np.int64),
        values,
        kind,
        tuple(paths),
        findings,
        None if doubtful is None else frozenset(doubtful),
    )


def _row_problems(con: Any, kind: str | None) -> list[Problem]:
    """Rows whose period is of no type or of another type, and values that are not finite
    numbers (the located pass)."""
    rows = con.execute(
        f"""
        SELECT DISTINCT file, row, CASE WHEN kind IS NULL THEN 0 ELSE 1 END, '', period,
            NULL::INTEGER, NULL::BIGINT
        FROM obs JOIN periods USING (period)
        WHERE {_CLAIMED} AND (kind IS NULL OR kind IS DISTINCT FROM ?)
        UNION ALL
        SELECT file, row, 2, metric, coalesce(raw, CAST(num AS VARCHAR)), NULL, NULL
        FROM obs JOIN keys USING (period)
        WHERE {_CLAIMED} AND NOT coalesce(isfinite(num), false)
        """,
        [kind],
    ).fetchall()
    return [tuple(r) for r in rows]


def _repeats(
    cells: dict[str, Any], flat: Any, order: Any, kept: Any, metrics: tuple[str, ...]
) -> list[Problem]:
    """Every cell given again after its first (in file and row order)."""
    import numpy as np

    first_of = dict(zip(flat[order[kept]].tolist(), order[kept].tolist(), strict=True))
    again = np.setdiff1d(np.arange(len(flat)), order[kept], assume_unique=True)
    found: list[Problem] = []
    for index in again.tolist():
        first = first_of[int(flat[index])]
        found.append(
            (
                int(cells["file"][index]),
                int(cells["row"][index]),
                3,
                metrics[int(cells["i"][index])],
                "",
                int(cells["file"][first]),
                int(cells["row"][first]),
            )
        )
    return found


def _problem_findings(problems: list[Problem], paths: list[str], kind: str | None) -> list[Finding]:
    """One finding per problem, at most MAX_PROBLEMS per file, then one that counts the rest."""
    findings = []
    per_file: dict[int, int] = {}
    for problem in problems:
        per_file[problem[0]] = per_file.get(problem[0], 0) + 1
    shown: dict[int, int] = {}
    for file, row, what, metric, text, first_file, first_row in problems:
        shown[file] = shown.get(file, 0) + 1
        if shown[file] > MAX_PROBLEMS:
            continue
        path = paths[file]
        csv = path.lower().endswith(_CSV)
        line = row + 1 if csv else None
        at = f"line {line}" if csv else f"row {row}"
        cell = repr(str(text)[:40])
        if what == 0:
            message = f"period {cell} is not a date, a timestamp or an integer ({at})"
            hint = "write periods as YYYY-MM-DD, an ISO timestamp or an integer"
        elif what == 1:
            article = "an" if kind == "integer" else "a"
            message = f"period {cell} is not {article} {kind}, like most periods of the data ({at})"
            hint = "use one type of period in every data file"
        elif what == 2:
            message = f"value {cell} of {metric} is not a finite number ({at})"
            hint = "write numbers only; leave the cell empty for no observation"
        else:
            assert first_file is not None and first_row is not None
            first = paths[first_file]
            where = f"{first}:{first_row + 1}" if first.lower().endswith(_CSV) else first
            message = f"{metric} is given twice for one period (first at {where}; {at})"
            hint = "keep one value per metric and period across all data files"
        findings.append(_finding(path, message, row, line, hint))
        if shown[file] == MAX_PROBLEMS and per_file[file] > MAX_PROBLEMS:
            findings.append(
                _finding(
                    path,
                    f"{path} has {per_file[file] - MAX_PROBLEMS:,} more problems like these",
                    None,
                    None,
                    "fix the ones shown, then run again",
                )
            )
    return findings
