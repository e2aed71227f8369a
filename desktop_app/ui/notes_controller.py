"""The reader's notes in the window: highlight and annotate a selection, undo, export, print.

``NotesController`` owns the store (opened on first use), decorates each article as it is shown
(``annotations.decorate``), and turns the pane's selection into W3C selectors against the
article's text. Every change is an undoable command. The Notes dock is ``notes_panel``.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QTextCursor, QUndoCommand, QUndoStack
from PySide6.QtWidgets import (
    QFileDialog,
    QInputDialog,
    QMenu,
    QMessageBox,
)

from desktop_app.ui.annotations import Decorated, decorate, document_text, notes_printer

if TYPE_CHECKING:
    from desktop_app.core.notes import Note, NoteStore
    from desktop_app.core.search import Hit
    from desktop_app.ui.main_window import MainWindow
    from desktop_app.ui.printing import Decorate

log = logging.getLogger(__name__)
ID_ROLE = Qt.ItemDataRole.UserRole + 1


class NotesController(QObject):
    """Highlights and notes of the window's content folder. Signals: changed()."""

    changed = Signal()

    def __init__(self, window: MainWindow, database: Path | None = None) -> None:
        super().__init__(window)
        from desktop_app.workspace import Workspace

        self.window = window
        self.workspace = Workspace.for_content(window.library.root_dir)
        self.database = database
        self.undo_stack = QUndoStack(self)
        self.decorated = Decorated()
        self._store: NoteStore | None = None
        self._failed = False
        self.problem = ""  # why notes cannot be used, once that is known
        self.print_notes = True  # File ▸ Print my notes (checked)
        self._decorated_revision = -1  # the pane's document revision once decorated
        self.colour_menu: QMenu | None = None  # Highlight in colour ▸ (the pane's context menu)

    # -- the store ---------------------------------------------------------------------
    @property
    def store(self) -> NoteStore | None:
        """The notes database (None, with a message shown once, if it cannot be opened)."""
        if self._store is None and not self._failed:
            from desktop_app.core.notes import NotesError

            try:
                self._store = self.workspace.open_notes(self._database())
            except NotesError as exc:
                self._failed = True
                self.problem = f"Notes are unavailable: {exc}"
                self.window.statusBar().showMessage(self.problem, 15000)
                return None
            for message in self._store.messages:
                QMessageBox.warning(self.window, "Notes recovered", message)
        return self._store

    def close(self) -> None:
        """Close the notes database (the app is quitting)."""
        if self._store is not None:
            self._store.close()
            self._store = None
            self._failed = True  # closed for good: nothing reopens it during shutdown

    def path_of(self, slug: str) -> str:
        """The article's file relative to the content folder (how notes name it)."""
        return self.workspace.article_path(self.window.library, slug)

    def _database(self) -> Path:
        from desktop_app import paths

        return self.database or paths.data_dir() / "notes.sqlite3"

    def notes_for(self, slug: str) -> list[Note]:
        """The notes of one article (none, without opening anything, before the first note)."""
        if self._store is None:
            if not self._database().exists():
                return []
            from desktop_app.core.notes import paths_with_notes

            known = paths_with_notes(self._database(), self.workspace.notes_key)
            if known is not None and self.path_of(slug) not in known:
                return []  # this article has none: SQLite stays closed
        store = self.store
        return store.annotations(self.path_of(slug)) if store and slug else []

    # -- the article pane --------------------------------------------------------------
    def article_shown(self, slug: str) -> None:
        """Decorate the article just shown, after it has painted.

        The first one waits a little: the window's first paint comes before the database opens.
        """
        delay = 0 if self._store is not None or self._failed else 150
        QTimer.singleShot(delay, self, lambda: self._decorate(slug))  # dropped with the window

    def _decorate(self, slug: str) -> None:
        view = self.window.article_view
        if view.slug != slug or view.document().revision() == self._decorated_revision:
            return  # another article by now, or this one is decorated already
        notes = self.notes_for(slug)
        self.decorated = (
            decorate(view.document(), notes, dark=self.window.dark) if notes else Decorated()
        )
        self._decorated_revision = view.document().revision()
        self.changed.emit()

    def selection_quote(self) -> tuple[str, object] | None:
        """The pane's selection as (article path, Quote) in the article's text, or None."""
        view = self.window.article_view
        cursor = view.textCursor()
        if not view.slug or not cursor.hasSelection():
            return None
        start = self.decorated.text_position(cursor.selectionStart())
        end = self.decorated.text_position(cursor.selectionEnd())
        from desktop_app.core.notes import quote_at

        text = self._pristine_text()
        if not text[start:end].strip():
            return None
        return self.path_of(view.slug), quote_at(text, start, end)

    def _pristine_text(self) -> str:
        text = document_text(self.window.article_view.document())
        for at, length in sorted(self.decorated.markers, reverse=True):
            text = text[:at] + text[at + length :]
        return text

    # -- finding notes -----------------------------------------------------------------
    def find(self, query: str) -> tuple[Hit, ...]:
        """The reader's notes matching a search, as hits of their own kind.

        Before the first note there is no database, and nothing is opened.
        """
        if self._store is None and not self._database().exists():
            return ()
        import html

        from desktop_app.core.notes import find_notes, indexed_notes
        from desktop_app.core.search import Hit

        notes = None
        if self._store is None:  # search from the small index while it is current
            notes = indexed_notes(self._database(), self.workspace.notes_key)
        if notes is None:
            store = self.store
            if store is None:
                return ()
            notes = store.annotations()

        slugs = {self.path_of(slug): slug for slug in self.window.library.articles}
        hits = []
        for note in find_notes(notes, query, limit=5):
            slug = slugs.get(note.path)
            if slug is None:
                continue
            title = self.window.library.articles[slug].title
            quote = html.escape(" ".join(note.quote.exact.split())[:160])
            text = html.escape(note.note.strip()[:160])
            snippet = f"“{quote}”" + (f"<br>{text}" if text else "")
            hits.append(Hit(slug, f"\u270e Your note · {title}", "Your notes", 0.0, snippet,
                            anchor=f"note:{note.id}"))  # fmt: skip
        return tuple(hits)

    def open_note(self, note_id: str) -> None:
        """Open a note's article and select its passage (or say that it is detached)."""
        store = self.store
        note = store.get(self._full_id(note_id)) if store else None
        if note is None:
            return
        window = self.window
        slug = next((s for s in window.library.articles if self.path_of(s) == note.path), "")
        if not slug:
            window.statusBar().showMessage(f"The article {note.path} is not in this folder", 8000)
            return
        if slug != window.article_view.slug:
            window.open_article(slug)
        self._decorate(slug)
        found = self.decorated.anchors.get(note.id)
        if found is None:
            window.statusBar().showMessage("This note is detached: its passage has changed", 8000)
            return
        extra = sum(length for at, length in self.decorated.markers if at < found.start)
        view = window.article_view
        cursor = QTextCursor(view.document())
        cursor.setPosition(found.start + extra)
        cursor.setPosition(found.end + extra, QTextCursor.MoveMode.KeepAnchor)
        view.setTextCursor(cursor)
        view.ensureCursorVisible()
        view.setFocus()

    # -- commands ----------------------------------------------------------------------
    def highlight(self, colour: str = "yellow") -> bool:
        """Highlight the selection (Ctrl+Shift+H)."""
        return self._add(colour, "")

    def annotate(self) -> bool:
        """Highlight the selection and write a note on it (Ctrl+Shift+M)."""
        if self.selection_quote() is None:
            self.window.statusBar().showMessage("Select a passage in the article first", 5000)
            return False
        text, ok = QInputDialog.getMultiLineText(self.window, "Add note", "Note (Markdown):")
        return bool(ok) and self._add("yellow", text)

    def _add(self, colour: str, text: str) -> bool:
        found = self.selection_quote()
        store = self.store
        if found is None or store is None:
            message = self.problem or "Select a passage in the article first"
            self.window.statusBar().showMessage(message, 8000)
            return False
        path, quote = found
        edition = self.window.library.manifest.edition
        note = store.add(path, quote, note=text, colour=colour, edition=edition)  # type: ignore[arg-type]
        self.undo_stack.push(_Change(self, note.id, "Add note", before=None, after=note))
        self.window.article_view.textCursor().clearSelection()
        return True

    def edit(self, note_id: str) -> None:
        """Edit a note's text (its marker in the article or the panel opens this)."""
        store = self.store
        note = store.get(self._full_id(note_id)) if store else None
        if note is None or store is None:
            return
        text, ok = QInputDialog.getMultiLineText(self.window, "Edit note", "Note:", note.note)
        if ok and text != note.note:
            self.undo_stack.push(
                _Change(self, note.id, "Edit note", note, store.update(note.id, note=text))
            )

    def set_colour(self, note_id: str, colour: str) -> None:
        """Change a highlight's colour (undoable)."""
        store = self.store
        note = store.get(note_id) if store else None
        if note is not None and store is not None:
            self.undo_stack.push(
                _Change(self, note.id, "Colour", note, store.update(note.id, colour=colour))
            )

    def delete(self, note_id: str) -> None:
        """Delete a highlight or note (undoable)."""
        store = self.store
        note = store.get(note_id) if store else None
        if note is not None and store is not None:
            self.undo_stack.push(_Change(self, note.id, "Delete note", note, store.delete(note.id)))

    def _full_id(self, note_id: str) -> str:
        return note_id if note_id.startswith("urn:") else f"urn:uuid:{note_id}"

    def refresh(self) -> None:
        """Show the open article again with its notes, and tell the panel."""
        if self.window.article_view.slug:
            self.window.rerender()
        else:
            self.changed.emit()

    def toggle_print(self) -> None:
        """Print and PDF include my highlights and notes, or not (File ▸ Print my notes)."""
        self.print_notes = not self.print_notes
        self.window.print_notes_action.setChecked(self.print_notes)

    def print_decorator(self) -> Decorate | None:
        """Mark highlights and number notes in print, listing the notes at the end.

        None when the reader switched it off, or there are no notes.
        """
        store = self.store if self.print_notes else None
        if store is None or not store.annotations():
            return None

        return notes_printer(self.notes_for)

    def export(self) -> None:
        """Export every note to Markdown or W3C JSON-LD (File ▸ Export notes…)."""
        store = self.store
        if store is None:
            return
        name, chosen = QFileDialog.getSaveFileName(
            self.window,
            "Export notes",
            "notes.md",
            "Markdown (*.md);;W3C Web Annotation (*.jsonld)",
        )
        if name:
            write_export(self, Path(name), jsonld="jsonld" in chosen or name.endswith(".jsonld"))

    def import_(self) -> None:
        """Import W3C Web Annotation JSON-LD, merging (File ▸ Import notes…)."""
        from desktop_app.core.notes import from_jsonld

        store = self.store
        name, _ = QFileDialog.getOpenFileName(
            self.window, "Import notes", "", "JSON-LD (*.jsonld *.json)"
        )
        if not name or store is None:
            return
        try:
            added, updated, same = store.merge(from_jsonld(Path(name).read_text(encoding="utf-8")))
        except (OSError, ValueError) as exc:
            QMessageBox.warning(self.window, "Import notes", f"{name}: {exc}")
            return
        self.window.statusBar().showMessage(
            f"{added} added, {updated} updated, {same} already there", 8000
        )
        self.refresh()


