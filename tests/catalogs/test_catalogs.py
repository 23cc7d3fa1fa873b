"""Metric catalogs (SPEC §8) through the real CLI: what each format gives, where its metrics are
located, how YAML entries refine them, and the bad catalogs that must end in a finding."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from align_audit.catalogs import make_id
from conftest import Run, invoke

HERE = Path(__file__).resolve().parent / "fixtures"
SHOP = HERE / "shop.yaml"


def nodes(*args: str) -> dict[str, dict[str, Any]]:
    run = invoke("graph", *args, "--format", "json")
    assert run.exit_code in (0, 1), run.stderr  # 1: the graph is drawn, with input errors
    return {node["id"]: node for node in run.json()["nodes"]}


def check(*args: str) -> Run:
    return invoke("check", *args, "--format", "json", "--fail-on", "never")


def codes(run: Run) -> list[tuple[str, str]]:
    return sorted((f["code"], f["entity"]) for f in run.findings())


@pytest.mark.parametrize(
    ("name", "ident"),
    [
        ("Checkout conversion", "checkout_conversion"),
        ("Average order value (USD)", "average_order_value_usd"),
        ("7-day retention", "m_7-day_retention"),
        ("__Revenue__", "revenue"),
        ("Über Käufe", "ber_k_ufe"),
        ("", "m_"),
        ("-dash first", "m_-dash_first"),
        ("x" * 80, "x" * 64),
        ("9" * 80, "m_" + "9" * 62),
    ],
)
def test_names_are_made_ids_as_spec_8_says(name: str, ident: str) -> None:
    assert make_id(name) == ident


def test_every_format_gives_ids_directions_owners_and_names() -> None:
    found = nodes(str(SHOP))
    expected = {
        # dbt: config.meta
        "order_total": ("increase", "Order Total"),
        "refund_rate": ("decrease", "Refund Rate"),
        # eppo: the numerator fact's desired_change; a metric's own wins
        "checkout_conversion": ("increase", "Checkout conversion"),
        "refunds_per_user": ("decrease", "Refunds per user"),
        "m_7-day_retention": ("increase", "7-day retention"),
        # growthbook: inverse; mappings keyed by id, factMetrics too
        "signups": ("increase", "Sign Ups"),
        "bounce_rate": ("decrease", "Bounce Rate"),
        "fact__revenue_per_user": ("increase", "Revenue per user"),
        # metric-hub: bigger_is_better
        "active_hours": ("increase", "Active hours"),
        "crash_rate": ("decrease", "Crash rate"),
        "uri_count": ("increase", "URIs visited"),
    }
    for ident, (direction, label) in expected.items():
        assert (found[ident]["direction"], found[ident]["label"]) == (direction, label), ident
    assert "weekly" not in found  # a [metrics] key that is not a table is no metric
    assert "support_contacts" not in found  # no direction: left out (AA008)


def test_catalog_metrics_are_located_in_their_files() -> None:
    found = nodes(str(SHOP))
    where = {ident: found[ident]["location"].rsplit("/", 1)[1] for ident in found}
    assert where["order_total"] == "semantic_manifest.json:100:5"
    assert where["checkout_conversion"] == "eppo_metrics.yaml:22:5"
    assert where["crash_rate"] == "metric_hub.toml:11:1"
    assert where["orders"] == "shop.yaml:10:9"  # refined: located at its YAML entry


def test_one_line_manifest_locates_by_column(tmp_path: Path) -> None:
    """dbt writes the manifest on one line: line 1, and the column of the metric's object."""
    shutil.copy(HERE / "semantic_manifest_compact.json", tmp_path / "m.json")
    org = tmp_path / "org.yaml"
    org.write_text("catalogs: [{format: dbt, path: m.json}]\n", encoding="utf-8")
    text = (tmp_path / "m.json").read_text(encoding="utf-8")
    unserved = {f["entity"]: f for f in check(str(org)).findings() if f["code"] == "AA101"}
    start = text.index('{"name": "order_total", "description"')
    assert (unserved["order_total"]["line"], unserved["order_total"]["column"]) == (1, start + 1)


def test_findings_list_each_catalog_as_a_file_read() -> None:
    summary = check(str(SHOP)).json()["summary"]
    assert summary["files"] == 5


