"""Mutations of every example never crash the audit: findings (exit 0/1), parseable JSON, and
the same output for the same input. ALIGN_AUDIT_FUZZ_EXAMPLES scales the run."""

from __future__ import annotations

import json
import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import EXAMPLES, invoke

SOURCES = sorted(
    path.read_text(encoding="utf-8")
    for path in [*EXAMPLES.glob("*.yaml"), *EXAMPLES.glob("config-repo/**/*.yaml")]
)
TOKENS = st.sampled_from(
    [
        "",
        "~",
        "null",
        "on",
        "yes",
        "-1",
        "0",
        "1e400",
        "9" * 50,
        "2024-02-30",
        "2027-01-31",
        "[",
        "]",
        "{",
        "}",
        ":",
        "- ",
        "  ",
        "\t",
        "&a",
        "*a",
        "!!python/object:os.system",
        "<<: *a",
        "x-note: 1",
        "id: ",
        "hurts",
        "makes",
        "'",
        '"',
        "\u00e9",
        "\ufeff",
        "#",
    ]
)


@st.composite
def mutated(draw: st.DrawFn) -> str:
    lines = draw(st.sampled_from(SOURCES)).split("\n")
    for _ in range(draw(st.integers(1, 4))):
        i = draw(st.integers(0, len(lines) - 1))
        action = draw(st.sampled_from(["delete", "duplicate", "swap", "insert", "replace"]))
        if action == "delete" and len(lines) > 1:
            del lines[i]
        elif action == "duplicate":
            lines.insert(i, lines[i])
        elif action == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif action == "insert":
            column = draw(st.integers(0, len(lines[i])))
            lines[i] = lines[i][:column] + draw(TOKENS) + lines[i][column:]
        else:
            head, sep, _ = lines[i].partition(": ")
            if sep:
                lines[i] = head + sep + draw(TOKENS)
    text = "\n".join(lines)
    if draw(st.booleans()):
        text = text[: draw(st.integers(0, len(text)))]
    return text


@settings(
    max_examples=int(os.environ.get("ALIGN_AUDIT_FUZZ_EXAMPLES", "60")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(mutated())
def test_mutated_examples(text: str) -> None:
    args = ("check", "-", "--format", "json", "--today", "2026-12-01")
    first = invoke(*args, input=text)
    assert first.exit_code in (0, 1), first.stderr
    assert "Traceback" not in first.stderr
    document = json.loads(first.stdout)
    assert len(document["findings"]) == document["summary"]["findings"]
    fingerprints = [f["fingerprint"] for f in document["findings"]]
    assert len(fingerprints) == len(set(fingerprints))
    assert invoke(*args, input=text).stdout == first.stdout
