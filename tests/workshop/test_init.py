"""`align-audit init`: starter files that teach the format and audit clean."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import Run

TEMPLATES = ["minimal", "healthcare", "support"]


@pytest.mark.parametrize("template", TEMPLATES)
def test_template_audits_without_findings(
    template: str, tmp_path: Path, cli: Callable[..., Run]
) -> None:
    target = tmp_path / f"{template}.yaml"
    run = cli("init", str(target), "--template", template)
    assert run.exit_code == 0, run.stderr
    text = target.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=")
    assert text.count("\n#") >= 3, "a starter file teaches the format in comments"
    audit = cli("check", str(target), "--format", "json", "--today", "2026-12-01")
    assert audit.exit_code == 0
    assert audit.findings() == []


def test_default_path(
    tmp_path: Path, cli: Callable[..., Run], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert cli("init").exit_code == 0
    assert (tmp_path / "align-audit.yaml").is_file()


def test_never_overwrites_without_force(tmp_path: Path, cli: Callable[..., Run]) -> None:
    target = tmp_path / "org.yaml"
    target.write_text("mine: true\n", encoding="utf-8")
    run = cli("init", str(target))
    assert run.exit_code == 2
    assert "already exists" in run.stderr and "--force" in run.stderr
    assert target.read_text(encoding="utf-8") == "mine: true\n"
    forced = cli("init", str(target), "--force", "--template", "support")
    assert forced.exit_code == 0
    assert "Example Support" in target.read_text(encoding="utf-8")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["org.yaml"], "no temporary file left"


def test_unknown_template_is_exit_2(tmp_path: Path, cli: Callable[..., Run]) -> None:
    run = cli("init", str(tmp_path / "x.yaml"), "--template", "banking")
    assert run.exit_code == 2
    assert not (tmp_path / "x.yaml").exists()


def test_missing_folders_are_created(tmp_path: Path, cli: Callable[..., Run]) -> None:
    run = cli("init", str(tmp_path / "no" / "such" / "x.yaml"))
    assert run.exit_code == 0, run.stderr
    assert (tmp_path / "no" / "such" / "x.yaml").is_file()


def test_a_folder_gets_the_default_file_name(tmp_path: Path, cli: Callable[..., Run]) -> None:
    (tmp_path / "repo").mkdir()
    run = cli("init", str(tmp_path / "repo"))
    assert run.exit_code == 0, run.stderr
    assert (tmp_path / "repo" / "align-audit.yaml").is_file()
    again = cli("init", str(tmp_path / "repo"))
    assert again.exit_code == 2
    assert "align-audit.yaml already exists; use --force" in again.stderr
    assert cli("init", str(tmp_path / "repo"), "--force").exit_code == 0


def test_a_file_in_the_way_is_exit_2(tmp_path: Path, cli: Callable[..., Run]) -> None:
    (tmp_path / "file").write_text("x", encoding="utf-8")
    run = cli("init", str(tmp_path / "file" / "x.yaml"))
    assert run.exit_code == 2
    assert run.stderr.startswith("align-audit: error: ")
    assert len(run.stderr.splitlines()) == 1
