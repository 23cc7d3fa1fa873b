"""Every format is byte-identical whatever the hash seed or the order of the paths (§3.2)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT

from .helpers import FORMATS, TODAY, Check, config_repo_files

PYTHON = str(Path(sys.executable).absolute())


def _all_formats(seed: str, out: Path) -> dict[str, bytes]:
    """One subprocess writes every format of all examples together (json on stdout, the rest
    with --save)."""
    out.mkdir()
    saves = [arg for fmt in FORMATS if fmt != "json" for arg in ("--save", f"{fmt}={out / fmt}")]
    env = {**os.environ, "PYTHONHASHSEED": seed}
    env.pop("GITHUB_ACTIONS", None)
    proc = subprocess.run(
        [PYTHON, "-m", "align_audit", "check", "examples", "-f", "json", "--today", TODAY, *saves],
        capture_output=True,
        env=env,
        cwd=ROOT,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 1, proc.stderr
    assert proc.stderr == b""
    outputs = {fmt: (out / fmt).read_bytes() for fmt in FORMATS if fmt != "json"}
    outputs["json"] = proc.stdout
    return outputs


def test_hash_seed_does_not_matter(tmp_path: Path) -> None:
    first = _all_formats("0", tmp_path / "seed0")
    second = _all_formats("4242", tmp_path / "seed4242")
    for fmt in FORMATS:
        assert first[fmt], fmt
        assert first[fmt] == second[fmt], f"{fmt} depends on the hash seed"


@pytest.mark.parametrize("fmt", FORMATS)
def test_argument_order_does_not_matter(check: Check, fmt: str) -> None:
    files = config_repo_files()
    outputs = {
        check(*order, fmt=fmt).stdout
        for order in (files, list(reversed(files)), ["examples/config-repo"])
    }
    assert len(outputs) == 1
    assert next(iter(outputs))
