"""Organizations of other shapes than bench/generate.py's short driver trees (issue 16).

    python bench/shapes.py chain 20000 > /tmp/chain-20k.yaml

- ``chain``: long driver chains — one chain of about a hundred metrics per customer, each metric
  affecting one or two of the next eight in its chain, every objective guarded: many findings
  with long witness paths.
- ``dense``: 5–10 effects per metric, on metrics within fifty of it either way (cycles).
- ``wide``: a customer per ten declarations, three outcomes each, metrics serving one to three
  outcomes, hardly any effects.
- ``findings``: most objectives claim a customer their metric does not serve, none is guarded.
- ``tree``: bench/generate.py's short driver trees.

    python bench/shapes.py --measure 10000 100000   # per shape: check against the parse floor,
                                                    # every other command against check
    python bench/shapes.py --measure 2000 --only dense   # one shape
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

CHAIN = 100
"""Metrics per chain."""
ROLES = ("end_user", "influencer", "buyer", "regulator", "employee", "shareholder")


def chain(n: int, seed: int = 11) -> str:
    """About n declarations in long driver chains."""
    rng = random.Random(seed)
    customers = max(2, n // 100)
    systems = max(1, n // 50)
    metrics = max(20, n - customers * 2 - systems * 2)
    out = ["customers:\n"]
    for c in range(customers):
        out.append(
            f"  - id: customer_{c}\n    role: {ROLES[c % len(ROLES)]}\n    outcomes: [goal]\n"
        )
    out.append("metrics:\n")
    for m in range(metrics):
        direction = "increase" if rng.random() < 0.6 else "decrease"
        out.append(f"  - id: metric_{m}\n    direction: {direction}\n")
        if m % 25 == 0:
            out.append(f"    serves: [customer_{(m // CHAIN) % customers}.goal]\n")
        end = min(metrics, (m // CHAIN + 1) * CHAIN)  # effects stay inside the chain
        targets = sorted({m + rng.randint(1, 8) for _ in range(rng.randint(1, 2))})
        targets = [t for t in targets if t < end]
        if targets:
            out.append("    effects:\n")
            for t in targets:
                out.append(f"      metric_{t}: {rng.choice(('helps', 'helps', 'hurts', 40))}\n")
    out.append("systems:\n")
    for s in range(systems):
        metric = rng.randrange(metrics)
        guard = rng.randrange(metrics)
        out.append(
            f"  - id: system_{s}\n    users: [customer_{rng.randrange(customers)}]\n"
            "    objectives:\n"
            f"      - id: objective\n        optimizes: metric_{metric}\n"
            f"        serves: customer_{rng.randrange(customers)}\n"
            f"        guardrails: [metric_{guard}]\n"
        )
    return "".join(out)


def _customers(count: int, outcomes: int = 1) -> list[str]:
    out = ["customers:\n"]
    for c in range(count):
        names = ", ".join(f"goal_{o}" for o in range(outcomes))
        out.append(
            f"  - id: customer_{c}\n    role: {ROLES[c % len(ROLES)]}\n    outcomes: [{names}]\n"
        )
    return out


def _systems(
    rng: random.Random, count: int, metrics: int, customers: int, guarded: bool
) -> list[str]:
    out = ["systems:\n"]
    for s in range(count):
        metric = rng.randrange(metrics)
        out.append(
            f"  - id: system_{s}\n    users: [customer_{rng.randrange(customers)}]\n"
            f"    objectives:\n      - id: objective\n        optimizes: metric_{metric}\n"
            f"        serves: customer_{rng.randrange(customers)}\n"
        )
        if guarded:
            out.append(f"        guardrails: [metric_{rng.randrange(metrics)}]\n")
    return out


def dense(n: int, seed: int = 11) -> str:
    """About n declarations; every metric affects 5-10 others near it (cycles)."""
    rng = random.Random(seed)
    customers, systems = max(2, n // 100), max(1, n // 50)
    metrics = max(60, n - customers * 2 - systems * 2)
    out = _customers(customers)
    out.append("metrics:\n")
    for m in range(metrics):
        out.append(f"  - id: metric_{m}\n    direction: increase\n")
        if m % 10 == 0:
            out.append(f"    serves: [customer_{rng.randrange(customers)}.goal_0]\n")
        targets = {
            min(metrics - 1, max(0, m + rng.randint(-50, 50))) for _ in range(rng.randint(5, 10))
        }
        targets.discard(m)
        if targets:
            out.append("    effects:\n")
            out += [
                f"      metric_{t}: {rng.choice(('helps', 'hurts', 30))}\n" for t in sorted(targets)
            ]
    return "".join(out + _systems(rng, systems, metrics, customers, guarded=True))


def wide(n: int, seed: int = 11) -> str:
    """About n declarations; many customers and outcomes, few effects."""
    rng = random.Random(seed)
    customers, systems = max(2, n // 10), max(1, n // 50)
    metrics = max(10, n - customers * 4 - systems * 2)
    out = _customers(customers, outcomes=3)
    out.append("metrics:\n")
    for m in range(metrics):
        serves = sorted(
            {
                f"customer_{rng.randrange(customers)}.goal_{rng.randrange(3)}"
                for _ in range(rng.randint(1, 3))
            }
        )
        out.append(
            f"  - id: metric_{m}\n    direction: decrease\n    serves: [{', '.join(serves)}]\n"
        )
        if rng.random() < 0.1 and m:
            out.append(f"    effects: {{metric_{rng.randrange(m)}: helps}}\n")
    return "".join(out + _systems(rng, systems, metrics, customers, guarded=True))


def findings(n: int, seed: int = 11) -> str:
    """About n declarations; most objectives misaligned and unguarded."""
    rng = random.Random(seed)
    customers, systems = max(4, n // 100), max(1, n // 10)
    metrics = max(10, n - customers * 2 - systems * 2)
    out = _customers(customers)
    out.append("metrics:\n")
    for m in range(metrics):
        out.append(
            f"  - id: metric_{m}\n    direction: increase\n"
            f"    serves: [customer_{m % customers}.goal_0]\n"
        )
        if m > 1:
            out.append(f"    effects: {{metric_{rng.randrange(m)}: hurts}}\n")
    return "".join(out + _systems(rng, systems, metrics, customers, guarded=False))


def tree(n: int, seed: int = 7) -> str:
    """bench/generate.py's shape."""
    from generate import generate

    return "".join(generate(n, seed))


