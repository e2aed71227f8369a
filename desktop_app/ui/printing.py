"""Printing: one painter for print, preview and PDF, with a running header and footer.

``print_document`` lays the document out at screen resolution on the printer's page, then paints
each page with the title at the top and "page x of y", the app name and the content edition at the
bottom. The print dialog, the preview, PDF export and the CLI ``export`` all go through it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QMarginsF, QRectF, QSizeF, Qt, QUrl
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QFont,
    QPageLayout,
    QPageSize,
    QPainter,
    QPen,
    QTextCursor,
    QTextDocument,
    QTextFormat,
)
from PySide6.QtPrintSupport import QPrinter

from desktop_app.core.booklet import PAGE_PLACEHOLDER, PrintJob, anchor_for, job_for
from desktop_app.core.library import Library
from desktop_app.errors import ExportError

log = logging.getLogger(__name__)
SCREEN_DPI = 96.0
HEADER_PX = 22.0
FOOTER_PX = 22.0
PAGE_PADDING_PX = 10.0
MARGIN_MM = 16.0
PRINT_IMAGE_SCALE = 3.0
APP_NAME = "Spine Atlas"


class PrintDocument(QTextDocument):
    """A QTextDocument that loads images from the content folder only."""

    def __init__(self, content_root: Path, parent: Any = None) -> None:
        super().__init__(parent)
        self.content_root = content_root.resolve()

    def loadResource(self, kind: int, url: QUrl | str) -> Any:
        """Serve ``atlas-res:`` images; refuse everything else."""
        from desktop_app.ui.article_view import content_image

        return content_image(self.content_root, kind, url, PRINT_IMAGE_SCALE)


@dataclass(frozen=True)
class Layout:
    """A document laid out for a printer's page."""

    document: QTextDocument
    body: QSizeF
    scale: float
    pages: int


def default_page_size() -> QPageSize.PageSizeId:
    """Letter where the locale measures in US units, else A4."""
    from PySide6.QtCore import QLocale

    if QLocale().measurementSystem() == QLocale.MeasurementSystem.ImperialUSSystem:
        return QPageSize.PageSizeId.Letter
    return QPageSize.PageSizeId.A4


def make_pdf_printer(path: Path, page_size: str | None = None) -> QPrinter:
    """Return a high-resolution PDF printer writing to ``path``."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    size = {"A4": QPageSize.PageSizeId.A4, "Letter": QPageSize.PageSizeId.Letter}.get(
        page_size or "", default_page_size()
    )
    printer.setPageSize(QPageSize(size))
    printer.setPageMargins(
        QMarginsF(MARGIN_MM, MARGIN_MM, MARGIN_MM, MARGIN_MM), QPageLayout.Unit.Millimeter
    )
    return printer


def layout_for(job: PrintJob, content_root: Path, printer: QPrinter) -> Layout:
    """Lay out a job on the printer's page; fill in the contents page numbers of a booklet."""
    page = printer.pageRect(QPrinter.Unit.DevicePixel)
    scale = printer.resolution() / SCREEN_DPI
    body = QSizeF(page.width() / scale, page.height() / scale - HEADER_PX - FOOTER_PX)
    html = job.html
    placeholder = {slug: PAGE_PLACEHOLDER % slug for slug in job.slugs}
    doc = _document(html.replace("{{page:", "{{page:"), content_root, body)
    if job.is_booklet:
        for _ in range(3):  # numbers can move pages only if the contents page grows
            pages = _anchor_pages(doc, body.height())
            filled = html
            for slug, marker in placeholder.items():
                filled = filled.replace(marker, str(pages.get(anchor_for(slug), "?")))
            doc = _document(filled, content_root, body)
            if _anchor_pages(doc, body.height()) == pages:
                break
    return Layout(doc, body, scale, doc.pageCount())


def _document(html: str, content_root: Path, body: QSizeF) -> QTextDocument:
    doc = PrintDocument(content_root)
    doc.setDefaultFont(QFont("DejaVu Serif", 10))
    doc.setHtml(html)
    # Top and bottom margins on every page keep each line's box (line-height > 100%) inside its
    # own page; without them the last line of a page reaches into the next page's clip and is
    # painted there too (invisible, but copied into the PDF's text).
    frame = doc.rootFrame().frameFormat()
    frame.setTopMargin(PAGE_PADDING_PX)
    frame.setBottomMargin(PAGE_PADDING_PX)
    doc.rootFrame().setFrameFormat(frame)
    doc.setPageSize(body)
    # Qt lays out lazily and incrementally: finish the layout before measuring blocks, and again
    # after moving some of them, before pages are counted.
    doc.documentLayout().blockBoundingRect(doc.lastBlock())
    _keep_paragraphs_whole(doc, body.height())
    doc.documentLayout().blockBoundingRect(doc.lastBlock())
    return doc


