"""Input rules AA001–AA006, through the real CLI on the fixture files.

Every file in ``tests/fixtures/input/AA00N/fires/`` is listed in ``FIRES`` with the exact input
findings it must produce (code, entity, line, column); every file in ``passes/`` must produce no
input finding. Alignment rules are switched off with ``--select AA0``.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from conftest import FINDING_FIELDS, FIXTURES, Run, invoke

INPUT = FIXTURES / "input"
FILE = "<file>"
"""Stands for the fixture's own path (the entity of file-level findings)."""

Expected = list[tuple[str, str, int, int]]

FIRES: dict[str, Expected] = {
    # AA001 invalid-yaml: entity is the file, location is where the parser gave up
    "AA001/fires/unclosed-flow-sequence.yaml": [("AA001", FILE, 2, 8)],
    "AA001/fires/tab-indentation.yaml": [("AA001", FILE, 3, 1)],
    "AA001/fires/top-level-list.yaml": [("AA001", FILE, 1, 1)],
    "AA001/fires/top-level-scalar.yaml": [("AA001", FILE, 2, 1)],
    "AA001/fires/multiple-documents.yaml": [("AA001", FILE, 2, 1)],
    "AA001/fires/not-utf8.yaml": [("AA001", FILE, 2, 12)],
    "AA001/fires/control-character.yaml": [("AA001", FILE, 3, 15)],
    # AA002 invalid-schema
    "AA002/fires/unknown-key.yaml": [("AA002", "csat", 4, 5)],  # at the key
    "AA002/fires/unknown-top-level-key.yaml": [("AA002", FILE, 1, 1)],
    "AA002/fires/wrong-type.yaml": [("AA002", "patient", 4, 11)],  # at the value
    "AA002/fires/missing-required.yaml": [("AA002", "csat", 2, 5)],  # at the mapping
    "AA002/fires/bad-id.yaml": [("AA002", "bad.id", 2, 9)],
    "AA002/fires/boolean-id.yaml": [("AA002", FILE, 2, 9)],  # `on` is no id, so no entity
    "AA002/fires/bad-enum.yaml": [("AA002", "csat", 3, 16)],
    "AA002/fires/impact-out-of-range.yaml": [("AA002", "csat", 5, 12)],
    "AA002/fires/impact-zero.yaml": [("AA002", "csat", 5, 21)],
    "AA002/fires/tradeoff-between-one-id.yaml": [("AA002", FILE, 4, 14)],
    "AA002/fires/tradeoff-between-same-id.yaml": [("AA002", "tradeoff:csat,csat", 4, 14)],
    "AA002/fires/empty-rationale.yaml": [("AA002", "tradeoff:csat,aht", 7, 16)],
    "AA002/fires/priorities-repeated.yaml": [("AA002", FILE, 4, 32)],  # the repeat
    "AA002/fires/version-2.yaml": [("AA002", FILE, 1, 10)],
    "AA002/fires/version-boolean.yaml": [("AA002", FILE, 1, 10)],
    "AA002/fires/waiver-unknown-rule.yaml": [("AA002", "waiver:AA999:patient", 4, 11)],
    "AA002/fires/negative-weight.yaml": [("AA002", "bot.happy", 12, 63)],
    # AA003 duplicate-key: at the repeat
    "AA003/fires/repeated-key.yaml": [("AA003", FILE, 5, 5)],
    "AA003/fires/repeated-top-level-key.yaml": [("AA003", FILE, 4, 1)],
    "AA003/fires/repeated-key-in-flow-mapping.yaml": [("AA003", FILE, 2, 37)],
    # AA004 duplicate-id: at the second id
    "AA004/fires/duplicate-metric.yaml": [("AA004", "csat", 6, 9)],
    "AA004/fires/customer-system-clash.yaml": [("AA004", "patient", 5, 9)],
    "AA004/fires/duplicate-outcome.yaml": [("AA004", "patient.care", 7, 13)],
    "AA004/fires/duplicate-objective.yaml": [("AA004", "bot.happy", 9, 14)],
    # AA005 unknown-reference: at the reference
    "AA005/fires/serves-unknown.yaml": [("AA005", "csat", 6, 23)],
    "AA005/fires/serves-unknown-outcome.yaml": [("AA005", "nps", 9, 44)],
    "AA005/fires/serves-a-metric.yaml": [("AA005", "csat", 4, 13)],
    "AA005/fires/effects-unknown-key.yaml": [("AA005", "csat", 5, 7)],  # at the key
    "AA005/fires/optimizes-a-customer.yaml": [("AA005", "bot.happy", 13, 20)],
    "AA005/fires/objective-serves-a-system.yaml": [("AA005", "bot.happy", 14, 17)],
    "AA005/fires/guardrail-unknown.yaml": [("AA005", "bot.happy", 15, 28)],
    "AA005/fires/guardrail-mapping-unknown.yaml": [("AA005", "bot.happy", 16, 21)],
    "AA005/fires/users-a-metric.yaml": [("AA005", "bot", 11, 22)],
    "AA005/fires/priorities-unknown.yaml": [("AA005", FILE, 9, 23)],
    "AA005/fires/tradeoff-between-unknown.yaml": [("AA005", "tradeoff:csat,ghost", 10, 21)],
    "AA005/fires/tradeoff-prefer-neither.yaml": [("AA005", "tradeoff:csat,nps", 12, 13)],
    "AA005/fires/waiver-target-unknown.yaml": [("AA005", "waiver:AA004:ghost", 11, 13)],
    # AA006 unsafe-yaml: at the offending node
    "AA006/fires/python-object-tag.yaml": [("AA006", FILE, 3, 16)],
    "AA006/fires/python-apply-tag.yaml": [("AA006", FILE, 1, 10)],
    "AA006/fires/custom-tag.yaml": [("AA006", FILE, 3, 11)],
    "AA006/fires/custom-tag-on-key.yaml": [("AA006", FILE, 3, 5)],
    "AA006/fires/alias-bomb.yaml": [("AA006", FILE, 6, 36)],  # the alias that overflows
    "AA006/fires/recursive-alias.yaml": [("AA006", FILE, 1, 8)],  # the alias
    "AA006/fires/deep-flow-nesting.yaml": [("AA006", FILE, 1, 72)],  # the 64th level
    "AA006/fires/deep-block-nesting.yaml": [("AA006", FILE, 65, 129)],
}

