"""The alignment diff (SPEC §9): the same paths audited at a git revision and at head, with the
same settings, compared.

``git.py`` asks git; ``revision.py`` serves a revision's files to the engine; ``compare.py``
turns two audits into an :class:`~align_audit.diff.compare.AlignmentDiff`; ``render.py`` writes it.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from align_audit.diff.git import Repository
from align_audit.diff.revision import RevisionFiles
from align_audit.progress import Progress, Silent

if TYPE_CHECKING:
    from align_audit.diff.compare import AlignmentDiff
    from align_audit.engine import AuditResult
    from align_audit.settings import Settings

WORKING_TREE_NAME = "working tree"


def alignment_diff(
    paths: list[str],
    settings: Settings,
    base: str,
    head: str | None = None,
    progress: Progress | None = None,
) -> AlignmentDiff:
    """Audit ``paths`` at ``base`` and at ``head`` (default: the working tree) and compare."""
    from align_audit.diff.compare import compare
    from align_audit.engine import audit, gc_paused

    repository = Repository(Path.cwd())
    with RevisionFiles(repository, base) as base_files:
        for raw in paths:  # before the head audit: a path git cannot read fails first
            base_files.inside(raw)
        if head is None:
            head_result, head_commit = audit(paths, settings, progress), None
        else:
            with RevisionFiles(repository, head) as head_files:
                head_result = audit(paths, settings, progress, head_files)
                head_commit = head_files.commit
        base_result = audit(paths, settings, Silent(), base_files)
    with gc_paused():  # comparing builds many small objects; nothing here makes cycles
        return compare(
            base_result,
            head_result,
            (base, base_files.commit),
            (head or WORKING_TREE_NAME, head_commit),
        )


def audit_at(paths: list[str], settings: Settings, revision: str) -> tuple[AuditResult, str]:
    """The audit of ``paths`` at a revision, and the revision's commit id
    (``check --new-from-rev``)."""
    from align_audit.engine import audit

    with RevisionFiles(Repository(Path.cwd()), revision) as files:
        return audit(paths, settings, Silent(), files), files.commit
