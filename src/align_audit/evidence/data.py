"""Observed metric data (SPEC §7.1), read with DuckDB: CSV (also gzipped), Parquet, or a DuckDB
database holding ``align_audit_metrics``; long (``metric, period, value``) or wide (``period``
and one column per metric) shapes. Anything wrong is AA007 at the CSV line or the file.

Every value is read as text first and converted in SQL, so that a bad cell is located (its row)
instead of failing the whole read; the period's type (integer, date or timestamp) is decided
per file and must be the same in every file.
"""

from __future__ import annotations

import datetime as dt
import os
import stat
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from align_audit.codes import INVALID_DATA
from align_audit.findings import Finding, Location, Span

Period = int | dt.date | dt.datetime
TABLE = "align_audit_metrics"
"""The table or view a DuckDB database file must hold (unless a query is configured)."""
_CSV = (".csv", ".csv.gz")
_PARQUET = (".parquet",)
_DUCKDB = (".duckdb", ".db")


@dataclass(slots=True)
class Observations:
    """Every observation of every file: metric → period → value."""

    series: dict[str, dict[Period, float]] = field(default_factory=dict)
    period_type: str | None = None
    """``integer``, ``date`` or ``timestamp``; None before the first value."""
    files: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    """AA007, one per problem."""
    origin: dict[tuple[str, Period], str] = field(default_factory=dict)
    """(metric, period) → where it was first given, for the duplicate message."""


def _finding(path: str, message: str, row: int | None, hint: str) -> Finding:
    line = row or 1
    return Finding(
        INVALID_DATA,
        message,
        Location(path, Span(line, 1, line, 1)),
        path,
        f"row {row}" if row is not None else "file",
        hint=hint,
    )


def _period(text: str) -> tuple[str, Period] | None:
    """A period cell → (type, value), or None when it is none of the three types."""
    text = text.strip()
    try:
        return "integer", int(text)
    except ValueError:
        pass
    try:
        if len(text) == 10:
            return "date", dt.date.fromisoformat(text)
        return "timestamp", dt.datetime.fromisoformat(text)
    except ValueError:
        return None


def _relation(con: Any, path: str, query: str | None) -> Any:
    """The file as a DuckDB relation of text columns."""
    lower = path.lower()
    if lower.endswith(_CSV):
        return con.sql(
            "SELECT * FROM read_csv(?, header = true, all_varchar = true, auto_detect = true)",
            params=[path],
        )
    if lower.endswith(_PARQUET):
        return con.sql("SELECT * FROM read_parquet(?)", params=[path])
    if lower.endswith(_DUCKDB):
        con.execute("ATTACH ? AS observed (READ_ONLY)", [path])
        con.execute("USE observed")
        return con.sql(query or f"SELECT * FROM {TABLE}")
    raise ValueError("not a .csv, .csv.gz, .parquet or .duckdb file")


def _rows(relation: Any) -> tuple[list[str], list[tuple[Any, ...]]]:
    columns = [str(c).strip().lower() for c in relation.columns]
    texts = ", ".join(f'CAST("{c}" AS VARCHAR)' for c in relation.columns)
    return columns, relation.project(texts).fetchall()


def read_data(
    paths: Sequence[str], max_size: int = 500_000_000, query: str | None = None
) -> Observations:
    """Read every data file (in the given order); problems become AA007 findings."""
    import duckdb

    out = Observations()
    for path in paths:
        out.files.append(path)
        try:
            info = os.stat(path)
        except OSError as exc:
            out.findings.append(_finding(path, f"cannot read {path}: {exc.strerror}", None, ""))
            continue
        if not stat.S_ISREG(info.st_mode):
            out.findings.append(_finding(path, f"{path} is not a regular file", None, ""))
            continue
        if info.st_size > max_size:
            out.findings.append(
                _finding(
                    path,
                    f"{path} is larger than the data limit ({max_size:,} bytes)",
                    None,
                    "raise max-data-size in the configuration",
                )
            )
            continue
        if info.st_size == 0:
            out.findings.append(_finding(path, f"{path} is empty", None, "remove it"))
            continue
        con = duckdb.connect(":memory:", config={"threads": 1})
        try:
            columns, rows = _rows(_relation(con, path, query))
        except (duckdb.Error, ValueError) as exc:
            message = " ".join(str(exc).split())[:200]
            out.findings.append(_finding(path, f"cannot read {path}: {message}", None, ""))
            continue
        finally:
            con.close()
        _take(out, path, columns, rows, header=path.lower().endswith(_CSV))
    return out


def _take(
    out: Observations, path: str, columns: list[str], rows: list[tuple[Any, ...]], header: bool
) -> None:
    """Add one file's rows (long or wide shape) to ``out``, reporting what is wrong."""
    if "period" not in columns:
        out.findings.append(
            _finding(
                path,
                f"{path} has no 'period' column (columns: {', '.join(columns)[:120]})",
                None,
                "use the long shape (metric, period, value) or the wide one (period and "
                "one column per metric id)",
            )
        )
        return
    long = "metric" in columns and "value" in columns
    at = {c: i for i, c in enumerate(columns)}
    first_line = 2 if header else 1
    for index, row in enumerate(rows):
        line = first_line + index if header else None
        cell = row[at["period"]]
        if cell is None or not str(cell).strip():
            continue
        parsed = _period(str(cell))
        if parsed is None:
            out.findings.append(
                _finding(
                    path,
                    f"period {str(cell)[:40]!r} is not a date, a timestamp or an integer",
                    line,
                    "write periods as YYYY-MM-DD, an ISO timestamp or an integer",
                )
            )
            continue
        kind, period = parsed
        if out.period_type is None:
            out.period_type = kind
        elif kind != out.period_type:
            out.findings.append(
                _finding(
                    path,
                    f"period {str(cell)[:40]!r} is a {kind}, but earlier periods are "
                    f"{out.period_type}s",
                    line,
                    "use one type of period in every data file",
                )
            )
            continue
        cells = (
            [(str(row[at["metric"]] or "").strip(), row[at["value"]])]
            if long
            else [(c, row[i]) for c, i in at.items() if c != "period"]
        )
        for metric, raw in cells:
            _observe(out, path, line, metric, period, raw)


def _observe(
    out: Observations, path: str, line: int | None, metric: str, period: Period, raw: Any
) -> None:
    if raw is None or not str(raw).strip() or not metric:
        return  # an empty cell is no observation
    try:
        value = float(str(raw).strip())
    except ValueError:
        out.findings.append(
            _finding(
                path,
                f"value {str(raw)[:40]!r} of {metric} is not a number",
                line,
                "write numbers only; leave the cell empty for no observation",
            )
        )
        return
    if value != value or value in (float("inf"), float("-inf")):
        out.findings.append(
            _finding(path, f"value {str(raw)[:40]!r} of {metric} is not finite", line, "")
        )
        return
    key = (metric, period)
    if key in out.origin:
        out.findings.append(
            _finding(
                path,
                f"{metric} at period {period} is given twice (first in {out.origin[key]})",
                line,
                "keep one value per metric and period across all data files",
            )
        )
        return
    where = f"{path}:{line}" if line is not None else path
    out.origin[key] = where
    out.series.setdefault(metric, {})[period] = value
