from __future__ import annotations

import argparse
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from desktop_app.core.content import load_library
from desktop_app.core.search import SearchIndex
from desktop_app.ui.app import build_window, start_index
from desktop_app.ui.main_window import MainWindow
from desktop_app.ui.settings import Settings
from desktop_app.ui.topic_model import Role, TopicTreeModel
from tests.conftest import CONTENT


@pytest.fixture
def window(qtbot: QtBot, small_content: Path, tmp_path: Path) -> MainWindow:
    library = load_library(small_content)
    win = MainWindow(library, Settings(tmp_path / "settings.ini"))
    qtbot.addWidget(win)
    win.search.set_index(SearchIndex.in_memory(library))
    win.show()
    return win


def test_tree_model_passes_model_tester(qtmodeltester: object, small_content: Path) -> None:
    model = TopicTreeModel(load_library(small_content))
    qtmodeltester.check(model)  # type: ignore[attr-defined]
    assert model.rowCount() == 2
    techniques = model.index(0, 0)
    assert techniques.data() == "Techniques"
    assert [model.index(r, 0, techniques).data(Role.SLUG) for r in range(2)] == [
        "hvla",
        "mobilisation",
    ]


def test_selecting_in_tree_renders_article(window: MainWindow, qtbot: QtBot) -> None:
    index = window.tree_model.index_of("mobilisation")
    with qtbot.waitSignal(window.article_shown) as blocker:
        window.tree.setCurrentIndex(index)
    assert blocker.args == ["mobilisation"]
    assert "Slow movements within range" in window.article_view.toPlainText()
    assert window.windowTitle() == "Mobilisation — Spine Atlas"


def test_typing_shows_results_and_enter_opens_top_hit(window: MainWindow, qtbot: QtBot) -> None:
    window.search_field.setFocus()
    with qtbot.waitSignal(window.search.results_ready, timeout=5000):
        qtbot.keyClicks(window.search_field, "thrus")
    assert window.left_stack.currentWidget() is window.results
    assert window.results_model.rowCount() >= 1
    assert window.results_model.index(0).data() == "HVLA thrust manipulation"
    with qtbot.waitSignal(window.article_shown) as shown:
        qtbot.keyClick(window.search_field, Qt.Key.Key_Return)
    assert shown.args == ["hvla"]
    qtbot.keyClick(window.search_field, Qt.Key.Key_Escape)
    assert window.left_stack.currentWidget() is window.tree
    assert window.search_field.text() == ""


def test_typo_shows_clickable_suggestion(window: MainWindow, qtbot: QtBot) -> None:
    with qtbot.waitSignal(window.search.results_ready, timeout=5000):
        window.search_field.setText("cavitaton")
        window.search.search_now("cavitaton")
    assert window.suggestion_label.isVisible()
    assert "cavitation" in window.suggestion_label.text()
    with qtbot.waitSignal(window.search.results_ready, timeout=5000):
        window.suggestion_label.linkActivated.emit("suggest")
    assert window.search_field.text() == "cavitation"


def test_internal_link_back_and_forward(window: MainWindow, qtbot: QtBot) -> None:
    window.open_article("hvla")
    window.article_view.article_requested.emit("mobilisation", "")
    assert window.article_view.slug == "mobilisation"
    assert window.back_action.isEnabled() and not window.forward_action.isEnabled()
    window.back_action.trigger()
    assert window.article_view.slug == "hvla"
    assert window.forward_action.isEnabled()
    window.forward_action.trigger()
    assert window.article_view.slug == "mobilisation"


