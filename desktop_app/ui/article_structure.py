# ruff: noqa: D102  (the methods are Qt's QAccessible*Interface overrides, documented there)
"""The article's structure for screen readers: headings and links as accessible objects.

Qt exposes a QTextBrowser as one block of text (AT-SPI Text interface, caret, lines) but not
its headings or links. This module gives the pane's viewport an accessible whose children are
the article's headings (role heading, with their level) and links (role link, with a "jump"
action that follows the link), in reading order, each with its place on screen. A screen
reader lists or walks them as it does a browser's document.

The children are read again when the document changes. Qt's accessibility cache keeps every
interface it has handed out, and deleting a Python-made interface through it corrupts a
reference count in PySide6 6.12 (one per interface; the process aborts after a few hundred).
So the children are slots that are never deleted: a new article refills them, and slots beyond
its count report themselves invisible. The pool is as large as the largest article read.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QPoint, QRect, QUrl
from PySide6.QtGui import (
    QAccessible,
    QAccessibleActionInterface,
    QAccessibleAttributesInterface,
    QAccessibleInterface,
    QTextDocument,
    QWindow,
)
from PySide6.QtWidgets import QAccessibleWidget, QTextBrowser, QWidget

_Role = QAccessible.Role


@dataclass(frozen=True, slots=True)
class Node:
    """A heading or a link of the document: where it is and what it says."""

    role: QAccessible.Role
    text: str
    start: int
    end: int
    level: int = 0
    href: str = ""


def document_nodes(document: QTextDocument) -> list[Node]:
    """Return the document's headings and links in reading order."""
    nodes: list[Node] = []
    block = document.begin()
    while block.isValid():
        level = block.blockFormat().headingLevel()
        text = block.text().strip()
        if level and text:
            nodes.append(
                Node(
                    _Role.Heading, text, block.position(), block.position() + block.length(), level
                )
            )
        else:
            link: Node | None = None
            it = block.begin()
            while not it.atEnd():
                fragment = it.fragment()
                fmt = fragment.charFormat()
                href = fmt.anchorHref() if fmt.isAnchor() else ""
                start, end = fragment.position(), fragment.position() + fragment.length()
                if href and link is not None and link.href == href and link.end == start:
                    link = Node(_Role.Link, link.text + fragment.text(), link.start, end, 0, href)
                else:
                    if link is not None:
                        nodes.append(link)
                    link = Node(_Role.Link, fragment.text(), start, end, 0, href) if href else None
                it += 1
            if link is not None:
                nodes.append(link)
        block = block.next()
    return [n for n in nodes if n.text.strip()]


class NodeAccessible(
    QAccessibleInterface, QAccessibleActionInterface, QAccessibleAttributesInterface
):
    """One heading or link, a child of the viewport's accessible."""

    def __init__(self, parent: ViewportAccessible, node: Node) -> None:
        QAccessibleInterface.__init__(self)
        QAccessibleActionInterface.__init__(self)
        QAccessibleAttributesInterface.__init__(self)
        self._parent = parent
        self.node = node
        self._pointers = shiboken6.getCppPointer(self)

    # QAccessibleInterface
    def isValid(self) -> bool:
        return shiboken6.isValid(self._parent.view)

    def object(self) -> QObject | None:  # type: ignore[override]
        return None

    def window(self) -> QWindow | None:  # type: ignore[override]
        return self._parent.window()

    def relations(self, _match: Any = None) -> list[Any]:
        return []

    def focusChild(self) -> QAccessibleInterface | None:  # type: ignore[override]
        return None

    def childAt(self, _x: int, _y: int) -> QAccessibleInterface | None:  # type: ignore[override]
        return None

    def parent(self) -> QAccessibleInterface:
        return self._parent

    def child(self, _index: int) -> QAccessibleInterface | None:  # type: ignore[override]
        return None

    def childCount(self) -> int:
        return 0

    def indexOfChild(self, _child: QAccessibleInterface) -> int:
        return -1

    def text(self, kind: QAccessible.Text) -> str:
        node = self.node
        citation = node.href.startswith("#ref-")
        if kind == QAccessible.Text.Name:
            return f"Reference {node.text}" if citation else node.text
        if kind == QAccessible.Text.Description:
            if node.role == _Role.Heading:
                return f"Heading level {node.level}"
            if citation:
                return "Link to the reference list"
            return "Link to " + self._parent.link_label(node.href)
        if kind == QAccessible.Text.Value and node.role == _Role.Link:
            return node.href
        return ""

    def setText(self, _kind: QAccessible.Text, _text: str) -> None:
        return None

    def rect(self) -> QRect:
        return self._parent.node_rect(self.node)

    def role(self) -> QAccessible.Role:
        return self.node.role

    def state(self) -> QAccessible.State:
        state = QAccessible.State()
        state.focusable = self.node.role == _Role.Link
        rect = self.rect()
        state.invisible = rect.isEmpty()
        state.offscreen = not self._parent.visible_rect().intersects(rect)
        state.linked = self.node.role == _Role.Link
        if not self._parent.is_current(self):  # a slot left over from a longer article
            state.invisible = True
            state.offscreen = True
        return state

    def interface_cast(self, kind: QAccessible.InterfaceType) -> Any:
        # Shiboken keeps one C++ object per wrapped base class; hand Qt the matching one.
        pointers = self._pointers
        if kind == QAccessible.InterfaceType.ActionInterface and self.node.role == _Role.Link:
            return shiboken6.VoidPtr(pointers[1])
        if kind == QAccessible.InterfaceType.AttributesInterface:
            return shiboken6.VoidPtr(pointers[2])
        return shiboken6.VoidPtr(0)

    # QAccessibleActionInterface
    def actionNames(self) -> list[str]:
        if self.node.role == _Role.Link:
            return [QAccessibleActionInterface.pressAction()]
        return []

    def doAction(self, name: str) -> None:
        if name == QAccessibleActionInterface.pressAction() and self.node.role == _Role.Link:
            self._parent.follow(self.node)

    def keyBindingsForAction(self, _name: str) -> list[str]:
        return ["Return"] if self.node.role == _Role.Link else []

    # QAccessibleAttributesInterface
    def attributeKeys(self) -> list[QAccessible.Attribute]:
        return [QAccessible.Attribute.Level] if self.node.role == _Role.Heading else []

    def attributeValue(self, key: QAccessible.Attribute) -> Any:
        if key == QAccessible.Attribute.Level and self.node.role == _Role.Heading:
            return self.node.level
        return None


