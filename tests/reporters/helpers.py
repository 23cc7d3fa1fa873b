"""Constants and helpers of the reporter tests."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from conftest import ROOT, Run

TODAY = "2026-12-01"
# The official OASIS schema (errata 01), vendored so that the suite is complete anywhere:
# https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json
SARIF_SCHEMA = ROOT / "tests" / "fixtures" / "schemas" / "sarif-schema-2.1.0.json"
FORMATS = ("text", "json", "sarif", "junit", "github", "gitlab", "markdown")
SNAPSHOTS = ROOT / "tests" / "reporters" / "snapshots"
HEALTHCARE = "examples/healthcare.yaml"
CONFIG_REPO = "examples/config-repo"

Check = Callable[..., Run]
"""The ``check`` fixture: ``check(*paths, fmt="json", extra=())``."""


def example_targets() -> list[str]:
    """Every bundled example, relative to the repository root: each file and the config repo."""
    files = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "examples").glob("*.yaml"))
    return [*files, CONFIG_REPO]


def config_repo_files() -> list[str]:
    """The config repository's files, relative to the repository root, sorted."""
    return sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / CONFIG_REPO).rglob("*.yaml"))


def walk(node: Any, key: str) -> Iterator[Any]:
    """Every value stored under ``key`` anywhere in a JSON document."""
    if isinstance(node, dict):
        for k, value in node.items():
            if k == key:
                yield value
            yield from walk(value, key)
    elif isinstance(node, list):
        for item in node:
            yield from walk(item, key)
