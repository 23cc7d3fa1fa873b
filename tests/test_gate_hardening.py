"""Issue 10's hardening: bad input of every kind is a finding or a one-line exit 2, never a
traceback, a hang or unbounded memory; outputs are checked before the audit runs."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import textwrap
from collections.abc import Callable
from itertools import pairwise
from pathlib import Path

import pytest

from conftest import EXAMPLES, Run, on_a_terminal

CLEAN = str(EXAMPLES / "clean.yaml")
TAGS = ["!!timestamp", "!!int", "!!float", "!!bool", "!!binary", "!!set", "!!omap", "!!merge"]
VALUES = {
    "!!timestamp": ["2001-12-14", "2001-12-14 21:59:43.10 -5", "", "foo", "2001-12-14 21:59"],
    "!!int": ["12", "0x1F", "", "+", "1.5", "0x" + "f" * 3600],
    "!!float": ["1.5", ".inf", "", "_", "abc"],
    "!!bool": ["true", "off", "", "maybe"],
    "!!binary": ["aGVsbG8=", "???"],
    "!!set": ["{a, b}", "[a]", "x"],
    "!!omap": ["[{a: 1}]", "{a: 1}", "x"],
    "!!merge": ["{a: 1}", "x"],
}
TAG_CASES = [(tag, value) for tag in TAGS for value in VALUES[tag]]


def one_line_error(run: Run, *needles: str) -> None:
    assert run.exit_code == 2, (run.stdout, run.stderr)
    assert run.stderr.startswith("align-audit: error: ")
    assert len(run.stderr.splitlines()) == 1, run.stderr
    for needle in needles:
        assert needle in run.stderr


# -- 14: tags -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("tag", "value"), TAG_CASES)
@pytest.mark.parametrize(
    "template",
    [
        "version: {tagged}\n",
        "metrics:\n  - id: m\n    direction: {tagged}\n",
        "customers:\n  - {{id: c, role: buyer, name: {tagged}}}\n",
        "{tagged}: 1\n",
    ],
)
def test_tag_corpus_gives_findings_never_exit_2(
    cli: Callable[..., Run], write: Callable[..., Path], tag: str, value: str, template: str
) -> None:
    path = write(template.format(tagged=f"{tag} {value}".rstrip()))
    run = cli("check", str(path), "--format", "json")
    assert run.exit_code in (0, 1), run.stderr
    assert run.stderr == ""
    for finding in run.findings():
        assert len(finding["message"]) < 400


def test_a_bad_tagged_value_is_aa001_at_the_value(
    cli: Callable[..., Run], write: Callable[..., Path]
) -> None:
    path = write("metrics:\n  - id: m\n    direction: !!int +\n")
    [finding] = cli("check", str(path), "--format", "json").findings()
    assert (finding["code"], finding["line"], finding["column"]) == ("AA001", 3, 16)
    assert "'+' is not a valid !!int value" in finding["message"]


def test_writing_to_a_full_device_is_one_line(cli: Callable[..., Run]) -> None:
    if not Path("/dev/full").exists():
        pytest.skip("needs /dev/full")
    proc = subprocess.run(
        [sys.executable, "-m", "align_audit", "check", CLEAN],
        stdout=Path("/dev/full").open("w"),  # noqa: SIM115 - closed with the process
        stderr=subprocess.PIPE,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 2
    assert (
        proc.stderr
        == "align-audit: error: cannot write to standard output: No space left on device\n"
    )


# -- 15, 16: what is read -----------------------------------------------------------------------


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_fifo_is_refused_without_blocking(cli: Callable[..., Run], tmp_path: Path) -> None:
    fifo = tmp_path / "org.yaml"
    os.mkfifo(fifo)
    one_line_error(cli("check", str(fifo)), "not a regular file")
    (tmp_path / "ok.yaml").write_text("customers: []\n", encoding="utf-8")
    one_line_error(cli("check", str(tmp_path)), "org.yaml", "not a regular file")
    one_line_error(cli("check", CLEAN, "--baseline", str(fifo)), "not a regular file")


def test_dev_zero_as_baseline_is_refused(cli: Callable[..., Run]) -> None:
    one_line_error(cli("check", CLEAN, "--baseline", "/dev/zero"), "not a regular file")


def test_baseline_nested_too_deeply(cli: Callable[..., Run], tmp_path: Path) -> None:
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 100_000, encoding="utf-8")
    one_line_error(cli("check", CLEAN, "--baseline", str(deep)), "nests too deeply")


def test_a_huge_size_limit_allocates_nothing_up_front(
    cli: Callable[..., Run], tmp_path: Path
) -> None:
    config = tmp_path / "align-audit.toml"
    config.write_text("max-file-size = 30000000000\n", encoding="utf-8")
    run = cli("check", CLEAN, "--config", str(config))
    assert run.exit_code == 0, run.stderr


def test_a_config_that_is_no_file_is_refused(cli: Callable[..., Run], tmp_path: Path) -> None:
    if not hasattr(os, "mkfifo"):
        pytest.skip("needs FIFOs")
    fifo = tmp_path / "c.toml"
    os.mkfifo(fifo)
    one_line_error(cli("check", CLEAN, "--config", str(fifo)), "not a regular file")


_AS_NOBODY = textwrap.dedent(
    """
    import os, sys
    import align_audit.baseline, align_audit.cli, align_audit.outputs, align_audit.settings
    from align_audit.engine import audit
    from align_audit.reporters import ReportOptions, get_reporter
    # one audit first, so that every module is imported before the permissions change
    get_reporter("text").render(audit([sys.argv[2]]), ReportOptions())
    if os.geteuid() == 0:  # permissions bind root too once it is somebody else
        os.setgid(65534)
        os.setuid(65534)
    sys.argv = ["align-audit", "check", sys.argv[1]]
    align_audit.cli.main()
    """
)


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_an_unreadable_folder_is_an_error() -> None:
    base = Path(tempfile.mkdtemp(prefix="align-audit-perm-"))
    try:
        base.chmod(0o755)
        org = base / "org"
        locked = org / "locked"
        locked.mkdir(parents=True)
        (org / "a.yaml").write_text("customers: []\n", encoding="utf-8")
        (locked / "b.yaml").write_text("customers: []\n", encoding="utf-8")
        org.chmod(0o755)
        locked.chmod(0)
        proc = subprocess.run(
            [sys.executable, "-c", _AS_NOBODY, str(org), CLEAN],
            capture_output=True,
            text=True,
            timeout=60,
        )
    finally:
        locked.chmod(0o755)
        shutil.rmtree(base)
    assert proc.returncode == 2, (proc.stdout, proc.stderr)
    assert proc.stdout == ""
    assert proc.stderr == f"align-audit: error: cannot read directory {locked}: Permission denied\n"


# -- 5: which files are audited ------------------------------------------------------------------


def _repo(tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    (repo / "docs").mkdir(parents=True)
    (repo / "org.yaml").write_text(Path(CLEAN).read_text(encoding="utf-8"), encoding="utf-8")
    (repo / "mkdocs.yml").write_text(
        "site_name: Docs\nmarkdown_extensions:\n  - pymdownx.emoji:\n"
        "      emoji_index: !!python/name:material.extensions.emoji.twemoji\n",
        encoding="utf-8",
    )
    (repo / "docker-compose.yml").write_text("services:\n  db: {image: postgres}\n", "utf-8")
    (repo / "docs" / "notes.yaml").write_text("metrics: [{id: m, direction: up}]\n", "utf-8")
    return repo


def test_yaml_that_declares_nothing_is_skipped_and_named(
    cli: Callable[..., Run], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = _repo(tmp_path)
    monkeypatch.chdir(repo)
    run = cli("check", ".", "--format", "json")
    assert run.json()["summary"]["skipped"] == ["docker-compose.yml", "mkdocs.yml"]
    assert {f["path"] for f in run.findings()} == {"docs/notes.yaml"}
    text = cli("check", ".").stdout
    assert "Skipped 2 YAML files that declare nothing: docker-compose.yml, mkdocs.yml." in text


def test_a_file_named_explicitly_is_always_audited(
    cli: Callable[..., Run], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(_repo(tmp_path))
    run = cli("check", "org.yaml", "mkdocs.yml", "--format", "json")
    assert "mkdocs.yml" in {f["path"] for f in run.findings()}


@pytest.mark.parametrize(
    ("options", "config", "paths"),
    [
        (("--extend-exclude", "docs"), "", set()),
        ((), 'extend-exclude = ["docs/*"]\n', set()),
        (("--exclude", "notes.yaml"), "", set()),
        ((), 'exclude = ["*.yml"]\n', {"docs/notes.yaml"}),
    ],
)
def test_exclude_globs(
    cli: Callable[..., Run],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    options: tuple[str, ...],
    config: str,
    paths: set[str],
) -> None:
    repo = _repo(tmp_path)
    (repo / "align-audit.toml").write_text(config, encoding="utf-8")
    monkeypatch.chdir(repo)
    run = cli("check", ".", "--format", "json", *options)
    assert {f["path"] for f in run.findings()} == paths


def test_exclude_replaces_the_hidden_default(
    cli: Callable[..., Run], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = _repo(tmp_path)
    (repo / ".hidden").mkdir()
    (repo / ".hidden" / "x.yaml").write_text("metrics: [{id: h, direction: up}]\n", "utf-8")
    monkeypatch.chdir(repo)
    found = {f["path"] for f in cli("check", ".", "--format", "json").findings()}
    assert ".hidden/x.yaml" not in found
    found = {f["path"] for f in cli("check", ".", "-f", "json", "--exclude", "docs").findings()}
    assert found == {".hidden/x.yaml"}


def test_only_files_that_declare_nothing_is_exit_2(cli: Callable[..., Run], tmp_path: Path) -> None:
    (tmp_path / "mkdocs.yml").write_text("site_name: x\n", encoding="utf-8")
    one_line_error(cli("check", str(tmp_path)), "declare nothing")


# -- 9, 19: destinations --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ["-o", "{d}/a.json", "--write-baseline", "{d}/a.json"],
        ["--save", "json={d}/a", "--save", "sarif={d}/a"],
        ["--save", "json=-"],
        ["-o", "-", "--save", "sarif=-"],
    ],
)
def test_two_outputs_to_one_destination_are_refused(
    cli: Callable[..., Run], tmp_path: Path, args: list[str]
) -> None:
    run = cli("check", CLEAN, *(a.format(d=tmp_path) for a in args))
    one_line_error(run, "both write to")
    assert list(tmp_path.iterdir()) == []


def test_dash_is_standard_output(
    cli: Callable[..., Run], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    for command in (["check", CLEAN], ["report", CLEAN], ["graph", CLEAN]):
        run = cli(*command, "-o", "-")
        assert run.exit_code == 0
        assert run.stdout
    assert not (tmp_path / "-").exists()


def test_a_bad_destination_costs_no_audit(cli: Callable[..., Run], tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x", encoding="utf-8")
    for command in ("check", "report", "impact", "graph"):
        run = cli(command, CLEAN, "-o", str(tmp_path / "file" / "out"))
        one_line_error(run, "is not a directory")
    run = cli("check", CLEAN, "--save", f"json={tmp_path}")
    one_line_error(run, "is a directory")


def test_missing_folders_of_outputs_are_created(cli: Callable[..., Run], tmp_path: Path) -> None:
    target = tmp_path / "reports" / "2026" / "a.sarif"
    run = cli("check", CLEAN, "--save", f"sarif={target}", "-o", str(tmp_path / "x" / "a.txt"))
    assert run.exit_code == 0, run.stderr
    assert target.is_file()
    assert (tmp_path / "x" / "a.txt").is_file()


# -- 20: the excerpt of a long line ---------------------------------------------------------------


def test_excerpt_of_a_long_line_follows_the_column(
    cli: Callable[..., Run], write: Callable[..., Path]
) -> None:
    path = write("customers: [" + "a, " * 100_000 + "]]\n")
    run = cli("check", str(path))
    lines = run.stdout.splitlines()
    assert lines[0].startswith(f"{path}:1:300014: AA001")  # the second "]"
    source, caret = lines[1], lines[2]
    assert len(source) < 160 and len(caret) < 160
    assert source[caret.index("^")] == "]"


# -- 21: SIGTERM during a write -------------------------------------------------------------------

_SLOW_WRITE = textwrap.dedent(
    """
    import os, signal, sys, time
    from pathlib import Path
    from align_audit import cli_support, outputs
    signal.signal(signal.SIGTERM, cli_support.terminated)
    replace = os.replace
    def slow(*args):
        print("written, not yet renamed", flush=True)
        time.sleep(30)
        replace(*args)
    os.replace = slow
    outputs.write_atomic(Path(sys.argv[1]), "x" * 100_000)
    """
)


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_sigterm_during_a_write_leaves_no_temporary_file(tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    proc = subprocess.Popen(
        [sys.executable, "-c", _SLOW_WRITE, str(target)], stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None
    assert proc.stdout.readline() == "written, not yet renamed\n"
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")]  # mid-write
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=30) == 128 + signal.SIGTERM
    assert list(tmp_path.iterdir()) == []


# -- 7: the report in a terminal ----------------------------------------------------------


@pytest.mark.parametrize("columns", [80, 160])
def test_report_fits_the_terminal(columns: int) -> None:
    """Every line fits, and no id is cut in the middle: at 160 columns the tables keep their
    headers whole; at 80, a table too wide for its words becomes a list of rows."""
    lines = _terminal_lines(["report", str(EXAMPLES / "healthcare.yaml")], columns)
    assert not _ids_cut_at_line_ends(lines, _IDS)
    assert not [line for line in lines if line.rstrip().endswith(("ob", "obj"))]
    headers = [line for line in lines if line.lstrip().startswith("objective ")]
    if columns == 160:
        assert headers and all(line.split()[:2] == ["objective", "optimizes"] for line in headers)
        assert any("physician_overtime_hours" in line.split() for line in lines)
    else:
        assert not headers
        # A row of the tradeoff register, as a list: its first cell, then header: cell lines.
        at = lines.index("clinic_utilization ↔ physician_overtime_hours")
        assert lines[at + 1 : at + 3] == [
            "    prefer: physician_overtime_hours",
            "    decided by: COO and Medical Staff Council",
        ]


def _terminal_lines(args: list[str], columns: int) -> list[str]:
    env = {**os.environ, "COLUMNS": str(columns), "NO_COLOR": "1"}
    code, raw = on_a_terminal([*args, "--today", "2026-12-01"], env=env)
    assert code in (0, 1)
    text = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", raw.decode("utf-8")).replace("\r", "")
    lines = text.splitlines()
    assert max(len(line) for line in lines) <= columns
    return lines


def _ids_cut_at_line_ends(lines: list[str], ids: set[str]) -> list[str]:
    """Lines holding the first part (six characters or more: not an English word like "claim")
    of an id cut between two letters or digits, wherever the line is: a table folds a cell
    inside its column."""
    return [
        line
        for line in lines
        for token in (word.strip("(),:") for word in line.split())
        if len(token) >= 6
        and token[-1].isalnum()
        and any(i.startswith(token) and i[len(token) : len(token) + 1].isalnum() for i in ids)
    ]


_IDS = {
    "scheduling.maximize_utilization",
    "claims_optimizer.lower_episode_cost",
    "physician.manageable_workload",
    "health_authority.patient_safety",
    "physician_overtime_hours",
    "readmission_rate_30d",
}


@pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")
def test_check_on_a_narrow_terminal_puts_messages_under_their_location() -> None:
    """At 80 columns a message column would be ~30 wide and fold ids mid-word; each message
    goes under its location instead, indented, and no id is cut."""
    lines = _terminal_lines(["check", str(EXAMPLES / "healthcare.yaml")], 80)
    assert "examples/healthcare.yaml:179:20  AA105  error" in [line.rstrip() for line in lines]
    text = "\n".join(lines)
    assert "    optimizing clinic_utilization for scheduling.maximize_utilization harms" in text
    assert not _ids_cut_at_line_ends(lines, _IDS)
    assert not any(line.startswith("Location") for line in lines)  # no table


@pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")
def test_check_on_a_wide_terminal_keeps_the_table() -> None:
    lines = _terminal_lines(["check", str(EXAMPLES / "healthcare.yaml")], 160)
    assert lines[0].split() == ["Location", "Code", "Severity", "Message"]
    row = next(line for line in lines if line.startswith("examples/healthcare.yaml:179:20"))
    assert row.split()[1:4] == ["AA105", "error", "optimizing"]


@pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")
def test_impact_on_a_narrow_terminal_wraps_under_its_indentation() -> None:
    objective = "claims_optimizer.lower_episode_cost"
    args = ["impact", str(EXAMPLES / "healthcare.yaml"), "--objective", objective]
    lines = _terminal_lines(args, 80)
    # A witness path cut after an arrow goes on at the next line.
    wrapped = [after for line, after in pairwise(lines) if line.rstrip().endswith("→")]
    assert wrapped  # the test can tell: some witness paths are longer than a line
    assert all(line.startswith("        ") and line.strip() for line in wrapped)


def test_piped_report_stays_plain_and_wide(cli: Callable[..., Run]) -> None:
    run = cli("report", str(EXAMPLES / "healthcare.yaml"), "--today", "2026-12-01")
    assert max(len(line) for line in run.stdout.splitlines()) > 160  # one row per line
    assert "\x1b[" not in run.stdout


def test_a_reader_that_stops_early_gets_no_error() -> None:
    """``align-audit report … | head -1``: a closed pipe is not an error to report."""
    proc = subprocess.run(
        f"'{sys.executable}' -m align_audit report '{EXAMPLES / 'healthcare.yaml'}' | head -1",
        shell=True,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.stdout.startswith("Alignment report")
    assert proc.stderr == ""