def test_refinement_adds_serves_and_keeps_the_catalogs_direction() -> None:
    run = check(str(SHOP))
    findings = {(f["code"], f["entity"]): f for f in run.findings()}
    assert ("AA101", "orders") not in findings  # refined with serves
    assert ("AA101", "order_total") in findings  # nobody refines it
    mismatch = findings[("AA009", "bounce_rate")]
    assert mismatch["path"].endswith("shop.yaml") and mismatch["line"] == 16
    assert mismatch["related"][0]["path"].endswith("growthbook_config.yml")
    assert nodes(str(SHOP))["bounce_rate"]["direction"] == "decrease"


def test_a_catalog_metric_without_direction_is_aa008_unless_refined() -> None:
    run = check(str(SHOP))
    aa008 = [f for f in run.findings() if f["code"] == "AA008"]
    assert [(f["entity"], f["line"]) for f in aa008] == [("support_contacts", 42)]
    assert nodes(str(SHOP))["delivery_minutes"]["direction"] == "decrease"  # given in YAML


def test_a_yaml_metric_without_direction_refining_nothing_is_still_aa002(
    write: Callable[..., Path],
) -> None:
    org = write("metrics:\n  - id: orders\n")
    (finding,) = check(str(org)).findings()
    assert (finding["code"], finding["line"], finding["message"]) == (
        "AA002",
        2,
        "metric orders: required key 'direction' is missing",
    )


def test_two_catalogs_defining_one_id_is_aa004_on_the_later(tmp_path: Path) -> None:
    shutil.copy(HERE / "semantic_manifest.json", tmp_path / "a.json")
    (tmp_path / "b.toml").write_text(
        '[metrics.orders]\nfriendly_name = "Orders"\n', encoding="utf-8"
    )
    org = tmp_path / "org.yaml"
    org.write_text(
        "catalogs:\n  - {format: dbt, path: a.json}\n  - {format: metric-hub, path: b.toml}\n",
        encoding="utf-8",
    )
    (dup,) = [f for f in check(str(org)).findings() if f["code"] == "AA004"]
    assert dup["entity"] == "orders" and dup["path"].endswith("b.toml") and dup["line"] == 1
    assert dup["related"][0]["path"].endswith("a.json")


def test_a_catalog_named_by_two_files_is_read_once(tmp_path: Path) -> None:
    shutil.copy(HERE / "metric_hub.toml", tmp_path / "hub.toml")
    for team in ("a", "b"):
        (tmp_path / team).mkdir()
        (tmp_path / team / "org.yaml").write_text(
            "catalogs: [{format: metric-hub, path: ../hub.toml}]\n", encoding="utf-8"
        )
    assert not [f for f in check(str(tmp_path)).findings() if f["code"] == "AA004"]


def test_paths_are_relative_to_the_declaring_file(tmp_path: Path) -> None:
    (tmp_path / "teams" / "shop").mkdir(parents=True)
    (tmp_path / "analytics").mkdir()
    shutil.copy(HERE / "metric_hub.toml", tmp_path / "analytics" / "hub.toml")
    org = tmp_path / "teams" / "shop" / "org.yaml"
    org.write_text(
        "catalogs: [{format: metric-hub, path: ../../analytics/hub.toml}]\n", encoding="utf-8"
    )
    assert "crash_rate" in nodes(str(org))


def test_everything_downstream_reads_catalog_metrics(tmp_path: Path) -> None:
    org = tmp_path / "org.yaml"
    shutil.copy(HERE / "metric_hub.toml", tmp_path / "hub.toml")
    org.write_text(
        "catalogs: [{format: metric-hub, path: hub.toml}]\n"
        "customers: [{id: user, role: end_user}]\n"
        "metrics:\n  - {id: active_hours, serves: [user]}\n"
        "  - {id: crash_rate, effects: {active_hours: hurts}}\n"
        "systems:\n  - id: ranker\n    objectives:\n"
        "      - {id: engage, optimizes: active_hours, serves: user}\n",
        encoding="utf-8",
    )
    for command in (
        ("report", "--format", "markdown"),
        ("report", "--format", "html"),
        ("impact",),
        ("graph", "--format", "dot"),
    ):
        run = invoke(*command, str(org))
        assert run.exit_code == 0, (command, run.stderr)
        assert "active_hours" in run.stdout or "Active hours" in run.stdout, command
    data = tmp_path / "data.csv"
    rows = ["metric,period,value"] + [
        f"{m},{w},{v}"
        for w in range(1, 13)
        for m, v in (("active_hours", 100 + w), ("crash_rate", 10 - w * 0.5))
    ]
    data.write_text("\n".join(rows) + "\n", encoding="utf-8")
    run = invoke("evidence", str(org), "--data", str(data), "--format", "json")
    assert run.exit_code == 0, run.stderr
    pairs = {(p["source"], p["target"]) for p in run.json()["evidence"]}
    assert ("crash_rate", "active_hours") in pairs


