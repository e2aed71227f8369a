"""The full-text search index (Whoosh): build, keep current, query.

The index is a cache of the content. A full build goes into a new generation folder and becomes
current only through an atomic rename of the ``current`` pointer file, so an interrupted build never
replaces a good index. Incremental updates use Whoosh's own atomic commit. Each document stores the
fingerprint of its file, so the index always knows what it was built from.
"""

from __future__ import annotations

import bisect
import contextlib
import errno
import hashlib
import heapq
import json
import logging
import os
import shutil
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from desktop_app.core.search import whoosh_import  # noqa: F401  (first: see its docstring)
from desktop_app.core.content.library import Library
from desktop_app.core.render.plaintext import headings, markdown_to_text
from desktop_app.core.search.query import TITLE_FIELDS, QueryPlan, build_plan
from desktop_app.core.search.ranking import ImpactCache, RankedConcept, TermSpec, rank
from desktop_app.core.search.snippets import TokenMap, lead, snippet, token_map
from desktop_app.core.search.spelling import DeletionIndex
from desktop_app.core.search.thesaurus import Thesaurus, abbreviation_groups, initialism_groups
from desktop_app.errors import IndexUnavailable

log = logging.getLogger(__name__)

SCHEMA_VERSION = 4
TITLE_REPEAT = 3
HEADING_REPEAT = 2
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
TITLE_WEIGHT = 0.5


@dataclass(frozen=True, slots=True)
class Hit:
    """One search result."""

    slug: str
    title: str
    topic: str
    score: float
    snippet: str = ""


@dataclass(frozen=True, slots=True)
class SearchResults:
    """The answer to one query."""

    query: str
    total: int
    hits: tuple[Hit, ...] = ()
    suggestion: str | None = None
    fuzzy: bool = False

    def to_json(self) -> dict[str, Any]:
        """Return the CLI's JSON shape."""
        return {
            "query": self.query,
            "total": self.total,
            "suggestion": self.suggestion,
            "hits": [
                {
                    "slug": h.slug,
                    "title": h.title,
                    "topic": h.topic,
                    "score": round(h.score, 4),
                    "snippet": h.snippet,
                }
                for h in self.hits
            ],
        }


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
    from whoosh.lang.porter2 import stem

    stemming = StemmingAnalyzer(stemfn=stem, cachesize=-1)
    plain = RegexTokenizer() | LowercaseFilter() | StopFilter(minsize=2)
    # "body" holds everything, with the title and aliases repeated three times and headings
    # twice: one scored field keeps a query to one posting list per term (Whoosh scores in
    # Python, so every extra field multiplies the cost); title priority is enforced again when
    # results are re-ranked by concept coverage (see SearchIndex._ranked).
    return Schema(
        slug=ID(stored=True, unique=True),
        fingerprint=STORED(),
        title=TEXT(analyzer=stemming, stored=True),
        aliases=TEXT(analyzer=stemming),
        tags=KEYWORD(lowercase=True, commas=True, scorable=True),
        topic=STORED(),
        topic_slug=ID(stored=True),
        body=TEXT(analyzer=stemming),
        words=TEXT(analyzer=plain, phrase=False),
    )


def library_thesaurus(library: Library) -> Thesaurus:
    """Return the thesaurus: curated groups plus abbreviations found in titles and aliases.

    ``thesaurus.yaml`` gives the curated groups; each article's title and aliases add "Expansion
    (ABBR)" pairs and capitalised aliases whose initials spell another alias ("SMT").
    """
    groups: list[tuple[str, ...]] = list(library.thesaurus)
    for article in library.articles.values():
        names = [article.title, *article.aliases]
        groups += abbreviation_groups(names)
        groups += initialism_groups(names)
    return Thesaurus(groups)


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
        "words": f"{article.title}\n{aliases}\n{article.summary}\n{heads}\n{text}",
    }


def document_fingerprint(library: Library, slug: str) -> str:
    """Return what an article's index document depends on: its file and its place in the tree."""
    article = library.articles[slug]
    where = f"{article.topic}\n{library.topic_path(slug)}".encode()
    return f"{article.fingerprint}-{hashlib.blake2b(where, digest_size=6).hexdigest()}"


