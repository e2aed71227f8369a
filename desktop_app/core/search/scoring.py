"""BM25F with field lengths read from a per-searcher array instead of Whoosh's column reader.

Whoosh looks up each document's field length through several Python layers (about 18 µs a
lookup here); for a common term that is most of a query's time. The lengths of a segment never
change, so they are read once per searcher and kept in a list.
"""

from __future__ import annotations

from typing import Any

from whoosh.scoring import BM25F, BM25FScorer


def _lengths(searcher: Any, fieldname: str) -> list[int]:
    cache: dict[str, list[int]] | None = getattr(searcher, "_atlas_lengths", None)
    if cache is None:
        cache = {}
        searcher._atlas_lengths = cache
    lengths = cache.get(fieldname)
    if lengths is None:
        reader = searcher.reader()
        lengths = _column_lengths(reader, fieldname)
        if lengths is None:
            lengths = [
                reader.doc_field_length(doc, fieldname, 1) for doc in range(reader.doc_count_all())
            ]
        cache[fieldname] = lengths
    return lengths


def _column_lengths(reader: Any, fieldname: str) -> list[int] | None:
    """Read a segment's whole length column at once (W3 codec), or None to fall back."""
    try:
        from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield, byte_to_length

        column = reader._perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
        if column is None:
            return None
        table = [byte_to_length(b) or 1 for b in range(256)]
        table[0] = 1
        count = reader.doc_count_all()
        if getattr(column, "_fixedlen", None) == 1 and hasattr(column, "_dbfile"):
            # One byte a document: read the whole column in one call, not a call per document.
            stored = min(column._count, count)
            raw = bytes(column._dbfile.get(column._basepos, stored)) + bytes(count - stored)
        else:
            raw = bytes(column)
        if len(raw) != count:
            return None
        return [table[b] for b in raw]
    except (AttributeError, ImportError, TypeError, IndexError):
        return None


class _FastScorer(BM25FScorer):  # type: ignore[misc]
    def __init__(
        self, searcher: Any, fieldname: str, text: Any, b: float, k1: float, qf: int = 1
    ) -> None:
        super().__init__(searcher, fieldname, text, b, k1, qf)
        if hasattr(self, "dfl"):
            lengths = _lengths(searcher, fieldname)
            self.dfl = lengths.__getitem__


class FastBM25F(BM25F):  # type: ignore[misc]
    """BM25F whose scorers take field lengths from a cached list."""

    def scorer(self, searcher: Any, fieldname: str, text: Any, qf: int = 1) -> Any:
        """Return a scorer for one term."""
        if not searcher.schema[fieldname].scorable:
            return super().scorer(searcher, fieldname, text, qf)
        b = self._field_B.get(fieldname, self.B)
        return _FastScorer(searcher, fieldname, text, b, self.K1, qf=qf)


def warm(searcher: Any, fieldname: str) -> None:
    """Read the field lengths of every segment now (off the UI thread), not at the first query."""
    for sub, _offset in searcher.leaf_searchers():
        _lengths(sub, fieldname)