def test_the_schema_accepts_catalogs_and_refinements() -> None:
    schema = invoke("schema").json()
    document = yaml.safe_load(SHOP.read_text(encoding="utf-8"))
    jsonschema.validate(document, schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"catalogs": [{"format": "looker", "path": "x"}]}, schema)


def _organization(tmp_path: Path, fmt: str, name: str, content: bytes | None) -> Path:
    if content is not None:
        (tmp_path / name).write_bytes(content)
    org = tmp_path / "org.yaml"
    org.write_text(f"catalogs:\n  - format: {fmt}\n    path: {name}\n", encoding="utf-8")
    return org


BAD = [
    ("dbt", "m.json", b'{"metrics": [{"name": "orders", "label": "Ord', 1, 42),
    ("dbt", "m.json", b"[]", 1, 1),
    ("dbt", "m.json", b'{"semantic_models": []}', 1, 1),
    ("dbt", "m.json", b'{"metrics": {"orders": {}}}', 1, 13),
    ("dbt", "m.json", b'{"metrics": [{"label": "x"}]}', 1, 14),
    ("dbt", "m.json", b'{"metrics": [{"name": "o.k"}]}', 1, 14),
    (
        "dbt",
        "m.json",
        b'{"metrics": [{"name": "o", "config": {"meta": {"direction": "up"}}}]}',
        1,
        61,
    ),
    ("dbt", "m.json", b"\xff\xfe{}", 1, 1),
    ("dbt", "m.json", b"[" * 100_000, 1, 1),
    ("metric-hub", "m.toml", b"[metrics.crash_rate\nx = 1\n", 1, 20),
    ("metric-hub", "m.toml", b"[metrics.a]\nbigger_is_better = 'no'\n", 1, 1),
    ("metric-hub", "m.toml", b"metrics = 3\n", 1, 1),
    ("eppo", "m.yaml", b"- metrics\n", 1, 1),
    ("eppo", "m.yaml", b"fact_sources: []\n", 1, 1),
    ("eppo", "m.yaml", b"metrics:\n  - name: A\n    numerator: {}\n", 3, 16),
    ("eppo", "m.yaml", b"metrics: [\n", 2, 1),
    ("eppo", "m.yaml", b"metrics: !!python/object:os.system x\n", 1, 10),
    ("growthbook", "m.yml", b"metrics: 3\n", 1, 10),
    ("growthbook", "m.yml", b"metrics:\n  a: {inverse: maybe}\n", 2, 16),
]


@pytest.mark.parametrize(("fmt", "name", "content", "line", "column"), BAD)
def test_bad_catalogs_are_aa008_at_their_place(
    tmp_path: Path, fmt: str, name: str, content: bytes, line: int, column: int
) -> None:
    run = check(str(_organization(tmp_path, fmt, name, content)))
    assert run.exit_code == 0, run.stderr
    bad = [f for f in run.findings() if f["code"] in ("AA008", "AA001")]
    assert bad, run.findings()
    assert all(f["path"].endswith(name) for f in bad), bad
    assert (bad[0]["line"], bad[0]["column"]) == (line, column), bad[0]


