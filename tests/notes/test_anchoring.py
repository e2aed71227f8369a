"""Re-anchoring a quoted passage after the article's text changed (W3C selectors)."""

from __future__ import annotations

from desktop_app.core.notes import anchor, first_quote, quote_at

TEXT = (
    "Manipulation is a passive manoeuvre. The thrust is brief. "
    "Mobilisation is slower and within the patient's control. The thrust is brief. "
    "Serious adverse events are rare but can be catastrophic."
)


def test_the_position_is_used_while_the_text_is_there() -> None:
    q = first_quote(TEXT, "Mobilisation is slower")
    assert q is not None
    found = anchor(TEXT, q)
    assert found and found.method == "position" and found.text == "Mobilisation is slower"


def test_a_repeated_passage_is_told_apart_by_its_context() -> None:
    second = TEXT.index("The thrust is brief.", TEXT.index("Mobilisation"))
    q = quote_at(TEXT, second, second + len("The thrust is brief."))
    edited = "A new opening sentence moves everything. " + TEXT
    found = anchor(edited, q)
    assert found and found.method == "quote"
    assert found.start == edited.index("The thrust is brief.", edited.index("Mobilisation"))


def test_a_small_edit_inside_the_passage_is_tolerated() -> None:
    q = first_quote(TEXT, "Serious adverse events are rare but can be catastrophic.")
    assert q is not None
    edited = TEXT.replace(
        "are rare but can be catastrophic", "are very rare but may be catastrophic"
    )
    found = anchor(edited, q)
    assert found and found.method == "fuzzy"
    assert found.text.startswith("Serious adverse events are very rare")


def test_a_passage_that_was_removed_is_detached_not_moved_elsewhere() -> None:
    q = first_quote(TEXT, "Serious adverse events are rare but can be catastrophic.")
    assert q is not None
    assert anchor("An entirely different article about headache and its guidelines.", q) is None


def test_line_breaks_and_spacing_do_not_matter() -> None:
    q = first_quote("The thrust\n   is brief.", "thrust is brief")
    assert q is not None and q.exact == "thrust\n   is brief"
    found = anchor("Here the thrust is brief.", q)
    assert found and found.text == "thrust is brief"


def test_a_quote_that_is_not_in_the_text_gives_nothing() -> None:
    assert first_quote(TEXT, "chiropractic subluxation") is None
    assert first_quote(TEXT, "   ") is None


def test_edits_after_the_passage_leave_it_where_it_was() -> None:
    q = first_quote(TEXT, "Mobilisation is slower")
    assert q is not None
    edited = TEXT.replace(
        "Serious adverse events", "A new closing sentence. Serious adverse events"
    )
    found = anchor(edited, q)
    assert found and found.method == "position" and found.text == "Mobilisation is slower"


def test_a_passage_reworded_in_place_beats_the_same_words_elsewhere() -> None:
    text = "Intro line.\nSee the cervical article.\nBody text about grades and thrusts here.\nEnd."
    q = first_quote(text, "Body text about grades and thrusts here.")
    assert q is not None
    edited = (
        "Intro line.\nSee the cervical article.\nBody text about the grades and thrusts here.\n"
        "End.\nAppendix: Body text about grades and thrusts here."
    )
    found = anchor(edited, q)
    assert found and found.text.startswith("Body text about the grades")
