"""Configuration: discovery of the config file and its merge with command-line options.

Precedence: command line > ``--config FILE`` > nearest ``align-audit.toml`` /
``.align-audit.toml`` > ``[tool.align-audit]`` of the nearest ``pyproject.toml`` (searching
upward from the working directory) > defaults.
"""

from __future__ import annotations

import datetime as dt
import difflib
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from align_audit.errors import AuditError
from align_audit.findings import Severity
from align_audit.loading.discovery import DEFAULT_EXCLUDE, read_regular
from align_audit.loading.limits import Limits

CONFIG_NAMES = ("align-audit.toml", ".align-audit.toml")
FAIL_ON_CHOICES = ("error", "warning", "info", "never")
_KEYS = {
    "select",
    "ignore",
    "fail-on",
    "severity",
    "baseline",
    "new-from-rev",
    "max-file-size",
    "max-depth",
    "max-alias-nodes",
    "exclude",
    "extend-exclude",
    "data",
    "data-query",
    "max-data-size",
    "evidence",
}
CONFIG_LIMIT = 10_000_000
"""Largest configuration file read (bytes)."""


@dataclass(frozen=True, slots=True)
class EvidenceParameters:
    """The ``[evidence]`` table (SPEC §7.2, §7.3), with the specification's defaults."""

    min_periods: int = 12
    """Fewest improvements a lag needs to be tried (at least 3: Spearman's p needs them)."""
    max_lag: int = 1
    """Largest lag tried, in periods (m leads n)."""
    alpha: float = 0.05
    """Largest q-value (or trend p-value) that is significant."""
    min_correlation: float = 0.3
    """Smallest |ρ| that is significant."""
    window: int = 12
    """Periods of the recent window a trend is measured over (at least 3)."""


_EVIDENCE_KEYS = {
    "min-periods": ("min_periods", int, 3, None),
    "max-lag": ("max_lag", int, 0, None),
    "alpha": ("alpha", float, 0.0, 1.0),
    "min-correlation": ("min_correlation", float, 0.0, 1.0),
    "window": ("window", int, 3, None),
}


