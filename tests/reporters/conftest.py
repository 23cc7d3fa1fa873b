"""Fixtures of the reporter tests: run the real CLI from the repository root."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from conftest import ROOT, Run, invoke

from .helpers import SARIF_SCHEMA, TODAY, Check


@pytest.fixture
def at_root(monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run from the repository root (paths show as ``examples/...``), outside any CI."""
    monkeypatch.chdir(ROOT)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    return ROOT


@pytest.fixture
def check(at_root: Path) -> Check:
    """``align-audit check PATHS --format FMT --today TODAY …`` from the repository root."""

    def _check(*paths: str, fmt: str = "json", extra: tuple[str, ...] = ()) -> Run:
        run = invoke("check", *paths, "--format", fmt, "--today", TODAY, *extra)
        assert run.exit_code in (0, 1), run.stderr
        return run

    return _check


@pytest.fixture(scope="session")
def sarif_validator() -> Any:
    """A Draft 4 validator for the official OASIS SARIF 2.1.0 schema (vendored)."""
    import jsonschema

    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft4Validator.check_schema(schema)
    return jsonschema.Draft4Validator(
        schema, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER
    )
