"""The rule interface and the documentation every rule carries.

A rule is a class with a code, a kebab-case name, a default severity and a docstring in this form::

    One-line summary (what it detects).

    Why: a paragraph on why it matters.

    Fires:
        ```yaml
        ...a declaration that triggers it...
        ```

    Passes:
        ```yaml
        ...the fixed declaration...
        ```

``align-audit explain``, ``align-audit rules`` and ``docs/rules.md`` are generated from these
docstrings, and a test keeps them complete.
"""

from __future__ import annotations

import datetime as dt
import inspect
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from align_audit.findings import Finding, Severity

if TYPE_CHECKING:
    from align_audit.analysis import Analysis
    from align_audit.catalog import Catalog
    from align_audit.evidence.facts import Evidence


@dataclass(frozen=True, slots=True)
class AuditContext:
    """Everything a rule may read; rules never re-read YAML."""

    catalog: Catalog
    """Valid, resolved declarations."""
    today: dt.date
    """The audit date (``--today``)."""
    analysis: Analysis
    """Propagation and derived facts (SPEC §2.1, §2.2), shared by all rules."""
    evidence: Evidence | None = None
    """Observed data confronted with the declarations (SPEC §7); None without data."""


@dataclass(frozen=True, slots=True)
class RuleDoc:
    """A rule's documentation, parsed from its docstring."""

    summary: str
    why: str
    fires: str
    passes: str


_SECTION = re.compile(r"^(Why|Fires|Passes):[ \t]*", re.MULTILINE)
_FENCE = re.compile(r"```yaml\n(.*?)```", re.DOTALL)


def parse_doc(doc: str) -> RuleDoc:
    """Split a rule docstring into summary, why, and the two YAML examples."""
    text = inspect.cleandoc(doc)
    parts = _SECTION.split(text)
    summary = parts[0].strip()
    sections = {parts[i]: parts[i + 1] for i in range(1, len(parts) - 1, 2)}

    def example(name: str) -> str:
        match = _FENCE.search(inspect.cleandoc(sections.get(name, "")))
        return match.group(1) if match else ""

    why = " ".join(sections.get("Why", "").split())
    why = why[:1].upper() + why[1:]
    return RuleDoc(summary, why, example("Fires"), example("Passes"))


class Rule:
    """Base of every rule. Subclasses set the class attributes and implement :meth:`check`."""

    code: ClassVar[str]
    name: ClassVar[str]
    severity: ClassVar[Severity]
    severity_note: ClassVar[str] = ""
    """How the severity varies, when it does (e.g. by customer role)."""
    input_error: ClassVar[bool] = False
    """A file could not be fully read (SPEC §6.1): always selected, never waived or baselined,
    never below error."""
    absence: ClassVar[bool] = False
    """It reports that something is missing, so it stays silent about entities an input error
    may have changed (SPEC §6.1)."""
    needs_data: ClassVar[bool] = False
    """It judges observed data (SPEC §7): silent unless data is given."""
    reported_by_pipeline: ClassVar[bool] = False
    """Its findings come from loading, validation, the catalog or the waiver step of the engine
    (AA0xx, AA204, AA205), not from :meth:`check`."""

    @classmethod
    def doc(cls) -> RuleDoc:
        """The parsed docstring."""
        return parse_doc(cls.__doc__ or "")

    def check(self, ctx: AuditContext) -> Iterator[Finding]:
        """Yield the rule's findings. Input rules yield nothing here."""
        return iter(())


def arrow(path: list[str] | tuple[str, ...]) -> str:
    """A witness path for messages: ``a → b → c``."""
    return " → ".join(path)
