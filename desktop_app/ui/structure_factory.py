"""Hand Qt the article structure accessible (``article_structure``) for the article's viewport.

Kept apart and light: the factory is installed at start-up, but the accessible classes (Python
subclasses of Qt's interfaces, costly to create) are imported only when an assistive technology
first asks for the viewport, which never happens in a session without one.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import QTextBrowser, QWidget

VIEWPORT_NAME = "article-viewport"
_INSTALLED: list[bool] = []
_LABELS: dict[int, Callable[[str], str]] = {}
_KEEP: dict[int, Any] = {}  # the interfaces made: Python owns them, Qt's cache points at them


def install_structure(view: QTextBrowser, link_label: Callable[[str], str] | None = None) -> None:
    """Give ``view``'s viewport the structure accessible (the factory once per process)."""
    view.viewport().setObjectName(VIEWPORT_NAME)
    if link_label is not None:
        _LABELS[id(view.viewport())] = link_label
    if not _INSTALLED:
        QAccessible.installFactory(_factory)
        _INSTALLED.append(True)


def _factory(_classname: str, obj: QObject) -> Any:
    if obj is None or obj.objectName() != VIEWPORT_NAME:
        return None
    view = obj.parent()
    if not isinstance(view, QTextBrowser) or not isinstance(obj, QWidget):
        return None
    from desktop_app.ui.article_structure import ViewportAccessible

    iface = ViewportAccessible(obj, view)
    _KEEP[id(obj)] = iface
    label = _LABELS.get(id(obj))
    if label is not None:
        iface.link_label = label
    return iface
