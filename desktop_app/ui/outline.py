"""'On this page': the open article's headings, following the scroll, jumping on click."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
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
        self._anchors: list[str] = []
        self.itemActivated.connect(self._on_item_activated)
        self.itemClicked.connect(self._on_item_activated)
        view.verticalScrollBar().valueChanged.connect(self._on_scrolled)

    def set_entries(self, entries: tuple[TocEntry, ...]) -> None:
        """Show the headings of a new article."""
        self.clear()
        self._anchors = []
        for entry in entries:
            item = QListWidgetItem(("    " if entry.level > 2 else "") + entry.title)
            item.setData(Qt.ItemDataRole.UserRole, entry.anchor)
            self.addItem(item)
            self._anchors.append(entry.anchor)
        self._on_scrolled(self.view.verticalScrollBar().value())

    def _on_item_activated(self, item: QListWidgetItem) -> None:
        anchor = item.data(Qt.ItemDataRole.UserRole)
        self.view.scrollToAnchor(anchor)
        self.anchor_requested.emit(anchor)

    def current_anchor(self) -> str:
        """Return the anchor of the heading at the top of the view ('' above the first)."""
        return self._section_at(self.view.verticalScrollBar().value())

    def _section_at(self, top: int) -> str:
        layout = self.view.document().documentLayout()
        current = ""
        block = self.view.document().begin()
        positions: dict[str, float] = {}
        while block.isValid():
            fragment_it = block.begin()
            while not fragment_it.atEnd():
                for name in fragment_it.fragment().charFormat().anchorNames():
                    positions.setdefault(name, layout.blockBoundingRect(block).top())
                fragment_it += 1
            block = block.next()
        for anchor in self._anchors:
            y = positions.get(anchor)
            if y is not None and y <= top + 40:
                current = anchor
        return current

    def _on_scrolled(self, value: int) -> None:
        anchor = self._section_at(value)
        self.blockSignals(True)
        self.clearSelection()
        if anchor in self._anchors:
            self.setCurrentRow(self._anchors.index(anchor))
        self.blockSignals(False)
