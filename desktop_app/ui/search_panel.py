"""The left panel's search: field, topic filter, suggestion, count, and results over the tree."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QLabel,
    QLineEdit,
    QListView,
    QStackedWidget,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.content import Library
from desktop_app.ui import empty_states
from desktop_app.ui.result_count import count_text
from desktop_app.ui.results_model import ResultDelegate, SearchResultsModel
from desktop_app.ui.results_model import Role as ResultRole
from desktop_app.ui.search_controller import SearchController

if TYPE_CHECKING:
    from desktop_app.core.search import Hit, SearchResults

_BOLD_RE = re.compile(r"<b>(.*?)</b>")
# Words of a question that are not what the reader is looking for (not highlighted).
_QUESTION_WORDS = frozenset(
    "how what why when where who which does did can could should the and for with are was "
    "were this that from about into say said".split()
)


class SearchField(QLineEdit):
    """The search box: Esc clears it, Down moves into the results.

    Signals:
        escape_pressed(): Esc was pressed.
        down_pressed(): the Down arrow was pressed.
    """

    escape_pressed = Signal()
    down_pressed = Signal()

    def keyPressEvent(self, event: Any) -> None:
        """Handle Esc and Down; everything else as usual."""
        if event.key() == Qt.Key.Key_Escape:
            self.escape_pressed.emit()
            return
        if event.key() == Qt.Key.Key_Down:
            self.down_pressed.emit()
            return
        super().keyPressEvent(event)


class SearchPanel(QWidget):
    """Search above the topic tree; typing swaps the tree for ranked results.

    Signals:
        article_requested(slug, anchor, words): open an article at the section that answers
            (``anchor``, '' for the top) and highlight these words from there.
        note_requested(id): open one of the reader's notes (a note listed among the results).
    """

    article_requested = Signal(str, str, list)
    note_requested = Signal(str)

    def __init__(
        self,
        library: Library,
        tree: QTreeView,
        search: SearchController,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.tree = tree
        self.search = search
        # The reader's notes that match a query, shown first (set by the window: notes_panel).
        self.find_notes: Callable[[str], tuple[Hit, ...]] | None = None
        self._open_top_when_ready = False
        self._build(library)
        self._wire()

    def _build(self, library: Library) -> None:
        self.search_field = SearchField()
        self.search_field.setPlaceholderText("Search articles  (Ctrl+K)")
        self.search_field.setClearButtonEnabled(True)
        self.search_field.setAccessibleName("Search")
        self.search_field.setToolTip(
            "Search all articles as you type (Ctrl+K); Down: go to the results; "
            "Enter: open the top hit; Esc: back to the topics"
        )
        self.topic_filter = QComboBox()
        self.topic_filter.setAccessibleName("Search in topic")
        self.topic_filter.setToolTip("Limit the search to one topic")
        self.set_topics(library)
        self.suggestion_label = QLabel()
        self.suggestion_label.setTextFormat(Qt.TextFormat.RichText)
        self.suggestion_label.setAccessibleName("Spelling suggestion")
        self.count_label = QLabel()
        self.count_label.setAccessibleName("Result count")
        self.count_label.setWordWrap(True)  # a long count wraps; it never widens the panel
        self.results_model = SearchResultsModel(self)
        self.results = QListView()
        self.results.setModel(self.results_model)
        self.results.setItemDelegate(ResultDelegate(self.results))
        self.results.setAccessibleName("Search results")
        self.results.setWordWrap(True)
        self.results.setVerticalScrollMode(QListView.ScrollMode.ScrollPerPixel)
        self.left_stack = QStackedWidget()
        self.left_stack.addWidget(self.tree)
        self.left_stack.addWidget(self.results)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 0, 6)
        layout.setSpacing(4)
        for widget in (
            self.search_field,
            self.topic_filter,
            self.suggestion_label,
            self.count_label,
            self.left_stack,
        ):
            layout.addWidget(widget)
        self._show_extras(False)

    def _wire(self) -> None:
        # textChanged, not textEdited: text set by a program (or a screen reader) searches too.
        self.search_field.textChanged.connect(self.search.schedule)
        self.search_field.textChanged.connect(self._on_text_changed)
        self.search_field.returnPressed.connect(self._on_return)
        self.search_field.escape_pressed.connect(self.clear)
        self.search_field.down_pressed.connect(self._on_down)
        self.topic_filter.currentIndexChanged.connect(self._on_topic_filter_changed)
        self.search.results_ready.connect(self._on_results)
        self.suggestion_label.linkActivated.connect(self._on_suggestion_clicked)
        self.results.activated.connect(self._on_result_activated)
        self.results.clicked.connect(self._on_result_activated)

    def set_topics(self, library: Library) -> None:
        """Offer the library's top-level topics; keep the chosen one while it exists."""
        chosen = self.topic_filter.currentData() or ""
        self.topic_filter.blockSignals(True)
        self.topic_filter.clear()
        self.topic_filter.addItem("All topics", "")
        for topic in library.root.topics:
            self.topic_filter.addItem(topic.title, topic.slug)
        row = self.topic_filter.findData(chosen)
        self.topic_filter.setCurrentIndex(max(row, 0))
        self.topic_filter.blockSignals(False)
        if row < 0:  # the chosen topic is gone: search everything again
            self._on_topic_filter_changed(0)

    def _show_extras(self, visible: bool) -> None:
        for widget in (self.suggestion_label, self.count_label, self.topic_filter):
            widget.setVisible(visible)

    def focus(self) -> None:
        """Put the cursor in the search field."""
        self.search_field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_field.selectAll()

    def clear(self) -> None:
        """Leave search: clear the field and show the tree again."""
        self.search_field.clear()
        self.left_stack.setCurrentWidget(self.tree)
        self._show_extras(False)
        self.tree.setFocus()

    def open_row(self, row: int) -> None:
        """Open the article of a result row."""
        self._on_result_activated(self.results_model.index(row))

    def _on_text_changed(self, text: str) -> None:
        if not text.strip():
            self.results_model.set_results(None)
            self.left_stack.setCurrentWidget(self.tree)
            self._show_extras(False)
        elif self.search.index is None:
            self.count_label.setText("Preparing the search index…")
            self.count_label.show()

    def _on_topic_filter_changed(self, _row: int) -> None:
        self.search.topic = self.topic_filter.currentData() or None
        if self.search_field.text().strip():
            self.search.search_now(self.search_field.text())

    def _on_return(self) -> None:
        text = self.search_field.text()
        if not text.strip():
            return
        results = self.results_model.results
        if self.results_model.rowCount() and results and results.query.strip() == text.strip():
            self.open_row(0)
            return
        self._open_top_when_ready = True
        self.search.search_now(text)

    def _on_down(self) -> None:
        if self.results_model.rowCount():
            self.left_stack.setCurrentWidget(self.results)
            self.results.setFocus()
            self.results.setCurrentIndex(self.results_model.index(0))

    def _on_results(self, results: SearchResults) -> None:
        if not self.search_field.text().strip():
            return
        notes = self.find_notes(results.query) if self.find_notes else ()
        self.results_model.set_results(results, notes)
        self.left_stack.setCurrentWidget(self.results)
        self.topic_filter.show()
        count = count_text(results)
        if notes:
            count += f" · {len(notes)} of your notes" if len(notes) > 1 else " · 1 of your notes"
        self.count_label.setText(count)
        self.count_label.show()
        if not results.total:
            self.suggestion_label.setText(
                empty_states.no_results(
                    results.query, results.suggestion, bool(self.topic_filter.currentData())
                )
            )
            self.suggestion_label.show()
            self.count_label.hide()  # the suggestions say it, first
        elif results.suggestion:
            text = html.escape(results.suggestion)
            self.suggestion_label.setText(f'Did you mean <a href="suggest">{text}</a>?')
            self.suggestion_label.show()
        else:
            self.suggestion_label.hide()
        if self._open_top_when_ready:
            self._open_top_when_ready = False
            if results.hits:
                self.open_row(0)

    def _on_suggestion_clicked(self, link: str) -> None:
        if link == "all-topics":
            self.topic_filter.setCurrentIndex(0)  # searches again through the filter's signal
            return
        results = self.results_model.results
        if results and results.suggestion:
            self.search_field.setText(results.suggestion)
            self.search.search_now(results.suggestion)

    def _on_result_activated(self, index: QModelIndex) -> None:
        note_id = index.data(ResultRole.NOTE_ID)
        if note_id:
            self.note_requested.emit(str(note_id))
            return
        slug = index.data(ResultRole.SLUG)
        if not slug:
            return
        snippet = str(index.data(ResultRole.SNIPPET) or "")
        words = {html.unescape(w) for w in _BOLD_RE.findall(snippet)}
        typed = re.findall(r"\w+", self.search_field.text())
        words |= {w for w in typed if len(w) > 2 and w.lower() not in _QUESTION_WORDS}
        anchor = str(index.data(ResultRole.ANCHOR) or "")
        self.article_requested.emit(slug, anchor, sorted(words))
