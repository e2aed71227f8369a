"""Run core callables off the UI thread and report back through signals."""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Signal

from desktop_app.errors import AppError

log = logging.getLogger(__name__)


class WorkerSignals(QObject):
    """Signals: progress(done, total), partial(result so far), finished(result), failed(message)."""

    progress = Signal(int, int)
    partial = Signal(object)
    finished = Signal(object)
    failed = Signal(str)


class Worker(QRunnable):
    """Calls ``fn(progress_callback)`` on a pool thread; never touches widgets."""

    def __init__(self, fn: Callable[[Callable[[int, int], None]], Any]) -> None:
        super().__init__()
        self.fn = fn
        self.signals = WorkerSignals()

    def run(self) -> None:
        """Run the callable and emit its result or failure."""
        try:
            result = self.fn(self.signals.progress.emit)
        except AppError as exc:  # an expected failure: its message says it all
            log.info("background task stopped: %s", exc)
            self.signals.failed.emit(str(exc))
            return
        except Exception as exc:
            log.error("background task failed:\n%s", traceback.format_exc())
            self.signals.failed.emit(str(exc) or type(exc).__name__)
            return
        self.signals.finished.emit(result)
