"""Fast ranking of plain queries over Whoosh postings, with per-term BM25 impacts cached.

Whoosh scores a query by walking every posting through several Python layers (a matcher tree, a
scorer, the collector), about 10–30 µs a posting; a common medical word occurs in most articles,
so at a few thousand articles one query costs hundreds of milliseconds. Here each term's postings
are read once per searcher (from the segment's compact file, ``compact``) into a dict of document
numbers and BM25 impacts (stored ones when the index is as built); a query then only sums floats.
Whoosh still owns the index, the analysis, the query language (syntax queries use its searcher)
and the spelling correction.
"""

from __future__ import annotations

import heapq
import logging
from collections import Counter, OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import repeat
from operator import add, itemgetter, mul
from typing import Any

from desktop_app.core.search.compact import fast_doc_frequency
from desktop_app.core.search.impacts import (
    BuildStats,
    _impacts,
    _norms,
    _ready,
    _segment_id,
    build_stats,
)
from desktop_app.core.search.postings import leaf_postings, phrase_docs

log = logging.getLogger(__name__)

MAX_CACHED_POSTINGS = 2_000_000
SYNONYM_DECAY = 0.25


@dataclass(frozen=True, slots=True)
class TermSpec:
    """A term or a group of words in one field: all of them (AND), or as an ``exact`` phrase."""

    field: str
    words: tuple[str, ...]
    boost: float
    exact: bool = False


# One term's live documents (global numbers, ascending) and their BM25 impacts.
Postings = dict[int, float]


class ImpactCache:
    """Per-searcher cache of term postings as impacts (least recently used out first)."""

    def __init__(self, searcher: Any) -> None:
        self.searcher = searcher
        self._items: OrderedDict[tuple[str, str], Postings] = OrderedDict()
        self._size = 0
        self._concepts: OrderedDict[RankedConcept, ScoredConcept] = OrderedDict()
        self._concept_size = 0
        self._prepared = False
        self._stats: BuildStats | None = None

    def postings(self, field: str, text: str) -> Postings:
        """Return the postings of ``text`` in ``field`` (empty when absent)."""
        key = (field, text)
        found = self._items.get(key)
        if found is not None:
            self._items.move_to_end(key)
            return found
        found = self._read(field, text)
        self._store(key, found)
        return found

    def combined(
        self, field: str, words: tuple[str, ...], build: Callable[..., Postings]
    ) -> Postings:
        """Return (and cache) the postings of a group of words, built by ``build``."""
        key = (field, "\x00".join(words))
        found = self._items.get(key)
        if found is None:
            found = build(self, field, words)
            self._store(key, found)
        else:
            self._items.move_to_end(key)
        return found

    def concept(
        self, concept: RankedConcept, score: Callable[[ImpactCache, RankedConcept], ScoredConcept]
    ) -> ScoredConcept:
        """Return (and cache) a concept's scores: typing on re-scores the words before the last."""
        found = self._concepts.get(concept)
        if found is not None:
            self._concepts.move_to_end(concept)
            return found
        found = self._concepts[concept] = score(self, concept)
        self._concept_size += len(found.scores)
        while self._concept_size > MAX_CACHED_POSTINGS // 4 and len(self._concepts) > 1:
            _, old = self._concepts.popitem(last=False)
            self._concept_size -= len(old.scores)
        return found

    def prepare(self) -> None:
        """Open each segment's compact postings; answer term counts from them (once)."""
        if not self._prepared:
            fast_doc_frequency(self.searcher)
            self._stats = build_stats(self.searcher)
            self._prepared = True

    def _statistics(self, field: str, text: str) -> tuple[float, float]:
        """The term's idf and the field's average length: the last build's while they hold."""
        if self._stats is not None and field in self._stats.lengths:
            return self._stats.idf(field, text), self._stats.avg_field_length(field)
        searcher = self.searcher
        return searcher.idf(field, text), searcher.avg_field_length(field) or 1.0

    def warm(self, fields: Iterable[str]) -> None:
        """Prepare, and compute the fields' length terms now."""
        self.prepare()
        searcher = self.searcher
        for field in fields:
            avgfl = self._statistics(field, "")[1]
            for leaf, _ in searcher.leaf_searchers():
                _norms(leaf, field, avgfl)

    def _store(self, key: tuple[str, str], postings: Postings) -> None:
        self._items[key] = postings
        self._size += len(postings)
        while self._size > MAX_CACHED_POSTINGS and len(self._items) > 1:
            _, old = self._items.popitem(last=False)
            self._size -= len(old)

    def _read(self, field: str, text: str) -> Postings:
        searcher = self.searcher
        found: Postings = {}
        if not searcher.schema[field].scorable or searcher.doc_frequency(field, text) == 0:
            return found
        idf, avgfl = self._statistics(field, text)
        built = self._stats.segments if self._stats is not None else frozenset()
        for leaf, offset in searcher.leaf_searchers():
            reader = leaf.reader()
            ids, weights = leaf_postings(leaf, reader, field, text)
            if not ids:
                continue
            # Stored after the last full build, with the statistics used here.
            impacts = _ready(leaf, field, text) if _segment_id(reader) in built else None
            if impacts is None:
                impacts = _impacts(idf, _norms(leaf, field, avgfl), ids, weights)
            docs = map(add, ids, repeat(offset)) if offset else ids
            part = dict(zip(docs, impacts, strict=True))
            if reader.has_deletions():  # a few replaced articles: drop them, not test every doc
                for doc in _deleted(reader):
                    part.pop(doc + offset, None)
            if found:
                found.update(part)
            else:
                found = part
        return found


