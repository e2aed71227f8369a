"""Postings kept compactly beside each segment, for queries that read them for the first time.

Whoosh's W3 codec stores a term's postings in blocks of 128, each a pickled, zlib-compressed
tuple of document deltas, weights and pickled position lists: reading a common word of a
10,000-article index costs ~80 blocks to decompress and unpickle, and a phrase one ``pickle``
call per document. The codec here (``AtlasCodec``, Whoosh's own extension point) writes the
same segments, and beside each one a ``.atl`` file holding, for every term of the text fields,
its document numbers and weights as raw arrays, and the term's positions as one sorted array of
``document << 32 | position`` keys. A query reads a term with one ``read`` and a
``frombytes``; a phrase is a few set intersections of shifted keys, done in C.

Positions in the text fields are stored raw (``RawPositions``: an array of integers, not a
pickle), so the codec can copy them without decoding. Whoosh keeps owning the index: its
segments, term tables and query language are untouched, and a segment without a readable
``.atl`` file (an older one, a damaged one) is read through Whoosh as before.
"""

from __future__ import annotations

import logging
import pickle
import struct
import sys
import weakref
from array import array
from bisect import bisect_left
from collections.abc import Callable, Iterator, Sequence
from itertools import accumulate, chain, islice, repeat, takewhile
from operator import add, lshift, or_, rshift, sub
from typing import Any

from desktop_app.core.search import whoosh_import  # noqa: F401  (first: see its docstring)

# isort: split
from whoosh.codec.whoosh3 import W3Codec, W3FieldWriter
from whoosh.formats import Positions

log = logging.getLogger(__name__)

EXT = ".atl"
IMPACTS_EXT = ".ati"  # each posting's BM25 impact, for the index as it was when built
MAGIC = b"ATL1" + (b"L" if sys.byteorder == "little" else b"B")
COMPACT_FIELDS = frozenset({"title", "aliases", "body"})
LISTED_FIELDS = frozenset({"words"})  # terms and counts only (spelling and completion)
_TAIL = struct.Struct("<Q")  # where the term table starts, the file's last 8 bytes


class RawPositions(Positions):  # type: ignore[misc]
    """Whoosh's ``Positions`` format with each posting's positions as a raw array of uint32."""

    def encode(self, poslist: list[int]) -> bytes:
        """Encode positions (ascending) as machine uint32s."""
        return array("I", poslist).tobytes()

    def decode_positions(self, valuestring: bytes) -> list[int]:
        """Decode a posting's positions."""
        positions = array("I")
        positions.frombytes(valuestring)
        return positions.tolist()

    def decode_frequency(self, valuestring: bytes) -> int:
        """A posting's term frequency: its number of positions."""
        return len(valuestring) // 4

    def decode_weight(self, valuestring: bytes) -> float:
        """A posting's weight, as ``Positions``."""
        return float(self.decode_frequency(valuestring) * self.field_boost)

    def combine(self, vs: list[bytes]) -> bytes:
        """Merge several postings' positions, as ``Positions``."""
        merged: set[int] = set()
        for value in vs:
            merged.update(self.decode_positions(value))
        return self.encode(sorted(merged))


def raw_positions(field: Any) -> Any:
    """Give a TEXT field the ``RawPositions`` format (same boost); return the field."""
    field.format = RawPositions(field_boost=field.format.field_boost)
    return field


class AtlasCodec(W3Codec):  # type: ignore[misc]
    """Whoosh's W3 codec, writing each segment's compact postings file as well."""

    def field_writer(self, storage: Any, segment: Any) -> Any:
        """Return the field writer of one new segment."""
        return _CompactFieldWriter(self, storage, segment)


