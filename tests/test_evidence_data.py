"""SPEC §7.1: observed data read with DuckDB, long and wide shapes, CSV/Parquet/DuckDB files,
and AA007 for everything wrong — at the CSV line or the file, never a traceback."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

duckdb = pytest.importorskip("duckdb")

from align_audit.evidence.data import Observations, Period, read_data  # noqa: E402

LONG = "metric,period,value\ncsat,2026-01-05,4.1\ncsat,2026-01-12,4.0\naht,2026-01-05,7\n"
WIDE = "period,csat,aht\n2026-01-05,4.1,7\n2026-01-12,4.0,\n"
EXPECTED = {
    "csat": {"2026-01-05": 4.1, "2026-01-12": 4.0},
    "aht": {"2026-01-05": 7.0},
}


def _all(data: Observations) -> dict[str, dict[Period, float]]:
    """metric → period → value, as the matrix holds them (NaN: not observed)."""
    return {
        metric: {
            data.period(j): float(v) for j, v in enumerate(data.values[row].tolist()) if v == v
        }
        for metric, row in data.row.items()
    }


def _write(path: Path, text: str) -> str:
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_long_and_wide_give_the_same_observations(tmp_path: Path) -> None:
    long = read_data([_write(tmp_path / "long.csv", LONG)])
    wide = read_data([_write(tmp_path / "wide.csv", WIDE)])
    assert long.findings == [] and wide.findings == []
    assert _all(long) == EXPECTED == _all(wide)
    assert long.period_type == "date"


def test_gzip_parquet_and_duckdb_files(tmp_path: Path) -> None:
    gz = tmp_path / "long.csv.gz"
    gz.write_bytes(gzip.compress(LONG.encode("utf-8")))
    parquet = tmp_path / "long.parquet"
    database = tmp_path / "metrics.duckdb"
    con = duckdb.connect(str(database))
    con.execute(
        "CREATE TABLE align_audit_metrics AS SELECT metric, CAST(period AS DATE) AS period, "
        "CAST(value AS DOUBLE) AS value FROM read_csv(?, header = true)",
        [_write(tmp_path / "x.csv", LONG)],
    )
    con.execute(f"COPY align_audit_metrics TO '{parquet}' (FORMAT parquet)")
    con.close()
    for path in (gz, parquet, database):
        data = read_data([str(path)])
        assert data.findings == [], path
        assert _all(data) == EXPECTED, path


def test_integer_periods(tmp_path: Path) -> None:
    data = read_data([_write(tmp_path / "w.csv", "period,csat\n1,4\n2,5\n")])
    assert _all(data) == {"csat": {1: 4.0, 2: 5.0}} and data.period_type == "integer"


@pytest.mark.parametrize(
    ("text", "line", "needle"),
    [
        (
            "metric,period,value\ncsat,2026-01-05,4.1\ncsat,2026-01-12,four\n",
            3,
            "not a finite number",
        ),
        ("metric,period,value\ncsat,someday,4.1\n", 2, "not a date, a timestamp or an integer"),
        ("metric,period,value\ncsat,2026-01-05,4\ncsat,2026-01-05,5\n", 3, "given twice"),
        (
            "metric,period,value\ncsat,2026-01-05,4\ncsat,7,5\n",
            3,
            "is not a date, like most periods",
        ),
    ],
)
def test_bad_rows_are_aa007_at_their_line(
    tmp_path: Path, text: str, line: int, needle: str
) -> None:
    path = _write(tmp_path / "bad.csv", text)
    [finding] = read_data([path]).findings
    assert finding.code == "AA007"
    assert finding.location.line == line
    assert needle in finding.message
    assert finding.entity == path


def test_the_type_of_most_periods_wins(tmp_path: Path) -> None:
    text = "period,csat\n1,4\n2,4\n2026-01-05,5\n3,5\n"
    [finding] = read_data([_write(tmp_path / "w.csv", text)]).findings
    assert finding.location.line == 4
    assert "period '2026-01-05' is not a integer" not in finding.message
    assert "is not an integer, like most periods" in finding.message


def test_a_repeat_across_two_files(tmp_path: Path) -> None:
    a = _write(tmp_path / "a.csv", "metric,period,value\ncsat,2026-01-05,4\n")
    b = _write(tmp_path / "b.csv", "period,csat\n2026-01-05,5\n")
    [finding] = read_data([a, b]).findings
    assert finding.location.path == b and "first at " + a + ":2" in finding.message


@pytest.mark.parametrize(
    ("name", "content", "needle"),
    [
        ("empty.csv", b"", "is empty"),
        ("zero.parquet", b"", "is empty"),
        ("cols.csv", b"metric,value\ncsat,4\n", "no 'period' column"),
        ("junk.parquet", b"not parquet at all", "cannot be read"),
        ("notes.txt", b"period,csat\n1,2\n", "cannot be read"),
    ],
)
def test_bad_files_are_aa007_for_the_file(
    tmp_path: Path, name: str, content: bytes, needle: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    [finding] = read_data([str(path)]).findings
    assert finding.code == "AA007" and needle in finding.message
    assert finding.discriminator == "file"


def test_over_the_size_limit(tmp_path: Path) -> None:
    path = _write(tmp_path / "big.csv", LONG * 10)
    [finding] = read_data([path], max_size=100).findings
    assert "larger than the data limit" in finding.message


def test_missing_file(tmp_path: Path) -> None:
    [finding] = read_data([str(tmp_path / "none.csv")]).findings
    assert "cannot be read" in finding.message


# -- through the command line -------------------------------------------------------------------


def test_check_reports_bad_data_as_an_input_error(tmp_path: Path) -> None:
    from conftest import EXAMPLES, invoke

    data = _write(
        tmp_path / "d.csv",
        "metric,period,value\nreminder_response_rate,2026-01-05,0.5\n"
        "reminder_response_rate,2026-01-12,high\nghost,2026-01-05,1\n",
    )
    run = invoke(
        "check", str(EXAMPLES / "clean.yaml"), "--data", data, "--format", "json", "--select", "AA0"
    )
    assert run.exit_code == 1
    assert [(f["code"], f["line"]) for f in run.findings()] == [("AA007", 3)]
    assert run.json()["summary"]["undeclared_data"] == ["ghost"]
    text = invoke("check", str(EXAMPLES / "clean.yaml"), "--data", data, "--select", "AA1")
    assert "AA007" in text.stdout  # never deselected
    assert "Evidence: 1 metric in the data is not declared: ghost." in text.stdout


def test_data_in_the_config_is_relative_to_it(tmp_path: Path) -> None:
    from conftest import EXAMPLES, invoke

    (tmp_path / "obs").mkdir()
    _write(tmp_path / "obs" / "d.csv", "period,reminder_response_rate\n1,0.5\n2,0.6\n")
    config = _write(tmp_path / "align-audit.toml", 'data = ["obs/d.csv"]\n')
    run = invoke("check", str(EXAMPLES / "clean.yaml"), "--config", config, "--format", "json")
    assert run.exit_code == 0, run.stdout
    assert run.json()["summary"]["undeclared_data"] == []


def test_without_the_extra_data_is_one_line_exit_2(tmp_path: Path) -> None:
    """A Python without duckdb and scipy (an import blocker stands in for their absence)."""
    import subprocess
    import sys

    from conftest import EXAMPLES

    data = _write(tmp_path / "d.csv", "period,csat\n1,2\n")
    code = (
        "import sys, importlib.abc\n"
        "class Absent(importlib.abc.MetaPathFinder):\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name.split('.')[0] in ('duckdb', 'scipy'):\n"
        "            raise ModuleNotFoundError(name)\n"
        "sys.meta_path.insert(0, Absent())\n"
        "from align_audit.__main__ import main\n"
        f"sys.argv = ['align-audit', 'check', {str(EXAMPLES / 'clean.yaml')!r}, "
        f"'--data', {data!r}]\n"
        "main()\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert run.returncode == 2
    assert run.stderr == (
        "align-audit: error: observed data needs the optional extra: "
        "pip install 'align-audit[data]'\n"
    )


# -- the bad-data corpus, through the command line: AA007 or one line, never a traceback ----------
BAD_DATA = {
    "missing-column.csv": b"metric,value\ncsat,4\n",
    "text-value.csv": b"metric,period,value\ncsat,2026-01-05,four\n",
    "mixed-periods.csv": b"metric,period,value\ncsat,2026-01-05,4\ncsat,12,5\n",
    "empty.csv": b"",
    "zero.parquet": b"",
    "header-only.csv": b"metric,period,value\n",
    "binary.csv": bytes(range(256)) * 4,
    "not-utf8.csv": b"metric,period,value\n\xff\xfe,2026-01-05,1\n",
    "quotes.csv": b'metric,period,value\n"csat,2026-01-05,4\n',
    "ragged.csv": b"metric,period,value\ncsat,2026-01-05\ncsat,2026-01-12,4,9\n",
    "wide-bool.parquet": None,  # written below: a boolean metric column
    "db-without-table.duckdb": None,
}


def _corpus_file(tmp_path: Path, name: str) -> Path:
    path = tmp_path / name
    content = BAD_DATA[name]
    if content is not None:
        path.write_bytes(content)
    elif name.endswith(".parquet"):
        con = duckdb.connect()
        con.execute(f"COPY (SELECT 1 AS period, true AS csat) TO '{path}' (FORMAT parquet)")
        con.close()
    else:
        duckdb.connect(str(path)).close()
    return path


@pytest.mark.parametrize("name", sorted(BAD_DATA))
def test_bad_data_corpus(tmp_path: Path, name: str) -> None:
    from conftest import EXAMPLES, invoke

    path = _corpus_file(tmp_path, name)
    run = invoke("check", str(EXAMPLES / "clean.yaml"), "--data", str(path), "-f", "json")
    assert "Traceback" not in run.stderr + run.stdout
    if name == "header-only.csv":  # no rows is no observation, not an error
        assert run.exit_code == 0, run.stdout
        return
    assert run.exit_code == 1, run.stdout + run.stderr
    codes = {f["code"] for f in run.findings()}
    assert "AA007" in codes, run.stdout


def test_duplicate_rows_across_two_files_through_the_cli(tmp_path: Path) -> None:
    from conftest import EXAMPLES, invoke

    a = _write(tmp_path / "a.csv", "metric,period,value\ncsat,2026-01-05,4\ncsat,2026-01-12,4\n")
    b = _write(tmp_path / "b.csv", "period,csat\n2026-01-19,5\n2026-01-12,5\n")
    run = invoke("check", str(EXAMPLES / "clean.yaml"), "--data", a, "--data", b, "-f", "json")
    [finding] = [f for f in run.findings() if f["code"] == "AA007"]
    assert (finding["path"], finding["line"]) == (b, 3)
    assert f"first at {a}:3" in finding["message"]


def test_a_600_mb_file_over_the_limit_is_not_read(tmp_path: Path) -> None:
    """A sparse file: 600 MB on paper, nothing on disk; refused before DuckDB opens it."""
    import time

    from conftest import EXAMPLES, invoke

    path = tmp_path / "huge.csv"
    with path.open("wb") as handle:
        handle.write(b"metric,period,value\n")
        handle.truncate(600_000_000)
    started = time.perf_counter()
    run = invoke("check", str(EXAMPLES / "clean.yaml"), "--data", str(path), "-f", "json")
    assert time.perf_counter() - started < 5
    [finding] = [f for f in run.findings() if f["code"] == "AA007"]
    assert "larger than the data limit (500,000,000 bytes)" in finding["message"]


def test_a_data_directory_or_missing_file_is_aa007(tmp_path: Path) -> None:
    from conftest import EXAMPLES, invoke

    for path in (tmp_path, tmp_path / "missing.csv"):
        run = invoke("check", str(EXAMPLES / "clean.yaml"), "--data", str(path), "-f", "json")
        assert run.exit_code == 1 and [f["code"] for f in run.findings()] == ["AA007"]


def test_many_bad_rows_are_capped_per_file(tmp_path: Path) -> None:
    from align_audit.evidence.data import MAX_PROBLEMS

    rows = "".join(f"csat,{i},x\n" for i in range(1, 500))
    findings = read_data([_write(tmp_path / "bad.csv", "metric,period,value\n" + rows)]).findings
    assert len(findings) == MAX_PROBLEMS + 1
    assert "449 more problems" in findings[-1].message


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.binary(max_size=400)
    | st.text(alphabet='metric,period,value\n0123456789-.ex "', max_size=300)
)
def test_any_bytes_are_findings_not_tracebacks(tmp_path: Path, content: bytes | str) -> None:
    data = content.encode("utf-8") if isinstance(content, str) else content
    path = tmp_path / "fuzz.csv"
    path.write_bytes(data)
    observed = read_data([str(path)])
    assert all(f.code == "AA007" for f in observed.findings)
    assert observed.values.shape == (len(observed.metrics), len(observed.keys))


def test_data_query_reads_a_teams_own_table(tmp_path: Path) -> None:
    """config data-query: SQL against the given DuckDB file instead of align_audit_metrics."""
    from conftest import EXAMPLES, invoke

    database = tmp_path / "warehouse.duckdb"
    con = duckdb.connect(str(database))
    con.execute("CREATE TABLE kpis (name VARCHAR, week DATE, v DOUBLE)")
    con.execute(
        "INSERT INTO kpis VALUES ('reminder_response_rate', DATE '2026-01-05', 0.5), "
        "('reminder_response_rate', DATE '2026-01-12', 0.6), ('ghost', DATE '2026-01-05', 1)"
    )
    con.close()
    query = "SELECT name AS metric, week AS period, v AS value FROM kpis"
    config = _write(
        tmp_path / "align-audit.toml", f'data = ["warehouse.duckdb"]\ndata-query = "{query}"\n'
    )
    run = invoke("check", str(EXAMPLES / "clean.yaml"), "--config", config, "-f", "json")
    assert run.exit_code == 0, run.stdout
    assert run.json()["summary"]["undeclared_data"] == ["ghost"]
    broken = _write(
        tmp_path / "broken.toml",
        'data = ["warehouse.duckdb"]\ndata-query = "SELECT nothing FROM nowhere"\n',
    )
    run = invoke("check", str(EXAMPLES / "clean.yaml"), "--config", broken, "-f", "json")
    [finding] = run.findings()
    assert finding["code"] == "AA007" and "cannot be read" in finding["message"]
    assert "Traceback" not in run.stderr
