"""Generate a realistic organization of N declarations (customers, outcomes, metrics in driver
trees, systems of guarded objectives, tradeoffs) as YAML, deterministic for a given seed.

    python bench/generate.py 10000 > /tmp/org-10k.yaml
    python bench/generate.py 1000000 --files 100 --out /tmp/org-1m/
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

ROLES = ("end_user", "influencer", "buyer", "regulator", "employee", "shareholder")
IMPACTS = ("helps", "helps", "helps", "hurts", "makes", "breaks", 40, -60)


def _plan(n: int) -> tuple[int, int, int]:
    """Split n declarations: ~2% customers (3 outcomes each), ~80% metrics, the rest systems
    with ~3 objectives each."""
    customers = max(2, n // 50)
    systems = max(1, n // 40)
    metrics = max(4, n - customers * 4 - systems * 4)
    return customers, metrics, systems


def generate(n: int, seed: int = 7, files: int = 1) -> list[str]:
    """YAML texts (one per file) holding about n declarations in total."""
    rng = random.Random(seed)
    n_customers, n_metrics, n_systems = _plan(n)
    customers = [f"customer_{i}" for i in range(n_customers)]
    outcomes = [f"{c}.outcome_{j}" for c in customers for j in range(3)]
    metrics = [f"metric_{i}" for i in range(n_metrics)]
    blocks: list[tuple[str, str]] = []
    for i, cid in enumerate(customers):
        blocks.append(
            (
                "customers",
                f"  - id: {cid}\n    role: {ROLES[i % len(ROLES)]}\n"
                f"    name: Customer {i}\n    outcomes:\n"
                + "".join(
                    f"      - id: outcome_{j}\n        description: Outcome {j}\n" for j in range(3)
                ),
            )
        )
    for i, mid in enumerate(metrics):
        lines = [
            f"  - id: {mid}\n",
            f"    direction: {'increase' if rng.random() < 0.6 else 'decrease'}\n",
            f"    kind: {'leading' if rng.random() < 0.5 else 'lagging'}\n",
            f"    owner: team_{i % 17}\n",
        ]
        if rng.random() < 0.35:  # roots of driver trees are measured for an outcome
            lines.append(f"    serves: [{rng.choice(outcomes)}]\n")
        nearby = [metrics[j] for j in range(max(0, i - 20), i) if j != i]
        k = rng.choice((0, 1, 1, 2))
        if nearby and k:
            targets = rng.sample(nearby, min(k, len(nearby)))
            lines.append("    effects:\n")
            lines.extend(f"      {t}: {rng.choice(IMPACTS)}\n" for t in targets)
        blocks.append(("metrics", "".join(lines)))
    for s in range(n_systems):
        objectives = []
        for o in range(rng.randint(1, 5)):
            metric = rng.choice(metrics)
            guards = rng.sample(metrics, 2)
            objectives.append(
                f"      - id: objective_{o}\n        optimizes: {metric}\n"
                f"        serves: {rng.choice(customers)}\n"
                f"        guardrails: [{guards[0]}, {{metric: {guards[1]}, threshold: '>= 1'}}]\n"
            )
        blocks.append(
            (
                "systems",
                f"  - id: system_{s}\n    owner: team_{s % 17}\n"
                f"    users: [{rng.choice(customers)}]\n    objectives:\n" + "".join(objectives),
            )
        )
    blocks.append(("priorities", ""))
    texts: list[list[str]] = [[] for _ in range(files)]
    per_file: list[dict[str, list[str]]] = [{} for _ in range(files)]
    for i, (section, text) in enumerate(blocks):
        if section == "priorities":
            continue
        per_file[i % files].setdefault(section, []).append(text)
    for f, sections in enumerate(per_file):
        out = texts[f]
        if f == 0:
            out.append(f"priorities: [{', '.join(customers[: min(5, len(customers))])}]\n")
        for section in ("customers", "metrics", "systems"):
            if section in sections:
                out.append(f"{section}:\n")
                out.extend(sections[section])
    return ["".join(t) for t in texts]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("declarations", type=int)
    parser.add_argument("--files", type=int, default=1)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, help="folder for --files > 1")
    args = parser.parse_args()
    texts = generate(args.declarations, args.seed, args.files)
    if args.files == 1 and args.out is None:
        print(texts[0], end="")
        return
    assert args.out is not None
    args.out.mkdir(parents=True, exist_ok=True)
    for i, text in enumerate(texts):
        (args.out / f"part-{i:03d}.yaml").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
