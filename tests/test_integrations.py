"""The pre-commit hook and the GitHub Action are present and wired as documented."""

from __future__ import annotations

import yaml

from conftest import ROOT


def test_pre_commit_hook() -> None:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    [hook] = [h for h in hooks if h["id"] == "align-audit"]
    assert hook["entry"] == "align-audit check"
    assert hook["language"] == "python"
    assert hook["types_or"] == ["yaml"]
    # A multi-file organization must be audited as a whole, not file by file.
    assert hook["pass_filenames"] is False
    assert hook["args"]


def test_github_action() -> None:
    action = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
    assert action["runs"]["using"] == "composite"
    steps = action["runs"]["steps"]
    run_text = "\n".join(step.get("run", "") for step in steps)
    assert "align-audit check" in run_text
    assert '--save "sarif=$SARIF_FILE"' in run_text
    uploads = [
        s for s in steps if str(s.get("uses", "")).startswith("github/codeql-action/upload-sarif")
    ]
    assert len(uploads) == 1
    assert uploads[0]["with"]["sarif_file"] == "${{ inputs.sarif-file }}"
    # Inputs reach the shell through env, never interpolated into the script.
    assert "${{ inputs." not in run_text
    assert set(action["inputs"]) >= {"paths", "fail-on", "args", "sarif-file", "upload-sarif"}


def test_ci_docs_cover_every_integration() -> None:
    text = (ROOT / "docs" / "ci.md").read_text(encoding="utf-8")
    for needle in (
        "GitHub Actions",
        "GitLab CI",
        "pre-commit",
        "--write-baseline",
        "codequality",
        "yaml-language-server",
    ):
        assert needle in text
