"""Property tests over random small organizations (hypothesis).

Each organization has 2–4 customers with 0–2 outcomes, 2–8 metrics with random directions,
serves and effects (labels or integers), 0–2 systems with 1–3 objectives, random priorities and
tradeoffs; it is written as YAML and audited for real.
"""

from __future__ import annotations

import copy
import datetime as dt
import itertools
import json
import random
import tempfile
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from align_audit.analysis import Analysis
from align_audit.engine import AuditResult, audit
from align_audit.findings import Finding
from align_audit.settings import Settings
from conftest import invoke

from .reference import reference_scores

TODAY = dt.date(2026, 12, 1)
ROLES = ["end_user", "influencer", "buyer", "regulator", "employee", "shareholder"]
IMPACTS: list[str | int] = ["makes", "helps", "hurts", "breaks", 100, 60, 10, -1, -50, -100]
PROPERTY = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
Org = dict[str, Any]


@st.composite
def organizations(draw: st.DrawFn) -> Org:
    customers: list[dict[str, Any]] = []
    refs: list[str] = []
    for c in range(draw(st.integers(2, 4))):
        cid = f"c{c}"
        outcomes = [f"o{o}" for o in range(draw(st.integers(0, 2)))]
        customer: dict[str, Any] = {"id": cid, "role": draw(st.sampled_from(ROLES))}
        if outcomes:
            customer["outcomes"] = outcomes
        customers.append(customer)
        refs += [cid] + [f"{cid}.{o}" for o in outcomes]
    customer_ids = [c["id"] for c in customers]
    metric_ids = [f"m{m}" for m in range(draw(st.integers(2, 8)))]
    metrics: list[dict[str, Any]] = []
    for mid in metric_ids:
        metric: dict[str, Any] = {
            "id": mid,
            "direction": draw(st.sampled_from(["increase", "decrease"])),
        }
        kind = draw(st.sampled_from([None, "leading", "lagging"]))
        if kind:
            metric["kind"] = kind
        owner = draw(st.sampled_from([None, "ops", "cx"]))
        if owner:
            metric["owner"] = owner
        serves = draw(st.lists(st.sampled_from(refs), max_size=2))
        if serves:
            metric["serves"] = serves
        targets = draw(st.lists(st.sampled_from(metric_ids + refs), max_size=3, unique=True))
        if targets:
            metric["effects"] = {t: draw(st.sampled_from(IMPACTS)) for t in targets}
        metrics.append(metric)
    systems: list[dict[str, Any]] = []
    for s in range(draw(st.integers(0, 2))):
        objectives = []
        for o in range(draw(st.integers(1, 3))):
            objective: dict[str, Any] = {
                "id": f"obj{o}",
                "optimizes": draw(st.sampled_from(metric_ids)),
                "serves": draw(st.sampled_from(refs)),
            }
            direction = draw(st.sampled_from([None, "increase", "decrease"]))
            if direction:
                objective["direction"] = direction
            guards = draw(st.lists(st.sampled_from(metric_ids), max_size=2))
            if guards:
                objective["guardrails"] = guards
            objectives.append(objective)
        system: dict[str, Any] = {"id": f"sys{s}", "objectives": objectives}
        users = draw(st.lists(st.sampled_from(customer_ids), max_size=3))  # repeats allowed
        if users:
            system["users"] = users
        systems.append(system)
    org: Org = {"customers": customers, "metrics": metrics}
    if systems:
        org["systems"] = systems
    priorities = draw(st.lists(st.sampled_from(customer_ids), unique=True))
    if priorities:
        org["priorities"] = priorities
    tradeoffs = []
    pairs: set[frozenset[str]] = set()
    for _ in range(draw(st.integers(0, 2))):
        pair = draw(st.lists(st.sampled_from(metric_ids), min_size=2, max_size=2, unique=True))
        if frozenset(pair) in pairs:
            continue  # a repeated tradeoff entity is a duplicate declaration, not tested here
        pairs.add(frozenset(pair))
        tradeoff: dict[str, Any] = {
            "between": pair,
            "prefer": draw(st.sampled_from(pair)),
            "rationale": "decided",
        }
        if draw(st.booleans()):
            tradeoff["review_by"] = draw(
                st.sampled_from(["2026-11-30", "2026-12-01", "2027-01-01"])
            )
        tradeoffs.append(tradeoff)
    if tradeoffs:
        org["tradeoffs"] = tradeoffs
    return org


def dump(org: Org) -> str:
    return yaml.safe_dump(org, sort_keys=False, allow_unicode=True)


@contextmanager
def workdir() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="align-audit-prop-") as name:
        yield Path(name)


