"""The toolbar's icons: small monochrome icons in resources/icons, in the palette's text colour.

The SVGs are the source; ``packaging/make_icons.py`` renders them to PNG masks (1x, 2x), which are
tinted here, so the toolbar never loads QtSvg at start-up. Redrawn on every theme change.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QColor, QGuiApplication, QIcon, QImage, QPainter, QPalette, QPixmap

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


def themed_icon(name: str, colour: str) -> QIcon:
    """Return the icon ``name`` (1x and 2x) drawn in ``colour``."""
    icon = QIcon()
    for scale in (1, 2):
        path = resources_dir() / "icons" / "png" / f"{name}@{scale}x.png"
        image = QImage(str(path)).convertToFormat(QImage.Format.Format_ARGB32_Premultiplied)
        if image.isNull():
            continue
        painter = QPainter(image)
        painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_SourceIn)
        painter.fillRect(image.rect(), QColor(colour))
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
