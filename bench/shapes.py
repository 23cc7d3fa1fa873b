"""Organizations of other shapes than bench/generate.py's short driver trees (issue 16).

    python bench/shapes.py chain 20000 > /tmp/chain-20k.yaml

- ``chain``: long driver chains — one chain of about a hundred metrics per customer, each metric
  affecting one or two of the next eight in its chain, every objective guarded: many findings
  with long witness paths.
"""

from __future__ import annotations

import argparse
import random

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
        out.append(
            f"  - id: metric_{m}\n    direction: {'increase' if rng.random() < 0.6 else 'decrease'}\n"
        )
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


SHAPES = {"chain": chain}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("shape", choices=sorted(SHAPES))
    parser.add_argument("declarations", type=int)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    print(SHAPES[args.shape](args.declarations, args.seed), end="")


if __name__ == "__main__":
    main()
