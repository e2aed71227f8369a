"""Search as you type: debounce keystrokes, search off the UI thread, drop stale results.

Until the full-text index is ready (a large folder's first build), titles are searched from the
library (``title_results``) so a reader can open what they know the name of at once; once the
build has written some articles, their full text is searched too (``FillingIndex``).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QThreadPool, QTimer, Signal

from desktop_app.ui.memory import trim_heap
from desktop_app.ui.workers import Worker

if TYPE_CHECKING:
    from desktop_app.core.content import Library
    from desktop_app.core.search import FillingIndex, SearchIndex, SearchResults

log = logging.getLogger(__name__)
DEBOUNCE_MS = 40


class SearchController(QObject):
    """Runs queries one at a time on its own thread.

    Signals:
        results_ready(SearchResults): the answer to the latest query.
        failed(str): the latest query failed.
        index_changed(SearchIndex | None): another index is used from now on.
    """

    results_ready = Signal(object)
    failed = Signal(str)
    index_changed = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.index: SearchIndex | None = None
        self.filling: FillingIndex | None = None  # what a first build has written so far
        # The window's library: titles are searched in it until an index is set.
        self.library: Library | None = getattr(parent, "library", None)
        self.limit = 20
        self.topic: str | None = None
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._generation = 0
        self._pending = ""
        self._as_you_type = True
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self._on_timer_timeout)

    def set_index(self, index: SearchIndex | None) -> None:
        """Use this index from now on, and rerun the pending query.

        The index is warmed first on the search thread (the spelling vocabulary): a query
        typed meanwhile waits for it, and the first query does not pay for it.
        """
        self.index = index
        self.index_changed.emit(index)
        if index is not None:
            self._retire_filling()
            self._pool.start(Worker(lambda _progress: index.warm()))
        if self._pending.strip():
            self._timer.start()

    def set_filling(self, filling: FillingIndex) -> None:
        """Search what a first build has written so far (and titles of the rest) until it ends."""
        if self.index is not None:  # the finished index came first
            self._pool.start(Worker(lambda _progress: filling.close()))
            return
        self._retire_filling()
        self.filling = filling
        if self._pending.strip():
            self._timer.start()

    def _retire_filling(self) -> None:
        old, self.filling = self.filling, None
        if old is not None:  # closed on the search thread, after any search still using it
            self._pool.start(Worker(lambda _progress: old.close()))

    def schedule(self, text: str) -> None:
        """Search ``text`` after a short pause (as you type)."""
        self._pending = text
        self._as_you_type = True
        self._generation += 1
        self._timer.start()

    def search_now(self, text: str) -> None:
        """Search ``text`` at once, as a whole query."""
        self._pending = text
        self._as_you_type = False
        self._generation += 1
        self._timer.stop()
        self._on_timer_timeout()

    def _on_timer_timeout(self) -> None:
        index, library, filling = self.index, self.library, self.filling
        if (index is None and library is None) or not self._pending.strip():
            return
        generation = self._generation
        text, as_you_type, topic, limit = self._pending, self._as_you_type, self.topic, self.limit

        def run(_progress: Any) -> tuple[int, SearchResults]:
            from desktop_app.core.search import SearchResults

            if generation != self._generation:
                return generation, SearchResults(text, 0)
            if index is None and filling is not None:
                found = filling.search(text, limit=limit, topic=topic, as_you_type=as_you_type)
                return generation, found
            if index is None and library is not None:
                from desktop_app.core.search import title_results

                return generation, title_results(library, text, limit, topic or "")
            assert index is not None
            results = index.search(text, limit=limit, topic=topic, as_you_type=as_you_type)
            if generation == self._generation:  # no newer query waiting: a quiet moment
                trim_heap()
            return generation, results

        worker = Worker(run)
        worker.signals.finished.connect(self._on_worker_finished)
        worker.signals.failed.connect(self.failed)
        self._pool.start(worker)

    def _on_worker_finished(self, payload: tuple[int, SearchResults]) -> None:
        generation, results = payload
        if generation == self._generation:
            self.results_ready.emit(results)

    def wait(self) -> None:
        """Block until running searches are done (tests, shutdown)."""
        self._pool.waitForDone()