class _CompactFieldWriter(W3FieldWriter):  # type: ignore[misc]
    """W3's field writer; each term of ``COMPACT_FIELDS`` is also written to the ``.atl`` file."""

    def __init__(self, codec: Any, storage: Any, segment: Any) -> None:
        super().__init__(codec, storage, segment)
        self._atl = segment.create_file(storage, EXT)
        self._atl.write(MAGIC)
        self._atl_at = len(MAGIC)
        self._table: dict[str, dict[str, tuple[int, int, int]]] = {}
        self._terms: dict[str, tuple[int, int, int]] | None = None
        self._raw = False
        self._listed = False
        self._ids = array("I")
        self._weights = array("f")
        self._values: list[bytes] = []

    def start_field(self, fieldname: str, fieldobj: Any) -> None:
        super().start_field(fieldname, fieldobj)
        keep = fieldname in COMPACT_FIELDS and fieldobj.scorable
        self._listed = not keep and fieldname in LISTED_FIELDS
        name = _listed(fieldname) if self._listed else fieldname
        self._terms = self._table.setdefault(name, {}) if keep or self._listed else None
        self._raw = keep and isinstance(fieldobj.format, RawPositions)

    def start_term(self, btext: bytes) -> None:
        super().start_term(btext)
        if self._terms is not None:
            self._ids = array("I")
            self._weights = array("f")
            self._values = []

    def add(self, docnum: int, weight: float, vbytes: bytes, length: int) -> None:
        self._postwriter.add_posting(docnum, weight, vbytes, length)
        if self._terms is not None:
            self._ids.append(docnum)
            self._weights.append(weight)
            if self._raw:
                self._values.append(vbytes)

    def finish_term(self) -> None:
        super().finish_term()
        if self._terms is None:
            return
        ids = self._ids
        if self._listed:  # the term and its count: nothing in the file
            self._terms[self._btext.decode("utf-8")] = (self._atl_at, len(ids), 0)
            return
        keys = b""
        if self._raw:
            positions = array("I")
            positions.frombytes(b"".join(self._values))
            counts = [len(value) >> 2 for value in self._values]
            bases = chain.from_iterable(map(repeat, map(lshift, ids, repeat(32)), counts))
            keys = array("Q", map(or_, bases, positions)).tobytes()
        data = ids.tobytes() + self._weights.tobytes() + keys
        self._atl.write(data)
        self._terms[self._btext.decode("utf-8")] = (self._atl_at, len(ids), len(keys) >> 3)
        self._atl_at += len(data)

    def close(self) -> None:
        super().close()
        table = {}
        for field, terms in self._table.items():
            columns = list(zip(*terms.values(), strict=True)) or [(), (), ()]
            arrays = (array(code, column) for code, column in zip("QIQ", columns, strict=True))
            table[field] = ("\x00".join(terms), *(column.tobytes() for column in arrays))
        self._atl.write(pickle.dumps(table, pickle.HIGHEST_PROTOCOL))
        self._atl.write(_TAIL.pack(self._atl_at))
        self._atl.close()


