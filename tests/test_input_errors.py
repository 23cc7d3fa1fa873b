"""SPEC §6.1: input errors that no setting hides, and no alignment finding caused by one."""

from __future__ import annotations

import copy
import json
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from analysis.test_properties import PROPERTY, Org, key, organizations, run_audit, workdir, write
from conftest import EXAMPLES, invoke

TODAY = "2026-12-01"
TAB = "customers:\n  - id: patient\n\trole: end_user\n"
BOMB = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, "
    f"*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, "
    f"*{chr(97 + i)}, *{chr(97 + i)}]\n"
    for i in range(9)
)
BAD_DIRECTION = "metrics:\n  - id: speed\n    direction: up\n"


def codes(run: Any) -> list[str]:
    return [f["code"] for f in run.findings()]


# -- the gate ---------------------------------------------------------------------------------


def test_select_cannot_hide_a_yaml_error(write: Callable[..., Path]) -> None:
    path = write(TAB)
    run = invoke("check", str(path), "--select", "AA105", "--format", "json")
    assert codes(run) == ["AA001"]
    assert run.exit_code == 1


def test_select_in_config_cannot_hide_a_yaml_error(write: Callable[..., Path]) -> None:
    path = write(TAB)
    config = write('select = ["AA1"]\n', "align-audit.toml")
    run = invoke("check", str(path), "--config", str(config))
    assert run.exit_code == 1
    assert "AA001" in run.stdout


def test_ignore_cannot_hide_an_alias_bomb(write: Callable[..., Path]) -> None:
    path = write(BOMB)
    run = invoke("check", str(path), "--ignore", "AA0", "--format", "json")
    assert "AA006" in codes(run)
    assert run.exit_code == 1


def test_ignoring_an_input_error_by_name_warns(write: Callable[..., Path]) -> None:
    path = write(BAD_DIRECTION)
    run = invoke("check", str(path), "--ignore", "invalid-schema", "--format", "json")
    assert codes(run) == ["AA002"]
    assert "warning: AA002 (invalid-schema) cannot be ignored" in run.stderr


def test_severity_cannot_lower_an_input_error(write: Callable[..., Path]) -> None:
    path = write(BAD_DIRECTION)
    config = write('[severity]\nAA002 = "info"\nAA0 = "warning"\n', "align-audit.toml")
    run = invoke("check", str(path), "--config", str(config), "--format", "json")
    assert [(f["code"], f["severity"]) for f in run.findings()] == [("AA002", "error")]
    assert run.exit_code == 1
    assert "cannot be given another severity" in run.stderr


def test_an_input_error_cannot_be_waived(write: Callable[..., Path]) -> None:
    path = write(
        BAD_DIRECTION + "waivers:\n  - {rule: AA002, target: speed, reason: later}\n",
    )
    run = invoke("check", str(path), "--format", "json")
    found = [(f["code"], f["entity"]) for f in run.findings()]
    assert ("AA002", "speed") in found
    (waiver,) = [f for f in run.findings() if f["entity"].startswith("waiver:")]
    assert "cannot be waived" in waiver["message"]
    assert run.exit_code == 1


def test_an_input_error_cannot_be_baselined(write: Callable[..., Path], tmp_path: Path) -> None:
    path = write(BAD_DIRECTION + "  - {id: nps, direction: increase}\n")
    baseline = tmp_path / "baseline.json"
    first = invoke("check", str(path), "--write-baseline", str(baseline), "--format", "json")
    assert sorted(codes(first)) == ["AA002"]  # AA101 of nps went into the baseline
    written = json.loads(baseline.read_text(encoding="utf-8"))["findings"]
    assert [entry["code"] for entry in written.values()] == ["AA101"]
    run = invoke("check", str(path), "--baseline", str(baseline), "--format", "json")
    assert codes(run) == ["AA002"]
    assert run.exit_code == 1


# -- dropping only the offending part ---------------------------------------------------------


def _summary(run: Any) -> Counter[tuple[str, str, str]]:
    return Counter((f["code"], f["entity"], f["severity"]) for f in run.findings())


