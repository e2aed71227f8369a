from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QThreadPool
from pytestqt.qtbot import QtBot

from desktop_app.core.content import load_library
from desktop_app.ui import folders
from desktop_app.ui.main_window import MainWindow
from desktop_app.ui.settings import Settings
from tests.conftest import write_content

NOTES = {
    "first.md": "# First note\n\nMy own words about the shopping list.\n",
    "second.md": "# Second note\n\nMore words.\n",
    "third.md": "Plain text without a heading.\n",
}


@pytest.fixture
def window(qtbot: QtBot, small_content: Path, tmp_path: Path) -> MainWindow:
    win = MainWindow(load_library(small_content), Settings(tmp_path / "cfg" / "settings.ini"))
    qtbot.addWidget(win)
    win.show()
    return win


def _switch(qtbot: QtBot, window: MainWindow, folder: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(folders, "choose_folder", lambda _parent: str(folder))
    before = len(folders.WINDOWS)
    window.open_folder_action.trigger()
    qtbot.waitUntil(lambda: len(folders.WINDOWS) > before, timeout=10000)
    new = folders.WINDOWS[-1]
    qtbot.addWidget(new)
    return new


def _stop(win: MainWindow) -> None:
    if win.index_build is not None:
        win.index_build.cancel()
    QThreadPool.globalInstance().waitForDone(10000)


def test_open_folder_from_menu_gives_it_its_own_window_and_state(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    notes = write_content(tmp_path / "notes", NOTES)
    new = _switch(qtbot, window, notes, monkeypatch)
    try:
        assert new.library.root_dir == notes
        assert not window.isVisible() and new.isVisible()
        assert Path(new.settings.path) != Path(window.settings.path)
        assert Path(new.settings.path).parent == Path(window.settings.path).parent
        # a foreign folder: no atlas notice, one title
        qtbot.waitUntil(lambda: bool(new.article_view.slug), timeout=5000)
        new.open_article("first")
        page = new.article_view.toHtml()
        assert "medical advice" not in new.article_view.toPlainText()
        assert new.article_view.toPlainText().count("First note") == 1, page
        # recent folders list, with the bundled atlas always in the menu
        assert window.recent_folders().folders() == [str(notes.resolve())]
        new.fill_folders_menu()
        labels = [a.text() for a in new.folders_menu.actions()]
        assert labels[0] == folders.BUNDLED_LABEL
        assert str(notes.resolve()) in labels
        file_menu = new.menuBar().actions()[0].menu()
        assert "Spine Atlas (&bundled)" in [a.text() for a in file_menu.actions()]
    finally:
        _stop(new)


def test_empty_folder_says_so_and_names_the_folder(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    empty = tmp_path / "empty folder"
    empty.mkdir()
    new = _switch(qtbot, window, empty, monkeypatch)
    try:
        text = new.article_view.toPlainText()
        assert "No articles in this folder" in text
        assert str(empty) in text
        assert "Open Folder" in text
    finally:
        _stop(new)


def test_cancelled_dialog_and_non_folder_do_nothing(
    window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(folders, "choose_folder", lambda _parent: "")
    window.open_folder_action.trigger()
    assert window.folder_worker is None
    assert window.open_folder(tmp_path / "missing") is None
    assert "Not a folder" in window.statusBar().currentMessage()
