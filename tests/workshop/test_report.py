"""`align-audit report`: the workshop tables of SPEC §4, in text, markdown and html."""

from __future__ import annotations

import os
import re
import shutil
import struct
import subprocess
import sys
import time
import zlib
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

import pytest

from align_audit.workshop.report import FORMATS, SECTIONS
from conftest import EXAMPLES, ROOT, invoke

PYTHON = str(Path(sys.executable).absolute())
TODAY = "2026-12-01"
HEALTHCARE = str(EXAMPLES / "healthcare.yaml")
EXAMPLE_ARGS = [
    HEALTHCARE,
    str(EXAMPLES / "customer-service.yaml"),
    str(EXAMPLES / "hiring.yaml"),
    str(EXAMPLES / "clean.yaml"),
    str(EXAMPLES / "config-repo"),
]


def report(path: str, fmt: str, *extra: str, input_errors: int = 0) -> str:
    run = invoke("report", path, "--format", fmt, "--today", TODAY, *extra)
    assert run.exit_code == (1 if input_errors else 0), run.stderr
    assert len([line for line in run.stderr.splitlines() if " AA0" in line]) == input_errors
    return run.stdout


def md_rows(text: str, first_cell: str) -> list[list[str]]:
    """The cells of every markdown table row whose first cell is ``first_cell``."""
    rows = []
    for line in text.splitlines():
        if line.startswith("| "):
            cells = [c.strip().replace("\\_", "_") for c in re.split(r"(?<!\\)\|", line)[1:-1]]
            if cells[0] == first_cell:
                rows.append(cells)
    return rows


def md_section(text: str, title: str) -> str:
    start = text.index(f"\n## {title}\n")
    end = text.find("\n## ", start + 1)
    return text[start : end if end != -1 else None]


# -- every example, every format --------------------------------------------------------------
def test_formats() -> None:
    assert FORMATS == ("text", "markdown", "html")


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("path", EXAMPLE_ARGS, ids=lambda p: Path(p).name)
def test_every_example_has_every_section(path: str, fmt: str) -> None:
    out = report(path, fmt)
    for title in SECTIONS:
        if fmt == "text":
            assert f"\n{title}\n{'═' * len(title)}\n" in out
        elif fmt == "markdown":
            assert f"\n## {title}\n" in out
        else:
            assert f"<h2>{title}</h2>" in out
    assert out.endswith("\n")


def test_unknown_format_is_exit_2() -> None:
    run = invoke("report", HEALTHCARE, "--format", "pdf")
    assert run.exit_code == 2
    assert "text, markdown, html" in run.stderr


# -- facts of the healthcare example ----------------------------------------------------------
@pytest.fixture(scope="module")
def healthcare_md() -> str:
    return report(HEALTHCARE, "markdown")


@pytest.fixture(scope="module")
def healthcare_text() -> str:
    return report(HEALTHCARE, "text")


def test_stakeholder_map(healthcare_md: str) -> None:
    section = md_section(healthcare_md, "Stakeholder map")
    [authority] = md_rows(section, "health_authority")
    assert authority[:4] == ["health_authority", "Regional health authority", "regulator", "1"]
    assert authority[4] == "patient_safety, timely_access"
    # measured for it, serving it, objectives it is the stakeholder customer of
    assert authority[5:] == ["3", "3", "1"]
    [patient] = md_rows(section, "patient")
    assert patient[2:4] == ["end_user", "2"]
    assert patient[5:] == ["4", "5", "3"]  # clinic_utilization serves patients through effects
    [physician] = md_rows(section, "physician")
    assert physician[5:] == ["1", "1", "0"]


def test_unranked_customer(write: Callable[..., Path]) -> None:
    path = write(
        "customers:\n  - {id: a, role: end_user}\n  - {id: b, role: buyer}\npriorities: [b]\n"
    )
    section = md_section(report(str(path), "markdown"), "Stakeholder map")
    assert md_rows(section, "a")[0][3] == "unranked"
    assert md_rows(section, "b")[0][3] == "1"