@pytest.mark.parametrize("what", ["missing", "directory", "too large"])
def test_unreadable_catalogs_are_aa008_at_the_path_entry(tmp_path: Path, what: str) -> None:
    org = _organization(tmp_path, "dbt", "m.json", None)
    if what == "directory":
        (tmp_path / "m.json").mkdir()
    if what == "too large":  # sparse: 100 MB on disk costs nothing
        with (tmp_path / "m.json").open("wb") as handle:
            handle.truncate(100_000_000)
    run = invoke("check", str(org), "--format", "json")
    assert run.exit_code == 1, run.stderr
    (finding,) = run.findings()
    assert finding["code"] == "AA008"
    if what == "too large":
        assert finding["path"].endswith("m.json") and "limit" in finding["message"]
    else:
        assert (finding["path"], finding["line"], finding["column"]) == (str(org), 3, 11)
        assert finding["entity"].endswith("m.json")


def test_aa008_cannot_be_ignored_or_waived(tmp_path: Path) -> None:
    org = _organization(tmp_path, "dbt", "m.json", b"{")
    run = invoke("check", str(org), "--ignore", "AA008", "--format", "json")
    assert run.exit_code == 1 and [f["code"] for f in run.findings()] == ["AA008"]


def test_same_input_byte_identical_output() -> None:
    first = invoke("check", str(SHOP), "--format", "sarif").stdout
    assert first == invoke("check", str(SHOP), "--format", "sarif").stdout


def test_output_does_not_depend_on_the_working_directory(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(HERE)
    here = json.loads(invoke("check", "shop.yaml", "--format", "json").stdout)
    paths = {f["path"] for f in here["findings"]}
    assert "metric_hub.toml" in paths and all(not Path(p).is_absolute() for p in paths)


# -- any catalog ends in findings ------------------------------------------------------------

FIXTURE_TEXTS = {
    "dbt": (HERE / "semantic_manifest.json").read_bytes(),
    "eppo": (HERE / "eppo_metrics.yaml").read_bytes(),
    "growthbook": (HERE / "growthbook_config.yml").read_bytes(),
    "metric-hub": (HERE / "metric_hub.toml").read_bytes(),
}
SUFFIX = {"dbt": "json", "eppo": "yaml", "growthbook": "yml", "metric-hub": "toml"}
JSONISH = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=20,
)
SHAPES = st.fixed_dictionaries(
    {},
    optional={
        "metrics": JSONISH,
        "fact_sources": JSONISH,
        "factMetrics": JSONISH,
    },
)


@st.composite
def catalogs(draw: st.DrawFn) -> tuple[str, bytes]:
    fmt = draw(st.sampled_from(sorted(FIXTURE_TEXTS)))
    how = draw(st.sampled_from(["cut", "flip", "shape"]))
    text = FIXTURE_TEXTS[fmt]
    if how == "cut":
        return fmt, text[: draw(st.integers(0, len(text)))]
    if how == "flip":
        at = draw(st.integers(0, len(text) - 1))
        return fmt, text[:at] + bytes([draw(st.integers(0, 255))]) + text[at + 1 :]
    shape = draw(SHAPES)
    if fmt == "metric-hub":
        lines = [f"[metrics.{key}]\nx = {json.dumps(str(value))}" for key, value in shape.items()]
        return fmt, "\n".join(lines).encode()
    return fmt, json.dumps(shape).encode()


@settings(
    max_examples=int(os.environ.get("ALIGN_AUDIT_FUZZ_EXAMPLES", "60")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(catalogs())
def test_any_catalog_ends_in_findings(tmp_path: Path, case: tuple[str, bytes]) -> None:
    fmt, content = case
    name = f"c.{SUFFIX[fmt]}"
    org = _organization(tmp_path, fmt, name, content)
    first = invoke("check", str(org), "--format", "json")
    assert first.exit_code in (0, 1), first.stderr
    assert first.json()["findings"] is not None
    assert invoke("check", str(org), "--format", "json").stdout == first.stdout


def test_metrics_keyed_by_id_in_a_large_mapping_are_located(tmp_path: Path) -> None:
    """Past 32 keys a mapping's key positions come from an index: the same lines as a scan."""
    lines = ["metrics:"]
    for i in range(60):
        lines += [f"  metric_{i:02d}:", f"    name: Metric {i}"]
    org = _organization(tmp_path, "growthbook", "c.yml", "\n".join(lines).encode())
    unserved = {f["entity"]: f["line"] for f in check(str(org)).findings()}
    assert unserved == {f"metric_{i:02d}": 3 + 2 * i for i in range(60)}
