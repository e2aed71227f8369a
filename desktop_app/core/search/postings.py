"""A segment's postings of one term: from its compact file when it has one, else Whoosh's blocks.

``compact`` holds the fast path; this module falls back to reading Whoosh's W3 postings (a block
at a time where the codec allows it) for segments without a compact file.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from itertools import accumulate
from typing import Any

from desktop_app.core.search.compact import compact_segment, keyed_phrase_docs


def leaf_postings(
    leaf: Any, reader: Any, field: str, text: str
) -> tuple[Sequence[int], Sequence[float]]:
    """One segment's documents and weights of a term: compact when it can, else Whoosh's."""
    compact = compact_segment(leaf)
    if compact is not None and compact.has_field(field):
        return compact.postings(field, text) or ((), ())
    if reader.doc_frequency(field, text) == 0:
        return (), ()
    ids, weights, _ = read_postings(reader.postings(field, text))
    return ids, weights


def read_postings(matcher: Any, values: bool = False) -> tuple[list[int], list[float], list[Any]]:
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


def phrase_docs(
    searcher: Any, field: str, words: tuple[str, ...], candidates: set[int]
) -> set[int]:
    """The candidates in which ``words`` occur at consecutive positions."""
    decode = _position_decoder(searcher.schema[field].format)
    found: set[int] = set()
    for leaf, offset in searcher.leaf_searchers():
        compact = compact_segment(leaf)
        if compact is not None and compact.has_field(field):
            keys = [compact.keys(field, word) for word in words]
            if all(k is not None for k in keys):
                found.update(d + offset for d in keyed_phrase_docs(keys))  # type: ignore[arg-type]
            continue
        reader = leaf.reader()
        if any(reader.doc_frequency(field, word) == 0 for word in words):
            continue
        values: list[dict[int, Any]] = []
        for word in words:
            ids, _, raw = read_postings(reader.postings(field, word), values=True)
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
