from __future__ import annotations

from desktop_app.core.search.results import SearchResults
from desktop_app.ui.result_count import count_text


def test_count_tells_all_words_from_some() -> None:
    assert count_text(SearchResults("a b c", 52, all_words=3)) == (
        "3 articles match all words · 49 match some"
    )
    assert count_text(SearchResults("a b", 2, all_words=1)) == (
        "1 article matches all words · 1 matches some"
    )
    assert count_text(SearchResults("a b", 4, all_words=4)) == "4 articles match all words"
    assert count_text(SearchResults("a b", 5, all_words=0)) == (
        "No article matches all words · 5 match some"
    )
    assert count_text(SearchResults("thrust", 1, all_words=1)) == "1 article"
    assert count_text(SearchResults("a b", 7)) == "7 articles"
    assert count_text(SearchResults("a b", 0)) == "No articles found"
