"""Printing: one painter for print, preview and PDF, with a running header and footer.

``print_document`` lays the document out at screen resolution on the printer's page, then paints
each page with the title at the top and "page x of y", the app name and the content edition at the
bottom. The print dialog, the preview, PDF export and the CLI ``export`` all go through it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
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
    QTextBlock,
    QTextCursor,
    QTextDocument,
    QTextFormat,
    QTextFrame,
)
from PySide6.QtPrintSupport import QPrinter

from desktop_app.core.content import Library
from desktop_app.core.render import PAGE_PLACEHOLDER, PrintJob, job_for
from desktop_app.errors import ExportError

log = logging.getLogger(__name__)
SCREEN_DPI = 96.0
HEADER_PX = 22.0
FOOTER_PX = 22.0
PAGE_PADDING_PX = 10.0
MARGIN_MM = 16.0
PRINT_IMAGE_SCALE = 3.0
APP_NAME = "Spine Atlas"
# Marks an article part before it is laid out (the reader's highlights and notes): (slug, doc).
Decorate = Callable[[str, QTextDocument], None]


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
    """A job laid out for a printer's page: one document per part, printed one after another."""

    documents: tuple[QTextDocument, ...]
    body: QSizeF
    scale: float
    pages: int

    @property
    def document(self) -> QTextDocument:
        """The first (for an article, the only) document."""
        return self.documents[0]


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


def layout_for(
    job: PrintJob, content_root: Path, printer: QPrinter, decorate: Decorate | None = None
) -> Layout:
    """Lay out a job on the printer's page; fill in the contents page numbers of a booklet.

    Each part (cover, contents, article) starts on a new page and is laid out on its own, so a
    booklet's page numbers are the sums of its parts' page counts: only the contents page is laid
    out again once they are known.
    """
    page = printer.pageRect(QPrinter.Unit.DevicePixel)
    scale = printer.resolution() / SCREEN_DPI
    body = QSizeF(page.width() / scale, page.height() / scale - HEADER_PX - FOOTER_PX)
    parts = job.parts or (job.html,)
    wide = {PAGE_PLACEHOLDER % slug: "000" for slug in job.slugs}
    first_article = 2 if job.is_booklet and len(parts) == len(job.slugs) + 2 else 0
    owners = dict(enumerate(job.slugs, first_article)) if decorate else {}
    documents = [
        _document(_fill(part, wide), content_root, body, _bind(decorate, owners.get(i)))
        for i, part in enumerate(parts)
    ]
    if job.is_booklet and len(documents) == len(job.slugs) + 2:
        for _ in range(3):  # the numbers can only move if the contents page count changes
            counts = [doc.pageCount() for doc in documents]
            first = 1 + sum(counts[:2])
            numbers = {}
            for slug, count in zip(job.slugs, counts[2:], strict=True):
                numbers[PAGE_PLACEHOLDER % slug] = str(first)
                first += count
            documents[1] = _document(_fill(parts[1], numbers), content_root, body)
            if documents[1].pageCount() == counts[1]:
                break
    pages = sum(doc.pageCount() for doc in documents)
    return Layout(tuple(documents), body, scale, pages)


def _bind(decorate: Decorate | None, slug: str | None) -> Callable[[QTextDocument], None] | None:
    if decorate is None or slug is None:
        return None
    return lambda doc: decorate(slug, doc)


def _fill(html: str, values: dict[str, str]) -> str:
    for marker, value in values.items():
        html = html.replace(marker, value)
    return html


