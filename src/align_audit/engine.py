"""The audit pipeline: load → validate → catalog → graph → rules → severities, selection, waivers
→ a sorted :class:`AuditResult`."""

from __future__ import annotations

import gc
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from functools import cache
from typing import TYPE_CHECKING

from align_audit.codes import DUPLICATE_ID, EXPIRED_WAIVER, INVALID_YAML, UNUSED_WAIVER
from align_audit.errors import AuditError
from align_audit.findings import Finding, Location, Related, RuleInfo, Severity, sort_findings
from align_audit.loading import Document, pointer
from align_audit.loading.files import WORKING_TREE, Files
from align_audit.loading.parallel import read_documents
from align_audit.progress import Progress, Silent
from align_audit.rules import (
    ABSENCE_CODES,
    INPUT_CODES,
    REGISTRY,
    AuditContext,
    lookup,
    match_codes,
)
from align_audit.settings import Settings, parse_fail_on

if TYPE_CHECKING:
    import networkx as nx

    from align_audit.analysis import Analysis
    from align_audit.catalog import Catalog
    from align_audit.evidence.data import Observations
    from align_audit.evidence.facts import Evidence
    from align_audit.model import Declarations, Entry, Waiver


@dataclass(frozen=True, slots=True)
class AuditResult:
    """What an audit found, after selection and suppression, in SPEC order."""

    findings: tuple[Finding, ...]
    """Reported findings, sorted."""
    files: tuple[str, ...]
    """Display paths of the files read."""
    waived: int
    """Findings suppressed by waivers."""
    catalog: Catalog
    """The resolved declarations (for workshop outputs)."""
    analysis: Analysis
    """Propagation and derived facts, with everything the rules already computed cached."""
    settings: Settings
    """The settings used."""
    baselined: int = 0
    """Findings suppressed by the baseline."""
    baseline_gone: int = 0
    """Baseline entries (of selected rules) that no longer occur."""
    skipped: tuple[str, ...] = ()
    """YAML files found in a searched directory that declare nothing (``mkdocs.yml``)."""
    undeclared_data: tuple[str, ...] = ()
    """Metrics in the observed data that no declaration names (SPEC §7.1)."""
    evidence: Evidence | None = None
    """The declarations confronted with the observed data (SPEC §7); None without data."""
    new_from: KnownAt | None = None
    """``--new-from-rev``: the revision whose findings are not reported (SPEC §9)."""

    @property
    def graph(self) -> nx.MultiDiGraph:
        """The alignment graph (SPEC §2), built when first read (the rules never need it)."""
        return self.analysis.graph

    @property
    def rules(self) -> tuple[RuleInfo, ...]:
        """Every rule's identity and documentation (SARIF's rule metadata)."""
        return rule_infos()

    @property
    def input_errors(self) -> tuple[Finding, ...]:
        """Findings about input the tool could not fully read (SPEC §6.1)."""
        return tuple(f for f in self.findings if f.code in INPUT_CODES)

    def counts(self) -> dict[Severity, int]:
        """Number of findings per severity (every severity present, possibly 0)."""
        counter = Counter(f.level for f in self.findings)
        return {level: counter.get(level, 0) for level in sorted(Severity, reverse=True)}

    def statistics(self) -> list[tuple[str, str, int]]:
        """(code, name, count) per rule, most frequent first, then by code."""
        counter = Counter((f.code, f.name) for f in self.findings)
        return sorted(
            ((code, name, n) for (code, name), n in counter.items()), key=lambda t: (-t[2], t[0])
        )

    def exit_code(self, fail_on: str | None = None) -> int:
        """1 when a finding is at or above ``fail_on`` (default: the settings'), else 0."""
        level = parse_fail_on(fail_on, "fail_on") if fail_on is not None else self.settings.fail_on
        if level == "never":
            return 0
        threshold = Severity.parse(level)
        return 1 if any(f.level >= threshold for f in self.findings) else 0


@dataclass(frozen=True, slots=True)
class KnownAt:
    """The findings ``check --new-from-rev`` left out (SPEC §9)."""

    revision: str
    """The revision as given."""
    commit: str
    """Its commit id."""
    preexisting: int
    """Findings not reported: they occur at the revision too."""
    fixed: int
    """Findings of selected rules at the revision that no longer occur."""


