"""``align-audit serve`` (SPEC §4.1): the real server in a subprocess, the page in headless
Chromium (Debian's, driven by playwright), files edited on disk while it watches."""

from __future__ import annotations

import http.client
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

ORG = """\
customers:
  - id: patient
    role: end_user
    outcomes: [recovery]
  - id: regulator
    role: regulator
    outcomes: [safety]
metrics:
  - id: recovery_rate
    direction: increase
    kind: lagging
    serves: patient.recovery
  - id: incident_rate
    direction: decrease
    kind: leading
    serves: [regulator.safety, patient.recovery]
systems:
  - id: triage
    users: [patient]
    objectives:
      - id: fast_recovery
        optimizes: recovery_rate
        serves: patient
        guardrails: [incident_rate]
"""
ORPHAN = "  - id: orphan_metric\n    direction: increase\n"


class Served:
    """A running ``align-audit serve`` and the address it listens on."""

    def __init__(self, process: subprocess.Popen[str], url: str, folder: Path) -> None:
        self.process, self.url, self.folder = process, url, folder
        self.host, _, port = url.removeprefix("http://").rstrip("/").rpartition(":")
        self.port = int(port)

    def get(self, path: str, host: str | None = None) -> tuple[int, str]:
        """A raw request: the path is sent exactly as given (no client-side normalization)."""
        connection = http.client.HTTPConnection(self.host, self.port, timeout=5)
        headers = {"Host": host} if host else {}
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        body = response.read().decode("utf-8", "replace")
        connection.close()
        return response.status, body


