"""SPEC §7.5 outputs through the real CLI: JSON ``evidence`` and ``trends`` (checked against an
independent SciPy computation), the same bytes from every shape and format of the same numbers,
the ``evidence`` command, the report's evidence section and impact's verdict marks."""

from __future__ import annotations

import json
import random
import shutil
import subprocess
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

duckdb = pytest.importorskip("duckdb")
sp = pytest.importorskip("scipy.stats")

from conftest import EXAMPLES, invoke  # noqa: E402

ORG = """\
customers:
  - {id: caller, role: end_user}
  - {id: owner, role: shareholder}
metrics:
  - {id: aht, direction: decrease, serves: owner, effects: {fcr: hurts, csat: helps}}
  - {id: fcr, direction: increase, serves: caller, effects: {csat: helps}}
  - {id: csat, direction: increase, serves: caller}
  - {id: wait, direction: decrease, serves: caller}
  - {id: cost, direction: decrease, serves: owner}
systems:
  - id: bot
    objectives:
      - {id: cheap, optimizes: cost, serves: owner, guardrails: [{metric: csat, threshold: ">= 4"}]}
"""
METRICS = ("aht", "fcr", "csat", "wait", "cost")
DIRECTION = {"aht": -1, "fcr": 1, "csat": 1, "wait": -1, "cost": -1}


def _weeks(n: int) -> list[str]:
    import datetime as dt

    start = dt.date(2025, 1, 6)
    return [(start + dt.timedelta(weeks=i)).isoformat() for i in range(n)]


def _values(seed: int, n: int, missing: float = 0.0) -> dict[str, dict[str, float]]:
    rng = random.Random(seed)
    shared = [rng.gauss(0, 1) for _ in range(n)]
    data: dict[str, dict[str, float]] = {}
    for k, metric in enumerate(METRICS):
        weight = (0.0, 1.0, -0.8, 0.5, 0.3)[k]
        series = {}
        for period, s in zip(_weeks(n), shared, strict=True):
            if rng.random() < missing:
                continue
            series[period] = round(10 + k + weight * s + rng.gauss(0, 1), 4)
        data[metric] = series
    return data


