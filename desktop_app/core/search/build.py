"""A full index build on every core: the articles split between processes, one segment each.

Whoosh analyses text in Python, so a build is CPU-bound in one process. Here the articles are cut
into contiguous parts; helper processes write the later parts as segments of their own (Whoosh's
segment writer without the index lock, as its multiprocessing writer does) while this process
writes the first part, then one table of contents lists the segments in article order. Documents
keep the numbers a one-process build gives them, so scores and ties are the same; the segments
are not merged (merging re-reads every posting in Python and would cost the time saved).

Helpers are started with ``spawn`` (safe in a process with threads, the same on every system).
"""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Callable
from typing import Any

from desktop_app.core.content import Library
from desktop_app.core.search import whoosh_import  # noqa: F401  (first: see its docstring)

log = logging.getLogger(__name__)

PARALLEL_MIN_ARTICLES = 1000  # below this, starting a helper costs more than it saves
PREVIEW_MAX = 500  # articles searchable first (a small segment, written in seconds)
LIMIT_MB = 64  # Whoosh's posting buffer per process before it spills a sorted run to disk
# Segments stay as separate files. Whoosh opens a compound segment file by memory-mapping it and
# then copying each part into a BytesIO: every process that opens the index would hold the whole
# index twice (a copy, and the mapped pages it read to make it), ~200 MB at 10,000 articles.
# Separate files are read where needed, and nothing is copied at the end of a build.
COMPOUND = False
Progress = Callable[[int, int], None]
Document = Callable[[Library, str], dict[str, str]]


def build_processes(articles: int) -> int:
    """How many processes a build of ``articles`` articles uses."""
    if articles < PARALLEL_MIN_ARTICLES:
        return 1
    return max(1, min(os.cpu_count() or 1, 2))


def write_serial(ix: Any, library: Library, document: Document, progress: Progress | None) -> None:
    """Write every article with one writer and commit."""
    writer = new_writer(ix)
    try:
        slugs = list(library.articles)
        for i, slug in enumerate(slugs):
            writer.add_document(**document(library, slug))
            if progress:
                progress(i + 1, len(slugs))
        writer.commit()
    except BaseException:
        _cancel(writer)
        raise
    _impacts(ix)


def _impacts(ix: Any) -> None:
    """Store the finished index's impacts (``impacts.write_impacts``)."""
    from desktop_app.core.search.impacts import write_impacts
    from desktop_app.core.search.store import _open_searcher

    searcher = _open_searcher(ix)
    try:
        write_impacts(searcher)
    finally:
        searcher.close()


