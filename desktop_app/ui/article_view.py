"""The article pane: a QTextBrowser that shows rendered articles and routes every link itself."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from PySide6.QtCore import QByteArray, QSize, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import (
    QAction,
    QContextMenuEvent,
    QImage,
    QPainter,
    QResizeEvent,
    QTextCursor,
    QTextDocument,
)
from PySide6.QtWidgets import QTextBrowser, QWidget

from desktop_app.core.content import APP_SCHEME, RESOURCE_SCHEME

log = logging.getLogger(__name__)
SVG_SCALE = 2.0


@dataclass(frozen=True, slots=True)
class Location:
    """Where the reader is: an article and an optional anchor."""

    slug: str
    anchor: str = ""


class NavigationHistory:
    """Back/forward stacks of locations (the browser model)."""

    def __init__(self) -> None:
        self._back: list[Location] = []
        self._forward: list[Location] = []
        self.current: Location | None = None

    def visit(self, location: Location) -> None:
        """Record a new location; clears the forward stack."""
        if self.current is not None and location != self.current:
            self._back.append(self.current)
            self._forward.clear()
        self.current = location

    def can_go_back(self) -> bool:
        """Return whether there is a previous location."""
        return bool(self._back)

    def can_go_forward(self) -> bool:
        """Return whether there is a next location."""
        return bool(self._forward)

    def back(self) -> Location | None:
        """Step back; return the new current location."""
        if not self._back or self.current is None:
            return None
        self._forward.append(self.current)
        self.current = self._back.pop()
        return self.current

    def forward(self) -> Location | None:
        """Step forward; return the new current location."""
        if not self._forward or self.current is None:
            return None
        self._back.append(self.current)
        self.current = self._forward.pop()
        return self.current


class ArticleView(QTextBrowser):
    """Shows one article.

    Signals:
        article_requested(slug, anchor): an internal link was clicked.
        external_link_requested(url): an external link was clicked (never opened here).
        note_requested(id): a note's marker was clicked.
    """

    article_requested = Signal(str, str)
    external_link_requested = Signal(str)
    note_requested = Signal(str)

    def __init__(self, content_root: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.content_root = content_root.resolve()
        self.slug = ""
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        # Caret browsing: arrow keys move a reading caret, Shift+arrows select (to highlight or
        # copy without a mouse); Tab still moves between links.
        flags = Qt.TextInteractionFlag
        self.setTextInteractionFlags(
            flags.TextSelectableByMouse
            | flags.TextSelectableByKeyboard
            | flags.LinksAccessibleByMouse
            | flags.LinksAccessibleByKeyboard
        )
        self.setAccessibleName("Article")
        self.setAccessibleDescription("The text of the open article")
        self.anchorClicked.connect(self._on_anchor_clicked)
        self._natural_sizes: dict[str, tuple[float, float]] = {}
        self._has_images = False
        self._fit_timer = QTimer(self)
        self._fit_timer.setSingleShot(True)
        self._fit_timer.setInterval(60)
        self._fit_timer.timeout.connect(self.fit_images)
        self.context_actions: list[QAction] = []  # added to the pane's own context menu

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        """The standard menu (copy, select all) and the window's actions on the selection."""
        menu = self.createStandardContextMenu(event.pos())
        menu.setAccessibleName("Article text menu")
        if self.context_actions:
            menu.addSeparator()
            for action in self.context_actions:
                menu.addAction(action)
        menu.exec(event.globalPos())
        menu.deleteLater()

    def show_html(self, slug: str, html: str, anchor: str = "") -> None:
        """Show a rendered article and scroll to ``anchor`` (or the top)."""
        self.slug = slug
        self.document().setBaseUrl(QUrl(f"{APP_SCHEME}:{slug}"))
        self.setHtml(html)
        self._natural_sizes = {}
        self._has_images = "<img" in html
        self.fit_images()
        if anchor:
            self.scrollToAnchor(anchor)
        else:
            self.verticalScrollBar().setValue(0)

    def anchor_position(self, anchor: str) -> int:
        """Where the named anchor (a heading's id) is in the document; -1 if nowhere."""
        block = self.document().begin()
        while block.isValid():
            it = block.begin()
            while not it.atEnd():
                fragment = it.fragment()
                if anchor in fragment.charFormat().anchorNames():
                    return int(fragment.position())
                it += 1
            block = block.next()
        return -1

    def resizeEvent(self, event: QResizeEvent) -> None:
        """Refit the figures to the new width (after the resize settles)."""
        super().resizeEvent(event)
        self._fit_timer.start()

    def fit_images(self) -> None:
        """Shrink images wider than the pane (Qt rich text has no max-width), keeping ratio."""
        available = self.viewport().width() - 2 * self.document().documentMargin() - 16
        if available <= 50 or not self._has_images:
            return
        changes = []
        block = self.document().begin()
        while block.isValid():
            it = block.begin()
            while not it.atEnd():
                fragment = it.fragment()
                if fragment.charFormat().isImageFormat():
                    changes.append(
                        (
                            fragment.position(),
                            fragment.length(),
                            fragment.charFormat().toImageFormat(),
                        )
                    )
                it += 1
            block = block.next()
        for position, length, image in changes:
            natural = self._natural_sizes.setdefault(
                f"{position}:{image.name()}", (image.width(), image.height())
            )
            if natural[0] <= 0:
                continue
            width = min(natural[0], available)
            if abs(image.width() - width) < 1:
                continue
            image.setWidth(width)
            image.setHeight(natural[1] * width / natural[0])
            cursor = QTextCursor(self.document())
            cursor.setPosition(position)
            cursor.setPosition(position + length, QTextCursor.MoveMode.KeepAnchor)
            cursor.setCharFormat(image)

    def _on_anchor_clicked(self, url: QUrl) -> None:
        text = url.toString()
        if text.startswith("#") or (url.scheme() == "" and url.fragment()):
            self.scrollToAnchor(unquote(url.fragment()))
            return
        if url.scheme() == APP_SCHEME:
            path = url.path()
            slug = unquote(path) if path else self.slug
            anchor = unquote(url.fragment())
            if slug == self.slug and anchor:
                self.scrollToAnchor(anchor)
            else:
                self.article_requested.emit(slug, anchor)
            return
        if url.scheme() == "note":
            self.note_requested.emit(url.path())
            return
        if url.scheme() in ("http", "https", "mailto"):
            self.external_link_requested.emit(text)

    def loadResource(self, kind: int, url: QUrl | str) -> Any:
        """Serve images from the content folder only; nothing remote is ever loaded."""
        return content_image(self.content_root, kind, url, SVG_SCALE)


