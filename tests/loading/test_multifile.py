"""Several files form one organization: discovery, sorted order, cross-file references and ids."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import pytest

from conftest import invoke

CUSTOMERS = """\
customers:
  - id: patient
    role: end_user
    outcomes: [care, fast_access]
  - id: insurer
    role: buyer
    outcomes: [cost_control]
"""
METRICS = """\
metrics:
  - id: csat
    direction: increase
    serves: [patient.care]
    effects:
      avg_handle_time: hurts
      insurer.cost_control: -10
  - id: avg_handle_time
    direction: decrease
    serves: [insurer.cost_control, patient.fast_access]
"""
SYSTEMS = """\
systems:
  - id: support_bot
    users: [patient]
    objectives:
      - id: fast_resolution
        optimizes: avg_handle_time
        serves: patient.fast_access
        guardrails: [csat]
"""
DECISIONS = """\
priorities: [patient, insurer]
tradeoffs:
  - between: [avg_handle_time, csat]
    prefer: csat
    rationale: Satisfaction wins
waivers:
  - rule: AA004
    target: support_bot.fast_resolution
    reason: Pilot
"""


def tree(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def check(*args: str) -> tuple[int, dict[str, Any]]:
    run = invoke("check", *args, "--format", "json", "--select", "AA0")
    assert run.exit_code in (0, 1), run.stderr
    return run.exit_code, run.json()


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tree(
        tmp_path / "repo",
        {
            "customers/patients.yaml": CUSTOMERS,
            "metrics/support.yml": METRICS,
            "systems/bot.yaml": SYSTEMS,
            "decisions.yaml": DECISIONS,
            "README.md": "not yaml\n",
            "notes.txt": "customers: [broken\n",
        },
    )


def test_cross_file_references_resolve(repo: Path) -> None:
    code, document = check("repo")
    assert (code, document["findings"]) == (0, [])
    assert document["summary"]["files"] == 4


def test_each_file_alone_has_unknown_references(repo: Path) -> None:
    """The same files checked one by one do not resolve: the organization is all files."""
    _, document = check("repo/systems/bot.yaml")
    assert {f["code"] for f in document["findings"]} == {"AA005"}
    assert len(document["findings"]) == 4  # users, optimizes, serves, guardrail


def test_directories_and_files_mixed(repo: Path) -> None:
    code, document = check("repo/systems", "repo/customers/patients.yaml", "repo/metrics")
    assert code == 0
    assert document["summary"]["files"] == 3


def test_cross_file_duplicate_is_reported_at_the_later_file(repo: Path) -> None:
    tree(repo, {"a-extra.yaml": "metrics:\n  - id: csat\n    direction: decrease\n"})
    tree(repo, {"z-extra.yaml": "systems:\n  - id: insurer\n"})
    _, document = check("repo")
    found = [
        (f["code"], f["entity"], f["path"], f["line"], f["column"]) for f in document["findings"]
    ]
    # sorted path order: repo/a-extra.yaml < repo/customers/... < repo/metrics/... < repo/z-...
    assert found == [
        ("AA004", "csat", "repo/metrics/support.yml", 2, 9),
        ("AA004", "insurer", "repo/z-extra.yaml", 2, 9),
    ]
    first, second = document["findings"]
    assert [(r["path"], r["line"], r["column"]) for r in first["related"]] == [
        ("repo/a-extra.yaml", 2, 9)
    ]
    assert [(r["path"], r["line"], r["column"]) for r in second["related"]] == [
        ("repo/customers/patients.yaml", 5, 9)
    ]


def test_the_first_declaration_is_the_one_used(repo: Path) -> None:
    """The ignored repeat must not change resolution: `csat` stays the metric of a-extra.yaml,
    so references to it resolve, and the repeat's own bad reference is not reported."""
    tree(repo, {"z-extra.yaml": "metrics:\n  - {id: csat, direction: decrease, serves: ghost}\n"})
    _, document = check("repo")
    assert [(f["code"], f["path"]) for f in document["findings"]] == [
        ("AA004", "repo/z-extra.yaml")
    ]


def test_same_file_twice_is_read_once(repo: Path) -> None:
    path = "repo/customers/patients.yaml"
    code, document = check(path, path, "./" + path, "repo/customers", str(repo.parent / path))
    assert code == 0
    assert document["summary"]["files"] == 1


def test_symlinked_file_is_read_once(repo: Path) -> None:
    link = repo / "metrics" / "alias.yaml"
    try:
        link.symlink_to(repo / "metrics" / "support.yml")
    except OSError:
        pytest.skip("symlinks not available")
    code, document = check("repo")
    assert (code, document["summary"]["files"]) == (0, 4)  # not an AA004 for every metric


@pytest.mark.skipif(sys.platform == "win32", reason="directory symlinks")
def test_directory_symlink_loop_is_survived(repo: Path) -> None:
    (repo / "systems" / "loop").symlink_to(repo, target_is_directory=True)
    (repo / "metrics" / "self").symlink_to(repo / "metrics", target_is_directory=True)
    code, document = check("repo")
    assert (code, document["summary"]["files"]) == (0, 4)


def test_dangling_symlink_is_not_fatal(repo: Path) -> None:
    try:
        (repo / "gone.yaml").symlink_to(repo / "does-not-exist.yaml")
    except OSError:
        pytest.skip("symlinks not available")
    run = invoke("check", "repo", "--format", "json", "--select", "AA0")
    assert run.exit_code in (0, 1, 2)
    assert "Traceback" not in run.stderr
    if run.exit_code == 2:
        assert len(run.stderr.splitlines()) == 1


