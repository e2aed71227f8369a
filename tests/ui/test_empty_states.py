from __future__ import annotations

from pathlib import Path

from desktop_app.ui import empty_states


def test_no_results_offers_next_steps() -> None:
    text = empty_states.no_results("neck pain tratment", "neck pain treatment", True)
    assert "fewer words" in text
    assert 'href="suggest"' in text and "neck pain treatment" in text
    assert 'href="all-topics"' in text
    assert "all-topics" not in empty_states.no_results("x", None, False)


def test_load_failed_names_file_and_line() -> None:
    page = empty_states.load_failed("a", Path("/c/a.md"), 12, "bad <front matter>")
    assert "/c/a.md, line 12" in page
    assert "bad &lt;front matter&gt;" in page