SHAPES = {"tree": tree, "chain": chain, "dense": dense, "wide": wide, "findings": findings}


PART_BYTES = 8_000_000
"""Larger organizations are split into files of about this size (the default max-file-size is
20 MB), at item boundaries, each file repeating its section's key."""


def split(text: str, part_bytes: int = PART_BYTES) -> list[str]:
    """One organization's text as several files declaring the same things."""
    parts: list[list[str]] = [[]]
    size, section = 0, ""
    for line in text.splitlines(keepends=True):
        if not line.startswith(" "):
            section = line
        elif line.startswith("  - ") and size >= part_bytes:
            parts.append([section])
            size = len(section)
        parts[-1].append(line)
        size += len(line)
    return ["".join(part) for part in parts]


COMMANDS = {
    "impact": ["impact", "-o", "/dev/null"],
    "report": ["report", "-o", "/dev/null"],
    "report html": ["report", "-f", "html", "-o", "/dev/null"],
    "graph json": ["graph", "-f", "json", "-o", "/dev/null"],
    "graph graphml": ["graph", "-f", "graphml", "-o", "/dev/null"],
}
SKIP = {("dense", "impact"): 5_000, ("dense", ""): 20_000}
"""(shape, command) → the size from which it is not run ("" for every command). Every
objective of the dense shape reaches nearly every metric: impact prints each with its witness
path (SPEC §4), an output that grows with the square of the organization (45 MB of JSON at
2,000 declarations), and the audit propagates each objective through the whole graph
(SPEC §2.1), so at 100k it takes minutes."""


BIG = 1_000_000
"""From this size an organization is written as 100 files (issue 16's 1M row), and only
check and the floor are measured."""


