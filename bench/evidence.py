"""The evidence stage (SPEC §7) against the rest of the audit, side by side in one run.

    python bench/evidence.py     # 10,000 metrics x 104 weekly periods; prints a markdown table

The organization comes from bench/generate.py (about 10,000 metrics in driver trees); the data
is a random walk per metric, written by DuckDB as long CSV (about 1M rows), wide CSV and
Parquet, in several shapes: complete; 20% of the cells missing at random (every pair then has
its own common periods); and every metric measured for one customer (about 50 million
undeclared pairs would be far too many: the shape caps it at 1,000 metrics per customer).

Each row is the best of --repeat fresh processes of `check --format json -o /dev/null`; the
evidence stage is (check with data) − (check without), and the target is evidence ≤ 1.0× the
rest. Peak memory is the process's max RSS.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402
from run import PY, Sample, compile_bytecode, run  # noqa: E402

DECLARATIONS = 12_200  # bench/generate.py's plan gives about 10,000 metrics for this many
WEEKS = 104


def write_data(folder: Path, org: Path, missing: float, wide: bool) -> dict[str, Path]:
    """CSV (long, or wide too) and Parquet of one random walk per declared metric."""
    import duckdb
    import numpy as np
    import yaml

    metrics = [m["id"] for m in yaml.load(org.read_text(), Loader=yaml.CSafeLoader)["metrics"]]
    rng = np.random.default_rng(7)
    values = 100 + rng.normal(0, 1, (len(metrics), WEEKS)).cumsum(axis=1)
    values[rng.random(values.shape) < missing] = np.nan
    folder.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect()
    i, j = np.nonzero(~np.isnan(values))
    con.register("cells", {"i": i, "j": j, "value": values[i, j]})
    con.register("names", {"i": np.arange(len(metrics)), "metric": np.asarray(metrics)})
    con.execute(
        "CREATE TABLE walk AS SELECT metric, DATE '2024-01-01' + 7 * CAST(j AS INTEGER) AS period, "
        "value FROM cells JOIN names USING (i)"
    )
    out = {"long csv": folder / "long.csv", "parquet": folder / "long.parquet"}
    con.execute(f"COPY (SELECT * FROM walk ORDER BY metric, period) TO '{out['long csv']}'")
    con.execute(f"COPY walk TO '{out['parquet']}' (FORMAT parquet)")
    if wide:
        out["wide csv"] = folder / "wide.csv"
        con.execute(
            f"COPY (PIVOT walk ON metric USING first(value) GROUP BY period ORDER BY period) "
            f"TO '{out['wide csv']}'"
        )
    con.close()
    return out


def one_customer(org: Path, folder: Path, cap: int) -> Path:
    """The same organization with the first ``cap`` metrics all measured for one customer."""
    import yaml

    data = yaml.load(org.read_text(), Loader=yaml.CSafeLoader)
    first = data["customers"][0]["id"]
    for metric in data["metrics"][:cap]:
        metric["serves"] = [first]
    path = folder / "one-customer.yaml"
    path.write_text(yaml.dump(data, Dumper=yaml.CSafeDumper), encoding="utf-8")
    return path


def check(org: Path, data: Path | None, repeat: int) -> Sample:
    cmd = [PY, "-m", "align_audit", "check", str(org), "-f", "json", "-o", "/dev/null"]
    return run(cmd + (["--data", str(data)] if data else []), repeat)


def prepare(folder: Path) -> None:
    """Write the organizations and the data (in a process of its own: a forked child counts
    its parent's memory in its peak RSS, so the measuring process stays small)."""
    org = folder / "org.yaml"
    org.write_text(generate(DECLARATIONS)[0], encoding="utf-8")
    write_data(folder / "complete", org, 0.0, True)
    write_data(folder / "missing", org, 0.2, False)
    one_customer(org, folder, 1_000)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--prepare", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.prepare:
        prepare(args.prepare)
        return
    compile_bytecode()
    print(table(args.repeat))


def table(repeat: int) -> str:
    """The markdown table: the evidence stage against the rest, per shape of data."""
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        subprocess.run([PY, __file__, "--prepare", str(folder)], check=True)
        org, complete = folder / "org.yaml", folder / "complete"
        shapes = [
            (
                "complete",
                org,
                [complete / "long.csv", complete / "long.parquet", complete / "wide.csv"],
            ),
            ("20% missing", org, [folder / "missing" / "long.csv"]),
            (
                "1,000 metrics for one customer",
                folder / "one-customer.yaml",
                [complete / "long.parquet"],
            ),
        ]
        for shape, declarations, files in shapes:
            rest = check(declarations, None, repeat)
            for path in files:
                size = path.stat().st_size / 1e6
                total = check(declarations, path, repeat)
                ratio = (total.seconds - rest.seconds) / rest.seconds
                rows.append((shape, f"{path.name} ({size:.0f} MB)", rest, total, ratio))
                print(
                    shape,
                    path.name,
                    f"{rest.seconds:.2f}s",
                    f"{total.seconds:.2f}s",
                    f"{ratio:.2f}x",
                    file=sys.stderr,
                )
    lines = [
        "| data | file | audit without data | with data | evidence / rest | peak RSS |",
        "|---|---|---|---|---|---|",
    ]
    for shape, kind, rest, total, ratio in rows:
        lines.append(
            f"| {shape} | {kind} | {rest.seconds:.2f}s | {total.seconds:.2f}s | {ratio:.2f}x | "
            f"{rest.peak_mb:.0f} → {total.peak_mb:.0f} MB |"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    main()
