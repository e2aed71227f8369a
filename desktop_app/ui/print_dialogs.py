"""The print dialog, print preview and PDF export for an article or a topic."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox, QWidget

from desktop_app.core.content import Library
from desktop_app.core.render import PrintJob, job_for
from desktop_app.errors import AppError
from desktop_app.ui.printing import Decorate, default_page_size, export_pdf, print_job

log = logging.getLogger(__name__)


def _printer() -> QPrinter:
    from PySide6.QtGui import QPageSize

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setPageSize(QPageSize(default_page_size()))
    return printer


def _job(parent: QWidget, library: Library, target: str) -> PrintJob | None:
    try:
        return job_for(library, target)
    except (AppError, OSError) as exc:
        QMessageBox.warning(parent, "Cannot print", str(exc))
        return None


def print_with_dialog(
    parent: QWidget, library: Library, target: str, decorate: Decorate | None = None
) -> bool:
    """Show the system print dialog and print ``target`` (article or topic slug)."""
    job = _job(parent, library, target)
    if job is None:
        return False
    printer = _printer()
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle(f"Print “{job.title}”")
    if dialog.exec() != QPrintDialog.DialogCode.Accepted:
        return False
    _busy(lambda: print_job(library, job, printer, decorate))
    return True


def preview(
    parent: QWidget, library: Library, target: str, decorate: Decorate | None = None
) -> QPrintPreviewDialog | None:
    """Open the print preview (modal); return the dialog (for tests)."""
    job = _job(parent, library, target)
    if job is None:
        return None
    printer = _printer()
    dialog = QPrintPreviewDialog(printer, parent)
    dialog.printer_ref = printer  # type: ignore[attr-defined]  # the dialog does not own it
    dialog.setWindowTitle(f"Print preview — {job.title}")
    dialog.paintRequested.connect(lambda printer: print_job(library, job, printer, decorate))
    return dialog


def export_with_dialog(
    parent: QWidget, library: Library, target: str, decorate: Decorate | None = None
) -> Path | None:
    """Ask for a file name and export ``target`` to PDF."""
    job = _job(parent, library, target)
    if job is None:
        return None
    suggested = str(Path.home() / f"{target.replace('/', '-')}.pdf")
    name, _ = QFileDialog.getSaveFileName(parent, "Export to PDF", suggested, "PDF (*.pdf)")
    if not name:
        return None
    path = Path(name if name.lower().endswith(".pdf") else f"{name}.pdf")
    try:
        _busy(lambda: export_pdf(library, target, path, None, decorate))
    except (AppError, OSError) as exc:
        QMessageBox.warning(parent, "Export failed", str(exc))
        return None
    return path


def _busy(work: object) -> object:
    QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        return work()  # type: ignore[operator]
    finally:
        QApplication.restoreOverrideCursor()
