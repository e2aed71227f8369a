from __future__ import annotations

import re
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from desktop_app.core.content import load_library
from desktop_app.core.search import SearchIndex
from desktop_app.ui import settings as keys
from desktop_app.ui.main_window import MainWindow
from desktop_app.ui.settings import Settings
from tests.conftest import CONTENT


@pytest.fixture(scope="module")
def library():  # type: ignore[no-untyped-def]
    return load_library(CONTENT)


@pytest.fixture
def window(qtbot: QtBot, library, tmp_path: Path) -> MainWindow:  # type: ignore[no-untyped-def]
    win = MainWindow(library, Settings(tmp_path / "settings.ini"))
    qtbot.addWidget(win)
    win.show()
    win.open_article("spinal-mobilisation-grades")
    return win


def test_find_bar_counts_and_steps(window: MainWindow, qtbot: QtBot) -> None:
    window.find_action.trigger()
    assert window.find_bar.isVisible()
    qtbot.keyClicks(window.find_bar.field, "grade")
    total = len(window.find_bar.matches)
    assert total > 5
    assert window.find_bar.count.text() == f"1 of {total}"
    window.find_next_action.trigger()
    assert window.find_bar.count.text() == f"2 of {total}"
    window.find_previous_action.trigger()
    window.find_previous_action.trigger()
    assert window.find_bar.count.text() == f"{total} of {total}"  # wraps
    assert len(window.article_view.extraSelections()) == total
    window.find_bar.field.setText("zzzqqq")
    assert window.find_bar.count.text() == "No matches"
    window.find_bar.close_bar()
    assert not window.find_bar.isVisible() and window.article_view.extraSelections() == []


def test_zoom_changes_font_and_is_remembered(window: MainWindow, tmp_path: Path) -> None:
    before = window.article_view.document().defaultFont().pointSizeF()
    window.zoom_in_action.trigger()
    window.zoom_in_action.trigger()
    assert window.article_view.document().defaultFont().pointSizeF() == before + 2
    assert window.settings.get(keys.ZOOM) == 2
    window.zoom_reset_action.trigger()
    assert window.article_view.document().defaultFont().pointSizeF() == before
    window.zoom_out_action.trigger()
    window.settings.sync()
    again = MainWindow(window.library, Settings(tmp_path / "settings.ini"))
    assert again.zoom == -1
    again.close()


def test_outline_lists_headings_and_jumps(window: MainWindow, qtbot: QtBot) -> None:
    outline = window.outline
    titles = [outline.item(i).text().strip() for i in range(outline.count())]
    assert "Grades of mobilisation" in titles or len(titles) >= 4
    last = outline.item(outline.count() - 1)
    outline.itemClicked.emit(last)
    qtbot.waitUntil(lambda: window.article_view.verticalScrollBar().value() > 0)
    assert outline.currentRow() == outline.count() - 1 or outline.currentRow() >= 1
    assert window.copy_link().startswith("atlas:spinal-mobilisation-grades#")
    assert QApplication.clipboard().text() == window.copy_link()


def test_long_headings_wrap_inside_the_outline(window: MainWindow, qtbot: QtBot) -> None:
    window.open_article("spinal-manipulation-overview")
    window.resizeDocks([window.outline_dock], [180], Qt.Orientation.Horizontal)
    qtbot.wait(50)
    outline = window.outline
    width = outline.viewport().width()
    longest = max(range(outline.count()), key=lambda i: len(outline.item(i).text()))
    assert len(outline.item(longest).text()) * 5 > width  # too long for one line here
    for row in range(outline.count()):
        assert outline.visualItemRect(outline.item(row)).right() <= width  # wrapped, not cut
    assert (
        outline.visualItemRect(outline.item(longest)).height()
        > outline.visualItemRect(outline.item(0)).height()
    )


def test_related_and_referenced_by(window: MainWindow, qtbot: QtBot) -> None:
    text = window.article_view.toPlainText()
    assert "Related articles" in text
    with qtbot.waitSignal(window.article_shown, timeout=20_000):
        window.start_backlinks()
    text = window.article_view.toPlainText()
    assert "Referenced by" in text
    assert "High-velocity low-amplitude (HVLA) thrust manipulation" in text


def test_bookmarks_and_recent_are_kept(window: MainWindow, tmp_path: Path) -> None:
    window.bookmark_action.trigger()
    assert window.bookmark_action.isChecked()
    window.open_article("neck-pain")
    assert not window.bookmark_action.isChecked()
    window.settings.sync()
    settings = Settings(tmp_path / "settings.ini")
    assert settings.get(keys.BOOKMARKS) == ["spinal-mobilisation-grades"]
    assert settings.get(keys.RECENT)[:2] == ["neck-pain", "spinal-mobilisation-grades"]
    window.fill_bookmarks_menu()
    titles = [a.text() for a in window.bookmarks_menu.actions()]
    assert "Spinal mobilisation and the Maitland grades" in titles
    window.open_article("spinal-mobilisation-grades")
    window.bookmark_action.trigger()
    assert window.bookmarks.bookmarks() == []


def test_dark_theme_restyles_article_and_palette(window: MainWindow) -> None:
    window.set_theme("dark")
    assert window.dark and window.dark_action.isChecked()
    assert "#1e1f22" in window.article_view.toHtml().lower()
    assert QApplication.palette().window().color().lightness() < 80
    window.set_theme("light")
    assert not window.dark
    assert "#1e1f22" not in window.article_view.toHtml().lower()
    assert window.settings.get(keys.THEME) == "light"


