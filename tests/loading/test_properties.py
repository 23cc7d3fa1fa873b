"""Property tests: whatever the input, the CLI ends in findings (exit 0/1) with parseable JSON."""

from __future__ import annotations

import datetime as dt
import json
import os
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import invoke

# ALIGN_AUDIT_FUZZ_EXAMPLES=10000 turns these into the long fuzz run (see docs/performance.md).
FAST = settings(
    max_examples=int(os.environ.get("ALIGN_AUDIT_FUZZ_EXAMPLES", "100")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

YAML_CHARS = [*"abcxyz019_-.:,[]{}&*!?|>'\"#%@`~ \t\n\r=<\\/", "\u00e9", "\u4e2d", "\x00"]
SCHEMA_KEYS = [
    "version",
    "organization",
    "customers",
    "metrics",
    "systems",
    "priorities",
    "tradeoffs",
    "waivers",
    "id",
    "name",
    "role",
    "outcomes",
    "direction",
    "serves",
    "effects",
    "impact",
    "users",
    "objectives",
    "optimizes",
    "guardrails",
    "metric",
    "threshold",
    "weight",
    "between",
    "prefer",
    "rationale",
    "review_by",
    "rule",
    "target",
    "reason",
    "until",
    "x-note",
    "<<",
]


def audit_stdin(data: str | bytes) -> dict[str, Any]:
    run = invoke("check", "-", "--format", "json", "--today", "2025-06-01", input=data)
    assert run.exit_code in (0, 1), run.stderr
    assert "Traceback" not in run.stderr
    document = json.loads(run.stdout)
    assert document["summary"]["findings"] == len(document["findings"])
    for finding in document["findings"]:
        assert finding["path"] == "<stdin>"
        assert finding["line"] >= 1
        assert finding["column"] >= 1
    return dict(document)


@FAST
@given(
    st.text(
        alphabet=st.sampled_from(YAML_CHARS) | st.characters(exclude_categories=["Cs"]),
        max_size=300,
    )
)
def test_yamlish_text(text: str) -> None:
    audit_stdin(text)


@FAST
@given(st.binary(max_size=400))
def test_random_bytes(data: bytes) -> None:
    audit_stdin(data)


scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=12)
    | st.sampled_from(["on", "off", "yes", "increase", "decrease", "end_user", "helps", "p", "m"])
    | st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 1, 1))
)
keys = st.sampled_from(SCHEMA_KEYS) | st.text(max_size=8)
nested = st.recursive(
    scalars,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(keys, children, max_size=5),
    max_leaves=40,
)


@FAST
@given(
    st.dictionaries(st.sampled_from(SCHEMA_KEYS[:8]) | keys, nested, max_size=6),
    st.booleans(),
    st.sampled_from([None, True, False]),
)
def test_random_structures(data: dict[Any, Any], unicode: bool, flow: bool | None) -> None:
    text = yaml.safe_dump(data, allow_unicode=unicode, default_flow_style=flow, sort_keys=False)
    audit_stdin(text)