@contextmanager
def gc_paused() -> Iterator[None]:
    """Building many small objects triggers needless collections; nothing here makes cycles
    worth collecting."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@cache
def rule_infos() -> tuple[RuleInfo, ...]:
    """Every rule's identity and documentation, in code order, for the outputs."""
    infos = []
    for rule in REGISTRY:
        doc = rule.doc()
        summary = " ".join(doc.summary.split())
        infos.append(
            RuleInfo(
                rule.code,
                rule.name,
                rule.severity,
                rule.severity_note,
                summary,
                doc.why,
                doc.fires,
                doc.passes,
            )
        )
    return tuple(infos)


def selected_codes(settings: Settings) -> set[str]:
    """Codes of the rules that run: ``select`` (default all) minus ``ignore``, and always the
    input errors (SPEC §6.1)."""
    codes: set[str] = set()
    for selector in settings.select or ("AA",):
        codes |= match_codes(selector)
    for selector in settings.ignore:
        codes -= match_codes(selector)
    return codes | INPUT_CODES


def _severity_overrides(settings: Settings) -> dict[str, Severity]:
    overrides: dict[str, Severity] = {}
    for selector, level in settings.severity.items():
        for code in match_codes(selector):
            if code not in INPUT_CODES:
                overrides[code] = level
    return overrides


def unheeded_settings(settings: Settings) -> list[str]:
    """Settings that name an input error explicitly and cannot apply to it (SPEC §6.1), as
    sentences for a warning. Raises AuditError for a selector that names no rule."""
    selected_codes(settings)
    _severity_overrides(settings)
    notes = []
    for what, selectors in (
        ("ignored", settings.ignore),
        ("given another severity", tuple(settings.severity)),
    ):
        for selector in selectors:
            rule = lookup(selector.strip())
            if rule is not None and rule.code in INPUT_CODES:
                notes.append(
                    f"{rule.code} ({rule.name}) cannot be {what}: a file that could not be fully "
                    "read always fails the audit"
                )
    return notes


def _unique(findings: list[Finding]) -> list[Finding]:
    """Fingerprints never collide (SPEC §3.2): an exact repeat of a finding is dropped, and a
    different finding with the same code, entity and discriminator gets a numbered one."""
    last: dict[tuple[str, str, str], Finding] = {}
    repeats: dict[tuple[str, str, str], int] = {}  # only for keys seen more than once
    unique: list[Finding] = []
    for finding in findings:
        key = (finding.code, finding.entity, finding.discriminator)
        previous = last.get(key)
        if previous is not None:
            if (previous.location, previous.message) == (finding.location, finding.message):
                continue
            count = repeats[key] = repeats.get(key, 1) + 1
            finding = replace(finding, discriminator=f"{finding.discriminator}#{count}")
        last[key] = finding
        unique.append(finding)
    return unique


def _stamp(findings: list[Finding], overrides: dict[str, Severity]) -> list[Finding]:
    """``findings``, each replaced in place by its stamped copy: the unstamped one is freed
    at once rather than both lists held (a findings-heavy audit has hundreds of thousands)."""
    for index, finding in enumerate(findings):
        rule = lookup(finding.code)
        assert rule is not None, finding.code
        level = overrides.get(finding.code) or finding.severity or rule.severity
        findings[index] = finding.stamped(rule.name, level)
    return findings


def _repeated_waiver(entry: Entry[Waiver], earlier: Entry[Waiver]) -> Finding:
    return Finding(
        DUPLICATE_ID,
        f"{entry.ident} repeats the waiver at line {earlier.location().line} of "
        f"{earlier.doc.path}; this one is ignored",
        entry.location(),
        str(entry.ident),
        entry.doc.path + pointer(entry.keypath),
        related=(Related(earlier.location(), str(earlier.ident), "first"),),
        hint="delete the repeated waiver",
    )


def _expired_waiver(entry: Entry[Waiver], reported_again: bool) -> Finding:
    waiver = entry.model
    assert waiver is not None and waiver.until is not None and entry.ident is not None
    if reported_again:
        consequence = "the findings it accepted are reported again"
        hint = "fix the finding, or renew the waiver with a new date and reason"
    else:
        consequence = "it no longer applies, and no such finding occurs now"
        hint = "delete the waiver"
    return Finding(
        EXPIRED_WAIVER,
        f"waiver of {waiver.rule} for {waiver.target} expired on {waiver.until.isoformat()}; "
        + consequence,
        entry.location("until"),
        entry.ident,
        hint=hint,
    )


