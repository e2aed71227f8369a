"""Compact postings beside each segment: the same answers as Whoosh's own, faster to read."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from desktop_app.core.content import load_library
from desktop_app.core.search import SearchIndex, compact
from desktop_app.core.search.compact import compact_segment, keyed_phrase_docs
from desktop_app.core.search.postings import read_postings
from desktop_app.core.search.store import _checksums
from tests.core.test_search_build import _answers, _library_of

PHRASES = ['"artery dissection"', '"neck manipulation"', '"dissection risk after"', '"risk neck"']


def _segments(location: Path) -> list[Path]:
    return sorted(location.glob("*.atl"))


def test_every_segment_has_compact_postings_equal_to_whoosh_s(tmp_path: Path) -> None:
    library = load_library(_library_of(tmp_path, 30))
    index = SearchIndex.open_or_build(library, tmp_path / "index")
    assert index.location is not None and _segments(index.location)
    searcher = index._searcher
    checked = 0
    for leaf, _ in searcher.leaf_searchers():
        table = compact_segment(leaf)
        assert table is not None
        reader = leaf.reader()
        for field in ("title", "body"):
            for text in reader.lexicon(field):
                word = text.decode("utf-8")
                ids, weights, values = read_postings(reader.postings(field, word), values=True)
                found = table.postings(field, word)
                assert found is not None
                assert list(found[0]) == ids and list(found[1]) == weights
                fmt = searcher.schema[field].format
                keys = [
                    d << 32 | p
                    for d, v in zip(ids, values, strict=True)
                    for p in fmt.decode_positions(v)
                ]
                assert list(table.keys(field, word) or []) == keys
                assert table.doc_frequency(field, word) == reader.doc_frequency(field, word)
                checked += 1
    assert checked > 50
    assert table.postings("body", "nosuchword") is None


@pytest.mark.parametrize("bisect_cost", [0, 10**9])  # always read through; always bisect
def test_phrases_from_keys_match_whoosh_s_positions(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, bisect_cost: int
) -> None:
    library = load_library(_library_of(tmp_path, 30))
    index = SearchIndex.open_or_build(library, tmp_path / "index")
    fast = {q: [h.slug for h in index.search(q, limit=50).hits] for q in PHRASES}
    monkeypatch.setattr(compact, "BISECT_COST", bisect_cost)
    index._impacts = type(index._impacts)(index._searcher)
    assert {q: [h.slug for h in index.search(q, limit=50).hits] for q in PHRASES} == fast
    _whoosh_only(monkeypatch)
    index._impacts = type(index._impacts)(index._searcher)
    slow = {q: [h.slug for h in index.search(q, limit=50).hits] for q in PHRASES}
    assert slow == fast
    assert all(fast[q] for q in PHRASES[:3]) and fast['"risk neck"'] == []


def test_keyed_phrases_need_the_words_in_order_and_adjacent() -> None:
    from array import array

    def keys(*pairs: tuple[int, int]) -> array[int]:
        return array("Q", sorted(d << 32 | p for d, p in pairs))

    neck, pain = keys((0, 3), (1, 7), (2, 1)), keys((0, 4), (1, 5), (2, 9), (3, 1))
    assert keyed_phrase_docs([neck, pain]) == {0}
    assert keyed_phrase_docs([pain, neck]) == set()
    assert keyed_phrase_docs([neck, neck]) == set()  # "neck neck"
    assert keyed_phrase_docs([keys((5, 0), (5, 1)), keys((5, 1), (5, 2))]) == {5}


def test_a_missing_or_damaged_compact_file_is_read_through_whoosh(
    tmp_path: Path, expect_warnings: pytest.LogCaptureFixture
) -> None:
    library = load_library(_library_of(tmp_path, 30))
    index = SearchIndex.open_or_build(library, tmp_path / "index")
    expected = _answers(index)
    location = index.location
    index.close()
    assert location is not None
    files = _segments(location)
    files[0].write_bytes(files[0].read_bytes()[:100])  # cut short
    for extra in files[1:]:
        extra.unlink()
    meta = json.loads((location / "meta.json").read_text())
    meta["files"] = _checksums(location)  # as if so when it was built: it is not rebuilt
    (location / "meta.json").write_text(json.dumps(meta))
    reopened = SearchIndex.open_or_build(library, tmp_path / "index")
    assert not _segments(reopened.location or location)[1:]
    assert _answers(reopened) == expected
    assert (
        "compact postings of" in expect_warnings.text
        and "reading it slowly" in expect_warnings.text
    )


def test_an_update_writes_compact_postings_for_its_segment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    content = _library_of(tmp_path, 30)
    library = load_library(content)
    index = SearchIndex.open_or_build(library, tmp_path / "index")
    page = content / "one" / "article-1.md"
    page.write_text(page.read_text() + "\nA zygapophyseal surprise.\n")
    index.update(load_library(content))
    assert len(index._searcher.leaf_searchers()) == 2
    assert all(compact_segment(leaf) for leaf, _ in index._searcher.leaf_searchers())
    assert [h.slug for h in index.search("zygapophyseal").hits] == ["article-1"]
    # Both with the current statistics (the build's, kept after edits, need the stored impacts).
    monkeypatch.setattr("desktop_app.core.search.ranking.build_stats", lambda searcher: None)
    index._impacts = type(index._impacts)(index._searcher)
    fast = _answers(index)
    _whoosh_only(monkeypatch)
    index._impacts = type(index._impacts)(index._searcher)
    assert _answers(index) == fast


def _whoosh_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """Read every segment through Whoosh, as if none had compact postings."""
    for module in ("compact", "postings", "impacts"):
        monkeypatch.setattr(f"desktop_app.core.search.{module}.compact_segment", lambda leaf: None)


def test_impacts_stored_at_build_equal_those_computed_and_outlive_small_edits(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from desktop_app.core.search import impacts, ranking

    content = _library_of(tmp_path, 30)
    index = SearchIndex.open_or_build(load_library(content), tmp_path / "index")

    def read(cache: ranking.ImpactCache) -> dict[str, dict[int, float]]:
        return {word: cache._read("body", word) for word in ("thrust", "manipul", "section")}

    def computed(cache: ranking.ImpactCache) -> dict[str, dict[int, float]]:
        with monkeypatch.context() as patch:
            patch.setattr(ranking, "_ready", lambda *args: None)  # compute them instead
            return read(cache)

    cache = index._impacts
    cache.prepare()
    leaf = index._searcher.leaf_searchers()[0][0]
    assert cache._stats is not None and ranking._ready(leaf, "body", "thrust") is not None
    stored = read(cache)
    assert all(stored.values()) and computed(cache) == stored
    page = content / "one" / "article-1.md"
    page.write_text(page.read_text() + "\nMore thrust.\n")
    index.update(load_library(content))  # one more segment, one document deleted
    cache = index._impacts
    cache.prepare()
    assert cache._stats is not None  # the build's statistics still hold
    after = read(cache)
    assert computed(cache) == after  # the stored ones and the new segment's: one scale
    kept = stored["section"].keys() & after["section"].keys()  # all but the edited article
    assert len(kept) == len(stored["section"]) - 1
    assert all(after["section"][doc] == stored["section"][doc] for doc in kept)
    monkeypatch.setattr(impacts, "STATS_DRIFT", 0.0)  # any edit counts as too many
    index._impacts = type(index._impacts)(index._searcher)
    index._impacts.prepare()
    assert index._impacts._stats is None


def test_spelling_lists_terms_from_the_compact_tables_as_whoosh_does(tmp_path: Path) -> None:
    from desktop_app.core.search import spelling

    library = load_library(_library_of(tmp_path, 30))
    index = SearchIndex.open_or_build(library, tmp_path / "index")
    reader = index._searcher.reader()
    for leaf, _ in reader.leaf_readers():
        assert compact.compact_of(leaf) is not None
    fast = {
        (field, prefix): list(spelling.lexicon(reader, field, prefix))
        for field in ("words", "body")
        for prefix in ("", "a", "dis", "manipulation", "zz")
    }
    assert fast[("words", "dis")] == [("dissection", 30)]
    leaves = [leaf for leaf, _ in reader.leaf_readers()]
    for leaf in leaves:
        leaf._atlas_compact = None  # read through Whoosh
    assert {key: list(spelling.lexicon(reader, *key)) for key in fast} == fast
