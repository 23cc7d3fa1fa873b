from __future__ import annotations

from conftest import invoke


def test_version() -> None:
    run = invoke("--version")
    assert run.exit_code == 0
    assert run.stdout.startswith("align-audit ")
