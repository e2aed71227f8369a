"""Fast ranking of plain queries over Whoosh postings, with per-term BM25 impacts cached.

Whoosh scores a query by walking every posting through several Python layers (a matcher tree, a
scorer, the collector), about 10–30 µs a posting; a common medical word occurs in most articles,
so at a few thousand articles one query costs hundreds of milliseconds. Here each term's postings
are read once per searcher (block by block) into lists of document numbers and BM25 impacts;
a query then only sums floats into a dict. Whoosh still owns the index, the analysis, the query
language (syntax queries use its searcher) and the spelling correction.
"""

from __future__ import annotations

import heapq
import logging
from collections import Counter, OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import accumulate
from typing import Any

from desktop_app.core.search.scoring import _lengths

log = logging.getLogger(__name__)

K1 = 1.2
B = 0.75
MAX_CACHED_POSTINGS = 2_000_000
SYNONYM_DECAY = 0.25


@dataclass(frozen=True, slots=True)
class TermSpec:
    """A term or a group of words in one field: all of them (AND), or as an ``exact`` phrase."""

    field: str
    words: tuple[str, ...]
    boost: float
    exact: bool = False


@dataclass(frozen=True, slots=True)
class Postings:
    """One term's live documents (global numbers) and BM25 impacts."""

    docs: tuple[int, ...]
    impacts: tuple[float, ...]


class ImpactCache:
    """Per-searcher cache of term postings as impacts (least recently used out first)."""

    def __init__(self, searcher: Any) -> None:
        self.searcher = searcher
        self._items: OrderedDict[tuple[str, str], Postings] = OrderedDict()
        self._size = 0
        self._concepts: OrderedDict[RankedConcept, ScoredConcept] = OrderedDict()
        self._concept_size = 0

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

    def _store(self, key: tuple[str, str], postings: Postings) -> None:
        self._items[key] = postings
        self._size += len(postings.docs)
        while self._size > MAX_CACHED_POSTINGS and len(self._items) > 1:
            _, old = self._items.popitem(last=False)
            self._size -= len(old.docs)

    def _read(self, field: str, text: str) -> Postings:
        searcher = self.searcher
        if not searcher.schema[field].scorable or searcher.doc_frequency(field, text) == 0:
            return Postings((), ())
        idf = searcher.idf(field, text)
        avgfl = searcher.avg_field_length(field) or 1.0
        k1p1 = K1 + 1
        docs: list[int] = []
        impacts: list[float] = []
        for leaf, offset in searcher.leaf_searchers():
            reader = leaf.reader()
            if reader.doc_frequency(field, text) == 0:
                continue
            norms = _norms(leaf, field, avgfl)
            ids, weights, _ = _read_postings(reader.postings(field, text))
            if reader.has_deletions():
                pairs = [
                    (d, w) for d, w in zip(ids, weights, strict=True) if not reader.is_deleted(d)
                ]
                ids, weights = [d for d, _ in pairs], [w for _, w in pairs]
            docs += [doc + offset for doc in ids] if offset else ids
            impacts += [
                idf * tf * k1p1 / (tf + norms[doc]) for doc, tf in zip(ids, weights, strict=True)
            ]
        return Postings(tuple(docs), tuple(impacts))


def _norms(leaf: Any, field: str, avgfl: float) -> list[float]:
    """Each document's BM25 length term, ``K1 * ((1 - B) + B * length / avgfl)`` (cached)."""
    cache: dict[tuple[str, float], list[float]] | None = getattr(leaf, "_atlas_norms", None)
    if cache is None:
        cache = leaf._atlas_norms = {}
    found = cache.get((field, avgfl))
    if found is None:
        found = cache[(field, avgfl)] = [
            K1 * ((1 - B) + B * length / avgfl) for length in _lengths(leaf, field)
        ]
    return found


def _read_postings(matcher: Any, values: bool = False) -> tuple[list[int], list[float], list[Any]]:
    """Read all (document, weight[, value]) triples, a block at a time where the codec allows it."""
    ids: list[int] = []
    weights: list[float] = []
    raw: list[Any] = []
    blockwise = all(
        hasattr(matcher, name)
        for name in ("_read_ids", "_read_weights", "_read_values", "_next_block", "_atend")
    )
    if blockwise:
        # Whoosh-Reloaded 2.7.5's W3 codec (pinned): whole blocks as arrays, no per-posting calls.
        while matcher.is_active():
            matcher._read_ids()
            matcher._read_weights()
            ids.extend(matcher._ids)
            weights.extend(matcher._weights)
            if values:
                matcher._read_values()
                raw.extend(matcher._values)
            matcher._next_block()
        return ids, weights, raw
    while matcher.is_active():
        ids.append(matcher.id())
        weights.append(matcher.weight())
        if values:
            raw.append(matcher.value())
        matcher.next()
    return ids, weights, raw


def _all_words(cache: ImpactCache, field: str, words: tuple[str, ...]) -> Postings:
    """Documents with every word in ``field`` (a phrase approximated by AND), impacts summed."""
    lists = [cache.postings(field, word) for word in words]
    lists.sort(key=lambda p: len(p.docs))
    matched = set(lists[0].docs)
    for postings in lists[1:]:
        matched.intersection_update(postings.docs)
    sums: dict[int, float] = dict.fromkeys(matched, 0.0)
    for postings in lists:
        for doc, impact in zip(postings.docs, postings.impacts, strict=True):
            if doc in sums:
                sums[doc] += impact
    return Postings(tuple(sums), tuple(sums.values()))


