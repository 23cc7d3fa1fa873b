"""``align-audit diff`` (SPEC §9) on real git repositories: what a change does to alignment."""

from __future__ import annotations

import json
from typing import Any

import pytest

from .repos import CUSTOMERS, METRICS, Repo

TODAY = ("--today", "2026-12-01")


def _json(repo: Repo, *args: str, code: int | None = None) -> dict[str, Any]:
    run = repo.run("diff", *args, "--format", "json", *TODAY)
    assert run.exit_code in (0, 1), run.stderr
    if code is not None:
        assert run.exit_code == code, run.stdout
    document: dict[str, Any] = json.loads(run.stdout)
    return document


def _codes(findings: list[dict[str, Any]]) -> list[tuple[str, str]]:
    return [(f["code"], f["entity"]) for f in findings]


def test_an_unchanged_tree_does_not_affect_alignment(org: Repo) -> None:
    run = org.run("diff", "--base", "main", *TODAY)
    assert run.exit_code == 0
    assert run.stdout == (
        "align-audit diff main → working tree: this change does not affect alignment.\n"
    )


def test_renames_moves_and_moved_lines_are_no_change(org: Repo) -> None:
    """A renamed file, a file moved to another folder and findings on other lines: the same
    fingerprints, so nothing is introduced or resolved."""
    org.git("mv", "org/metrics.yaml", "org/measures.yaml")
    org.write("org/measures.yaml", "# reformatted\n\n" + METRICS)
    second = org.commit("rename, and shift lines")
    (org.root / "people").mkdir()
    org.git("mv", "org/customers.yaml", "people/customers.yaml")
    third = org.commit("move between folders")

    document = _json(org, ".", "--base", "main~2", "--head", third, code=0)
    assert document["summary"] == {
        "verdict": "this change does not affect alignment",
        "fails": False,
        "introduced": 0,
        "resolved": 0,
        "impact_changes": 0,
        "declaration_changes": 0,
    }
    assert document["head"]["commit"] == third
    assert document["base"]["files"] == document["head"]["files"] == 3
    # the findings are there on both sides, at other places
    base = json.loads(org.run("check", ".", "-f", "json", *TODAY).stdout)["findings"]
    assert {f["code"] for f in base} == {"AA112"}
    moved = _json(org, "--base", second)
    assert moved["summary"]["introduced"] == moved["summary"]["resolved"] == 0


def test_a_flipped_effect_worsens_a_customer(org: Repo) -> None:
    org.write("org/metrics.yaml", METRICS.replace("recovery_rate: helps", "recovery_rate: hurts"))
    document = _json(org, "--base", "main", code=0)
    assert _codes(document["introduced"]) == [("AA102", "episode_cost")]
    assert document["resolved"] == []
    assert document["impacts"] == [
        {
            "objective": "claims.lower_cost",
            "customer": "patient",
            "before": "improves",
            "after": "worsens",
            "score_before": 25,
            "score_after": -25,
        }
    ]
    assert document["declarations"] == [
        {
            "kind": "metric",
            "id": "episode_cost",
            "change": "changed",
            "path": "org/metrics.yaml",
            "line": 6,
            "fields": [],
            "effects": [
                {"target": "recovery_rate", "change": "flipped", "before": 25, "after": -25}
            ],
        }
    ]
    assert document["summary"]["verdict"] == (
        "this change introduces 1 finding (1 warning); it changes 1 impact and 1 declaration"
    )
    # the gate: a warning fails only when asked
    assert org.run("diff", "--base", "main", "--fail-on", "warning", *TODAY).exit_code == 1
    assert org.run("diff", "--base", "main", "--fail-on", "warning", "--exit-zero").exit_code == 0


def test_a_deleted_file_removes_its_declarations(org: Repo) -> None:
    org.git("rm", "-q", "org/systems.yaml")
    org.write("org/metrics.yaml", METRICS.replace("direction: decrease", "direction: increase"))
    head = org.commit("drop the claims system; cost now should rise")
    document = _json(org, "--base", "main~1", "--head", head)
    assert [(d["change"], d["kind"], d["id"], d["path"]) for d in document["declarations"]] == [
        ("changed", "metric", "episode_cost", "org/metrics.yaml"),
        ("removed", "system", "claims", "org/systems.yaml"),
        ("removed", "objective", "claims.lower_cost", "org/systems.yaml"),
    ]
    assert document["declarations"][0]["fields"] == [
        {"field": "direction", "before": "decrease", "after": "increase"}
    ]
    assert document["impacts"] == [
        {
            "objective": "claims.lower_cost",
            "customer": "insurer",
            "before": "improves",
            "after": "not reached",
            "score_before": 100,
            "score_after": None,
        },
        {
            "objective": "claims.lower_cost",
            "customer": "patient",
            "before": "improves",
            "after": "not reached",
            "score_before": 25,
            "score_after": None,
        },
    ]
    assert document["head"]["files"] == 2


