"""Navigation for the main window: opening articles, history, home, bookmarks and recent.

A mixin of ``MainWindow``: the window owns the widgets; this module decides what is shown and
records where the reader has been.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt

from desktop_app.core.snapshot import ShownArticle, save_snapshot
from desktop_app.errors import AppError
from desktop_app.ui import empty_states
from desktop_app.ui import settings as keys
from desktop_app.ui.article_view import Location

if TYPE_CHECKING:
    from PySide6.QtGui import QAction, QMouseEvent
    from PySide6.QtWidgets import QMenu, QStatusBar, QTreeView

    from desktop_app.core.content import Library
    from desktop_app.core.snapshot import Snapshot
    from desktop_app.ui.article_view import ArticleView, NavigationHistory
    from desktop_app.ui.bookmarks import Bookmarks
    from desktop_app.ui.find_bar import FindBar
    from desktop_app.ui.outline import OutlineView
    from desktop_app.ui.settings import Settings
    from desktop_app.ui.topic_model import TopicTreeModel

log = logging.getLogger(__name__)
APP_TITLE = "Spine Atlas"


class NavigationMixin:
    """What the reader sees and where they have been (part of ``MainWindow``)."""

    if TYPE_CHECKING:
        library: Library
        settings: Settings
        snapshot: Snapshot | None
        snapshot_path: Path | None
        history: NavigationHistory
        bookmarks: Bookmarks
        backlinks: dict[str, list[str]]
        dark: bool
        _pending_highlight: list[str]
        article_view: ArticleView
        outline: OutlineView
        find_bar: FindBar
        tree: QTreeView
        tree_model: TopicTreeModel
        back_action: QAction
        forward_action: QAction
        bookmark_action: QAction
        bookmarks_menu: QMenu
        recent_menu: QMenu
        article_shown: Any

        def statusBar(self) -> QStatusBar: ...  # noqa: D102
        def setWindowTitle(self, title: str) -> None: ...  # noqa: D102
        def _apply_zoom(self) -> None: ...

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
            # A file deleted a moment ago is expected while the folder is live (``live_folder``).
            level = logging.INFO if isinstance(exc, FileNotFoundError) else logging.WARNING
            log.log(level, "cannot render %s: %s", slug, exc)
            article = self.library.articles[slug]
            line = int(getattr(exc, "line", 0) or 0)
            self.article_view.show_html(
                "", empty_states.load_failed(slug, article.path, line, str(exc))
            )
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
            start = self.article_view.anchor_position(anchor) if anchor else 0
            count = self.find_bar.search_words(words, start=max(0, start))
            self.statusBar().showMessage(f"{count} matches of the search in this article", 5000)
        self.article_shown.emit(slug)
        return True

    def rerender(self) -> None:
        """Show the current article again (theme or zoom changed), keeping the scroll."""
        if not self.article_view.slug:
            return
        bar = self.article_view.verticalScrollBar()
        fraction = bar.value() / max(1, bar.maximum())
        kept = self.find_bar.keep()  # search highlights survive a theme or zoom change
        self.open_article(self.article_view.slug, record=False)
        self.find_bar.restore(kept)
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
        elif not self.library.articles:
            self.article_view.show_html("", empty_states.no_markdown(self.library.root_dir))

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
            super().mousePressEvent(event)  # type: ignore[misc]

    def open_initial_article(self) -> None:
        """Open the last article read, or the overview."""
        last = self.settings.get(keys.LAST_ARTICLE)
        if not (last and self.open_article(last)):
            self.go_home()

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

    def fill_bookmarks_menu(self) -> None:
        """Fill the Bookmarks menu as it opens."""
        menu = self.bookmarks_menu
        menu.clear()
        menu.addAction(self.bookmark_action)
        menu.addSeparator()
        self._fill_article_menu(menu, self.bookmarks.bookmarks(), "No bookmarks yet")

    def fill_recent_menu(self) -> None:
        """Fill Go ▸ Recently viewed as it opens."""
        self.recent_menu.clear()
        self._fill_article_menu(self.recent_menu, self.bookmarks.recent(), "Nothing yet")
