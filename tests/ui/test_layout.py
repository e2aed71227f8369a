from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextOption
from pytestqt.qtbot import QtBot

from desktop_app.core.content import load_library
from desktop_app.ui.main_window import MainWindow
from desktop_app.ui.settings import Settings


def test_narrow_window_folds_outline_then_tree(
    qtbot: QtBot, small_content: Path, tmp_path: Path
) -> None:
    win = MainWindow(load_library(small_content), Settings(tmp_path / "s.ini"))
    qtbot.addWidget(win)
    win.show()
    win.open_article("hvla")
    fit = win.layout_fit
    win.resize(1400, 900)
    qtbot.waitUntil(lambda: win.width() == 1400)
    assert win.outline_dock.isVisible() and win.panel.isVisible()
    assert not fit.outline_button_action.isVisible()
    win.resize(900, 700)
    qtbot.waitUntil(lambda: fit.outline_folded)
    assert not win.outline_dock.isVisible() and win.panel.isVisible()
    assert fit.outline_button_action.isVisible()
    fit._fill_outline_menu()
    assert [a.text() for a in fit.outline_menu.actions()] == ["Cavitation"]
    win.resize(700, 500)
    qtbot.waitUntil(lambda: fit.tree_folded)
    assert not win.panel.isVisible()
    fit.topics_action.trigger()
    assert win.panel.isVisible()
    fit.topics_action.trigger()
    assert not win.panel.isVisible()
    win.search_action.trigger()  # Ctrl+K shows the folded search panel
    assert win.panel.isVisible()
    assert win.article_view.wordWrapMode() == QTextOption.WrapMode.WordWrap
    win.resize(1400, 900)
    qtbot.waitUntil(lambda: not fit.tree_folded and not fit.outline_folded)
    assert win.outline_dock.isVisible() and win.panel.isVisible()


def test_toolbar_has_themed_icons_with_shortcut_tooltips(
    qtbot: QtBot, small_content: Path, tmp_path: Path
) -> None:
    win = MainWindow(load_library(small_content), Settings(tmp_path / "s.ini"))
    qtbot.addWidget(win)
    win.show()
    for action in (win.back_action, win.print_action, win.find_action, win.dark_action):
        assert not action.icon().isNull()
    assert "(" in win.find_action.toolTip()  # the shortcut is in the tooltip
    light = win.back_action.icon().pixmap(24).toImage()
    win.set_theme("dark")
    dark = win.back_action.icon().pixmap(24).toImage()
    assert light != dark  # redrawn in the dark palette's text colour
    win.set_theme("light")
    win.resize(1400, 900)
    qtbot.waitUntil(lambda: win.width() == 1400)
    assert win.toolbar.toolButtonStyle() == Qt.ToolButtonStyle.ToolButtonTextBesideIcon
    win.resize(700, 500)
    qtbot.waitUntil(lambda: win.layout_fit.tree_folded)
    assert win.toolbar.toolButtonStyle() == Qt.ToolButtonStyle.ToolButtonIconOnly
