"""The search index's life on disk.

Generations, the pointer file, the build lock, checksums, atomic writes, seeds from a packaged
index, and the in-memory fallback.

A full build goes into a new generation folder that becomes current by an atomic rename of the
pointer file; updates use Whoosh's atomic commit. Queries live in ``searcher``.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import logging
import os
import shutil
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from desktop_app.core.content import Library
from desktop_app.core.render import headings, markdown_to_text
from desktop_app.core.search import whoosh_import  # noqa: F401  (first: see its docstring)
from desktop_app.core.search.stemming import STEMMER

log = logging.getLogger(__name__)

SCHEMA_VERSION = 7  # 5: Snowball stemmer in meta.json; 6: title once; 7: compact postings
TITLE_REPEAT = 1  # title and aliases once in the body too; their own fields carry the weight
HEADING_REPEAT = 0  # headings are in the text already
POINTER_FILE = "current"
META_FILE = "meta.json"
BUILD_LOCK_FILE = "build.lock"
BUILD_WAIT_SECONDS = 120.0
BUILD_BUSY = "Another Spine Atlas is still building the search index"
FIELD_BOOSTS = {
    "title": 6.0,
    "aliases": 5.0,
    "headings": 2.5,
    "tags": 2.0,
    "topic": 1.5,
    "body": 1.0,
}
Progress = Callable[[int, int], None]


@dataclass(frozen=True, slots=True)
class UpdateStats:
    """What an update changed."""

    added: int = 0
    changed: int = 0
    removed: int = 0
    seconds: float = 0.0


def build_schema() -> Any:
    """Return the Whoosh schema (imported lazily: Whoosh costs ~100 ms to import)."""
    from whoosh.analysis import LowercaseFilter, RegexTokenizer, StemmingAnalyzer, StopFilter
    from whoosh.fields import ID, KEYWORD, STORED, TEXT, Schema

    from desktop_app.core.search.compact import raw_positions as raw
    from desktop_app.core.search.stemming import stem

    stemming = StemmingAnalyzer(stemfn=stem, cachesize=-1)
    plain = RegexTokenizer() | LowercaseFilter() | StopFilter(minsize=2)
    # "body" holds the title and aliases once, the topic, the summary and the text: one scored
    # field keeps a query to one posting list per term (Whoosh scores in Python, so every extra
    # field multiplies the cost). The title and alias fields carry their weight (FIELD_BOOSTS,
    # and the re-ranking by concept coverage in SearchIndex._ranked); schema 4 repeated them
    # three times in the body, and the headings twice: more text to index, same relevance figures.
    return Schema(
        slug=ID(stored=True, unique=True),
        fingerprint=STORED(),
        title=raw(TEXT(analyzer=stemming, stored=True)),
        aliases=raw(TEXT(analyzer=stemming)),
        tags=KEYWORD(lowercase=True, commas=True, scorable=True),
        topic=STORED(),
        topic_slug=ID(stored=True),
        body=raw(TEXT(analyzer=stemming)),
        words=TEXT(analyzer=plain, phrase=False),
    )


def article_document(library: Library, slug: str) -> dict[str, str]:
    """Return the fields Whoosh indexes for one article."""
    article = library.articles[slug]
    try:
        body = library.read_body(slug)
    except OSError as exc:
        log.warning("cannot read %s for indexing: %s", article.path, exc)
        body = ""
    text = markdown_to_text(body)
    heads = " \n".join(headings(body))
    aliases = " \n".join(article.aliases)
    topic = library.topic_path(slug)
    return {
        "slug": slug,
        "fingerprint": document_fingerprint(library, slug),
        "title": article.title,
        "aliases": aliases,
        "tags": ",".join(article.tags),
        "topic": topic,
        "topic_slug": article.topic,
        "body": "\n".join(
            [article.title, aliases] * TITLE_REPEAT
            + [heads] * HEADING_REPEAT
            + [topic, article.summary, text]
        ),
        "words": _distinct_words(f"{article.title}\n{aliases}\n{article.summary}\n{heads}\n{text}"),
    }


def _distinct_words(text: str) -> str:
    """Each distinct token of ``text`` once: "words" serves document frequencies only.

    Tokens are cut with the field's own tokenizer pattern and kept as written, so the field's
    analyzer finds exactly the terms it would in the whole text, at a fraction of the work.
    """
    from whoosh.analysis.tokenizers import default_pattern  # RegexTokenizer's own pattern

    return " ".join(dict.fromkeys(m.group() for m in default_pattern.finditer(text)))


def document_fingerprint(library: Library, slug: str) -> str:
    """Return what an article's index document depends on: its file and its place in the tree."""
    article = library.articles[slug]
    where = f"{article.topic}\n{library.topic_path(slug)}".encode()
    return f"{article.fingerprint}-{hashlib.blake2b(where, digest_size=6).hexdigest()}"