def _evidence_parameters(path: Path, table: Any) -> EvidenceParameters:
    if not isinstance(table, dict):
        raise AuditError(f"{path}: 'evidence' must be a table ([evidence])")
    values: dict[str, Any] = {}
    for key, value in table.items():
        if key not in _EVIDENCE_KEYS:
            raise AuditError(
                f"{path}: unknown key evidence.{key} (known: {', '.join(_EVIDENCE_KEYS)})"
            )
        attr, kind, low, high = _EVIDENCE_KEYS[key]
        number = isinstance(value, int | float) and not isinstance(value, bool)
        if kind is int:
            number = number and isinstance(value, int)
        span = f"at least {low}" if high is None else f"between {low} and {high}"
        if not number or value < low or (high is not None and value > high):
            raise AuditError(f"{path}: evidence.{key} must be a number {span}, got {value!r}")
        values[attr] = kind(value)
    return EvidenceParameters(**values)


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything that changes what the audit reports."""

    select: tuple[str, ...] = ()
    """Rule selectors to run (codes, prefixes, names); empty = all."""
    ignore: tuple[str, ...] = ()
    """Rule selectors to skip."""
    fail_on: str = "error"
    """Lowest severity that makes the exit code 1; ``never`` for always 0."""
    severity: dict[str, Severity] = field(default_factory=dict)
    """Per-rule severity overrides (selector → level)."""
    baseline: Path | None = None
    """Baseline file of accepted findings."""
    new_from_rev: str | None = None
    """``check`` reports only findings that do not occur at this git revision (SPEC §9)."""
    limits: Limits = field(default_factory=Limits)
    """Parser limits (SPEC §6)."""
    today: dt.date = field(default_factory=dt.date.today)
    """The audit date; stale tradeoffs and expired waivers are judged against it."""
    config_path: Path | None = None
    """The configuration file that was read, if any."""
    exclude: tuple[str, ...] = DEFAULT_EXCLUDE
    """Globs of files and folders skipped when a directory is searched (replaces the default
    of hidden ones)."""
    extend_exclude: tuple[str, ...] = ()
    """More globs to skip, in addition to ``exclude``."""
    data: tuple[Path, ...] = ()
    """Observed-data files (SPEC §7.1); evidence rules run only when some are given."""
    data_query: str | None = None
    """SQL run against a DuckDB data file instead of reading ``align_audit_metrics``."""
    max_data_size: int = 500_000_000
    """Largest data file read, in bytes."""
    evidence: EvidenceParameters = field(default_factory=EvidenceParameters)
    """How the evidence rules test the data (SPEC §7.2)."""

    @property
    def excluded(self) -> tuple[str, ...]:
        """Every glob skipped when searching a directory."""
        return (*self.exclude, *self.extend_exclude)

    def with_options(self, **options: Any) -> Settings:
        """Command-line options win over the file; ``None`` means "not given"."""
        return replace(self, **{k: v for k, v in options.items() if v is not None})


def find_config(start: Path) -> tuple[Path, dict[str, Any]] | None:
    """The nearest configuration upward from ``start``: (path, the align-audit table)."""
    for folder in (start, *start.parents):
        for name in CONFIG_NAMES:
            candidate = folder / name
            if candidate.is_file():
                return candidate, _read_toml(candidate)
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file():
            table = _read_toml(pyproject).get("tool", {}).get("align-audit")
            if isinstance(table, dict):
                return pyproject, table
    return None


def _read_toml(path: Path) -> dict[str, Any]:
    data = read_regular(path, CONFIG_LIMIT, "config file")
    if len(data) > CONFIG_LIMIT:
        raise AuditError(f"config file {path} is larger than {CONFIG_LIMIT:,} bytes")
    try:
        return tomllib.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise AuditError(f"config file {path} is not UTF-8 text") from None
    except (tomllib.TOMLDecodeError, RecursionError) as exc:
        raise AuditError(f"invalid TOML in config file {path}: {exc}") from None


def _words(value: object) -> tuple[str, ...] | None:
    """A comma-separated string or a list/tuple of strings → stripped words; None otherwise.
    One reading for the config file and the Python API."""
    if isinstance(value, str):
        value = value.split(",")
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        return None
    return tuple(v.strip() for v in value if v.strip())


def _str_list(path: Path, key: str, value: Any) -> tuple[str, ...]:
    words = _words(value)
    if words is None:
        raise AuditError(f"{path}: '{key}' must be a list of rule codes, prefixes or names")
    return words


def _globs(path: Path, key: str, value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise AuditError(f"{path}: '{key}' must be a list of glob patterns, e.g. [\"docs/*\"]")
    return tuple(value)


def _positive_int(path: Path, key: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise AuditError(f"{path}: '{key}' must be a positive integer")
    return value


def parse_fail_on(value: str, where: str = "--fail-on") -> str:
    """Validate a fail-on level."""
    text = value.strip().lower()
    if text not in FAIL_ON_CHOICES:
        raise AuditError(f"{where}: expected one of {', '.join(FAIL_ON_CHOICES)}, got {value!r}")
    return text


def parse_date(value: str, where: str = "--today") -> dt.date:
    """Read a YYYY-MM-DD date."""
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise AuditError(f"{where}: expected a date YYYY-MM-DD, got {value!r}") from None


def settings_from_table(path: Path, table: dict[str, Any]) -> Settings:
    """Settings from a config table; unknown keys and bad values are errors (exit 2)."""
    unknown = sorted(set(table) - _KEYS)
    if unknown:
        close = difflib.get_close_matches(unknown[0].replace("_", "-"), sorted(_KEYS), n=1)
        hint = f"did you mean {close[0]!r}? " if close else ""
        raise AuditError(
            f"{path}: unknown configuration key {unknown[0]!r} ({hint}known: "
            f"{', '.join(sorted(_KEYS))})"
        )
    settings = Settings(config_path=path)
    updates: dict[str, Any] = {}
    if "select" in table:
        updates["select"] = _str_list(path, "select", table["select"])
    if "ignore" in table:
        updates["ignore"] = _str_list(path, "ignore", table["ignore"])
    for key, attr in (("exclude", "exclude"), ("extend-exclude", "extend_exclude")):
        if key in table:
            updates[attr] = _globs(path, key, table[key])
    if "data" in table:
        files = table["data"]
        if not isinstance(files, list) or not all(isinstance(f, str) and f for f in files):
            raise AuditError(f"{path}: 'data' must be a list of file paths")
        updates["data"] = tuple(path.parent / f for f in files)  # relative to the config
    if "data-query" in table:
        if not isinstance(table["data-query"], str) or not table["data-query"].strip():
            raise AuditError(f"{path}: 'data-query' must be an SQL query")
        updates["data_query"] = table["data-query"]
    if "max-data-size" in table:
        updates["max_data_size"] = _positive_int(path, "max-data-size", table["max-data-size"])
    if "evidence" in table:
        updates["evidence"] = _evidence_parameters(path, table["evidence"])
    if "fail-on" in table:
        if not isinstance(table["fail-on"], str):
            raise AuditError(f"{path}: 'fail-on' must be a string")
        updates["fail_on"] = parse_fail_on(table["fail-on"], f"{path}: fail-on")
    if "severity" in table:
        levels = table["severity"]
        if not isinstance(levels, dict):
            raise AuditError(f"{path}: 'severity' must be a table of rule → error|warning|info")
        parsed: dict[str, Severity] = {}
        for rule, level in levels.items():
            try:
                parsed[str(rule)] = Severity.parse(str(level))
            except ValueError as exc:
                raise AuditError(f"{path}: severity.{rule}: {exc}") from None
        updates["severity"] = parsed
    if "baseline" in table:
        if not isinstance(table["baseline"], str):
            raise AuditError(f"{path}: 'baseline' must be a path")
        updates["baseline"] = path.parent / table["baseline"]
    if "new-from-rev" in table:
        if not isinstance(table["new-from-rev"], str) or not table["new-from-rev"].strip():
            raise AuditError(f"{path}: 'new-from-rev' must be a git revision (main, origin/main)")
        updates["new_from_rev"] = table["new-from-rev"].strip()
    limits = Limits()
    for key, attr in (
        ("max-file-size", "max_file_size"),
        ("max-depth", "max_depth"),
        ("max-alias-nodes", "max_alias_nodes"),
    ):
        if key in table:
            limits = replace(limits, **{attr: _positive_int(path, key, table[key])})
    updates["limits"] = limits
    return replace(settings, **updates)


def load_settings(config: Path | None, cwd: Path | None = None) -> Settings:
    """Settings from ``config`` when given, else from the discovered file, else defaults."""
    if config is not None:
        if not config.exists():
            raise AuditError(f"config file not found: {config}")
        data = _read_toml(config)
        if config.name == "pyproject.toml":
            data = data.get("tool", {}).get("align-audit", {})
        return settings_from_table(config, data)
    found = find_config(cwd or Path.cwd())
    if found is None:
        return Settings()
    return settings_from_table(*found)


def _selectors(key: str, value: object) -> tuple[str, ...]:
    words = _words(value)
    if words is None:
        raise AuditError(f"{key}: expected a string or a list of strings, got {value!r:.60}")
    return words


def settings_from_keywords(**options: Any) -> Settings:
    """Settings from the Python API's keywords (None: not given), each checked here so that
    a wrong value fails at the call, in one line, instead of deep inside the audit."""
    updates: dict[str, Any] = {}
    for key in ("select", "ignore", "exclude", "extend_exclude"):
        if options.get(key) is not None:
            updates[key] = _selectors(key, options[key])
    if options.get("fail_on") is not None:
        value = options["fail_on"]
        if not isinstance(value, str):
            raise AuditError(f"fail_on: expected one of {', '.join(FAIL_ON_CHOICES)}")
        updates["fail_on"] = parse_fail_on(value, "fail_on")
    today = options.get("today")
    if isinstance(today, str):
        updates["today"] = parse_date(today, "today")
    elif isinstance(today, dt.datetime) or (today is not None and not isinstance(today, dt.date)):
        raise AuditError(f"today: expected a date or 'YYYY-MM-DD', got {today!r:.60}")
    elif today is not None:
        updates["today"] = today
    if options.get("severity") is not None:
        levels = options["severity"]
        if not isinstance(levels, dict):
            raise AuditError("severity: expected a mapping of rule → error|warning|info")
        try:
            updates["severity"] = {str(k): Severity.parse(str(v)) for k, v in levels.items()}
        except ValueError as exc:
            raise AuditError(f"severity: {exc}") from None
    if options.get("baseline") is not None:
        updates["baseline"] = Path(options["baseline"])
    if options.get("limits") is not None:
        if not isinstance(options["limits"], Limits):
            raise AuditError("limits: expected an align_audit.loading.Limits")
        updates["limits"] = options["limits"]
    return replace(Settings(), **updates)
