"""The interface every metric-catalog importer implements (SPEC §8), and what they share: the
name → id rule, decoding, and AA008 findings located in the catalog file."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any, ClassVar, Protocol, TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError

from align_audit.codes import INVALID_CATALOG, INVALID_YAML, UNSAFE_YAML
from align_audit.findings import Finding, Location, Span
from align_audit.loading import Document, KeyPath, Limits, SourceMap, pointer, read_document
from align_audit.loading.problems import snippet
from align_audit.model import is_id

_OUTSIDE_ID = re.compile(r"[^a-z0-9_-]+")
_LETTER = re.compile(r"[a-z]")
_MAX_ID = 64


def make_id(name: str) -> str:
    """A catalog name made an id (SPEC §8): lower-cased, each run of characters outside
    ``[a-z0-9_-]`` replaced by ``_``, ``_`` trimmed, ``m_`` prefixed unless it starts with a
    letter, cut to 64 characters."""
    ident = _OUTSIDE_ID.sub("_", name.lower()).strip("_")
    if not _LETTER.match(ident):
        ident = "m_" + ident
    return ident[:_MAX_ID]


@dataclass(frozen=True, slots=True)
class CatalogMetric:
    """One metric of a catalog, with what its format gives (SPEC §8's table)."""

    ident: str
    """Its id in the organization."""
    keypath: KeyPath
    """Where it is in the catalog document."""
    direction: str | None = None
    """increase | decrease, or None when the catalog gives none."""
    owner: str | None = None
    name: str | None = None
    description: str | None = None
    valid: bool = True
    """False when the entry has not the shape of its format (reported): its id still counts as
    declared, but it is left out of the analysis (SPEC §6.1)."""


@dataclass(slots=True)
class Imported:
    """What an importer read from one catalog file."""

    document: Document
    """The parsed file, with the positions its findings and declarations point at."""
    metrics: list[CatalogMetric] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    """AA008 (and AA003 for a repeated YAML key)."""


class Importer(Protocol):
    """Reads one catalog format; never raises on bad input (every problem is a finding)."""

    format: ClassVar[str]
    """The ``format:`` value that selects it."""

    def read(self, path: str, data: bytes, limits: Limits) -> Imported:
        """The metrics of the catalog file ``path`` (as shown in findings), from its bytes."""
        ...


def invalid(
    path: str, span: Span, entity: str, message: str, hint: str, where: str = "", text: str = ""
) -> Finding:
    """AA008 at ``span`` of the catalog file ``path``."""
    return Finding(
        INVALID_CATALOG,
        message,
        Location(path, span),
        entity,
        where,
        hint=hint,
        snippet=snippet(text, span.line, span.column) if text else "",
    )


def decode(path: str, data: bytes, limits: Limits) -> tuple[str | None, Finding | None]:
    """The text of a catalog file, or the AA008 saying why there is none."""
    start = Span(1, 1, 1, 1)
    if len(data) > limits.max_file_size:
        message = f"catalog refused: larger than the {limits.max_file_size:,}-byte limit"
        hint = "raise max-file-size, or point at a smaller catalog"
        return None, invalid(path, start, path, message, hint, "limits")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        message = f"catalog is not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start})"
        return None, invalid(path, start, path, message, "save the file as UTF-8", "syntax")


def read_yaml(path: str, data: bytes, limits: Limits, top_keys: tuple[str, ...]) -> Imported:
    """A YAML catalog, read as declaration files are (positions, limits, unsafe tags refused);
    what makes it unreadable is AA008 here, at the same place."""
    document = read_document(path, data, limits, top_keys)
    imported = Imported(document)
    for finding in document.findings:
        if finding.code in (INVALID_YAML, UNSAFE_YAML):
            finding = replace(finding, code=INVALID_CATALOG, entity=path)
        imported.findings.append(finding)
    return imported


class SyntaxProblem(Exception):
    """A parser's complaint at a 1-based line and column."""

    def __init__(self, message: str, line: int, column: int) -> None:
        super().__init__(message)
        self.line, self.column = line, column


def read_text(
    path: str,
    data: bytes,
    limits: Limits,
    parse: Callable[[str], tuple[Any, SourceMap]],
    language: str,
    hint: str,
) -> Imported:
    """A catalog in a language the standard library parses (JSON, TOML): decoded, parsed by
    ``parse`` (which raises SyntaxProblem), and located by the source map it returns."""
    text, problem = decode(path, data, limits)
    imported = Imported(Document(path, {}))
    if text is None:
        assert problem is not None
        imported.findings.append(problem)
        return imported
    try:
        parsed, source_map = parse(text)
    except SyntaxProblem as exc:
        span = Span(exc.line, exc.column, exc.line, exc.column)
        message = f"catalog is not valid {language}: {exc}"
        imported.findings.append(invalid(path, span, path, message, hint, "syntax", text))
        return imported
    except RecursionError:
        message = f"catalog is not valid {language}: nested too deeply"
        imported.findings.append(invalid(path, Span(1, 1, 1, 1), path, message, hint, "syntax"))
        return imported
    imported.document = Document(path, parsed, source_map)
    return imported


M = TypeVar("M", bound=BaseModel)


class Subset(BaseModel):
    """The few fields of a catalog entry that SPEC §8 reads; every other key is tolerated."""

    model_config = ConfigDict(extra="ignore", frozen=True, strict=True)


@dataclass(slots=True)
class Reader:
    """Validates entries of one catalog document against their subset models, reporting each
    error as AA008 at the offending value."""

    imported: Imported
    text: str = ""

    @property
    def document(self) -> Document:
        """The catalog document read."""
        return self.imported.document

    @property
    def path(self) -> str:
        return self.document.path

    def problem(
        self, keypath: KeyPath, entity: str, message: str, hint: str, kind: str = "shape"
    ) -> None:
        """AA008 at the value at ``keypath`` (or its nearest located ancestor)."""
        span = self.document.source_map.value_span(keypath)
        self.imported.findings.append(
            invalid(self.path, span, entity, message, hint, f"{pointer(keypath)}#{kind}", self.text)
        )

    def validate(
        self, model: type[M], raw: Any, keypath: KeyPath, label: str, entity: str
    ) -> M | None:
        """``raw`` as ``model``, or None after reporting why not."""
        try:
            return model.model_validate(raw)
        except ValidationError as exc:
            for error in exc.errors(include_url=False):
                loc = tuple(error["loc"])
                where = ".".join(str(part) for part in loc)
                message = f"{label}: {where + ': ' if where else ''}{_lower(error['msg'])}"
                if error["type"] == "missing":
                    message = f"{label}: required key {loc[-1]!r} is missing"
                self.problem((*keypath, *loc), entity, message, _HINT, str(error["type"]))
            return None

    def entry(self, model: type[M], raw: Any, keypath: KeyPath, ident: object) -> M | None:
        """One catalog metric as ``model``, or None when it has not the shape of its format or
        its id is not an id (reported). A malformed entry with a good id is still declared
        (left out of the analysis, SPEC §6.1)."""
        good = isinstance(ident, str) and is_id(ident)
        label = f"metric {ident}" if isinstance(ident, str) else f"metric {pointer(keypath)}"
        parsed = self.validate(model, raw, keypath, label, str(ident) if good else self.path)
        if not good:
            if parsed is not None:
                self.bad_id(ident, keypath)
            return None
        if parsed is None:
            assert isinstance(ident, str)
            self.imported.metrics.append(CatalogMetric(ident, keypath, valid=False))
        return parsed

    def top_mapping(self, keys: tuple[str, ...]) -> dict[str, Any] | None:
        """The file's top-level mapping when it holds one of ``keys``; else AA008 (nothing more
        when the file could not be read at all)."""
        if any(f.code == INVALID_CATALOG for f in self.imported.findings):
            return None
        data = self.document.data
        if isinstance(data, dict) and any(key in data for key in keys):
            return data
        names = " or ".join(f"'{key}'" for key in keys)
        self.problem((), self.path, f"catalog has no {names} at the top level", _HINT, "shape")
        return None

    def metric_list(self, top: dict[str, Any], hint: str) -> list[Any]:
        """The ``metrics`` list of a catalog (empty after AA008 when it is something else)."""
        metrics = top["metrics"]
        if isinstance(metrics, list):
            return metrics
        self.problem(("metrics",), self.path, "catalog 'metrics' is not a list", hint)
        return []

    def bad_id(self, raw: object, keypath: KeyPath) -> None:
        """AA008: the name a format uses as the id is not a valid id."""
        shown = raw if isinstance(raw, str) else type(raw).__name__
        self.problem(
            keypath,
            self.path,
            f"catalog metric {str(shown)[:40]!r} is not a valid id: start with a letter, then "
            "letters, digits, '_' or '-', at most 64 characters",
            "rename the metric in the catalog",
            "id",
        )


_HINT = "fix the catalog entry (see SPEC §8 for the fields align-audit reads)"


def _lower(text: str) -> str:
    return text[:1].lower() + text[1:]
