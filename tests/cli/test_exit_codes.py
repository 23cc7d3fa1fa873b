"""The `check` command: exit codes, one-line errors, configuration discovery, output basics."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import FINDING_FIELDS, Run, invoke, on_a_terminal

PYTHON = str(Path(sys.executable).absolute())  # subprocesses may run in another cwd

CLEAN = (
    "customers:\n"
    "  - id: patient\n"
    "    role: end_user\n"
    "    outcomes: [care]\n"
    "metrics:\n"
    "  - id: csat\n"
    "    direction: increase\n"
    "    serves: patient.care\n"
)
BAD = "metrics:\n  - id: speed\n    direction: up\n"  # one AA002 at 3:16
# one AA005 at 4:13 (and an AA101): a finding that settings may select, ignore or soften
UNKNOWN_REF = "metrics:\n  - id: speed\n    direction: increase\n    serves: ghost\n"
LINE = re.compile(
    r"^(?P<path>[^:]+):(?P<line>\d+):(?P<col>\d+): (?P<code>AA\d{3}) "
    r"\[(?P<sev>error|warning|info)\] (?P<msg>\S.*)$"
)


def assert_usage_error(run: Run, *needles: str) -> None:
    """Exit 2 with exactly one line on stderr, no traceback, nothing on stdout."""
    assert run.exit_code == 2, (run.stdout, run.stderr)
    lines = run.stderr.splitlines()
    assert len(lines) == 1, run.stderr
    assert lines[0].startswith("align-audit: error: ")
    assert run.stderr.endswith("\n")
    assert "Traceback" not in run.stderr
    assert run.stdout == ""
    for needle in needles:
        assert needle in lines[0]


@pytest.fixture
def clean(write: Callable[..., Path]) -> Path:
    return write(CLEAN, "clean.yaml")


@pytest.fixture
def bad(write: Callable[..., Path]) -> Path:
    return write(BAD, "bad.yaml")


@pytest.fixture
def bad_ref(write: Callable[..., Path]) -> Path:
    return write(UNKNOWN_REF, "bad_ref.yaml")


@pytest.fixture
def warning_config(tmp_path: Path) -> Path:
    config = tmp_path / "warn.toml"
    config.write_text('[severity]\nAA005 = "warning"\n', encoding="utf-8")
    return config


# ------------------------------------------------------------------------------------------
# exit 0 / 1


def test_clean_file_exits_0(clean: Path) -> None:
    run = invoke("check", str(clean), "--select", "AA0", "--format", "json")
    assert run.exit_code == 0
    assert run.findings() == []
    assert run.stderr == ""


def test_clean_example_passes_every_rule(clean: Path) -> None:
    run = invoke("check", str(clean), "--select", "AA0")
    assert run.exit_code == 0
    assert run.stdout == "No findings in 1 file.\n"


def test_schema_error_exits_1(bad: Path) -> None:
    run = invoke("check", str(bad), "--select", "AA0", "--format", "json")
    assert run.exit_code == 1
    assert [f["code"] for f in run.findings()] == ["AA002"]
    assert run.stderr == ""


def test_exit_zero(bad: Path) -> None:
    run = invoke("check", str(bad), "--select", "AA0", "--exit-zero", "--format", "json")
    assert run.exit_code == 0
    assert [f["code"] for f in run.findings()] == ["AA002"]  # still reported


def test_fail_on_never(bad: Path) -> None:
    assert invoke("check", str(bad), "--select", "AA0", "--fail-on", "never").exit_code == 0


@pytest.mark.parametrize(
    ("fail_on", "expected"), [(None, 0), ("error", 0), ("warning", 1), ("info", 1), ("never", 0)]
)
def test_fail_on_with_only_warnings(
    bad_ref: Path, warning_config: Path, fail_on: str | None, expected: int
) -> None:
    args = ["check", str(bad_ref), "--select", "AA0", "--config", str(warning_config)]
    args += ["--fail-on", fail_on] if fail_on else []
    run = invoke(*args, "--format", "json")
    assert [(f["code"], f["severity"]) for f in run.findings()] == [("AA005", "warning")]
    assert run.exit_code == expected


def test_fail_on_is_case_insensitive(bad_ref: Path, warning_config: Path) -> None:
    run = invoke(
        "check",
        str(bad_ref),
        "--select",
        "AA0",
        "--config",
        str(warning_config),
        "--fail-on",
        "WARNING",
    )
    assert run.exit_code == 1


def test_exit_zero_wins_over_fail_on(bad: Path) -> None:
    run = invoke("check", str(bad), "--select", "AA0", "--fail-on", "info", "--exit-zero")
    assert run.exit_code == 0


# ------------------------------------------------------------------------------------------
# exit 2: one line on stderr


def test_path_not_found(tmp_path: Path) -> None:
    missing = tmp_path / "nope.yaml"
    assert_usage_error(invoke("check", str(missing)), "not found", "nope.yaml")


def test_one_missing_path_among_good_ones(clean: Path, tmp_path: Path) -> None:
    assert_usage_error(invoke("check", str(clean), str(tmp_path / "gone")), "not found")


def test_directory_without_yaml(tmp_path: Path) -> None:
    folder = tmp_path / "empty"
    (folder / ".github").mkdir(parents=True)
    (folder / ".github" / "ci.yaml").write_text("on: push\n", encoding="utf-8")  # hidden
    (folder / "notes.txt").write_text("customers: []\n", encoding="utf-8")
    assert_usage_error(invoke("check", str(folder)), "no YAML files")


def test_bad_format(clean: Path) -> None:
    assert_usage_error(invoke("check", str(clean), "--format", "xml"), "--format", "'xml'")


def test_bad_fail_on(clean: Path) -> None:
    assert_usage_error(invoke("check", str(clean), "--fail-on", "sometimes"), "--fail-on")


@pytest.mark.parametrize("value", ["2024-13-01", "tomorrow", "2024/01/01", ""])
def test_bad_today(clean: Path, value: str) -> None:
    assert_usage_error(invoke("check", str(clean), "--today", value), "--today")


def test_good_today(clean: Path) -> None:
    assert invoke("check", str(clean), "--select", "AA0", "--today", "2030-01-31").exit_code == 0


@pytest.mark.parametrize("option", ["--select", "--ignore"])
@pytest.mark.parametrize("value", ["AA999", "AA9", "no-such-rule", "AA002,bogus"])
def test_unknown_rule_selector(clean: Path, option: str, value: str) -> None:
    assert_usage_error(invoke("check", str(clean), option, value), "selector")


def test_unknown_severity_selector_in_config(clean: Path, tmp_path: Path) -> None:
    config = tmp_path / "c.toml"
    config.write_text('[severity]\nAA999 = "warning"\n', encoding="utf-8")
    assert_usage_error(invoke("check", str(clean), "--config", str(config)), "AA999")


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("select = [\n", "invalid TOML"),
        ("this is not toml\n", "invalid TOML"),
        ("colour = 'red'\n", "'colour'"),
        ("fail-on = 'sometimes'\n", "fail-on"),
        ("fail-on = 3\n", "fail-on"),
        ("select = 5\n", "select"),
        ("select = ['AA999']\n", "AA999"),
        ("max-depth = 0\n", "max-depth"),
        ("max-file-size = -1\n", "max-file-size"),
        ("max-alias-nodes = 'many'\n", "max-alias-nodes"),
        ("max-depth = true\n", "max-depth"),
        ("severity = 'loud'\n", "severity"),
        ("[severity]\nAA002 = 'loud'\n", "loud"),
    ],
)
def test_bad_config_file(clean: Path, tmp_path: Path, text: str, needle: str) -> None:
    config = tmp_path / "bad.toml"
    config.write_text(text, encoding="utf-8")
    assert_usage_error(invoke("check", str(clean), "--config", str(config)), needle)


def test_config_file_not_found(clean: Path, tmp_path: Path) -> None:
    assert_usage_error(
        invoke("check", str(clean), "--config", str(tmp_path / "none.toml")), "not found"
    )


def test_bad_discovered_config(
    clean: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "align-audit.toml").write_text("colour = 1\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert_usage_error(invoke("check", "clean.yaml"), "align-audit.toml", "'colour'")


@pytest.mark.parametrize(
    "args",
    [
        ("check", "{clean}", "--bogus"),
        ("check", "{clean}", "--select"),
        ("check", "{clean}", "-f"),
        ("report",),
        ("chekc", "{clean}"),
    ],
)
def test_usage_errors_are_one_line(clean: Path, args: tuple[str, ...]) -> None:
    assert_usage_error(invoke(*(a.format(clean=clean) for a in args)))


def test_check_without_paths_audits_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert_usage_error(invoke("check"), "no YAML files", "directory .")
    (tmp_path / "org.yaml").write_text(BAD, encoding="utf-8")
    run = invoke("check", "--format", "json")
    assert [f["path"] for f in run.findings()] == ["org.yaml"]


def test_unknown_option_is_named(clean: Path) -> None:
    assert_usage_error(invoke("check", str(clean), "--bogus"), "--bogus")


def test_problems_inside_files_are_never_exit_2(write: Callable[..., Path]) -> None:
    path = write(b"\x00\xff garbage: [\n\t{", "garbage.yaml")
    run = invoke("check", str(path), "--format", "json")
    assert run.exit_code == 1
    assert run.stderr == ""


# ------------------------------------------------------------------------------------------
# configuration discovery


def _nested(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project with the declarations at its root; the test runs from two levels below."""
    (tmp_path / "org.yaml").write_text(UNKNOWN_REF, encoding="utf-8")
    deep = tmp_path / "sub" / "deeper"
    deep.mkdir(parents=True)
    monkeypatch.chdir(deep)
    return tmp_path / "org.yaml"