def test_topic_filter_limits_results(window: MainWindow, qtbot: QtBot, library) -> None:  # type: ignore[no-untyped-def]
    window.search.set_index(SearchIndex.in_memory(library))
    window.search_field.setText("manipulation")
    with qtbot.waitSignal(window.search.results_ready, timeout=10_000):
        window.search.search_now("manipulation")
    assert window.topic_filter.isVisible()
    row = window.topic_filter.findData("safety-adverse-events")
    with qtbot.waitSignal(window.search.results_ready, timeout=10_000):
        window.topic_filter.setCurrentIndex(row)
    topics = {
        window.results_model.index(r).data(257 + 1) for r in range(window.results_model.rowCount())
    }
    assert topics == {"Safety & adverse events"}


def test_opening_a_result_highlights_matches(window: MainWindow, qtbot: QtBot, library) -> None:  # type: ignore[no-untyped-def]
    window.search.set_index(SearchIndex.in_memory(library))
    window.search_field.setText("cavitation")
    with qtbot.waitSignal(window.search.results_ready, timeout=10_000):
        window.search.search_now("cavitation")
    with qtbot.waitSignal(window.article_shown):
        window._open_result_row(0)
    assert window.find_bar.isVisible()
    assert len(window.find_bar.matches) >= 3
    assert re.fullmatch(r"\d+ of \d+", window.find_bar.count.text())


def test_a_result_opens_at_its_section_and_back_returns(
    window: MainWindow,
    qtbot: QtBot,
    library,  # type: ignore[no-untyped-def]
) -> None:
    from desktop_app.ui.results_model import Role

    window.open_article("spinal-manipulation-overview")
    window.search.set_index(SearchIndex.in_memory(library))
    query = "how common is vertebral artery dissection"
    window.search_field.setText(query)
    with qtbot.waitSignal(window.search.results_ready, timeout=10_000):
        window.search.search_now(query)
    index = window.results_model.index(0)
    slug, anchor = index.data(Role.SLUG), index.data(Role.ANCHOR)
    assert slug == "cervical-artery-dissection-and-stroke" and anchor
    assert "›" in index.data(Qt.ItemDataRole.AccessibleTextRole)
    with qtbot.waitSignal(window.article_shown):
        window._open_result_row(0)
    heading = window.article_view.anchor_position(anchor)
    assert heading > 0
    current = window.find_bar.matches[window.find_bar.current]
    assert current.selectionStart() >= heading  # the find bar counts from the section
    bar = window.article_view.verticalScrollBar()
    assert bar.value() > 0  # scrolled down to the section, not left at the top
    window.grab().save("/tmp/section-hit.png")
    window.back_action.trigger()
    assert window.article_view.slug == "spinal-manipulation-overview"


def test_print_preview_renders_pages(window: MainWindow, qtbot: QtBot) -> None:
    from desktop_app.ui import print_dialogs

    dialog = print_dialogs.preview(window, window.library, "neck-pain")
    assert dialog is not None
    qtbot.addWidget(dialog)
    dialog.show()
    from PySide6.QtPrintSupport import QPrintPreviewWidget

    preview = dialog.findChild(QPrintPreviewWidget)
    qtbot.waitUntil(lambda: preview.pageCount() >= 2, timeout=10_000)
    dialog.close()


def test_every_control_is_named_and_actions_have_shortcut_tips(window: MainWindow) -> None:
    for widget in window.findChildren(QWidget):
        if (
            widget.focusPolicy()
            and widget.isVisible()
            and widget.metaObject().className()
            in (
                "QLineEdit",
                "QTreeView",
                "QListView",
                "QComboBox",
                "QTextBrowser",
                "QListWidget",
                "desktop_app.ui.main_window.SearchField",
                "SearchField",
                "ArticleView",
            )
        ):
            assert widget.accessibleName(), widget
    rows = dict(window.shortcut_rows())
    assert rows["Print"] and rows["Find in article"] and rows["Back"]
    assert rows["Next / previous heading in the article"].startswith("H ")
    assert "Ctrl+Shift+O" in rows.values() and "Tab / Shift+Tab; Enter" in rows.values()
    assert "(Ctrl+P)" in window.print_action.toolTip()


def test_figures_fit_a_narrow_pane(window: MainWindow, qtbot: QtBot) -> None:
    from PySide6.QtGui import QTextFormat

    window.resize(700, 600)
    window.open_article("spinal-mobilisation-grades")
    qtbot.wait(150)
    view = window.article_view
    widths = []
    block = view.document().begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            fmt = it.fragment().charFormat()
            if fmt.isImageFormat():
                widths.append(fmt.property(QTextFormat.Property.ImageWidth))
            it += 1
        block = block.next()
    assert widths, "the article has a figure"
    assert all(0 < w <= view.viewport().width() for w in widths)


def test_find_highlights_survive_a_theme_change(window: MainWindow, qtbot: QtBot) -> None:
    window.find_action.trigger()
    qtbot.keyClicks(window.find_bar.field, "grade")
    window.find_next_action.trigger()
    total = len(window.find_bar.matches)
    assert total > 5 and window.find_bar.count.text() == f"2 of {total}"
    window.set_theme("dark")
    assert window.find_bar.isVisible()
    assert len(window.article_view.extraSelections()) == total
    assert window.find_bar.count.text() == f"2 of {total}"
    window.set_theme("light")
    assert len(window.article_view.extraSelections()) == total
