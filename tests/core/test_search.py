from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from desktop_app.core.content import load_library
from desktop_app.core.search import SearchIndex
from tests.conftest import write_content


def _touch_edit(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")
    stamp = time.time() + 5
    os.utime(path, (stamp, stamp))


def test_ranked_hits_with_snippets(small_content: Path) -> None:
    index = SearchIndex.in_memory(load_library(small_content))
    results = index.search("thrust")
    assert results.hits[0].slug == "hvla"
    hit = results.hits[0]
    assert hit.title == "HVLA thrust manipulation"
    assert hit.topic == "Techniques"
    assert hit.score > 0
    assert "<b>thrust</b>" in hit.snippet.lower()


def test_alias_thesaurus_stemming_and_phrase(small_content: Path) -> None:
    index = SearchIndex.in_memory(load_library(small_content))
    assert index.search("HVLA").hits[0].slug == "hvla"
    assert index.search("mobilization").hits[0].slug == "mobilisation"  # thesaurus spelling
    assert index.search("CAD").hits[0].slug == "stroke"  # thesaurus abbreviation
    assert index.search("oscillation").hits[0].slug == "mobilisation"  # stemming
    assert index.search('"artery dissection"').hits[0].slug == "stroke"


def test_typo_far_from_any_word_is_corrected_through_stems(small_content: Path) -> None:
    index = SearchIndex.in_memory(load_library(small_content))
    results = index.search("osscilations")  # 2 edits from the stem "oscil", 3 from any word
    assert results.hits and results.hits[0].slug == "mobilisation"
    assert results.suggestion == "oscillations"


def test_more_concepts_matched_rank_higher(small_content: Path) -> None:
    index = SearchIndex.in_memory(load_library(small_content))
    # "stroke" article matches both concepts in its title; hvla mentions neither in its title.
    assert index.search("stroke neck").hits[0].slug == "stroke"


def test_typo_gets_suggestion_and_fuzzy_hits(small_content: Path) -> None:
    index = SearchIndex.in_memory(load_library(small_content))
    results = index.search("cavitaton")
    assert results.suggestion == "cavitation"
    assert results.hits and results.hits[0].slug == "hvla"


def test_odd_queries_never_raise(small_content: Path) -> None:
    index = SearchIndex.in_memory(load_library(small_content))
    for query in [
        '"',
        "((",
        "AND",
        "title:",
        "*",
        "?",
        "x" * 10_000,
        "NOT NOT",
        "tag:",
        "~",
        "",
        "   ",
        "\x00",
        "🙂",
        'a"b',
        "title:(",
        "[a TO",
    ]:
        index.search(query)
    assert index.search("tag:thrust").hits[0].slug == "hvla"
    assert index.search("title:mobilisation").hits[0].slug == "mobilisation"


def test_topic_filter(small_content: Path) -> None:
    index = SearchIndex.in_memory(load_library(small_content))
    slugs = {h.slug for h in index.search("hvla", topic="safety").hits}
    assert slugs == {"stroke"}


def test_as_you_type_completes_last_word(small_content: Path) -> None:
    index = SearchIndex.in_memory(load_library(small_content))
    # "cavitat" is not a stem of any indexed word: only prefix completion can find it.
    assert index.search("cavitat", as_you_type=True).hits[0].slug == "hvla"
    # As a whole word it is unknown: it is found only through the spelling correction.
    whole = index.search("cavitat ")
    assert whole.suggestion == "cavitation" and whole.fuzzy


def test_build_on_disk_then_incremental_update(small_content: Path, tmp_path: Path) -> None:
    index_dir = tmp_path / "index"
    library = load_library(small_content)
    index = SearchIndex.open_or_build(library, index_dir)
    assert index.doc_count == 3 and index.location is not None
    first_generation = index.location
    index.close()

    _touch_edit(
        small_content / "techniques" / "mobilisation.md",
        "---\ntitle: Mobilisation\n---\nNow about zygapophyseal joints.",
    )
    (small_content / "safety" / "stroke.md").unlink()
    write_content(small_content, {"safety/consent.md": "# Consent\n\nInformed consent."})
    library = load_library(small_content)
    index = SearchIndex.open_or_build(library, index_dir)
    assert index.location == first_generation  # updated in place, not rebuilt
    assert index.doc_count == 3
    assert [h.slug for h in index.search("zygapophyseal").hits] == ["mobilisation"]
    assert not index.search("oscillations").hits
    assert [h.slug for h in index.search("consent").hits] == ["consent"]
    assert all(h.slug != "stroke" for h in index.search("dissection").hits)


def test_new_searcher_after_update_has_no_stale_duplicates(small_content: Path) -> None:
    # Regression for the Whoosh-Reloaded refresh() bug: three updates, one live document each.
    library = load_library(small_content)
    index = SearchIndex.in_memory(library)
    path = small_content / "techniques" / "hvla.md"
    for round_ in range(3):
        _touch_edit(path, f"---\ntitle: HVLA\n---\nversion{round_} marker text")
        os.utime(path, (time.time() + 10 + round_, time.time() + 10 + round_))
        library = load_library(small_content)
        index.update(library)
        assert index.doc_count == 3
        assert [h.slug for h in index.search(f"version{round_}").hits] == ["hvla"]
        assert len(index.search("marker").hits) == 1


@pytest.mark.parametrize("damage", ["truncate", "garbage", "delete-toc", "pointer"])
def test_corrupted_index_is_rebuilt(
    small_content: Path, tmp_path: Path, damage: str, expect_warnings: pytest.LogCaptureFixture
) -> None:
    index_dir = tmp_path / "index"
    library = load_library(small_content)
    SearchIndex.open_or_build(library, index_dir).close()
    generation = index_dir / (index_dir / "current").read_text().strip()
    files = sorted(generation.iterdir())
    if damage == "truncate":
        for f in files:
            if f.suffix in (".seg", ".pst", ".trm", ".toc"):
                f.write_bytes(f.read_bytes()[:10])
    elif damage == "garbage":
        for f in files:
            if f.suffix in (".seg", ".pst", ".trm", ".toc"):
                f.write_bytes(b"garbage" * 50)
    elif damage == "delete-toc":
        for f in files:
            if f.suffix == ".toc":
                f.unlink()
    else:
        (index_dir / "current").write_text("gen-does-not-exist")
    index = SearchIndex.open_or_build(library, index_dir)
    assert index.search("thrust").hits[0].slug == "hvla"
    assert index.location != generation or damage == "pointer"


def test_failed_build_keeps_the_good_index(
    small_content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import desktop_app.core.search.store as search

    index_dir = tmp_path / "index"
    library = load_library(small_content)
    good = SearchIndex.open_or_build(library, index_dir)
    pointer = (index_dir / "current").read_text()

    def disk_full(*_a: object, **_k: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(search, "_write_all", disk_full)
    with pytest.raises(OSError):
        good.rebuild()
    assert (index_dir / "current").read_text() == pointer
    assert len(list(index_dir.glob("gen-*"))) == 1
    assert good.search("thrust").hits[0].slug == "hvla"


def test_unwritable_cache_falls_back_to_memory(small_content: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    index = SearchIndex.open_or_build(load_library(small_content), blocker / "index")
    assert index.location is None
    assert "in memory" in index.note
    assert index.search("thrust").hits


def test_thesaurus_learns_abbreviations_from_titles_and_aliases() -> None:
    from desktop_app.core.search.thesaurus import abbreviation_groups, initialism_groups

    assert abbreviation_groups(
        ["Manipulation-induced hypoalgesia (MIH)", "Neck pain (including whiplash)"]
    ) == [("Manipulation induced hypoalgesia", "MIH")]
    assert initialism_groups(["Overview", "SMT", "spinal manipulative therapy", "XYZ"]) == [
        ("spinal manipulative therapy", "SMT")
    ]


def test_quoted_phrase_must_match_exactly(tmp_path: Path) -> None:
    root = write_content(
        tmp_path / "c",
        {
            "a.md": "# A\n\nThe cauda equina syndrome is rare.",
            "b.md": "# B\n\nEquina and cauda appear apart here, cauda first then later equina.",
        },
    )
    index = SearchIndex.in_memory(load_library(root))
    assert [h.slug for h in index.search('"cauda equina"').hits] == ["a"]
    assert {h.slug for h in index.search("cauda equina").hits} == {"a", "b"}


def test_a_concept_counts_its_best_synonym_fully_and_others_little() -> None:
    from desktop_app.core.search.ranking import SYNONYM_DECAY, _combine

    # Document 1 matches three synonyms of one concept (say it lists them all as aliases);
    # document 2 matches one synonym. Summing would triple document 1's score.
    totals = _combine([{1: 5.0, 2: 6.0}, {1: 5.0}, {1: 5.0}])
    assert totals[1] == 5.0 + SYNONYM_DECAY * 10.0 < 15.0
    assert totals[2] == 6.0


def test_results_count_all_word_matches_apart(small_content: Path) -> None:
    index = SearchIndex.in_memory(load_library(small_content))
    results = index.search("thrust oscillations")
    assert results.total >= 2
    assert results.all_words is not None
    assert results.all_words < results.total
    one = index.search("thrust")
    assert one.all_words == one.total
