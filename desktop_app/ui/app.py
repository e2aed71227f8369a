"""Composition root: the QApplication, logging, the excepthook, and wiring core to widgets."""

from __future__ import annotations

import argparse
import linecache
import logging
import os
import sys
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, QThreadPool, QTimer, QtMsgType, qInstallMessageHandler
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from desktop_app import paths
from desktop_app.core.content import Library, load_library
from desktop_app.core.snapshot import open_snapshot
from desktop_app.diagnostics import count
from desktop_app.errors import IndexUnavailable
from desktop_app.timing import mark
from desktop_app.ui.a11y_hook import defer_until_painted, install_waiting
from desktop_app.ui.main_window import MainWindow
from desktop_app.ui.settings import Settings
from desktop_app.ui.workers import Worker

if TYPE_CHECKING:
    from desktop_app.core.search import SearchIndex

log = logging.getLogger(__name__)
_QT_LEVELS = {
    QtMsgType.QtDebugMsg: logging.DEBUG,
    QtMsgType.QtInfoMsg: logging.INFO,
    QtMsgType.QtWarningMsg: logging.WARNING,
    QtMsgType.QtCriticalMsg: logging.ERROR,
    QtMsgType.QtFatalMsg: logging.CRITICAL,
}
_QUIET_QT = ("propagateSizeHints",)


def _qt_message_handler(kind: QtMsgType, _context: Any, message: str) -> None:
    if any(text in message for text in _QUIET_QT):
        return
    logging.getLogger("qt").log(_QT_LEVELS.get(kind, logging.WARNING), "%s", message)