def test_a_revision_with_a_yaml_error(org: Repo) -> None:
    org.write("org/metrics.yaml", METRICS + "  - id: [broken\n")
    broken = org.commit("a syntax error")
    org.write("org/metrics.yaml", METRICS)
    fixed = org.commit("fixed")

    introduced = _json(org, "--base", "main~2", "--head", broken, code=1)
    # the file's declarations are gone at that revision: what refers to them is reported too
    assert _codes(introduced["introduced"]) == [
        ("AA107", "patient"),
        ("AA107", "insurer"),
        ("AA001", "org/metrics.yaml"),
        ("AA005", "claims.lower_cost"),
        ("AA005", "claims.lower_cost"),
    ]
    assert introduced["introduced"][2]["line"] == 13
    assert _codes(introduced["resolved"]) == [("AA112", "patient"), ("AA112", "insurer")]
    assert [(d["change"], d["id"]) for d in introduced["declarations"]] == [
        ("removed", "episode_cost"),
        ("removed", "recovery_rate"),
    ]
    resolved = _json(org, "--base", broken, "--head", fixed, code=0)
    assert _codes(resolved["resolved"]) == _codes(introduced["introduced"])
    assert _codes(resolved["introduced"]) == _codes(introduced["resolved"])
    # the working tree is the default head
    assert _json(org, "--base", broken) == {
        **resolved,
        "head": {**resolved["head"], "revision": "working tree", "commit": None},
    }


def test_new_files_in_the_working_tree_are_introduced(org: Repo) -> None:
    org.write(
        "org/extra.yaml",
        "metrics:\n  - id: orphan_metric\n    direction: increase\n",
    )
    document = _json(org, "--base", "main", code=1)
    assert _codes(document["introduced"]) == [("AA101", "orphan_metric")]
    assert [(d["change"], d["id"]) for d in document["declarations"]] == [
        ("added", "orphan_metric")
    ]
    assert document["base"]["files"] == 3 and document["head"]["files"] == 4


def test_a_path_that_did_not_exist_at_base_is_an_empty_audit(repo: Repo) -> None:
    repo.write("README.md", "nothing declared yet\n")
    repo.commit("empty")
    repo.write("org/metrics.yaml", METRICS)
    repo.write("org/customers.yaml", CUSTOMERS)
    document = _json(repo, "org", "--base", "main")
    assert document["base"]["files"] == 0
    assert document["resolved"] == []
    assert {d["change"] for d in document["declarations"]} == {"added"}


def test_markdown_is_a_pull_request_comment(org: Repo) -> None:
    org.write("org/metrics.yaml", METRICS.replace("recovery_rate: helps", "recovery_rate: hurts"))
    run = org.run("diff", "--base", "main", "-f", "markdown", "--fail-on", "warning", *TODAY)
    assert run.exit_code == 1
    lines = run.stdout.splitlines()
    assert lines[0] == "<!-- align-audit-diff -->"
    assert lines[1] == (
        "❌ **align-audit** (main → working tree): this change introduces 1 finding (1 warning); "
        "it changes 1 impact and 1 declaration."
    )
    assert "<details open><summary>Introduced findings (1)</summary>" in lines
    assert "| claims.lower_cost | patient | improves | **worsens** | 25 → -25 |" in lines
    assert run.stdout.count("<details") == run.stdout.count("</details>") == 3


def test_text_lists_each_section(org: Repo) -> None:
    org.write("org/metrics.yaml", METRICS.replace("recovery_rate: helps", "recovery_rate: hurts"))
    run = org.run("diff", "--base", "main", *TODAY)
    assert run.stdout.splitlines()[2:] == [
        "Introduced findings (1)",
        run.stdout.splitlines()[3],
        "",
        "Impact changes (1)",
        "  claims.lower_cost → patient: improves → worsens (score 25 → -25)",
        "",
        "Declaration changes (1)",
        "  ~ metric episode_cost (org/metrics.yaml:6): effect on recovery_rate flipped: "
        "helps → hurts",
    ]
    assert run.stdout.splitlines()[3].startswith("  org/metrics.yaml:11:7: AA102 [warning]")


def test_output_is_deterministic(org: Repo) -> None:
    org.write("org/metrics.yaml", METRICS.replace("recovery_rate: helps", "recovery_rate: hurts"))
    for fmt in ("text", "markdown", "json"):
        first = org.run("diff", "--base", "main", "-f", fmt, *TODAY).stdout
        assert first == org.run("diff", "--base", "main", "-f", fmt, *TODAY).stdout