def _severity_of(org: Path, *extra: str) -> list[str]:
    run = invoke("check", str(org), "--select", "AA0", "--format", "json", *extra)
    assert run.exit_code in (0, 1), run.stderr
    return [f["severity"] for f in run.findings()]


@pytest.mark.parametrize("name", ["align-audit.toml", ".align-audit.toml"])
def test_config_found_upward(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    org = _nested(tmp_path, monkeypatch)
    assert _severity_of(org) == ["error"]
    (tmp_path / name).write_text('[severity]\nAA005 = "info"\n', encoding="utf-8")
    assert _severity_of(org) == ["info"]


def test_pyproject_table_found_upward(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    org = _nested(tmp_path, monkeypatch)
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.align-audit]\nfail-on = "never"\n'
        '[tool.align-audit.severity]\nAA005 = "warning"\n',
        encoding="utf-8",
    )
    assert _severity_of(org) == ["warning"]
    assert invoke("check", str(org), "--select", "AA0").exit_code == 0


def test_pyproject_without_table_is_skipped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    org = _nested(tmp_path, monkeypatch)
    (tmp_path / "align-audit.toml").write_text('[severity]\nAA005 = "info"\n', encoding="utf-8")
    (tmp_path / "sub" / "pyproject.toml").write_text('[project]\nname = "x"\n', encoding="utf-8")
    assert _severity_of(org) == ["info"]