def run_audit(*paths: Path) -> AuditResult:
    return audit([str(p) for p in paths], Settings(today=TODAY))


def write(folder: Path, name: str, org: Org) -> Path:
    path = folder / name
    path.write_text(dump(org), encoding="utf-8")
    return path


def key(finding: Finding) -> tuple[str, str, str, str, tuple[str, ...]]:
    return (
        finding.code,
        finding.entity,
        finding.level.label,
        finding.message,
        finding.trace,
    )


# -- the check never errors ------------------------------------------------------------------


@PROPERTY
@given(organizations())
def test_check_never_errors(org: Org) -> None:
    with workdir() as folder:
        path = write(folder, "org.yaml", org)
        run = invoke("check", str(path), "--format", "json", "--today", TODAY.isoformat())
    assert run.exit_code in (0, 1), run.stderr
    data = json.loads(run.stdout)
    codes = [f["code"] for f in data["findings"]]
    # The generator only writes valid declarations: no input findings.
    assert not [c for c in codes if c.startswith("AA0")], codes
    has_error = any(f["severity"] == "error" for f in data["findings"])
    assert run.exit_code == (1 if has_error else 0)
    assert data["summary"]["findings"] == len(data["findings"])
    fingerprints = [f["fingerprint"] for f in data["findings"]]
    assert len(set(fingerprints)) == len(fingerprints), "two findings share a fingerprint"


# -- propagation -----------------------------------------------------------------------------


def _edge_signs(analysis: Analysis, u: str, v: str) -> set[int]:
    return {1 if w > 0 else -1 for t, w in analysis.successors.get(u, ()) if t == v}


@PROPERTY
@given(organizations())
def test_propagation_terminates_and_is_consistent(org: Org) -> None:
    with workdir() as folder:
        result = run_audit(write(folder, "org.yaml", org))
    analysis = Analysis(result.catalog)
    customers = set(result.catalog.customers)
    for metric in result.catalog.metrics:
        for sign in (1, -1):
            reach = analysis.propagate(metric, sign)
            assert reach.effect(metric) in ("improves", "worsens", "mixed")
            assert reach.reaches(metric, sign)
            for node in reach.nodes():
                for s in (1, -1):
                    if not reach.reaches(node, s):
                        continue
                    path = reach.path(node, s)
                    assert path[0] == metric and path[-1] == node
                    # The witness path really carries sign s along propagated edges.
                    signs = {sign}
                    for u, v in itertools.pairwise(path):
                        signs = {x * e for x in signs for e in _edge_signs(analysis, u, v)}
                    assert s in signs, (node, s, path)
            scores = analysis.scores(reach)
            reference = reference_scores(analysis.successors, list(reach.nodes()), metric, sign)
            assert scores == {n: v for n, v in reference.items() if v is not None}
            assert scores[metric] == 100 * sign
            assert all(-100 <= v <= 100 for v in scores.values())
        served = {c for c in customers if analysis.propagate(metric, 1).reaches(c, 1)}
        assert analysis.served_customers[metric] == frozenset(served)


@PROPERTY
@given(organizations(), st.data())
def test_two_hurts_make_a_help(org: Org, data: st.DataObject) -> None:
    customer = data.draw(st.sampled_from([c["id"] for c in org["customers"]]))
    chain = [
        {"id": "x1", "direction": "increase", "effects": {"x2": "hurts"}},
        {
            "id": "x2",
            "direction": "decrease",
            "effects": {"x3": data.draw(st.sampled_from(["hurts", "breaks", -7]))},
        },
        {"id": "x3", "direction": "increase", "serves": customer},
    ]
    org = {**org, "metrics": org["metrics"] + chain}
    with workdir() as folder:
        result = run_audit(write(folder, "org.yaml", org))
    analysis = Analysis(result.catalog)
    assert customer in analysis.served_customers["x1"]
    assert customer not in analysis.served_customers["x2"]
    assert analysis.propagate("x1").path(customer, 1) == ["x1", "x2", "x3", customer]
    assert analysis.propagate("x2").path(customer, -1) == ["x2", "x3", customer]
    unserved = {f.entity for f in result.findings if f.code == "AA101"}
    assert "x1" not in unserved and "x2" in unserved


# -- waivers ---------------------------------------------------------------------------------


def _located(finding: Finding) -> tuple[Any, ...]:
    return (*key(finding), finding.location.line, finding.location.column, finding.fingerprint)