def test_hidden_directories_and_files_are_skipped(repo: Path) -> None:
    tree(
        repo,
        {
            ".github/workflows/ci.yaml": "on: push\njobs: {build: {runs-on: ubuntu}}\n",
            ".git/config.yaml": "garbage: [\n",
            "customers/.draft.yaml": "customers: oops\n",
        },
    )
    code, document = check("repo")
    assert (code, document["summary"]["files"]) == (0, 4)


def test_hidden_directory_named_explicitly_is_read(repo: Path) -> None:
    tree(repo, {".drafts/extra.yaml": "metrics:\n  - {id: nps, direction: increase}\n"})
    code, document = check("repo", "repo/.drafts")
    assert (code, document["summary"]["files"]) == (0, 5)


def test_only_yaml_suffixes(repo: Path) -> None:
    tree(repo, {"extra.YAML.bak": "garbage: [\n", "extra.json": "{}"})
    _, document = check("repo")
    assert document["summary"]["files"] == 4


def test_explicit_file_with_other_suffix_is_read(repo: Path) -> None:
    _, document = check("repo/notes.txt")
    assert [f["code"] for f in document["findings"]] == ["AA001"]


def test_paths_with_spaces_and_unicode(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    root = tree(
        tmp_path / "Ärzte Netz",
        {
            "kunden und ziele/patients ü.yaml": CUSTOMERS,
            "métriques/support 1.yml": METRICS,
            "系统/bot.yaml": SYSTEMS.replace("guardrails: [csat]", "guardrails: [csat, ghost]"),
        },
    )
    _, document = check(root.name)
    [finding] = document["findings"]
    assert finding["path"] == "Ärzte Netz/系统/bot.yaml"
    assert (finding["code"], finding["line"], finding["column"]) == ("AA005", 8, 28)
    text = invoke("check", root.name, "--select", "AA0").stdout
    assert text.startswith("Ärzte Netz/系统/bot.yaml:8:28: AA005 [error]")


def test_files_are_concatenated_in_sorted_path_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Whole-string sort of the display paths, whatever the argument order:
    "B.yaml" < "a.yaml" < "a/z.yaml" (upper case before lower case, '.' before '/'), so B.yaml
    declares `m` first and the other two are the repeats."""
    monkeypatch.chdir(tmp_path)
    tree(
        tmp_path,
        {
            "a/z.yaml": "metrics:\n  - {id: m, direction: increase}\n",
            "a.yaml": "metrics:\n  - {id: m, direction: decrease}\n",
            "B.yaml": "metrics:\n  - {id: m, direction: decrease}\n",
        },
    )
    _, document = check("a", "a.yaml", "B.yaml")
    assert check("B.yaml", "a.yaml", "a") == check("a", "a.yaml", "B.yaml")
    assert [f["path"] for f in document["findings"]] == ["a.yaml", "a/z.yaml"]
    assert {f["related"][0]["path"] for f in document["findings"]} == {"B.yaml"}


def test_absolute_paths_outside_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tree(tmp_path / "org", {"bad.yaml": "metrics:\n  - {id: m, direction: up}\n"})
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    _, document = check(str(tmp_path / "org"))
    [finding] = document["findings"]
    assert finding["path"] == (tmp_path / "org" / "bad.yaml").as_posix()


def test_absolute_path_below_the_working_directory_is_shown_relative(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tree(tmp_path / "org", {"bad.yaml": "metrics:\n  - {id: m, direction: up}\n"})
    monkeypatch.chdir(tmp_path)
    _, document = check(str(tmp_path / "org"))
    assert [f["path"] for f in document["findings"]] == ["org/bad.yaml"]


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_unreadable_file_is_one_line_exit_2(tmp_path: Path) -> None:
    locked = tmp_path / "locked.yaml"
    locked.write_text("customers: []\n", encoding="utf-8")
    locked.chmod(0)
    try:
        if os.access(locked, os.R_OK):  # running as root
            pytest.skip("file permissions are not enforced")
        run = invoke("check", str(locked))
    finally:
        locked.chmod(0o644)
    assert run.exit_code == 2
    assert len(run.stderr.splitlines()) == 1
    assert run.stderr.startswith("align-audit: error: cannot read")


@pytest.mark.skipif(not Path("/proc/self/mem").exists(), reason="needs Linux /proc")
def test_file_failing_on_read_is_one_line_exit_2(tmp_path: Path) -> None:
    """Unreadable even for root: /proc/self/mem fails with EIO at offset 0."""
    broken = tmp_path / "org" / "broken.yaml"
    broken.parent.mkdir()
    broken.symlink_to("/proc/self/mem")
    for target in (broken, broken.parent):
        run = invoke("check", str(target))
        assert run.exit_code == 2
        assert len(run.stderr.splitlines()) == 1
        assert run.stderr.startswith("align-audit: error: cannot read"), run.stderr
        assert "Input/output error" in run.stderr


def test_file_reached_twice_is_named_by_its_first_path_in_sorted_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    tree(tmp_path, {"b.yaml": "metrics:\n  - {id: m, direction: up}\n"})
    try:
        (tmp_path / "a-link.yaml").symlink_to(tmp_path / "b.yaml")
        (tmp_path / "c-link.yaml").symlink_to(tmp_path / "b.yaml")
    except OSError:
        pytest.skip("symlinks not available")
    for order in (
        ("b.yaml", "a-link.yaml", "c-link.yaml"),
        ("c-link.yaml", "b.yaml", "a-link.yaml"),
        (".",),
    ):
        _, document = check(*order)
        assert document["summary"]["files"] == 1
        assert [f["path"] for f in document["findings"]] == ["a-link.yaml"], order