class _Locked(Exception):
    """The index's write lock is held by another process."""


def _open_searcher(ix: Any) -> Any:
    """Open a searcher with the fast scorer and its field lengths already read."""
    from desktop_app.core.search.scoring import FastBM25F, warm

    searcher = ix.searcher(weighting=FastBM25F())
    warm(searcher, "body")
    return searcher


def _stemmer() -> Callable[[str], str]:
    """Return the body field's stemmer with an unbounded cache (a bounded vocabulary)."""
    from desktop_app.core.search.stemming import stem

    cache: dict[str, str] = {}

    def cached(word: str) -> str:
        found = cache.get(word)
        if found is None:
            found = cache[word] = stem(word)
        return found

    return cached


def _ram_storage() -> Any:
    """Return a Whoosh RamStorage whose temporary files stay in memory too.

    WORKAROUND: Whoosh-Reloaded 2.7.5's RamStorage writes a writer's temporary files into the
    shared folder ``/tmp/MAIN.tmp`` and deletes that folder when the writer finishes, so two
    in-memory builds at once (two instances, two threads, two test runs) destroy each other's
    files, and a read-only ``/tmp`` breaks the in-memory fallback.
    """
    from whoosh.filedb.filestore import RamStorage

    class _PrivateRamStorage(RamStorage):  # type: ignore[misc]
        def temp_storage(self, name: str | None = None) -> Any:
            return RamStorage()

    return _PrivateRamStorage()


def _memory_note(index_dir: Path, exc: OSError) -> str:
    return (
        f"Search index kept in memory: cannot write {index_dir} "
        f"({exc.strerror or exc}). It will be rebuilt at the next start."
    )


def _write_all(
    ix: Any, library: Library, progress: Progress | None, location: Path | None = None
) -> None:
    """Write every article: on several processes for a big library in a folder, else here."""
    from desktop_app.core.search.build import build_processes, write_parallel, write_serial

    processes = build_processes(len(library.articles)) if location is not None else 1
    if processes > 1:
        log.info("building the index with %d processes", processes)
        write_parallel(ix, str(location), library, article_document, progress, processes)
    else:
        write_serial(ix, library, article_document, progress)


def _read_pointer(index_dir: Path) -> Path | None:
    try:
        name = (index_dir / POINTER_FILE).read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return None
    if not name or "/" in name or name.startswith("."):
        return None
    return index_dir / name


def _current_location(index_dir: Path) -> Path | None:
    """Return the generation folder the pointer names, if it exists."""
    location = _read_pointer(index_dir)
    return location if location is not None and location.is_dir() else None


def _open_current(index_dir: Path, library: Library) -> tuple[Any, Path] | None:
    """Open the current generation if it is valid for this content; else None."""
    from whoosh.index import open_dir

    location = _current_location(index_dir)
    if location is None:
        return None
    try:
        meta = json.loads((location / META_FILE).read_text(encoding="utf-8"))
        if meta.get("schema") != SCHEMA_VERSION or meta.get("stemmer") != STEMMER:
            log.info("index schema %s != %s: rebuilding", meta.get("schema"), SCHEMA_VERSION)
            return None
        if _damaged(location, meta.get("files", {})):
            raise ValueError("its files do not match the checksums in meta.json")
        ix = open_dir(str(location))
        with ix.searcher() as probe:
            list(probe.all_stored_fields())
            probe.reader().doc_count()
        return ix, location
    except Exception as exc:
        log.warning(
            "search index at %s is unusable (%s: %s); rebuilding", location, type(exc).__name__, exc
        )
        return None