@PROPERTY
@given(organizations(), st.data())
def test_waiver_removes_exactly_its_finding(org: Org, data: st.DataObject) -> None:
    with workdir() as folder:
        before = run_audit(write(folder, "org.yaml", org))
        candidates = sorted(
            {
                (f.code, f.name, f.entity)
                for f in before.findings
                if f.code[2] in "12" and f.code not in ("AA204", "AA205")
            }
        )
        if not candidates:
            return
        code, name, entity = data.draw(st.sampled_from(candidates))
        rule = data.draw(st.sampled_from([code, name]))
        waived = {**org, "waivers": [{"rule": rule, "target": entity, "reason": "accepted"}]}
        after = run_audit(write(folder, "org.yaml", waived))
    expected = Counter(_located(f) for f in before.findings if (f.code, f.entity) != (code, entity))
    assert Counter(_located(f) for f in after.findings) == expected
    assert after.waived == sum((f.code, f.entity) == (code, entity) for f in before.findings)
    assert after.waived >= 1
    assert not [f for f in after.findings if f.code in ("AA204", "AA205")]


# -- order independence ----------------------------------------------------------------------


def _split(org: Org, rng: random.Random) -> tuple[Org, Org]:
    """Two documents that concatenate (a then b) to ``org``."""
    first: Org = {}
    second: Org = {}
    for section, value in org.items():
        if isinstance(value, list) and section != "priorities":
            cut = rng.randint(0, len(value))
            if value[:cut]:
                first[section] = value[:cut]
            if value[cut:]:
                second[section] = value[cut:]
        else:
            first[section] = value
    return first, second


def _shuffled(org: Org, rng: random.Random) -> Org:
    """The same declarations, every list (except priorities) and mapping in another order."""
    org = copy.deepcopy(org)

    def shuffle(items: list[Any]) -> list[Any]:
        rng.shuffle(items)
        return items

    for section in ("customers", "metrics", "systems", "tradeoffs"):
        if section in org:
            shuffle(org[section])
    for customer in org["customers"]:
        if "outcomes" in customer:
            shuffle(customer["outcomes"])
    for metric in org["metrics"]:
        if "serves" in metric:
            shuffle(metric["serves"])
        if "effects" in metric:
            metric["effects"] = dict(shuffle(list(metric["effects"].items())))
    for system in org.get("systems", ()):
        shuffle(system["objectives"])
        if "users" in system:
            shuffle(system["users"])
        for objective in system["objectives"]:
            if "guardrails" in objective:
                shuffle(objective["guardrails"])
    return org


@PROPERTY
@given(organizations(), st.randoms(use_true_random=False))
def test_split_into_two_files_in_either_order(org: Org, rng: random.Random) -> None:
    first, second = _split(org, rng)
    with workdir() as folder:
        whole = run_audit(write(folder, "org.yaml", org))
        a = write(folder, "a.yaml", first)
        b = write(folder, "b.yaml", second)
        forward = run_audit(a, b)
        backward = run_audit(b, a)
        args = ("--format", "json", "--today", TODAY.isoformat())
        cli_forward = invoke("check", str(a), str(b), *args)
        cli_backward = invoke("check", str(b), str(a), *args)
    expected = Counter(key(f) for f in whole.findings)
    assert Counter(key(f) for f in forward.findings) == expected
    assert Counter(key(f) for f in backward.findings) == expected
    assert cli_forward.stdout == cli_backward.stdout


def _invariant(finding: Finding) -> tuple[Any, ...]:
    """What cannot depend on declaration order: identity, severity, and the length of the
    shortest witness path (messages and traces may differ where the SPEC breaks ties by
    declaration order)."""
    trace_length = len(finding.trace) if finding.code in ("AA103", "AA105") else None
    trace = finding.trace if finding.code in ("AA102", "AA109") else None
    return (
        finding.code,
        finding.entity,
        finding.level.label,
        finding.fingerprint,
        trace_length,
        trace,
    )


@PROPERTY
@given(organizations(), st.randoms(use_true_random=False))
def test_declaration_order_does_not_change_findings(org: Org, rng: random.Random) -> None:
    shuffled = _shuffled(org, rng)
    first, second = _split(shuffled, rng)
    with workdir() as folder:
        original = run_audit(write(folder, "org.yaml", org))
        reordered = run_audit(write(folder, "shuffled.yaml", shuffled))
        split = run_audit(write(folder, "b.yaml", second), write(folder, "a.yaml", first))
    expected = Counter(_invariant(f) for f in original.findings)
    assert Counter(_invariant(f) for f in reordered.findings) == expected
    assert Counter(_invariant(f) for f in split.findings) == expected
    # Split files reproduce the shuffled single file exactly, messages and traces included.
    assert Counter(key(f) for f in split.findings) == Counter(key(f) for f in reordered.findings)
