"""Real git repositories built in a temporary directory, and the CLI run inside them."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from conftest import Run, invoke, write_file

GIT = shutil.which("git") or "git"
"""Found once, so that a test can take git off PATH for the CLI alone."""

CUSTOMERS = """\
customers:
  - id: patient
    role: end_user
    outcomes: [recovery]
  - id: insurer
    role: buyer
    outcomes: [low_cost]
"""

METRICS = """\
metrics:
  - id: recovery_rate
    direction: increase
    kind: lagging
    serves: patient.recovery
  - id: episode_cost
    direction: decrease
    kind: lagging
    serves: insurer.low_cost
    effects:
      recovery_rate: helps
"""

SYSTEMS = """\
systems:
  - id: claims
    users: [insurer]
    objectives:
      - id: lower_cost
        optimizes: episode_cost
        serves: insurer
        guardrails: [{metric: recovery_rate}]
"""


class Repo:
    """A git repository under construction; every CLI run checks the tree is left alone."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.git("init", "-q", "-b", "main")
        self.git("config", "user.email", "test@example.com")
        self.git("config", "user.name", "Test")
        self.git("config", "commit.gpgsign", "false")

    def git(self, *args: str) -> str:
        done = subprocess.run(
            [GIT, *args],
            cwd=self.root,
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "GIT_OPTIONAL_LOCKS": "0"},
        )
        return done.stdout

    def write(self, name: str, text: str | bytes) -> Path:
        return write_file(self.root / name, text)

    def commit(self, message: str) -> str:
        self.git("add", "-A")
        self.git("commit", "-q", "--allow-empty", "-m", message)
        return self.git("rev-parse", "HEAD").strip()

    def state(self) -> tuple[bytes, str, str]:
        """The index file, the status and HEAD: what a diff must never change."""
        index = self.root / ".git" / "index"
        return (
            index.read_bytes() if index.exists() else b"",
            self.git("status", "--porcelain", "--untracked-files=all"),
            self.git("rev-parse", "HEAD"),
        )

    def run(self, *args: str) -> Run:
        """The CLI run in the repository; the working tree, index and HEAD stay as they were."""
        before = self.state()
        cwd = Path.cwd()
        os.chdir(self.root)
        try:
            result = invoke(*args)
        finally:
            os.chdir(cwd)
        assert self.state() == before, "the run touched the working tree or the index"
        return result