def content_image(content_root: Path, kind: int, url: QUrl | str, svg_scale: float) -> Any:
    """Load an ``atlas-res:`` image from inside ``content_root``; None for anything else.

    SVG is rasterised at ``svg_scale`` times its size (sharper on high-DPI screens and paper).
    """
    qurl = url if isinstance(url, QUrl) else QUrl(url)
    if kind != QTextDocument.ResourceType.ImageResource.value or qurl.scheme() != RESOURCE_SCHEME:
        return None
    path = (content_root / unquote(qurl.path())).resolve()
    try:
        path.relative_to(content_root)
        data = path.read_bytes()
    except (ValueError, OSError) as exc:
        log.warning("image not loaded: %s (%s)", path, exc)
        return None
    if path.suffix.lower() == ".svg":
        return svg_image(data, svg_scale)
    image = QImage()
    image.loadFromData(data)
    return image if not image.isNull() else None


def svg_image(data: bytes, scale: float = SVG_SCALE) -> QImage | None:
    """Rasterise SVG at ``scale`` times its size (sharp on high-DPI screens and in print)."""
    from PySide6.QtSvg import QSvgRenderer  # only articles with figures need it

    renderer = QSvgRenderer(QByteArray(data))
    if not renderer.isValid():
        return None
    size: QSize = renderer.defaultSize()
    image = QImage(size * scale, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.white)
    painter = QPainter(image)
    renderer.render(painter)
    painter.end()
    image.setDevicePixelRatio(scale)
    return image