def _deleted(reader: Any) -> frozenset[int]:
    """A segment's deleted documents (Whoosh's cached set where it has one)."""
    found = getattr(reader, "deleted_docs_set", None)
    if isinstance(found, frozenset):
        return found
    return frozenset(doc for doc in range(reader.doc_count_all()) if reader.is_deleted(doc))


def _all_words(cache: ImpactCache, field: str, words: tuple[str, ...]) -> Postings:
    """Documents with every word in ``field`` (a phrase approximated by AND), impacts summed.

    The shortest list first; each pass keeps the documents the next list has too (one dict
    comprehension a word: cheaper than intersecting sets and then looking the sums up).
    """
    lists = sorted((cache.postings(field, word) for word in words), key=len)
    sums = lists[0]
    for postings in lists[1:]:
        sums = {doc: total + postings[doc] for doc, total in sums.items() if doc in postings}
    return sums


def _exact_phrase(cache: ImpactCache, field: str, words: tuple[str, ...]) -> Postings:
    """Documents with the words as a phrase, impacts summed.

    The documents holding every word come from the cached postings; the positions are then
    read and matched (compact keys in C; Whoosh's decoded only for those candidates).
    """
    words = words[:-1]  # drop the cache-key marker
    loose = _all_words(cache, field, words)
    if not loose:
        return loose
    exact = phrase_docs(cache.searcher, field, words, set(loose))
    return {doc: total for doc, total in loose.items() if doc in exact}


def _score_spec(
    cache: ImpactCache, spec: TermSpec, into: dict[int, float]
) -> tuple[dict[int, float], Postings]:
    """Add a spec's weighted impacts to ``into``; return the sums and the documents it matched.

    The longer of the two is weighted (or copied) in C and the shorter added to it one by one:
    each sum is the same number (``into``'s total plus this impact).
    """
    if len(spec.words) == 1:
        postings = cache.postings(spec.field, spec.words[0])
    elif spec.exact:
        postings = cache.combined(spec.field, (*spec.words, '"'), _exact_phrase)
    else:
        postings = cache.combined(spec.field, spec.words, _all_words)
    boost = spec.boost
    if len(postings) > len(into):
        weighted = dict(zip(postings, map(mul, postings.values(), repeat(boost)), strict=True))
        weight_of = weighted.get
        for doc, total in into.items():
            impact = weight_of(doc)
            weighted[doc] = total if impact is None else total + impact
        return weighted, postings
    get = into.get
    for doc, impact in postings.items():
        into[doc] = get(doc, 0.0) + impact * boost
    return into, postings


@dataclass(frozen=True, slots=True)
class RankedConcept:
    """One concept's specs: all of them, and those in the title fields."""

    specs: tuple[TermSpec, ...]
    title_fields: frozenset[str]
    groups: tuple[int, ...] = ()  # which synonym each spec belongs to (default: all one)