def _exact_phrase(cache: ImpactCache, field: str, words: tuple[str, ...]) -> Postings:
    """Documents with the words as a phrase, impacts summed.

    The documents holding every word come from the cached postings; positions are then read
    (one pass over each word's postings) and decoded only for those candidates.
    """
    words = words[:-1]  # drop the cache-key marker
    loose = _all_words(cache, field, words)
    if not loose.docs:
        return loose
    exact = _phrase_docs(cache.searcher, field, words, set(loose.docs))
    pairs = [(d, s) for d, s in zip(loose.docs, loose.impacts, strict=True) if d in exact]
    return Postings(tuple(d for d, _ in pairs), tuple(s for _, s in pairs))


def _phrase_docs(
    searcher: Any, field: str, words: tuple[str, ...], candidates: set[int]
) -> set[int]:
    """The candidates in which ``words`` occur at consecutive positions."""
    decode = _position_decoder(searcher.schema[field].format)
    found: set[int] = set()
    for leaf, offset in searcher.leaf_searchers():
        reader = leaf.reader()
        if any(reader.doc_frequency(field, word) == 0 for word in words):
            continue
        values: list[dict[int, Any]] = []
        for word in words:
            ids, _, raw = _read_postings(reader.postings(field, word), values=True)
            values.append(
                {d + offset: v for d, v in zip(ids, raw, strict=True) if d + offset in candidates}
            )
        for doc in set(values[0]).intersection(*values[1:]):
            starts = set(decode(values[0][doc]))
            for i, per_doc in enumerate(values[1:], start=1):
                starts.intersection_update(p - i for p in decode(per_doc[doc]))
                if not starts:
                    break
            if starts:
                found.add(doc)
    return found


def _position_decoder(format_: Any) -> Callable[[bytes], Iterable[int]]:
    """Decode a posting value to positions (Whoosh's decoder; C-level sums for ``Positions``)."""
    from pickle import loads

    from whoosh.formats import Positions
    from whoosh.system import _INT_SIZE

    if type(format_) is not Positions:
        decode: Callable[[bytes], Iterable[int]] = format_.decode_positions
        return decode

    def positions(value: bytes) -> Iterable[int]:
        # As Positions.decode_positions: a count, then the pickled deltas (the final STOP of the
        # pickle may have been dropped when stored).
        body = value[_INT_SIZE:] if value.endswith(b".") else value[_INT_SIZE:] + b"."
        return accumulate(loads(body))

    return positions


def _score_spec(cache: ImpactCache, spec: TermSpec, into: dict[int, float]) -> tuple[int, ...]:
    """Add a spec's weighted impacts into ``into``; return the documents it matched."""
    if len(spec.words) == 1:
        postings = cache.postings(spec.field, spec.words[0])
    elif spec.exact:
        postings = cache.combined(spec.field, (*spec.words, '"'), _exact_phrase)
    else:
        postings = cache.combined(spec.field, spec.words, _all_words)
    get = into.get
    boost = spec.boost
    for doc, impact in zip(postings.docs, postings.impacts, strict=True):
        into[doc] = get(doc, 0.0) + impact * boost
    return postings.docs


@dataclass(frozen=True, slots=True)
class RankedConcept:
    """One concept's specs: all of them, and those in the title fields."""

    specs: tuple[TermSpec, ...]
    title_fields: frozenset[str]
    groups: tuple[int, ...] = ()  # which synonym each spec belongs to (default: all one)


@dataclass(frozen=True, slots=True)
class ScoredConcept:
    """One concept's part of every document's score, and which documents it matched."""

    scores: dict[int, float]  # in the order the documents were first found
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
        docs = _score_spec(cache, spec, by_synonym.setdefault(group, {}))
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
    # the sums and maxima are the same numbers, added in the same order.
    sums: dict[int, float] = {}
    bests: dict[int, float] = {}
    for synonym in synonyms:
        sum_of, best_of = sums.get, bests.get
        for doc, score in synonym.items():
            sums[doc] = sum_of(doc, 0.0) + score
            if score > best_of(doc, 0.0):
                bests[doc] = score
    combined: dict[int, float] = {}
    for doc in set().union(*synonyms):
        best = bests.get(doc, 0.0)
        combined[doc] = best + SYNONYM_DECAY * (sums[doc] - best)
    return combined


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
    n = max(1, len(concepts))
    scored = (
        (
            doc,
            score * (covered.get(doc, 0) / n) ** 2 * (1.0 + title_weight * titled.get(doc, 0) / n),
        )
        for doc, score in totals.items()
        if allowed is None or doc in allowed
    )
    complete = sum(
        1 for doc, count in covered.items() if count == n and (allowed is None or doc in allowed)
    )
    if allowed is None:
        total = len(totals)
        best = heapq.nlargest(limit, scored, key=lambda item: item[1])
    else:
        items = list(scored)
        total = len(items)
        best = heapq.nlargest(limit, items, key=lambda item: item[1])
    return best, total, complete
