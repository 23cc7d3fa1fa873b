"""Reading many large files on every core: the first file is parsed here and each other one
in a worker process, while the audit takes the documents in their order. A large first file
is cut in two (see :mod:`.halves`): its second half goes to a worker too.

Parsing is most of a large audit's own time, and each file parses alone. A worker sends its
document back pickled (data, offsets and lines, see :meth:`SourceMap.__getstate__`):
rebuilding it costs a fraction of parsing it. Workers are forked, so they start in
milliseconds with everything imported. It is done only when it pays — several files, enough
bytes, more than one core — and only when no other thread runs (a forked child gets a copy of
locks other threads may hold; ``--data`` reads in a thread).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from align_audit.loading import Document, Limits, Source, read_document, read_source
from align_audit.loading.discovery import read_bytes
from align_audit.loading.halves import SPLIT_FROM, Cut, Half, cut, joined, parse_second
from align_audit.loading.text import decoded
from align_audit.loading.yaml_reader import line_table, read_text

if TYPE_CHECKING:
    from concurrent.futures import Future

MIN_FILES = 2
MIN_BYTES = 8_000_000
"""Below this much YAML, forking and pickling cost more than the second core saves."""


def read_documents(
    sources: list[Source],
    read: Callable[[Source, int], bytes],
    limits: Limits,
    parallel: bool = True,
) -> Iterator[Document]:
    """The parsed document of each source, in order; ``read`` gives a source's bytes.
    ``parallel`` allows worker processes (only for files on disk, read as ``read_bytes``)."""
    if parallel and _pays(sources):
        yield from _forked(sources, limits)
        return
    for source in sources:
        yield read_document(source.display, read(source, limits.max_file_size), limits)


def _pays(sources: list[Source]) -> bool:
    return (
        (os.cpu_count() or 1) > 1
        and threading.active_count() == 1
        and all(source.path is not None for source in sources)
        and hasattr(os, "fork")
        and bool(sources)
        and (
            (len(sources) >= MIN_FILES and sum(source.size for source in sources) >= MIN_BYTES)
            or sources[0].size >= SPLIT_FROM  # its halves are parsed side by side
        )
    )


def _parse(source: Source, limits: Limits) -> Document | None:
    """In a worker: one file's document (None when it cannot be read: the audit then reads it
    itself, and says why as it always does)."""
    try:
        return read_source(source, limits)
    except Exception:
        return None


def _second_half(path: str, cut: Cut, limits: Limits) -> Half | None:
    """In a worker: the second half of a large first file (None when it must be parsed
    whole)."""
    try:
        return parse_second(path, cut.key, cut.at, cut.rest, limits)
    except Exception:
        return None


def _forked(sources: list[Source], limits: Limits) -> Iterator[Document]:
    # Imported here: they cost every start-up ~15 ms, and most audits never fork.
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    first, *rest = sources
    text = decoded(first.display, read_bytes(first, limits.max_file_size), limits)
    halves = cut(text) if isinstance(text, str) else None
    workers = min(os.cpu_count() or 1, len(rest) + (halves is not None))
    if not workers:
        yield _first(first.display, text, None, None, limits)
        return
    pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"))
    try:
        second = (
            None if halves is None else pool.submit(_second_half, first.display, halves, limits)
        )
        futures: list[Future[Document | None]] = [
            pool.submit(_parse, source, limits) for source in rest
        ]
        # The first file is needed first: parsed here while the workers start on the others
        # (and on its second half, when it is cut), it is never pickled, sent and rebuilt.
        yield _first(first.display, text, halves, second, limits)
        for source, future in zip(rest, futures, strict=True):
            try:
                document = future.result()
            except Exception:  # a worker died, or its document could not be sent
                document = None
            yield read_source(source, limits) if document is None else document
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _first(
    path: str,
    text: str | Document,
    halves: Cut | None,
    second: Future[Half | None] | None,
    limits: Limits,
) -> Document:
    """The first file's document: from its halves when they join, else parsed whole."""
    if isinstance(text, Document):
        return text  # it could not be decoded: the finding says why
    lines = line_table(text)
    if halves is not None and second is not None:
        first_half = read_text(path, halves.first, limits, lines=lines)
        try:
            half = second.result()
        except Exception:  # a worker died, or the half could not be sent
            half = None
        document = None if half is None else joined(first_half, half, halves, lines)
        if document is not None:
            return document
    return read_text(path, text, limits, lines=lines)
