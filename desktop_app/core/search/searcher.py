"""The full-text search index (Whoosh): build, keep current, query.

The index is a cache of the content. A full build goes into a new generation folder and becomes
current only through an atomic rename of the ``current`` pointer file, so an interrupted build never
replaces a good index. Incremental updates use Whoosh's own atomic commit. Each document stores the
fingerprint of its file, so the index always knows what it was built from.
"""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path
from typing import Any

from desktop_app.core.content import Library, rel_file
from desktop_app.core.search import whoosh_import  # noqa: F401  (first: see its docstring)
from desktop_app.core.search.build import _cancel, new_writer
from desktop_app.core.search.query import TEXT_FIELDS, TITLE_FIELDS, QueryPlan, build_plan
from desktop_app.core.search.ranking import ImpactCache, RankedConcept, TermSpec, rank
from desktop_app.core.search.results import Hit, SearchResults
from desktop_app.core.search.snippets import TokenCache, best_section, lead, snippet
from desktop_app.core.search.spelling import Speller
from desktop_app.core.search.store import (
    BUILD_BUSY,
    FIELD_BOOSTS,
    Progress,
    UpdateStats,
    _build_current,
    _build_generation,
    _build_lock,
    _current_location,
    _Locked,
    _memory_note,
    _open_current,
    _open_searcher,
    _ram_storage,
    _read_pointer,
    _record_checksums,
    _stemmer,
    _write_all,
    article_document,
    build_schema,
    document_fingerprint,
)
from desktop_app.core.search.thesaurus import ThesaurusCache
from desktop_app.errors import IndexUnavailable

log = logging.getLogger(__name__)

TITLE_WEIGHT = 0.5


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
        self._spelling: Speller | None = None
        self._stored_fingerprints: dict[str, str] | None = None
        self._thesauri = ThesaurusCache()
        self._thesaurus = self._thesauri.get(library)
        self._texts = TokenCache()
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
        self._thesaurus = self._thesauri.get(library)
        with self._lock:
            if self._stored_fingerprints is None:  # read once; kept current after each commit
                self._stored_fingerprints = {
                    f["slug"]: f.get("fingerprint", "") for f in self._searcher.all_stored_fields()
                }
            stored = dict(self._stored_fingerprints)
        current = {s: document_fingerprint(library, s) for s in library.articles}
        changed = [s for s, print_ in current.items() if s in stored and stored[s] != print_]
        added = [s for s in library.articles if s not in stored]
        removed = [s for s in stored if s not in library.articles]
        if not (changed or added or removed):
            return UpdateStats(seconds=time.perf_counter() - start)
        if self.read_only:
            raise IndexUnavailable("The search index is read-only")
        try:
            writer = new_writer(self._ix, timeout=0.5)
        except LockError as exc:
            raise _Locked() from exc
        try:
            self._delete(writer, changed + removed + added)  # "added" may be stale news
            work = changed + added
            for i, slug in enumerate(work):
                writer.add_document(**article_document(library, slug))
                if progress:
                    progress(i + 1, len(work))
            writer.commit()
        except BaseException:
            _cancel(writer)
            raise
        self._reopen()
        self._stored_fingerprints = current
        if self.location is not None:
            _record_checksums(self.location)
        stats = UpdateStats(len(added), len(changed), len(removed), time.perf_counter() - start)
        log.info("index updated: %s", stats)
        return stats

    def _delete(self, writer: Any, slugs: list[str]) -> None:
        """Delete the documents of ``slugs``, found through this index's open searcher.

        Whoosh's own ``delete_by_term`` opens a reader on every segment first (a tenth of a
        second at 10,000 articles); when the writer sees the same segments as the searcher,
        the searcher already knows each document's number.
        """
        with self._lock:
            searcher = self._searcher
            if not searcher.up_to_date() or len(writer.segments) != len(searcher.leaf_searchers()):
                for slug in slugs:
                    writer.delete_by_term("slug", slug)
                return
            for slug in slugs:
                for doc in searcher.document_numbers(slug=slug):
                    writer.delete_document(doc)

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
        sections: bool = True,
    ) -> SearchResults:
        """Run a query; never raises for odd input. ``topic`` filters to one topic slug.

        Each hit names the section of its article that answers best (``sections``), with a
        snippet from that section (``snippets``).
        """
        text = text[:1000]
        with self._lock:
            searcher = self._searcher
            self._impacts.prepare()
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
            ranked, total, complete = self._ranked(searcher, plan, limit, topic)
            suggestion = None
            fuzzy = False
            if plan.corrections:
                # A word the index has never seen can only be a typo (or absent): search its
                # correction too, and offer the corrected query.
                corrected = plan.with_corrections()
                suggestion = plan.suggestion()
                more, more_total, more_complete = self._ranked(searcher, corrected, limit, topic)
                if more_total >= total:
                    ranked, total, plan, fuzzy = more, more_total, corrected, True
                    complete = more_complete
            hits = [
                self._hit(fields, score, plan, snippets=snippets, sections=sections)
                for score, fields in ranked
            ]
        return SearchResults(text, total, tuple(hits), suggestion, fuzzy, complete)

    def _ranked(
        self, searcher: Any, plan: QueryPlan, limit: int, topic: str | None
    ) -> tuple[list[tuple[float, dict[str, Any]]], int, int | None]:
        """Run the plan: plain queries on cached impacts, query syntax through Whoosh."""
        from whoosh.query import Prefix, Term

        if plan.concepts:
            return self._ranked_fast(searcher, plan, limit, topic)
        topic_filter = None
        if topic:
            topic_filter = Term("topic_slug", topic) | Prefix("topic_slug", topic + "/")
        results = searcher.search(plan.query, limit=limit, filter=topic_filter)
        total = results.estimated_length() if len(results) else 0
        return [(float(hit.score), hit.fields()) for hit in results], int(total), None

    def _ranked_fast(
        self, searcher: Any, plan: QueryPlan, limit: int, topic: str | None
    ) -> tuple[list[tuple[float, dict[str, Any]]], int, int]:
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
        best, total, complete = rank(
            self._impacts, concepts, limit=limit, allowed=allowed, title_weight=TITLE_WEIGHT
        )
        return [(score, searcher.stored_fields(doc)) for doc, score in best], total, complete

    def _speller(self) -> Speller:
        if self._spelling is None:
            self._spelling = Speller(self._searcher.reader())
        return self._spelling

    def warm(self) -> None:
        """Prepare the spelling index and the postings' tables now (off the UI thread)."""
        with self._lock:
            self._speller()
            self._impacts.warm(TEXT_FIELDS)

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

    def _hit(
        self,
        fields: dict[str, Any],
        score: float,
        plan: QueryPlan,
        *,
        snippets: bool,
        sections: bool,
    ) -> Hit:
        """A hit with its best section and a snippet from it."""
        slug = fields["slug"]
        article = self.library.articles.get(slug)
        path = rel_file(article.path, self.library.root_dir) if article is not None else ""
        section = None
        text = ""
        if snippets or sections:
            tokens = self._texts.get(self.library, slug, self._stem)
            if sections and plan.body_terms:
                section = best_section(tokens, plan.body_terms)
            if snippets:
                text = (
                    snippet(tokens, plan.body_terms, within=section)
                    if plan.body_terms
                    else lead(tokens.text)
                )
        return Hit(
            slug,
            fields.get("title", slug),
            fields.get("topic", ""),
            score,
            text,
            section.heading if section else "",
            section.anchor if section else "",
            path,
        )

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
