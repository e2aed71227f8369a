"""'On this page': the open article's headings, following the scroll, jumping on click."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QTextBrowser, QWidget

from desktop_app.core.render import TocEntry


class OutlineView(QListWidget):
    """The headings of the article in a QTextBrowser.

    Signals:
        anchor_requested(anchor): a heading was chosen.
    """

    anchor_requested = Signal(str)

    def __init__(self, view: QTextBrowser, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.view = view
        self.setAccessibleName("On this page")
        self.setToolTip("Headings of this article; click to jump")
        # Long headings wrap within the dock instead of needing a horizontal scroll bar.
        self.setWordWrap(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._anchors: list[str] = []
        self._positions: dict[str, float] | None = None  # heading tops, until the layout changes
        self.itemActivated.connect(self._on_item_activated)
        self.itemClicked.connect(self._on_item_activated)
        view.verticalScrollBar().valueChanged.connect(self._on_scrolled)
        view.document().documentLayout().documentSizeChanged.connect(self._forget_positions)

    def set_entries(self, entries: tuple[TocEntry, ...]) -> None:
        """Show the headings of a new article."""
        self.clear()
        self._anchors = []
        for entry in entries:
            item = QListWidgetItem(("    " if entry.level > 2 else "") + entry.title)
            item.setData(Qt.ItemDataRole.UserRole, entry.anchor)
            self.addItem(item)
            self._anchors.append(entry.anchor)
        self._positions = None
        # Mark the current heading once the event loop comes round: measuring headings now
        # would lay out the whole article before its first paint.
        QTimer.singleShot(0, self, self._follow_scroll)

    def _on_item_activated(self, item: QListWidgetItem) -> None:
        anchor = item.data(Qt.ItemDataRole.UserRole)
        self.view.scrollToAnchor(anchor)
        self.anchor_requested.emit(anchor)

    def current_anchor(self) -> str:
        """Return the anchor of the heading at the top of the view ('' above the first)."""
        return self._section_at(self.view.verticalScrollBar().value())

    def _forget_positions(self) -> None:
        self._positions = None

    def _heading_positions(self) -> dict[str, float]:
        """Return the top of every anchor in the document (measured once per layout)."""
        if self._positions is not None:
            return self._positions
        layout = self.view.document().documentLayout()
        block = self.view.document().begin()
        positions: dict[str, float] = {}
        while block.isValid():
            fragment_it = block.begin()
            while not fragment_it.atEnd():
                for name in fragment_it.fragment().charFormat().anchorNames():
                    positions.setdefault(name, layout.blockBoundingRect(block).top())
                fragment_it += 1
            block = block.next()
        self._positions = positions
        return positions

    def _section_at(self, top: int) -> str:
        current = ""
        positions = self._heading_positions()
        for anchor in self._anchors:
            y = positions.get(anchor)
            if y is not None and y <= top + 40:
                current = anchor
        return current

    def _follow_scroll(self) -> None:
        self._on_scrolled(self.view.verticalScrollBar().value())

    def _on_scrolled(self, value: int) -> None:
        anchor = self._section_at(value)
        self.blockSignals(True)
        self.clearSelection()
        if anchor in self._anchors:
            self.setCurrentRow(self._anchors.index(anchor))
        self.blockSignals(False)
