"""The Notes dock: this article's notes or all of them, by article or by date, by colour.

Detached notes (their passage is gone from a new edition) stay listed with their quote. The
dock's list and the article pane's context menu carry the note actions; ``install_notes`` and
``wire_notes`` give a window its notes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QComboBox,
    QDockWidget,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QVBoxLayout,
    QWidget,
)

from desktop_app.ui.annotations import COLOURS
from desktop_app.ui.notes_controller import NotesController

if TYPE_CHECKING:
    from desktop_app.ui.main_window import MainWindow

ID_ROLE = Qt.ItemDataRole.UserRole + 1


class NotesPanel(QWidget):
    """The Notes dock: this article's or all notes, sorted and filtered; open, edit, delete."""

    def __init__(self, controller: NotesController) -> None:
        super().__init__()
        self.controller = controller
        self.setAccessibleName("Notes")
        self.scope = QComboBox()
        self.scope.addItems(["This article", "All articles"])
        self.scope.setAccessibleName("Show notes of")
        self.order = QComboBox()
        self.order.addItems(["By article", "By date"])
        self.order.setAccessibleName("Sort notes")
        self.colour = QComboBox()
        self.colour.addItems(["All colours", *[c.capitalize() for c in COLOURS]])
        self.colour.setAccessibleName("Filter by colour")
        self.list = QListWidget()
        self.list.setAccessibleName("Notes list")
        self.list.setWordWrap(True)
        self.list.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        row = QHBoxLayout()
        for box in (self.scope, self.order, self.colour):
            row.addWidget(box)
            box.currentIndexChanged.connect(self.fill)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(row)
        layout.addWidget(self.list)
        self.list.itemActivated.connect(self._open)
        controller.changed.connect(self.fill)
        _list_action(self, "&Edit note…", controller.edit)
        delete = _list_action(self, "&Delete", controller.delete)
        delete.setShortcut("Delete")
        delete.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        for colour in COLOURS:
            _list_action(self, f"Colour: {colour}", _colour_slot(controller, colour))

    def fill(self) -> None:
        """List the notes as chosen (called when notes or the article change)."""
        self.list.clear()
        c = self.controller
        store = c.store if self.isVisible() or c._store is not None else None
        if store is None:
            return
        slug = c.window.article_view.slug
        notes = store.annotations(
            c.path_of(slug) if self.scope.currentIndex() == 0 and slug else None
        )
        if self.scope.currentIndex() == 0 and not slug:
            notes = []
        if self.colour.currentIndex() > 0:
            notes = [n for n in notes if n.colour == COLOURS[self.colour.currentIndex() - 1]]
        if self.order.currentIndex() == 1:
            notes.sort(key=lambda n: n.modified, reverse=True)
        titles = {c.path_of(s): a.title for s, a in c.window.library.articles.items()}
        for note in notes:
            here = self.scope.currentIndex() == 0
            state = "detached" if here and c.decorated.anchors.get(note.id, True) is None else ""
            quote = " ".join(note.quote.exact.split())
            text = f"“{quote[:140]}”" + (f"\n{note.note.strip()}" if note.note.strip() else "")
            if not here:
                text = f"{titles.get(note.path, note.path)}\n{text}"
            if state:
                text += "\n(detached: this passage is no longer in the article)"
            item = QListWidgetItem(text)
            item.setData(ID_ROLE, note.id)
            item.setData(
                Qt.ItemDataRole.AccessibleDescriptionRole,
                f"{note.colour} highlight {state}".strip(),
            )
            item.setToolTip(f"{note.colour} · {note.modified}")
            self.list.addItem(item)

    def current_id(self) -> str:
        """The id of the note selected in the list ('' if none)."""
        item = self.list.currentItem()
        return str(item.data(ID_ROLE)) if item else ""

    def _open(self, item: QListWidgetItem) -> None:
        self.controller.open_note(str(item.data(ID_ROLE)))


def install_notes(window: MainWindow) -> None:
    """Give the window its notes: ``window.notes`` and the Notes dock (hidden at first).

    The dock's contents are made the first time it is shown (nothing at start-up).
    """
    from PySide6.QtWidgets import QApplication

    window.notes = NotesController(window)
    QApplication.instance().aboutToQuit.connect(window.notes.close)  # type: ignore[union-attr]
    window.notes_panel = None
    dock = QDockWidget("Notes", window)
    dock.setObjectName("notes")
    window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
    dock.hide()
    dock.toggleViewAction().setShortcut("Ctrl+Shift+N")
    dock.visibilityChanged.connect(lambda shown: _shown(window) if shown else None)
    window.notes_dock = dock


def _shown(window: MainWindow) -> None:
    if window.notes_panel is None:
        window.notes_panel = NotesPanel(window.notes)
        window.notes_dock.setWidget(window.notes_panel)
    window.notes_panel.fill()


def wire_notes(window: MainWindow) -> None:
    """Connect the notes to the article pane once the window's actions exist."""
    window.article_shown.connect(window.notes.article_shown)
    window.article_view.note_requested.connect(window.notes.edit)
    window.panel.find_notes = window.notes.find
    window.panel.note_requested.connect(window.notes.open_note)
    colours = QMenu("Highlight in &colour", window)
    for colour in COLOURS:
        colours.addAction(colour.capitalize()).triggered.connect(_highlight_slot(window, colour))
    window.notes.colour_menu = colours
    window.article_view.context_actions = [
        window.highlight_action,
        colours.menuAction(),
        window.note_action,
    ]
    window.print_notes_action.setChecked(window.notes.print_notes)


def _highlight_slot(window: MainWindow, colour: str) -> Callable[[], None]:
    def slot() -> None:
        window.notes.highlight(colour)

    return slot


def _list_action(panel: NotesPanel, text: str, slot: Callable[[str], object]) -> QAction:
    action = QAction(text, panel.list)
    action.triggered.connect(lambda: slot(panel.current_id()))
    panel.list.addAction(action)
    return action


def _colour_slot(controller: NotesController, colour: str) -> Callable[[str], None]:
    return lambda note_id: controller.set_colour(note_id, colour)
