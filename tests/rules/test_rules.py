"""Rules AA008–AA009, AA101–AA113, AA201–AA205 and AA301–AA306, one fixture file per case.

Fixtures live in ``fixtures/AAxxx/fires/*.yaml`` and ``fixtures/AAxxx/passes/*.yaml``; a CSV of
the same name beside one is its observed data (``--data``, made by
``fixtures/evidence/generate.py``). Their comment header states what the real CLI must report
(``--today 2026-12-01``):

    # expect: AA105 error support_bot.fast line=12 col=20 related=patient trace=a,b,patient
    # expect: AA008 error orders line=7 file=catalogs/dbt.json
    # absent: AA102 [entity]

(``file``: a finding in another file than the fixture, such as a metric catalog beside it.)

For every code named by an ``expect`` line, the findings of that code must be exactly the
expected ones (code, severity, entity, line; column, related entities and trace when given).
A ``fires`` fixture must expect its directory's code; a ``passes`` fixture must not report it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from conftest import invoke

FIXTURES = Path(__file__).resolve().parent / "fixtures"
TODAY = "2026-12-01"
RULE_CODES = (
    ["AA008", "AA009"]
    + [f"AA1{n:02d}" for n in range(1, 14)]
    + [f"AA20{n}" for n in range(1, 6)]
    + [f"AA30{n}" for n in range(1, 7)]
)

_EXPECT = re.compile(r"^#\s*expect:\s*(?P<body>.+?)\s*$")
_ABSENT = re.compile(r"^#\s*absent:\s*(?P<code>AA\d{3})(?:\s+(?P<entity>\S+))?\s*$")


@dataclass(frozen=True)
class Expected:
    code: str
    severity: str
    entity: str
    line: int
    column: int | None = None
    related: tuple[str, ...] | None = None
    trace: tuple[str, ...] | None = None
    file: str | None = None

    def matches(self, finding: dict[str, Any], home: Path) -> bool:
        """Whether ``finding`` is this one; ``home`` is the fixture (``file`` is beside it)."""
        where = home.parent / self.file if self.file is not None else home
        if Path(finding["path"]).resolve() != where.resolve():
            return False
        if (finding["code"], finding["severity"], finding["line"]) != (
            self.code,
            self.severity,
            self.line,
        ):
            return False
        # A file path entity is shown relative to where the CLI runs: match its tail.
        entity = finding["entity"]
        if entity != self.entity and not (
            "/" in self.entity and entity.endswith("/" + self.entity)
        ):
            return False
        if self.column is not None and finding["column"] != self.column:
            return False
        if self.related is not None and tuple(r["entity"] for r in finding["related"]) != (
            self.related
        ):
            return False
        return self.trace is None or tuple(finding["trace"]) == self.trace


@dataclass
class Header:
    expected: list[Expected] = field(default_factory=list)
    absent: list[tuple[str, str | None]] = field(default_factory=list)


def parse_header(path: Path) -> Header:
    header = Header()
    for raw in path.read_text(encoding="utf-8").splitlines():
        if not raw.startswith("#"):
            continue
        if match := _ABSENT.match(raw):
            header.absent.append((match["code"], match["entity"]))
            continue
        match = _EXPECT.match(raw)
        if not match:
            continue
        code, severity, entity, *options = match["body"].split()
        values = dict(option.split("=", 1) for option in options)
        unknown = set(values) - {"line", "col", "related", "trace", "file"}
        assert not unknown, f"{path}: unknown expect option(s) {unknown}"
        assert re.fullmatch(r"AA\d{3}", code), raw
        assert severity in ("error", "warning", "info"), raw
        header.expected.append(
            Expected(
                code,
                severity,
                entity,
                int(values["line"]),
                int(values["col"]) if "col" in values else None,
                tuple(values["related"].split(",")) if "related" in values else None,
                tuple(values["trace"].split(",")) if "trace" in values else None,
                values.get("file"),
            )
        )
    return header


def _fixtures(kind: str) -> list[Any]:
    return [
        pytest.param(path, id=f"{path.parent.parent.name}-{path.stem}")
        for path in sorted(FIXTURES.glob(f"AA*/{kind}/*.yaml"))
    ]


def _with_data(path: Path) -> list[str]:
    data = path.with_suffix(".csv")
    return [str(path), "--data", str(data)] if data.exists() else [str(path)]


def check(*args: str) -> list[dict[str, Any]]:
    run = invoke("check", *args, "--format", "json", "--today", TODAY, "--fail-on", "never")
    assert run.exit_code == 0, run.stderr
    return run.findings()


def _show(findings: list[dict[str, Any]]) -> str:
    return "\n".join(
        f"  {f['code']} {f['severity']} {f['entity']} line={f['line']} col={f['column']} "
        f"related={','.join(r['entity'] for r in f['related'])} trace={','.join(f['trace'])}"
        for f in findings
    )


def assert_header(path: Path, findings: list[dict[str, Any]], header: Header) -> None:
    for code in sorted({e.code for e in header.expected}):
        actual = [f for f in findings if f["code"] == code]
        expected = [e for e in header.expected if e.code == code]
        unmatched = list(actual)
        for exp in expected:
            hit = next((f for f in unmatched if exp.matches(f, path)), None)
            assert hit is not None, f"{path.name}: no finding matches {exp}; got:\n{_show(actual)}"
            unmatched.remove(hit)
        assert not unmatched, f"{path.name}: unexpected {code} findings:\n{_show(unmatched)}"
    for code, entity in header.absent:
        present = [f for f in findings if f["code"] == code and entity in (None, f["entity"])]
        assert not present, f"{path.name}: {code} should be absent:\n{_show(present)}"
    # Every finding carries the SPEC §3.2 fields a user relies on.
    for finding in findings:
        shown = Path(finding["path"]).resolve()
        assert shown == path.resolve() or path.parent in shown.parents
        assert finding["message"] and finding["name"] and len(finding["fingerprint"]) >= 16


@pytest.mark.parametrize("path", _fixtures("fires"))
def test_fires(path: Path) -> None:
    code = path.parent.parent.name
    header = parse_header(path)
    assert any(e.code == code for e in header.expected), f"{path}: expects no {code} finding"
    assert_header(path, check(*_with_data(path)), header)


@pytest.mark.parametrize("path", _fixtures("passes"))
def test_passes(path: Path) -> None:
    code = path.parent.parent.name
    header = parse_header(path)
    assert all(e.code != code for e in header.expected), f"{path}: a passes fixture expects {code}"
    findings = check(*_with_data(path))
    assert [f for f in findings if f["code"] == code] == [], _show(findings)
    assert_header(path, findings, header)


@pytest.mark.parametrize("code", RULE_CODES)
def test_every_rule_has_fixtures(code: str) -> None:
    assert list((FIXTURES / code / "fires").glob("*.yaml")), f"{code}: no firing fixture"
    assert list((FIXTURES / code / "passes").glob("*.yaml")), f"{code}: no near-miss fixture"


def test_header_parser_rejects_mismatch(tmp_path: Path) -> None:
    """The header check itself can fail: a wrong line, a missing or an extra finding."""
    path = tmp_path / "org.yaml"
    path.write_text("metrics:\n  - {id: m, direction: increase}\n", encoding="utf-8")
    findings = check(str(path))
    assert_header(path, findings, Header([Expected("AA101", "error", "m", 2)]))
    for wrong in (
        Header([Expected("AA101", "error", "m", 3)]),
        Header([Expected("AA101", "warning", "m", 2)]),
        Header([Expected("AA101", "error", "m", 2), Expected("AA101", "error", "m", 2)]),
        Header([], [("AA101", None)]),
        Header([], [("AA101", "m")]),
    ):
        with pytest.raises(AssertionError):
            assert_header(path, findings, wrong)


# -- selection, ignore and severity configuration -----------------------------------------------

# AA101 (error), AA107 (warning) and AA205 (warning) from one file.
MIXED = FIXTURES / "AA205" / "fires" / "expired.yaml"


def _codes(findings: list[dict[str, Any]]) -> list[str]:
    return sorted(f["code"] for f in findings)


def test_mixed_fixture_baseline() -> None:
    assert _codes(check(str(MIXED))) == ["AA101", "AA107", "AA205"]


def test_select_prefix() -> None:
    assert _codes(check(str(MIXED), "--select", "AA1")) == ["AA101", "AA107"]
    assert _codes(check(str(MIXED), "--select", "AA2")) == ["AA205"]


def test_select_by_name_and_code() -> None:
    assert _codes(check(str(MIXED), "--select", "unserved-metric,AA205")) == ["AA101", "AA205"]


def test_ignore_by_name() -> None:
    assert _codes(check(str(MIXED), "--ignore", "unserved-metric")) == ["AA107", "AA205"]


def test_select_and_ignore() -> None:
    assert _codes(check(str(MIXED), "--select", "AA1", "--ignore", "AA107")) == ["AA101"]


def test_unknown_selector_exits_2() -> None:
    run = invoke("check", str(MIXED), "--select", "AA9", "--today", TODAY)
    assert run.exit_code == 2
    assert "AA9" in run.stderr


def test_severity_override_in_config(tmp_path: Path) -> None:
    config = tmp_path / "align-audit.toml"
    config.write_text(
        '[severity]\nAA101 = "warning"\nunmeasured-customer = "info"\n', encoding="utf-8"
    )
    findings = check(str(MIXED), "--config", str(config))
    assert {f["code"]: f["severity"] for f in findings} == {
        "AA101": "warning",
        "AA107": "info",
        "AA205": "warning",
    }
    # Without errors left, the default --fail-on error passes; without the config it fails.
    assert invoke("check", str(MIXED), "--today", TODAY, "--config", str(config)).exit_code == 0
    assert invoke("check", str(MIXED), "--today", TODAY).exit_code == 1


def test_severity_override_beats_role_dependent_severity(tmp_path: Path) -> None:
    config = tmp_path / "align-audit.toml"
    config.write_text('[severity]\nAA107 = "info"\n', encoding="utf-8")
    regulator = FIXTURES / "AA107" / "fires" / "regulator.yaml"
    assert [f["severity"] for f in check(str(regulator))] == ["error"]
    assert [f["severity"] for f in check(str(regulator), "--config", str(config))] == ["info"]


def test_config_select_and_command_line_wins(tmp_path: Path) -> None:
    config = tmp_path / "align-audit.toml"
    config.write_text('select = ["AA2"]\n', encoding="utf-8")
    assert _codes(check(str(MIXED), "--config", str(config))) == ["AA205"]
    assert _codes(check(str(MIXED), "--config", str(config), "--select", "AA107")) == ["AA107"]


def test_waiver_of_deselected_rule_is_not_unused() -> None:
    """A waiver for a rule that does not run cannot be judged unused."""
    path = FIXTURES / "AA204" / "fires" / "nothing-to-suppress.yaml"
    assert _codes(check(str(path))) == ["AA204"]
    assert _codes(check(str(path), "--ignore", "AA101")) == []