def test_settings_are_the_same_on_both_sides(org: Repo) -> None:
    """The configuration is read at head: what it ignores is ignored at the base too."""
    org.write("align-audit.toml", 'ignore = ["AA112"]\n')
    org.write(
        "org/metrics.yaml",
        METRICS.replace("kind: lagging\n    serves: patient", "kind: leading\n    serves: patient"),
    )
    document = _json(org, "org", "--base", "main", code=0)
    assert document["resolved"] == [] and document["introduced"] == []
    assert document["base"]["findings"] == document["head"]["findings"] == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--base", "no-such-branch"), "unknown revision 'no-such-branch'"),
        (("--base", "--upload-pack=evil"), "unknown revision"),
        (("--base", "main", "--head", "main~5"), "unknown revision 'main~5'"),
        (("..", "--base", "main"), "path outside the repository"),
        (("-", "--base", "main"), "standard input (-) has no revisions"),
        ((), "diff needs --base REV"),
        (("--base", "main", "-f", "sarif"), "--format: expected one of text, markdown, json"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(org: Repo, args: tuple[str, ...], message: str) -> None:
    run = org.run("diff", *args)
    assert run.exit_code == 2, run.stdout
    assert run.stderr.count("\n") == 1 and message in run.stderr, run.stderr


def test_not_a_git_repository(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from conftest import invoke

    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    (tmp_path / "org.yaml").write_text(CUSTOMERS, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    for args in (("diff", "--base", "main"), ("check", "--new-from-rev", "main")):
        run = invoke(*args)
        assert run.exit_code == 2
        assert run.stderr.startswith("align-audit: error: not inside a git working tree")
        assert run.stderr.count("\n") == 1


def test_git_missing_from_path(org: Repo, monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "nothing-here"))
    run = org.run("diff", "--base", "main")
    assert run.exit_code == 2
    assert run.stderr == (
        "align-audit: error: git executable not found on PATH: diff reads revisions with git\n"
    )


def test_a_binary_file_at_the_revision(org: Repo) -> None:
    org.write("org/metrics.yaml", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    binary = org.commit("an image where the metrics were")
    org.write("org/metrics.yaml", METRICS)
    run = org.run("diff", "--base", binary)
    assert run.exit_code == 2
    assert run.stderr == (
        f"align-audit: error: cannot read org/metrics.yaml at {binary}: it is a binary file\n"
    )


def test_a_shallow_clone_says_to_fetch_the_history(org: Repo, tmp_path: Any) -> None:
    org.write("org/later.yaml", "metrics: []\n")
    org.commit("second")
    clone = Repo.__new__(Repo)
    clone.root = tmp_path / "shallow"
    org.git("clone", "-q", "--depth", "1", f"file://{org.root}", str(clone.root))
    run = clone.run("diff", "--base", "HEAD~1")
    assert run.exit_code == 2
    assert "shallow clone" in run.stderr and "fetch-depth: 0" in run.stderr
    assert run.stderr.count("\n") == 1


def test_symlinks_and_excluded_folders_at_the_revision(org: Repo) -> None:
    """A directory search at the revision skips what the working tree search skips."""
    org.write(".github/workflows/ci.yaml", "on: push\n")
    org.write("org/.hidden/extra.yaml", "metrics: [{id: hidden_one, direction: increase}]\n")
    (org.root / "org" / "link.yaml").symlink_to("customers.yaml")
    org.commit("noise")
    document = _json(org, "--base", "main", code=0)
    assert document["base"]["files"] == document["head"]["files"] == 3
    assert document["summary"]["declaration_changes"] == 0


def test_every_json_key_is_documented(org: Repo) -> None:
    """docs/output-diff.md has a table row for every key the JSON holds."""
    from conftest import ROOT

    org.write("org/metrics.yaml", METRICS.replace("recovery_rate: helps", "recovery_rate: hurts"))
    document = _json(org, "--base", "main")
    doc = (ROOT / "docs" / "output-diff.md").read_text(encoding="utf-8")
    keys = set(document) | set(document["summary"]) | set(document["base"])
    keys |= set(document["impacts"][0]) | set(document["declarations"][0])
    keys |= set(document["declarations"][0]["effects"][0])
    for key in sorted(keys):
        assert f"`{key}`" in doc, key


@pytest.mark.parametrize("width", [80, 160])
def test_a_terminal_gets_items_wrapped_under_their_first_line(
    org: Repo, width: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    from align_audit.diff import alignment_diff
    from align_audit.diff.render import diff_text
    from align_audit.settings import Settings, parse_date

    org.write("org/metrics.yaml", METRICS.replace("recovery_rate: helps", "recovery_rate: hurts"))
    monkeypatch.chdir(org.root)
    change = alignment_diff(["."], Settings(today=parse_date("2026-12-01")), "main")
    lines = diff_text(change, color=False, width=width).splitlines()
    assert all(len(line) <= width for line in lines)
    at = lines.index("Introduced findings (1)")
    first = lines[at + 1]
    assert first.startswith("  org/metrics.yaml:11:7: AA102 [warning] metric episode_cost")
    column = first.index("AA102")
    for continuation in lines[at + 2 : lines.index("Impact changes (1)") - 1]:
        assert continuation[:column].strip() == "" and continuation[column] != " "
    assert "  claims.lower_cost → patient: improves → worsens (score 25 → -25)" in lines