PASSES = sorted(p.relative_to(INPUT).as_posix() for p in INPUT.glob("AA00*/passes/*.yaml"))


@pytest.fixture
def in_input_dir(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run from the fixture directory so that paths (and file entities) are short and stable."""
    monkeypatch.chdir(INPUT)


def check(*args: str, input: str | bytes | None = None) -> Run:
    run = invoke("check", *args, "--format", "json", input=input)
    assert run.exit_code in (0, 1), run.stderr
    assert "Traceback" not in run.stderr
    return run


def input_findings(*args: str, input: str | bytes | None = None) -> list[dict[str, Any]]:
    """Findings of the input rules only (AA0xx)."""
    return check(*args, "--select", "AA0", input=input).findings()


def summary(findings: list[dict[str, Any]]) -> Expected:
    return [(f["code"], f["entity"], f["line"], f["column"]) for f in findings]


def test_every_fires_fixture_has_expectations() -> None:
    on_disk = sorted(p.relative_to(INPUT).as_posix() for p in INPUT.glob("AA00*/fires/*.yaml"))
    assert on_disk == sorted(FIRES)
    assert len(PASSES) >= 15


@pytest.mark.usefixtures("in_input_dir")
@pytest.mark.parametrize(("fixture", "expected"), sorted(FIRES.items()))
def test_fires(fixture: str, expected: Expected) -> None:
    run = check(fixture, "--select", "AA0")
    assert run.exit_code == 1
    findings = run.findings()
    want = [(code, fixture if e == FILE else e, line, col) for code, e, line, col in expected]
    assert summary(findings) == want
    code = fixture.split("/", 1)[0]
    for finding in findings:
        assert set(finding) == set(FINDING_FIELDS)
        assert finding["code"] == code
        assert finding["path"] == fixture
        assert finding["severity"] == "error"
        assert finding["message"]
        assert (finding["end_line"], finding["end_column"]) >= (finding["line"], finding["column"])
        assert len(finding["fingerprint"]) >= 16


@pytest.mark.usefixtures("in_input_dir")
@pytest.mark.parametrize("fixture", PASSES)
def test_passes(fixture: str) -> None:
    run = check(fixture, "--select", "AA0")
    assert run.findings() == []
    assert run.exit_code == 0
    assert run.json()["summary"]["files"] == 1


def test_fires_fixtures_pass_the_rules_they_do_not_test(in_input_dir: None) -> None:
    """Each fires fixture trips only its own rule (one problem per file)."""
    for fixture, expected in FIRES.items():
        codes = {f["code"] for f in input_findings(fixture)}
        assert codes == {expected[0][0]}, fixture


# ------------------------------------------------------------------------------------------
# AA001


def test_invalid_utf8_bytes(write: Callable[..., Path]) -> None:
    path = write(b"a: \xff\n")
    [finding] = input_findings(str(path))
    assert (finding["code"], finding["line"], finding["column"]) == ("AA001", 1, 4)
    assert "UTF-8" in finding["message"]
    assert finding["entity"] == finding["path"]


def test_syntax_error_names_the_problem(in_input_dir: None) -> None:
    [finding] = input_findings("AA001/fires/unclosed-flow-sequence.yaml")
    assert finding["message"].startswith("invalid YAML")
    assert "flow sequence" in finding["message"]
    assert finding["name"] == "invalid-yaml"


def test_tab_indentation_hint(in_input_dir: None) -> None:
    [finding] = input_findings("AA001/fires/tab-indentation.yaml")
    assert "tab" in finding["hint"].lower()


def test_multiple_documents_message(in_input_dir: None) -> None:
    [finding] = input_findings("AA001/fires/multiple-documents.yaml")
    assert "one document" in finding["message"]


@pytest.mark.parametrize(("text", "kind"), [("- a\n- b\n", "list"), ("42\n", "single value")])
def test_top_level_must_be_a_mapping(write: Callable[..., Path], text: str, kind: str) -> None:
    [finding] = input_findings(str(write(text)))
    assert finding["code"] == "AA001"
    assert "mapping" in finding["message"]
    assert kind in finding["message"]


def test_control_character_in_stdin() -> None:
    [finding] = input_findings("-", input="customers: []\nx-note: a\x00b\n")
    assert (finding["code"], finding["path"], finding["line"], finding["column"]) == (
        "AA001",
        "<stdin>",
        2,
        10,
    )


# ------------------------------------------------------------------------------------------
# AA002


def test_unknown_key_lists_the_allowed_keys(in_input_dir: None) -> None:
    [finding] = input_findings("AA002/fires/unknown-key.yaml")
    assert "'serve'" in finding["message"]
    assert "serves" in finding["message"]
    assert "x-" in finding["hint"]
    assert finding["name"] == "invalid-schema"


def test_missing_required_field_is_named(in_input_dir: None) -> None:
    [finding] = input_findings("AA002/fires/missing-required.yaml")
    assert "'direction'" in finding["message"]
    # the whole mapping: from the `id:` line to where the mapping ends
    assert (finding["line"], finding["end_line"]) == (2, 4)


def test_boolean_id_hint_says_to_quote(in_input_dir: None) -> None:
    [finding] = input_findings("AA002/fires/boolean-id.yaml")
    assert "boolean" in finding["message"]
    assert "quote" in finding["hint"]


@pytest.mark.parametrize("word", ["on", "off", "yes", "no", "true"])
def test_yaml11_boolean_words_in_references(write: Callable[..., Path], word: str) -> None:
    path = write(
        "customers:\n  - {id: patient, role: end_user}\n"
        f"metrics:\n  - {{id: csat, direction: increase, serves: [patient, {word}]}}\n"
    )
    [finding] = input_findings(str(path))
    assert (finding["code"], finding["entity"], finding["line"]) == ("AA002", "csat", 4)
    assert "quote" in finding["hint"]


def test_bad_enum_and_bad_id_messages(in_input_dir: None) -> None:
    [enum] = input_findings("AA002/fires/bad-enum.yaml")
    assert "'up'" in enum["message"]
    assert "increase" in enum["message"]
    [bad_id] = input_findings("AA002/fires/bad-id.yaml")
    assert "'bad.id'" in bad_id["message"]


@pytest.mark.parametrize(
    ("fixture", "needle"),
    [
        ("AA002/fires/impact-out-of-range.yaml", "150"),
        ("AA002/fires/impact-zero.yaml", "0"),
        ("AA002/fires/tradeoff-between-one-id.yaml", "two distinct"),
        ("AA002/fires/tradeoff-between-same-id.yaml", "two distinct"),
        ("AA002/fires/priorities-repeated.yaml", "'patient' is listed twice"),
        ("AA002/fires/version-2.yaml", "1"),
        ("AA002/fires/waiver-unknown-rule.yaml", "'AA999'"),
    ],
)
def test_messages_name_the_problem(in_input_dir: None, fixture: str, needle: str) -> None:
    [finding] = input_findings(fixture)
    assert needle in finding["message"]


def test_version_1_is_accepted(write: Callable[..., Path]) -> None:
    assert input_findings(str(write("version: 1\n"))) == []


@pytest.mark.parametrize("value", ["1.0", "'1'", "true", "0"])
def test_version_must_be_the_integer_1(write: Callable[..., Path], value: str) -> None:
    [finding] = input_findings(str(write(f"version: {value}\n")))
    assert (finding["code"], finding["line"], finding["column"]) == ("AA002", 1, 10)


def test_waiver_rule_may_be_a_name(write: Callable[..., Path]) -> None:
    path = write(
        "customers:\n  - {id: patient, role: end_user}\n"
        "waivers:\n  - {rule: duplicate-id, target: patient, reason: Accepted}\n"
    )
    assert input_findings(str(path)) == []


def test_several_errors_in_several_files_are_all_reported(write: Callable[..., Path]) -> None:
    a = write(
        "metrics:\n"
        "  - id: csat\n"
        "    direction: up\n"  # 1: bad enum
        "  - id: nps\n"
        "    colour: red\n"  # 2: unknown key
        "    direction: increase\n"
        "customers:\n"
        "  - id: patient\n",  # 3: missing role
        "a.yaml",
    )
    b = write(
        "version: 3\n"  # 4
        "systems:\n"
        "  - id: bot\n"
        "    objectives:\n"
        "      - id: happy\n"  # 5: missing optimizes, 6: missing serves
        "        weight: -2\n"  # 7
        "tradeoffs:\n"
        "  - between: [csat, nps]\n"
        "    prefer: csat\n",  # 8: missing rationale
        "b.yaml",
    )
    c = write("customers:\n  - {id: insurer, role: payer}\n", "sub/c.yaml")  # 9
    findings = input_findings(str(b), str(c), str(a))
    assert [f["code"] for f in findings] == ["AA002"] * 9
    assert [(Path(f["path"]).name, f["line"]) for f in findings] == [
        ("a.yaml", 3),
        ("a.yaml", 5),
        ("a.yaml", 8),
        ("b.yaml", 1),
        ("b.yaml", 5),
        ("b.yaml", 5),
        ("b.yaml", 6),
        ("b.yaml", 8),
        ("c.yaml", 2),
    ]
    assert len({f["fingerprint"] for f in findings}) == 9


def test_x_keys_do_not_hide_real_unknown_keys(write: Callable[..., Path]) -> None:
    path = write("customers:\n  - id: patient\n    role: end_user\n    x-ok: 1\n    xok: 2\n")
    assert summary(input_findings(str(path))) == [("AA002", "patient", 5, 5)]


# ------------------------------------------------------------------------------------------
# AA003


def test_repeated_key_related_is_the_first(in_input_dir: None) -> None:
    fixture = "AA003/fires/repeated-key.yaml"
    [finding] = input_findings(fixture)
    assert (finding["line"], finding["column"]) == (5, 5)
    [related] = finding["related"]
    assert (related["path"], related["line"], related["column"]) == (fixture, 3, 5)
    assert "'direction'" in finding["message"]
    assert finding["name"] == "duplicate-key"


def test_repeated_key_keeps_the_first_value(write: Callable[..., Path]) -> None:
    """The first `direction` (valid) is kept; the second (invalid) is ignored, not validated."""
    path = write("metrics:\n  - id: csat\n    direction: increase\n    direction: sideways\n")
    assert [f["code"] for f in input_findings(str(path))] == ["AA003"]
    path = write("metrics:\n  - id: csat\n    direction: sideways\n    direction: increase\n")
    assert sorted(f["code"] for f in input_findings(str(path))) == ["AA002", "AA003"]


def test_repeated_top_level_key_related(in_input_dir: None) -> None:
    [finding] = input_findings("AA003/fires/repeated-top-level-key.yaml")
    assert [(r["line"], r["column"]) for r in finding["related"]] == [(1, 1)]


# ------------------------------------------------------------------------------------------
# AA004


@pytest.mark.parametrize(
    ("fixture", "first"),
    [
        ("AA004/fires/duplicate-metric.yaml", (2, 9)),
        ("AA004/fires/customer-system-clash.yaml", (2, 9)),
        ("AA004/fires/duplicate-outcome.yaml", (5, 9)),
        ("AA004/fires/duplicate-objective.yaml", (8, 14)),
    ],
)
def test_duplicate_id_related_is_the_first(
    in_input_dir: None, fixture: str, first: tuple[int, int]
) -> None:
    [finding] = input_findings(fixture)
    [related] = finding["related"]
    assert (related["path"], related["line"], related["column"]) == (fixture, *first)
    assert related["entity"] == finding["entity"]


def test_namespace_clash_names_both_kinds(in_input_dir: None) -> None:
    [finding] = input_findings("AA004/fires/customer-system-clash.yaml")
    assert "system" in finding["message"]
    assert "customer" in finding["message"]


def test_cross_file_duplicate_first_in_sorted_order_wins(
    write: Callable[..., Path], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    write("metrics:\n  - id: csat\n    direction: increase\n", "b.yaml")
    write(
        "customers:\n  - id: patient\n    role: end_user\n  - id: csat\n    role: buyer\n", "a.yaml"
    )
    for order in (("b.yaml", "a.yaml"), ("a.yaml", "b.yaml")):
        [finding] = input_findings(*order)
        assert summary([finding]) == [("AA004", "csat", 2, 9)]
        assert finding["path"] == "b.yaml"
        [related] = finding["related"]
        assert (related["path"], related["line"], related["column"]) == ("a.yaml", 4, 9)


def test_duplicate_is_ignored_not_validated(write: Callable[..., Path]) -> None:
    """The repeat is reported once (AA004) and otherwise ignored: its own errors do not leak
    into references (the first, valid declaration is used)."""
    path = write(
        "customers:\n  - {id: patient, role: end_user}\n"
        "metrics:\n"
        "  - {id: csat, direction: increase, serves: patient}\n"
        "  - {id: csat, direction: increase, serves: ghost}\n"
    )
    assert [f["code"] for f in input_findings(str(path))] == ["AA004"]


def test_organization_and_priorities_in_two_files(
    write: Callable[..., Path], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    write(
        "organization:\n  name: North\ncustomers:\n  - {id: patient, role: end_user}\n"
        "priorities: [patient]\n",
        "a.yaml",
    )
    write("organization:\n  name: South\npriorities: [patient]\n", "b.yaml")
    findings = input_findings("b.yaml", "a.yaml")
    assert [(f["code"], f["entity"], f["path"], f["line"]) for f in findings] == [
        ("AA004", "organization", "b.yaml", 1),
        ("AA004", "priorities", "b.yaml", 3),
    ]
    for finding in findings:
        [related] = finding["related"]
        assert related["path"] == "a.yaml"
    assert [f["related"][0]["line"] for f in findings] == [1, 5]


# ------------------------------------------------------------------------------------------
# AA005


def test_unknown_reference_suggests_a_close_name(in_input_dir: None) -> None:
    [finding] = input_findings("AA005/fires/serves-unknown.yaml")
    assert "'pateint'" in finding["message"]
    assert "patient" in finding["hint"]
    assert finding["name"] == "unknown-reference"


@pytest.mark.parametrize(
    ("fixture", "kind"),
    [
        ("AA005/fires/serves-a-metric.yaml", "metric"),
        ("AA005/fires/optimizes-a-customer.yaml", "customer"),
        ("AA005/fires/users-a-metric.yaml", "metric"),
        ("AA005/fires/objective-serves-a-system.yaml", "system"),
    ],
)
def test_wrong_kind_is_named(in_input_dir: None, fixture: str, kind: str) -> None:
    [finding] = input_findings(fixture)
    assert f"which is a {kind}" in finding["message"]


def test_reference_to_an_invalid_declaration_is_not_unknown(write: Callable[..., Path]) -> None:
    path = write(
        "customers:\n"
        "  - id: patient\n"
        "    role: superhero\n"  # AA002: the customer is invalid, but declared
        "    outcomes: [care]\n"
        "metrics:\n"
        "  - id: aht\n"
        "    direction: sideways\n"  # AA002: the metric is invalid, but declared
        "  - id: csat\n"
        "    direction: increase\n"
        "    serves: [patient, patient.care]\n"
        "    effects: {aht: hurts}\n"
        "systems:\n"
        "  - id: bot\n"
        "    users: [patient]\n"
        "    objectives:\n"
        "      - {id: fast, optimizes: aht, serves: patient.care, guardrails: [aht]}\n"
        "tradeoffs:\n"
        "  - {between: [csat, aht], prefer: csat, rationale: r}\n"
        "priorities: [patient]\n"
    )
    assert summary(input_findings(str(path))) == [
        ("AA002", "patient", 3, 11),
        ("AA002", "aht", 7, 16),
    ]


def test_reference_into_an_invalid_system_is_not_unknown(write: Callable[..., Path]) -> None:
    path = write(
        "customers:\n  - {id: patient, role: end_user}\n"
        "metrics:\n  - {id: csat, direction: increase, serves: patient}\n"
        "systems:\n  - id: bot\n    colour: blue\n    objectives:\n"
        "      - {id: happy, optimizes: csat, serves: patient}\n"
        "waivers:\n  - {rule: AA004, target: bot.happy, reason: r}\n"
    )
    assert [f["code"] for f in input_findings(str(path))] == ["AA002"]


def test_references_are_case_sensitive(write: Callable[..., Path]) -> None:
    path = write(
        "customers:\n  - {id: patient, role: end_user}\n"
        "metrics:\n  - {id: csat, direction: increase, serves: Patient}\n"
    )
    assert summary(input_findings(str(path))) == [("AA005", "csat", 4, 45)]


# ------------------------------------------------------------------------------------------
# AA006


def test_python_tags_are_never_executed(write: Callable[..., Path], tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    path = write(
        f"metrics: !!python/object/apply:os.system ['touch {marker}']\n"
        "customers:\n"
        f"  - !!python/object/apply:subprocess.check_call [['touch', '{marker}']]\n"
    )
    findings = input_findings(str(path))
    assert [f["code"] for f in findings] == ["AA006", "AA006"]
    assert not marker.exists()
    assert "!!python/object/apply:os.system" in findings[0]["message"]


def test_refused_value_is_not_also_a_schema_error(in_input_dir: None) -> None:
    """The tagged value is reported once (AA006), not again as a wrong type or missing key."""
    assert [f["code"] for f in input_findings("AA006/fires/custom-tag.yaml")] == ["AA006"]
    assert [f["code"] for f in input_findings("AA006/fires/custom-tag-on-key.yaml")] == ["AA006"]


def test_alias_bomb_is_refused_fast(in_input_dir: None) -> None:
    started = time.perf_counter()
    [finding] = input_findings("AA006/fires/alias-bomb.yaml")
    assert time.perf_counter() - started < 1.0
    assert finding["code"] == "AA006"
    assert "alias" in finding["message"]


def test_alias_budget_is_configurable(write: Callable[..., Path], tmp_path: Path) -> None:
    doc = write("x-a: &a [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]\nx-b: [*a, *a, *a, *a, *a]\n")
    assert input_findings(str(doc)) == []
    config = tmp_path / "limits.toml"
    config.write_text("max-alias-nodes = 40\n", encoding="utf-8")
    [finding] = input_findings(str(doc), "--config", str(config))
    assert finding["code"] == "AA006"


@pytest.mark.parametrize("text", ["a: &a [*a]\n", "a: &a {b: *a}\n", "a: &a [[[*a]]]\n"])
def test_recursive_alias(write: Callable[..., Path], text: str) -> None:
    [finding] = input_findings(str(write(text)))
    assert finding["code"] == "AA006"
    assert "recursive" in finding["message"]


def test_depth_limit_is_configurable(write: Callable[..., Path], tmp_path: Path) -> None:
    doc = write("x-deep: " + "[" * 10 + "]" * 10 + "\n")
    assert input_findings(str(doc)) == []
    config = tmp_path / "limits.toml"
    config.write_text("max-depth = 5\n", encoding="utf-8")
    [finding] = input_findings(str(doc), "--config", str(config))
    assert (finding["code"], finding["line"], finding["column"]) == ("AA006", 1, 13)


@pytest.mark.parametrize("levels", [100, 5000, 50000])
def test_deep_nesting_is_refused(write: Callable[..., Path], levels: int) -> None:
    """Beyond max-depth (64) we refuse; far beyond, the parser itself gives up: AA006 too."""
    [finding] = input_findings(str(write("a: " + "[" * levels + "]" * levels + "\n")))
    assert finding["code"] == "AA006"
    assert "nesting" in finding["message"]


def test_raised_depth_limit_still_never_crashes(write: Callable[..., Path], tmp_path: Path) -> None:
    config = tmp_path / "deep.toml"
    config.write_text("max-depth = 100000\n", encoding="utf-8")
    doc = write("a: " + "[" * 990 + "]" * 990 + "\n")
    findings = input_findings(str(doc), "--config", str(config))
    assert [f["code"] for f in findings] in (["AA002"], ["AA006"])


def test_file_over_the_size_limit(write: Callable[..., Path], tmp_path: Path) -> None:
    config = tmp_path / "align-audit.toml"
    config.write_text("max-file-size = 1000\n", encoding="utf-8")
    small = write("customers:\n  - {id: patient, role: end_user}\n", "small.yaml")
    big = write(
        "customers:\n" + "".join(f"  - {{id: c{i}, role: end_user}}\n" for i in range(60)),
        "big.yaml",
    )
    assert big.stat().st_size > 1000
    findings = input_findings(str(small), str(big), "--config", str(config))
    assert summary(findings) == [("AA006", str(big), 1, 1)]
    assert "1,000" in findings[0]["message"]
    assert input_findings(str(big)) == []  # within the default limit


@pytest.mark.parametrize(
    "text", ["", "\n\n", "# only a comment\n", "---\n", "~\n", "# a\n---\n# b\n"]
)
def test_empty_file_is_an_empty_organization(write: Callable[..., Path], text: str) -> None:
    run = check(str(write(text)))  # every rule, not only AA0
    assert run.exit_code == 0
    assert run.findings() == []