@dataclass
class _TokenCache:
    """Token maps of recently shown articles, for snippets (least recently used out first).

    A page of results shows 20 snippets, and typing a query on shows mostly the same articles:
    32 maps (about 40 kB each here) keep that fast without holding every article.
    """

    size: int = 32
    items: dict[str, tuple[str, TokenMap]] = field(default_factory=dict)

    def get(self, library: Library, slug: str, stem: Callable[[str], str]) -> TokenMap:
        article = library.articles.get(slug)
        if article is None:
            return TokenMap("", {})
        cached = self.items.pop(slug, None)
        if cached and cached[0] == article.fingerprint:
            self.items[slug] = cached  # now the most recently used
            return cached[1]
        try:
            text = markdown_to_text(library.read_body(slug))
        except OSError:
            text = ""
        tokens = token_map(f"{article.summary} {text}" if article.summary else text, stem)
        if len(self.items) >= self.size:
            self.items.pop(next(iter(self.items)))
        self.items[slug] = (article.fingerprint, tokens)
        return tokens


class SearchIndex:
    """A Whoosh index over one library. Thread-safe: searches share one searcher under a lock."""

    def __init__(
        self,
        ix: Any,
        library: Library,
        *,
        location: Path | None = None,
        read_only: bool = False,
        note: str = "",
    ) -> None:
        self._ix = ix
        self.library = library
        self.location = location
        self.read_only = read_only
        self.note = note
        self._lock = threading.RLock()
        self._searcher = _open_searcher(ix)
        self._impacts = ImpactCache(self._searcher)
        self._topics_cache: list[str] | None = None
        self._spelling: _Speller | None = None
        self._stored_fingerprints: dict[str, str] | None = None
        self._thesaurus = library_thesaurus(library)
        self._texts = _TokenCache()
        self._stem = _stemmer()

    # -- opening and building -------------------------------------------------------------
    @classmethod
    def in_memory(
        cls, library: Library, progress: Progress | None = None, note: str = ""
    ) -> SearchIndex:
        """Build an index in memory (tests, or when the cache folder cannot be written)."""
        ix = _ram_storage().create_index(build_schema())
        _write_all(ix, library, progress)
        return cls(ix, library, note=note)

    @classmethod
    def open_or_build(
        cls,
        library: Library,
        index_dir: Path,
        progress: Progress | None = None,
        seed: Path | None = None,
    ) -> SearchIndex:
        """Open the index in ``index_dir``, update it, or build it; fall back to memory.

        ``seed`` is an index built at packaging time: when there is no usable index yet, it is
        copied in and brought up to date instead of building from scratch.
        """
        try:
            index_dir.mkdir(parents=True, exist_ok=True)
            pointer = _read_pointer(index_dir)
            existing = _open_current(index_dir, library)
            if existing is None:
                existing = _build_current(index_dir, library, progress, seed, pointer)
        except OSError as exc:
            return cls.in_memory(library, progress, note=_memory_note(index_dir, exc))
        index = cls(existing[0], library, location=existing[1])
        try:
            index.update(library, progress)
        except _Locked:
            index.read_only = True
            index.note = "Another Spine Atlas is updating the search index; using it read-only."
        except OSError as exc:
            # The index on disk stays as it was (Whoosh commits atomically); search a fresh one
            # in memory so that results match the content.
            log.warning("cannot update the search index in %s: %s", index_dir, exc)
            index.close()
            return cls.in_memory(library, progress, note=_memory_note(index_dir, exc))
        return index

    @staticmethod
    def exists(index_dir: Path) -> bool:
        """Return whether ``index_dir`` has a current index (usable or not: not opened here)."""
        return _current_location(Path(index_dir)) is not None

    def rebuild(self, progress: Progress | None = None) -> None:
        """Build a fresh generation and switch to it (file-backed) or rebuild in memory."""
        if self.location is None:
            fresh = SearchIndex.in_memory(self.library, progress, note=self.note)
            self._swap(fresh._ix)
            return
        with _build_lock(self.location.parent) as locked:
            if not locked:
                raise IndexUnavailable(BUILD_BUSY, str(self.location.parent))
            ix, location = _build_generation(self.location.parent, self.library, progress)
        self.location = location
        self._swap(ix)

    def update(self, library: Library, progress: Progress | None = None) -> UpdateStats:
        """Bring the index in line with ``library``: add, replace and delete documents."""
        from whoosh.index import LockError

        start = time.perf_counter()
        self.library = library
        self._thesaurus = library_thesaurus(library)
        with self._lock:
            if self._stored_fingerprints is None:  # read once; kept current after each commit
                self._stored_fingerprints = {
                    f["slug"]: f.get("fingerprint", "") for f in self._searcher.all_stored_fields()
                }
            stored = dict(self._stored_fingerprints)
        changed = [
            s
            for s in library.articles
            if s in stored and stored[s] != document_fingerprint(library, s)
        ]
        added = [s for s in library.articles if s not in stored]
        removed = [s for s in stored if s not in library.articles]
        if not (changed or added or removed):
            return UpdateStats(seconds=time.perf_counter() - start)
        if self.read_only:
            raise IndexUnavailable("The search index is read-only")
        try:
            writer = self._ix.writer(timeout=0.5)
        except LockError as exc:
            raise _Locked() from exc
        try:
            work = changed + added
            for i, slug in enumerate(work):
                writer.update_document(**article_document(library, slug))
                if progress:
                    progress(i + 1, len(work))
            for slug in removed:
                writer.delete_by_term("slug", slug)
            writer.commit()
        except BaseException:
            _cancel(writer)
            raise
        self._reopen()
        self._stored_fingerprints = {s: document_fingerprint(library, s) for s in library.articles}
        if self.location is not None:
            _record_checksums(self.location)
        stats = UpdateStats(len(added), len(changed), len(removed), time.perf_counter() - start)
        log.info("index updated: %s", stats)
        return stats

    def _swap(self, ix: Any) -> None:
        with self._lock:
            old = self._searcher
            self._ix = ix
            self._searcher = _open_searcher(ix)
            self._impacts = ImpactCache(self._searcher)
            self._topics_cache = None
            self._spelling = None
            self._stored_fingerprints = None
            old.close()

    def _reopen(self) -> None:
        # WORKAROUND: Searcher.refresh() returns stale and duplicate documents in Whoosh-Reloaded
        # 2.7.5 (see notes/whoosh.md); always open a new searcher after a commit.
        self._swap(self._ix)

    def close(self) -> None:
        """Close the searcher and the index."""
        with self._lock:
            self._searcher.close()
            self._ix.close()

    @property
    def doc_count(self) -> int:
        """Return how many articles are indexed."""
        with self._lock:
            return int(self._searcher.doc_count())

    # -- searching ------------------------------------------------------------------------
    def search(
        self,
        text: str,
        *,
        limit: int = 10,
        topic: str | None = None,
        as_you_type: bool = False,
        snippets: bool = True,
    ) -> SearchResults:
        """Run a query; never raises for odd input. ``topic`` filters to one topic slug."""
        text = text[:1000]
        with self._lock:
            searcher = self._searcher
            plan = build_plan(
                text,
                searcher,
                self._thesaurus,
                FIELD_BOOSTS,
                as_you_type=as_you_type,
                speller=self._speller(),
            )
            if plan is None:
                return SearchResults(text, 0)
            ranked, total = self._ranked(searcher, plan, limit, topic)
            suggestion = None
            fuzzy = False
            if plan.corrections:
                # A word the index has never seen can only be a typo (or absent): search its
                # correction too, and offer the corrected query.
                corrected = plan.with_corrections()
                suggestion = plan.suggestion()
                more, more_total = self._ranked(searcher, corrected, limit, topic)
                if more_total >= total:
                    ranked, total, plan, fuzzy = more, more_total, corrected, True
            hits = [
                Hit(
                    fields["slug"],
                    fields.get("title", fields["slug"]),
                    fields.get("topic", ""),
                    score,
                    self.snippet(fields["slug"], plan) if snippets else "",
                )
                for score, fields in ranked
            ]
        return SearchResults(text, total, tuple(hits), suggestion, fuzzy)

    def _ranked(
        self, searcher: Any, plan: QueryPlan, limit: int, topic: str | None
    ) -> tuple[list[tuple[float, dict[str, Any]]], int]:
        """Run the plan: plain queries on cached impacts, query syntax through Whoosh."""
        from whoosh.query import Prefix, Term

        if plan.concepts:
            return self._ranked_fast(searcher, plan, limit, topic)
        topic_filter = None
        if topic:
            topic_filter = Term("topic_slug", topic) | Prefix("topic_slug", topic + "/")
        results = searcher.search(plan.query, limit=limit, filter=topic_filter)
        total = results.estimated_length() if len(results) else 0
        return [(float(hit.score), hit.fields()) for hit in results], int(total)

    def _ranked_fast(
        self, searcher: Any, plan: QueryPlan, limit: int, topic: str | None
    ) -> tuple[list[tuple[float, dict[str, Any]]], int]:
        """Plain queries: summed cached impacts, see ``desktop_app.core.search.ranking``."""
        allowed = None
        if topic:
            allowed = {
                doc
                for doc, fields in enumerate(self._topic_slugs(searcher))
                if fields == topic or fields.startswith(topic + "/")
            }
        concepts = [
            RankedConcept(tuple(_specs(c.anywhere, c.exact)), frozenset(TITLE_FIELDS), c.groups)
            for c in plan.concepts
        ]
        best, total = rank(
            self._impacts, concepts, limit=limit, allowed=allowed, title_weight=TITLE_WEIGHT
        )
        return [(score, searcher.stored_fields(doc)) for doc, score in best], total

    def _speller(self) -> _Speller:
        if self._spelling is None:
            self._spelling = _Speller(self._searcher.reader())
        return self._spelling

    def warm(self) -> None:
        """Prepare the spelling index now (off the UI thread) rather than at the first typo."""
        with self._lock:
            self._speller()

    def _topic_slugs(self, searcher: Any) -> list[str]:
        """Each document's topic slug (cached per searcher)."""
        if self._topics_cache is None:
            reader = searcher.reader()
            self._topics_cache = [
                "" if reader.is_deleted(doc) else reader.stored_fields(doc).get("topic_slug", "")
                for doc in range(reader.doc_count_all())
            ]
        return self._topics_cache

    def snippet(self, slug: str, plan: QueryPlan) -> str:
        """Return 1–2 fragments of the article with the matched words in <b>."""
        tokens = self._texts.get(self.library, slug, self._stem)
        return snippet(tokens, plan.body_terms) if plan.body_terms else lead(tokens.text)

    def vocabulary_size(self) -> int:
        """Return the number of distinct words (for diagnostics and benchmarks)."""
        with self._lock:
            return sum(1 for _ in self._searcher.reader().lexicon("words"))


