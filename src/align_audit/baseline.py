"""Baseline files: accepted findings keyed on fingerprints, so a repository can adopt the gate
with the findings it already has and fail only on new ones (SPEC §3.3)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

from align_audit.errors import AuditError
from align_audit.findings import Finding
from align_audit.loading.discovery import read_regular
from align_audit.outputs import json_text, write_atomic

BASELINE_VERSION = 1
BASELINE_LIMIT = 200_000_000
"""Largest baseline read (bytes): about two million accepted findings."""


def render_baseline(findings: Iterable[Finding]) -> str:
    """Sorted JSON keyed on fingerprints; code and entity are there for humans reading diffs.
    Input errors are left out: they cannot be accepted (SPEC §6.1)."""
    from align_audit.rules import INPUT_CODES

    entries = {
        f.fingerprint: {"code": f.code, "entity": f.entity}
        for f in findings
        if f.code not in INPUT_CODES
    }
    document = {
        "version": BASELINE_VERSION,
        "tool": "align-audit",
        "findings": dict(sorted(entries.items())),
    }
    return json_text(document)


def write_baseline(path: Path, findings: Iterable[Finding]) -> int:
    """Write a baseline of ``findings``; return how many entries it holds."""
    text = render_baseline(findings)
    write_atomic(path, text)
    return len(json.loads(text)["findings"])


def read_baseline(path: Path) -> dict[str, str]:
    """Fingerprint → code of every accepted finding. A missing, oversized or corrupt file, or
    one that is no regular file (a FIFO, ``/dev/zero``), is exit 2."""
    if not path.exists():
        raise AuditError(f"baseline file not found: {path}")
    data = read_regular(path, BASELINE_LIMIT, "baseline")
    if len(data) > BASELINE_LIMIT:
        raise AuditError(f"baseline {path} is larger than {BASELINE_LIMIT:,} bytes")
    try:
        document = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise AuditError(f"baseline {path} is not valid JSON: {exc}") from None
    except RecursionError:
        raise AuditError(f"baseline {path} is not a baseline: it nests too deeply") from None
    entries = document.get("findings") if isinstance(document, dict) else None
    if (
        not isinstance(document, dict)
        or document.get("version") != BASELINE_VERSION
        or not isinstance(entries, dict)
        or not all(isinstance(v, dict) and isinstance(v.get("code"), str) for v in entries.values())
    ):
        raise AuditError(
            f"baseline {path} is not an align-audit baseline (version {BASELINE_VERSION}); "
            "write one with --write-baseline"
        )
    return {fingerprint: entry["code"] for fingerprint, entry in entries.items()}
