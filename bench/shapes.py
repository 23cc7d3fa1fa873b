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

    python bench/shapes.py --measure 10000     # check, impact, report, graph against the parse
                                               # floor, every shape, side by side in one run
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


def measure(n: int, repeat: int) -> None:
    """Every command against the parse floor, every shape, in one run."""
    import sys
    import tempfile
    from pathlib import Path

    from run import PY, floor_cmd, run

    commands = {
        "check": ["check", "-f", "json", "-o", "/dev/null"],
        "impact": ["impact", "-o", "/dev/null"],
        "report": ["report", "-o", "/dev/null"],
        "report html": ["report", "-f", "html", "-o", "/dev/null"],
        "graph json": ["graph", "-f", "json", "-o", "/dev/null"],
    }
    print(f"| shape ({n:,}) | floor | " + " | ".join(commands) + " | check peak |")
    print("|---|---|" + "---|" * len(commands) + "---|")
    with tempfile.TemporaryDirectory() as tmp:
        for name, make in SHAPES.items():
            path = Path(tmp) / f"{name}.yaml"
            path.write_text(make(n), encoding="utf-8")
            floor = run(floor_cmd([str(path)]), repeat)
            cells, peak = [], 0.0
            for command in commands.values():
                sample = run([PY, "-m", "align_audit", command[0], str(path), *command[1:]], repeat)
                ratio = sample.seconds / floor.seconds
                cells.append(f"{sample.seconds:.2f} s ({ratio:.2f}×)")
                peak = peak or sample.peak_mb
            print(
                f"| {name} | {floor.seconds:.2f} s | " + " | ".join(cells) + f" | {peak:.0f} MB |"
            )
            sys.stdout.flush()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("shape", nargs="?", choices=sorted(SHAPES))
    parser.add_argument("declarations", type=int)
    parser.add_argument("--measure", action="store_true", help="measure every shape instead")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    if args.measure:
        measure(args.declarations, args.repeat)
    elif args.shape:
        print(SHAPES[args.shape](args.declarations), end="")
    else:
        parser.error("name a shape, or --measure")


if __name__ == "__main__":
    main()
