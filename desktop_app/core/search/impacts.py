"""BM25 impacts of postings: computed at query time, or stored beside the segments after a build.

A full build stores every text-field posting's impact (``write_impacts``, read back through
``compact``) together with the statistics it used; ``BuildStats`` keeps scoring with those
statistics while edits add small segments, so stored and computed impacts stay one scale.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from math import log
from typing import Any

from desktop_app.core.search.compact import (
    COMPACT_FIELDS,
    CompactSegment,
    compact_segment,
    fast_doc_frequency,
)
from desktop_app.core.search.compact import write_impacts as _write_leaf_impacts
from desktop_app.core.search.scoring import _lengths

K1 = 1.2
B = 0.75


def _ready(leaf: Any, field: str, text: str) -> Sequence[float] | None:
    compact = compact_segment(leaf)
    return compact.impacts(field, text) if compact is not None else None


def _segment_id(reader: Any) -> Any:
    return getattr(reader, "_segid", None)


def impact_signature(searcher: Any) -> tuple[Any, ...]:
    """What stored impacts depend on: the segments, the document count, the field lengths."""
    segments = tuple(_segment_id(leaf.reader()) for leaf, _ in searcher.leaf_searchers())
    lengths = tuple(searcher.field_length(field) for field in sorted(COMPACT_FIELDS))
    return (segments, searcher.doc_count_all(), lengths)


@dataclass(frozen=True)
class BuildStats:
    """The collection statistics of the last full build, with which its impacts were stored.

    Edits add small segments (and mark replaced documents deleted) without touching the stored
    impacts: every document keeps being scored with these statistics, the new ones computed
    with them too, until the document count has moved by ``STATS_DRIFT``.
    """

    segments: frozenset[Any]
    doc_count: int
    lengths: dict[str, int]
    tables: tuple[CompactSegment, ...]  # the built segments' compact tables

    def idf(self, field: str, text: str) -> float:
        """As Whoosh's ``idf`` on the built index: ``log(N / (df + 1)) + 1``."""
        frequency = sum(table.doc_frequency(field, text) for table in self.tables)
        return log(self.doc_count / (frequency + 1)) + 1

    def avg_field_length(self, field: str) -> float:
        """As ``searcher.avg_field_length(field) or 1.0`` on the built index."""
        return self.lengths[field] / (self.doc_count or 1) or 1.0


STATS_DRIFT = 0.05


def build_stats(searcher: Any) -> BuildStats | None:
    """The statistics of the last full build, if its segments are all here and still count."""
    leaves = [
        (_segment_id(leaf.reader()), compact_segment(leaf)) for leaf, _ in searcher.leaf_searchers()
    ]
    signatures = [table.stored_signature for _, table in leaves if table is not None]
    signature = next((found for found in signatures if found is not None), None)
    if signature is None:
        return None
    segments, count, lengths = signature
    tables = tuple(table for segid, table in leaves if segid in segments and table is not None)
    if len(tables) != len(segments) or any(t.stored_signature != signature for t in tables):
        return None  # a built segment was merged away, or impacts of two builds
    if abs(searcher.doc_count_all() - count) > STATS_DRIFT * count:
        return None
    fields = dict(zip(sorted(COMPACT_FIELDS), lengths, strict=True))
    return BuildStats(frozenset(segments), count, fields, tables)


def write_impacts(searcher: Any) -> None:
    """Store every text-field posting's BM25 impact beside its segment (after a full build)."""
    fast_doc_frequency(searcher)
    signature = impact_signature(searcher)
    for leaf, _ in searcher.leaf_searchers():

        def compute(field: str, text: str, weights: Any, ids: Any, leaf: Any = leaf) -> list[float]:
            norms = _norms(leaf, field, searcher.avg_field_length(field) or 1.0)
            return _impacts(searcher.idf(field, text), norms, ids, weights)

        _write_leaf_impacts(leaf, signature, compute)


def _impacts(
    idf: float, norms: list[float], ids: Sequence[int], weights: Sequence[float]
) -> list[float]:
    """Each posting's BM25 impact: one expression for the stored ones and the computed ones."""
    k1p1 = K1 + 1
    return [idf * tf * k1p1 / (tf + norms[doc]) for doc, tf in zip(ids, weights, strict=True)]


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
