"""The main window: layout, actions, shortcuts and signal wiring. No business logic here."""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QModelIndex, QPoint, Qt, QThreadPool, Signal
from PySide6.QtGui import (
    QFont,
    QGuiApplication,
)
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QMainWindow,
    QMenu,
    QProgressBar,
    QSplitter,
    QToolBar,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.content import Library, backlinks
from desktop_app.core.snapshot import Snapshot
from desktop_app.ui import dialogs
from desktop_app.ui import settings as keys
from desktop_app.ui.a11y_hook import install_soon
from desktop_app.ui.actions import (
    ARTICLE_CONTEXT,
    TOPIC_CONTEXT,
    build_menus,
    create_actions,
    fill_context_menu,
    shortcut_rows,
)
from desktop_app.ui.article_view import ArticleView, NavigationHistory
from desktop_app.ui.bookmarks import Bookmarks
from desktop_app.ui.find_bar import FindBar
from desktop_app.ui.folders import FoldersMixin
from desktop_app.ui.icons import apply_icons
from desktop_app.ui.layout import AdaptiveLayout
from desktop_app.ui.navigation import APP_TITLE, NavigationMixin
from desktop_app.ui.notes_controller import NotesController
from desktop_app.ui.notes_panel import NotesPanel, install_notes, wire_notes
from desktop_app.ui.outline import OutlineView
from desktop_app.ui.print_commands import PrintCommandsMixin
from desktop_app.ui.search_controller import SearchController
from desktop_app.ui.search_panel import SearchPanel
from desktop_app.ui.settings import Settings
from desktop_app.ui.theme import MODES, apply_theme
from desktop_app.ui.topic_model import Role as TopicRole
from desktop_app.ui.topic_model import TopicTreeModel
from desktop_app.ui.workers import Worker

if TYPE_CHECKING:
    from PySide6.QtGui import QAction, QActionGroup, QCloseEvent

    from desktop_app.workspace import ChildBuild

log = logging.getLogger(__name__)
MIN_ZOOM, MAX_ZOOM = -6, 12
_BOLD_RE = re.compile(r"<b>(.*?)</b>")