def test_coverage_matrix(healthcare_md: str) -> None:
    section = md_section(healthcare_md, "Coverage matrix")
    header = next(line for line in section.splitlines() if line.startswith("| metric"))
    assert header == "| metric | patient | physician | insurer | health_authority | note |"
    assert md_rows(section, "portal_page_views") == [
        ["portal_page_views", "", "", "", "", "serves nobody"]
    ]
    assert md_rows(section, "triage_accuracy") == [["triage_accuracy", "●", "", "", "●", ""]]
    # measured for the insurer; serves patients only through its effect on lead time
    assert md_rows(section, "clinic_utilization") == [["clinic_utilization", "○", "", "●", "", ""]]
    assert "1 metric serves nobody: portal_page_views." in section


def test_conflict_register(healthcare_md: str, healthcare_text: str) -> None:
    section = md_section(healthcare_md, "Conflict and tradeoff register")
    conflicts = {(r[1], r[2]): r[4] for r in md_rows(section, "1") + md_rows(section, "2")}
    assert conflicts == {
        ("triage_accuracy", "ed_wait_time"): "unresolved",
        ("ed_wait_time", "triage_accuracy"): "unresolved",
    }
    [precedence] = md_rows(section, "3")
    assert precedence[1:] == [
        "appointment_lead_time",
        "physician_overtime_hours",
        "hurts (-25)",
        "precedence (appointment_lead_time wins: patient outranks physician)",
    ]
    [stale] = md_rows(section, "4")
    assert stale[4] == (
        "tradeoff (prefer readmission_rate_30d, decided by Chief Medical Officer, "
        "review by 2025-06-30, STALE)"
    )
    [current] = md_rows(section, "5")
    assert current[3] == "-40"
    assert current[4].startswith("tradeoff (prefer physician_overtime_hours, decided by COO")
    assert "STALE" not in current[4]
    [decision] = md_rows(section, "length_of_stay ↔ readmission_rate_30d")
    assert decision[3] == "2025-06-30 STALE"
    assert "STALE" in decision[5]
    assert "STALE" in healthcare_text.split("Tradeoff decisions")[1].split("\n")[3]


def test_stale_depends_on_today() -> None:
    out = report(HEALTHCARE, "markdown", "--today", "2025-01-01")
    assert "STALE" not in out


def test_obsolete_tradeoff_is_marked() -> None:
    out = report(str(EXAMPLES / "customer-service.yaml"), "markdown")
    [row] = md_rows(out, "speed_to_answer ↔ training_hours")
    assert row[4] == "0"
    assert row[5].startswith("OBSOLETE")


def test_precedence_override_is_marked(write: Callable[..., Path]) -> None:
    path = write(
        """\
customers:
  - {id: candidate, role: end_user}
  - {id: hiring_manager, role: buyer}
metrics:
  - {id: cost_per_hire, direction: decrease, serves: hiring_manager, effects: {nps: hurts}}
  - {id: nps, direction: increase, serves: candidate}
priorities: [candidate, hiring_manager]
tradeoffs:
  - {between: [cost_per_hire, nps], prefer: cost_per_hire, rationale: "Budget | freeze *now*"}
"""
    )
    out = report(str(path), "markdown")
    [row] = md_rows(out, "cost_per_hire ↔ nps")
    assert "OVERRIDES PRECEDENCE" in row[5]
    assert row[6] == "Budget \\| freeze \\*now\\*"  # escaped: the table keeps its 7 columns
    assert len(row) == 7


def test_impact_per_system(healthcare_md: str) -> None:
    section = md_section(healthcare_md, "Impact per system")
    assert "### claims_optimizer — Claims and billing optimizer (owner revenue_cycle)" in section
    [cost] = md_rows(section, "lower_episode_cost")
    assert cost[1] == "cost_per_episode ↓"
    assert cost[2] == "✗ not reached: patient.affordable_care"
    assert cost[3] == "insurer +100"
    assert cost[4] == "patient -15, health_authority -15"
    assert cost[6] == "UNGUARDED: patient, health_authority"
    [waits] = md_rows(section, "shorten_waits")
    assert waits[2] == "✓ patient.fast_access"
    assert waits[5] == "patient +69, health_authority +69"
    assert waits[6] == "guarded: patient, health_authority"
    [utilization] = md_rows(section, "maximize_utilization")
    assert utilization[4] == "physician -46"
    assert utilization[6] == "UNGUARDED: physician"
    [claims] = md_rows(section, "first_pass_acceptance")
    assert claims[6] == "no harm"


HARM = """\
customers:
  - {id: a, role: end_user}
  - {id: b, role: buyer}
metrics:
  - {id: x, direction: increase, serves: a, effects: {y: hurts}}
  - {id: y, direction: increase, serves: b}
systems:
  - id: s
    objectives:
      - {id: o, optimizes: x, serves: a, guardrails: [x]}
"""


