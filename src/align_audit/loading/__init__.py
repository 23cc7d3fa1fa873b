"""Loading: paths → parsed documents with source maps (no knowledge of the declaration format)."""

from __future__ import annotations

from align_audit.loading.discovery import Source, discover, read_bytes
from align_audit.loading.document import REFUSED, Document, KeyPath, SourceMap, pointer
from align_audit.loading.limits import Limits
from align_audit.loading.yaml_reader import read_document

__all__ = [
    "REFUSED",
    "Document",
    "KeyPath",
    "Limits",
    "Source",
    "SourceMap",
    "discover",
    "load_documents",
    "pointer",
    "read_document",
    "read_source",
]


def load_documents(paths: list[str], limits: Limits | None = None) -> list[Document]:
    """Discover, read and parse every input, in SPEC order (sorted display paths)."""
    limits = limits or Limits()
    return [read_source(source, limits) for source in discover(paths)]


def read_source(source: Source, limits: Limits) -> Document:
    """Read and parse one discovered input."""
    return read_document(source.display, read_bytes(source, limits.max_file_size), limits)