class MainWindow(NavigationMixin, PrintCommandsMixin, FoldersMixin, QMainWindow):
    """Topic tree and search on the left, the article on the right.

    Signals:
        article_shown(slug): an article was put in the pane.
    """

    article_shown = Signal(str)

    # Made by ``actions.create_actions`` from the registry, and by ``actions.build_menus``:
    back_action: QAction
    forward_action: QAction
    home_action: QAction
    search_action: QAction
    print_action: QAction
    preview_action: QAction
    pdf_action: QAction
    print_topic_action: QAction
    preview_topic_action: QAction
    pdf_topic_action: QAction
    quit_action: QAction
    find_action: QAction
    find_next_action: QAction
    find_previous_action: QAction
    copy_link_action: QAction
    zoom_in_action: QAction
    zoom_out_action: QAction
    zoom_reset_action: QAction
    dark_action: QAction
    bookmark_action: QAction
    shortcuts_action: QAction
    about_action: QAction
    highlight_action: QAction
    note_action: QAction
    print_notes_action: QAction
    undo_action: QAction
    redo_action: QAction
    notes: NotesController
    notes_panel: NotesPanel | None  # made when the Notes dock is first shown
    notes_dock: QDockWidget
    toolbar: QToolBar
    theme_group: QActionGroup
    recent_menu: QMenu
    bookmarks_menu: QMenu

    def __init__(
        self,
        library: Library,
        settings: Settings,
        parent: QWidget | None = None,
        *,
        snapshot: Snapshot | None = None,
        snapshot_path: Path | None = None,
    ) -> None:
        super().__init__(parent)
        self.library = library
        self.settings = settings
        self.snapshot = snapshot
        self.snapshot_path = snapshot_path
        self.history = NavigationHistory()
        self.bookmarks = Bookmarks(settings)
        self.search = SearchController(self)
        self.index_worker: Any = None
        self.index_build: ChildBuild | None = None  # a first index being built by a child
        self.backlinks_worker: Worker | None = None
        self.backlinks: dict[str, list[str]] = dict(snapshot.backlinks or {}) if snapshot else {}
        self.dark = False
        self.zoom = max(MIN_ZOOM, min(MAX_ZOOM, settings.get(keys.ZOOM)))
        self._pending_highlight: list[str] = []
        self.setWindowTitle(APP_TITLE)
        self.setAcceptDrops(True)  # a folder dropped on the window opens it (ui/folders.py)
        self._build_widgets()
        install_notes(self)  # window.notes, window.notes_dock (notes_panel.py)
        self.actions_by_name = create_actions(self)
        build_menus(self, self.actions_by_name)
        self.layout_fit = AdaptiveLayout(self)  # narrow windows fold the outline and the tree
        self.back_action.setEnabled(False)
        self.forward_action.setEnabled(False)
        self._wire()
        wire_notes(self)
        self._restore_state()
        self.set_theme(settings.get(keys.THEME), rerender=False)
        install_soon(self)  # screen readers: announcements, headings, names (a11y_hook)

    # -- construction ---------------------------------------------------------------------
    def _build_widgets(self) -> None:
        self.tree_model = TopicTreeModel(self.library, self)
        self.tree = QTreeView()
        self.tree.setUniformRowHeights(True)  # one row's size stands for all: fewer data() calls
        self.tree.setModel(self.tree_model)
        self.tree.setHeaderHidden(True)
        self.tree.setAccessibleName("Topics")
        self.tree.setToolTip("Topics and articles (right-click a topic to print it)")
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.tree.expandToDepth(0)

        self.panel = SearchPanel(self.library, self.tree, self.search)
        self.panel.article_requested.connect(self._on_panel_article_requested)
        self.search_field = self.panel.search_field  # the panel's parts, for the window and tests
        self.topic_filter = self.panel.topic_filter
        self.suggestion_label = self.panel.suggestion_label
        self.count_label = self.panel.count_label
        self.results_model = self.panel.results_model
        self.results = self.panel.results
        self.left_stack = self.panel.left_stack
        left = self.panel

        self.article_view = ArticleView(self.library.root_dir)
        self.find_bar = FindBar(self.article_view)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.setSpacing(0)
        right_layout.addWidget(self.article_view)
        right_layout.addWidget(self.find_bar)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(left)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([320, 780])
        self.setCentralWidget(self.splitter)

        self.outline = OutlineView(self.article_view)
        self.outline_dock = QDockWidget("On this page", self)
        self.outline_dock.setObjectName("outline")
        self.outline_dock.setWidget(self.outline)
        self.outline_dock.setAllowedAreas(
            Qt.DockWidgetArea.RightDockWidgetArea | Qt.DockWidgetArea.LeftDockWidgetArea
        )
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.outline_dock)

        self.progress = QProgressBar()
        self.progress.setMaximumWidth(180)
        self.progress.setAccessibleName("Index progress")
        self.progress.hide()
        self.statusBar().addPermanentWidget(self.progress)
        self.resize(1200, 780)
        self.setTabOrder(self.search_field, self.topic_filter)
        self.setTabOrder(self.topic_filter, self.left_stack)
        self.setTabOrder(self.left_stack, self.article_view)
        self.setTabOrder(self.article_view, self.outline)

    def _wire(self) -> None:
        self.search.failed.connect(self._on_search_failed)
        self.tree.selectionModel().currentChanged.connect(self._on_tree_current_changed)
        self.tree.activated.connect(self._on_tree_activated)
        self.tree.customContextMenuRequested.connect(self._on_tree_context_menu)
        self.article_view.article_requested.connect(self.open_article)
        self.article_view.external_link_requested.connect(self._on_external_link)
        hints = QGuiApplication.styleHints()
        hints.colorSchemeChanged.connect(self._on_system_scheme_changed)

    # -- search ---------------------------------------------------------------------------
    def focus_search(self) -> None:
        """Put the cursor in the search field (showing the folded panel first)."""
        self.layout_fit.topics_action.setChecked(True)
        self.panel.focus()

    def clear_search(self) -> None:
        """Leave search: clear the field and show the tree again."""
        self.panel.clear()

    def _open_result_row(self, row: int) -> None:
        self.panel.open_row(row)

    def _on_search_failed(self, message: str) -> None:
        self.statusBar().showMessage(f"Search failed: {message}", 8000)

    def _on_panel_article_requested(self, slug: str, anchor: str, words: list[str]) -> None:
        self._pending_highlight = words
        self.open_article(slug, anchor)

    # -- tree -----------------------------------------------------------------------------
    def _on_tree_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid() and not current.data(TopicRole.IS_TOPIC):
            self.open_article(current.data(TopicRole.SLUG))

    def _on_tree_activated(self, index: QModelIndex) -> None:
        if index.isValid() and index.data(TopicRole.IS_TOPIC):
            self.tree.setExpanded(index, not self.tree.isExpanded(index))

    def selected_topic(self) -> str:
        """Return the slug of the topic selected in the tree (or of the open article's topic)."""
        index = self.tree.currentIndex()
        if index.isValid() and index.data(TopicRole.IS_TOPIC):
            return str(index.data(TopicRole.SLUG))
        article = self.library.get(self.article_view.slug)
        return article.topic if article else ""

    def _on_tree_context_menu(self, pos: QPoint) -> None:
        index = self.tree.indexAt(pos)
        if not index.isValid():
            return
        self.tree.setCurrentIndex(index)
        menu = QMenu("Topic menu" if index.data(TopicRole.IS_TOPIC) else "Article menu", self)
        names = TOPIC_CONTEXT if index.data(TopicRole.IS_TOPIC) else ARTICLE_CONTEXT
        fill_context_menu(menu, self.actions_by_name, names)
        menu.exec(self.tree.viewport().mapToGlobal(pos))

    # -- reading --------------------------------------------------------------------------
    def open_find(self) -> None:
        """Show the find bar."""
        self.find_bar.open_bar()

    def copy_link(self) -> str:
        """Copy an app link to the open article (and the section in view) to the clipboard."""
        slug = self.article_view.slug
        if not slug:
            return ""
        anchor = self.outline.current_anchor()
        link = f"atlas:{slug}" + (f"#{anchor}" if anchor else "")
        QApplication.clipboard().setText(link)
        self.statusBar().showMessage(f"Copied {link}", 5000)
        return link

    def _apply_zoom(self) -> None:
        font = QFont(QApplication.font())
        size = font.pointSizeF() if font.pointSizeF() > 0 else 10.0
        font.setPointSizeF(max(5.0, size + self.zoom))
        self.article_view.document().setDefaultFont(font)

    def set_zoom(self, steps: int) -> None:
        """Set the zoom (steps of 1 pt from the system font size) and remember it."""
        self.zoom = max(MIN_ZOOM, min(MAX_ZOOM, steps))
        self.settings.set(keys.ZOOM, self.zoom)
        self.rerender()

    def zoom_in(self) -> None:
        """Make the article text larger."""
        self.set_zoom(self.zoom + 1)

    def zoom_out(self) -> None:
        """Make the article text smaller."""
        self.set_zoom(self.zoom - 1)

    def zoom_reset(self) -> None:
        """Back to the system font size."""
        self.set_zoom(0)

    def set_theme(self, mode: str, *, rerender: bool = True) -> None:
        """Use a theme: 'system', 'light' or 'dark'."""
        mode = mode if mode in MODES else "system"
        self.settings.set(keys.THEME, mode)
        self.dark = apply_theme(mode)
        apply_icons(self)  # drawn in the new palette's text colour
        for action in self.theme_group.actions():
            action.setChecked(action.data() == mode)
        self.dark_action.setChecked(self.dark)
        if rerender:
            self.rerender()

    def toggle_dark(self) -> None:
        """Switch between the light and dark themes."""
        self.set_theme("light" if self.dark else "dark")

    def _on_system_scheme_changed(self, _scheme: object) -> None:
        if self.settings.get(keys.THEME) == "system":
            self.set_theme("system")

    def _on_external_link(self, url: str) -> None:
        self.statusBar().showMessage(f"External link: {url}", 10000)
        self.external_box = dialogs.ask_external_link(self, url)

    def show_shortcuts(self) -> None:
        """List the keyboard shortcuts."""
        dialogs.show_shortcuts(self, self.shortcut_rows())

    def show_about(self) -> None:
        """Show the About box."""
        dialogs.show_about(self, self.library.manifest, len(self.library.articles))

    # -- status and dialogs ---------------------------------------------------------------
    def show_index_progress(self, done: int, total: int) -> None:
        """Show the build's progress: "Indexing 120/10000", then writing its files out."""
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        self.progress.setFormat("Indexing %v/%m" if done < total else "Finishing the index…")
        self.progress.show()

    def index_ready(self, message: str) -> None:
        """The index is usable: hide progress, say so, and work out 'Referenced by' links."""
        self.progress.hide()
        self.statusBar().showMessage(message, 8000)
        if not self.backlinks:
            self.start_backlinks()

    def start_backlinks(self) -> Worker:
        """Read every article once, off the UI thread, to list what links to what."""
        library = self.library

        def job(_progress: Any) -> dict[str, list[str]]:
            def bodies() -> Any:
                for slug in library.articles:
                    try:
                        yield slug, library.read_body(slug)
                    except OSError:
                        continue

            return backlinks(bodies(), library.links.link_slug)

        worker = Worker(job)
        worker.signals.finished.connect(self.set_backlinks)
        self.backlinks_worker = worker
        QThreadPool.globalInstance().start(worker)
        return worker

    def shortcut_rows(self) -> list[tuple[str, str]]:
        """Return (action, keys) for every action with a shortcut."""
        return shortcut_rows(self.actions_by_name)

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

    def closeEvent(self, event: QCloseEvent) -> None:
        """Remember window geometry, splitter and last article."""
        self.layout_fit.fit(self.layout_fit.WIDE)  # save the panes as a wide window has them
        self.settings.set(keys.GEOMETRY, self.saveGeometry())
        self.settings.set(keys.WINDOW_STATE, self.saveState())
        self.settings.set(keys.SPLITTER, self.splitter.saveState())
        self.settings.sync()
        super().closeEvent(event)