def _document(
    html: str,
    content_root: Path,
    body: QSizeF,
    decorate: Callable[[QTextDocument], None] | None = None,
) -> QTextDocument:
    doc = PrintDocument(content_root)
    doc.setDefaultFont(QFont("DejaVu Serif", 10))
    doc.setHtml(html)
    if decorate is not None:
        decorate(doc)
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
    """Start a block that would straddle a page, or a heading that would end one, on the next page.

    Qt paints every line of a block that touches a page, relying on the clip to hide the lines
    that belong to the neighbouring page; the PDF then still holds their text, which garbles
    copying and text extraction. Moving such blocks whole (as "keep together" would) avoids it.
    Paragraphs taller than half a page, and tables, callouts and figures taller than a page, are
    left to split. A heading or a figure is kept with the first line of what follows it (the
    section's first paragraph, the figure's caption).
    """
    layout = doc.documentLayout()
    # Headings and figures just above the block in hand: when it moves, they move with it.
    chain: list[tuple[QTextBlock, float]] = []
    it = doc.rootFrame().begin()
    while not it.atEnd():
        # WORKAROUND: only ask for currentFrame() when there is no block: PySide6 6.12 returns
        # None without a reference from it, which crashes the interpreter at exit.
        block = it.currentBlock()
        frame = None if block.isValid() else it.currentFrame()
        # Asking for a rect lays out everything before it, including earlier moves.
        if frame is not None:
            rect = layout.frameBoundingRect(frame)
            limit, keep_with_next = page_height, False
        else:
            rect = layout.blockBoundingRect(block)
            figure = _is_figure(block)
            limit = page_height if figure else page_height / 2
            keep_with_next = figure or block.blockFormat().headingLevel() > 0
        page = int(rect.top() // page_height)
        end = _end_with_next(doc, block, rect.bottom()) if keep_with_next else rect.bottom()
        if int((end - 1) // page_height) != page and end - rect.top() < limit:
            lead = [b for b, top in chain if int(top // page_height) == page]
            if lead and not _at_page_top(layout.blockBoundingRect(lead[0]).top(), page_height):
                _break_before(lead[0])
            elif not _at_page_top(rect.top(), page_height):
                _break_before(frame if frame is not None else block)
        chain = [*chain, (block, rect.top())] if keep_with_next and frame is None else []
        it += 1


def _at_page_top(top: float, page_height: float) -> bool:
    return top - (top // page_height) * page_height <= 2 * PAGE_PADDING_PX


def _break_before(item: QTextBlock | QTextFrame) -> None:
    """Start a block or a frame (a table, a callout) on a new page."""
    always_before = QTextFormat.PageBreakFlag.PageBreak_AlwaysBefore
    if isinstance(item, QTextFrame):
        frame_format = item.frameFormat()
        frame_format.setPageBreakPolicy(always_before)
        item.setFrameFormat(frame_format)
    else:
        block_format = item.blockFormat()
        block_format.setPageBreakPolicy(always_before)
        QTextCursor(item).setBlockFormat(block_format)


def _is_figure(block: QTextBlock) -> bool:
    """True for a block that holds an image."""
    fragments = block.begin()
    while not fragments.atEnd():
        if fragments.fragment().charFormat().isImageFormat():
            return True
        fragments += 1
    return False


def _end_with_next(doc: QTextDocument, block: QTextBlock, bottom: float) -> float:
    """Return where the first line after ``block`` ends (``bottom`` if nothing follows)."""
    following = block.next()
    while following.isValid() and not following.text().strip():
        following = following.next()  # an empty block (a figure's wrapper) carries nothing
    if not following.isValid():
        return bottom
    rect = doc.documentLayout().blockBoundingRect(following)
    lines = following.layout()
    if lines.lineCount() == 0:
        return max(bottom, rect.bottom())
    first = lines.lineAt(0)
    return max(bottom, rect.top() + first.y() + first.height())


def print_document(layout: Layout, printer: QPrinter, title: str, edition: str = "") -> int:
    """Paint every page with header and footer; return the number of pages."""
    painter = QPainter()
    if not painter.begin(printer):
        raise ExportError("Cannot start printing", printer.outputFileName() or "printer")
    try:
        total = layout.pages
        footer_left = f"{APP_NAME} · content edition {edition}" if edition else APP_NAME
        number = 0
        for document in layout.documents:
            for page in range(document.pageCount()):
                if number:
                    printer.newPage()
                _paint_page(painter, layout, document, page, (number, total, title, footer_left))
                number += 1
    finally:
        painter.end()
    return layout.pages


def _paint_page(
    painter: QPainter,
    layout: Layout,
    document: QTextDocument,
    page: int,
    labels: tuple[int, int, str, str],
) -> None:
    """Paint one page of ``document`` with the running header and the footer."""
    number, total, title, footer_left = labels
    width, height = layout.body.width(), layout.body.height()
    small = QFont("DejaVu Sans")
    small.setPixelSize(10)
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
    painter.drawText(footer, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop, footer_left)
    painter.drawText(
        footer,
        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop,
        f"page {number + 1} of {total}",
    )
    painter.translate(0, HEADER_PX - page * height)
    # Half a pixel in from the page edges: a line ending exactly on the boundary belongs to the
    # previous page and must not be painted (even clipped) on this one.
    clip = QRectF(0, page * height + 0.5, width, height - 1)
    painter.setClipRect(clip)
    ctx = QAbstractTextDocumentLayout.PaintContext()
    ctx.clip = clip
    document.documentLayout().draw(painter, ctx)
    painter.restore()


def print_job(
    library: Library, job: PrintJob, printer: QPrinter, decorate: Decorate | None = None
) -> int:
    """Lay out and print a job on any printer (dialog, preview or PDF)."""
    layout = layout_for(job, library.root_dir, printer, decorate)
    return print_document(layout, printer, job.title, library.manifest.edition)


def export_pdf(
    library: Library,
    target: str,
    path: Path,
    page_size: str | None = None,
    decorate: Decorate | None = None,
) -> int:
    """Export an article or topic to PDF; return the page count. Raises ExportError."""
    job = job_for(library, target)
    path = Path(path)
    if not path.parent.is_dir():
        raise ExportError("Folder does not exist", str(path.parent))
    tmp = path.with_name(f".{path.name}.part")
    printer = make_pdf_printer(tmp, page_size)
    try:
        pages = print_job(library, job, printer, decorate)
        del printer  # flushes and closes the PDF
        tmp.replace(path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise ExportError("Cannot write PDF", f"{path}: {exc.strerror or exc}") from exc
    return pages


def export_pdf_cli(
    library: Library,
    target: str,
    path: Path,
    page_size: str | None,
    decorate: Decorate | None = None,
) -> int:
    """CLI entry: make sure a QGuiApplication exists (offscreen when there is no display)."""
    import os

    from PySide6.QtGui import QGuiApplication

    if QGuiApplication.instance() is None:
        if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
            os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        app = QGuiApplication(["spine-atlas"])
        app.setApplicationName(APP_NAME)
    return export_pdf(library, target, path, page_size, decorate)


__all__ = ["export_pdf", "layout_for", "print_document", "print_job"]
