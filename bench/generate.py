"""Generate a realistic organization of about N declarations, deterministic for a seed.

Shape (what a large config repository holds): customers with 3 outcomes each; metrics in driver
trees — each tree's root is measured for an outcome, every other metric drives a nearby metric
of its tree (0–2 effects, mostly helps, some hurts); systems of 1–5 guarded objectives that
optimize tree metrics for the customer the tree serves; a few tradeoffs.

    python bench/generate.py 10000 > /tmp/org-10k.yaml
    python bench/generate.py 1000000 --files 100 --out /tmp/org-1m/
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

ROLES = ("end_user", "influencer", "buyer", "regulator", "employee", "shareholder")
TREE = 12  # metrics per driver tree


def _plan(n: int) -> tuple[int, int, int]:
    """Split n declarations: ~2% customers (+3 outcomes each), ~8% systems (+~3 objectives
    each), the rest metrics."""
    customers = max(2, n // 50)
    systems = max(1, n // 40)
    metrics = max(TREE, n - customers * 4 - systems * 4)
    return customers, metrics, systems


def _customer(i: int) -> str:
    return (
        f"  - id: customer_{i}\n    role: {ROLES[i % len(ROLES)]}\n    name: Customer {i}\n"
        "    outcomes:\n"
        + "".join(f"      - id: outcome_{j}\n        description: Outcome {j}\n" for j in range(3))
    )


def generate(n: int, seed: int = 7, files: int = 1) -> list[str]:
    """YAML texts (one per file) holding about n declarations in total."""
    rng = random.Random(seed)
    n_customers, n_metrics, n_systems = _plan(n)
    sections: dict[str, list[str]] = {"customers": [], "metrics": [], "systems": []}
    sections["customers"] = [_customer(i) for i in range(n_customers)]
    tree_customer: list[int] = []
    for i in range(n_metrics):
        tree, position = divmod(i, TREE)
        if position == 0:
            tree_customer.append(rng.randrange(n_customers))
        owner = f"team_{tree % 23}"
        lines = [
            f"  - id: metric_{i}\n",
            f"    direction: {'increase' if rng.random() < 0.6 else 'decrease'}\n",
            f"    kind: {'lagging' if position == 0 else 'leading'}\n",
            f"    owner: {owner}\n",
        ]
        if position == 0:
            customer = tree_customer[tree]
            lines.append(f"    serves: [customer_{customer}.outcome_{rng.randrange(3)}]\n")
        else:
            parent = i - 1 - rng.randrange(min(position, 3))  # a nearby driver higher up
            effects = [f"      metric_{parent}: {rng.choice(('helps', 'helps', 'makes', 40))}\n"]
            if position > 2 and rng.random() < 0.25:
                sibling = i - 1 - rng.randrange(position)
                if sibling != parent:
                    effects.append(f"      metric_{sibling}: {rng.choice(('hurts', -30))}\n")
            lines.append("    effects:\n")
            lines.extend(effects)
        sections["metrics"].append("".join(lines))
    n_trees = len(tree_customer)
    for s in range(n_systems):
        tree = rng.randrange(n_trees)
        base = tree * TREE
        size = min(TREE, n_metrics - base)
        objectives = []
        for o in range(rng.randint(1, 5)):
            metric = base + rng.randrange(size)
            guard = base + rng.randrange(size)
            objectives.append(
                f"      - id: objective_{o}\n        optimizes: metric_{metric}\n"
                f"        serves: customer_{tree_customer[tree]}\n"
                f"        guardrails: [metric_{base}, {{metric: metric_{guard}, "
                "threshold: '>= 1'}]\n"
            )
        sections["systems"].append(
            f"  - id: system_{s}\n    owner: team_{s % 23}\n"
            f"    users: [customer_{tree_customer[tree]}]\n    objectives:\n" + "".join(objectives)
        )
    per_file: list[dict[str, list[str]]] = [{} for _ in range(files)]
    for section, blocks in sections.items():
        for i, block in enumerate(blocks):
            per_file[i % files].setdefault(section, []).append(block)
    texts = []
    for f, parts in enumerate(per_file):
        out = []
        if f == 0:
            top = ", ".join(f"customer_{i}" for i in range(min(5, n_customers)))
            out.append(f"priorities: [{top}]\n")
        for section in ("customers", "metrics", "systems"):
            if section in parts:
                out.append(f"{section}:\n")
                out.extend(parts[section])
        texts.append("".join(out))
    return texts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("declarations", type=int)
    parser.add_argument("--files", type=int, default=1)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, help="folder for the files (default: stdout)")
    args = parser.parse_args()
    texts = generate(args.declarations, args.seed, args.files)
    if args.out is None:
        print("".join(texts), end="")
        return
    args.out.mkdir(parents=True, exist_ok=True)
    for i, text in enumerate(texts):
        (args.out / f"part-{i:03d}.yaml").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
