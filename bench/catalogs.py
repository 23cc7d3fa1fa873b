"""Metric catalogs (SPEC §8) against the same organization written as plain YAML, side by side.

    python bench/catalogs.py              # 5,000 metrics per catalog; prints a markdown table

For each format the organization is the same: --metrics metrics with direction, owner, name
and description, and a refinement file of about 50 lines (customers, a system, a few metrics
with serves and effects). The catalog files are shaped as their tools write them: dbt's
semantic manifest on one line with each metric's type_params and a semantic model per 50
metrics; Eppo's fact sources and metrics; GrowthBook's config.yml mapping; metric-hub TOML
tables. The plain twin writes the same metrics as YAML entries. Each row is the best of
--repeat fresh processes of `check --format json -o /dev/null`; the target is ≤ 1.2×.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from run import PY, compile_bytecode, run  # noqa: E402

FORMATS = ("dbt", "eppo", "growthbook", "metric-hub")
NAMES = {"dbt": "semantic_manifest.json", "eppo": "metrics.yaml"}
NAMES |= {"growthbook": "config.yml", "metric-hub": "definitions.toml"}


def metric(i: int) -> dict[str, str]:
    return {
        "id": f"metric_{i:05d}",
        "direction": "decrease" if i % 7 == 0 else "increase",
        "owner": f"team-{i % 40}",
        "name": f"Metric {i}",
        "description": f"What metric {i} counts, per week, across every market",
    }


def refinement(count: int) -> str:
    """About 50 lines: customers, a system, and a few refined metrics."""
    lines = ["customers:"]
    lines += [f"  - {{id: customer_{c}, role: end_user}}" for c in range(6)]
    lines.append("metrics:")
    for i in range(0, min(count, 28), 2):
        lines.append(f"  - id: metric_{i:05d}")
        lines.append(f"    serves: [customer_{i % 6}]")
        lines.append(
            f"    effects: {{metric_{i + 1:05d}: helps}}" if i % 4 == 0 else "    kind: leading"
        )
    lines += ["systems:", "  - id: ranker", "    objectives:"]
    lines += [
        "      - {id: engage, optimizes: metric_00000, serves: customer_0}",
        "      - {id: retain, optimizes: metric_00002, serves: customer_2}",
    ]
    return "\n".join(lines) + "\n"


def plain(count: int) -> str:
    """The same organization as YAML metric entries (the refinement's fields merged in)."""
    import yaml

    refined = yaml.safe_load(refinement(count))
    extra = {m["id"]: m for m in refined["metrics"]}
    metrics = [{**metric(i), **extra.get(f"metric_{i:05d}", {})} for i in range(count)]
    document = {"customers": refined["customers"], "metrics": metrics}
    document["systems"] = refined["systems"]
    return yaml.safe_dump(document, sort_keys=False)


def dbt(count: int) -> str:
    def measure(name: str) -> dict[str, Any]:
        keys = ("filter", "alias", "fill_nulls_with")
        return {"name": name, **dict.fromkeys(keys), "join_to_timespine": False}

    metrics = []
    for i in range(count):
        m = metric(i)
        params: dict[str, Any] = {"measure": measure(m["id"]), "metrics": []}
        params |= dict.fromkeys(("numerator", "denominator", "expr", "window", "grain_to_date"))
        params |= {"conversion_type_params": None, "cumulative_type_params": None}
        params["input_measures"] = [measure(m["id"])]
        meta = {"direction": m["direction"], "owner": m["owner"]}
        metrics.append(
            {
                "name": m["id"],
                "description": m["description"],
                "type": "simple",
                "type_params": params,
                "filter": None,
                "metadata": None,
                "label": m["name"],
                "config": {"meta": meta},
                "time_granularity": None,
            }
        )
    models = [
        {
            "name": f"model_{k}",
            "description": "One row per event",
            "node_relation": {"alias": f"model_{k}", "schema_name": "marts"},
            "entities": [{"name": "user", "type": "primary", "expr": "user_id"}],
            "measures": [
                {"name": f"metric_{i:05d}", "agg": "sum", "expr": "amount"}
                for i in range(k * 50, min(count, k * 50 + 50))
            ],
            "dimensions": [{"name": "ds", "type": "time"}],
        }
        for k in range((count + 49) // 50)
    ]
    return json.dumps({"semantic_models": models, "metrics": metrics, "saved_queries": []})


def eppo(count: int) -> str:
    import yaml

    facts = [
        {"name": f"fact {d}", "column": "amount", "desired_change": d}
        for d in ("increase", "decrease")
    ]
    source = {"name": "events", "sql": "SELECT * FROM events", "timestamp_column": "ts"}
    source |= {"entities": [{"entity_name": "User", "column": "user_id"}], "facts": facts}
    metrics = []
    for i in range(count):
        m = metric(i)
        # Eppo names are made ids: "metric_00001" stays itself.
        numerator = {"fact_name": f"fact {m['direction']}", "operation": "sum"}
        metrics.append(
            {"name": m["id"], "description": m["description"], "entity": "User"}
            | {"numerator": numerator}
        )
    return yaml.safe_dump({"fact_sources": [source], "metrics": metrics}, sort_keys=False)


def growthbook(count: int) -> str:
    import yaml

    metrics = {}
    for i in range(count):
        m = metric(i)
        metrics[m["id"]] = {
            "type": "count",
            "name": m["name"],
            "description": m["description"],
            "owner": m["owner"],
            "inverse": m["direction"] == "decrease",
            "userIdType": "user_id",
            "datasource": "warehouse",
            "sql": "SELECT user_id, ts AS timestamp, amount AS value FROM events",
        }
    return yaml.safe_dump({"metrics": metrics}, sort_keys=False)


def metric_hub(count: int) -> str:
    out = []
    for i in range(count):
        m = metric(i)
        out += [
            f"[metrics.{m['id']}]",
            'select_expression = "SUM(amount)"',
            'data_source = "events"',
            f'friendly_name = "{m["name"]}"',
            f'description = "{m["description"]}"',
            f"bigger_is_better = {'false' if m['direction'] == 'decrease' else 'true'}",
            f'owner = "{m["owner"]}"',
            "",
        ]
    return "\n".join(out)


WRITERS = {"dbt": dbt, "eppo": eppo, "growthbook": growthbook, "metric-hub": metric_hub}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--metrics", type=int, default=5_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    compile_bytecode()
    print(table(args.metrics, args.repeat))


def table(metrics: int, repeat: int) -> str:
    """The markdown table: each catalog format against its plain YAML twin."""
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        twin = folder / "plain.yaml"
        twin.write_text(plain(metrics), encoding="utf-8")
        for fmt in FORMATS:
            catalog = folder / fmt / NAMES[fmt]
            catalog.parent.mkdir()
            catalog.write_text(WRITERS[fmt](metrics), encoding="utf-8")
            org = catalog.parent / "org.yaml"
            org.write_text(
                f"catalogs: [{{format: {fmt}, path: {NAMES[fmt]}}}]\n" + refinement(metrics),
                encoding="utf-8",
            )
            cmd = [PY, "-m", "align_audit", "check", "-f", "json", "-o", "/dev/null"]
            base = run([*cmd, str(twin)], repeat)
            with_catalog = run([*cmd, str(org)], repeat)
            ratio = with_catalog.seconds / base.seconds
            size = catalog.stat().st_size / 1e6
            print(fmt, f"{base.seconds:.2f}s", f"{with_catalog.seconds:.2f}s", file=sys.stderr)
            rows.append((fmt, size, base, with_catalog, ratio))
    lines = [
        "| catalog | file | plain YAML | catalog + refinement | ratio | peak RSS |",
        "|---|---|---|---|---|---|",
    ]
    for fmt, size, base, with_catalog, ratio in rows:
        lines.append(
            f"| {fmt} | {NAMES[fmt]} ({size:.1f} MB) | {base.seconds:.2f}s | "
            f"{with_catalog.seconds:.2f}s | {ratio:.2f}x | "
            f"{base.peak_mb:.0f} → {with_catalog.peak_mb:.0f} MB |"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    main()