def _long_csv(path: Path, data: dict[str, dict[str, float]]) -> Path:
    lines = ["metric,period,value"]
    lines += [f"{m},{p},{v!r}" for m, series in data.items() for p, v in series.items()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _wide_csv(path: Path, data: dict[str, dict[str, float]]) -> Path:
    periods = sorted({p for series in data.values() for p in series})
    lines = ["period," + ",".join(data)]
    for p in periods:
        cells = [repr(data[m][p]) if p in data[m] else "" for m in data]
        lines.append(p + "," + ",".join(cells))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _check_json(org: Path, *data: Path, extra: tuple[str, ...] = ()) -> dict[str, Any]:
    args = ["check", str(org), "-f", "json", "--fail-on", "never", "--today", "2026-12-01"]
    run = invoke(*args, *(a for d in data for a in ("--data", str(d))), *extra)
    assert run.exit_code == 0, run.stderr
    document: dict[str, Any] = run.json()
    return document


# -- the numbers: an independent computation with SciPy -----------------------------------------
def _reference(data: dict[str, dict[str, float]], m: str, n: str, lags: int) -> tuple[Any, ...]:
    common = sorted(data[m].keys() & data[n].keys())
    dm = [(data[m][b] - data[m][a]) * DIRECTION[m] for a, b in pairwise(common)]
    dn = [(data[n][b] - data[n][a]) * DIRECTION[n] for a, b in pairwise(common)]
    length = len(dm)
    tried = [k for k in range(lags + 1) if length - k >= 12]
    best = None
    for k in tried:
        result = sp.spearmanr(dm[: length - k], dn[k:])
        if result.pvalue == result.pvalue and (best is None or result.pvalue < best[0]):
            best = (result.pvalue, k, result.statistic)
    if best is None:
        return length, None, None, None
    return length, best[1], best[2], min(1.0, best[0] * len(tried))


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(seed=st.integers(0, 10_000), n=st.integers(10, 60), missing=st.sampled_from([0.0, 0.2]))
def test_every_number_equals_scipy(tmp_path: Path, seed: int, n: int, missing: float) -> None:
    org = tmp_path / "org.yaml"
    org.write_text(ORG, encoding="utf-8")
    data = _values(seed, n, missing)
    document = _check_json(org, _long_csv(tmp_path / "d.csv", data))
    rows = document["evidence"]
    for family, lags in (("declared", 1), ("undeclared", 0)):
        mine = [r for r in rows if r["family"] == family]
        expected = [_reference(data, r["source"], r["target"], lags) for r in mine]
        tested = [e[3] for e in expected if e[1] is not None]
        qs = iter(sp.false_discovery_control(tested).tolist() if tested else [])
        for row, (length, lag, rho, p) in zip(mine, expected, strict=True):
            assert (row["periods"], row["lag"]) == (length, lag), row
            if lag is None:
                assert row["rho"] is row["p"] is row["q"] is None and row["verdict"] == "untested"
                continue
            assert row["rho"] == pytest.approx(round(rho, 6), abs=1e-9)
            assert row["p"] == pytest.approx(round(p, 6), abs=1e-9)
            assert row["q"] == pytest.approx(round(next(qs), 6), abs=1e-9)
    assert [(r["family"], r["source"], r["target"]) for r in rows] == sorted(
        (r["family"], r["source"], r["target"]) for r in rows
    )
    # the undeclared family: pairs measured for one customer, nothing declared or reached
    assert [(r["source"], r["target"]) for r in rows if r["family"] == "undeclared"] == [
        ("aht", "cost"),
        ("csat", "wait"),
        ("fcr", "wait"),
    ]


def test_trends_equal_scipy_kendall(tmp_path: Path) -> None:
    org = tmp_path / "org.yaml"
    org.write_text(ORG, encoding="utf-8")
    data = _values(3, 30)
    trends = _check_json(org, _long_csv(tmp_path / "d.csv", data))["trends"]
    # its guardrail first, then what is measured for its stakeholder (but not its own metric)
    assert [(t["other"], t["relation"]) for t in trends] == [
        ("csat", "guardrail"),
        ("aht", "stakeholder"),
    ]
    trend = trends[0]
    window = sorted(data["cost"])[-12:]
    assert (trend["objective"], trend["other"], trend["relation"]) == (
        "bot.cheap",
        "csat",
        "guardrail",
    )
    assert (trend["first"], trend["last"], trend["periods"]) == (window[0], window[-1], 12)
    for metric, key in (("cost", "metric"), ("csat", "other")):
        values = [data[metric][p] * DIRECTION[metric] for p in window]
        expected = sp.kendalltau(values, list(range(12)))
        assert trend[f"{key}_tau"] == pytest.approx(round(expected.statistic, 6), abs=1e-9)
        assert trend[f"{key}_p"] == pytest.approx(round(expected.pvalue, 6), abs=1e-9)


# -- one set of numbers, every shape and format: the same bytes -----------------------------------
def test_wide_long_parquet_and_duckdb_give_identical_json(tmp_path: Path) -> None:
    org = tmp_path / "org.yaml"
    org.write_text(ORG, encoding="utf-8")
    data = _values(11, 40, missing=0.1)
    long = _long_csv(tmp_path / "long.csv", data)
    wide = _wide_csv(tmp_path / "wide.csv", data)
    parquet, database = tmp_path / "d.parquet", tmp_path / "d.duckdb"
    con = duckdb.connect(str(database))
    con.execute(
        "CREATE TABLE align_audit_metrics AS SELECT metric, CAST(period AS DATE) AS period, "
        "CAST(value AS DOUBLE) AS value FROM read_csv(?, header = true, all_varchar = true)",
        [str(long)],
    )
    con.execute(f"COPY align_audit_metrics TO '{parquet}' (FORMAT parquet)")
    con.close()
    outputs = {
        path.name: json.dumps(_check_json(org, path), sort_keys=True)
        for path in (long, wide, parquet, database)
    }
    assert len(set(outputs.values())) == 1, outputs.keys()
    assert json.loads(outputs["long.csv"])["evidence"]


def test_split_across_two_files_is_the_same(tmp_path: Path) -> None:
    org = tmp_path / "org.yaml"
    org.write_text(ORG, encoding="utf-8")
    data = _values(5, 30)
    whole = _check_json(org, _long_csv(tmp_path / "all.csv", data))
    first = {m: s for m, s in data.items() if m in ("aht", "fcr")}
    rest = {m: s for m, s in data.items() if m not in first}
    split = _check_json(
        org, _long_csv(tmp_path / "a.csv", first), _wide_csv(tmp_path / "b.csv", rest)
    )
    assert split["evidence"] == whole["evidence"] and split["trends"] == whole["trends"]


def test_without_data_no_evidence_key(tmp_path: Path) -> None:
    org = tmp_path / "org.yaml"
    org.write_text(ORG, encoding="utf-8")
    document = _check_json(org)
    assert "evidence" not in document and "trends" not in document


def test_evidence_parameters_come_from_the_config(tmp_path: Path) -> None:
    org = tmp_path / "org.yaml"
    org.write_text(ORG, encoding="utf-8")
    data = _long_csv(tmp_path / "d.csv", _values(5, 20))
    default = _check_json(org, data)
    assert any(r["lag"] is not None for r in default["evidence"])
    config = tmp_path / "align-audit.toml"
    config.write_text("[evidence]\nmin-periods = 30\nwindow = 25\n", encoding="utf-8")
    strict = _check_json(org, data, extra=("--config", str(config)))
    assert all(r["verdict"] == "untested" for r in strict["evidence"])
    assert all(t["verdict"] == "untested" for t in strict["trends"])


@pytest.mark.parametrize(
    "table",
    [
        "min-periods = 2",
        "max-lag = -1",
        "alpha = 1.5",
        "min-correlation = 'high'",
        "windows = 3",
        "window = 4.5",
    ],
)
def test_bad_evidence_parameters_are_one_line_exit_2(tmp_path: Path, table: str) -> None:
    org = tmp_path / "org.yaml"
    org.write_text(ORG, encoding="utf-8")
    config = tmp_path / "align-audit.toml"
    config.write_text(f"[evidence]\n{table}\n", encoding="utf-8")
    run = invoke("check", str(org), "--config", str(config))
    assert run.exit_code == 2
    assert run.stderr.count("\n") == 1 and "evidence." in run.stderr


# -- the evidence command, report and impact ---------------------------------------------------
HEALTHCARE = str(EXAMPLES / "healthcare.yaml")
HEALTHCARE_DATA = str(EXAMPLES / "healthcare-metrics.csv")


@pytest.mark.parametrize("fmt", ["text", "markdown", "json", "html"])
def test_evidence_command_formats(fmt: str) -> None:
    run = invoke("evidence", HEALTHCARE, "--data", HEALTHCARE_DATA, "-f", fmt)
    assert run.exit_code == 0, run.stderr
    again = invoke("evidence", HEALTHCARE, "--data", HEALTHCARE_DATA, "-f", fmt)
    assert run.stdout == again.stdout
    assert "clinic_utilization" in run.stdout and "contradicted" in run.stdout
    if fmt == "json":
        document = run.json()
        assert document["data"]["periods"] == 130 and document["data"]["metrics"] == 9
        assert {r["verdict"] for r in document["evidence"]} >= {"contradicted", "confirmed"}
    if fmt == "html":
        # 7 optimized or guardrail metrics, and readmission_rate_30d, losing (AA304)
        assert run.stdout.count('<svg class="spark') == 8
        # readmission_rate_30d, losing while the claims optimizer wins, in the warning colour
        assert run.stdout.count('<svg class="spark alarm"') == 1
        assert (
            'class="spark alarm" width="160" height="28" viewBox="0 0 160 28" role="img" '
            'aria-label="readmission_rate_30d' in run.stdout
        )


def test_evidence_command_needs_data() -> None:
    run = invoke("evidence", HEALTHCARE)
    assert run.exit_code == 2
    assert run.stderr.strip().endswith("in the configuration") and run.stderr.count("\n") == 1


def test_evidence_command_with_bad_data_marks_its_output(tmp_path: Path) -> None:
    data = tmp_path / "d.csv"
    data.write_text("metric,period,value\ncsat,2026-01-05,high\n", encoding="utf-8")
    run = invoke("evidence", HEALTHCARE, "--data", str(data), "-f", "markdown")
    assert run.exit_code == 1
    assert "AA007" in run.stderr and "[!WARNING]" in run.stdout


def test_report_has_an_evidence_section_only_with_data() -> None:
    args = ("report", HEALTHCARE, "--today", "2026-12-01")
    with_data = invoke(*args, "--data", HEALTHCARE_DATA, "-f", "markdown")
    without = invoke(*args, "-f", "markdown")
    assert with_data.exit_code == without.exit_code == 0
    assert "## Evidence: declared vs observed" in with_data.stdout
    assert "Evidence" not in without.stdout
    assert "▁" in with_data.stdout or "█" in with_data.stdout  # sparklines in markdown
    html = invoke(*args, "--data", HEALTHCARE_DATA, "-f", "html").stdout
    assert html.count('<svg class="spark') == 8 and 'href="#evidence"' in html


def test_impact_marks_witness_edges_with_their_verdicts() -> None:
    args = ("impact", HEALTHCARE, "--objective", "claims_optimizer.lower_episode_cost")
    text = invoke(*args, "--data", HEALTHCARE_DATA).stdout
    assert "cost_per_episode →(confirmed) length_of_stay" in text
    document = invoke(*args, "--data", HEALTHCARE_DATA, "-f", "json").json()
    effects = document["objectives"][0]["effects"]
    los = next(e for e in effects if e["target"] == "length_of_stay")
    assert los["path"] == ["cost_per_episode", "length_of_stay"] and los["verdicts"] == [
        "confirmed"
    ]
    plain = invoke(*args, "-f", "json").json()["objectives"][0]["effects"]
    assert all("verdicts" not in e for e in plain)


@pytest.mark.parametrize(
    ("example", "codes"),
    [
        ("healthcare", {"AA301", "AA303", "AA304"}),
        ("customer-service", {"AA301", "AA304", "AA305"}),
    ],
)
def test_the_examples_tell_their_story(example: str, codes: set[str]) -> None:
    """The README's commands find what the README says."""
    run = invoke(
        "check",
        str(EXAMPLES / f"{example}.yaml"),
        "--data",
        str(EXAMPLES / f"{example}-metrics.csv"),
        "-f",
        "json",
        "--select",
        "AA3",
    )
    found = {f["code"] for f in run.findings() if f["severity"] != "info"}
    assert found == codes


def test_chromium_renders_the_evidence_page(tmp_path: Path) -> None:
    browser = next(
        (
            shutil.which(n)
            for n in ("chromium", "chromium-browser", "google-chrome")
            if shutil.which(n)
        ),
        None,
    )
    if browser is None:
        pytest.skip("chromium is not installed")
    page = tmp_path / "evidence.html"
    run = invoke("evidence", HEALTHCARE, "--data", HEALTHCARE_DATA, "-f", "html", "-o", str(page))
    assert run.exit_code == 0, run.stderr
    dom = subprocess.run(
        [
            browser,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            f"--user-data-dir={tmp_path / 'profile'}",
            "--dump-dom",
            page.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=90,
        check=False,
    ).stdout
    assert dom.count("<polyline") == 8  # every sparkline parsed as SVG
    assert "contradicted" in dom


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.tuples(
            st.sampled_from([*METRICS, "ghost"]),
            st.integers(-3, 40),
            st.floats(allow_nan=False, allow_infinity=False) | st.sampled_from([0.0, 1.0, 1e308]),
        ),
        max_size=120,
    ),
    st.sampled_from(["", "[evidence]\nmin-periods = 3\nwindow = 3\nmax-lag = 5\n"]),
)
def test_any_observations_give_findings_not_tracebacks(
    tmp_path: Path, rows: list[tuple[str, int, float]], config: str
) -> None:
    """Extreme values, repeats, a handful of periods, loose parameters: the evidence stage
    always ends in findings and parseable JSON."""
    org = tmp_path / "org.yaml"
    org.write_text(ORG, encoding="utf-8")
    data = tmp_path / "d.csv"
    data.write_text(
        "metric,period,value\n" + "".join(f"{m},{p},{v!r}\n" for m, p, v in rows),
        encoding="utf-8",
    )
    settings_file = tmp_path / "align-audit.toml"
    settings_file.write_text(config, encoding="utf-8")
    args = ["check", str(org), "--data", str(data), "-f", "json", "--config", str(settings_file)]
    run = invoke(*args)
    assert run.exit_code in (0, 1), run.stderr
    document = run.json()
    assert "Traceback" not in run.stderr and "Warning" not in run.stderr
    repeated = len({(m, p) for m, p, _ in rows}) < len(rows)
    codes = {f["code"] for f in document["findings"]}
    assert ("AA007" in codes) == repeated
    for row in document["evidence"]:
        for key in ("rho", "p", "q"):
            assert row[key] is None or (row[key] == row[key] and -1 <= row[key] <= 1)


def test_extreme_values_print_no_warning(tmp_path: Path) -> None:
    """Steps between ±1.7e308 overflow to ±inf: ranked last, and nothing on stderr (a real
    process: pytest would swallow numpy's warnings)."""
    import sys

    org = tmp_path / "org.yaml"
    org.write_text(ORG, encoding="utf-8")
    lines = ["metric,period,value"]
    for week in range(20):
        lines.append(f"aht,{week},{1.7e308 if week % 2 else -1.7e308}")
        lines.append(f"fcr,{week},{float(week % 3)}")
    data = tmp_path / "d.csv"
    data.write_text("\n".join(lines) + "\n", encoding="utf-8")
    run = subprocess.run(
        [sys.executable, "-m", "align_audit", "check", str(org), "--data", str(data), "-f", "json"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode in (0, 1) and run.stderr == ""
    [pair] = [r for r in json.loads(run.stdout)["evidence"] if r["target"] == "fcr"]
    assert pair["source"] == "aht" and pair["lag"] is not None
