"""Search results as a list model, and a delegate that paints title, topic and snippet."""

from __future__ import annotations

import html
import re
from enum import IntEnum
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, QRectF, QSize, Qt
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QStyledItemDelegate

if TYPE_CHECKING:
    from PySide6.QtGui import QPainter
    from PySide6.QtWidgets import QStyleOptionViewItem

    from desktop_app.core.search import Hit, SearchResults


Index = QModelIndex | QPersistentModelIndex
_TAGS = re.compile(r"<[^>]+>")


def _plain(rich: str) -> str:
    """Return a snippet's words without its <b> marks."""
    return html.unescape(_TAGS.sub("", rich)).strip()


class Role(IntEnum):
    """Item data roles."""

    SLUG = Qt.ItemDataRole.UserRole + 1
    TOPIC = Qt.ItemDataRole.UserRole + 2
    SNIPPET = Qt.ItemDataRole.UserRole + 3
    SECTION = Qt.ItemDataRole.UserRole + 4
    ANCHOR = Qt.ItemDataRole.UserRole + 5
    NOTE_ID = Qt.ItemDataRole.UserRole + 6  # set on the reader's own notes, listed first


class SearchResultsModel(QAbstractListModel):
    """The hits of the latest query."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._hits: tuple[Hit, ...] = ()
        self.notes: tuple[Hit, ...] = ()
        self.results: SearchResults | None = None

    def set_results(self, results: SearchResults | None, notes: tuple[Hit, ...] = ()) -> None:
        """Replace the hits; the reader's matching notes (``notes``) come first."""
        self.beginResetModel()
        self.results = results
        self.notes = notes if results else ()
        self._hits = self.notes + (results.hits if results else ())
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        """Return the number of hits."""
        return 0 if parent.isValid() else len(self._hits)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Return a hit's title, slug, topic or snippet."""
        if not index.isValid() or not 0 <= index.row() < len(self._hits):
            return None
        hit = self._hits[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return hit.title
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{hit.title} › {hit.section}" if hit.section else hit.title
        if role == Role.NOTE_ID:
            return hit.anchor.removeprefix("note:") if hit.anchor.startswith("note:") else None
        if role == Role.SECTION:
            return hit.section
        if role == Role.ANCHOR:
            return hit.anchor
        if role == Role.SLUG:
            return hit.slug
        if role == Role.TOPIC:
            return hit.topic
        if role == Role.SNIPPET:
            return hit.snippet
        if role == Qt.ItemDataRole.ToolTipRole:
            where = f" › {hit.section}" if hit.section else ""
            return f"{hit.title}{where}\n{hit.topic}"
        if role == Qt.ItemDataRole.AccessibleDescriptionRole:  # what a screen reader adds
            return f"{hit.topic}. {_plain(hit.snippet)}" if hit.snippet else hit.topic
        return None


class ResultDelegate(QStyledItemDelegate):
    """Paints a hit as rich text: bold title, grey topic path, snippet with highlighted words."""

    WIDTH_FALLBACK = 320

    def _document(self, option: QStyleOptionViewItem, index: Index) -> QTextDocument:
        doc = QTextDocument()
        doc.setDocumentMargin(6)
        doc.setDefaultFont(option.font)
        title = (
            str(index.data(Qt.ItemDataRole.DisplayRole) or "")
            .replace("&", "&amp;")
            .replace("<", "&lt;")
        )
        section = str(index.data(Role.SECTION) or "").replace("&", "&amp;").replace("<", "&lt;")
        if section:
            title += f" › {section}"
        topic = str(index.data(Role.TOPIC) or "").replace("&", "&amp;").replace("<", "&lt;")
        snippet = str(index.data(Role.SNIPPET) or "")
        palette = option.palette
        muted = palette.color(palette.ColorRole.PlaceholderText).name()
        doc.setHtml(
            f"<div><b>{title}</b><br><span style='color:{muted}; font-size:small'>{topic}</span>"
            f"<br><span style='font-size:small'>{snippet}</span></div>"
        )
        width = option.rect.width() or self.WIDTH_FALLBACK
        doc.setTextWidth(width)
        return doc

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        """Paint the selection background, then the rich text."""
        # Imported on the first paint of a result, not with the window: creating the QStyle
        # and QPalette Python types costs ~10 ms of start-up (PySide6 builds their enums).
        from PySide6.QtGui import QAbstractTextDocumentLayout, QPalette
        from PySide6.QtWidgets import QStyle, QStyleOptionViewItem

        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        style = opt.widget.style() if opt.widget else None
        opt.text = ""
        if style:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        doc = self._document(option, index)
        ctx = QAbstractTextDocumentLayout.PaintContext()
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        ctx.palette.setColor(QPalette.ColorRole.Text, opt.palette.color(role))
        painter.save()
        rect = option.rect
        painter.translate(rect.topLeft())
        painter.setClipRect(QRectF(0, 0, rect.width(), rect.height()))
        doc.documentLayout().draw(painter, ctx)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        """Return the height the rich text needs."""
        doc = self._document(option, index)
        return QSize(int(doc.idealWidth()), int(doc.size().height()) + 2)