def test_harm_waived_or_deselected_is_still_unguarded(
    write: Callable[..., Path], tmp_path: Path
) -> None:
    plain = write(HARM, "plain.yaml")
    [row] = md_rows(report(str(plain), "markdown"), "o")
    assert row[6] == "UNGUARDED: b"
    waived = write(
        HARM + "waivers:\n  - {rule: AA105, target: s.o, reason: pilot}\n", "waived.yaml"
    )
    [row] = md_rows(report(str(waived), "markdown"), "o")
    assert row[6] == "unguarded, waived: b"
    config = tmp_path / "cfg.toml"
    config.write_text('ignore = ["AA105"]\n', encoding="utf-8")
    [row] = md_rows(report(str(plain), "markdown", "--config", str(config)), "o")
    assert row[6] == "UNGUARDED: b"  # the fact does not depend on which rules run


def test_scorecard_balance(healthcare_md: str) -> None:
    section = md_section(healthcare_md, "Scorecard balance")
    assert md_rows(section, "physician") == [
        ["physician", "0", "1", "0", "UNBALANCED: all lagging"]
    ]
    assert md_rows(section, "patient") == [["patient", "3", "1", "0", "balanced"]]
    out = report(str(EXAMPLES / "customer-service.yaml"), "markdown")
    section = md_section(out, "Scorecard balance")
    assert md_rows(section, "consumer_regulator")[0][4] == "NOT MEASURED"


def test_alignment_summary(healthcare_md: str) -> None:
    section = md_section(healthcare_md, "Alignment summary")
    values = {
        cells[0]: cells[1]
        for line in section.splitlines()
        if line.startswith("| ")
        for cells in [[c.strip() for c in line.strip("|").split("|")]]
    }
    assert values["Metrics serving a customer"] == "9 of 10 (90%)"
    assert values["Objectives with guardrails"] == "5 of 6 (83%)"
    assert values["Objectives reaching their stakeholder"] == "5 of 6 (83%)"
    assert values["Conflicts decided"] == "3 of 5 (60%)"
    assert values["Findings: error"] == "5"
    assert values["Findings: warning"] == "5"
    assert values["Findings: info"] == "2"
    assert values["Findings waived"] == "1"


def test_text_is_plain_and_unwrapped(healthcare_text: str) -> None:
    assert "\x1b[" not in healthcare_text
    assert all(line == line.rstrip() for line in healthcare_text.splitlines())
    [line] = [ln for ln in healthcare_text.splitlines() if ln.startswith("health_authority ")][:1]
    assert re.search(r"\bregulator +1 +patient_safety, timely_access +3 +3 +1$", line)
    assert (
        "tradeoff (prefer readmission_rate_30d, decided by Chief Medical Officer, "
        "review by 2025-06-30, STALE)" in healthcare_text
    )


def test_empty_and_broken_organizations(write: Callable[..., Path]) -> None:
    empty = write("version: 1\n", "empty.yaml")
    for fmt in FORMATS:
        out = report(str(empty), fmt)
        assert "No customers are declared." in out
    broken = write(
        """\
customers: [{id: a, role: end_user}]
metrics:
  - {id: m, direction: sideways, serves: a}
  - {id: n, direction: increase, serves: [a, zz]}
systems:
  - id: s
    objectives:
      - {id: o, optimizes: m, serves: a}
      - {id: p, optimizes: n, serves: zz}
""",
        "broken.yaml",
    )
    out = report(str(broken), "markdown", input_errors=1)
    assert "**The picture is incomplete: 1 input error.**" in out
    assert "Not evaluated (the metric they optimize has errors): o." in out
    assert md_rows(out, "p")[0][2] == "?"


# -- html -------------------------------------------------------------------------------------
_CHECKED = {"html", "body", "section", "nav", "div", "figure", "table", "thead", "tbody", "tr"}
_CHECKED |= {"td", "th", "h1", "h2", "h3", "p", "span", "code", "svg", "style", "footer"}


