"""Live folders: the window follows files edited, added, deleted and renamed (issue 14)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QThreadPool
from pytestqt.qtbot import QtBot

from desktop_app.core.content import load_library
from desktop_app.core.search import FillingIndex, SearchIndex, SearchResults
from desktop_app.ui.live_folder import LiveFolder
from desktop_app.ui.main_window import MainWindow
from desktop_app.ui.settings import Settings
from tests.conftest import write_content

TIMEOUT = 5000


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return write_content(
        tmp_path / "vault",
        {
            "notes/alpha.md": "# Alpha\n\nThe first note, about zygapophyses.",
            "notes/beta.md": "# Beta\n\nThe second note. See [[alpha]].",
        },
    )


@pytest.fixture
def window(qtbot: QtBot, folder: Path, tmp_path: Path) -> MainWindow:
    win = MainWindow(load_library(folder), Settings(tmp_path / "settings.ini"))
    qtbot.addWidget(win)
    win.show()
    win.open_article("alpha")
    yield win
    QThreadPool.globalInstance().waitForDone()


def _tree_titles(window: MainWindow) -> set[str]:
    model = window.tree_model
    out = set()
    stack = [model.index(row, 0) for row in range(model.rowCount())]
    while stack:
        index = stack.pop()
        out.add(index.data())
        stack += [model.index(row, 0, index) for row in range(model.rowCount(index))]
    return out


def _search(window: MainWindow, qtbot: QtBot, text: str) -> SearchResults:
    with qtbot.wait_signal(window.search.results_ready, timeout=TIMEOUT) as blocker:
        window.search.search_now(text)
    results: SearchResults = blocker.args[0]
    return results


def _typed(window: MainWindow, qtbot: QtBot, text: str) -> SearchResults:
    """Type ``text`` in the search field; return the results the panel shows."""
    with qtbot.wait_signal(window.search.results_ready, timeout=TIMEOUT) as blocker:
        window.panel.search_field.setText(text)
    results: SearchResults = blocker.args[0]
    return results


def test_edit_add_delete_and_rename_show_without_restart(
    window: MainWindow, folder: Path, qtbot: QtBot
) -> None:
    window.search.set_index(SearchIndex.in_memory(window.library))
    live = LiveFolder(window, debounce_ms=50)
    text = lambda: window.article_view.toPlainText()  # noqa: E731

    (folder / "notes/alpha.md").write_text("# Alpha\n\nRewritten: costotransverse.\n")
    qtbot.waitUntil(lambda: "costotransverse" in text(), timeout=TIMEOUT)
    qtbot.waitUntil(lambda: live._indexed is window.library, timeout=TIMEOUT)
    assert [h.slug for h in _search(window, qtbot, "costotransverse").hits] == ["alpha"]

    (folder / "notes/gamma.md").write_text("# Gamma\n\nA new note on uncovertebral joints.\n")
    qtbot.waitUntil(lambda: "Gamma" in _tree_titles(window), timeout=TIMEOUT)
    qtbot.waitUntil(lambda: live._indexed is window.library, timeout=TIMEOUT)
    assert [h.slug for h in _search(window, qtbot, "uncovertebral").hits] == ["gamma"]

    (folder / "notes/alpha.md").rename(folder / "notes/alpha-renamed.md")
    qtbot.waitUntil(lambda: window.article_view.slug == "alpha-renamed", timeout=TIMEOUT)
    assert "costotransverse" in text()

    (folder / "notes/alpha-renamed.md").unlink()
    qtbot.waitUntil(lambda: "deleted or renamed" in text(), timeout=TIMEOUT)
    assert window.article_view.slug == ""
    assert "Alpha" not in _tree_titles(window)
    qtbot.waitUntil(lambda: live._indexed is window.library, timeout=TIMEOUT)
    assert not _search(window, qtbot, "costotransverse").hits


def test_same_name_added_in_another_folder_keeps_both(
    window: MainWindow, folder: Path, qtbot: QtBot
) -> None:
    LiveFolder(window, debounce_ms=50)
    (folder / "other").mkdir()
    (folder / "other/alpha.md").write_text("# Another alpha\n\nText.\n")
    qtbot.waitUntil(lambda: "Another alpha" in _tree_titles(window), timeout=TIMEOUT)
    assert {"notes/alpha", "other/alpha"} <= set(window.library.articles)
    assert window.article_view.slug == "notes/alpha"  # the open article, by its new name


def test_titles_are_searchable_before_the_index(window: MainWindow, qtbot: QtBot) -> None:
    assert window.search.index is None
    hits = _search(window, qtbot, "bet").hits
    assert [(h.slug, h.title, h.path) for h in hits] == [("beta", "Beta", "notes/beta.md")]


def test_full_text_is_searched_as_the_first_index_fills(
    window: MainWindow, folder: Path, qtbot: QtBot, tmp_path: Path
) -> None:
    width = window.panel.width()
    _typed(window, qtbot, "bet")
    assert (
        window.panel.count_label.text() == "1 article · titles only while the full text is indexed"
    )
    # the build has written 'alpha' so far (a folder holding just that article stands for it)
    written = write_content(
        tmp_path / "written", {"notes/alpha.md": (folder / "notes/alpha.md").read_text()}
    )
    SearchIndex.open_or_build(load_library(written), tmp_path / "ix").close()
    location = next(p for p in (tmp_path / "ix").iterdir() if p.is_dir())
    window.search.set_filling(FillingIndex(location, window.library))
    found = _typed(window, qtbot, "zygapophyses")  # in alpha's text, not its title
    assert [h.slug for h in found.hits] == ["alpha"] and found.hits[0].snippet
    assert window.panel.count_label.text() == (
        "1 article · full text of 1 of 2 articles so far; titles of all"
    )
    qtbot.wait(50)  # the layout settles: a long count wraps, the panel keeps its width
    assert window.panel.width() == width
    assert [h.slug for h in _typed(window, qtbot, "beta").hits] == ["beta"]  # its title
    filling = window.search.filling
    window.search.set_index(SearchIndex.in_memory(window.library))
    assert window.search.filling is None
    window.search.wait()
    assert filling.index._searcher.is_closed  # the preview's files were released
    _typed(window, qtbot, "second")
    assert window.panel.count_label.text() == "1 article"


def test_child_build_reports_what_can_be_searched_already(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    from desktop_app import workspace

    script = (
        "import sys; w = sys.stderr.write; w('progress 1/4\\n'); "
        "w('searchable 1 /some/gen-1\\n'); w('progress 4/4\\n')"
    )
    monkeypatch.setattr(workspace, "self_command", lambda: [sys.executable, "-c", script, "--"])
    progress: list[tuple[int, int]] = []
    searchable: list[tuple[Path, int]] = []
    child = workspace.ChildBuild()
    child.run(
        tmp_path,
        tmp_path / "ix",
        lambda d, t: progress.append((d, t)),
        lambda p, n: searchable.append((p, n)),
    )
    assert progress == [(1, 4), (4, 4)]
    assert searchable == [(Path("/some/gen-1"), 1)]


def test_topic_filter_follows_topic_folders_added_and_removed(
    window: MainWindow, folder: Path, qtbot: QtBot
) -> None:
    combo = window.panel.topic_filter
    names = lambda: [combo.itemText(i) for i in range(combo.count())]  # noqa: E731
    assert names() == ["All topics", "Notes"]
    live = LiveFolder(window, debounce_ms=50)
    (folder / "recipes").mkdir()
    (folder / "recipes/tart.md").write_text("# Tart\n\nNectarines.\n")
    qtbot.waitUntil(lambda: "Recipes" in names(), timeout=TIMEOUT)
    combo.setCurrentIndex(combo.findData("recipes"))
    assert window.search.topic == "recipes"
    with qtbot.waitSignal(live.reloaded, timeout=TIMEOUT):  # the choice survives a reload
        (folder / "notes/beta.md").write_text("# Beta\n\nChanged.\n")
    assert combo.currentData() == "recipes"
    (folder / "recipes/tart.md").unlink()
    (folder / "recipes").rmdir()
    qtbot.waitUntil(lambda: "Recipes" not in names(), timeout=TIMEOUT)
    assert combo.currentData() == "" and window.search.topic is None  # back to all topics