def test_a_comma_in_an_outcome_description_adds_one_aa002_only(tmp_path: Path) -> None:
    original = (EXAMPLES / "hiring.yaml").read_text(encoding="utf-8")
    broken = original.replace(
        "{id: fair_assessment, description: Judged on job-relevant skills only}",
        "{id: fair_assessment, description: Judged on ability, not proxies}",
    )
    assert broken != original
    (tmp_path / "a.yaml").write_text(original, encoding="utf-8")
    (tmp_path / "b.yaml").write_text(broken, encoding="utf-8")
    before = invoke("check", str(tmp_path / "a.yaml"), "--today", TODAY, "--format", "json")
    after = invoke("check", str(tmp_path / "b.yaml"), "--today", TODAY, "--format", "json")
    assert _summary(after) - _summary(before) == Counter(
        {("AA002", "candidate.fair_assessment", "error"): 1}
    )
    assert _summary(before) - _summary(after) == Counter()


def test_a_key_at_the_wrong_level_keeps_the_system(tmp_path: Path) -> None:
    original = (EXAMPLES / "hiring.yaml").read_text(encoding="utf-8")
    line = '        guardrails: [{metric: adverse_impact_ratio, threshold: ">= 0.8"}]\n'
    moved = original.replace(line, "").replace(
        "        weight: 0.3\n", "        weight: 0.3\n" + line[4:]
    )
    (tmp_path / "org.yaml").write_text(moved, encoding="utf-8")
    run = invoke("check", str(tmp_path / "org.yaml"), "--today", TODAY, "--format", "json")
    found = {(f["code"], f["entity"]) for f in run.findings()}
    assert ("AA104", "resume_screener.rank_best_fit") in found
    assert ("AA105", "resume_screener.shortlist_fast") in found
    (aa002,) = [f for f in run.findings() if f["code"] == "AA002"]
    assert aa002["entity"] == "resume_screener"
    assert "'guardrails' is a key of an objective: check its indentation" in aa002["hint"]
    report = invoke("report", str(tmp_path / "org.yaml"), "--today", TODAY)
    assert "resume_screener" in report.stdout


def test_an_invalid_optional_value_is_unset_not_the_declaration(
    write: Callable[..., Path],
) -> None:
    path = write(
        "customers: [{id: patient, role: end_user}]\n"
        "metrics:\n"
        "  - {id: wait, direction: decrease, serves: patient, kind: fast, unit: [m]}\n"
    )
    run = invoke("check", str(path), "--format", "json")
    # both errors reported; the metric still measures the patient: no AA101, no AA107
    assert sorted(codes(run)) == ["AA002", "AA002"]


def test_an_invalid_list_element_drops_that_element(write: Callable[..., Path]) -> None:
    path = write(
        "customers: [{id: patient, role: end_user}]\n"
        "metrics:\n"
        "  - {id: wait, direction: decrease, serves: patient}\n"
        "  - {id: csat, direction: increase, serves: patient}\n"
        "systems:\n"
        "  - id: bot\n"
        "    users: [patient]\n"
        "    objectives:\n"
        "      - id: fast\n"
        "        optimizes: wait\n"
        "        serves: patient\n"
        "        guardrails: [csat, {metric: csat, treshold: 4}, {limit: 3}]\n"
    )
    run = invoke("check", str(path), "--format", "json")
    # treshold: unknown; {limit: 3}: unknown key and no metric. The valid csat guardrail stays:
    # no AA105 or AA106
    assert [(f["code"], f["line"]) for f in run.findings()] == [("AA002", 12)] * 3
    assert run.exit_code == 1


def test_effects_written_under_effects_say_so(write: Callable[..., Path]) -> None:
    path = write(
        "customers: [{id: patient, role: end_user}]\n"
        "metrics:\n"
        "  - id: wait\n"
        "    direction: decrease\n"
        "    effects:\n"
        "      serves: [patient]\n"
    )
    run = invoke("check", str(path), "--format", "json")
    # the metric's serves went missing through an input error: no AA101 about it, no AA107
    (finding,) = run.findings()
    assert finding["code"] == "AA002"
    assert "effects.serves:" in finding["message"]
    assert "impact" not in finding["message"].split(":")[1]
    assert "indent it at the level of 'effects'" in finding["hint"]


def test_no_absence_finding_about_what_a_left_out_declaration_references(
    write: Callable[..., Path],
) -> None:
    path = write(
        "customers:\n"
        "  - {id: patient, role: end_user, outcomes: [care]}\n"
        "  - {id: insurer, role: buyer}\n"
        "metrics:\n"
        "  - {id: wait, direction: sideways, serves: patient.care}\n"  # left out
        "  - {id: cost, direction: decrease, serves: insurer, effects: {wait: hurts}}\n"
    )
    run = invoke("check", str(path), "--format", "json")
    # no AA107/AA108 for patient (a left-out metric measures it); cost references a
    # left-out metric, but still serves the insurer: nothing to suppress there
    assert codes(run) == ["AA002"]