class _Tags(HTMLParser):
    """Checks that the page's HTML elements nest and close properly."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.seen: set[str] = set()
        self.attrs: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.seen.add(tag)
        self.attrs.extend(attrs)
        if tag in _CHECKED:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.seen.add(tag)
        self.attrs.extend(attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in _CHECKED:
            assert self.stack and self.stack[-1] == tag, (self.stack[-3:], tag)
            self.stack.pop()


@pytest.mark.parametrize("path", EXAMPLE_ARGS, ids=lambda p: Path(p).name)
def test_html_is_self_contained(path: str) -> None:
    out = report(path, "html")
    assert out.startswith("<!DOCTYPE html>")
    urls = re.findall(r"https?://[^\s\"'<>)]*", out)
    assert set(urls) <= {"http://www.w3.org/2000/svg"}
    assert out.count("http://www.w3.org/2000/svg") == out.count("<svg")
    lowered = out.lower()
    for banned in ("<script", "<link", "@import", "<iframe", "<img", "@font-face"):
        assert banned not in lowered
    assert not re.search(r"url\(\s*['\"]?(?!#)", lowered)  # only same-document url(#id)
    tags = _Tags()
    tags.feed(out)
    tags.close()
    assert tags.stack == []
    assert {"style", "svg", "table"} <= tags.seen
    for name, value in tags.attrs:
        if name in {"src", "href"} and value is not None:
            assert value.startswith("#"), (name, value)


def test_html_has_cards_diagram_and_print_css() -> None:
    out = report(HEALTHCARE, "html")
    assert out.index('<div class="cards">') < out.index("<svg") < out.index("<h2>Stakeholder map")
    assert '<div class="big">60%</div><div class="label">Conflicts decided</div>' in out
    assert "@media print" in out and "break-inside: avoid" in out
    assert '<td class="mark direct">●</td>' in out
    assert '<span class="tag bad">unresolved</span>' in out
    assert "STALE" in out


def test_output_file_has_the_same_content(tmp_path: Path) -> None:
    for fmt in FORMATS:
        target = tmp_path / f"report.{fmt}"
        run = invoke("report", HEALTHCARE, "-f", fmt, "--today", TODAY, "-o", str(target))
        assert run.exit_code == 0, run.stderr
        assert run.stdout == ""
        assert target.read_text(encoding="utf-8") == report(HEALTHCARE, fmt)


@pytest.mark.parametrize("fmt", FORMATS)
def test_deterministic(fmt: str) -> None:
    assert report(HEALTHCARE, fmt) == report(HEALTHCARE, fmt)


def test_deterministic_across_hash_seeds(tmp_path: Path) -> None:
    outputs = set()
    for seed in ("0", "12345"):
        env = {**os.environ, "PYTHONHASHSEED": seed, "NO_COLOR": "1"}
        target = tmp_path / f"r{seed}.html"
        command = [PYTHON, "-m", "align_audit", "report", str(EXAMPLES / "config-repo")]
        command.extend(("-f", "html", "--today", TODAY, "-o", str(target)))
        done = subprocess.run(
            command,
            env=env,
            capture_output=True,
            timeout=120,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        outputs.add(target.read_bytes())
    assert len(outputs) == 1


# -- large organizations ----------------------------------------------------------------------
def _generate(n: int, target: Path) -> Path:
    done = subprocess.run(
        [PYTHON, str(ROOT / "bench" / "generate.py"), str(n)],
        capture_output=True,
        timeout=120,
        check=True,
    )
    target.write_bytes(done.stdout)
    return target


def test_many_metrics_summarize_the_matrix(tmp_path: Path) -> None:
    path = str(_generate(150, tmp_path / "org.yaml"))  # ~126 metrics, 3 customers
    text = report(path, "markdown")
    coverage = md_section(text, "Coverage matrix")
    assert "too many for a matrix (more than 40)" in coverage
    assert "| customer | measured for it ● | through effects only ○ |" in coverage
    html = report(path, "html")
    assert '<div class="matrix">' in html  # HTML keeps the matrix up to 200 metrics


def test_ten_thousand_declarations_do_not_hang(tmp_path: Path) -> None:
    path = str(_generate(10_000, tmp_path / "org.yaml"))
    for fmt in ("text", "html"):
        started = time.monotonic()
        out = report(path, fmt)
        assert time.monotonic() - started < 30
        assert "too many for a matrix" in out
    assert "too many to draw legibly" in out  # no 10k-node diagram


# -- a real browser renders the page -----------------------------------------------------------
def _chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return found
    return None


def _png_colours(data: bytes, max_rows: int = 320) -> tuple[int, int, int]:
    """(width, height, distinct colours in the first ``max_rows`` rows) of an 8-bit RGB(A)
    PNG, decoded with zlib and struct only."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, header = 8, bytearray(), b""
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind = data[pos + 4 : pos + 8]
        chunk = data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            header = chunk
        elif kind == b"IDAT":
            idat += chunk
        pos += 12 + length
    width, height, depth, colour_type, _, _, interlace = struct.unpack(">IIBBBBB", header)
    assert depth == 8 and colour_type in (2, 6) and interlace == 0
    bpp = 3 if colour_type == 2 else 4
    raw = zlib.decompress(bytes(idat))
    stride = width * bpp
    previous = bytearray(stride)
    colours: set[bytes] = set()
    for y in range(min(height, max_rows)):
        start = y * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1 : start + 1 + stride])
        if kind == 1:
            for i in range(bpp, stride):
                line[i] = (line[i] + line[i - bpp]) & 0xFF
        elif kind == 2:
            line = bytearray((a + b) & 0xFF for a, b in zip(line, previous, strict=True))
        elif kind == 3:
            for i in range(stride):
                left = line[i - bpp] if i >= bpp else 0
                line[i] = (line[i] + ((left + previous[i]) >> 1)) & 0xFF
        elif kind == 4:
            for i in range(stride):
                a = line[i - bpp] if i >= bpp else 0
                b = previous[i]
                c = previous[i - bpp] if i >= bpp else 0
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                line[i] = (line[i] + pred) & 0xFF
        colours.update(bytes(line[i : i + 3]) for i in range(0, stride, bpp))
        previous = line
    return width, height, len(colours)


