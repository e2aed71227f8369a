"""The main window: layout, actions, shortcuts and signal wiring. No business logic here."""

from __future__ import annotations

import html
import logging
import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QModelIndex, QPoint, Qt, QThreadPool, QUrl, Signal
from PySide6.QtGui import (
    QAction,
    QActionGroup,
    QDesktopServices,
    QFont,
    QGuiApplication,
    QKeySequence,
)
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QMainWindow,
    QMenu,
    QMessageBox,
    QProgressBar,
    QSplitter,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.content import Library, backlinks
from desktop_app.core.snapshot import ShownArticle, Snapshot, save_snapshot
from desktop_app.errors import AppError
from desktop_app.ui import settings as keys
from desktop_app.ui.article_view import ArticleView, Location, NavigationHistory
from desktop_app.ui.bookmarks import Bookmarks
from desktop_app.ui.find_bar import FindBar
from desktop_app.ui.outline import OutlineView
from desktop_app.ui.search_controller import SearchController
from desktop_app.ui.search_panel import SearchPanel
from desktop_app.ui.settings import Settings
from desktop_app.ui.theme import MODES, apply_theme
from desktop_app.ui.topic_model import Role as TopicRole
from desktop_app.ui.topic_model import TopicTreeModel
from desktop_app.ui.workers import Worker

if TYPE_CHECKING:
    from PySide6.QtGui import QCloseEvent, QMouseEvent

    from desktop_app.workspace import ChildBuild

log = logging.getLogger(__name__)
APP_TITLE = "Spine Atlas"
MIN_ZOOM, MAX_ZOOM = -6, 12
_BOLD_RE = re.compile(r"<b>(.*?)</b>")


