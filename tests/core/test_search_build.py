"""The full build split between processes, and the cheap first queries of a fresh index."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from desktop_app.core.content import Library, load_library
from desktop_app.core.search import FillingIndex, SearchIndex, build, title_results
from desktop_app.core.search.spelling import lexicon
from tests.conftest import write_content

QUERIES = [
    "thrust",
    "manipulation",
    '"artery dissection"',
    "stroke neck",
    "HVLA",
    "cavitaton",
    "mobil",
    "oscillation grades",
]


def _library_of(tmp_path: Path, count: int) -> Path:
    """A content folder of ``count`` articles in two topics, with overlapping words."""
    words = "thrust manipulation artery dissection stroke neck oscillation grades mobilisation"
    files: dict[str, str | bytes] = {
        "one/_index.md": "---\ntitle: One\n---\n",
        "two/_index.md": "---\ntitle: Two\n---\n",
    }
    vocabulary = words.split()
    for n in range(count):
        picked = " ".join(vocabulary[(n * k) % len(vocabulary)] for k in range(1, 7))
        files[f"{'one' if n % 2 else 'two'}/article-{n}.md"] = (
            f"---\ntitle: Article {n} {vocabulary[n % len(vocabulary)]}\n---\n"
            f"Opening {picked} paragraph number {n}.\n\n## Section {n}\n\n"
            f"The artery dissection risk after neck manipulation {picked}.\n"
        )
    return write_content(tmp_path / "content", files)


def _answers(index: SearchIndex) -> list[list[tuple[str, float, str]]]:
    out = []
    for query in QUERIES:
        for as_you_type in (False, True):
            results = index.search(query, as_you_type=as_you_type)
            out.append([(h.slug, round(h.score, 9), h.snippet) for h in results.hits])
    return out


def test_a_build_on_two_processes_answers_as_one_process_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    library = load_library(_library_of(tmp_path, 40))
    serial = SearchIndex.open_or_build(library, tmp_path / "serial")
    monkeypatch.setattr(build, "build_processes", lambda articles: 2)
    parallel = SearchIndex.open_or_build(library, tmp_path / "parallel")
    # this process writes a preview segment and the rest of its part; the helper one segment
    assert len(list(parallel._searcher.leaf_searchers())) == 3
    assert parallel.doc_count == serial.doc_count == 40
    assert _answers(parallel) == _answers(serial)
    for field, prefix in (("words", ""), ("body", ""), ("words", "m"), ("body", "ar")):
        # the vocabulary (spelling, completion) summed over segments is the one-segment one
        assert list(lexicon(parallel._searcher.reader(), field, prefix)) == list(
            lexicon(serial._searcher.reader(), field, prefix)
        )
    assert not list((tmp_path / "parallel").glob("*/*.tmp"))  # temporary runs cleaned up
    serial.close()
    parallel.close()


def test_an_update_of_a_two_process_build_finds_the_new_text_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _library_of(tmp_path, 12)
    monkeypatch.setattr(build, "build_processes", lambda articles: 2)
    index = SearchIndex.open_or_build(load_library(root), tmp_path / "index")
    path = root / "one" / "article-3.md"
    path.write_text(path.read_text().replace("Opening", "Zygapophyseal"), encoding="utf-8")
    stamp = time.time() + 5
    os.utime(path, (stamp, stamp))
    stats = index.update(load_library(root))
    assert stats.changed == 1
    assert [h.slug for h in index.search("zygapophyseal").hits] == ["article-3"]
    assert "article-3" not in [h.slug for h in index.search("opening", limit=50).hits]
    index.close()
    reopened = SearchIndex.open_or_build(load_library(root), tmp_path / "index")
    assert [h.slug for h in reopened.search("zygapophyseal").hits] == ["article-3"]
    reopened.close()


def test_postings_spilled_to_disk_in_batches_give_the_same_index(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    library = load_library(_library_of(tmp_path, 12))
    in_memory = SearchIndex.open_or_build(library, tmp_path / "memory")
    spilled: list[int] = []
    real_write = build._batched_runs

    def counting(pool: object) -> None:
        real_write(pool)
        write = pool._write_run  # type: ignore[attr-defined]
        pool._write_run = lambda f, items: (spilled.append(1), write(f, items))  # type: ignore[attr-defined]

    monkeypatch.setattr(build, "_batched_runs", counting)
    monkeypatch.setattr(build, "RUN_BATCH", 7)  # batches split across runs and merges
    monkeypatch.setattr(build, "LIMIT_MB", 0)  # every posting goes to a run on disk
    on_disk = SearchIndex.open_or_build(library, tmp_path / "disk")
    assert len(spilled) > 100
    assert _answers(on_disk) == _answers(in_memory)
    in_memory.close()
    on_disk.close()


class _Watching:
    """Build progress that searches the index each time the build says more can be searched."""

    def __init__(self, library: Library) -> None:
        self.library = library
        self.seen: list[tuple[int, int, list[str], str]] = []

    def __call__(self, done: int, total: int) -> None:
        pass

    def searchable(self, location: str, count: int) -> None:
        filling = FillingIndex(Path(location), self.library)
        found = filling.search("opening", limit=100)
        self.seen.append(
            (count, filling.index.doc_count, [h.slug for h in found.hits], found.scope)
        )
        filling.close()


def test_a_two_process_build_can_be_searched_while_it_fills(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    library = load_library(_library_of(tmp_path, 40))
    monkeypatch.setattr(build, "build_processes", lambda articles: 2)
    watching = _Watching(library)
    index = SearchIndex.open_or_build(library, tmp_path / "index", watching)
    order = list(library.articles)
    # a preview of a twentieth of the articles, then this process's whole half
    assert [(count, docs) for count, docs, _, _ in watching.seen] == [(2, 2), (20, 20)]
    for count, _, slugs, scope in watching.seen:
        assert set(slugs[:count]) == set(order[:count])  # full-text hits: the written articles
        assert f"full text of {count} of 40 articles so far" in scope
    assert index.doc_count == 40
    assert len(index.search("opening", limit=100).hits) == 40
    assert not list((tmp_path / "index").glob("*/*.tmp"))
    assert len(list((tmp_path / "index").glob("*/*.toc"))) == 1  # previews' tables removed
    index.close()


def test_a_filling_index_adds_titles_of_articles_not_written_yet(
    tmp_path: Path, expect_warnings: pytest.LogCaptureFixture
) -> None:
    root = write_content(
        tmp_path / "c",
        {
            "a.md": "---\ntitle: Thrust basics\n---\nHigh-velocity thrust technique.\n",
            "b.md": "---\ntitle: Cavitation\n---\nThe audible pop of a thrust.\n",
        },
    )
    first = write_content(tmp_path / "first", {"a.md": (root / "a.md").read_text()})
    SearchIndex.open_or_build(load_library(first), tmp_path / "ix").close()
    location = next(p for p in (tmp_path / "ix").iterdir() if p.is_dir())
    library = load_library(root)
    filling = FillingIndex(location, library)
    assert filling.indexed == {"a"}
    named = filling.search("cavitation")  # a title not indexed yet, typed whole: first
    assert [h.slug for h in named.hits] == ["b"]
    assert named.scope == "full text of 1 of 2 articles so far; titles of all"
    both = filling.search("thrust")  # full text of 'a'; 'b' only says it in its text
    assert [h.slug for h in both.hits] == ["a"]
    assert both.hits[0].snippet  # a full-text hit has its snippet
    filling.close()  # as when a failed build removes its folder: titles still answer
    fallback = filling.search("cavitation")
    assert [h.slug for h in fallback.hits] == ["b"] and fallback.scope.startswith("titles only")
    assert "cannot be searched" in expect_warnings.text


def test_small_libraries_build_in_one_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert build.build_processes(10) == 1
    assert build.build_processes(build.PARALLEL_MIN_ARTICLES) >= 1
    monkeypatch.setattr(build, "build_processes", lambda articles: 2)
    index = SearchIndex.open_or_build(load_library(_library_of(tmp_path, 1)), tmp_path / "index")
    assert [h.slug for h in index.search("opening").hits] == ["article-0"]  # one part: serial
    index.close()


def test_completion_and_correction_read_only_what_they_need(tmp_path: Path) -> None:
    index = SearchIndex.in_memory(load_library(_library_of(tmp_path, 10)))
    speller = index._speller()
    assert speller.complete("mani", 3) == ("manipulation",)
    assert speller.word("manipulaton", 2) == "manipulation"
    assert set(speller._word_indexes) == {"m"}  # only the words starting with its first letter
    assert speller.stem("manipol", 1) == "manipul"


def test_title_results_count_every_match_and_say_they_match_by_title(tmp_path: Path) -> None:
    library = load_library(_library_of(tmp_path, 40))
    found = title_results(library, "article", limit=5)
    assert found.total == 40 and len(found.hits) == 5  # "40 articles", the first 5 shown
    assert "title matches" in found.hits[0].snippet
    assert found.scope == "titles only while the full text is indexed"