class CompactSegment:
    """The compact postings of one segment, read term by term."""

    def __init__(self, storage: Any, segment: Any) -> None:
        self._file = segment.open_file(storage, EXT)
        close = weakref.finalize(self, self._file.close)  # once: when dropped, or failing here
        try:
            if self._file.read(len(MAGIC)) != MAGIC:
                raise ValueError("not a compact postings file of this machine")
            self._file.seek(-_TAIL.size, 2)
            (start,) = _TAIL.unpack(self._file.read(_TAIL.size))
            self._file.seek(start)
            stored = pickle.loads(self._file.read())
            self._table: dict[str, dict[str, tuple[int, int, int, int]]] = {
                field: _terms(*columns) for field, columns in stored.items()
            }
        except BaseException:
            close()
            raise
        self._names: dict[str, list[str]] = {}
        self._impacts: Any = None
        self._impact_bases: dict[str, int] = {}
        self._signature: Any = None
        try:  # optional: written after a full build, stale after any update
            impacts = segment.open_file(storage, IMPACTS_EXT)
        except Exception:
            return
        weakref.finalize(self, impacts.close)
        try:
            impacts.seek(-_TAIL.size, 2)
            (start,) = _TAIL.unpack(impacts.read(_TAIL.size))
            impacts.seek(start)
            self._signature, self._impact_bases = pickle.loads(impacts.read())
            self._impacts = impacts
        except Exception as exc:
            log.warning("search index: impacts of %s unreadable (%s)", segment.segment_id(), exc)

    def postings(self, field: str, text: str) -> tuple[array[int], array[float]] | None:
        """The term's document numbers and weights, or None when the segment lacks it."""
        found = self._table.get(field, {}).get(text)
        if found is None:
            return None
        at, count = found[0], found[1]
        self._file.seek(at)
        data = self._file.read(count * 8)
        ids, weights = array("I"), array("f")
        ids.frombytes(data[: count * 4])
        weights.frombytes(data[count * 4 :])
        return ids, weights

    @property
    def stored_signature(self) -> Any:
        """The index the stored impacts were computed for (``ranking.impact_signature``)."""
        return self._signature

    def impacts(self, field: str, text: str) -> array[float] | None:
        """The term's impacts as stored after the last full build, or None."""
        found = self._table.get(field, {}).get(text)
        base = self._impact_bases.get(field)
        if found is None or base is None:
            return None
        self._impacts.seek(base + found[3] * 8)
        impacts = array("d")
        impacts.frombytes(self._impacts.read(found[1] * 8))
        return impacts

    def terms(self, field: str) -> list[str]:
        """The field's terms in this segment, in the order they were written."""
        return list(self._table.get(field, {}))

    def keys(self, field: str, text: str) -> array[int] | None:
        """The term's ``document << 32 | position`` keys, or None when not stored."""
        found = self._table.get(field, {}).get(text)
        if found is None or not found[2]:
            return None
        at, count, npos = found[:3]
        self._file.seek(at + count * 8)
        keys = array("Q")
        keys.frombytes(self._file.read(npos * 8))
        return keys

    def doc_frequency(self, field: str, text: str) -> int:
        """How many postings the term has here (0 when absent), as Whoosh's term info says."""
        found = self._table.get(field, {}).get(text)
        return found[1] if found is not None else 0

    def lexicon(self, field: str, prefix: str = "") -> Iterator[tuple[str, int]] | None:
        """The field's terms starting with ``prefix``, sorted, with their counts; None if unlisted.

        Terms are stored in Whoosh's order (sorted by UTF-8 bytes: code point order).
        """
        terms = self._table.get(field) or self._table.get(_listed(field))
        if terms is None:
            return None
        names = self._names.get(field)
        if names is None:
            names = self._names[field] = list(terms)
        start = bisect_left(names, prefix) if prefix else 0
        within = takewhile(lambda name: name.startswith(prefix), islice(names, start, None))
        return ((name, terms[name][1]) for name in within)

    def has_field(self, field: str) -> bool:
        """Whether the segment's terms of ``field`` are here."""
        return field in self._table


def _terms(names: str, *columns: bytes) -> dict[str, tuple[int, int, int, int]]:
    """A field's term table: each term's offset, postings, positions and first posting."""
    offsets, counts, positions = array("Q"), array("I"), array("Q")
    for column, data in zip((offsets, counts, positions), columns, strict=True):
        column.frombytes(data)
    firsts = accumulate(counts, initial=0)
    rows = zip(offsets, counts, positions, firsts, strict=False)  # firsts: one more
    return dict(zip(names.split("\x00") if names else (), rows, strict=True))


_MISSING = object()


def _listed(field: str) -> str:
    """The table name of a field whose terms are listed without postings."""
    return "#" + field


def compact_segment(leaf: Any) -> CompactSegment | None:
    """The compact postings of a leaf searcher's segment (cached), or None to use Whoosh's."""
    return compact_of(leaf.reader())