def _apply_waivers(
    findings: list[Finding], waivers: list[Entry[Waiver]], settings: Settings, codes: set[str]
) -> tuple[list[Finding], int]:
    """Drop waived findings; add AA204 (unused), AA205 (expired) and AA004 (repeated)."""
    seen: dict[tuple[str, str], Entry[Waiver]] = {}
    active: dict[tuple[str, str], Entry[Waiver]] = {}
    expired: dict[tuple[str, str], Entry[Waiver]] = {}
    extra: list[Finding] = []
    for entry in waivers:
        waiver = entry.model
        assert waiver is not None and entry.ident is not None
        rule = lookup(waiver.rule)
        assert rule is not None  # validated by the model
        key = (rule.code, waiver.target)
        if key in seen:
            extra.append(_repeated_waiver(entry, seen[key]))
            continue
        seen[key] = entry
        if waiver.until is not None and waiver.until < settings.today:
            expired[key] = entry
            continue
        active[key] = entry
    used: set[tuple[str, str]] = set()
    kept: list[Finding] = []
    for finding in findings:
        key = (finding.code, finding.entity)
        if key in active and finding.code not in INPUT_CODES:
            used.add(key)
        else:
            kept.append(finding)
    occurring = {(f.code, f.entity) for f in kept}
    for key, entry in expired.items():
        extra.append(_expired_waiver(entry, reported_again=key in occurring))
    for key, entry in active.items():
        if key in used or key[0] not in codes:
            continue
        waiver = entry.model
        assert waiver is not None and entry.ident is not None
        extra.append(
            Finding(
                UNUSED_WAIVER,
                f"waiver of {waiver.rule} for {waiver.target} suppresses nothing",
                entry.location(),
                entry.ident,
                related=(
                    Related(
                        Location(entry.doc.path, entry.location("target").span),
                        waiver.target,
                        "waiver target",
                    ),
                ),
                hint="delete the waiver: the finding it accepted no longer occurs",
            )
        )
    return kept + [f for f in extra if f.code in codes], len(findings) - len(kept)


def audit(
    paths: list[str] | Declarations,
    settings: Settings | None = None,
    progress: Progress | None = None,
    files: Files = WORKING_TREE,
    rules: bool = True,
) -> AuditResult:
    """Run the whole audit over files/directories (``-`` for stdin), or over declarations
    already loaded with :func:`align_audit.load`; ``progress`` hears of each stage; ``files``
    says where the inputs are read (the working tree, or a git revision for ``diff``); without
    ``rules``, only the input's own findings (an output that shows no rule's finding)."""
    from align_audit.analysis import Analysis
    from align_audit.catalog import build_catalog
    from align_audit.catalogs.refine import apply_catalogs, named_catalogs
    from align_audit.model import Declarations, declares_nothing, validate_documents
    from align_audit.rules import identifiers

    settings = settings or Settings()
    progress = progress or Silent()
    skipped: list[str] = []
    codes = selected_codes(settings)
    if not rules:  # the input's own findings only
        codes &= INPUT_CODES
    overrides = _severity_overrides(settings)
    reading = _DataReader(settings, files)
    with gc_paused():
        if isinstance(paths, Declarations):
            declarations = paths
        else:
            sources = files.discover(paths, settings.excluded)
            progress.begin(len(sources), sum(source.size for source in sources))
            documents = []
            searched: set[str] = set()
            parsed = read_documents(
                sources, files.read, settings.limits, parallel=files.revision is None
            )
            for source, document in zip(sources, parsed, strict=True):
                if not source.explicit and _declares_nothing(document, declares_nothing):
                    skipped.append(document.path)
                else:
                    documents.append(document)
                    if not source.explicit:
                        searched.add(document.path)
                progress.step()
            # A YAML catalog (GrowthBook's config.yml) found beside the file that names it is
            # read as a catalog, not as declarations.
            catalogs = named_catalogs(documents) & searched
            documents = [d for d in documents if d.path not in catalogs]
            if not documents and files.revision is None:  # at a revision: nothing declared yet
                raise AuditError(
                    f"no declarations found: the {len(skipped)} YAML files found declare "
                    f"nothing ({', '.join(skipped[:5])}{', ...' if len(skipped) > 5 else ''})"
                )
            progress.stage("validating declarations")
            declarations = validate_documents(documents, identifiers(), identifiers(INPUT_CODES))
            if declarations.catalogs:
                progress.stage("reading metric catalogs")
            declarations = apply_catalogs(declarations, settings.limits, files.read_catalog)
        progress.stage("resolving references")
        catalog = build_catalog(declarations)
        analysis = Analysis(catalog, settings.today)
        context = AuditContext(catalog, settings.today, analysis)
        selected = [r for r in REGISTRY if r.code in codes and not r.reported_by_pipeline]
        progress.stage("checking rules", len(selected))
        # The rules that need no data run while the data is still being read.
        findings = declarations.findings + catalog.findings
        for rule in (r for r in selected if not r.needs_data):
            findings.extend(rule().check(context))
            progress.step()
        data_findings, undeclared, observed = reading.result(declarations)
        findings.extend(data_findings)
        evidence = None
        if observed is not None:
            from align_audit.evidence.facts import Evidence

            evidence = Evidence(analysis, observed, settings.evidence)
            context = replace(context, evidence=evidence)
        for rule in (r for r in selected if r.needs_data):
            findings.extend(rule().check(context))
            progress.step()
        findings = [
            f
            for f in findings
            if f.code in codes and not (f.code in ABSENCE_CODES and f.entity in catalog.incomplete)
        ]
        findings, waived = _apply_waivers(findings, catalog.waivers, settings, codes)
        findings = _unique(sort_findings(_stamp(findings, overrides)))
    return AuditResult(
        tuple(findings),
        tuple(doc.path for doc in (*declarations.documents, *declarations.catalog_documents)),
        waived,
        catalog,
        analysis,
        settings,
        skipped=tuple(skipped),
        undeclared_data=undeclared,
        evidence=evidence,
    )


