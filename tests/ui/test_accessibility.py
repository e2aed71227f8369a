"""Screen-reader support seen through Qt (the AT-SPI view is in tests/a11y)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QComboBox, QLineEdit, QMenu, QToolButton
from pytestqt.qtbot import QtBot

from desktop_app.core.content import load_library
from desktop_app.core.search import SearchIndex
from desktop_app.ui import accessibility
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
    win.search.set_index(SearchIndex.in_memory(library))
    win.show()
    win.open_article("spinal-mobilisation-grades")
    return win


def test_heading_jumps_move_the_caret(window: MainWindow) -> None:
    view = window.article_view
    accessibility.place_caret(view, 0)
    first = accessibility.jump_to_heading(view)
    assert first is not None and accessibility.heading_level(first) >= 1
    assert view.textCursor().block() == first
    second = accessibility.jump_to_heading(view)
    assert second is not None and second.position() > first.position()
    back = accessibility.jump_to_heading(view, forward=False)
    assert back == first
    accessibility.place_caret(view, view.document().characterCount() - 1)
    assert accessibility.jump_to_heading(view) is None  # no more headings


def test_outline_moves_the_reading_point(window: MainWindow) -> None:
    outline = window.outline
    assert outline.count() > 2
    item = outline.item(2)
    outline.itemActivated.emit(item)
    block = window.article_view.textCursor().block()
    assert accessibility.heading_level(block) >= 1
    assert block.text().strip() == item.text().strip()
    accessibility.focus_outline(window)
    assert window.outline_dock.isVisible()


def test_article_name_carries_the_title(window: MainWindow) -> None:
    title = window.library.get("spinal-mobilisation-grades").title
    assert window.article_view.accessibleName() == f"Article: {title}"


def test_results_and_live_labels(window: MainWindow, qtbot: QtBot) -> None:
    with qtbot.waitSignal(window.search.results_ready, timeout=5000):
        window.search_field.setText("manipulaton")  # set by a program: it still searches
    count = window.count_label.accessibleName()
    assert count.endswith("articles") or count.endswith("article"), count
    index = window.results_model.index(0)
    description = index.data(Qt.ItemDataRole.AccessibleDescriptionRole)
    assert description and "<b>" not in description
    suggestion = window.suggestion_label
    if window.results_model.results and window.results_model.results.suggestion:
        assert suggestion.accessibleName().startswith("Did you mean")
        assert suggestion.focusPolicy() == Qt.FocusPolicy.StrongFocus


def test_find_bar_count_is_the_name(window: MainWindow, qtbot: QtBot) -> None:
    window.find_action.trigger()
    qtbot.keyClicks(window.find_bar.field, "grade")
    assert window.find_bar.count.accessibleName() == f"Matches: {window.find_bar.count.text()}"
    window.find_next_action.trigger()
    assert window.find_bar.count.accessibleName().startswith("Matches: 2 of")


def test_no_unnamed_focusable_controls(window: MainWindow, qtbot: QtBot) -> None:
    qtbot.wait(20)  # the window is laid out, and named again
    for edit in window.findChildren(QLineEdit):
        for button in edit.findChildren(QToolButton):
            assert button.accessibleName()
    for combo in window.findChildren(QComboBox):
        assert combo.view().accessibleName()
    for menu in window.findChildren(QMenu):
        menu.aboutToShow.emit()
        assert menu.accessibleName(), (
            menu.title(),
            menu.objectName(),
            menu.parent(),
            menu.menuAction().text(),
        )


def test_tree_expand_collapse_keeps_working(window: MainWindow) -> None:
    tree = window.tree
    topic = tree.model().index(0, 0, QModelIndex())
    tree.collapse(topic)
    assert not tree.isExpanded(topic)
    tree.expand(topic)
    assert tree.isExpanded(topic)
    title = str(topic.data())
    cell = accessibility._tree_cell(tree, title)
    assert cell is not None and cell.state().expanded


def test_plain_and_menu_name() -> None:
    assert accessibility.plain("a <b>b</b> &amp; c") == "a b & c"
    menu = QMenu("&File && more")
    assert accessibility.menu_name(menu) == "File & more"


def test_tab_to_a_link_is_announced_and_enter_follows_it(
    window: MainWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtTest import QTest

    heard: list[str] = []
    monkeypatch.setattr(accessibility, "announce", lambda _w, m, **_k: heard.append(m))
    view = window.article_view
    view.setFocus()
    accessibility.place_caret(view, 0)
    QTest.keyClick(view, Qt.Key.Key_Tab)
    qtbot.waitUntil(lambda: bool(heard))
    link = view.textCursor().selectedText()
    assert heard == [f"Link, {link}"]
    before = view.slug
    QTest.keyClick(view, Qt.Key.Key_Return)
    assert view.slug != before


def test_did_you_mean_is_used_with_enter(window: MainWindow, qtbot: QtBot) -> None:
    from PySide6.QtTest import QTest

    panel = window.panel
    panel.search_field.setText("neck pian")
    qtbot.waitUntil(lambda: "Did you mean" in panel.suggestion_label.text(), timeout=5000)
    QTest.keyClick(panel.suggestion_label, Qt.Key.Key_Return)
    assert panel.search_field.text() == "neck pain"


def test_article_structure_lists_headings_and_links(window: MainWindow) -> None:
    from PySide6.QtGui import QAccessible

    from desktop_app.ui.article_structure import document_nodes

    nodes = document_nodes(window.article_view.document())
    headings = [n for n in nodes if n.role == QAccessible.Role.Heading]
    links = [n for n in nodes if n.role == QAccessible.Role.Link]
    assert headings[0].level == 1 and any(h.level == 2 for h in headings)
    outline = {window.outline.item(i).text().strip() for i in range(window.outline.count())}
    assert outline <= {h.text for h in headings if h.level >= 2}
    assert any(n.href.startswith("atlas:") for n in links)
    assert any(n.href.startswith("#ref-") and n.text.isdigit() for n in links)


def test_first_window_is_wired_after_its_first_paint(qtbot: QtBot, library, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from desktop_app.ui import a11y_hook

    a11y_hook.defer_until_painted()
    try:
        win = MainWindow(library, Settings(tmp_path / "settings.ini"))
        qtbot.addWidget(win)
        assert "H and Shift+H" not in win.article_view.accessibleDescription()  # not yet
        a11y_hook.install_waiting()
        assert "H and Shift+H" in win.article_view.accessibleDescription()
        later = MainWindow(library, Settings(tmp_path / "other.ini"))  # wired at once now
        qtbot.addWidget(later)
        assert later.article_view.accessibleDescription()
    finally:
        a11y_hook.install_waiting()
