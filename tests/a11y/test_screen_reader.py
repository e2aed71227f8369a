"""The app as a screen reader meets it: the real AT-SPI tree and events, keys sent through AT-SPI.

One app is started under Xvfb with a private D-Bus and AT-SPI bus (``stack.py``); each test
drives it with key presses and reads what Orca would read, through pyatspi (``probe.py``, run by
Debian's python3). Nothing here looks at Qt objects. The tests run in file order and each one
first puts the window in a known state (search cleared, or a known article opened).

Without the stack (no Xvfb, at-spi2-core or python3-pyatspi) the tests are skipped, except when
SPINE_ATLAS_REQUIRE_A11Y=1 (``.ci/run`` sets it), where a missing stack is a failure.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from typing import Any

import pytest

from tests.a11y.stack import Stack, missing

pytestmark = [pytest.mark.a11y, pytest.mark.slow]

TOPICS = (
    "Overview & history",
    "Techniques",
    "Mechanisms",
    "Anatomy & biomechanics",
    "Clinical applications by condition",
    "Professions & training",
    "Safety & adverse events",
    "Contraindications & patient selection",
    "Evidence, guidelines & reference",
)


@pytest.fixture(scope="module")
def stack() -> Iterator[Stack]:
    reason = missing()
    if reason:
        if os.environ.get("SPINE_ATLAS_REQUIRE_A11Y") == "1":
            pytest.fail(f"the AT-SPI stack is required here: {reason}")
        pytest.skip(reason)
    app = Stack()
    try:
        app.start()
        yield app
    except Exception:
        print(app.app_log()[-3000:])
        raise
    finally:
        app.stop()


def run(stack: Stack, *steps: list[Any]) -> list[Any]:
    """Run probe steps (after giving the window the keyboard); return each step's result."""
    return list(stack.probe("run", json.dumps([["activate"], *steps]), timeout=90))[1:]


def qt_at_least(major: int, minor: int) -> bool:
    from PySide6.QtCore import qVersion

    return tuple(int(p) for p in qVersion().split(".")[:2]) >= (major, minor)


def said(events: list[dict[str, Any]]) -> list[str]:
    return [str(e["data"]) for e in events if e["type"] == "object:announcement"]


def search(stack: Stack, text: str) -> list[Any]:
    """Clear the search, type ``text`` key by key in the field; return the announcements."""
    out = run(
        stack,
        ["key", "ctrl+k"],
        ["set-text", "name", "Search", ""],
        ["wait", 0.5],
        ["clear-events"],
        ["type", text],
        ["wait", 2.0],
        ["events", "object:announcement"],
    )
    return said(out[-1])


def open_first_result(stack: Stack, query: str) -> list[Any]:
    """Search, go down to the results, open the first; return (focused, events)."""
    search(stack, query)
    out = run(
        stack,
        ["key", "ctrl+k"],
        ["key", "down"],
        ["wait", 0.4],
        ["clear-events"],
        ["key", "return"],
        ["wait", 1.5],
        ["focused"],
        ["events", "object:announcement", "object:state-changed:focused"],
    )
    return out[-2:]


def test_search_field_is_found_named_and_described(stack: Stack) -> None:
    focused = run(stack, ["key", "ctrl+k"], ["wait", 0.4], ["focused"])[-1]
    assert focused["role"] == "text"
    assert focused["name"] == "Search"
    assert "Ctrl+K" in focused["description"]
    assert "editable" in focused["states"] and "focused" in focused["states"]


def test_typing_a_query_announces_the_count_and_did_you_mean(stack: Stack) -> None:
    heard = search(stack, "neck pian")
    assert any(re.match(r"\d+ articles? match", s) for s in heard), heard
    assert "Did you mean neck pain?" in heard


def test_results_expose_title_section_topic_and_snippet(stack: Stack) -> None:
    search(stack, "cauda equina")
    items = run(stack, ["children", "name", "Search results", 5])[-1]
    assert items, "the results list has no items"
    first = items[0]
    assert first["role"] == "list item"
    assert "›" in first["name"]  # "Article › Section"
    topic, _, snippet = first["description"].partition(". ")
    assert topic in TOPICS
    assert "cauda equina" in snippet.lower()


