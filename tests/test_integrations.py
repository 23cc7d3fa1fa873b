"""The pre-commit hook and the GitHub Action are present and wired as documented."""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
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


# -- inputs left empty keep the configuration file in charge (issue 10) ----------------------

WARNING_ONLY = (
    "customers:\n"
    "  - {id: patient, role: end_user, outcomes: [care]}\n"
    "metrics:\n"
    "  - {id: wait, direction: decrease, serves: patient.care}\n"
    "systems:\n"
    "  - id: bot\n"
    "    users: [patient]\n"
    "    objectives:\n"
    "      - {id: fast, optimizes: wait, serves: patient}\n"  # AA106, a warning only
)
ACTION_DEFAULTS = {"paths": ".", "fail-on": "", "args": "", "sarif-file": "align-audit.sarif"}
_ENV = {"paths": "PATHS", "fail-on": "FAIL_ON", "args": "EXTRA_ARGS", "sarif-file": "SARIF_FILE"}


def _command_on_path() -> dict[str, str]:
    scripts = Path(sys.executable).parent
    if not (scripts / "align-audit").exists():
        pytest.skip("the align-audit script is not installed beside this interpreter")
    return {**os.environ, "PATH": f"{scripts}{os.pathsep}{os.environ.get('PATH', '')}"}


def run_action(repo: Path, **inputs: str) -> tuple[int, str]:
    """Run the Action's check step as GitHub would: its script, inputs through env."""
    action = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
    [step] = [s for s in action["runs"]["steps"] if s.get("id") == "check"]
    values = {**ACTION_DEFAULTS, **inputs}
    output = repo / "github-output"
    output.unlink(missing_ok=True)
    env = {**_command_on_path(), **{_ENV[k]: v for k, v in values.items()}}
    env["GITHUB_OUTPUT"] = str(output)
    proc = subprocess.run(
        ["bash", "-c", step["run"]], cwd=repo, env=env, capture_output=True, text=True
    )
    assert output.read_text(encoding="utf-8") == f"exit-code={proc.returncode}\n"
    return proc.returncode, proc.stdout + proc.stderr


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    (tmp_path / "org.yaml").write_text(WARNING_ONLY, encoding="utf-8")
    (tmp_path / "align-audit.toml").write_text('fail-on = "warning"\n', encoding="utf-8")
    return tmp_path


def test_action_defaults_match_the_inputs() -> None:
    action = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
    for name, default in ACTION_DEFAULTS.items():
        assert action["inputs"][name]["default"] == default


def test_action_empty_fail_on_leaves_the_config_in_charge(repo: Path) -> None:
    assert run_action(repo, **{"fail-on": ""})[0] == 1  # the config's "warning"
    assert run_action(repo, **{"fail-on": "error"})[0] == 0  # an input given wins


def test_action_empty_paths_audit_the_repository(repo: Path) -> None:
    code, out = run_action(repo, paths="")
    assert code == 1
    assert "org.yaml" in out


def test_action_empty_args_leave_the_config_in_charge(repo: Path) -> None:
    (repo / "align-audit.toml").write_text(
        'fail-on = "warning"\nignore = ["AA106"]\n', encoding="utf-8"
    )
    assert run_action(repo, args="")[0] == 0  # the config's ignore applies
    (repo / "strict.toml").write_text('fail-on = "warning"\n', encoding="utf-8")
    assert run_action(repo, args="--config strict.toml")[0] == 1  # args given are passed


def test_action_empty_sarif_file_writes_none(repo: Path) -> None:
    code, _ = run_action(repo, **{"sarif-file": ""})
    assert code == 1
    assert not list(repo.glob("*.sarif"))
    run_action(repo)
    assert (repo / "align-audit.sarif").is_file()


def test_action_skips_yaml_that_declares_nothing(repo: Path) -> None:
    (repo / "mkdocs.yml").write_text("site_name: Docs\n", encoding="utf-8")
    code, out = run_action(repo, **{"fail-on": "error"})
    assert code == 0
    assert "Skipped 1 YAML file that declare nothing: mkdocs.yml" in out


@pytest.mark.parametrize("args", [None, []])
def test_pre_commit_hook_leaves_the_config_in_charge(repo: Path, args: list[str] | None) -> None:
    """Run the hook as pre-commit does: entry + args (+ no file names)."""
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    [hook] = [h for h in hooks if h["id"] == "align-audit"]
    command = [*shlex.split(hook["entry"]), *(hook["args"] if args is None else args)]
    proc = subprocess.run(command, cwd=repo, env=_command_on_path(), capture_output=True, text=True)
    assert proc.returncode == 1, proc.stdout + proc.stderr  # the config's fail-on = "warning"
    assert "AA106" in proc.stdout