def test_chromium_renders_the_report(tmp_path: Path) -> None:
    browser = _chromium()
    if browser is None:
        pytest.skip("chromium is not installed")
    page = tmp_path / "report.html"
    run = invoke("report", HEALTHCARE, "-f", "html", "--today", TODAY, "-o", str(page))
    assert run.exit_code == 0, run.stderr
    shot = tmp_path / "shot.png"
    command = [
        browser,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={tmp_path / 'profile'}",
        "--window-size=1400,2000",
        f"--screenshot={shot}",
        page.as_uri(),
    ]
    subprocess.run(command, capture_output=True, timeout=90, check=False)
    assert shot.exists(), "chromium wrote no screenshot"
    data = shot.read_bytes()
    assert len(data) > 20_000
    width, height, colours = _png_colours(data)
    assert (width, height) == (1400, 2000)
    assert colours > 10, "the screenshot is blank"


def test_png_decoder_on_a_tiny_image() -> None:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + b"\0\0\0\0"

    rows = b"\x00" + bytes([255, 0, 0, 0, 255, 0]) + b"\x01" + bytes([1, 2, 3, 4, 4, 4])
    png = (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )
    assert _png_colours(png) == (2, 2, 4)  # red, green, (1,2,3), (5,6,7)


# -- findings to decide ------------------------------------------------------------------------


def test_findings_section_groups_by_system_and_customer_errors_first() -> None:
    out = report(HEALTHCARE, "markdown")
    section = out.split("## Findings to decide", 1)[1]
    groups = re.findall(r"^### (.+?) \((.+?)\)$", section, re.MULTILINE)
    titles = [title for title, _ in groups]
    assert titles[:2] == ["System claims_optimizer", "System scheduling"]
    assert titles.index("Metrics") < titles.index("Customer patient")  # errors before info
    assert ("System claims_optimizer", "3 errors") in groups
    first = section.split("### System scheduling", 1)[1].split("###", 1)[0]
    assert first.index("AA105") < first.index("AA106")  # the error before the warning
    assert "help: add a guardrail metric measured for physician.manageable_workload" in first
    assert "(examples/healthcare.yaml:179)" in first or "healthcare.yaml:179" in first


def test_findings_section_of_a_clean_organization() -> None:
    for fmt in FORMATS:
        out = report(str(EXAMPLES / "clean.yaml"), fmt)
        assert "No findings: nothing to decide." in out


def test_findings_section_in_html_has_hints_and_places() -> None:
    out = report(HEALTHCARE, "html")
    section = out.split('<section id="findings">', 1)[1].split("</section>", 1)[0]
    assert section.count("<li>") == 12
    assert section.count('class="hint"') == 12
    assert '<a href="#findings">Findings to decide</a>' in out


# -- impact per customer -----------------------------------------------------------------------


