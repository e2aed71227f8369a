"""Composition root: the QApplication, logging, the excepthook, and wiring core to widgets."""

from __future__ import annotations

import argparse
import logging
import sys
import traceback
from pathlib import Path
from types import TracebackType
from typing import Any

from PySide6.QtCore import QThreadPool, QtMsgType, qInstallMessageHandler
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from desktop_app import paths
from desktop_app.core.library import Library, load_library
from desktop_app.diagnostics import count
from desktop_app.ui.main_window import MainWindow
from desktop_app.ui.settings import Settings
from desktop_app.ui.workers import Worker

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
    icon = paths.resources_dir() / "icons" / "spine-atlas.svg"
    if icon.is_file():
        app.setWindowIcon(QIcon(str(icon)))
    return app


def start_index(window: MainWindow, library: Library, index_dir: Path) -> Worker:
    """Open or build the search index on a pool thread; hand it to the window when ready."""
    from desktop_app.core.search import SearchIndex

    def job(progress: Any) -> SearchIndex:
        from desktop_app.cli import seed_for

        return SearchIndex.open_or_build(
            library, index_dir, progress, seed=seed_for(library.root_dir)
        )

    worker = Worker(job)
    worker.signals.progress.connect(window.show_index_progress)

    def ready(index: SearchIndex) -> None:
        window.search.set_index(index)
        message = index.note or f"Search ready: {index.doc_count} articles indexed"
        window.index_ready(message)

    worker.signals.finished.connect(ready)
    worker.signals.failed.connect(lambda msg: window.index_ready(f"Search unavailable: {msg}"))
    window.index_worker = worker  # keep the worker (and its signals) alive until it reports
    QThreadPool.globalInstance().start(worker)
    return worker


def build_window(args: argparse.Namespace) -> tuple[MainWindow, Path]:
    """Load the content and build the main window (not shown yet)."""
    from desktop_app.cli import content_root, index_dir_for

    library = load_library(content_root(args))
    settings = Settings(paths.config_dir() / "settings.ini")
    window = MainWindow(library, settings)
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
    qInstallMessageHandler(_qt_message_handler)
    app = make_application()
    sys.excepthook = _excepthook
    window, index_dir = build_window(args)
    window.show()
    window.open_initial_article()
    start_index(window, window.library, index_dir)
    if getattr(args, "self_test", False):
        from desktop_app.ui.selftest import run_self_test

        return run_self_test(window)
    return app.exec()