def _excepthook(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
    import traceback

    text = "".join(traceback.format_exception(kind, value, tb))
    log.critical("unexpected error:\n%s", text)
    if QApplication.instance() is not None:
        QMessageBox.critical(
            None,
            "Spine Atlas: unexpected error",
            f"Something went wrong that should not have.\n\n{value}\n\n"
            "Spine Atlas keeps running; details were written to the log.",
        )


def make_application(argv: list[str] | None = None) -> QApplication:
    """Return the QApplication (creating it once) with names and icon set."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(argv or sys.argv[:1])
    app.setApplicationName("Spine Atlas")
    app.setOrganizationName("spine-atlas")
    app.setApplicationDisplayName("Spine Atlas")
    app.setDesktopFileName("spine-atlas")
    app.setWindowIcon(application_icon())
    return app


def application_icon(max_size: int = 256) -> QIcon:
    """Return the app icon from its PNG sizes (no SVG icon plugin needed), else the SVG.

    Sizes above ``max_size`` are left out: on X11 every size is converted when the window is
    shown, and the 512 px one alone costs about 10 ms there (it is for desktop installs).
    """
    folder = paths.resources_dir() / "icons"
    icon = QIcon()
    for png in sorted(folder.glob("spine-atlas-*.png")):
        size = png.stem.rsplit("-", 1)[-1]
        if size.isdigit() and int(size) <= max_size:
            icon.addFile(str(png))
    if icon.isNull() and (folder / "spine-atlas.svg").is_file():
        icon.addFile(str(folder / "spine-atlas.svg"))
    return icon


def start_index(window: MainWindow, library: Library, index_dir: Path) -> Worker:
    """Open or build the search index on a pool thread; hand it to the window when ready.

    A first index (none on disk, none shipped) is built by a child process (``ChildBuild``),
    then opened here; if the child fails, it is built here as before. While the child builds,
    what it has written so far is searched (``FillingIndex``, handed over as ``partial``).
    """
    from desktop_app.workspace import ChildBuild, seed_for

    child = ChildBuild()
    window.index_build = child  # run_app stops it if the window closes first

    def searchable(location: Path, count: int) -> None:
        from desktop_app.core.search import FillingIndex

        try:
            filling = FillingIndex(location, library)
        except Exception as exc:  # a preview is a bonus: the finished index still comes
            log.info("the index being built cannot be searched yet: %s", exc)
            return
        worker.signals.partial.emit(filling)

    def job(progress: Any) -> SearchIndex:
        from desktop_app.core.search import SearchIndex  # Whoosh loads on this thread

        seed = seed_for(library.root_dir)
        if seed is None and not SearchIndex.exists(index_dir):
            child.run(library.root_dir, index_dir, progress, searchable)
            if child.cancelled:  # the app is quitting: do not start the build over here
                raise IndexUnavailable("the index build was stopped", str(index_dir))
        return SearchIndex.open_or_build(library, index_dir, progress, seed=seed)

    worker = Worker(job)
    worker.signals.progress.connect(window.show_index_progress)
    worker.signals.partial.connect(window.search.set_filling)

    def ready(index: SearchIndex) -> None:
        # PySide6's import hook reads the source of every module imported after it (to look
        # for "PySide6" in it) into linecache: ~3 MB of Whoosh source lines in a source run.
        # Freed now, before the searches allocate, their space is reused (the frozen app has no
        # sources, so nothing is cached there).
        linecache.clearcache()
        window.search.set_index(index)
        message = index.note or f"Search ready: {index.doc_count} articles indexed"
        window.index_ready(message)

    worker.signals.finished.connect(ready)
    worker.signals.failed.connect(lambda msg: window.index_ready(f"Search unavailable: {msg}"))
    window.index_worker = worker  # keep the worker (and its signals) alive until it reports
    QThreadPool.globalInstance().start(worker)
    return worker


def follow_folder(window: MainWindow) -> object:
    """Follow changes to the window's folder from now on (``live_folder``; after first paint)."""
    from desktop_app.ui.live_folder import install

    return install(window)


def build_window(
    args: argparse.Namespace, config_dir: Path | None = None
) -> tuple[MainWindow, Path]:
    """Load the content and build the main window (not shown yet)."""
    from desktop_app.workspace import (
        content_root,
        index_dir_for,
        settings_path_for,
        snapshot_path_for,
    )

    root = content_root(args.content)
    snapshot_path = snapshot_path_for(root)
    # The snapshot of the last run, if the content has not changed since: no YAML, no Markdown.
    snapshot = open_snapshot(snapshot_path, root, load_library)
    library = snapshot.library
    mark("library")
    settings = Settings(settings_path_for(root, config_dir or paths.config_dir()))
    window = MainWindow(library, settings, snapshot=snapshot, snapshot_path=snapshot_path)
    errors, warnings = count(library.diagnostics)
    if errors or warnings:
        window.statusBar().showMessage(
            f"{errors} error(s), {warnings} warning(s) in the content: "
            "run 'spine-atlas check' for details",
            15000,
        )
    return window, index_dir_for(library.root_dir, args.index_dir)


def run_app(args: argparse.Namespace) -> int:
    """Start the window and run the event loop."""
    mark("imports")
    qInstallMessageHandler(_qt_message_handler)
    app = make_application()
    sys.excepthook = _excepthook
    if getattr(args, "self_test", False):
        return _run_self_test(args)
    defer_until_painted()  # screen-reader wiring after the first paint, unless one is running
    window, index_dir = build_window(args)
    app.aboutToQuit.connect(window.save_snapshot)
    window.show()
    mark("window")
    window.open_initial_article()
    mark("article")

    # Open the index only once the article is on screen: the worker's Python (importing Whoosh,
    # reading the index) would otherwise compete with the first paint for the GIL.
    def after_first_paint() -> None:
        install_waiting()
        start_index(window, window.library, index_dir)
        follow_folder(window)

    deferred = FirstPaint(window.article_view.viewport(), after_first_paint)
    probe_mode = os.environ.get("SPINE_ATLAS_STARTUP_PROBE")
    probe = None
    if probe_mode:  # bench/startup.py: report the first paint (and memory), then quit
        from desktop_app.ui.selftest import install_startup_probe

        probe = install_startup_probe(window, probe_mode)
    code = app.exec()
    # A worker still running (the index, a search) must not outlive the window it reports to.
    from desktop_app.ui.folders import WINDOWS  # windows opened for other folders

    for each in (window, *WINDOWS):
        if each.index_build is not None:
            each.index_build.cancel()
        each.search.wait()
    QThreadPool.globalInstance().waitForDone()
    del deferred, probe
    return code


class FirstPaint(QObject):
    """Calls ``callback`` once: just after ``widget`` first paints, or after ``fallback_ms``."""

    def __init__(
        self, widget: QWidget, callback: Callable[[], object], fallback_ms: int = 1000
    ) -> None:
        super().__init__(widget)
        self._widget = widget
        self._callback: Callable[[], object] | None = callback
        widget.installEventFilter(self)
        QTimer.singleShot(fallback_ms, self, self._fire)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """On the first paint, run the callback once the event loop comes round again."""
        if event.type() == QEvent.Type.Paint and self._callback is not None:
            QTimer.singleShot(0, self, self._fire)
        return False

    def _fire(self) -> None:
        callback, self._callback = self._callback, None
        if callback is not None:
            self._widget.removeEventFilter(self)  # no Python call on every later paint
            callback()


def _run_self_test(args: argparse.Namespace) -> int:
    """Run ``--self-test`` with throw-away settings, so the user's own are never touched."""
    import tempfile

    from desktop_app.ui.selftest import run_self_test

    with tempfile.TemporaryDirectory(prefix="spine-atlas-self-test-") as config:
        window, index_dir = build_window(args, Path(config))
        window.show()
        window.open_initial_article()
        start_index(window, window.library, index_dir)
        follow_folder(window)
        code = run_self_test(window)
        window.search.wait()
        QThreadPool.globalInstance().waitForDone()
        window.close()
        return code
