"""The engine agrees with a naive reference model of the spec on random valid organizations."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from pathlib import Path

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from align_audit.engine import audit
from align_audit.settings import Settings

from .reference import Key, reference_findings

TODAY = dt.date(2026, 12, 1)
LABELS = ["helps", "hurts", "makes", "breaks", 30, -40, 75, -10]
ROLES = ["end_user", "influencer", "buyer", "regulator", "employee", "shareholder"]


def organization(rng: random.Random) -> dict[str, object]:
    customers = [f"c{i}" for i in range(rng.randint(1, 4))]
    outcomes = {c: [f"o{j}" for j in range(rng.randint(0, 2))] for c in customers}
    refs = customers + [f"{c}.{o}" for c in customers for o in outcomes[c]]
    metrics = [f"m{i}" for i in range(rng.randint(1, 8))]
    org: dict[str, object] = {
        "customers": [
            {"id": c, "role": rng.choice(ROLES), "outcomes": outcomes[c]} for c in customers
        ]
    }
    declared = []
    for m in metrics:
        metric: dict[str, object] = {"id": m, "direction": rng.choice(["increase", "decrease"])}
        if rng.random() < 0.5:
            metric["kind"] = rng.choice(["leading", "lagging"])
        if rng.random() < 0.5:
            metric["owner"] = f"team{rng.randint(0, 2)}"
        serves = rng.sample(refs, rng.randint(0, min(2, len(refs))))
        if serves:
            metric["serves"] = serves if len(serves) > 1 or rng.random() < 0.5 else serves[0]
        targets = rng.sample(metrics + refs, rng.randint(0, min(3, len(metrics + refs))))
        if targets:
            metric["effects"] = {t: rng.choice(LABELS) for t in targets}
        declared.append(metric)
    org["metrics"] = declared
    systems = []
    for s in range(rng.randint(0, 3)):
        objectives = []
        for o in range(rng.randint(1, 3)):
            objective: dict[str, object] = {
                "id": f"ob{o}",
                "optimizes": rng.choice(metrics),
                "serves": rng.choice(refs),
            }
            if rng.random() < 0.3:
                objective["direction"] = rng.choice(["increase", "decrease"])
            guards = rng.sample(metrics, rng.randint(0, min(2, len(metrics))))
            if guards:
                objective["guardrails"] = guards
            objectives.append(objective)
        system: dict[str, object] = {"id": f"s{s}", "objectives": objectives}
        users = rng.sample(customers, rng.randint(0, len(customers)))
        if users:
            system["users"] = users
        systems.append(system)
    if systems:
        org["systems"] = systems
    if rng.random() < 0.7:
        org["priorities"] = rng.sample(customers, rng.randint(1, len(customers)))
    if len(metrics) >= 2 and rng.random() < 0.6:
        tradeoffs, pairs = [], set()
        for _ in range(rng.randint(1, 2)):
            a, b = rng.sample(metrics, 2)
            if frozenset((a, b)) in pairs:
                continue
            pairs.add(frozenset((a, b)))
            tradeoff: dict[str, object] = {"between": [a, b], "prefer": rng.choice([a, b])}
            tradeoff["rationale"] = "decided"
            review = rng.choice([None, "2020-01-01", "2099-01-01"])
            if review:
                tradeoff["review_by"] = review
            tradeoffs.append(tradeoff)
        org["tradeoffs"] = tradeoffs
    return org


def engine_findings(path: Path) -> Counter[Key]:
    result = audit([str(path)], Settings(today=TODAY))
    found: Counter[Key] = Counter()
    for f in result.findings:
        assert not f.code.startswith("AA0"), f  # the generator writes valid organizations
        if f.code in ("AA102", "AA103", "AA109", "AA113"):
            found[f.code, f.entity, f.discriminator] += 1
        elif f.code == "AA105":
            found[f.code, f.entity, f.discriminator, f.level.label] += 1
        elif f.code == "AA107":
            found[f.code, f.entity, f.level.label] += 1
        else:
            found[f.code, f.entity] += 1
    return found


@settings(max_examples=200, deadline=None)
@given(seed=st.integers(0, 2**32 - 1))
def test_engine_matches_reference(tmp_path_factory: object, seed: int) -> None:
    org = organization(random.Random(seed))
    folder = Path(tmp_path_factory.mktemp("org"))  # type: ignore[attr-defined]
    path = folder / "org.yaml"
    path.write_text(yaml.safe_dump(org, sort_keys=False), encoding="utf-8")
    assert engine_findings(path) == reference_findings(org, TODAY), path.read_text()
