"""The topic tree: a thin QAbstractItemModel over the library's Topic and Article nodes."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt

from desktop_app.core.content import Library, Topic

Index = QModelIndex | QPersistentModelIndex


class Role(IntEnum):
    """Item data roles."""

    SLUG = Qt.ItemDataRole.UserRole + 1
    IS_TOPIC = Qt.ItemDataRole.UserRole + 2


@dataclass(eq=False)
class _Node:
    slug: str
    title: str
    tooltip: str
    is_topic: bool
    parent: _Node | None = None
    children: list[_Node] = field(default_factory=list)
    row: int = 0


class TopicTreeModel(QAbstractItemModel):
    """Topics (folders) with their articles, in the library's order."""

    def __init__(self, library: Library, parent: Any = None) -> None:
        super().__init__(parent)
        self._root = _Node("", "Contents", "", True)
        self._by_slug: dict[str, _Node] = {}
        self._topics: dict[str, _Node] = {}
        self._build(library.root, self._root, library)

    def set_library(self, library: Library) -> None:
        """Show another version of the library (files changed on disk): a model reset."""
        self.beginResetModel()
        self._root = _Node("", "Contents", "", True)
        self._by_slug = {}
        self._topics = {}
        self._build(library.root, self._root, library)
        self.endResetModel()

    def _build(self, topic: Topic, node: _Node, library: Library) -> None:
        for slug in topic.articles:
            article = library.articles[slug]
            child = _Node(slug, article.title, article.summary, False, node, row=len(node.children))
            node.children.append(child)
            self._by_slug[slug] = child
        for sub in topic.topics:
            child = _Node(sub.slug, sub.title, sub.summary, True, node, row=len(node.children))
            node.children.append(child)
            self._topics[sub.slug] = child
            self._build(sub, child, library)

    # -- Qt model API ---------------------------------------------------------------------
    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        """Return the index of a child."""
        node = self._node(parent)
        if column != 0 or row < 0 or row >= len(node.children):
            return QModelIndex()
        return self.createIndex(row, 0, node.children[row])

    def parent(self, index: Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        """Return the parent of an index."""
        if not index.isValid():
            return QModelIndex()
        node: _Node = index.internalPointer()
        parent = node.parent
        if parent is None or parent is self._root:
            return QModelIndex()
        return self.createIndex(parent.row, 0, parent)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        """Return the number of children."""
        if parent.isValid() and parent.column() != 0:
            return 0
        return len(self._node(parent).children)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        """Return 1: the tree has one column."""
        return 1

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Return the title, tooltip, slug or kind of an item."""
        if not index.isValid():
            return None
        node: _Node = index.internalPointer()
        if role == Qt.ItemDataRole.DisplayRole:
            return node.title
        if role == Qt.ItemDataRole.ToolTipRole:
            return node.tooltip or None
        if role == Role.SLUG:
            return node.slug
        if role == Role.IS_TOPIC:
            return node.is_topic
        if role == Qt.ItemDataRole.AccessibleDescriptionRole:
            return "topic" if node.is_topic else "article"
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        """Items are enabled and selectable."""
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def _node(self, index: Index) -> _Node:
        return index.internalPointer() if index.isValid() else self._root

    # -- lookups --------------------------------------------------------------------------
    def index_of(self, slug: str) -> QModelIndex:
        """Return the index of an article (invalid if unknown)."""
        node = self._by_slug.get(slug)
        return self.createIndex(node.row, 0, node) if node else QModelIndex()

    def index_of_topic(self, slug: str) -> QModelIndex:
        """Return the index of a topic (invalid if unknown)."""
        node = self._topics.get(slug)
        return self.createIndex(node.row, 0, node) if node else QModelIndex()