@dataclass(frozen=True, slots=True)
class ScoredConcept:
    """One concept's part of every document's score, and which documents it matched."""

    scores: dict[int, float]  # its order decides between equal scores
    matched: frozenset[int]
    in_title: frozenset[int]


def _score_concept(cache: ImpactCache, concept: RankedConcept) -> ScoredConcept:
    matched: set[int] = set()
    in_title: set[int] = set()
    by_synonym: dict[int, dict[int, float]] = {}
    groups = concept.groups
    if len(groups) != len(concept.specs):
        groups = (0,) * len(concept.specs)
    for spec, group in zip(concept.specs, groups, strict=True):
        by_synonym[group], docs = _score_spec(cache, spec, by_synonym.get(group, {}))
        matched.update(docs)
        if spec.field in concept.title_fields:
            in_title.update(docs)
    scores = _combine(list(by_synonym.values()))
    return ScoredConcept(scores, frozenset(matched), frozenset(in_title))


def _combine(synonyms: list[dict[int, float]]) -> dict[int, float]:
    """A concept's score: its best synonym in full, the others at SYNONYM_DECAY.

    Summing every synonym would let an article that lists many of them as aliases outrank
    one that matches the concept once, exactly.
    """
    if len(synonyms) == 1:
        return synonyms[0]
    # One pass per synonym (a posting at a time) rather than a list of every synonym per document;
    # the sums and maxima are the same numbers, added in the same order (the first synonym's
    # are copied in C: 0.0 + score is score).
    sums: dict[int, float] = dict(synonyms[0])
    bests: dict[int, float] = {doc: score for doc, score in sums.items() if score > 0.0}
    for synonym in synonyms[1:]:
        sum_of, best_of = sums.get, bests.get
        for doc, score in synonym.items():
            sums[doc] = sum_of(doc, 0.0) + score
            if score > best_of(doc, 0.0):
                bests[doc] = score
    best_each = map(bests.get, sums, repeat(0.0))
    return {
        doc: best + SYNONYM_DECAY * (total - best)
        for doc, total, best in zip(sums, sums.values(), best_each, strict=True)
    }


def rank(
    cache: ImpactCache,
    concepts: Iterable[RankedConcept],
    *,
    limit: int,
    allowed: set[int] | None = None,
    title_weight: float = 0.5,
) -> tuple[list[tuple[int, float]], int, int]:
    """Score documents: summed impacts × coverage² × (1 + title_weight × title coverage).

    Returns the best ``limit`` (document, score) pairs, how many documents matched, and how many
    matched every concept (every word of the query).
    """
    concepts = list(concepts)
    totals: dict[int, float] = {}
    covered: Counter[int] = Counter()  # counting an iterable runs in C
    titled: Counter[int] = Counter()
    everywhere: set[int] | None = None  # the documents every concept matched
    for concept in concepts:
        scored_concept = cache.concept(concept, _score_concept)
        if totals:
            get = totals.get
            for doc, score in scored_concept.scores.items():
                totals[doc] = get(doc, 0.0) + score
        else:
            totals = dict(scored_concept.scores)
        covered.update(scored_concept.matched)
        titled.update(scored_concept.in_title)
        everywhere = set(scored_concept.matched) if everywhere is None else everywhere
        everywhere &= scored_concept.matched
    n = max(1, len(concepts))

    def scored(doc: int) -> float:
        coverage = (covered.get(doc, 0) / n) ** 2
        return totals[doc] * coverage * (1.0 + title_weight * titled.get(doc, 0) / n)

    if allowed is None:
        # Documents every concept matched, no title among them: the factors are 1 (the same
        # score); only the others are computed one by one.
        scores = totals
        others = (totals.keys() - (everywhere or set())) | titled.keys()
        if others:
            scores = dict(totals)
            for doc in others:
                scores[doc] = scored(doc)
        best = heapq.nlargest(limit, scores.items(), key=itemgetter(1))
        return best, len(totals), len(everywhere or ())
    items = [(doc, scored(doc)) for doc in totals if doc in allowed]
    best = heapq.nlargest(limit, items, key=itemgetter(1))
    complete = sum(1 for doc in everywhere or () if doc in allowed)
    return best, len(items), complete