def _start(folder: Path, *args: str) -> Served:
    process = subprocess.Popen(
        [sys.executable, "-m", "align_audit", "serve", *args, "--port", "0"],
        cwd=folder,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    assert process.stderr is not None
    line = process.stderr.readline()
    assert "serving http://" in line, line + process.stderr.read()
    return Served(process, line.split("serving ", 1)[1].split(" ", 1)[0], folder)


def _stop(served: Served) -> str:
    served.process.send_signal(signal.SIGINT)
    _, err = served.process.communicate(timeout=10)
    return err


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    pytest.importorskip("uvicorn")
    (tmp_path / "org.yaml").write_text(ORG, encoding="utf-8")
    (tmp_path / "secret.txt").write_text("not for the page\n", encoding="utf-8")
    running = _start(tmp_path, "org.yaml")
    yield running
    if running.process.poll() is None:
        _stop(running)


def test_only_the_page_its_script_and_its_events_are_served(served: Served) -> None:
    assert served.host == "127.0.0.1"  # loopback unless --host says otherwise
    assert served.get("/")[0] == 200
    assert served.get("/live.js")[0] == 200
    status, body = served.get("/view?name=customer:regulator")
    assert status == 200 and "What our AI systems do to regulator" in body
    for path in (
        "/org.yaml",
        "/secret.txt",
        "/../org.yaml",
        "/..%2forg.yaml",
        "/%2e%2e/%2e%2e/etc/passwd",
        "//etc/passwd",
        "/etc/passwd",
        f"/{served.folder}/org.yaml",
        "/view/../org.yaml",
        "/view?name=../../org.yaml",
        "/view?name=customer:../../etc/passwd",
        "/static/",
        "/live.js/../org.yaml",
    ):
        status, body = served.get(path)
        assert status == 404, path
        assert "customers:" not in body and "not for the page" not in body
    assert served.get("/", host="attacker.example")[0] == 400  # no DNS rebinding


def test_the_page_runs_only_its_own_script(served: Served) -> None:
    connection = http.client.HTTPConnection(served.host, served.port, timeout=5)
    connection.request("GET", "/")
    response = connection.getresponse()
    policy = response.getheader("Content-Security-Policy") or ""
    assert "default-src 'none'" in policy and "script-src 'self'" in policy
    assert '<script src="live.js"></script>' in response.read().decode("utf-8")


def test_ctrl_c_stops_cleanly(served: Served) -> None:
    err = _stop(served)
    assert served.process.returncode == 0
    assert "Traceback" not in err and err.endswith("align-audit: stopped\n")


def test_a_port_in_use_is_one_line(served: Served) -> None:
    run = subprocess.run(
        [sys.executable, "-m", "align_audit", "serve", "org.yaml", "--port", str(served.port)],
        cwd=served.folder,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert run.returncode == 2
    assert run.stderr.startswith(f"align-audit: error: cannot listen on 127.0.0.1:{served.port}")
    assert run.stderr.count("\n") == 1


def test_another_host_is_served_with_a_warning(tmp_path: Path) -> None:
    pytest.importorskip("uvicorn")
    (tmp_path / "org.yaml").write_text(ORG, encoding="utf-8")
    process = subprocess.Popen(
        [sys.executable, "-m", "align_audit", "serve", "org.yaml", "--host", "0.0.0.0", "--port=0"],
        cwd=tmp_path,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    assert process.stderr is not None
    first = process.stderr.readline()
    assert first.startswith("align-audit: warning: serving on 0.0.0.0: anyone who can reach")
    assert "serving http://0.0.0.0:" in process.stderr.readline()
    process.send_signal(signal.SIGINT)
    process.communicate(timeout=10)


def _chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    pytest.skip("chromium is not installed")


def test_the_page_follows_the_files_and_keeps_the_view(served: Served, tmp_path: Path) -> None:
    playwright = pytest.importorskip("playwright.sync_api")
    org = served.folder / "org.yaml"
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=_chromium(), args=["--no-sandbox"])
        # playwright's waiting evaluates strings, which the page's policy forbids (tested below)
        page = browser.new_page(viewport={"width": 1280, "height": 720}, bypass_csp=True)
        page.goto(served.url)
        page.wait_for_selector("nav.views")
        assert "orphan_metric" not in page.inner_text("#live")

        # a new finding appears without a reload, within 2 s
        generation = page.get_attribute("body", "data-generation")
        started = time.monotonic()
        org.write_text(ORG.replace("systems:", ORPHAN + "systems:"), encoding="utf-8")
        page.wait_for_function(
            "document.getElementById('live').innerText.includes('orphan_metric')", timeout=2000
        )
        assert time.monotonic() - started < 2
        assert page.get_attribute("body", "data-generation") != generation

        # mid-edit and broken: the banner, over the last good picture
        org.write_text(ORG + "  - id: [broken\n", encoding="utf-8")
        page.wait_for_selector("div.banner", timeout=2000)
        banner = page.inner_text("div.banner")
        assert "cannot be fully read" in banner and "AA001" in banner
        assert "orphan_metric" in page.inner_text("#live")  # the last good picture

        # a customer view survives the next edits
        page.select_option("select[data-kind=customer]", "customer:regulator")
        page.wait_for_selector("#customer h2")
        assert page.inner_text("#customer h2") == "What our AI systems do to regulator"
        page.evaluate("window.scrollTo(0, 120)")
        org.write_text(ORG, encoding="utf-8")
        page.wait_for_function("!document.querySelector('div.banner')", timeout=2000)
        assert page.evaluate("location.hash") == "#/customer:regulator"
        assert page.inner_text("#customer h2") == "What our AI systems do to regulator"

        # the other views
        for choice, heading in (("system:triage", "System triage"),):
            page.select_option("select[data-kind=system]", choice)
            page.wait_for_selector("#system h2")
            assert page.inner_text("#system h2") == heading
        page.click("a.view[href='#/diagram']")
        page.wait_for_selector("#diagram svg")
        browser.close()


def test_serve_without_the_extra_is_one_line(tmp_path: Path) -> None:
    """The [serve] extra missing: one line, exit 2 (its modules hidden from the interpreter)."""
    (tmp_path / "org.yaml").write_text(ORG, encoding="utf-8")
    blocker = tmp_path / "blocker"
    blocker.mkdir()
    (blocker / "sitecustomize.py").write_text(
        "import sys\n"
        "class Block:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name.split('.')[0] in ('uvicorn', 'starlette', 'watchfiles'):\n"
        "            raise ModuleNotFoundError(name)\n"
        "sys.meta_path.insert(0, Block())\n",
        encoding="utf-8",
    )
    env = {**os.environ, "PYTHONPATH": str(blocker)}
    run = subprocess.run(
        [sys.executable, "-m", "align_audit", "serve", "org.yaml"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env=env,
        timeout=30,
    )
    assert run.returncode == 2
    assert run.stderr == (
        "align-audit: error: serve needs the optional extra: pip install 'align-audit[serve]'\n"
    )
