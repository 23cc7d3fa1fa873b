"""Where the time and memory of one ``check`` go, stage by stage (not part of the tests).

    python bench/stages.py /tmp/org-100k.yaml

Prints, for each stage of :func:`align_audit.engine.audit`, the wall time and the process's
resident memory after it (``/proc/self/statm``), so that the biggest cost is fixed first.
"""

from __future__ import annotations

import gc
import os
import sys
import time
from pathlib import Path

from align_audit.analysis import Analysis
from align_audit.catalog import build_catalog
from align_audit.engine import AuditContext, Settings
from align_audit.loading import load_documents
from align_audit.model import validate_documents
from align_audit.rules import REGISTRY, identifiers

_PAGE = os.sysconf("SC_PAGE_SIZE")


def _rss_mb() -> float:
    return int(Path("/proc/self/statm").read_text().split()[1]) * _PAGE / 2**20


def main(paths: list[str]) -> None:
    gc.disable()  # as the CLI does during the audit
    settings = Settings()
    last = time.perf_counter()
    print(f"{'stage':<28}{'seconds':>9}{'RSS MB':>9}")

    def mark(stage: str) -> None:
        nonlocal last
        now = time.perf_counter()
        print(f"{stage:<28}{now - last:>9.2f}{_rss_mb():>9.0f}")
        last = now

    mark("start")
    documents = load_documents(paths, settings.limits)
    mark("load")
    declarations = validate_documents(documents, identifiers())
    mark("validate")
    catalog = build_catalog(declarations)
    mark("catalog")
    analysis = Analysis(catalog)
    context = AuditContext(catalog, settings.today, analysis)
    findings = []
    for rule in REGISTRY:
        if not rule.reported_by_pipeline:
            findings.extend(rule().check(context))
            mark(f"rule {rule.code} {rule.name}"[:28])


if __name__ == "__main__":
    main(sys.argv[1:])
