"""A layout that adapts to the window's width: the article keeps priority.

Below ``OUTLINE_FOLD`` px the outline dock folds into an "On this page" toolbar menu; below
``TREE_FOLD`` px the topics and search panel collapse behind a "Topics" toggle. Widening the
window brings them back (unless the user had closed the outline).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QEvent, QObject, Qt
from PySide6.QtGui import QAction, QTextOption
from PySide6.QtWidgets import QMenu, QToolButton

if TYPE_CHECKING:
    from desktop_app.ui.main_window import MainWindow

OUTLINE_FOLD = 1000
TREE_FOLD = 800


class AdaptiveLayout(QObject):
    """Watches the window's resizes and folds the side panes."""

    WIDE = 100_000  # a width at which nothing is folded

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.outline_folded = False
        self.tree_folded = False
        self._outline_wanted = True
        self._split: QByteArray | None = None
        # Wrap only between words: a narrow pane scrolls sideways rather than split a word.
        window.article_view.setWordWrapMode(QTextOption.WrapMode.WordWrap)

        self.outline_menu = QMenu("On this page", window)
        self.outline_menu.aboutToShow.connect(self._fill_outline_menu)
        self.outline_button = QToolButton()
        self.outline_button.setText("On this page")
        self.outline_button.setToolTip("Headings of this article")
        self.outline_button.setMenu(self.outline_menu)
        self.outline_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.topics_action = QAction("Topics", window)
        self.topics_action.setCheckable(True)
        self.topics_action.setToolTip("Show the topics and search (Ctrl+K searches)")
        self.topics_action.toggled.connect(self._on_topics_toggled)
        window.toolbar.addSeparator()
        self.outline_button_action = window.toolbar.addWidget(self.outline_button)
        window.toolbar.addAction(self.topics_action)
        self.outline_button_action.setVisible(False)
        self.topics_action.setVisible(False)
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Re-fit the panes when the window is resized."""
        if watched is self.window and event.type() == QEvent.Type.Resize:
            self.fit(self.window.width())
        return False

    def fit(self, width: int) -> None:
        """Fold or unfold the outline and the tree for a window ``width`` px wide."""
        dock = self.window.outline_dock
        fold_outline = width < OUTLINE_FOLD
        if fold_outline != self.outline_folded:
            if fold_outline:
                self._outline_wanted = dock.isVisible()
                dock.hide()
            elif self._outline_wanted:
                dock.show()
            self.outline_folded = fold_outline
            self.outline_button_action.setVisible(fold_outline)
        style = Qt.ToolButtonStyle
        narrow = style.ToolButtonIconOnly if fold_outline else style.ToolButtonTextBesideIcon
        self.window.toolbar.setToolButtonStyle(narrow)  # text beside the icons where it fits
        fold_tree = width < TREE_FOLD
        if fold_tree != self.tree_folded:
            splitter = self.window.splitter
            if fold_tree:
                self._split = splitter.saveState()  # the user's split, back when unfolded
            self.tree_folded = fold_tree
            self.topics_action.setVisible(fold_tree)
            self.topics_action.setChecked(not fold_tree)
            self.window.panel.setVisible(not fold_tree)
            if not fold_tree and self._split is not None:
                splitter.restoreState(self._split)

    def _on_topics_toggled(self, shown: bool) -> None:
        if self.tree_folded:
            self.window.panel.setVisible(shown)

    def _fill_outline_menu(self) -> None:
        self.outline_menu.clear()
        outline = self.window.outline
        for row in range(outline.count()):
            item = outline.item(row)
            anchor = item.data(Qt.ItemDataRole.UserRole)
            action = self.outline_menu.addAction(item.text().strip())
            action.triggered.connect(
                lambda *_, a=anchor: self.window.article_view.scrollToAnchor(a)
            )
        if not outline.count():
            self.outline_menu.addAction("No headings").setEnabled(False)
