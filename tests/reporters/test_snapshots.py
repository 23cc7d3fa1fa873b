"""Every format of the healthcare example, byte for byte; ``UPDATE_SNAPSHOTS=1`` rewrites them.

Also ``--save``: extra outputs in the same run have exactly the content ``--format`` prints.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from .helpers import FORMATS, HEALTHCARE, SNAPSHOTS, Check

UPDATE = os.environ.get("UPDATE_SNAPSHOTS") == "1"


@pytest.mark.parametrize("fmt", FORMATS)
def test_healthcare_snapshot(check: Check, fmt: str) -> None:
    run = check(HEALTHCARE, fmt=fmt)
    assert run.exit_code == 1
    assert run.stderr == ""
    snapshot = SNAPSHOTS / f"healthcare.{fmt}"
    if UPDATE:
        snapshot.parent.mkdir(parents=True, exist_ok=True)
        snapshot.write_bytes(run.stdout.encode("utf-8"))
    if not snapshot.is_file():
        pytest.fail(f"missing snapshot {snapshot.name}: run with UPDATE_SNAPSHOTS=1 to create it")
    expected = snapshot.read_bytes().decode("utf-8")
    assert run.stdout == expected, f"{snapshot.name} differs; UPDATE_SNAPSHOTS=1 rewrites it"


def test_save_writes_the_same_content_as_format(check: Check, tmp_path: Path) -> None:
    sarif, junit = tmp_path / "a.sarif", tmp_path / "a.xml"
    run = check(
        HEALTHCARE, fmt="json", extra=("--save", f"sarif={sarif}", "--save", f"junit={junit}")
    )
    assert run.exit_code == 1
    assert run.stdout == check(HEALTHCARE, fmt="json").stdout
    assert sarif.read_text(encoding="utf-8") == check(HEALTHCARE, fmt="sarif").stdout
    assert junit.read_text(encoding="utf-8") == check(HEALTHCARE, fmt="junit").stdout


@pytest.mark.parametrize("fmt", [f for f in FORMATS if f != "text"])
def test_save_every_format(check: Check, tmp_path: Path, fmt: str) -> None:
    target = tmp_path / f"out.{fmt}"
    run = check(HEALTHCARE, fmt="text", extra=("--save", f"{fmt}={target}"))
    assert run.exit_code == 1
    assert target.read_bytes().decode("utf-8") == check(HEALTHCARE, fmt=fmt).stdout
