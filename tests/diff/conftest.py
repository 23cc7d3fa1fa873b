"""Fixtures of the diff tests: a git repository, empty or with three files on main."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from .repos import CUSTOMERS, METRICS, SYSTEMS, Repo


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Repo]:
    # A parent directory that is a repository must never be found instead.
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    root = tmp_path / "config"
    root.mkdir()
    yield Repo(root)


@pytest.fixture
def org(repo: Repo) -> Repo:
    """Three files committed on main."""
    repo.write("org/customers.yaml", CUSTOMERS)
    repo.write("org/metrics.yaml", METRICS)
    repo.write("org/systems.yaml", SYSTEMS)
    repo.commit("first")
    return repo