def test_search_starts_when_text_is_set_programmatically(stack: Stack) -> None:
    out = run(
        stack,
        ["key", "ctrl+k"],
        ["set-text", "name", "Search", ""],
        ["wait", 0.5],
        ["clear-events"],
        ["set-text", "name", "Search", "vertebral artery"],  # not typed: no key events
        ["wait", 2.0],
        ["events", "object:announcement"],
        ["children", "name", "Search results", 3],
    )
    heard, items = said(out[-2]), out[-1]
    assert any(re.match(r"\d+ articles? match", s) for s in heard), heard
    assert items and all(i["role"] == "list item" for i in items)


def test_did_you_mean_is_reached_and_used_from_the_keyboard(stack: Stack) -> None:
    search(stack, "neck pian")
    out = run(
        stack,
        ["key", "ctrl+k"],
        ["key", "tab"],
        ["wait", 0.5],
        ["focused"],
        ["key", "return"],
        ["wait", 1.5],
        ["find", "name", "Search"],
    )
    focused, field = out[3], out[-1]
    assert focused["name"] == "Did you mean neck pain?"
    assert "focusable" in focused["states"]
    assert field["text"] == "neck pain"


def test_opening_a_result_moves_focus_to_the_article_and_says_so(stack: Stack) -> None:
    focused, events = open_first_result(stack, "cauda equina")
    assert focused["role"] == "label" or focused["role"] == "static"
    assert focused["name"].startswith("Article: ")
    title = focused["name"].removeprefix("Article: ")
    heard = said(events)
    assert f"Opened {title}" in heard, heard
    # The status line (what the search found in the article) is announced too.
    assert any(e["role"] == "status bar" for e in events if e["type"] == "object:announcement")
    assert "Text" in focused["interfaces"] and focused["characters"] > 1000


def test_the_article_is_read_line_by_line_with_the_arrow_keys(stack: Stack) -> None:
    open_first_result(stack, "cauda equina")
    lines = []
    for _ in range(3):
        out = run(stack, ["key", "down"], ["wait", 0.3], ["focused"])
        lines.append(out[-1])
    carets = [line["caret"] for line in lines]
    assert carets == sorted(carets) and len(set(carets)) == 3, carets
    assert all(line["caret_line"].strip() for line in lines)


def test_h_jumps_to_the_next_heading_and_says_its_level(stack: Stack) -> None:
    open_first_result(stack, "cauda equina")
    out = run(
        stack,
        ["clear-events"],
        ["key", "h"],
        ["wait", 0.6],
        ["events", "object:announcement", "object:text-caret-moved"],
        ["focused"],
    )
    events, focused = out[-2], out[-1]
    heading = [s for s in said(events) if s.startswith("Heading level")]
    assert heading, said(events)
    assert any(e["type"] == "object:text-caret-moved" for e in events)
    level, _, text = heading[0].removeprefix("Heading level ").partition(", ")
    assert level.isdigit() and focused["caret_line"].strip() == text


def test_headings_and_links_are_accessible_objects(stack: Stack) -> None:
    open_first_result(stack, "mobilisation grades")
    nodes = run(stack, ["children", "name", "Article structure", 400])[-1]
    headings = [n for n in nodes if n["role"] == "heading"]
    links = [n for n in nodes if n["role"] == "link"]
    assert len(headings) >= 3 and len(links) >= 3
    levels = {a for h in headings for a in h.get("attributes") or [] if a.startswith("level:")}
    assert {"level:1", "level:2"} <= levels
    assert all("Action" in link["interfaces"] for link in links)
    assert any(link["name"].startswith("Reference ") for link in links)  # citations
    # Pressing an article link (its AT-SPI action) opens that article.
    index = next(
        i for i, n in enumerate(nodes) if n["role"] == "link" and "article" in n["description"]
    )
    before = run(stack, ["find", "name~", "Article: "])[-1]["name"]
    run(stack, ["child-action", "name", "Article structure", index], ["wait", 1.0])
    after = run(stack, ["find", "name~", "Article: "])[-1]["name"]
    assert after != before