def _keep_paragraphs_whole(doc: QTextDocument, page_height: float) -> None:
    """Start a paragraph, callout or short table that would straddle a page on the next page.

    Qt paints every line of a block that touches a page, relying on the clip to hide the lines
    that belong to the neighbouring page; the PDF then still holds their text, which garbles
    copying and text extraction. Moving such blocks whole (as "keep together" would) avoids it.
    Anything taller than half a page is left to split.
    """
    layout = doc.documentLayout()
    always_before = QTextFormat.PageBreakFlag.PageBreak_AlwaysBefore
    it = doc.rootFrame().begin()
    while not it.atEnd():
        # WORKAROUND: only ask for currentFrame() when there is no block: PySide6 6.12 returns
        # None without a reference from it, which crashes the interpreter at exit.
        block = it.currentBlock()
        frame = None if block.isValid() else it.currentFrame()
        # Asking for a rect lays out everything before it, including earlier moves.
        rect = (
            layout.frameBoundingRect(frame)
            if frame is not None
            else (layout.blockBoundingRect(block))
        )
        straddles = int(rect.top() // page_height) != int((rect.bottom() - 1) // page_height)
        if straddles and rect.height() < page_height / 2:
            if frame is not None:
                frame_format = frame.frameFormat()
                frame_format.setPageBreakPolicy(always_before)
                frame.setFrameFormat(frame_format)
            else:
                block_format = block.blockFormat()
                block_format.setPageBreakPolicy(always_before)
                QTextCursor(block).setBlockFormat(block_format)
        it += 1


def _anchor_pages(doc: QTextDocument, page_height: float) -> dict[str, int]:
    """Return the 1-based page of every anchor in the document."""
    out: dict[str, int] = {}
    layout = doc.documentLayout()
    block = doc.begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            names = it.fragment().charFormat().anchorNames()
            if names:
                top = layout.blockBoundingRect(block).top()
                for name in names:
                    out.setdefault(name, int(top // page_height) + 1)
            it += 1
        block = block.next()
    return out


def print_document(layout: Layout, printer: QPrinter, title: str, edition: str = "") -> int:
    """Paint every page with header and footer; return the number of pages."""
    painter = QPainter()
    if not painter.begin(printer):
        raise ExportError("Cannot start printing", printer.outputFileName() or "printer")
    try:
        total = layout.pages
        width, height = layout.body.width(), layout.body.height()
        small = QFont("DejaVu Sans")
        small.setPixelSize(10)
        footer_left = f"{APP_NAME} · content edition {edition}" if edition else APP_NAME
        for number in range(total):
            if number:
                printer.newPage()
            painter.save()
            painter.scale(layout.scale, layout.scale)
            painter.setFont(small)
            painter.setPen(QPen(Qt.GlobalColor.black, 0.5))
            painter.drawText(
                QRectF(0, 0, width, HEADER_PX - 10),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom,
                title,
            )
            painter.drawLine(0, int(HEADER_PX - 6), int(width), int(HEADER_PX - 6))
            foot_top = HEADER_PX + height + 6
            painter.drawLine(0, int(foot_top), int(width), int(foot_top))
            footer = QRectF(0, foot_top + 2, width, FOOTER_PX - 8)
            painter.drawText(
                footer, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop, footer_left
            )
            painter.drawText(
                footer,
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop,
                f"page {number + 1} of {total}",
            )
            painter.translate(0, HEADER_PX - number * height)
            # Half a pixel in from the page edges: a line ending exactly on the boundary belongs
            # to the previous page and must not be painted (even clipped) on this one.
            clip = QRectF(0, number * height + 0.5, width, height - 1)
            painter.setClipRect(clip)
            ctx = QAbstractTextDocumentLayout.PaintContext()
            ctx.clip = clip
            layout.document.documentLayout().draw(painter, ctx)
            painter.restore()
    finally:
        painter.end()
    return layout.pages


def print_job(library: Library, job: PrintJob, printer: QPrinter) -> int:
    """Lay out and print a job on any printer (dialog, preview or PDF)."""
    layout = layout_for(job, library.root_dir, printer)
    return print_document(layout, printer, job.title, library.manifest.edition)


def export_pdf(library: Library, target: str, path: Path, page_size: str | None = None) -> int:
    """Export an article or topic to PDF; return the page count. Raises ExportError."""
    job = job_for(library, target)
    path = Path(path)
    if not path.parent.is_dir():
        raise ExportError("Folder does not exist", str(path.parent))
    tmp = path.with_name(f".{path.name}.part")
    printer = make_pdf_printer(tmp, page_size)
    try:
        pages = print_job(library, job, printer)
        del printer  # flushes and closes the PDF
        tmp.replace(path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise ExportError("Cannot write PDF", f"{path}: {exc.strerror or exc}") from exc
    return pages


def export_pdf_cli(library: Library, target: str, path: Path, page_size: str | None) -> int:
    """CLI entry: make sure a QGuiApplication exists (offscreen when there is no display)."""
    import os

    from PySide6.QtGui import QGuiApplication

    if QGuiApplication.instance() is None:
        if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
            os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        app = QGuiApplication(["spine-atlas"])
        app.setApplicationName(APP_NAME)
    return export_pdf(library, target, path, page_size)


__all__ = ["export_pdf", "layout_for", "print_document", "print_job"]