def compact_of(reader: Any) -> CompactSegment | None:
    """The compact postings of a segment reader (cached), or None to use Whoosh's."""
    found = getattr(reader, "_atlas_compact", _MISSING)
    if found is _MISSING:
        found = None
        segment = getattr(reader, "_segment", None)
        storage = getattr(reader, "_storage", None)
        if segment is not None and storage is not None and isinstance(segment.codec(), AtlasCodec):
            try:
                found = CompactSegment(storage, segment)
            except Exception as exc:  # an accelerator: any failure means Whoosh's own reading
                log.warning(
                    "search index: compact postings of %s unreadable (%s); reading it slowly",
                    segment.segment_id(),
                    exc,
                )
        reader._atlas_compact = found
    return found if isinstance(found, CompactSegment) else None


def write_impacts(
    leaf: Any, signature: Any, compute: Callable[[str, str, Sequence[float], Sequence[int]], Any]
) -> None:
    """Write the segment's impacts file: ``compute(field, text, weights, ids)`` per term."""
    table = compact_segment(leaf)
    reader = leaf.reader()
    if table is None:
        return
    out = reader._segment.create_file(reader._storage, IMPACTS_EXT)
    try:
        at = 0
        bases: dict[str, int] = {}
        for field in COMPACT_FIELDS:
            if not table.has_field(field):
                continue
            bases[field] = at
            for text in table.terms(field):
                ids, weights = table.postings(field, text) or ((), ())
                data = array("d", compute(field, text, weights, ids)).tobytes()
                out.write(data)
                at += len(data)
        out.write(pickle.dumps((signature, bases), pickle.HIGHEST_PROTOCOL))
        out.write(_TAIL.pack(at))
    finally:
        out.close()


def fast_doc_frequency(searcher: Any) -> None:
    """Answer the searcher's document frequencies of the text fields from the compact tables.

    Planning a query asks for dozens of them (each word, synonym and completion, in each
    field); Whoosh looks each up in every segment's on-disk hash table.
    """
    reader = searcher.reader()
    segments = [compact_segment(leaf) for leaf, _ in searcher.leaf_searchers()]
    if getattr(reader, "_atlas_df", False) or not all(segments):
        return
    plain = reader.doc_frequency
    tables = [segment for segment in segments if segment is not None]

    def doc_frequency(fieldname: str, text: Any) -> int:
        if fieldname in COMPACT_FIELDS and isinstance(text, str):
            return sum(table.doc_frequency(fieldname, text) for table in tables)
        return int(plain(fieldname, text))

    reader.doc_frequency = doc_frequency
    searcher.doc_frequency = doc_frequency  # Whoosh's searcher copied the reader's method
    reader._atlas_df = True


def keyed_phrase_docs(keys: list[array[int]]) -> set[int]:
    """Documents in which the words whose keys are given occur one after another.

    Starting from the rarest word, each other word's keys are intersected in C; once few
    starts are left, a long key list is searched (bisection) rather than read through.
    """
    order = sorted(range(len(keys)), key=lambda i: len(keys[i]))
    first = order[0]
    starts = set(map(sub, keys[first], repeat(first)) if first else keys[first])
    for i in order[1:]:
        if not starts:
            break
        listed = keys[i]
        if len(starts) * BISECT_COST < len(listed):
            starts = {start for start in starts if _holds(listed, start + i)}
        elif i:  # shift the (smaller) starts to this word's place, not every key of the word
            wanted = set(map(add, starts, repeat(i)))
            wanted.intersection_update(listed)
            starts = set(map(sub, wanted, repeat(i)))
        else:
            starts.intersection_update(listed)
    return set(map(rshift, starts, repeat(32)))


BISECT_COST = 16  # one bisection costs about as much as reading this many keys (measured)


def _holds(keys: array[int], key: int) -> bool:
    at = bisect_left(keys, key)
    return at < len(keys) and keys[at] == key