def test_external_link_is_only_opened_when_asked(
    window: MainWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[str] = []
    monkeypatch.setattr(
        "desktop_app.ui.dialogs.QDesktopServices.openUrl",
        lambda url: opened.append(url.toString()),
    )
    window.open_article("hvla")
    window.article_view.external_link_requested.emit("https://doi.org/10.1/x")
    box = window.external_box
    assert box.isVisible() and "https://doi.org/10.1/x" in box.informativeText()
    assert opened == []
    copy = next(b for b in box.buttons() if b.text() == "Copy address")
    copy.click()
    assert QApplication.clipboard().text() == "https://doi.org/10.1/x"
    assert opened == []
    window.article_view.external_link_requested.emit("https://doi.org/10.1/x")
    open_button = next(b for b in window.external_box.buttons() if b.text() == "Open in browser")
    open_button.click()
    assert opened == ["https://doi.org/10.1/x"]


def test_state_is_remembered(qtbot: QtBot, small_content: Path, tmp_path: Path) -> None:
    library = load_library(small_content)
    settings = Settings(tmp_path / "s.ini")
    first = MainWindow(library, settings)
    qtbot.addWidget(first)
    first.show()
    first.resize(700, 500)
    first.layout_fit.fit(first.layout_fit.WIDE)  # unfolded, as if wide (see ui/layout.py)
    first.splitter.setSizes([200, 700])
    first.open_article("stroke")
    first.close()
    second = MainWindow(library, Settings(tmp_path / "s.ini"))
    qtbot.addWidget(second)
    second.show()
    second.open_initial_article()
    assert second.article_view.slug == "stroke"
    assert second.size().width() == 700
    assert second.layout_fit.tree_folded  # 700 px: the topics fold behind a toggle
    second.layout_fit.fit(second.layout_fit.WIDE)
    assert abs(second.splitter.sizes()[0] - 200) <= 2


def test_bundled_window_builds_index_in_background(qtbot: QtBot, tmp_path: Path) -> None:
    args = argparse.Namespace(content=CONTENT, index_dir=tmp_path / "ix")
    window, index_dir = build_window(args)
    qtbot.addWidget(window)
    window.show()
    window.open_initial_article()
    assert window.article_view.slug == "spinal-manipulation-overview"
    assert "Reference, not medical advice" in window.article_view.toPlainText()
    start_index(window, window.library, index_dir)
    qtbot.waitUntil(
        lambda: (
            window.search.index is not None or "unavailable" in window.statusBar().currentMessage()
        ),
        timeout=60_000,
    )
    assert "Search ready" in window.statusBar().currentMessage()
    window.grab().save(str(tmp_path / "window.png"))


def test_quitting_during_a_first_index_build_stops_it(
    qtbot: QtBot, small_content: Path, tmp_path: Path
) -> None:
    args = argparse.Namespace(content=small_content, index_dir=tmp_path / "ix")
    window, index_dir = build_window(args)
    qtbot.addWidget(window)
    start_index(window, window.library, index_dir)
    assert window.index_build is not None
    window.index_build.cancel()  # what run_app does when the window closes first
    qtbot.waitUntil(lambda: "unavailable" in window.statusBar().currentMessage(), timeout=60_000)
    assert "stopped" in window.statusBar().currentMessage()
    assert window.search.index is None
    assert not SearchIndex.exists(index_dir)  # no half-built index was made current


def test_backlinks_found_after_a_start_from_the_snapshot_are_shown(
    qtbot: QtBot, small_content: Path, tmp_path: Path
) -> None:
    from desktop_app.core.render import render_article
    from desktop_app.core.snapshot import ShownArticle, fresh_snapshot

    snapshot = fresh_snapshot(small_content, load_library)  # saved before backlinks were known
    rendered = render_article(snapshot.library, "hvla")
    snapshot.shown = ShownArticle(rendered, False, ())
    window = MainWindow(snapshot.library, Settings(tmp_path / "s.ini"), snapshot=snapshot)
    qtbot.addWidget(window)
    window.open_article("hvla")
    assert "Referenced by" not in window.article_view.toPlainText()
    window.set_backlinks({"hvla": ["mobilisation", "stroke"]})
    text = window.article_view.toPlainText()
    assert "Referenced by" in text and "Stroke and neck manipulation" in text


def test_index_progress_says_when_the_build_writes_its_files(window: MainWindow) -> None:
    window.show_index_progress(120, 10000)
    assert window.progress.text() == "Indexing 120/10000"
    window.show_index_progress(10000, 10000)  # every article read; the files are being written
    assert window.progress.text() == "Finishing the index…"
    window.index_ready("Search ready")
    assert window.progress.isHidden()
