"""The picture the live page shows: the last audit that could be fully read, the input errors of
the latest one, and a generation number that the page's event stream announces."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from align_audit.errors import AuditError

if TYPE_CHECKING:
    from align_audit.engine import AuditResult
    from align_audit.settings import Settings
    from align_audit.workshop.report.facts import Report


@dataclass(frozen=True, slots=True)
class Picture:
    """What one refresh produced."""

    generation: int
    result: AuditResult | None
    """The last audit without input errors (else the latest audit, when none ever had none)."""
    problems: tuple[str, ...]
    """Why the latest audit is not the one shown: input errors as ``path:line: message``, or
    the one line of an audit that could not run (a file deleted mid-edit)."""
    report: Report | None = None
    """The report's facts of ``result``, built once in the worker thread for every view."""


class LiveReport:
    """Re-audits on demand; thread-safe (audits run in a worker thread)."""

    def __init__(self, paths: list[str], settings: Callable[[], Settings]) -> None:
        self.paths = paths
        self._settings = settings
        self._lock = threading.Lock()
        self.picture = Picture(0, None, ())
        self._used: Settings | None = None
        """The settings of the latest refresh (the configuration is read once per refresh)."""

    def refresh(self) -> Picture:
        """Audit again; keep the last good result when the new one has input errors."""
        from align_audit.engine import audit

        with self._lock:
            good = self.picture.result
            try:
                self._used = self._settings()
                result = audit(self.paths, self._used)
            except AuditError as exc:
                problems: tuple[str, ...] = (str(exc),)
            else:
                errors = result.input_errors
                problems = tuple(
                    f"{f.location.path}:{f.location.line}: {f.code} {f.message}" for f in errors
                )
                if not errors or good is None or good.input_errors:
                    good = result
            report = self.picture.report
            if good is not None and good is not self.picture.result:
                from align_audit.workshop.report import build_report

                report = build_report(good)
            self.picture = Picture(self.picture.generation + 1, good, problems, report)
            return self.picture

    def watched(self) -> tuple[set[Path], set[Path]]:
        """(folders searched for YAML, single files) whose change means a refresh: the paths
        given, every file the last audit read (catalogs), the data and the configuration."""
        folders: set[Path] = set()
        files: set[Path] = set()
        for raw in self.paths:
            path = Path(raw).resolve()
            (folders if path.is_dir() else files).add(path)
        result = self.picture.result
        if result is not None:
            files |= {Path(name).resolve() for name in result.files if name != "<stdin>"}
        settings = self._used
        if settings is not None:
            files |= {Path(p).resolve() for p in settings.data}
            if settings.config_path is not None:
                files.add(Path(settings.config_path).resolve())
        return folders, files
