"""Find in page: a bar under the article that highlights every match and steps through them."""

from __future__ import annotations

import re

from PySide6.QtCore import QRegularExpression, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut, QTextCursor
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QTextBrowser,
    QTextEdit,
    QToolButton,
    QWidget,
)

HIGHLIGHT = "#ffe680"
CURRENT = "#ff9f40"


class FindBar(QWidget):
    """Find bar for a QTextBrowser.

    Signals:
        closed(): the bar was closed (Esc or the close button).
        count_changed(text): the match count ("3 of 12", "No matches") changed.
    """

    closed = Signal()
    count_changed = Signal(str)

    def __init__(self, view: QTextBrowser, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.view = view
        self.matches: list[QTextCursor] = []
        self.current = -1
        self.pattern = ""
        self.field = QLineEdit()
        self.field.setPlaceholderText("Find in article")
        self.field.setAccessibleName("Find in article")
        self.field.setToolTip("Find in this article (Ctrl+F); Enter: next, Shift+Enter: previous")
        self.count = QLabel("")
        self.count.setAccessibleName("Matches")
        self.count.setMinimumWidth(90)
        self.previous_button = self._button("▲", "Previous match (Shift+F3)", self.find_previous)
        self.next_button = self._button("▼", "Next match (F3)", self.find_next)
        close = self._button("✕", "Close (Esc)", self.close_bar)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 2, 4, 2)
        for widget in (self.field, self.count, self.previous_button, self.next_button):
            layout.addWidget(widget)
        layout.addStretch(1)
        layout.addWidget(close)
        self.field.textChanged.connect(self._on_field_text_changed)
        self.field.returnPressed.connect(self.find_next)
        QShortcut(QKeySequence("Shift+Return"), self.field, self.find_previous)
        escape = QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self.close_bar)
        escape.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.hide()

    def _button(self, text: str, tip: str, slot: object) -> QToolButton:
        button = QToolButton()
        button.setText(text)
        button.setToolTip(tip)
        button.setAccessibleName(tip.split(" (")[0])
        button.clicked.connect(slot)
        return button

    def open_bar(self, text: str | None = None) -> None:
        """Show the bar with the cursor in its field."""
        self.show()
        if text is not None:
            self.field.setText(text)
        self.field.setFocus()
        self.field.selectAll()

    def close_bar(self) -> None:
        """Hide the bar and remove the highlights."""
        self.hide()
        self.matches = []
        self.current = -1
        self.view.setExtraSelections([])
        self.view.setFocus()
        self.closed.emit()

    def _on_field_text_changed(self, text: str) -> None:
        self.search(QRegularExpression.escape(text) if text else "")

    def search_words(self, words: list[str], start: int = 0) -> int:
        """Highlight every occurrence of any of ``words`` (whole-word prefixes); return count.

        The first match at or after ``start`` (a section's heading) is the current one.
        """
        alternatives = sorted({w for w in words if w.strip()}, key=len, reverse=True)
        pattern = "|".join(rf"\b{re.escape(w)}\w*" for w in alternatives)
        self.show()
        self.field.blockSignals(True)
        self.field.setText(" ".join(alternatives))
        self.field.blockSignals(False)
        return self.search(pattern, start)

    def keep(self) -> tuple[str, int] | None:
        """What is highlighted now (pattern, current match), to put back after a re-render."""
        return (self.pattern, self.current) if self.isVisible() and self.matches else None

    def restore(self, kept: tuple[str, int] | None) -> None:
        """Highlight again what ``keep`` returned (the article was shown again: theme, zoom)."""
        if kept is None:
            return
        self.show()
        self.search(kept[0])
        if self.matches:
            self.current = min(kept[1], len(self.matches) - 1)
            self._paint()

    def search(self, pattern: str, start: int = 0) -> int:
        """Find every match of a regular expression (case-insensitive); select the first."""
        self.matches = []
        self.current = -1
        self.pattern = pattern
        document = self.view.document()
        if pattern:
            regex = QRegularExpression(
                pattern, QRegularExpression.PatternOption.CaseInsensitiveOption
            )
            cursor = document.find(regex, 0)
            while not cursor.isNull() and len(self.matches) < 5000:
                if cursor.hasSelection():
                    self.matches.append(QTextCursor(cursor))
                else:
                    cursor.movePosition(QTextCursor.MoveOperation.NextCharacter)
                cursor = document.find(regex, cursor)
        if self.matches:
            after = [i for i, c in enumerate(self.matches) if c.selectionStart() >= start]
            self.current = after[0] if after else 0
        self._paint()
        return len(self.matches)

    def find_next(self) -> None:
        """Go to the next match (wrapping)."""
        if self.matches:
            self.current = (self.current + 1) % len(self.matches)
            self._paint()

    def find_previous(self) -> None:
        """Go to the previous match (wrapping)."""
        if self.matches:
            self.current = (self.current - 1) % len(self.matches)
            self._paint()

    def _paint(self) -> None:
        # Imported on the first find, not with the window (PySide6 builds their enums on import).
        from PySide6.QtGui import QColor, QTextCharFormat

        selections = []
        for number, cursor in enumerate(self.matches):
            selection = QTextEdit.ExtraSelection()
            fmt = QTextCharFormat()
            fmt.setBackground(QColor(CURRENT if number == self.current else HIGHLIGHT))
            fmt.setForeground(QColor("#000000"))
            selection.format = fmt
            selection.cursor = cursor
            selections.append(selection)
        self.view.setExtraSelections(selections)
        if self.matches:
            cursor = QTextCursor(self.matches[self.current])
            cursor.clearSelection()
            self.view.setTextCursor(cursor)
            self.view.ensureCursorVisible()
            self.count.setText(f"{self.current + 1} of {len(self.matches)}")
        else:
            self.count.setText("No matches" if self.field.text() else "")
        self.count_changed.emit(self.count.text())