def write_parallel(
    ix: Any,
    location: str,
    library: Library,
    document: Document,
    progress: Progress | None,
    processes: int,
) -> None:
    """Write the articles with ``processes`` processes, one segment each, and commit.

    This process writes the first part, as two segments: a preview (a twentieth of the
    articles, at most ``PREVIEW_MAX``) and the rest of its part. After each, a table of contents
    lists what is written so far, so a reader can search the full text of those articles while
    the helpers finish (``progress`` is told through its ``searchable(location, count)``
    method, when it has one). The last table of contents lists every segment in article order.
    """
    import multiprocessing  # imports socket: only when a build uses it

    slugs = list(library.articles)
    parts = _split(slugs, processes)
    if len(parts) < 2:
        write_serial(ix, library, document, progress)
        return
    preview = max(1, min(len(parts[0]) - 1, len(slugs) // 20, PREVIEW_MAX))
    searchable = getattr(progress, "searchable", None)
    context = multiprocessing.get_context("spawn")
    done = context.Value("i", 0)
    writer = new_writer(ix)
    rest: Any = None
    try:
        with context.Pool(len(parts) - 1, initializer=_share, initargs=(done,)) as pool:
            pending = [
                pool.apply_async(_write_part, (location, library, part, document))
                for part in parts[1:]
            ]
            own = 0
            segments: list[Any] = []
            for current, chunk in ((writer, parts[0][:preview]), (None, parts[0][preview:])):
                if current is None:
                    current = rest = _segment_writer(ix)
                for slug in chunk:
                    current.add_document(**document(library, slug))
                    own += 1
                    if progress:
                        progress(own + done.value, len(slugs))
                segments.append(current._finalize_segment())
                if searchable is not None:
                    _write_toc(writer, segments, generation=writer.generation + len(segments))
                    searchable(location, own)
            for result in pending:
                while not result.ready():
                    result.wait(0.2)
                    if progress:
                        progress(own + done.value, len(slugs))
            segments += [result.get() for result in pending]
        _write_toc(writer, segments, generation=writer.generation + 3, clean=True)
        writer._finish()  # also removes the temporary folder the writers share
    except BaseException:
        if rest is not None and not rest.perdocwriter.is_closed:
            with contextlib.suppress(Exception):
                rest._close_segment()
        _cancel(writer)
        raise
    _impacts(ix)


def new_writer(ix: Any, **options: Any) -> Any:
    """A writer of ``ix`` that also writes compact postings (``compact.AtlasCodec``)."""
    from desktop_app.core.search.compact import AtlasCodec

    options = {"limitmb": LIMIT_MB, "compound": COMPOUND, **options}
    return _fast_lengths(ix.writer(codec=AtlasCodec(), **options))


def _segment_writer(ix: Any) -> Any:
    """A writer of one more segment, without the lock (the first writer holds it)."""
    from whoosh.writing import SegmentWriter

    from desktop_app.core.search.compact import AtlasCodec

    writer = SegmentWriter(ix, _lk=False, limitmb=LIMIT_MB, compound=COMPOUND, codec=AtlasCodec())
    return _fast_lengths(writer)


def _write_toc(writer: Any, segments: list[Any], *, generation: int, clean: bool = False) -> None:
    """Write a table of contents listing ``segments``; ``clean`` removes every other file.

    A preview's table of contents removes nothing: the helpers' segments are being written.
    """
    from whoosh.index import TOC, clean_files

    TOC(writer.schema, segments, generation).write(writer.storage, writer.indexname)
    if clean:
        clean_files(writer.storage, writer.indexname, generation, segments)


def _cancel(writer: Any) -> None:
    """Abandon a failed write, releasing the write lock even when cancelling fails too.

    On a full disk ``cancel()`` itself fails while flushing; the lock would then stay held, and
    every other instance read-only, for as long as this process runs.
    """
    try:
        writer.cancel()
    except Exception as exc:
        log.warning("index writer not cancelled cleanly: %s", exc)
        lock = getattr(writer, "writelock", None)
        if lock is not None:
            with contextlib.suppress(Exception):
                lock.release()


class _Lengths:
    """A segment's per-document reader whose field lengths are read a column at a time.

    Writing postings, Whoosh looks up the document's field length for every posting (for block
    statistics) through several Python layers; here each length column is read once.
    """

    def __init__(self, reader: Any) -> None:
        from whoosh.codec.whoosh3 import byte_to_length

        self._reader = reader
        self._columns: dict[str, bytes | None] = {}
        self._table: list[int | None] = [None] + [byte_to_length(b) for b in range(1, 256)]

    def doc_field_length(self, docnum: int, fieldname: str, default: int = 0) -> int | None:
        """As ``W3PerDocReader.doc_field_length`` (None for a zero length byte)."""
        column = self._columns.get(fieldname, b"")
        if column == b"":
            column = self._columns[fieldname] = self._column(fieldname)
        if column is None:
            return default
        return self._table[column[docnum]] if docnum < len(column) else None

    def _column(self, fieldname: str) -> bytes | None:
        from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield

        reader = self._reader._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
        if reader is None:
            return None
        count = self._reader._doccount
        stored = min(reader._count, count)
        return bytes(reader._dbfile.get(reader._basepos, stored)) + bytes(count - stored)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._reader, name)


def _fast_lengths(writer: Any) -> Any:
    """Make ``writer`` faster with the same output.

    The column-at-a-time length reader when its codec is Whoosh's W3, and runs of postings
    spilled to disk in batches (``_batched_runs``).
    """
    from whoosh.codec.whoosh3 import W3Codec

    if isinstance(writer.codec, W3Codec):
        plain = writer.per_document_reader
        writer.per_document_reader = lambda: _Lengths(plain())
    _batched_runs(writer.pool)
    return writer


RUN_BATCH = 2048  # postings pickled together in a spilled run


def _batched_runs(pool: Any) -> None:
    """Pickle a sorted run's postings ``RUN_BATCH`` at a time, not one by one.

    When its memory limit is reached, Whoosh's posting pool writes a sorted run to disk with
    one ``pickle.dump`` per posting and merges the runs back with one ``pickle.load`` each:
    about a fifth of a build's time. Batches hold the same postings in the same order.
    """
    import pickle
    from itertools import islice

    def write_run(f: Any, items: Any) -> None:
        items = iter(items)
        while batch := list(islice(items, RUN_BATCH)):
            pickle.dump(batch, f, pickle.HIGHEST_PROTOCOL)
        f.close()

    def read_run(path: str) -> Any:
        f = pool._open_run(path)
        try:
            while True:
                try:
                    batch = pickle.load(f)
                except EOFError:
                    return
                yield from batch
        finally:
            f.close()
            pool._remove_run(path)

    pool._write_run = write_run
    pool._read_run = read_run


def _split(slugs: list[str], processes: int) -> list[list[str]]:
    """Cut ``slugs`` into ``processes`` contiguous, nearly equal parts (none empty)."""
    size = -(-len(slugs) // processes)
    return [slugs[i : i + size] for i in range(0, len(slugs), size)] or [[]]


_done: Any = None  # in a helper: the count of articles written, shared with the parent


def _share(done: Any) -> None:
    global _done
    _done = done


def _write_part(location: str, library: Library, slugs: list[str], document: Document) -> Any:
    """In a helper process: write ``slugs`` as a new segment of the index; return the segment."""
    from whoosh.index import open_dir

    # No lock (the parent holds it), as in Whoosh's own multiprocessing writer; the parent also
    # cleans the shared temporary folder when it finishes.
    writer = _segment_writer(open_dir(location))
    try:
        for slug in slugs:
            writer.add_document(**document(library, slug))
            with _done.get_lock():
                _done.value += 1
        return writer._finalize_segment()
    except BaseException:
        writer._close_segment()
        raise