# Organizations built from a small pool of ids, so that references often resolve and the
# alignment rules (graph, propagation, conflicts) run on random but well-formed declarations.
IDS = ["p", "q", "m", "n", "k", "s", "p.o", "q.o", "p.x", "s.a", "on"]
ids = st.sampled_from(IDS)
plain_ids = st.sampled_from(["p", "q", "m", "n", "k", "s", "t", "o", "x", "a"])
impacts = st.sampled_from(["helps", "hurts", "makes", "breaks", 50, -50, -1, 100, 0, 150, "meh"])
directions = st.sampled_from(["increase", "decrease", "up"])
customer = st.fixed_dictionaries(
    {"id": plain_ids, "role": st.sampled_from(["end_user", "buyer", "regulator", "employee", "x"])},
    optional={"outcomes": st.lists(st.sampled_from(["o", "x", "y"]), max_size=3)},
)
metric = st.fixed_dictionaries(
    {"id": plain_ids, "direction": directions},
    optional={
        "serves": st.lists(ids, max_size=3) | ids,
        "effects": st.dictionaries(ids, impacts | st.fixed_dictionaries({"impact": impacts})),
        "owner": st.sampled_from(["cx", "ops"]),
        "kind": st.sampled_from(["leading", "lagging"]),
    },
)
objective = st.fixed_dictionaries(
    {"id": plain_ids, "optimizes": ids, "serves": ids},
    optional={
        "direction": directions,
        "guardrails": st.lists(ids | st.fixed_dictionaries({"metric": ids}), max_size=3),
        "weight": st.sampled_from([0, 0.5, 2, -1]),
    },
)
system = st.fixed_dictionaries(
    {"id": plain_ids},
    optional={
        "users": st.lists(ids, max_size=3),
        "objectives": st.lists(objective, max_size=3),
    },
)
tradeoff = st.fixed_dictionaries(
    {"between": st.lists(ids, min_size=1, max_size=3), "prefer": ids, "rationale": st.just("r")},
    optional={"review_by": st.sampled_from(["2020-01-01", "2030-01-01", "soon"])},
)
waiver = st.fixed_dictionaries(
    {
        "rule": st.sampled_from(["AA101", "AA105", "AA106", "unserved-metric", "AA004", "AA9"]),
        "target": ids,
        "reason": st.just("r"),
    },
    optional={"until": st.sampled_from(["2020-01-01", "2030-01-01"])},
)
organization = st.fixed_dictionaries(
    {},
    optional={
        "customers": st.lists(customer, max_size=4),
        "metrics": st.lists(metric, max_size=6),
        "systems": st.lists(system, max_size=3),
        "priorities": st.lists(ids, max_size=3),
        # identical tradeoffs and waivers collide: see test_repeated_declarations_fingerprints
        "tradeoffs": st.lists(tradeoff, max_size=3, unique_by=lambda t: tuple(t["between"])),
        "waivers": st.lists(waiver, max_size=3, unique_by=lambda w: (w["rule"], w["target"])),
    },
)


@FAST
@given(organization)
def test_random_organizations(org: dict[str, Any]) -> None:
    text = yaml.safe_dump(org, sort_keys=False)
    first = audit_stdin(text)
    fingerprints = [f["fingerprint"] for f in first["findings"]]
    assert len(fingerprints) == len(set(fingerprints))
    assert audit_stdin(text) == first


@pytest.mark.parametrize(
    "text",
    [
        "metrics:\n"
        "  - {id: a, direction: increase, effects: {b: hurts}}\n"
        "  - {id: b, direction: increase}\n"
        "tradeoffs:\n"
        "  - {between: [a, b], prefer: a, rationale: r, review_by: 2020-01-01}\n"
        "  - {between: [a, b], prefer: a, rationale: r, review_by: 2020-01-01}\n",
        "customers: [{id: p, role: end_user}]\n"
        "waivers:\n"
        "  - {rule: AA101, target: p, reason: r, until: 2020-01-01}\n"
        "  - {rule: AA101, target: p, reason: r, until: 2020-01-01}\n",
    ],
)
def test_repeated_declarations_fingerprints(text: str) -> None:
    findings = audit_stdin(text)["findings"]
    fingerprints = [f["fingerprint"] for f in findings]
    assert len(fingerprints) == len(set(fingerprints))
    # The repeat is reported once as a duplicate and otherwise ignored (first wins).
    assert [f["code"] for f in findings].count("AA004") == 1


@pytest.mark.parametrize(
    "text",
    [
        "customers: [{id: m, role: end_user}]\nsystems: [{id: p, users: [m, m]}]\n",
        "customers: [{id: c, role: end_user}]\n"
        "metrics: [{id: m, direction: increase, serves: [c, c]}]\n"
        "systems:\n"
        "  - {id: s, objectives: [{id: o, optimizes: m, serves: c, guardrails: [m, m, x, x]}]}\n",
    ],
)
def test_repeated_references_give_one_finding_each(text: str) -> None:
    findings = audit_stdin(text)["findings"]
    fingerprints = [f["fingerprint"] for f in findings]
    assert len(fingerprints) == len(set(fingerprints))
    # each unknown reference is still reported where it is written
    assert [f["column"] for f in findings if f["code"] == "AA005"] == (
        [] if "x" not in text else [78, 81]
    )
