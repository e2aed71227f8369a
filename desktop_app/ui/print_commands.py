"""Print, preview and PDF commands of the main window, for the open article or a topic.

A mixin of ``MainWindow``. The dialogs (``print_dialogs``) and Qt's print support load on first
use, not at start-up.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

if TYPE_CHECKING:
    from PySide6.QtWidgets import QStatusBar, QWidget

    from desktop_app.core.content import Library
    from desktop_app.ui.article_view import ArticleView
    from desktop_app.ui.notes_controller import NotesController
    from desktop_app.ui.printing import Decorate


class PrintCommandsMixin:
    """Printing commands (part of ``MainWindow``)."""

    if TYPE_CHECKING:
        library: Library
        article_view: ArticleView
        notes: NotesController

        def statusBar(self) -> QStatusBar: ...  # noqa: D102
        def selected_topic(self) -> str: ...  # noqa: D102

    def _widget(self) -> QWidget:
        """The window itself, as the dialogs' parent."""
        return cast("QWidget", self)

    def _notes(self) -> Decorate | None:
        """The reader's highlights and notes for print, when they are to be printed."""
        return self.notes.print_decorator()

    def print_article(self) -> None:
        """Print the open article through the system dialog."""
        from desktop_app.ui import print_dialogs

        if self.article_view.slug:
            print_dialogs.print_with_dialog(
                self._widget(), self.library, self.article_view.slug, self._notes()
            )

    def preview_article(self) -> None:
        """Show the print preview of the open article."""
        from desktop_app.ui import print_dialogs

        dialog = print_dialogs.preview(
            self._widget(), self.library, self.article_view.slug, self._notes()
        )
        if dialog is not None:
            dialog.exec()

    def export_article(self) -> None:
        """Export the open article to PDF."""
        from desktop_app.ui import print_dialogs

        if self.article_view.slug:
            path = print_dialogs.export_with_dialog(
                self._widget(), self.library, self.article_view.slug, self._notes()
            )
            if path:
                self.statusBar().showMessage(f"Saved {path}", 8000)

    def _topic_or_warn(self) -> str:
        topic = self.selected_topic()
        if not topic:
            self.statusBar().showMessage("Select a topic in the tree first", 5000)
        return topic

    def print_topic(self) -> None:
        """Print the selected topic as a booklet."""
        from desktop_app.ui import print_dialogs

        topic = self._topic_or_warn()
        if topic:
            print_dialogs.print_with_dialog(self._widget(), self.library, topic, self._notes())

    def preview_topic(self) -> None:
        """Preview the selected topic's booklet."""
        from desktop_app.ui import print_dialogs

        topic = self._topic_or_warn()
        dialog = (
            print_dialogs.preview(self._widget(), self.library, topic, self._notes())
            if topic
            else None
        )
        if dialog is not None:
            dialog.exec()

    def export_topic(self) -> None:
        """Export the selected topic to a PDF booklet."""
        from desktop_app.ui import print_dialogs

        topic = self._topic_or_warn()
        if topic:
            path = print_dialogs.export_with_dialog(
                self._widget(), self.library, topic, self._notes()
            )
            if path:
                self.statusBar().showMessage(f"Saved {path}", 8000)
