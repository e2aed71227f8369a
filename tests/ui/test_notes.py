"""Highlights and notes in the window: select, highlight, annotate, undo, panel, theme, print."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QTextCursor
from PySide6.QtWidgets import QInputDialog
from pytestqt.qtbot import QtBot

from desktop_app.core.content import load_library
from desktop_app.core.notes import Quote
from desktop_app.ui.annotations import HIGHLIGHT, document_text
from desktop_app.ui.main_window import MainWindow
from desktop_app.ui.settings import Settings
from tests.conftest import CONTENT

SLUG = "spinal-mobilisation-grades"


@pytest.fixture(scope="module")
def library():  # type: ignore[no-untyped-def]
    return load_library(CONTENT)


@pytest.fixture
def window(qtbot: QtBot, library, tmp_path: Path) -> MainWindow:  # type: ignore[no-untyped-def]
    win = MainWindow(library, Settings(tmp_path / "settings.ini"))
    qtbot.addWidget(win)
    win.resize(1200, 800)
    win.show()
    win.open_article(SLUG)
    return win


def _select(window: MainWindow, words: str) -> tuple[int, int]:
    view = window.article_view
    text = document_text(view.document())
    start = text.index(words)
    cursor = QTextCursor(view.document())
    cursor.setPosition(start)
    cursor.setPosition(start + len(words), QTextCursor.MoveMode.KeepAnchor)
    view.setTextCursor(cursor)
    return start, start + len(words)


def _background(window: MainWindow, position: int) -> str:
    cursor = QTextCursor(window.article_view.document())
    cursor.setPosition(position + 1)
    return cursor.charFormat().background().color().name()


def _settle(qtbot: QtBot) -> None:
    qtbot.wait(30)


def _passage(window: MainWindow) -> str:
    text = document_text(window.article_view.document())
    line = next(ln for ln in text.split("\n") if len(ln) > 80 and "grade" in ln.lower())
    return line[:60]


def test_highlight_shows_survives_theme_and_undo(window: MainWindow, qtbot: QtBot) -> None:
    passage = _passage(window)
    start, _ = _select(window, passage)
    window.highlight_action.trigger()
    _settle(qtbot)
    [note] = window.notes.store.annotations()  # type: ignore[union-attr]
    assert note.quote.exact == passage and note.path.endswith(f"{SLUG}.md")
    start = document_text(window.article_view.document()).index(passage)
    assert _background(window, start) == QColor(HIGHLIGHT["yellow"][0]).name()
    window.grab().save(str(Path("/tmp") / "notes-light.png"))
    window.set_theme("dark")
    _settle(qtbot)
    start = document_text(window.article_view.document()).index(passage)
    assert _background(window, start) == QColor(HIGHLIGHT["yellow"][1]).name()
    window.set_theme("light")
    window.undo_action.trigger()
    _settle(qtbot)
    assert window.notes.store.annotations() == []  # type: ignore[union-attr]
    start = document_text(window.article_view.document()).index(passage)
    assert _background(window, start) != QColor(HIGHLIGHT["yellow"][0]).name()
    window.redo_action.trigger()
    _settle(qtbot)
    assert len(window.notes.store.annotations()) == 1  # type: ignore[union-attr]


def test_note_marker_panel_edit_and_delete(window: MainWindow, qtbot: QtBot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    passage = _passage(window)
    _select(window, passage)
    answers = iter([("Check the **grade** definitions", True), ("Edited note", True)])
    monkeypatch.setattr(QInputDialog, "getMultiLineText", lambda *a, **k: next(answers))
    window.note_action.trigger()
    _settle(qtbot)
    text = document_text(window.article_view.document())
    assert f"{passage}\u270e1" in text, "a numbered marker follows the passage"
    [note] = window.notes.store.annotations()  # type: ignore[union-attr]
    window.notes_dock.show()
    _settle(qtbot)
    panel = window.notes_panel
    assert panel.list.count() == 1 and passage[:30] in panel.list.item(0).text()
    assert "grade" in panel.list.item(0).text()
    window.grab().save("/tmp/notes-panel.png")
    # Clicking the marker opens the note for editing.
    window.article_view.note_requested.emit(note.id.removeprefix("urn:uuid:"))
    _settle(qtbot)
    assert window.notes.store.get(note.id).note == "Edited note"  # type: ignore[union-attr]
    # Selecting a passage again after the marker maps back to the article's own text.
    _select(window, passage)
    assert window.notes.selection_quote()[1].exact == passage  # type: ignore[index]
    window.notes.delete(note.id)
    _settle(qtbot)
    assert panel.list.count() == 0
    assert f"{passage}\u270e1" not in document_text(window.article_view.document())
    window.undo_action.trigger()
    _settle(qtbot)
    assert panel.list.count() == 1


def test_a_note_whose_passage_is_gone_is_listed_as_detached(
    window: MainWindow, qtbot: QtBot
) -> None:
    store = window.notes.store
    assert store is not None
    store.add(window.notes.path_of(SLUG), Quote("a sentence the new edition no longer has"))
    window.notes.refresh()
    window.notes_dock.show()
    _settle(qtbot)
    item = window.notes_panel.list.item(0)
    assert "detached" in item.text() and "no longer has" in item.text()
    window.notes_panel.scope.setCurrentIndex(1)  # all articles
    assert "Spinal mobilisation" in window.notes_panel.list.item(0).text() or "grades" in (
        window.notes_panel.list.item(0).text().lower()
    )


def test_print_marks_highlights_and_lists_notes_at_the_end(
    window: MainWindow, qtbot: QtBot
) -> None:
    from desktop_app.core.render import job_for
    from desktop_app.ui.printing import layout_for, make_pdf_printer

    passage = _passage(window)
    store = window.notes.store
    assert store is not None
    from desktop_app.core.notes import first_quote

    quote = first_quote(document_text(window.article_view.document()), passage)
    assert quote is not None
    store.add(window.notes.path_of(SLUG), quote, note="Printed note")
    printer = make_pdf_printer(Path("/tmp/notes-print.pdf"))
    decorate = window.notes.print_decorator()
    assert decorate is not None
    layout = layout_for(job_for(window.library, SLUG), window.library.root_dir, printer, decorate)
    text = layout.document.toPlainText()
    assert f"{passage}\u270e1" in text.replace("\u2029", "\n")
    assert "My notes" in text and "\u270e1 “" in text and "Printed note" in text
    window.print_notes_action.trigger()  # switched off: print shows no notes
    assert window.notes.print_decorator() is None


def test_the_window_knows_the_same_colours_as_the_store_and_starts_without_them() -> None:
    import subprocess
    import sys

    from desktop_app.core.notes import COLOURS
    from desktop_app.ui.annotations import COLOURS as UI_COLOURS

    assert UI_COLOURS == COLOURS
    code = (
        "import sys; import desktop_app.ui.main_window; "
        "names = ('desktop_app.core.notes.', 'sqlite3', 'difflib'); "
        "print(any(m.startswith(names) for m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False", "the notes store loads on first use, not at start-up"


def _luminance(colour: str) -> float:
    def channel(c: int) -> float:
        v = c / 255
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

    q = QColor(colour)
    return 0.2126 * channel(q.red()) + 0.7152 * channel(q.green()) + 0.0722 * channel(q.blue())


@pytest.mark.parametrize("theme", [0, 1])
def test_highlighted_text_and_links_stay_readable_in_both_themes(theme: int) -> None:
    # Body text and link colours of resources/article.css and article-dark.css.
    texts = [("#1f2328", "#1f5fa8"), ("#e6e6e6", "#7fb6f5")][theme]
    for name, backgrounds in HIGHLIGHT.items():
        back = _luminance(backgrounds[theme])
        for text in texts:
            fore = _luminance(text)
            ratio = (max(back, fore) + 0.05) / (min(back, fore) + 0.05)
            assert ratio >= 4.5, f"{name} highlight with {text}: {ratio:.2f}"


def test_a_passage_can_be_selected_and_highlighted_without_a_mouse(
    window: MainWindow, qtbot: QtBot
) -> None:
    from PySide6.QtCore import Qt

    view = window.article_view
    view.setFocus()
    cursor = view.textCursor()
    cursor.movePosition(QTextCursor.MoveOperation.Start)
    view.setTextCursor(cursor)
    qtbot.keyClick(view, Qt.Key.Key_Down)
    qtbot.keyClick(view, Qt.Key.Key_Down)
    for _ in range(12):
        qtbot.keyClick(view, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
    assert len(view.textCursor().selectedText()) == 12
    qtbot.keyClick(
        view, Qt.Key.Key_H, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    _settle(qtbot)
    [note] = window.notes.store.annotations()  # type: ignore[union-attr]
    assert len(note.quote.exact) == 12


def test_an_unusable_notes_folder_is_said_once_and_reading_goes_on(
    qtbot: QtBot,
    library,
    tmp_path: Path,
    monkeypatch,  # type: ignore[no-untyped-def]
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    monkeypatch.setenv("SPINE_ATLAS_DATA_DIR", str(blocker / "data"))
    win = MainWindow(library, Settings(tmp_path / "s.ini"))
    qtbot.addWidget(win)
    win.show()
    win.open_article(SLUG)
    _settle(qtbot)
    _select(win, _passage(win))
    win.highlight_action.trigger()
    assert "Notes are unavailable" in win.statusBar().currentMessage()
    assert win.open_article("spinal-manipulation-overview")


def test_search_lists_my_notes_first_and_opens_them_at_their_passage(
    window: MainWindow,
    qtbot: QtBot,
    library,  # type: ignore[no-untyped-def]
) -> None:
    from desktop_app.core.notes import first_quote
    from desktop_app.core.search import SearchIndex
    from desktop_app.ui.results_model import Role

    passage = _passage(window)
    store = window.notes.store
    assert store is not None
    quote = first_quote(document_text(window.article_view.document()), passage)
    store.add(window.notes.path_of(SLUG), quote, note="zygapophyseal exam question")  # type: ignore[arg-type]
    window.open_article("spinal-manipulation-overview")
    window.search.set_index(SearchIndex.in_memory(library))
    window.search_field.setText("zygapophyseal")
    with qtbot.waitSignal(window.search.results_ready, timeout=10_000):
        window.search.search_now("zygapophyseal")
    first = window.results_model.index(0)
    assert first.data(Role.NOTE_ID) and "Your note" in first.data()
    assert "1 of your notes" in window.count_label.text()
    window._open_result_row(0)
    _settle(qtbot)
    assert window.article_view.slug == SLUG
    assert window.article_view.textCursor().selectedText() == passage
