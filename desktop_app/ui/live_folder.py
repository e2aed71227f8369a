"""Live folders: files edited, added, deleted or renamed while the window is open show at once.

A ``QFileSystemWatcher`` watches the content folder, its sub-folders and (up to a limit) its
Markdown files. Changes are debounced; the library is then loaded again on a pool thread, and
the window follows: the tree is reset, the open article shown again (or followed to its new
name, or replaced by a notice when it is gone), 'Referenced by' worked out again, and the search
index brought up to date with ``SearchIndex.update`` on another pool thread. Nothing blocks the
window; a change during a reload starts one more reload when it ends.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QFileSystemWatcher, QObject, QThreadPool, QTimer, Signal

from desktop_app.ui.workers import Worker

if TYPE_CHECKING:
    from desktop_app.core.content import Library
    from desktop_app.core.search import SearchIndex
    from desktop_app.ui.main_window import MainWindow

log = logging.getLogger(__name__)
DEBOUNCE_MS = 250
MAX_WATCHED_FILES = 2000  # inotify watches are limited; beyond this, folders and the open file


class LiveFolder(QObject):
    """Keeps a window in step with its content folder.

    Signals:
        reloaded(Library): the window now shows this version of the folder.
        index_updated(object): the search index took in the changes (its UpdateStats).
    """

    reloaded = Signal(object)
    index_updated = Signal(object)

    def __init__(self, window: MainWindow, debounce_ms: int = DEBOUNCE_MS) -> None:
        super().__init__(window)
        self.window = window
        self.watcher = QFileSystemWatcher(self)
        self.watcher.directoryChanged.connect(self._on_watcher_changed)
        self.watcher.fileChanged.connect(self._on_watcher_changed)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(debounce_ms)
        self._timer.timeout.connect(self._reload)
        self._loading: Worker | None = None
        self._again = False
        self._index_worker: Worker | None = None
        self._indexed: Library | None = None  # the library the index was last brought up to
        self._last_shown = window.article_view.slug  # kept when a vanished file fails to show
        window.article_shown.connect(self._on_window_article_shown)
        window.search.index_changed.connect(self._on_search_index_changed)
        self._watch(window.library)

    # -- watching -------------------------------------------------------------------------
    def _watch(self, library: Library) -> None:
        wanted = {str(topic.path) for topic in library.topics.values()}
        files = [str(a.path) for a in library.articles.values()]
        if len(files) <= MAX_WATCHED_FILES:
            wanted.update(files)
        current = library.get(self.window.article_view.slug)
        if current is not None:
            wanted.add(str(current.path))
        watched = set(self.watcher.directories()) | set(self.watcher.files())
        gone = watched - wanted
        if gone:
            self.watcher.removePaths(sorted(gone))
        new = sorted(p for p in wanted - watched if Path(p).exists())
        if new:
            self.watcher.addPaths(new)

    def _on_window_article_shown(self, slug: str) -> None:
        self._last_shown = slug
        article = self.window.library.get(slug)
        if article is not None and str(article.path) not in self.watcher.files():
            self.watcher.addPath(str(article.path))

    def _on_watcher_changed(self, path: str) -> None:
        log.debug("changed on disk: %s", path)
        self._timer.start()

    # -- reloading ------------------------------------------------------------------------
    def _reload(self) -> None:
        if self._loading is not None:
            self._again = True
            return
        from desktop_app.core.content import load_library

        root = self.window.library.root_dir
        worker = Worker(lambda _progress: load_library(root))
        worker.signals.finished.connect(self._on_loaded)
        worker.signals.failed.connect(self._on_load_failed)
        self._loading = worker
        QThreadPool.globalInstance().start(worker)

    def _on_load_failed(self, message: str) -> None:
        self._loading = None
        self.window.statusBar().showMessage(f"Cannot read the folder again: {message}", 8000)

    def _on_loaded(self, library: Library) -> None:
        self._loading = None
        self.apply(library)
        if self._again:
            self._again = False
            self._timer.start()

    def apply(self, library: Library) -> None:
        """Show ``library`` (the folder as it is now) in the window."""
        window = self.window
        old = window.library
        shown = window.article_view.slug or self._last_shown
        window.library = library
        window.snapshot = None  # the start-up snapshot describes the folder as it was
        window.search.library = library
        window.panel.set_topics(library)  # a topic folder added or removed shows in the filter
        window.tree_model.set_library(library)
        window.tree.expandToDepth(0)
        self._follow(old, library, shown)
        self._watch(library)
        window.backlinks = {}
        window.start_backlinks()
        self._update_index()
        self.reloaded.emit(library)

    def _follow(self, old: Library, new: Library, shown: str) -> None:
        """Show the open article again if it changed; follow a rename; say when it is gone."""
        if not shown:
            return
        window = self.window
        before = old.get(shown)
        after = new.get(shown)
        if after is None and before is not None:  # renamed or moved: the same bytes elsewhere
            after = next(
                (a for a in new.articles.values() if a.fingerprint == before.fingerprint), None
            )
        if after is None:
            from desktop_app.ui import empty_states

            path = before.path if before else None
            message = "The file was deleted or renamed."
            window.article_view.show_html("", empty_states.load_failed(shown, path, 0, message))
            self._last_shown = ""
            window.statusBar().showMessage(f"'{shown}' is no longer in the folder", 8000)
            return
        if after.slug != shown or before is None or before.fingerprint != after.fingerprint:
            bar = window.article_view.verticalScrollBar()
            value = bar.value()
            window.open_article(after.slug, record=after.slug != shown)
            bar.setValue(value)
        window.tree.setCurrentIndex(window.tree_model.index_of(after.slug))

    # -- the search index -----------------------------------------------------------------
    def _on_search_index_changed(self, index: SearchIndex | None) -> None:
        if index is not None and index.library is not self.window.library:
            self._update_index()  # built from an older version of the folder

    def _update_index(self) -> None:
        index = self.window.search.index
        if index is None or self._index_worker is not None:
            return  # none yet (it is brought up to date when it arrives), or one is running
        library = self.window.library
        if self._indexed is library:
            return

        def job(_progress: Any) -> object:
            return index.update(library)

        worker = Worker(job)
        worker.signals.finished.connect(lambda stats: self._on_index_done(library, stats))
        worker.signals.failed.connect(lambda msg: self._on_index_done(library, msg))
        self._index_worker = worker
        QThreadPool.globalInstance().start(worker)

    def _on_index_done(self, library: Library, stats: object) -> None:
        self._index_worker = None
        self._indexed = library
        self.index_updated.emit(stats)
        if library is not self.window.library:  # changed again meanwhile
            self._update_index()


def install(window: MainWindow) -> LiveFolder:
    """Start following the window's folder (kept as ``window.live_folder``)."""
    live = LiveFolder(window)
    window.live_folder = live  # type: ignore[attr-defined]
    return live