def _valid_meta(location: Path) -> bool:
    try:
        meta = json.loads((location / META_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return (
        isinstance(meta, dict)
        and meta.get("schema") == SCHEMA_VERSION
        and meta.get("stemmer") == STEMMER
    )


def _adopt_seed(index_dir: Path, seed: Path) -> None:
    """Copy a prebuilt generation into ``index_dir`` and make it current."""
    location = index_dir / f"gen-{time.time_ns():x}-{os.getpid()}"
    try:
        shutil.copytree(seed, location)
        _atomic_write(index_dir / POINTER_FILE, location.name)
    except BaseException:
        shutil.rmtree(location, ignore_errors=True)
        raise
    _remove_old_generations(index_dir, keep=location)


@contextlib.contextmanager
def _build_lock(index_dir: Path, wait: float = BUILD_WAIT_SECONDS) -> Iterator[bool]:
    """Hold the folder's build lock (yield True), or yield False if another instance keeps it.

    Instances build one at a time, so a build never deletes a generation another is writing.
    """
    from whoosh.util.filelock import FileLock

    lock = FileLock(str(index_dir / BUILD_LOCK_FILE))
    deadline = time.monotonic() + wait
    while not lock.acquire(blocking=False):
        if time.monotonic() >= deadline:
            yield False
            return
        time.sleep(0.05)
    try:
        yield True
    finally:
        lock.release()


def _build_current(
    index_dir: Path,
    library: Library,
    progress: Progress | None,
    seed: Path | None,
    pointer: Path | None,
) -> tuple[Any, Path]:
    """Make a current generation (from the seed, or built) under the build lock.

    ``pointer`` is the generation that was current before: if another instance switched it while
    this one waited for the lock, its fresh generation is used instead of building again.
    """
    with _build_lock(index_dir) as locked:
        if not locked:
            raise OSError(errno.EBUSY, BUILD_BUSY)
        if _read_pointer(index_dir) != pointer:
            existing = _open_current(index_dir, library)
            if existing is not None:
                return existing
        if seed is not None and _valid_meta(seed):
            with contextlib.suppress(OSError):
                _adopt_seed(index_dir, seed)
                existing = _open_current(index_dir, library)
                if existing is not None:
                    return existing
        return _build_generation(index_dir, library, progress)


def _build_generation(
    index_dir: Path, library: Library, progress: Progress | None
) -> tuple[Any, Path]:
    """Build a new generation folder and atomically make it current."""
    from whoosh.index import create_in, open_dir

    location = index_dir / f"gen-{time.time_ns():x}-{os.getpid()}"
    location.mkdir(parents=True)
    try:
        ix = create_in(str(location), build_schema())
        _write_all(ix, library, progress, location)
        ix.close()
        meta = {
            "schema": SCHEMA_VERSION,
            "stemmer": STEMMER,
            "content": str(library.root_dir),
            "built": time.strftime("%Y-%m-%dT%H:%M:%S"),
            "files": _checksums(location),
        }
        _atomic_write(location / META_FILE, json.dumps(meta))
        _atomic_write(index_dir / POINTER_FILE, location.name)
    except BaseException:
        shutil.rmtree(location, ignore_errors=True)
        raise
    _remove_old_generations(index_dir, keep=location)
    return open_dir(str(location)), location


def _checksums(location: Path, known: dict[str, str] | None = None) -> dict[str, str]:
    """Return a checksum of each index file: a damaged file is found before a search trips on it.

    Opening reads only the table of contents and the stored fields; a flipped byte in a
    segment's terms or postings would otherwise surface as an exception in the middle of a query.
    Whoosh never rewrites a file under the same name, so ``known`` sums (from before a commit)
    are reused for files that are still there: an update hashes only what it wrote.
    """
    sums = {}
    for path in sorted(location.iterdir()):
        if path.is_file() and path.name != META_FILE and not path.name.endswith("WRITELOCK"):
            reused = (known or {}).get(path.name)
            if reused is not None and not path.name.endswith(".toc"):
                sums[path.name] = reused
                continue
            with path.open("rb") as fh:  # a chunk at a time: not a whole postings file in memory
                sums[path.name] = hashlib.file_digest(fh, _blake2b).hexdigest()
    return sums


def _blake2b() -> Any:
    return hashlib.blake2b(digest_size=16)


def _damaged(location: Path, expected: dict[str, str]) -> bool:
    """Tell whether a file listed in meta.json is missing or changed (extra files are unused)."""
    found = _checksums(location)
    return any(found.get(name) != digest for name, digest in expected.items())


def _record_checksums(location: Path) -> None:
    """Store the checksums of a generation's files after a commit changed them."""
    meta_path = location / META_FILE
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    meta["files"] = _checksums(location, meta.get("files"))
    _atomic_write(meta_path, json.dumps(meta))


def _atomic_write(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with tmp.open("w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        tmp.replace(path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _remove_old_generations(index_dir: Path, keep: Path) -> None:
    for old in index_dir.glob("gen-*"):
        if old != keep and old.is_dir():
            with contextlib.suppress(OSError):
                shutil.rmtree(old)
