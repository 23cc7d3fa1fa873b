"""The report's findings section: every finding, grouped by the system or customer it concerns,
the groups with errors first — the decisions a leadership team must take, in order."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from align_audit.findings import Finding

if TYPE_CHECKING:
    from align_audit.engine import AuditResult

GROUP_KINDS = ("system", "customer", "metrics", "decisions", "files")
"""Group kinds, in the order groups of equal severity are shown."""


@dataclass(frozen=True, slots=True)
class FindingGroup:
    """The findings about one system (its objectives included), one customer (its outcomes
    included), the metrics, the decisions (tradeoffs, waivers) or the files themselves."""

    kind: str
    """One of :data:`GROUP_KINDS`."""
    key: str
    """The system or customer id; empty for the other kinds."""
    findings: tuple[Finding, ...]
    """Most severe first, then in SPEC order."""


def _group_of(finding: Finding, kinds: dict[str, str]) -> tuple[str, str]:
    entity = finding.entity
    kind = kinds.get(entity)
    head = entity.split(".", 1)[0]
    if kind in ("system", "objective"):
        return "system", head
    if kind in ("customer", "outcome"):
        return "customer", head
    if kind == "metric":
        return "metrics", ""
    if entity.startswith(("tradeoff:", "waiver:")):
        return "decisions", ""
    return "files", ""


def group_findings(result: AuditResult) -> tuple[FindingGroup, ...]:
    """The reported findings in groups: worst severity first, then by kind and declaration
    order of the system or customer."""
    kinds = result.catalog.kinds
    order = result.catalog.order
    grouped: dict[tuple[str, str], list[Finding]] = {}
    for finding in result.findings:
        grouped.setdefault(_group_of(finding, kinds), []).append(finding)
    groups = []
    for (kind, key), findings in grouped.items():
        ranked = sorted(enumerate(findings), key=lambda pair: (-pair[1].level, pair[0]))
        groups.append(FindingGroup(kind, key, tuple(f for _, f in ranked)))

    def rank(group: FindingGroup) -> tuple[int, int, int, str]:
        worst = group.findings[0].level
        return (-worst, GROUP_KINDS.index(group.kind), order.get(group.key, 0), group.key)

    return tuple(sorted(groups, key=rank))