class ViewportAccessible(QAccessibleWidget):
    """The article's viewport, whose children are the headings and links."""

    def __init__(self, viewport: QWidget, view: QTextBrowser) -> None:
        super().__init__(viewport, _Role.Document, "Article structure")
        self.view = view
        self._pool: list[NodeAccessible] = []  # slots, never deleted (see the module's note)
        self._count = 0
        self._stale = True
        self._document: QTextDocument | None = None
        self.follow_link: Callable[[QUrl], None] = lambda url: view.anchorClicked.emit(url)
        self.link_label: Callable[[str], str] = lambda href: href

    def _nodes(self) -> list[NodeAccessible]:
        document = self.view.document()
        if document is not self._document:
            self._document = document
            document.contentsChanged.connect(self.reset)
            self._stale = True
        if self._stale:
            self._stale = False
            nodes = document_nodes(document)
            while len(self._pool) < len(nodes):
                self._pool.append(NodeAccessible(self, nodes[len(self._pool)]))
            for slot, node in zip(self._pool, nodes, strict=False):
                slot.node = node
            self._count = len(nodes)
        return self._pool[: self._count]

    def reset(self) -> None:
        """The document changed: read its headings and links again when next asked."""
        self._stale = True

    def is_current(self, slot: NodeAccessible) -> bool:
        """Return whether a slot holds a node of the current document."""
        self._nodes()
        return any(slot is s for s in self._pool[: self._count])

    def childCount(self) -> int:
        return len(self._nodes())

    def child(self, index: int) -> QAccessibleInterface | None:  # type: ignore[override]
        nodes = self._nodes()
        return nodes[index] if 0 <= index < len(nodes) else None

    def indexOfChild(self, child: QAccessibleInterface) -> int:
        for i, node in enumerate(self._nodes()):
            if node is child:
                return i
        return -1

    def childAt(self, x: int, y: int) -> QAccessibleInterface | None:  # type: ignore[override]
        for node in self._nodes():
            if node.rect().contains(x, y):
                return node
        return None

    def visible_rect(self) -> QRect:
        viewport = self.view.viewport()
        return QRect(viewport.mapToGlobal(QPoint(0, 0)), viewport.size())

    def node_rect(self, node: Node) -> QRect:
        """Return where a node is on screen (global coordinates)."""
        view = self.view
        cursor = view.textCursor()
        cursor.setPosition(node.start)
        first = view.cursorRect(cursor)
        cursor.setPosition(max(node.start, node.end - 1))
        last = view.cursorRect(cursor)
        rect = first.united(last)
        if node.role == _Role.Heading:
            rect.setRight(view.viewport().width())
        return QRect(view.viewport().mapToGlobal(rect.topLeft()), rect.size())

    def follow(self, node: Node) -> None:
        """Follow a link as a click would."""
        self.follow_link(QUrl(node.href))
