from __future__ import annotations

from desktop_app.core.search.spelling import DeletionIndex, edit_distance


def test_edit_distance() -> None:
    assert edit_distance("manipulation", "manipulation") == 0
    assert edit_distance("manipulaiton", "manipulation") == 1  # transposition
    assert edit_distance("cavitaton", "cavitation") == 1
    assert edit_distance("abcdef", "ghijkl", limit=3) == 3


def test_suggestions_prefer_closest_then_most_frequent() -> None:
    index = DeletionIndex(
        [
            ("cavitation", 40),
            ("citation", 90),
            ("manipulation", 100),
            ("manipulative", 30),
            ("osteopathy", 10),
        ]
    )
    assert index.suggest("cavitaton") == "cavitation"
    assert index.suggest("manipulaiton") == "manipulation"
    assert index.suggest("osteopthy") == "osteopathy"
    assert index.suggest("cavitat") is None  # three edits from any word
    assert index.suggest("zzzzzz") is None
    assert index.suggest("kavitation") is None  # the first letter is trusted


def test_two_deletions_on_the_query_side() -> None:
    index = DeletionIndex([("cavit", 5)])
    assert index.suggest("cavitat", max_distance=2) == "cavit"
    assert index.suggest("cavitat", max_distance=1) is None
