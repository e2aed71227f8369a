from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from desktop_app.core.content import load_library
from desktop_app.core.search import SearchIndex
from desktop_app.ui import empty_states
from desktop_app.ui.main_window import MainWindow
from desktop_app.ui.settings import Settings


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


def test_search_without_results_shows_next_steps(
    qtbot: QtBot, small_content: Path, tmp_path: Path
) -> None:
    library = load_library(small_content)
    win = MainWindow(library, Settings(tmp_path / "s.ini"))
    qtbot.addWidget(win)
    win.search.set_index(SearchIndex.in_memory(library))
    win.show()
    win.search_field.setText("zzqx wobble")
    with qtbot.waitSignal(win.search.results_ready, timeout=5000):
        win.search.search_now("zzqx wobble")
    text = win.suggestion_label.text()
    assert text.startswith("No articles found. Try:") and "fewer words" in text
    assert win.suggestion_label.isVisible() and not win.count_label.isVisible()
