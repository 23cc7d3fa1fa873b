"""``--format sarif``: valid SARIF 2.1.0 that matches the JSON findings."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from conftest import invoke

from .helpers import CONFIG_REPO, HEALTHCARE, TODAY, Check, example_targets, walk

LEVELS = {"error": "error", "warning": "warning", "info": "note"}
BAD_YAML = "customers:\n  - id: patient\n\trole: end_user\n"


def _errors(validator: Any, document: Any) -> list[str]:
    return [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
        for e in validator.iter_errors(document)
    ]


def _both(check: Check, *paths: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    sarif = json.loads(check(*paths, fmt="sarif").stdout)
    findings = check(*paths, fmt="json").findings()
    return sarif, findings


@pytest.mark.parametrize("target", example_targets())
def test_every_example_validates_against_the_official_schema(
    check: Check, sarif_validator: Any, target: str
) -> None:
    sarif, findings = _both(check, target)
    assert _errors(sarif_validator, sarif) == []
    assert len(sarif["runs"][0]["results"]) == len(findings)


def test_all_examples_together_validate(check: Check, sarif_validator: Any) -> None:
    """One organization of every example: duplicates, unknown references, related locations."""
    sarif, findings = _both(check, "examples")
    assert _errors(sarif_validator, sarif) == []
    results = sarif["runs"][0]["results"]
    assert len(results) == len(findings) > 50
    assert any("relatedLocations" in r for r in results)


def test_a_syntax_error_validates(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sarif_validator: Any
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "broken org.yaml").write_text(BAD_YAML, encoding="utf-8")
    run = invoke("check", "broken org.yaml", "--format", "sarif", "--today", TODAY)
    assert run.exit_code == 1
    sarif = json.loads(run.stdout)
    assert _errors(sarif_validator, sarif) == []
    (result,) = sarif["runs"][0]["results"]
    assert result["ruleId"] == "AA001"
    location = result["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "broken%20org.yaml"
    assert location["artifactLocation"]["uriBaseId"] == "SRCROOT"
    assert location["region"]["startLine"] == 3


def test_rules_describe_the_whole_catalogue(check: Check) -> None:
    from align_audit.rules import REGISTRY

    driver = json.loads(check(HEALTHCARE, fmt="sarif").stdout)["runs"][0]["tool"]["driver"]
    import align_audit

    assert driver["name"] == "align-audit"
    assert driver["version"] == align_audit.__version__
    rules = driver["rules"]
    assert [r["id"] for r in rules] == [rule.code for rule in REGISTRY]
    assert len(rules) == len(REGISTRY) == 33
    for rule, descriptor in zip(REGISTRY, rules, strict=True):
        assert descriptor["name"] == rule.name
        assert descriptor["defaultConfiguration"]["level"] == LEVELS[rule.severity.label]
        assert descriptor["shortDescription"]["text"]
        assert descriptor["fullDescription"]["text"]
        assert "```yaml" in descriptor["help"]["markdown"]
        assert "Fires:" in descriptor["help"]["text"]


@pytest.mark.parametrize("target", [HEALTHCARE, CONFIG_REPO])
def test_results_match_the_json_findings(check: Check, target: str) -> None:
    sarif, findings = _both(check, target)
    run = sarif["runs"][0]
    results = run["results"]
    assert len(results) == len(findings)
    rules = run["tool"]["driver"]["rules"]
    for result, finding in zip(results, findings, strict=True):
        assert result["ruleId"] == finding["code"]
        assert rules[result["ruleIndex"]]["id"] == finding["code"]
        assert result["level"] == LEVELS[finding["severity"]]
        assert result["message"]["text"] == finding["message"]
        assert result["partialFingerprints"] == {"alignAudit/v1": finding["fingerprint"]}
        assert result["properties"]["entity"] == finding["entity"]
        physical = result["locations"][0]["physicalLocation"]
        assert physical["artifactLocation"]["uri"] == finding["path"]
        assert physical["region"] == {
            "startLine": finding["line"],
            "startColumn": finding["column"],
            "endLine": finding["end_line"],
            "endColumn": finding["end_column"],
        }
        related = result.get("relatedLocations", [])
        assert [r["physicalLocation"]["region"]["startLine"] for r in related] == [
            r["line"] for r in finding["related"]
        ]
        for want, got in zip(finding["related"], related, strict=True):
            assert want["entity"] in got["message"]["text"]
    artifacts = [a["location"]["uri"] for a in run["artifacts"]]
    assert set(artifacts) >= {f["path"] for f in findings}


def test_uris_are_relative(check: Check) -> None:
    sarif = json.loads(check("examples", fmt="sarif").stdout)
    uris = list(walk(sarif["runs"], "uri"))
    assert uris
    for uri in uris:
        assert uri.startswith("examples/"), uri
        assert "file:" not in uri and "\\" not in uri
    assert set(walk(sarif["runs"], "uriBaseId")) == {"SRCROOT"}
    assert str(Path.cwd()) not in json.dumps(sarif)


def test_code_flows_show_the_witness_path(check: Check) -> None:
    sarif, findings = _both(check, HEALTHCARE)
    results = sarif["runs"][0]["results"]
    harms = [(r, f) for r, f in zip(results, findings, strict=True) if f["code"] == "AA105"]
    assert harms
    for result, finding in harms:
        steps = result["codeFlows"][0]["threadFlows"][0]["locations"]
        assert [s["location"]["message"]["text"] for s in steps] == finding["trace"]
        assert all("physicalLocation" in s["location"] for s in steps)
    for result, finding in zip(results, findings, strict=True):
        assert ("codeFlows" in result) == (len(finding["trace"]) >= 2)


def test_stdin_and_special_characters_give_valid_uris(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sarif_validator: Any
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "dir #1").mkdir()
    (tmp_path / "dir #1" / "mé org%.yaml").write_text(
        "metrics: [{id: m, direction: increase}]\n", encoding="utf-8"
    )
    run = invoke("check", "-", "dir #1", "--format", "sarif", "--today", TODAY, input=BAD_YAML)
    sarif = json.loads(run.stdout)
    assert _errors(sarif_validator, sarif) == []
    uris = sorted(set(walk(sarif["runs"], "uri")))
    assert uris == ["%3Cstdin%3E", "dir%20%231/m%C3%A9%20org%25.yaml"]


def test_a_path_outside_the_working_directory_is_a_file_uri(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sarif_validator: Any
) -> None:
    (tmp_path / "org.yaml").write_text("metrics: [{id: m, direction: increase}]\n")
    (tmp_path / "cwd").mkdir()
    monkeypatch.chdir(tmp_path / "cwd")
    run = invoke("check", str(tmp_path / "org.yaml"), "--format", "sarif")
    sarif = json.loads(run.stdout)
    assert _errors(sarif_validator, sarif) == []
    location = sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == (tmp_path / "org.yaml").as_uri()
    assert "uriBaseId" not in location["artifactLocation"]


def test_no_findings_is_an_empty_result_list(check: Check, sarif_validator: Any) -> None:
    run = check("examples/clean.yaml", fmt="sarif")
    assert run.exit_code == 0
    sarif = json.loads(run.stdout)
    assert sarif["runs"][0]["results"] == []
    assert _errors(sarif_validator, sarif) == []
