"""The Action's diff-comment step, run as GitHub runs it (its bash script, inputs through env)
in a real repository, with ``gh`` replaced by a script that records what it is asked."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import ROOT

from .repos import METRICS, Repo

GH_STUB = """#!/bin/sh
echo "$*" >> "$GH_LOG"
case "$*" in
  *--paginate*) cat "$GH_EXISTING" 2>/dev/null ;;
  *body=@*) body="${*##*body=@}"; cp "${body%% *}" "$GH_BODY" ;;
esac
"""


def _step() -> dict[str, str]:
    action = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
    [step] = [s for s in action["runs"]["steps"] if s.get("id") == "diff"]
    assert "inputs.diff-comment == 'true'" in step["if"]
    assert "${{ inputs." not in step["run"]  # inputs reach the shell through env only
    return step  # type: ignore[no-any-return]


def _run(repo: Repo, tmp_path: Path, existing: str) -> tuple[int, list[str], str]:
    scripts = Path(sys.executable).parent
    if not (scripts / "align-audit").exists():
        pytest.skip("the align-audit script is not installed beside this interpreter")
    stubs = tmp_path / "stubs"
    stubs.mkdir(exist_ok=True)
    (stubs / "gh").write_text(GH_STUB, encoding="utf-8")
    (stubs / "gh").chmod(0o755)
    log, body, listed = tmp_path / "gh.log", tmp_path / "body.md", tmp_path / "existing"
    log.unlink(missing_ok=True)
    listed.write_text(existing, encoding="utf-8")
    env = {
        **os.environ,
        "PATH": f"{stubs}{os.pathsep}{scripts}{os.pathsep}{os.environ.get('PATH', '')}",
        "PATHS": "org/",
        "DIFF_BASE": "",
        "BASE_REF": "main",
        "PR_NUMBER": "7",
        "GITHUB_REPOSITORY": "acme/config",
        "RUNNER_TEMP": str(tmp_path),
        "GH_TOKEN": "token",
        "GH_LOG": str(log),
        "GH_EXISTING": str(listed),
        "GH_BODY": str(body),
    }
    proc = subprocess.run(
        ["bash", "-c", _step()["run"]], cwd=repo.root, env=env, capture_output=True, text=True
    )
    calls = log.read_text(encoding="utf-8").splitlines() if log.exists() else []
    return proc.returncode, calls, body.read_text(encoding="utf-8") if body.exists() else ""


def test_the_comment_is_posted_then_edited(org: Repo, tmp_path: Path) -> None:
    org.git("update-ref", "refs/remotes/origin/main", "main")
    org.git("checkout", "-q", "-b", "feature")
    org.write("org/metrics.yaml", METRICS.replace("recovery_rate: helps", "recovery_rate: hurts"))
    org.commit("flip")

    code, calls, body = _run(org, tmp_path, existing="")
    assert code == 0
    assert calls[0].startswith("api --paginate repos/acme/config/issues/7/comments")
    assert calls[1].startswith("api --method POST repos/acme/config/issues/7/comments -F body=@")
    assert body.startswith("<!-- align-audit-diff -->\n✅ **align-audit** (origin/main → working")
    assert "| claims.lower_cost | patient | improves | **worsens** | 25 → -25 |" in body

    code, calls, _ = _run(org, tmp_path, existing="123456\n")
    assert code == 0
    assert calls[1].startswith("api --method PATCH repos/acme/config/issues/comments/123456 -F")


def test_a_missing_base_revision_fails_the_step(org: Repo, tmp_path: Path) -> None:
    code, calls, _ = _run(org, tmp_path, existing="")
    assert code == 2  # origin/main does not exist in this clone
    assert calls == []