class _DataReader:
    """Observed data (SPEC §7.1), read while the declarations load: DuckDB parses the files in
    threads of its own and releases the interpreter meanwhile, so on a machine with a second core
    most of the reading costs no time. Errors wait for :meth:`result`, as if read there."""

    def __init__(self, settings: Settings, files: Files) -> None:
        self._observed: Observations | None = None
        self._error: BaseException | None = None
        self._thread: threading.Thread | None = None
        if not settings.data:
            return
        from align_audit.evidence import EXTRA_HINT, extra_installed

        if not extra_installed():
            raise AuditError(EXTRA_HINT)
        import align_audit.evidence.data  # noqa: F401  (imports hold the interpreter: do them here)

        readable = [files.data_file(path) for path in settings.data]
        self._thread = threading.Thread(target=self._read, args=(settings, readable), daemon=True)
        self._thread.start()

    def _read(self, settings: Settings, readable: list[str]) -> None:
        try:
            from align_audit.evidence.data import read_data

            self._observed = read_data(
                readable,
                settings.max_data_size,
                settings.data_query,
                names=[str(p) for p in settings.data],
            )
        except BaseException as exc:  # re-raised in the auditing thread
            self._error = exc

    def result(
        self, declarations: Declarations
    ) -> tuple[list[Finding], tuple[str, ...], Observations | None]:
        """AA007 findings, the metrics no declaration names, and the observations."""
        if self._thread is None:
            return [], (), None
        self._thread.join()
        if self._error is not None:
            raise self._error
        observed = self._observed
        assert observed is not None
        declared = {e.ident for e in declarations.metrics if e.ident}
        return observed.findings, tuple(sorted(set(observed.metrics) - declared)), observed


def _declares_nothing(document: Document, test: Callable[[object], bool]) -> bool:
    """A document found by searching a directory that parsed and has none of the format's
    keys: another tool's YAML, not a declaration file with a syntax error."""
    return test(document.data) and not any(f.code == INVALID_YAML for f in document.findings)


def _known(result: AuditResult, accepted: dict[str, str]) -> tuple[tuple[Finding, ...], int]:
    """The findings whose fingerprint is not accepted (input errors always: SPEC §6.1), and how
    many accepted fingerprints of selected rules no longer occur."""
    codes = selected_codes(result.settings)
    current = {f.fingerprint for f in result.findings}
    kept = tuple(
        f for f in result.findings if f.fingerprint not in accepted or f.code in INPUT_CODES
    )
    gone = sum(1 for fp, code in accepted.items() if code in codes and fp not in current)
    return kept, gone


def apply_baseline(result: AuditResult, accepted: dict[str, str]) -> AuditResult:
    """Report only findings whose fingerprint is not in the baseline (input errors always);
    count the baseline entries of selected rules that no longer occur."""
    kept, gone = _known(result, accepted)
    return replace(
        result, findings=kept, baselined=len(result.findings) - len(kept), baseline_gone=gone
    )


def apply_new_from(
    result: AuditResult, earlier: AuditResult, revision: str, commit: str
) -> AuditResult:
    """Report only findings whose fingerprint does not occur in ``earlier``, the audit of the
    same paths at ``revision`` (SPEC §9)."""
    kept, fixed = _known(result, {f.fingerprint: f.code for f in earlier.findings})
    known = KnownAt(revision, commit, len(result.findings) - len(kept), fixed)
    return replace(result, findings=kept, new_from=known)