class MainWindow(QMainWindow):
    """Topic tree and search on the left, the article on the right.

    Signals:
        article_shown(slug): an article was put in the pane.
    """

    article_shown = Signal(str)

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
        self._build_widgets()
        self._build_actions()
        self._build_menus()
        self._wire()
        self._restore_state()
        self.set_theme(settings.get(keys.THEME), rerender=False)

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
        # The panel's parts, for the rest of the window and for tests.
        self.search_field = self.panel.search_field
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

    def _action(self, text: str, shortcut: Any, slot: Callable[[], Any], tip: str = "") -> QAction:
        action = QAction(text, self)
        label = tip or text.replace("&", "").rstrip("…")
        if shortcut is not None:
            sequences = shortcut if isinstance(shortcut, list) else [shortcut]
            unique: dict[str, QKeySequence] = {}
            for item in sequences:  # a standard key may equal an explicit one, or be empty
                sequence = QKeySequence(item) if isinstance(item, str) else item
                if not sequence.isEmpty():
                    unique.setdefault(sequence.toString(), sequence)
            action.setShortcuts(list(unique.values()))
            names = ", ".join(
                s.toString(QKeySequence.SequenceFormat.NativeText) for s in action.shortcuts()
            )
            action.setToolTip(f"{label} ({names})")
        else:
            action.setToolTip(label)
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _build_actions(self) -> None:
        k = QKeySequence
        a = self._action
        self.back_action = a("&Back", [k(k.StandardKey.Back), "Alt+Left"], self.go_back)
        self.forward_action = a(
            "&Forward", [k(k.StandardKey.Forward), "Alt+Right"], self.go_forward
        )
        self.home_action = a("&Home", "Alt+Home", self.go_home, "Overview article")
        self.search_action = a("&Search articles", ["Ctrl+K", "Ctrl+L"], self.focus_search)
        self.print_action = a(
            "&Print…", k(k.StandardKey.Print), self.print_article, "Print this article"
        )
        self.preview_action = a(
            "Print pre&view…", "Ctrl+Shift+P", self.preview_article, "Print preview of this article"
        )
        self.pdf_action = a(
            "&Export to PDF…", "Ctrl+E", self.export_article, "Export this article to PDF"
        )
        self.print_topic_action = a(
            "Print &topic…", None, self.print_topic, "Print the selected topic as a booklet"
        )
        self.preview_topic_action = a("Preview t&opic…", None, self.preview_topic)
        self.pdf_topic_action = a(
            "Export topic to P&DF…",
            "Ctrl+Shift+E",
            self.export_topic,
            "Export the selected topic as a PDF booklet",
        )
        self.quit_action = a("&Quit", [k(k.StandardKey.Quit), "Ctrl+Q"], self.close)
        self.find_action = a("&Find in article…", k(k.StandardKey.Find), self.open_find)
        self.find_next_action = a("Find &next", ["F3"], self.find_bar.find_next)
        self.find_previous_action = a("Find pre&vious", ["Shift+F3"], self.find_bar.find_previous)
        self.copy_link_action = a("Copy &link to this section", "Ctrl+Shift+C", self.copy_link)
        self.zoom_in_action = a("Zoom &in", [k(k.StandardKey.ZoomIn), "Ctrl+="], self.zoom_in)
        self.zoom_out_action = a("Zoom &out", k(k.StandardKey.ZoomOut), self.zoom_out)
        self.zoom_reset_action = a("&Actual size", "Ctrl+0", self.zoom_reset)
        self.dark_action = a("&Dark theme", "Ctrl+Shift+D", self.toggle_dark)
        self.dark_action.setCheckable(True)
        self.bookmark_action = a("&Bookmark this article", "Ctrl+D", self.toggle_bookmark)
        self.bookmark_action.setCheckable(True)
        self.shortcuts_action = a(
            "&Keyboard shortcuts", k(k.StandardKey.HelpContents), self.show_shortcuts
        )
        self.about_action = a("&About Spine Atlas", None, self.show_about)
        self.back_action.setEnabled(False)
        self.forward_action.setEnabled(False)

    def _build_menus(self) -> None:
        menu = self.menuBar()
        file_menu = menu.addMenu("&File")
        for action in (
            self.print_action,
            self.preview_action,
            self.pdf_action,
            None,
            self.print_topic_action,
            self.preview_topic_action,
            self.pdf_topic_action,
            None,
            self.quit_action,
        ):
            file_menu.addSeparator() if action is None else file_menu.addAction(action)
        edit = menu.addMenu("&Edit")
        for action in (
            self.find_action,
            self.find_next_action,
            self.find_previous_action,
            None,
            self.search_action,
            self.copy_link_action,
        ):
            edit.addSeparator() if action is None else edit.addAction(action)
        view = menu.addMenu("&View")
        for action in (self.zoom_in_action, self.zoom_out_action, self.zoom_reset_action):
            view.addAction(action)
        view.addSeparator()
        view.addAction(self.outline_dock.toggleViewAction())
        theme_menu = view.addMenu("&Theme")
        self.theme_group = QActionGroup(self)
        for mode in MODES:
            action = theme_menu.addAction(
                mode.capitalize() if mode != "system" else "Follow the system"
            )
            action.setCheckable(True)
            action.setData(mode)
            self.theme_group.addAction(action)
        self.theme_group.triggered.connect(lambda act: self.set_theme(act.data()))
        view.addAction(self.dark_action)
        go = menu.addMenu("&Go")
        for action in (self.back_action, self.forward_action, self.home_action):
            go.addAction(action)
        self.recent_menu = go.addMenu("&Recently viewed")
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        self.bookmarks_menu = menu.addMenu("&Bookmarks")
        self.bookmarks_menu.aboutToShow.connect(self._fill_bookmarks_menu)
        help_menu = menu.addMenu("&Help")
        help_menu.addAction(self.shortcuts_action)
        help_menu.addAction(self.about_action)

        toolbar = self.addToolBar("Navigation")
        toolbar.setObjectName("navigation")
        toolbar.setMovable(False)
        for action in (
            self.back_action,
            self.forward_action,
            self.home_action,
            None,
            self.print_action,
            self.pdf_action,
            None,
            self.bookmark_action,
            self.find_action,
            self.dark_action,
        ):
            toolbar.addSeparator() if action is None else toolbar.addAction(action)
        self.toolbar = toolbar

    def _wire(self) -> None:
        self.search.failed.connect(self._on_search_failed)
        self.tree.selectionModel().currentChanged.connect(self._on_tree_current_changed)
        self.tree.activated.connect(self._on_tree_activated)
        self.tree.customContextMenuRequested.connect(self._on_tree_context_menu)
        self.article_view.article_requested.connect(self.open_article)
        self.article_view.external_link_requested.connect(self._on_external_link)
        hints = QGuiApplication.styleHints()
        hints.colorSchemeChanged.connect(self._on_system_scheme_changed)

    # -- navigation -----------------------------------------------------------------------
    def open_article(self, slug: str, anchor: str = "", *, record: bool = True) -> bool:
        """Render and show an article; return False (and say why) if it cannot be shown."""
        if slug not in self.library.articles:
            self.statusBar().showMessage(f"No article named '{slug}'", 5000)
            return False
        referenced_by = self.backlinks.get(slug, [])
        try:
            rendered = None
            if self.snapshot is not None:
                rendered = self.snapshot.article(slug, dark=self.dark, referenced_by=referenced_by)
            if rendered is None:
                from desktop_app.core.render import render_article

                rendered = render_article(
                    self.library, slug, dark=self.dark, referenced_by=referenced_by
                )
        except (AppError, OSError) as exc:
            self.statusBar().showMessage(f"Cannot show {slug}: {exc}", 8000)
            log.warning("cannot render %s: %s", slug, exc)
            return False
        if self.find_bar.isVisible():
            self.find_bar.close_bar()
        self._apply_zoom()
        self.article_view.show_html(slug, rendered.html, anchor)
        if self.snapshot is not None:  # what the next start can paint at once
            self.snapshot.shown = ShownArticle(rendered, self.dark, tuple(referenced_by))
        self.outline.set_entries(rendered.toc)
        if record:
            self.history.visit(Location(slug, anchor))
        self.bookmarks.visited(slug)
        self._update_history_actions()
        self.bookmark_action.setChecked(self.bookmarks.is_bookmarked(slug))
        self.setWindowTitle(f"{rendered.title} — {APP_TITLE}")
        self._select_in_tree(slug)
        self.settings.set(keys.LAST_ARTICLE, slug)
        if self._pending_highlight:
            words, self._pending_highlight = self._pending_highlight, []
            count = self.find_bar.search_words(words)
            self.statusBar().showMessage(f"{count} matches of the search in this article", 5000)
        self.article_shown.emit(slug)
        return True

    def rerender(self) -> None:
        """Show the current article again (theme or zoom changed), keeping the scroll."""
        if not self.article_view.slug:
            return
        bar = self.article_view.verticalScrollBar()
        fraction = bar.value() / max(1, bar.maximum())
        self.open_article(self.article_view.slug, record=False)
        bar.setValue(round(fraction * bar.maximum()))

    def set_backlinks(self, backlinks: dict[str, list[str]]) -> None:
        """Use this map of 'referenced by' links from now on."""
        self.backlinks = backlinks
        self.rerender()
        self.save_snapshot()

    def save_snapshot(self) -> None:
        """Save what the next start needs to paint at once (``core/snapshot.py``)."""
        if self.snapshot is None or self.snapshot_path is None:
            return
        self.snapshot.backlinks = self.backlinks or None
        save_snapshot(self.snapshot_path, self.snapshot)

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
        if home not in self.library.articles:
            home = slugs[0] if slugs else ""
        if home:
            self.open_article(home)

    def _update_history_actions(self) -> None:
        self.back_action.setEnabled(self.history.can_go_back())
        self.forward_action.setEnabled(self.history.can_go_forward())

    def _select_in_tree(self, slug: str) -> None:
        index = self.tree_model.index_of(slug)
        if index.isValid():
            self.tree.selectionModel().blockSignals(True)
            self.tree.setCurrentIndex(index)
            self.tree.scrollTo(index)
            self.tree.selectionModel().blockSignals(False)

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
        self.panel.focus()

    def clear_search(self) -> None:
        """Leave search: clear the field and show the tree again."""
        self.panel.clear()

    def _open_result_row(self, row: int) -> None:
        self.panel.open_row(row)

    def _on_search_failed(self, message: str) -> None:
        self.statusBar().showMessage(f"Search failed: {message}", 8000)

    def _on_panel_article_requested(self, slug: str, words: list[str]) -> None:
        self._pending_highlight = words
        self.open_article(slug)

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
        menu = QMenu(self)
        if index.data(TopicRole.IS_TOPIC):
            for action in (
                self.print_topic_action,
                self.preview_topic_action,
                self.pdf_topic_action,
            ):
                menu.addAction(action)
        else:
            for action in (
                self.print_action,
                self.preview_action,
                self.pdf_action,
                self.bookmark_action,
            ):
                menu.addAction(action)
        menu.exec(self.tree.viewport().mapToGlobal(pos))

    # -- printing -------------------------------------------------------------------------
    def print_article(self) -> None:
        """Print the open article through the system dialog."""
        from desktop_app.ui import print_dialogs

        if self.article_view.slug:
            print_dialogs.print_with_dialog(self, self.library, self.article_view.slug)

    def preview_article(self) -> None:
        """Show the print preview of the open article."""
        from desktop_app.ui import print_dialogs

        dialog = print_dialogs.preview(self, self.library, self.article_view.slug)
        if dialog is not None:
            dialog.exec()

    def export_article(self) -> None:
        """Export the open article to PDF."""
        from desktop_app.ui import print_dialogs

        if self.article_view.slug:
            path = print_dialogs.export_with_dialog(self, self.library, self.article_view.slug)
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
            print_dialogs.print_with_dialog(self, self.library, topic)

    def preview_topic(self) -> None:
        """Preview the selected topic's booklet."""
        from desktop_app.ui import print_dialogs

        topic = self._topic_or_warn()
        dialog = print_dialogs.preview(self, self.library, topic) if topic else None
        if dialog is not None:
            dialog.exec()

    def export_topic(self) -> None:
        """Export the selected topic to a PDF booklet."""
        from desktop_app.ui import print_dialogs

        topic = self._topic_or_warn()
        if topic:
            path = print_dialogs.export_with_dialog(self, self.library, topic)
            if path:
                self.statusBar().showMessage(f"Saved {path}", 8000)

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

    def toggle_bookmark(self) -> None:
        """Bookmark the open article, or remove its bookmark."""
        slug = self.article_view.slug
        if slug:
            marked = self.bookmarks.toggle(slug)
            self.bookmark_action.setChecked(marked)
            self.statusBar().showMessage("Bookmarked" if marked else "Bookmark removed", 3000)

    def _fill_article_menu(self, menu: QMenu, slugs: list[str], empty: str) -> None:
        for slug in slugs:
            article = self.library.get(slug)
            if article is not None:
                action = menu.addAction(article.title)
                action.triggered.connect(lambda _=False, s=slug: self.open_article(s))
        if menu.isEmpty():
            menu.addAction(empty).setEnabled(False)

    def _fill_bookmarks_menu(self) -> None:
        menu = self.bookmarks_menu
        menu.clear()
        menu.addAction(self.bookmark_action)
        menu.addSeparator()
        self._fill_article_menu(menu, self.bookmarks.bookmarks(), "No bookmarks yet")

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        self._fill_article_menu(self.recent_menu, self.bookmarks.recent(), "Nothing yet")

    def _on_external_link(self, url: str) -> None:
        self.statusBar().showMessage(f"External link: {url}", 10000)
        box = QMessageBox(self)
        box.setWindowTitle("External link")
        box.setText("This link leaves Spine Atlas and needs an internet connection:")
        box.setInformativeText(url)
        open_button = box.addButton("Open in browser", QMessageBox.ButtonRole.AcceptRole)
        copy_button = box.addButton("Copy address", QMessageBox.ButtonRole.ActionRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        self.external_box = box
        box.open()
        box.buttonClicked.connect(
            lambda button: self._on_external_choice(button, url, open_button, copy_button)
        )

    def _on_external_choice(
        self, button: object, url: str, open_button: object, copy_button: object
    ) -> None:
        if button is open_button:
            QDesktopServices.openUrl(QUrl(url))
        elif button is copy_button:
            QApplication.clipboard().setText(url)

    # -- status and dialogs ---------------------------------------------------------------
    def show_index_progress(self, done: int, total: int) -> None:
        """Show the index build's progress in the status bar."""
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        self.progress.setFormat("Indexing %v/%m")
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

            return backlinks(bodies())

        worker = Worker(job)
        worker.signals.finished.connect(self.set_backlinks)
        self.backlinks_worker = worker
        QThreadPool.globalInstance().start(worker)
        return worker

    def shortcut_rows(self) -> list[tuple[str, str]]:
        """Return (action, keys) for every action with a shortcut."""
        rows = []
        for action in self.actions():
            if action.shortcuts():
                keys_text = ", ".join(
                    s.toString(QKeySequence.SequenceFormat.NativeText) for s in action.shortcuts()
                )
                rows.append((action.text().replace("&", "").rstrip("…"), keys_text))
        return rows

    def show_shortcuts(self) -> None:
        """List the keyboard shortcuts."""
        rows = "".join(
            f"<tr><td>{html.escape(name)}</td><td><b>{html.escape(keys_text)}</b></td></tr>"
            for name, keys_text in self.shortcut_rows()
        )
        extra = (
            "<tr><td>In the search field</td><td><b>Down</b> results, <b>Enter</b> open, "
            "<b>Esc</b> topics</td></tr><tr><td>History</td><td>mouse back/forward "
            "buttons</td></tr>"
        )
        QMessageBox.information(
            self, "Keyboard shortcuts", f"<table cellspacing='6'>{rows}{extra}</table>"
        )

    def show_about(self) -> None:
        """Show the About box."""
        m = self.library.manifest
        QMessageBox.about(
            self,
            f"About {APP_TITLE}",
            f"<h3>{html.escape(m.title)}</h3><p>Content edition {html.escape(m.edition)}</p>"
            f"<p>{html.escape(m.description)}</p><p>{html.escape(m.scope)}</p>"
            f"<p>{html.escape(m.sources)}</p>"
            f"<p><b>Reference, not medical advice.</b> {len(self.library.articles)} articles.</p>",
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
