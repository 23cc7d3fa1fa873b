"""``init --interview`` through a pseudo-terminal: answers typed after each question, wrong ones
asked again, the written file audited with the findings the answers imply."""

from __future__ import annotations

import json
import os
import re
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import invoke

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")


class Terminal:
    """A process on a pseudo-terminal, answered question by question."""

    def __init__(self, args: list[str], cwd: Path) -> None:
        self.master, slave = os.openpty()
        self.process = subprocess.Popen(
            args, cwd=cwd, stdin=slave, stdout=slave, stderr=slave, close_fds=True
        )
        os.close(slave)
        self.seen = ""

    def _read(self, timeout: float) -> bool:
        ready, _, _ = select.select([self.master], [], [], timeout)
        if not ready:
            return False
        try:
            chunk = os.read(self.master, 4096)
        except OSError:  # the process ended and closed the terminal
            return False
        self.seen += chunk.decode("utf-8", "replace")
        return bool(chunk)

    def expect(self, pattern: str, timeout: float = 20) -> None:
        deadline = time.monotonic() + timeout
        start = len(self.seen)
        while not re.search(pattern, self.seen[start:]):
            left = deadline - time.monotonic()
            if (left <= 0 or not self._read(left)) and not re.search(pattern, self.seen[start:]):
                raise AssertionError(f"{pattern!r} not seen; output:\n{self.seen}")

    def answer(self, question: str, text: str) -> None:
        self.expect(question)
        os.write(self.master, text.encode() + b"\r")

    def finish(self) -> int:
        while self._read(5):
            pass
        code = self.process.wait(timeout=30)
        os.close(self.master)
        return code


def test_the_interview_writes_a_file_that_passes_check(tmp_path: Path) -> None:
    term = Terminal(
        [sys.executable, "-m", "align_audit", "init", "--interview", "org.yaml"], tmp_path
    )
    term.answer(r"organization called\?", "Northwind Clinics")
    term.answer(r"Who is a customer\?", "Bad Id")  # not an id: explained, asked again
    term.answer(r"is not an id.*\n.*Who is a customer\?", "patient")
    term.answer(r"In which role is patient\?", "king")
    term.answer(r"answer one of: end_user.*\n.*In which role is patient\?", "")  # default
    term.answer(r"Which outcome matters most to patient\?", "timely_care")
    term.answer(r"Who is a customer\?", "regulator")
    term.answer(r"In which role is regulator\?", "regulator")
    term.answer(r"Which outcome matters most to regulator\?", "safety")
    term.answer(r"Who is a customer\?", "")
    term.answer(r"Which metric do you measure\?", "wait_minutes")
    term.answer(r"Which way is better for wait_minutes\?", "decrease")
    term.answer(r"Which outcome does wait_minutes serve\?", "patient.timely_care")
    term.answer(r"Is wait_minutes leading", "")
    term.answer(r"Which metric do you measure\?", "incident_rate")
    term.answer(r"Which way is better for incident_rate\?", "decrease")
    term.answer(r"Which outcome does incident_rate serve\?", "regulator.safety")
    term.answer(r"Is incident_rate leading", "lagging")
    term.answer(r"Which metric do you measure\?", "")
    term.answer(r"Which AI system optimizes a metric\?", "triage_bot")
    term.answer(r"Which metric does triage_bot optimize\?", "wait_minutes")
    term.answer(r"For which customer does triage_bot optimize wait_minutes\?", "")
    term.answer(r"Name this objective of triage_bot", "")
    term.answer(r"guard against triage_bot's side effects\?", "wait_minutes")  # its own metric
    term.answer(r"is not one of: incident_rate.*\n.*side effects\?", "")  # no guardrail
    term.answer(r"Which AI system optimizes a metric\?", "")
    term.answer(r"take precedence", "regulator, patient")
    assert term.finish() == 0, term.seen

    written = tmp_path / "org.yaml"
    text = written.read_text(encoding="utf-8")
    assert "priorities: [regulator, patient]" in text
    assert "optimizes: wait_minutes" in text and "id: improve_wait_minutes" in text
    assert "Wrote org.yaml. align-audit check org.yaml:" in term.seen
    # the findings the answers imply: an objective without guardrails, nothing unreadable
    run = invoke("check", str(written), "-f", "json", "--today", "2026-12-01")
    codes = [(f["code"], f["entity"]) for f in json.loads(run.stdout)["findings"]]
    assert ("AA106", "triage_bot.improve_wait_minutes") in codes
    assert not {c for c, _ in codes} & {"AA001", "AA002", "AA004", "AA005"}
    assert "AA106" in term.seen


def test_without_a_terminal_it_refuses_in_one_line(tmp_path: Path) -> None:
    run = subprocess.run(
        [sys.executable, "-m", "align_audit", "init", "--interview", "org.yaml"],
        cwd=tmp_path,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert run.returncode == 2
    assert run.stderr == (
        "align-audit: error: init --interview asks its questions at a terminal; without one, "
        "use --template\n"
    )
    assert not (tmp_path / "org.yaml").exists()


def test_ctrl_d_writes_nothing(tmp_path: Path) -> None:
    term = Terminal(
        [sys.executable, "-m", "align_audit", "init", "--interview", "org.yaml"], tmp_path
    )
    term.expect(r"organization called\?")
    os.write(term.master, b"\x04")
    assert term.finish() == 2
    assert "ended before its last question; nothing written" in term.seen
    assert not (tmp_path / "org.yaml").exists()