def test_what_all_systems_do_to_the_regulator() -> None:
    out = report(HEALTHCARE, "markdown")
    section = out.split("## Impact per customer", 1)[1].split("\n## ", 1)[0]
    regulator = section.split("### health_authority (regulator, rank 1)", 1)[1].split("###")[0]
    rows = md_rows(regulator, "claims_optimizer.lower_episode_cost")
    assert rows == [
        [
            "claims_optimizer.lower_episode_cost",
            "cost_per_episode",
            "worsens, UNGUARDED",
            "-15",
            "cost_per_episode → length_of_stay → readmission_rate_30d → "
            "health_authority.patient_safety → health_authority",
        ]
    ]
    claimed = md_rows(regulator, "✓ triage_assistant.accurate_acuity")
    assert claimed and claimed[0][2] == "mixed"


def test_a_customer_no_objective_reaches(write: Callable[..., Path]) -> None:
    path = write(
        "customers: [{id: a, role: buyer}, {id: b, role: regulator}]\n"
        "metrics:\n"
        "  - {id: m, direction: increase, serves: a}\n"
        "  - {id: n, direction: increase, serves: b}\n"
        "systems: [{id: s, objectives: [{id: o, optimizes: m, serves: a, guardrails: [n]}]}]\n"
    )
    for fmt in FORMATS:
        out = report(str(path), fmt)
        assert "No AI objective reaches this customer." in out  # b
    assert "✓ s.o" in report(str(path), "text")


def test_a_matrix_of_many_customers_narrows_its_columns(write: Callable[..., Path]) -> None:
    customers = "".join(f"  - {{id: segment_{i:02d}, role: buyer}}\n" for i in range(30))
    metrics = "".join(
        f"  - {{id: metric_{j:02d}, direction: increase, serves: segment_{j:02d}}}\n"
        for j in range(30)
    )
    path = write(f"customers:\n{customers}metrics:\n{metrics}")
    out = report(str(path), "html")
    assert '<div class="matrix"><table class="dense">' in out
    assert '<table class="dense">' not in report(HEALTHCARE, "html")  # near miss: 4 customers


def test_a_large_organization_is_drawn_as_systems_and_customers(
    write: Callable[..., Path],
) -> None:
    metrics = "".join(
        f"  - {{id: m{j:03d}, direction: increase, serves: c{j % 2}}}\n" for j in range(170)
    )
    path = write(
        "customers: [{id: c0, role: buyer}, {id: c1, role: regulator}]\n"
        f"metrics:\n{metrics}"
        "  - {id: harm, direction: increase, serves: c0, effects: {c1: hurts}}\n"
        "systems:\n"
        "  - id: s\n"
        "    objectives:\n"
        "      - {id: o, optimizes: harm, serves: c0, guardrails: [m000]}\n"
        "      - {id: p, optimizes: m001, serves: c0, guardrails: [m000]}\n"  # false claim
    )
    out = report(str(path), "html")
    figure = out.split('<figure class="diagram">', 1)[1].split("</figure>", 1)[0]
    assert "too many to draw legibly" in figure
    ids = re.findall(r'<g class="node node-(\w+)" data-id="([^"]+)"', figure)
    assert sorted(ids) == [("customer", "c0"), ("customer", "c1"), ("system", "s")]
    red = re.findall(r'data-id="([^"]+)"><title>[^<]*</title><rect [^>]*stroke="#d50000"', figure)
    assert sorted(red) == ["c1", "s"]  # harmed customer; system with a false claim and harm


def test_text_escapes_control_characters_in_headings(write: Callable[..., Path]) -> None:
    """A system's and a customer's heading quote the user's names: an escape sequence or a
    tab is shown escaped, never passed to the terminal (SPEC §6)."""
    path = write(
        "customers:\n"
        '  - {id: c, role: end_user, name: "cli\\e[2Jent"}\n'
        "metrics:\n  - {id: m, direction: increase, serves: c}\n"
        "systems:\n"
        '  - id: s\n    name: "bad\\e[31mname\\ttab"\n    owner: "own\\ber"\n'
        "    objectives:\n      - {id: o, optimizes: m, serves: c}\n"
    )
    text = report(str(path), "text")
    assert "\x1b" not in text and "\t" not in text and "\x08" not in text
    assert "s — bad\\x1b[31mname\\ttab (owner own\\x08er)" in text
    assert "cli\\x1b[2Jent" in text
