"""The main window: layout, actions, shortcuts and signal wiring. No business logic here."""

from __future__ import annotations

import html
import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QMouseEvent
from PySide6.QtWidgets import (
    QLabel,
    QLineEdit,
    QListView,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QSplitter,
    QStackedWidget,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.library import Library
from desktop_app.core.render import render_article
from desktop_app.core.search import SearchResults
from desktop_app.errors import AppError
from desktop_app.ui import settings as keys
from desktop_app.ui.article_view import ArticleView, Location, NavigationHistory
from desktop_app.ui.results_model import ResultDelegate, SearchResultsModel
from desktop_app.ui.results_model import Role as ResultRole
from desktop_app.ui.search_controller import SearchController
from desktop_app.ui.settings import Settings
from desktop_app.ui.topic_model import Role as TopicRole
from desktop_app.ui.topic_model import TopicTreeModel

log = logging.getLogger(__name__)
APP_TITLE = "Spine Atlas"


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


class MainWindow(QMainWindow):
    """Topic tree and search on the left, the article on the right.

    Signals:
        article_shown(slug): an article was put in the pane.
    """

    article_shown = Signal(str)

    def __init__(self, library: Library, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.library = library
        self.settings = settings
        self.history = NavigationHistory()
        self.index_worker: Any = None
        self.search = SearchController(self)
        self.setWindowTitle(APP_TITLE)
        self._build_widgets()
        self._build_actions()
        self._wire()
        self._restore_state()

    # -- construction ---------------------------------------------------------------------
    def _build_widgets(self) -> None:
        self.search_field = SearchField()
        self.search_field.setPlaceholderText("Search articles  (Ctrl+K)")
        self.search_field.setClearButtonEnabled(True)
        self.search_field.setAccessibleName("Search")
        self.search_field.setToolTip(
            "Search all articles as you type (Ctrl+K); Enter opens the top hit"
        )
        self.suggestion_label = QLabel()
        self.suggestion_label.setTextFormat(Qt.TextFormat.RichText)
        self.suggestion_label.setAccessibleName("Spelling suggestion")
        self.suggestion_label.hide()
        self.count_label = QLabel()
        self.count_label.setAccessibleName("Result count")
        self.count_label.hide()

        self.tree_model = TopicTreeModel(self.library, self)
        self.tree = QTreeView()
        self.tree.setModel(self.tree_model)
        self.tree.setHeaderHidden(True)
        self.tree.setAccessibleName("Topics")
        self.tree.setToolTip("Topics and articles")
        self.tree.expandToDepth(0)

        self.results_model = SearchResultsModel(self)
        self.results = QListView()
        self.results.setModel(self.results_model)
        self.results.setItemDelegate(ResultDelegate(self.results))
        self.results.setAccessibleName("Search results")
        self.results.setWordWrap(True)
        self.results.setUniformItemSizes(False)
        self.results.setVerticalScrollMode(QListView.ScrollMode.ScrollPerPixel)

        self.left_stack = QStackedWidget()
        self.left_stack.addWidget(self.tree)
        self.left_stack.addWidget(self.results)

        left = QWidget()
        layout = QVBoxLayout(left)
        layout.setContentsMargins(6, 6, 0, 6)
        layout.setSpacing(4)
        layout.addWidget(self.search_field)
        layout.addWidget(self.suggestion_label)
        layout.addWidget(self.count_label)
        layout.addWidget(self.left_stack)

        self.article_view = ArticleView(self.library.root_dir)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.article_view)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([320, 780])
        self.setCentralWidget(self.splitter)

        self.progress = QProgressBar()
        self.progress.setMaximumWidth(180)
        self.progress.setAccessibleName("Index progress")
        self.progress.hide()
        self.statusBar().addPermanentWidget(self.progress)
        self.resize(1120, 760)

    def _action(self, text: str, shortcut: Any, slot: Callable[[], Any], tip: str = "") -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcuts(shortcut if isinstance(shortcut, list) else [shortcut])
            names = ", ".join(
                s.toString(QKeySequence.SequenceFormat.NativeText) for s in action.shortcuts()
            )
            action.setToolTip(f"{tip or text.replace('&', '')} ({names})")
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _build_actions(self) -> None:
        key = QKeySequence
        self.back_action = self._action(
            "&Back", [key(key.StandardKey.Back), key("Alt+Left")], self.go_back, "Back"
        )
        self.forward_action = self._action(
            "&Forward", [key(key.StandardKey.Forward), key("Alt+Right")], self.go_forward
        )
        self.home_action = self._action("&Home", key("Alt+Home"), self.go_home, "Overview")
        self.find_action = self._action(
            "&Search", [key("Ctrl+K"), key("Ctrl+L")], self.focus_search, "Search articles"
        )
        self.quit_action = self._action("&Quit", key(key.StandardKey.Quit), self.close)
        self.about_action = self._action("&About Spine Atlas", None, self.show_about)
        self.back_action.setEnabled(False)
        self.forward_action.setEnabled(False)

        menu = self.menuBar()
        file_menu = menu.addMenu("&File")
        self.file_menu = file_menu
        file_menu.addAction(self.quit_action)
        go = menu.addMenu("&Go")
        for action in (self.back_action, self.forward_action, self.home_action, self.find_action):
            go.addAction(action)
        self.view_menu = menu.addMenu("&View")
        help_menu = menu.addMenu("&Help")
        help_menu.addAction(self.about_action)

        toolbar = self.addToolBar("Navigation")
        toolbar.setObjectName("navigation")
        toolbar.setMovable(False)
        toolbar.addAction(self.back_action)
        toolbar.addAction(self.forward_action)
        toolbar.addAction(self.home_action)
        self.toolbar = toolbar

    def _wire(self) -> None:
        self.search_field.textEdited.connect(self._on_search_text_edited)
        self.search_field.textChanged.connect(self._on_search_text_changed)
        self.search_field.returnPressed.connect(self._on_search_return)
        self.search_field.escape_pressed.connect(self.clear_search)
        self.search_field.down_pressed.connect(self._on_search_down)
        self.search.results_ready.connect(self._on_search_results)
        self.search.failed.connect(
            lambda msg: self.statusBar().showMessage(f"Search failed: {msg}")
        )
        self.suggestion_label.linkActivated.connect(self._on_suggestion_clicked)
        self.tree.selectionModel().currentChanged.connect(self._on_tree_current_changed)
        self.tree.activated.connect(self._on_tree_activated)
        self.results.activated.connect(self._on_result_activated)
        self.results.clicked.connect(self._on_result_activated)
        self.article_view.article_requested.connect(self.open_article)
        self.article_view.external_link_requested.connect(self._on_external_link)

    # -- navigation -----------------------------------------------------------------------
    def open_article(self, slug: str, anchor: str = "", *, record: bool = True) -> bool:
        """Render and show an article; return False (and say why) if it cannot be shown."""
        if slug not in self.library.articles:
            self.statusBar().showMessage(f"No article named '{slug}'", 5000)
            return False
        try:
            rendered = render_article(
                self.library, slug, dark=self._is_dark(), referenced_by=self._referenced_by(slug)
            )
        except (AppError, OSError) as exc:
            self.statusBar().showMessage(f"Cannot show {slug}: {exc}", 8000)
            log.warning("cannot render %s: %s", slug, exc)
            return False
        self.article_view.show_html(slug, self._decorate(rendered.html), anchor)
        if record:
            self.history.visit(Location(slug, anchor))
        self._update_history_actions()
        self.setWindowTitle(f"{rendered.title} — {APP_TITLE}")
        self._select_in_tree(slug)
        self.settings.set(keys.LAST_ARTICLE, slug)
        self.article_shown.emit(slug)
        return True

    def _decorate(self, page: str) -> str:
        """Hook for subclasses/plugins (search highlights); returns the page unchanged."""
        return page

    def _referenced_by(self, slug: str) -> list[str] | None:
        return None

    def _is_dark(self) -> bool:
        return False

    def go_back(self) -> None:
        """Go to the previous article."""
        location = self.history.back()
        if location:
            self.open_article(location.slug, location.anchor, record=False)

    def go_forward(self) -> None:
        """Go to the next article."""
        location = self.history.forward()
        if location:
            self.open_article(location.slug, location.anchor, record=False)

    def go_home(self) -> None:
        """Open the overview (or the first article)."""
        slugs = self.library.ordered_slugs()
        home = "spinal-manipulation-overview"
        if home not in self.library.articles and slugs:
            home = slugs[0]
        if home:
            self.open_article(home)

    def _update_history_actions(self) -> None:
        self.back_action.setEnabled(self.history.can_go_back())
        self.forward_action.setEnabled(self.history.can_go_forward())

    def _select_in_tree(self, slug: str) -> None:
        index = self.tree_model.index_of(slug)
        if index.isValid():
            self.tree.blockSignals(True)
            self.tree.selectionModel().blockSignals(True)
            self.tree.setCurrentIndex(index)
            self.tree.scrollTo(index)
            self.tree.selectionModel().blockSignals(False)
            self.tree.blockSignals(False)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        """Mouse back/forward buttons navigate."""
        if event.button() == Qt.MouseButton.BackButton:
            self.go_back()
        elif event.button() == Qt.MouseButton.ForwardButton:
            self.go_forward()
        else:
            super().mousePressEvent(event)

    # -- search ---------------------------------------------------------------------------
    def focus_search(self) -> None:
        """Put the cursor in the search field."""
        self.search_field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_field.selectAll()

    def clear_search(self) -> None:
        """Leave search: clear the field and show the tree again."""
        self.search_field.clear()
        self.left_stack.setCurrentWidget(self.tree)
        self.suggestion_label.hide()
        self.count_label.hide()
        self.tree.setFocus()

    def _on_search_text_edited(self, text: str) -> None:
        self.search.schedule(text)

    def _on_search_text_changed(self, text: str) -> None:
        if not text.strip():
            self.results_model.set_results(None)
            self.left_stack.setCurrentWidget(self.tree)
            self.suggestion_label.hide()
            self.count_label.hide()
        elif self.search.index is None:
            self.count_label.setText("Preparing the search index…")
            self.count_label.show()

    def _on_search_return(self) -> None:
        text = self.search_field.text()
        if not text.strip():
            return
        if (
            self.results_model.rowCount()
            and self.results_model.results is not None
            and self.results_model.results.query.strip() == text.strip()
        ):
            self._open_result_row(0)
            return
        self._open_top_when_ready = True
        self.search.search_now(text)

    _open_top_when_ready = False

    def _on_search_down(self) -> None:
        if self.results_model.rowCount():
            self.left_stack.setCurrentWidget(self.results)
            self.results.setFocus()
            self.results.setCurrentIndex(self.results_model.index(0))

    def _on_search_results(self, results: SearchResults) -> None:
        if not self.search_field.text().strip():
            return
        self.results_model.set_results(results)
        self.left_stack.setCurrentWidget(self.results)
        noun = "article" if results.total == 1 else "articles"
        self.count_label.setText(
            f"{results.total} {noun}" if results.total else "No articles found"
        )
        self.count_label.show()
        if results.suggestion:
            text = html.escape(results.suggestion)
            self.suggestion_label.setText(f'Did you mean <a href="suggest">{text}</a>?')
            self.suggestion_label.show()
        else:
            self.suggestion_label.hide()
        if self._open_top_when_ready:
            self._open_top_when_ready = False
            if results.hits:
                self._open_result_row(0)

    def _on_suggestion_clicked(self, _link: str) -> None:
        results = self.results_model.results
        if results and results.suggestion:
            self.search_field.setText(results.suggestion)
            self.search.search_now(results.suggestion)

    def _open_result_row(self, row: int) -> None:
        index = self.results_model.index(row)
        slug = index.data(ResultRole.SLUG)
        if slug:
            self.open_article(slug)

    def _on_result_activated(self, index: QModelIndex) -> None:
        slug = index.data(ResultRole.SLUG)
        if slug:
            self.open_article(slug)

    # -- tree -----------------------------------------------------------------------------
    def _on_tree_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid() and not current.data(TopicRole.IS_TOPIC):
            self.open_article(current.data(TopicRole.SLUG))

    def _on_tree_activated(self, index: QModelIndex) -> None:
        if index.isValid() and index.data(TopicRole.IS_TOPIC):
            self.tree.setExpanded(index, not self.tree.isExpanded(index))

    # -- misc -----------------------------------------------------------------------------
    def _on_external_link(self, url: str) -> None:
        self.statusBar().showMessage(f"External link (not opened): {url}", 10000)

    def show_index_progress(self, done: int, total: int) -> None:
        """Show the index build's progress in the status bar."""
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        self.progress.setFormat("Indexing %v/%m")
        self.progress.show()

    def index_ready(self, message: str) -> None:
        """The index is usable: hide progress and say so."""
        self.progress.hide()
        self.statusBar().showMessage(message, 8000)

    def show_about(self) -> None:
        """Show the About box."""
        m = self.library.manifest
        QMessageBox.about(
            self,
            f"About {APP_TITLE}",
            f"<h3>{html.escape(m.title)}</h3><p>Content edition {html.escape(m.edition)}</p>"
            f"<p>{html.escape(m.description)}</p><p>{html.escape(m.scope)}</p>"
            f"<p><b>Reference, not medical advice.</b></p>",
        )

    def _restore_state(self) -> None:
        geometry = self.settings.get(keys.GEOMETRY)
        if not geometry.isEmpty():
            self.restoreGeometry(geometry)
        state = self.settings.get(keys.WINDOW_STATE)
        if not state.isEmpty():
            self.restoreState(state)
        splitter = self.settings.get(keys.SPLITTER)
        if not splitter.isEmpty():
            self.splitter.restoreState(splitter)

    def open_initial_article(self) -> None:
        """Open the last article read, or the overview."""
        last = self.settings.get(keys.LAST_ARTICLE)
        if not (last and self.open_article(last)):
            self.go_home()

    def closeEvent(self, event: QCloseEvent) -> None:
        """Remember window geometry, splitter and last article."""
        self.settings.set(keys.GEOMETRY, self.saveGeometry())
        self.settings.set(keys.WINDOW_STATE, self.saveState())
        self.settings.set(keys.SPLITTER, self.splitter.saveState())
        self.settings.sync()
        super().closeEvent(event)