def write_export(controller: NotesController, path: Path, *, jsonld: bool) -> int:
    """Write the notes of the window's folder to ``path``; return how many."""
    from desktop_app.core.notes import to_jsonld, to_markdown

    store = controller.store
    notes = store.annotations() if store else []
    library = controller.window.library
    if jsonld:
        text = to_jsonld(notes)
    else:
        titles = {controller.path_of(s): a.title for s, a in library.articles.items()}
        text = to_markdown(notes, titles)
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        QMessageBox.warning(controller.window, "Export notes", f"{path}: {exc.strerror or exc}")
        return 0
    controller.window.statusBar().showMessage(f"Wrote {len(notes)} note(s) to {path}", 8000)
    return len(notes)


class _Change(QUndoCommand):
    """One undoable change: before/after versions of a note (None before: it was added)."""

    def __init__(
        self, owner: NotesController, note_id: str, text: str, before: Note | None, after: Note
    ) -> None:
        super().__init__(text)
        self.owner, self.note_id, self.before, self.after = owner, note_id, before, after
        self._first = True

    def redo(self) -> None:
        if not self._first and self.owner.store is not None:
            self.owner.store.put(self.after)
        self._first = False
        self.owner.refresh()

    def undo(self) -> None:
        store = self.owner.store
        if store is None:
            return
        if self.before is None:
            store.delete(self.note_id)
        else:
            store.put(self.before)
        self.owner.refresh()