def write_shape(folder: Path, name: str, n: int) -> list[str]:
    """The shape's files in ``folder``: one file, several above PART_BYTES, 100 from BIG."""
    folder.mkdir(parents=True, exist_ok=True)
    text = SHAPES[name](n)
    texts = split(text, len(text) // 100 + 1 if n >= BIG else PART_BYTES)
    paths = []
    for i, text in enumerate(texts):
        path = folder / (f"{name}.yaml" if len(texts) == 1 else f"{name}-{i:03d}.yaml")
        path.write_text(text, encoding="utf-8")
        paths.append(str(path))
    return paths


def measure(sizes: list[int], repeat: int, shapes: list[str], markdown: bool = True) -> None:
    """Per shape, one table: check against the parse floor (and against the same parse with the
    collector off, as the audit runs) and its growth, then every other command against check
    (time and peak memory), median of ``repeat`` fresh processes."""
    import shutil
    import tempfile

    from run import AUDIT, check_cmd, floor_cmd, run

    work = Path(tempfile.mkdtemp(prefix="align-shapes-"))
    try:
        for name in shapes:
            print(f"\n### {name}\n")
            head = ["declarations", "files", "floor", "check", "check/floor", "growth", "peak"]
            head += ["json sha256", "floor, collector off", "check/that"]
            print("| " + " | ".join(head + list(COMMANDS)) + " |")
            print("|" + "---|" * (len(head) + len(COMMANDS)))
            previous = None
            for n in sizes:
                if n >= SKIP.get((name, ""), n + 1):
                    print(f"| {n:,} | not run |" + " |" * (len(head) + len(COMMANDS) - 2))
                    continue
                times = repeat if n <= 10_000 else 1  # fresh processes of 100k take minutes
                paths = write_shape(work / f"{name}-{n}", name, n)
                digest = json_digest(paths, work / "out.json")
                floor = run(floor_cmd(paths), times, median=True)
                bare = run(floor_cmd(paths, collector=False), times, median=True)
                check = run(check_cmd(paths), times, median=True)
                growth = f"×{check.seconds / previous:.1f}" if previous else "-"
                previous = check.seconds
                cells = [
                    f"{n:,}",
                    f"{len(paths)} ({sum(Path(p).stat().st_size for p in paths) / 1e6:.1f} MB)",
                    f"{floor.seconds:.2f} s",
                    f"{check.seconds:.2f} s",
                    f"{check.seconds / floor.seconds:.2f}×",
                    growth,
                    f"{check.peak_mb:.0f} MB",
                    f"`{digest}`",
                    f"{bare.seconds:.2f} s",
                    f"{check.seconds / bare.seconds:.2f}×",
                ]
                for label, command in COMMANDS.items():
                    if n >= SKIP.get((name, label), n + 1) or n >= BIG:
                        cells.append("not run")
                        continue
                    other = run([*AUDIT, command[0], *paths, *command[1:]], times, median=True)
                    time, memory = other.seconds / check.seconds, other.peak_mb / check.peak_mb
                    cells.append(f"{time:.2f}× ({memory:.2f}×)")
                print("| " + " | ".join(cells) + " |")
                sys.stdout.flush()
                shutil.rmtree(work / f"{name}-{n}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


def json_digest(paths: list[str], out: Path) -> str:
    """The start of the sha256 of ``check --format json``'s output: the same code gives the
    same bytes, and a change that should not alter the output can be checked not to. Run in
    the shape's folder with the files' names, so that the paths findings show (and the hash)
    do not depend on where the folder was made."""
    import hashlib
    import subprocess

    from run import AUDIT

    folder = Path(paths[0]).parent
    names = [Path(path).name for path in paths]
    command = [*AUDIT, "check", *names, "-f", "json", "-o", str(out.resolve())]
    subprocess.run(command, cwd=folder, check=False)
    digest = hashlib.sha256(out.read_bytes()).hexdigest()[:16]
    out.unlink()
    return digest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("words", nargs="+", metavar="[SHAPE] DECLARATIONS")
    parser.add_argument("--measure", action="store_true", help="measure every shape instead")
    parser.add_argument("--only", action="append", choices=sorted(SHAPES), help="with --measure")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    # argparse cannot tell an optional shape from the sizes after it: read them by hand.
    shape = args.words[0] if args.words[0] in SHAPES else None
    sizes = args.words[1:] if shape else args.words
    if not sizes or not all(size.isdigit() for size in sizes):
        parser.error(f"expected [SHAPE] DECLARATIONS..., SHAPE one of {', '.join(SHAPES)}")
    if args.measure:
        measure([int(size) for size in sizes], args.repeat, args.only or list(SHAPES))
    elif shape:
        print(SHAPES[shape](int(sizes[0])), end="")
    else:
        parser.error("name a shape, or --measure")


if __name__ == "__main__":
    main()
