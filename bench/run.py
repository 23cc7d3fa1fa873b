"""Benchmarks, measured side by side in one run, printed as ratios (not part of the tests).

    python bench/run.py                 # 1k, 10k, 100k declarations + cold start
    python bench/run.py --big           # also 1M declarations over 100 files
    python bench/run.py --markdown      # print the table for docs/performance.md
    python bench/run.py --all-shapes    # every shape of bench/shapes.py at 10k and 100k: check
                                        # against the parse floor, every command against check;
                                        # then the evidence and catalog stages (--big: also
                                        # 1M declarations of the tree shape in 100 files)

Each measurement runs in a fresh process; time is the best of --repeat runs (wall clock), peak
memory is that process's max RSS (os.wait4). Peers (yamllint, check-jsonschema) are measured
only when installed (`pip install yamllint check-jsonschema`); they are slow, so they run once
and only up to --peer-limit declarations.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402

PY = sys.executable


@dataclass
class Sample:
    seconds: float
    peak_mb: float


_MEASURE = """
import os, subprocess, sys, time
start = time.perf_counter()
child = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
_, status, usage = os.wait4(child.pid, 0)
print(time.perf_counter() - start, os.waitstatus_to_exitcode(status), usage.ru_maxrss)
"""
"""Runs a command from a fresh, small interpreter and prints its wall time, exit code and peak
RSS (KiB). Linux counts in a process's peak the memory of the process it was forked from (the
old address space at exec): launched from this script, which holds the shapes it wrote, a
10k audit reported 123 MB instead of 50."""


def run(cmd: list[str], repeat: int = 1, median: bool = False) -> Sample:
    """Best (or median) wall time and its peak RSS over ``repeat`` fresh processes."""
    samples = []
    for _ in range(repeat):
        done = subprocess.run(
            [PY, "-c", _MEASURE, *cmd], capture_output=True, text=True, check=True
        )
        elapsed, code, peak_kib = done.stdout.split()
        if int(code) not in (0, 1):
            raise SystemExit(f"{' '.join(cmd)} exited {code}")
        samples.append(Sample(float(elapsed), int(peak_kib) / 1024))
    if median:
        return sorted(samples, key=lambda s: s.seconds)[len(samples) // 2]
    return min(samples, key=lambda s: s.seconds)


def median_time(cmd: list[str], repeat: int, env: dict[str, str] | None = None) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(
            cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False, env=env
        )
        times.append(time.perf_counter() - start)
    return statistics.median(times)


# The installed command, as users run it (else the module).
_SCRIPT = Path(PY).parent / "align-audit"
AUDIT = [str(_SCRIPT)] if _SCRIPT.exists() else [PY, "-m", "align_audit"]


# align-audit skips pydantic's plugin scan (it needs no plugins); so does this floor.
_NO_PLUGINS = {**os.environ, "PYDANTIC_DISABLE_PLUGINS": "__all__"}
_PYDANTIC_FLOOR = (
    "import typer, networkx, yaml\n"
    "from pydantic import TypeAdapter\n"
    "from pydantic.dataclasses import dataclass\n"
    "TypeAdapter(str)\n"
    "@dataclass\n"
    "class Declaration:\n"
    "    id: str\n"
)


def check_cmd(paths: list[str]) -> list[str]:
    return [*AUDIT, "check", *paths, "--format", "json", "-o", os.devnull]


def compile_bytecode() -> None:
    """Byte-compile align_audit as ``pip install`` does: an editable install under
    PYTHONDONTWRITEBYTECODE=1 would otherwise compile every module on every start."""
    import compileall

    import align_audit

    compileall.compile_dir(str(Path(align_audit.__file__).parent), quiet=1)


def floor_cmd(paths: list[str], collector: bool = True) -> list[str]:
    """The parse floor: a plain CSafeLoader load of ``paths``. Without the ``collector``, the
    same load with Python's garbage collector off, as the audit runs: at 100k declarations
    the collector's passes over the growing document are most of the plain load's time."""
    code = (
        ("" if collector else "import gc; gc.disable()\n") + "import sys, yaml\n"
        "for p in sys.argv[1:]:\n"
        "    with open(p, encoding='utf-8') as f: yaml.load(f, Loader=yaml.CSafeLoader)\n"
    )
    return [PY, "-c", code, *paths]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--big", action="store_true", help="also 1M declarations in 100 files")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--peer-limit", type=int, default=100_000)
    parser.add_argument("--markdown", action="store_true")
    parser.add_argument("--all-shapes", action="store_true", help="the tables of issue 16")
    args = parser.parse_args()
    compile_bytecode()
    if args.all_shapes:
        from evidence import table as evidence_table
        from shapes import BIG, SHAPES, measure

        from catalogs import table as catalogs_table

        measure([10_000, 100_000], args.repeat, list(SHAPES))
        if args.big:  # 1M in 100 files: minutes per process, so the benchmark's shape only
            measure([BIG], 1, ["tree"])
        print("\n### evidence stage (SPEC §7): 10,000 metrics × 104 weeks\n")
        print(evidence_table(args.repeat))
        print("\n### metric catalogs (SPEC §8): 5,000 metrics per catalog\n")
        print(catalogs_table(5_000, args.repeat))
        return

    work = Path(tempfile.mkdtemp(prefix="align-bench-"))
    schema = work / "schema.json"
    subprocess.run([*AUDIT, "schema", "-o", str(schema)], check=True)
    sizes = [1_000, 10_000, 100_000] + ([1_000_000] if args.big else [])
    rows: list[tuple[str, ...]] = []
    previous: float | None = None
    for n in sizes:
        if n >= 1_000_000:
            folder = work / f"org-{n}"
            folder.mkdir()
            for i, text in enumerate(generate(n, files=100)):
                (folder / f"part-{i:03d}.yaml").write_text(text, encoding="utf-8")
            paths = sorted(str(p) for p in folder.iterdir())
            label = f"{n:,} (100 files)"
        else:
            path = work / f"org-{n}.yaml"
            path.write_text(generate(n)[0], encoding="utf-8")
            paths = [str(path)]
            label = f"{n:,}"
        repeat = args.repeat if n <= 100_000 else 1
        ours = run(check_cmd(paths), repeat)
        floor = run(floor_cmd(paths), repeat)
        growth = f"{ours.seconds / previous:.1f}x" if previous else "-"
        previous = ours.seconds
        peers = []
        for name, cmd in (
            ("yamllint", ["yamllint", "-d", "relaxed", *paths]),
            ("check-jsonschema", ["check-jsonschema", "--schemafile", str(schema), *paths]),
        ):
            if shutil.which(cmd[0]) and n <= args.peer_limit and len(paths) == 1:
                peer = run(cmd, 1)
                peers.append(f"{name} {peer.seconds:.2f}s ({peer.seconds / ours.seconds:.0f}x)")
            else:
                peers.append(f"{name} -")
        size_mb = sum(Path(p).stat().st_size for p in paths) / 1e6
        rows.append(
            (
                label,
                f"{size_mb:.1f} MB",
                f"{ours.seconds:.2f}s",
                f"{floor.seconds:.2f}s",
                f"{ours.seconds / floor.seconds:.2f}x",
                growth,
                f"{ours.peak_mb:.0f} MB",
                "; ".join(peers),
            )
        )
    healthcare = str(ROOT / "examples" / "healthcare.yaml")
    cold = median_time(check_cmd([healthcare]), 15)
    deps = median_time([PY, "-c", "import typer, networkx, yaml"], 15)
    # What typer itself adds when it parses any option (a pydantic TypeAdapter per parameter),
    # and what validating with pydantic needs: the floor with pydantic in it.
    with_pydantic = median_time([PY, "-c", _PYDANTIC_FLOOR], 15, _NO_PLUGINS)
    version = median_time([*AUDIT, "--version"], 15)
    helptime = median_time([*AUDIT, "--help"], 15)
    typer_only = median_time([PY, "-c", "import typer"], 15)
    shutil.rmtree(work)

    header = (
        "declarations",
        "file",
        "check",
        "CSafeLoader load",
        "check/load",
        "growth",
        "peak RSS",
        "peers (their time, × ours)",
    )
    if args.markdown:
        print("| " + " | ".join(header) + " |")
        print("|" + "---|" * len(header))
        for row in rows:
            print("| " + " | ".join(row) + " |")
        print()
        print("| start-up | time | floor | ratio |\n|---|---|---|---|")
        print(
            f"| check examples/healthcare.yaml | {cold:.3f}s | import typer, networkx, yaml "
            f"{deps:.3f}s | {cold / deps:.2f}x |"
        )
        print(
            f"| check examples/healthcare.yaml | {cold:.3f}s | the same + pydantic (a TypeAdapter "
            f"and a dataclass) {with_pydantic:.3f}s | {cold / with_pydantic:.2f}x |"
        )
        print(
            f"| --version | {version:.3f}s | import typer {typer_only:.3f}s | "
            f"{version / typer_only:.2f}x |"
        )
        print(
            f"| --help | {helptime:.3f}s | import typer {typer_only:.3f}s | "
            f"{helptime / typer_only:.2f}x |"
        )
        return
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    for row in [header, *rows]:
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)))
    print()
    print(
        f"cold check healthcare.yaml {cold:.3f}s vs import typer+networkx+yaml {deps:.3f}s "
        f"= {cold / deps:.2f}x"
    )
    print(
        f"cold check healthcare.yaml {cold:.3f}s vs that floor + pydantic {with_pydantic:.3f}s "
        f"= {cold / with_pydantic:.2f}x"
    )
    print(
        f"--version {version:.3f}s, --help {helptime:.3f}s vs import typer {typer_only:.3f}s "
        f"= {version / typer_only:.2f}x, {helptime / typer_only:.2f}x"
    )


if __name__ == "__main__":
    main()