def _specs(query: Any, exact: bool = False) -> list[TermSpec]:
    """Flatten an Or of Term/Phrase queries into term specs (``exact``: quoted phrases)."""
    from whoosh.query import Or, Phrase, Term

    if isinstance(query, Or):
        return [spec for sub in query.subqueries for spec in _specs(sub, exact)]
    if isinstance(query, Phrase):
        return [TermSpec(query.fieldname, tuple(query.words), query.boost, exact)]
    if isinstance(query, Term):
        return [TermSpec(query.fieldname, (query.text,), query.boost)]
    return []


class _Speller:
    """Spelling suggestions over the index's words and stems (see ``core.spelling``)."""

    def __init__(self, reader: Any) -> None:
        self._reader = reader
        words = list(_lexicon(reader, "words"))
        self._sorted = [w for w, _ in words]  # the lexicon is already in sorted order
        self._frequency = [f for _, f in words]
        self._completions: dict[tuple[str, int], tuple[str, ...]] = {}
        # The deletion indexes cost memory (several MB): built at the first unknown word.
        self._word_index: DeletionIndex | None = None
        self._stem_index: DeletionIndex | None = None

    @property
    def _words(self) -> DeletionIndex:
        if self._word_index is None:
            self._word_index = DeletionIndex(zip(self._sorted, self._frequency, strict=True))
        return self._word_index

    @property
    def _stems(self) -> DeletionIndex:
        if self._stem_index is None:
            self._stem_index = DeletionIndex(_lexicon(self._reader, "body"))
        return self._stem_index

    def complete(self, prefix: str, count: int) -> tuple[str, ...]:
        """Return the ``count`` commonest words starting with ``prefix``."""
        key = (prefix, count)
        found = self._completions.get(key)
        if found is None:
            lo = bisect.bisect_left(self._sorted, prefix)
            hi = bisect.bisect_left(self._sorted, prefix + "\U0010ffff", lo)
            best = heapq.nlargest(count, range(lo, hi), key=self._frequency.__getitem__)
            found = tuple(self._sorted[i] for i in best)
            if len(self._completions) > 20_000:
                self._completions.clear()
            self._completions[key] = found
        return found

    def word(self, word: str, maxdist: int) -> str | None:
        return self._words.suggest(word, maxdist)

    def stem(self, stem: str, maxdist: int) -> str | None:
        return self._stems.suggest(stem, maxdist)


def _lexicon(reader: Any, field: str) -> Iterator[tuple[str, int]]:
    for raw, info in reader.iter_field(field):
        text = raw.decode("utf-8") if isinstance(raw, bytes) else str(raw)
        yield text, info.doc_frequency()


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
    from whoosh.lang.porter2 import stem

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


def _write_all(ix: Any, library: Library, progress: Progress | None) -> None:
    writer = ix.writer(limitmb=256)
    try:
        slugs = list(library.articles)
        for i, slug in enumerate(slugs):
            writer.add_document(**article_document(library, slug))
            if progress:
                progress(i + 1, len(slugs))
        writer.commit()
    except BaseException:
        _cancel(writer)
        raise


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
        if meta.get("schema") != SCHEMA_VERSION:
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
    return isinstance(meta, dict) and meta.get("schema") == SCHEMA_VERSION


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
        _write_all(ix, library, progress)
        ix.close()
        meta = {
            "schema": SCHEMA_VERSION,
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
            sums[path.name] = hashlib.blake2b(path.read_bytes(), digest_size=16).hexdigest()
    return sums


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
