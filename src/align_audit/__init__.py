"""align-audit: an objective-alignment auditor.

Organizations declare in YAML who their customers are, which metrics they measure and which
objectives their AI systems optimize; align-audit links every objective to the stakeholder it
serves and reports what does not line up.

Python API::

    import align_audit
    declarations = align_audit.load(["org.yaml"])
    result = align_audit.audit(["org.yaml"], fail_on="warning")
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Literal

from align_audit.errors import AuditError

__version__ = "0.1.0"

if TYPE_CHECKING:
    from align_audit.engine import AuditResult
    from align_audit.loading.limits import Limits
    from align_audit.model import Declarations

__all__ = ["AuditError", "__version__", "audit", "load"]

PathLike = str | os.PathLike[str]
Paths = PathLike | Sequence[PathLike]
Selectors = str | Sequence[str]
FailOn = Literal["error", "warning", "info", "never"]


def _paths(paths: object) -> list[str]:
    """One path or a sequence of them (str or os.PathLike) → strings; anything else is an
    AuditError naming what was given."""
    if isinstance(paths, str | os.PathLike):
        return [os.fspath(paths)]
    if isinstance(paths, Sequence) and all(isinstance(p, str | os.PathLike) for p in paths):
        return [os.fspath(p) for p in paths]
    raise AuditError(f"paths: expected a path or a list of paths, got {type(paths).__name__}")


def load(paths: Paths) -> Declarations:
    """Read and validate declaration files (no rules run); problems are in ``.findings``.
    Raises :class:`AuditError` when the files cannot be read at all."""
    from align_audit.catalogs.refine import apply_catalogs
    from align_audit.loading import Limits, load_documents
    from align_audit.model import validate_documents
    from align_audit.rules import INPUT_CODES, identifiers

    documents = load_documents(_paths(paths))
    declarations = validate_documents(documents, identifiers(), identifiers(INPUT_CODES))
    return apply_catalogs(declarations, Limits())


def audit(
    paths_or_org: Paths | Declarations,
    *,
    select: Selectors | None = None,
    ignore: Selectors | None = None,
    fail_on: FailOn | None = None,
    today: dt.date | str | None = None,
    severity: Mapping[str, str] | None = None,
    baseline: PathLike | None = None,
    exclude: Selectors | None = None,
    extend_exclude: Selectors | None = None,
    limits: Limits | None = None,
) -> AuditResult:
    """Audit declaration files (a path or a list of paths) or declarations from :func:`load`.

    The keywords are ``check``'s options: ``select``/``ignore`` take a code, prefix or name or
    a list of them, ``today`` a date or ``"YYYY-MM-DD"``. Each value is checked here; a bad
    one raises :class:`AuditError` with one line saying which and why. A ``baseline`` leaves
    out the findings it accepts, as ``check --baseline`` does.
    """
    from align_audit.engine import apply_baseline
    from align_audit.engine import audit as run
    from align_audit.model import Declarations
    from align_audit.settings import settings_from_keywords

    settings = settings_from_keywords(
        select=select,
        ignore=ignore,
        fail_on=fail_on,
        today=today,
        severity=severity,
        baseline=baseline,
        exclude=exclude,
        extend_exclude=extend_exclude,
        limits=limits,
    )
    org = paths_or_org if isinstance(paths_or_org, Declarations) else _paths(paths_or_org)
    result = run(org, settings)
    if settings.baseline is not None:
        from align_audit.baseline import read_baseline

        result = apply_baseline(result, read_baseline(settings.baseline))
    return result
