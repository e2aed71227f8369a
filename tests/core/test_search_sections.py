"""Section-level answers: each hit names the section that answers, with its rendered anchor."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop_app.core.content import load_library
from desktop_app.core.render import render_article, split_sections
from desktop_app.core.search import SearchIndex
from tests.conftest import CONTENT

BODY = """Intro about spinal manipulation in general.

## Use in pregnancy {#pregnancy}

Manipulation in pregnancy: low back pain in pregnancy is common; trials are few.

## Older adults

Older adults have fragile bones; osteoporosis matters before manipulation.

## Older adults

A second heading with the same words gets its own anchor; manipulation again.

### Anticoagulation

Warfarin and other anticoagulants raise the bleeding risk of manipulation.
"""


@pytest.fixture
def library(tmp_path: Path):  # type: ignore[no-untyped-def]
    (tmp_path / "populations.md").write_text(
        "---\ntitle: Special populations\nsummary: Groups needing care.\n---\n" + BODY, "utf-8"
    )
    (tmp_path / "other.md").write_text(
        "---\ntitle: Other\nsummary: Something else.\n---\nNothing about the groups here.\n",
        "utf-8",
    )
    return load_library(tmp_path)


def test_sections_carry_the_anchors_the_renderer_gives(library) -> None:  # type: ignore[no-untyped-def]
    sections = [s for s in split_sections(library.read_body("populations")) if s.level]
    assert [s.anchor for s in sections] == [
        "pregnancy", "older-adults", "older-adults_1", "anticoagulation",
    ]  # fmt: skip
    rendered = {entry.anchor for entry in render_article(library, "populations").toc}
    assert {s.anchor for s in sections} == rendered


def test_every_bundled_heading_anchor_matches_the_rendered_one() -> None:
    library = load_library(CONTENT)
    for slug in library.articles:
        mine = {s.anchor for s in split_sections(library.read_body(slug)) if s.level}
        assert mine == {e.anchor for e in render_article(library, slug).toc}, slug


def test_a_question_names_the_section_that_answers_with_a_snippet_from_it(library) -> None:  # type: ignore[no-untyped-def]
    index = SearchIndex.in_memory(library)
    hit = index.search("is manipulation safe in pregnancy").hits[0]
    assert (hit.slug, hit.section, hit.anchor) == ("populations", "Use in pregnancy", "pregnancy")
    assert "<b>pregnancy</b>" in hit.snippet.lower()
    hit = index.search("can I manipulate a patient on warfarin").hits[0]
    assert (hit.section, hit.anchor) == ("Anticoagulation", "anticoagulation")
    assert "Warfarin" in hit.snippet and "osteoporosis" not in hit.snippet
    data = index.search("warfarin").to_json()["hits"][0]
    assert data["section"] == "Anticoagulation" and data["anchor"] == "anticoagulation"
    assert data["path"] == "populations.md"


def test_a_match_only_in_the_title_opens_at_the_top(library) -> None:  # type: ignore[no-untyped-def]
    hit = SearchIndex.in_memory(library).search("special populations").hits[0]
    assert hit.slug == "populations" and (hit.section, hit.anchor) == ("", "")


def test_results_count_the_articles_that_match_every_word(library) -> None:  # type: ignore[no-untyped-def]
    index = SearchIndex.in_memory(library)
    results = index.search("warfarin groups")  # "groups" is also in the summary of populations
    assert (results.total, results.all_words) == (2, 1)
    results = index.search("warfarin nothing")
    assert (results.total, results.all_words) == (2, 0)
    assert index.search("warfarin").to_json()["all_words"] == 1


def test_search_text_and_snippets_do_not_load_python_markdown() -> None:
    """The index's plain text and the snippets use our patterns only (memory, index start)."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "import desktop_app.core.render.plaintext, desktop_app.core.search.snippets\n"
        "print('markdown' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.strip() == "False"
