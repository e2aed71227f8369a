"""The toolbar's icons: small monochrome SVGs in resources/icons, in the palette's text colour.

Redrawn on every theme change, so they follow the dark theme.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, Qt
from PySide6.QtGui import QGuiApplication, QIcon, QImage, QPainter, QPalette, QPixmap

from desktop_app.paths import resources_dir

if TYPE_CHECKING:
    from desktop_app.ui.main_window import MainWindow

SIZE = 24
# action name -> icon file (resources/icons/<name>.svg)
ICONS = {
    "back_action": "back",
    "forward_action": "forward",
    "home_action": "home",
    "print_action": "print",
    "pdf_action": "export-pdf",
    "bookmark_action": "bookmark",
    "find_action": "find",
    "dark_action": "dark-theme",
    "open_folder_action": "topics",
}
INK = b"#000000"  # the colour the SVG files are drawn in; replaced by the palette's


def themed_icon(name: str, colour: str) -> QIcon:
    """Return an icon from ``resources/icons/<name>.svg`` drawn in ``colour`` (1× and 2×)."""
    from PySide6.QtSvg import QSvgRenderer  # loaded with the first icon, not with the window

    data = (resources_dir() / "icons" / f"{name}.svg").read_bytes().replace(INK, colour.encode())
    renderer = QSvgRenderer(QByteArray(data))
    icon = QIcon()
    for scale in (1, 2):
        image = QImage(SIZE * scale, SIZE * scale, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        renderer.render(painter)
        painter.end()
        pixmap = QPixmap.fromImage(image)
        pixmap.setDevicePixelRatio(scale)
        icon.addPixmap(pixmap)
    return icon


def apply_icons(window: MainWindow) -> None:
    """Give the actions their icons in the current palette's text colour."""
    colour = QGuiApplication.palette().color(QPalette.ColorRole.ButtonText).name()
    for action_name, icon_name in ICONS.items():
        action = getattr(window, action_name, None)
        if action is not None:
            action.setIcon(themed_icon(icon_name, colour))
    fit = getattr(window, "layout_fit", None)
    if fit is not None:
        fit.topics_action.setIcon(themed_icon("topics", colour))
        fit.outline_button.setIcon(themed_icon("outline", colour))