def test_tab_moves_between_links_and_enter_follows(stack: Stack) -> None:
    focused, _ = open_first_result(stack, "mobilisation grades")
    out = run(
        stack,
        ["key", "ctrl+home"],
        ["clear-events"],
        ["key", "tab"],
        ["wait", 0.5],
        ["events", "object:announcement"],
    )
    heard = said(out[-1])
    assert any(s.startswith(("Link, ", "Reference ")) for s in heard), heard
    link = next(s for s in heard if s.startswith(("Link, ", "Reference ")))
    if link.startswith("Link, "):
        after = run(stack, ["key", "return"], ["wait", 1.2], ["focused"])[-1]
        assert after["name"].startswith("Article: ") and after["name"] != focused["name"]


def test_the_find_bar_says_n_of_m(stack: Stack) -> None:
    open_first_result(stack, "cauda equina")
    out = run(
        stack,
        ["key", "ctrl+f"],
        ["wait", 0.4],
        ["focused"],
        ["clear-events"],
        ["type", "manipulation"],
        ["wait", 1.0],
        ["events", "object:announcement"],
        ["find", "name~", "Matches"],
        ["key", "escape"],
    )
    field, events, label = out[2], out[6], out[7]
    assert field["name"] == "Find in article"
    assert any(re.fullmatch(r"\d+ of \d+", s) for s in said(events)), said(events)
    assert re.fullmatch(r"Matches: \d+ of \d+", label["name"])


def test_the_outline_moves_the_reading_point(stack: Stack) -> None:
    open_first_result(stack, "cauda equina")
    out = run(
        stack,
        ["key", "ctrl+shift+o"],
        ["wait", 0.6],
        ["focused"],
        ["key", "down"],
        ["key", "down"],
        ["clear-events"],
        ["key", "return"],
        ["wait", 0.8],
        ["focused"],
        ["events", "object:announcement"],
    )
    outline, article, events = out[2], out[-2], out[-1]
    assert outline["name"] == "On this page"
    assert article["name"].startswith("Article: ")
    heading = next(s for s in said(events) if s.startswith("Heading level"))
    assert article["caret_line"].strip() == heading.partition(", ")[2]


def test_expanding_and_collapsing_a_topic_is_announced(stack: Stack) -> None:
    out = run(
        stack,
        ["key", "ctrl+k"],
        ["set-text", "name", "Search", ""],
        ["key", "escape"],
        ["wait", 0.5],
        ["focused"],
        ["clear-events"],
        ["key", "left"],  # from an article to its topic, or (on a topic) collapse it
        ["wait", 0.3],
        ["key", "left"],
        ["wait", 0.5],
        ["key", "right"],
        ["wait", 0.5],
        ["events", "object:state-changed:expanded", "object:announcement"],
    )
    tree, events = out[4], out[-1]
    assert tree["name"] == "Topics"
    heard = said(events)
    if qt_at_least(6, 12):  # Qt's AT-SPI bridge forwards expanded/collapsed from 6.12 on
        changes = [e["detail1"] for e in events if e["type"] == "object:state-changed:expanded"]
        assert 0 in changes and 1 in changes[changes.index(0) :], changes
    assert any(s.endswith(" collapsed") for s in heard) and any(
        s.endswith(" expanded") for s in heard
    )


def test_no_focusable_control_is_unnamed_and_menus_carry_their_name(stack: Stack) -> None:
    focusables = run(stack, ["focusables"])[-1]
    assert len(focusables) >= 3
    assert [f for f in focusables if not f["name"].strip()] == []
    out = run(stack, ["key", "alt+f"], ["wait", 0.6], ["focused"], ["focused-parent"])
    item, menu = out[-2], out[-1]
    run(stack, ["key", "escape"], ["key", "escape"])
    assert item["role"] == "menu item" and item["name"]
    assert menu["role"] in ("menu", "popup menu") and menu["name"] == "File"
