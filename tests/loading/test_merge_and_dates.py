"""YAML merge keys are honoured; values that only look like dates or numbers reach the schema."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from conftest import Run

MERGED = """\
x-defaults: &metric_defaults
  direction: increase
  owner: cx
customers: [{id: c, role: end_user}]
metrics:
  - <<: *metric_defaults
    id: a
    serves: c
  - <<: [*metric_defaults, {unit: x}]
    id: b
    owner: other
    serves: nobody
"""


def test_merge_keys_fill_in_fields(write: Callable[..., Path], cli: Callable[..., Run]) -> None:
    run = cli("check", str(write(MERGED)), "--format", "json", "--select", "AA0")
    findings = run.findings()
    # `direction` comes from the merged defaults: no "missing" error; b's bad reference is
    # still located at b's own `serves`.
    assert [(f["code"], f["entity"], f["line"], f["column"]) for f in findings] == [
        ("AA005", "b", 12, 13)
    ]


def test_merge_key_needs_a_mapping(write: Callable[..., Path], cli: Callable[..., Run]) -> None:
    text = "metrics:\n  - <<: 5\n    id: d\n    direction: increase\n"
    findings = cli("check", str(write(text)), "--format", "json", "--select", "AA0").findings()
    assert [(f["code"], f["line"], f["column"]) for f in findings] == [("AA002", 2, 9)]
    assert "merge key" in findings[0]["message"]


def test_impossible_date_is_a_schema_error(
    write: Callable[..., Path], cli: Callable[..., Run]
) -> None:
    text = "tradeoffs:\n  - {between: [a, b], prefer: a, rationale: r, review_by: 2024-02-30}\n"
    findings = cli("check", str(write(text)), "--format", "json", "--select", "AA002").findings()
    assert [(f["code"], f["entity"], f["line"], f["column"]) for f in findings] == [
        ("AA002", "tradeoff:a,b", 2, 59)
    ]
    assert "2024-02-30" in findings[0]["message"]


def test_repeated_organization_points_at_the_key(
    write: Callable[..., Path], cli: Callable[..., Run]
) -> None:
    write("organization: {name: A}\n", "a.yaml")
    second = write("version: 1\norganization:\n  name: B\n", "b.yaml")
    findings = cli("check", str(second.parent), "--format", "json", "--select", "AA004").findings()
    assert [
        (f["path"].rsplit("/", 1)[-1], f["entity"], f["line"], f["column"]) for f in findings
    ] == [("b.yaml", "organization", 2, 1)]
