"""Issue 10's messages and what reaches a terminal or a CI log: help in user words, did-you-mean
everywhere a word is chosen from a list, exact explanations, escaped control characters."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import networkx as nx
import pytest

from conftest import EXAMPLES, ROOT, Run, on_a_terminal

COMMANDS = ["check", "report", "impact", "graph", "rules", "explain", "schema", "init"]


@pytest.mark.parametrize("command", COMMANDS)
def test_help_shows_user_words_not_python_types(cli: Callable[..., Run], command: str) -> None:
    text = cli(command, "--help").stdout
    assert not re.search(r"<(str|int|path|list|float|bool)[^>]*>", text), text
    assert "{" not in text.split("\n\n", 1)[0]  # usage line: no {PATH...}...
    assert "list[str]" not in text


def test_check_usage_line(cli: Callable[..., Run]) -> None:
    assert cli("check", "--help").stdout.startswith("Usage: align-audit check [OPTIONS] [PATH...]")


def test_impact_word_did_you_mean(cli: Callable[..., Run], write: Callable[..., Path]) -> None:
    path = write("metrics:\n  - {id: m, direction: increase, effects: {n: hurt}}\n")
    [finding] = [
        f for f in cli("check", str(path), "-f", "json").findings() if f["code"] == "AA002"
    ]
    assert "did you mean 'hurts'?" in finding["message"]


def test_rule_name_with_underscores_is_accepted(cli: Callable[..., Run]) -> None:
    run = cli(
        "check", str(EXAMPLES / "healthcare.yaml"), "--select", "unguarded_harm", "-f", "json"
    )
    assert {f["code"] for f in run.findings()} == {"AA105"}


def test_close_rule_name_is_suggested(cli: Callable[..., Run]) -> None:
    run = cli("check", str(EXAMPLES / "clean.yaml"), "--select", "unguarded-harms")
    assert run.exit_code == 2
    assert "did you mean 'unguarded-harm'?" in run.stderr


def test_config_key_did_you_mean(cli: Callable[..., Run], tmp_path: Path) -> None:
    config = tmp_path / "c.toml"
    config.write_text('fail_on = "warning"\n', encoding="utf-8")
    run = cli("check", str(EXAMPLES / "clean.yaml"), "--config", str(config))
    assert run.exit_code == 2
    assert "unknown configuration key 'fail_on' (did you mean 'fail-on'?" in run.stderr


def test_key_close_to_an_allowed_one(cli: Callable[..., Run], write: Callable[..., Path]) -> None:
    path = write("metrics:\n  - {id: m, direction: increase, serve: [x]}\n")
    [finding] = cli("check", str(path), "-f", "json", "--select", "AA0").findings()
    assert finding["hint"].startswith("did you mean 'serves'?")


WAIVED = (
    "customers: [{{id: patient, role: end_user}}]\n"
    "metrics:\n"
    "  - {{id: m, direction: increase{serves}}}\n"
    "waivers:\n"
    "  - {{rule: AA101, target: m, reason: migration, until: 2020-01-31}}\n"
)


def test_expired_waiver_whose_finding_is_back(
    cli: Callable[..., Run], write: Callable[..., Path]
) -> None:
    path = write(WAIVED.format(serves=""))
    [finding] = [
        f for f in cli("check", str(path), "-f", "json").findings() if f["code"] == "AA205"
    ]
    assert finding["message"].endswith("the findings it accepted are reported again")


def test_expired_waiver_that_suppressed_nothing(
    cli: Callable[..., Run], write: Callable[..., Path]
) -> None:
    path = write(WAIVED.format(serves=", serves: patient"))
    [finding] = [
        f for f in cli("check", str(path), "-f", "json").findings() if f["code"] == "AA205"
    ]
    assert "reported again" not in finding["message"]
    assert finding["message"].endswith("it no longer applies, and no such finding occurs now")
    assert finding["hint"] == "delete the waiver"


@pytest.mark.parametrize(
    ("priorities", "reason"),
    [
        ("", "a, c (m) and b (n) are not listed in priorities, so neither outranks the other"),
        (
            "priorities: [c, b]\n",
            "the customers of m (a unranked, c #1) and of n (b #2) interleave",
        ),
    ],
)
def test_aa102_says_why_priorities_cannot_decide(
    cli: Callable[..., Run], write: Callable[..., Path], priorities: str, reason: str
) -> None:
    path = write(
        "customers:\n"
        "  - {id: a, role: buyer}\n  - {id: b, role: end_user}\n  - {id: c, role: regulator}\n"
        "metrics:\n"
        "  - {id: m, direction: increase, serves: [a, c], effects: {n: hurts}}\n"
        "  - {id: n, direction: increase, serves: [b]}\n" + priorities
    )
    [finding] = cli("check", str(path), "-f", "json", "--select", "AA102").findings()
    assert finding["message"].endswith("priorities cannot: " + reason)


def test_aa102_when_both_serve_one_customer(
    cli: Callable[..., Run], write: Callable[..., Path]
) -> None:
    path = write(
        "customers: [{id: a, role: buyer}]\n"
        "metrics:\n"
        "  - {id: m, direction: increase, serves: a, effects: {n: hurts}}\n"
        "  - {id: n, direction: increase, serves: a}\n"
    )
    [finding] = cli("check", str(path), "-f", "json", "--select", "AA102").findings()
    assert finding["message"].endswith("priorities cannot: both serve a")


def test_readme_first_command_is_reproducible() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    first = re.search(r"```bash\n(.*?)\n```", readme, re.DOTALL)
    assert first is not None
    assert "align-audit check examples/healthcare.yaml --today " in first.group(1)


# -- 17, 18: control characters in declaration text -------------------------------------------

HOSTILE = (
    'organization: {name: "Evil\\e]8;;http://x\\aCorp"}\n'
    "customers:\n"
    "  - id: patient\n"
    "    role: end_user\n"
    '    name: "a\\x01b\\e[2J\\nc\\r::error file=evil::x"\n'
    "metrics:\n"
    "  - id: m\n"
    "    direction: increase\n"
    '    owner: "ops\\n::stop-commands::tok"\n'
    '  - {id: "bad\\e[31mid", direction: increase}\n'
)


def _no_controls(text: str) -> None:
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f]", text.replace("\r\n", "\n")), repr(text)


@pytest.mark.parametrize(
    "args",
    [
        ["check"],
        ["check", "--format", "markdown"],
        ["check", "--format", "github"],
        ["report"],
        ["report", "--format", "markdown"],
        ["report", "--format", "html"],
        ["impact"],
        ["graph"],
        ["graph", "--format", "dot"],
    ],
)
def test_control_characters_never_reach_an_output(
    cli: Callable[..., Run], write: Callable[..., Path], args: list[str]
) -> None:
    path = write(HOSTILE)
    run = cli(*args, str(path))
    _no_controls(run.stdout)
    _no_controls(run.stderr)
    workflow = [line for line in run.stdout.splitlines() if line.startswith("::")]
    assert all(line.startswith(("::error ", "::warning ", "::notice ")) for line in workflow)


def test_inside_github_actions_no_injected_workflow_command(
    cli: Callable[..., Run], write: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    run = cli("check", str(write(HOSTILE)))
    for line in run.stdout.splitlines():
        assert not line.startswith(("::stop-commands", "::error file=evil"))


def test_control_characters_on_a_terminal(write: Callable[..., Path]) -> None:
    code, raw = on_a_terminal(["check", "--no-color", str(write(HOSTILE))])
    assert code == 1
    assert b"\x1b]8" not in raw and b"\x1b[2J" not in raw
    assert b"\\x1b" in raw


@pytest.mark.parametrize("fmt", ["graphml"])
def test_xml_outputs_parse_whatever_the_text(
    cli: Callable[..., Run], write: Callable[..., Path], tmp_path: Path, fmt: str
) -> None:
    out = tmp_path / f"g.{fmt}"
    cli("graph", str(write(HOSTILE)), "--format", fmt, "-o", str(out))
    ET.parse(out)
    assert "patient" in nx.read_graphml(out).nodes


def test_junit_parses_whatever_the_text(
    cli: Callable[..., Run], write: Callable[..., Path]
) -> None:
    run = cli("check", str(write(HOSTILE)), "--format", "junit")
    ET.fromstring(run.stdout.encode("utf-8"))