def test_nearest_config_wins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    org = _nested(tmp_path, monkeypatch)
    (tmp_path / "align-audit.toml").write_text('[severity]\nAA005 = "info"\n', encoding="utf-8")
    (tmp_path / "sub" / "align-audit.toml").write_text(
        '[severity]\nAA005 = "warning"\n', encoding="utf-8"
    )
    assert _severity_of(org) == ["warning"]


def test_align_audit_toml_before_pyproject_in_one_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    org = _nested(tmp_path, monkeypatch)
    (tmp_path / "pyproject.toml").write_text(
        '[tool.align-audit.severity]\nAA005 = "warning"\n', encoding="utf-8"
    )
    (tmp_path / ".align-audit.toml").write_text('[severity]\nAA005 = "info"\n', encoding="utf-8")
    assert _severity_of(org) == ["info"]
    (tmp_path / "align-audit.toml").write_text("", encoding="utf-8")  # beats .align-audit.toml
    assert _severity_of(org) == ["error"]


def test_explicit_config_beats_discovery(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    org = _nested(tmp_path, monkeypatch)
    (tmp_path / "align-audit.toml").write_text('[severity]\nAA005 = "info"\n', encoding="utf-8")
    explicit = tmp_path / "other.toml"
    explicit.write_text('[severity]\nAA005 = "warning"\n', encoding="utf-8")
    assert _severity_of(org, "--config", str(explicit)) == ["warning"]


def test_explicit_pyproject_reads_its_table(tmp_path: Path, bad_ref: Path) -> None:
    pyproject = tmp_path / "sub" / "pyproject.toml"
    pyproject.parent.mkdir()
    pyproject.write_text('[tool.align-audit.severity]\nAA005 = "info"\n', encoding="utf-8")
    assert _severity_of(bad_ref, "--config", str(pyproject)) == ["info"]


def test_command_line_wins_over_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    org = _nested(tmp_path, monkeypatch)
    (tmp_path / "align-audit.toml").write_text(
        'select = ["AA003"]\nfail-on = "never"\n', encoding="utf-8"
    )
    file_only = invoke("check", str(org), "--format", "json")
    assert (file_only.exit_code, file_only.findings()) == (0, [])
    run = invoke("check", str(org), "--select", "AA0", "--fail-on", "error", "--format", "json")
    assert run.exit_code == 1
    assert [f["code"] for f in run.findings()] == ["AA005"]


def test_ignore_in_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    org = _nested(tmp_path, monkeypatch)
    (tmp_path / "align-audit.toml").write_text('ignore = ["unknown-reference"]\n', encoding="utf-8")
    assert _severity_of(org) == []


# ------------------------------------------------------------------------------------------
# select / ignore


@pytest.mark.parametrize(
    ("options", "codes"),
    [
        ((), ["AA002", "AA005"]),
        (("--select", "AA0"), ["AA002", "AA005"]),
        (("--select", "AA002"), ["AA002"]),
        (("--select", "unknown-reference"), ["AA002", "AA005"]),
        (("--select", "AA002,AA005"), ["AA002", "AA005"]),
        (("--select", "AA002", "--select", "AA005"), ["AA002", "AA005"]),
        (("--select", "aa0", "--ignore", "AA002"), ["AA002", "AA005"]),
        (("--ignore", "AA0"), ["AA002"]),
        (("--select", "AA1"), ["AA002"]),
        (("--select", "unguarded_harm"), ["AA002"]),
        (("--select", "ALL", "--ignore", "AA005"), ["AA002"]),
    ],
)
def test_select_and_ignore(
    write: Callable[..., Path], options: tuple[str, ...], codes: list[str]
) -> None:
    path = write(
        "metrics:\n  - id: csat\n    direction: up\n"
        "  - {id: nps, direction: increase, serves: ghost}\n"
    )
    run = invoke("check", str(path), "--format", "json", *options)
    found = [f["code"] for f in run.findings() if f["code"].startswith("AA0")]
    assert found == codes
    assert run.exit_code == (1 if run.findings() else 0)


# ------------------------------------------------------------------------------------------
# stdin, version


def test_stdin() -> None:
    run = invoke("check", "-", "--format", "json", "--select", "AA0", input=BAD)
    assert run.exit_code == 1
    [finding] = run.findings()
    assert (finding["path"], finding["line"], finding["column"]) == ("<stdin>", 3, 16)
    assert run.json()["summary"]["files"] == 1


def test_stdin_with_files(clean: Path) -> None:
    run = invoke("check", str(clean), "-", "--format", "json", "--select", "AA0", input=BAD)
    assert run.json()["summary"]["files"] == 2
    assert [f["path"] for f in run.findings()] == ["<stdin>"]


def test_stdin_as_bytes() -> None:
    run = invoke("check", "-", "--format", "json", "--select", "AA0", input=b"a: \xff\n")
    assert [(f["code"], f["path"]) for f in run.findings()] == [("AA001", "<stdin>")]


def test_empty_stdin() -> None:
    run = invoke("check", "-", "--format", "json", input="")
    assert (run.exit_code, run.findings()) == (0, [])


def test_version_via_python_m() -> None:
    from align_audit import __version__

    proc = subprocess.run(
        [PYTHON, "-m", "align_audit", "--version"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 0
    assert proc.stdout == f"align-audit {__version__}\n"
    assert proc.stderr == ""


def test_subprocess_exit_codes(tmp_path: Path) -> None:
    org = tmp_path / "bad.yaml"
    org.write_text(BAD, encoding="utf-8")
    base = [PYTHON, "-m", "align_audit", "check"]
    ran = [
        subprocess.run([*base, *args], capture_output=True, text=True, timeout=60, check=False)
        for args in ([str(org), "--select", "AA0"], [str(org), "--bogus"], [str(tmp_path / "x")])
    ]
    assert [p.returncode for p in ran] == [1, 2, 2]
    for proc in ran[1:]:
        assert len(proc.stderr.splitlines()) == 1
        assert proc.stderr.startswith("align-audit: error: ")


# ------------------------------------------------------------------------------------------
# output


def test_text_output_when_piped(
    write: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(write(BAD).parent)
    path = write(
        "metrics:\n  - id: csat\n    direction: up\n"
        "  - {id: nps, direction: increase, serves: x}\n",
        "two.yaml",
    )
    run = invoke("check", path.name, "--select", "AA0")
    assert run.exit_code == 1
    lines = run.stdout.splitlines()
    assert lines == [
        "two.yaml:3:16: AA002 [error] metric csat: direction: input should be 'increase' or "
        "'decrease', got 'up'",
        "two.yaml:4:44: AA005 [error] metric nps serves 'x', which is not declared",
        "    help: declare 'x' as a customer or an outcome",
        "Found 2 findings in 1 file: 2 errors, 0 warnings, 0 info.",
    ]
    assert "\x1b[" not in run.stdout


def test_text_lines_have_the_plain_format(write: Callable[..., Path]) -> None:
    path = write("customers: [a\n")  # AA001 adds a source snippet, indented
    run = invoke("check", str(path))
    lines = run.stdout.splitlines()
    assert LINE.match(lines[0]), lines[0]
    assert all(line.startswith("    ") for line in lines[1:-1])
    assert lines[-1] == "Found 1 finding in 1 file: 1 error, 0 warnings, 0 info."


def test_quiet_suppresses_the_summary(bad: Path, clean: Path) -> None:
    run = invoke("check", str(bad), "--select", "AA0", "-q")
    assert [bool(LINE.match(line)) for line in run.stdout.splitlines()] == [True]
    assert invoke("check", str(clean), "--select", "AA0", "--quiet").stdout == ""


def test_summary_counts_files(clean: Path, bad: Path) -> None:
    run = invoke("check", str(clean), str(bad), "--select", "AA0")
    assert run.stdout.splitlines()[-1] == (
        "Found 1 finding in 2 files: 1 error, 0 warnings, 0 info."
    )


def test_json_shape(bad: Path) -> None:
    run = invoke("check", str(bad), "--select", "AA0", "--format", "json")
    document = json.loads(run.stdout)
    assert list(document) == ["version", "tool", "summary", "findings"]
    assert document["version"] == 1
    assert document["tool"]["name"] == "align-audit"
    assert document["summary"]["files"] == 1
    assert document["summary"]["findings"] == 1
    assert document["summary"]["error"] == 1
    for finding in document["findings"]:
        assert list(finding) == list(FINDING_FIELDS)
        assert finding["severity"] in ("error", "warning", "info")
        assert isinstance(finding["related"], list)
        assert isinstance(finding["trace"], list)
        for related in finding["related"]:
            assert list(related) == ["path", "line", "column", "entity", "message"]


def test_json_related_fields(write: Callable[..., Path]) -> None:
    path = write("metrics:\n  - {id: a, direction: increase}\n  - {id: a, direction: increase}\n")
    [finding] = invoke("check", str(path), "--select", "AA0", "--format", "json").findings()
    assert list(finding) == list(FINDING_FIELDS)
    [related] = finding["related"]
    assert list(related) == ["path", "line", "column", "entity", "message"]
    assert (related["line"], related["column"], related["entity"]) == (2, 10, "a")


def test_output_file(bad: Path, tmp_path: Path) -> None:
    target = tmp_path / "out" / "report.json"
    target.parent.mkdir()
    run = invoke("check", str(bad), "--select", "AA0", "--format", "json", "-o", str(target))
    assert run.exit_code == 1
    assert run.stdout == ""
    assert [f["code"] for f in json.loads(target.read_text(encoding="utf-8"))["findings"]] == [
        "AA002"
    ]


def test_declaration_files_are_never_written(bad: Path) -> None:
    before = bad.read_bytes(), bad.stat().st_mtime_ns
    invoke("check", str(bad), "--format", "json")
    assert (bad.read_bytes(), bad.stat().st_mtime_ns) == before


# ------------------------------------------------------------------------------------------
# colour: only on a terminal, never with NO_COLOR or --no-color


def _run_on_a_terminal(args: list[str], env: dict[str, str]) -> bytes:
    code, received = on_a_terminal(args, env=env)
    assert code == 1
    return received


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
def test_colour_on_a_terminal_unless_no_color(bad: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    args = ["check", str(bad), "--select", "AA0"]
    coloured = _run_on_a_terminal(args, env)
    assert b"\x1b[" in coloured  # the test can tell colour from no colour
    assert b"AA002" in coloured
    plain = _run_on_a_terminal(args, {**env, "NO_COLOR": "1"})
    assert b"\x1b[" not in plain
    assert b"AA002" in plain
    assert b"\x1b[" not in _run_on_a_terminal([*args, "--no-color"], env)