def test_a_metric_referencing_a_left_out_customer_is_not_unserved(
    write: Callable[..., Path],
) -> None:
    path = write(
        "customers:\n"
        "  - {id: patient, role: patient}\n"  # left out: bad role
        "metrics:\n"
        "  - {id: wait, direction: decrease, serves: patient}\n"
    )
    run = invoke("check", str(path), "--format", "json")
    assert codes(run) == ["AA002"]


def test_absence_still_fires_about_unrelated_entities(write: Callable[..., Path]) -> None:
    path = write(
        "customers:\n"
        "  - {id: patient, role: end_user}\n"
        "  - {id: insurer, role: buyer}\n"
        "metrics:\n"
        "  - {id: wait, direction: sideways, serves: patient}\n"
        "  - {id: cost, direction: decrease}\n"
    )
    run = invoke("check", str(path), "--format", "json")
    assert sorted((f["code"], f["entity"]) for f in run.findings()) == [
        ("AA002", "wait"),
        ("AA101", "cost"),
        ("AA107", "insurer"),
    ]


# -- property: an unknown key adds exactly one AA002 ------------------------------------------


def _mappings(org: Org) -> list[tuple[Any, Any]]:
    """(container, key) of every declaration-like mapping, turning shorthand into mappings."""
    slots: list[tuple[Any, Any]] = []
    for key_ in ("customers", "metrics", "systems", "tradeoffs"):
        for i, item in enumerate(org.get(key_, [])):
            slots.append((org[key_], i))
            for j, outcome in enumerate(item.get("outcomes", [])):
                if isinstance(outcome, str):
                    item["outcomes"][j] = {"id": outcome}
                slots.append((item["outcomes"], j))
            for target, effect in item.get("effects", {}).items():
                if not isinstance(effect, dict):
                    item["effects"][target] = {"impact": effect}
                slots.append((item["effects"], target))
            for objective_index, objective in enumerate(item.get("objectives", [])):
                slots.append((item["objectives"], objective_index))
                for g, guard in enumerate(objective.get("guardrails", [])):
                    objective["guardrails"][g] = {"metric": guard}
                    slots.append((objective["guardrails"], g))
    return slots


@PROPERTY
@given(organizations(), st.data())
def test_an_unknown_key_adds_exactly_one_aa002(org: Org, data: st.DataObject) -> None:
    expanded = copy.deepcopy(org)
    slots = _mappings(expanded)
    with workdir() as folder:
        before = run_audit(write(folder, "org.yaml", expanded))
        container, index = data.draw(st.sampled_from([*slots, (None, None)]))
        changed = copy.deepcopy(expanded)
        target = changed if container is None else _find(changed, expanded, container)[index]
        target["unexpected_key"] = data.draw(st.sampled_from([1, "text", [1, 2], {"a": 1}]))
        after = run_audit(write(folder, "org.yaml", changed))
    added = Counter(key(f) for f in after.findings) - Counter(key(f) for f in before.findings)
    removed = Counter(key(f) for f in before.findings) - Counter(key(f) for f in after.findings)
    assert removed == Counter()
    assert [k[0] for k in added.elements()] == ["AA002"]


def _find(changed: Any, original: Any, container: Any) -> Any:
    """The copy of ``container`` (found by identity in ``original``) inside ``changed``."""
    if original is container:
        return changed
    children = original.items() if isinstance(original, dict) else enumerate(original)
    for k, value in children:
        if isinstance(value, dict | list):
            found = _find(changed[k], value, container)
            if found is not None:
                return found
    return None


def test_a_dropped_kind_causes_no_unbalanced_scorecard(write: Callable[..., Path]) -> None:
    path = write(
        "customers: [{id: patient, role: end_user}]\n"
        "metrics:\n"
        "  - {id: wait, direction: decrease, serves: patient, kind: leading}\n"
        "  - {id: csat, direction: increase, serves: patient, kind: lagged}\n"  # invalid kind
    )
    run = invoke("check", str(path), "--format", "json")
    # with csat's kind unset, patient's scorecard looks all leading: that AA112 would be caused
    # by the input error, so it is not reported
    assert codes(run) == ["AA002"]
    fixed = write(
        "customers: [{id: patient, role: end_user}]\n"
        "metrics:\n"
        "  - {id: wait, direction: decrease, serves: patient, kind: leading}\n"
        "  - {id: csat, direction: increase, serves: patient}\n",
        "fixed.yaml",
    )
    assert codes(invoke("check", str(fixed), "--format", "json")) == ["AA112"]  # near miss
