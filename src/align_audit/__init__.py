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

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from align_audit.engine import AuditResult
    from align_audit.model import Declarations

__all__ = ["__version__", "audit", "load"]


def load(paths: list[str]) -> Declarations:
    """Read and validate declaration files (no rules run); problems are in ``.findings``."""
    from align_audit.loading import load_documents
    from align_audit.model import validate_documents
    from align_audit.rules import identifiers

    return validate_documents(load_documents(paths), identifiers())


def audit(paths_or_org: list[str] | Declarations, **settings: Any) -> AuditResult:
    """Audit declaration files (or declarations from :func:`load`); keyword arguments are
    :class:`align_audit.settings.Settings` fields (``select``, ``ignore``, ``fail_on``,
    ``today``, ...)."""
    from align_audit.engine import audit as run
    from align_audit.settings import Settings

    return run(paths_or_org, Settings(**settings))
