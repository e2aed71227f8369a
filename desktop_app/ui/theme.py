"""Light and dark themes: the application palette, following the system unless chosen."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

MODES = ("system", "light", "dark")


def system_is_dark() -> bool:
    """Return whether the desktop asks for a dark colour scheme."""
    hints = QGuiApplication.styleHints()
    return bool(hints.colorScheme() == Qt.ColorScheme.Dark)


def is_dark(mode: str) -> bool:
    """Resolve a theme mode to dark or light."""
    if mode == "dark":
        return True
    if mode == "light":
        return False
    return system_is_dark()


def dark_palette() -> QPalette:
    """Return a dark palette for the Fusion style."""
    p = QPalette()
    colors = {
        QPalette.ColorRole.Window: "#25272b",
        QPalette.ColorRole.WindowText: "#e6e6e6",
        QPalette.ColorRole.Base: "#1e1f22",
        QPalette.ColorRole.AlternateBase: "#2b2d31",
        QPalette.ColorRole.ToolTipBase: "#2b2d31",
        QPalette.ColorRole.ToolTipText: "#e6e6e6",
        QPalette.ColorRole.Text: "#e6e6e6",
        QPalette.ColorRole.Button: "#303237",
        QPalette.ColorRole.ButtonText: "#e6e6e6",
        QPalette.ColorRole.Highlight: "#2f5d9e",
        QPalette.ColorRole.HighlightedText: "#ffffff",
        QPalette.ColorRole.Link: "#7fb6f5",
        QPalette.ColorRole.PlaceholderText: "#9aa0a6",
    }
    for role, color in colors.items():
        p.setColor(role, QColor(color))
    for role in (
        QPalette.ColorRole.Text,
        QPalette.ColorRole.ButtonText,
        QPalette.ColorRole.WindowText,
    ):
        p.setColor(QPalette.ColorGroup.Disabled, role, QColor("#6f737a"))
    return p


def light_palette(base: QPalette) -> QPalette:
    """Return the style's light palette with a selection dark enough for white text (AA)."""
    p = QPalette(base)
    p.setColor(QPalette.ColorRole.Highlight, QColor("#1f5fa8"))
    p.setColor(QPalette.ColorRole.HighlightedText, QColor("#ffffff"))
    return p


def apply_theme(mode: str) -> bool:
    """Apply the palette for ``mode`` to the application; return whether it is dark."""
    app = QApplication.instance()
    dark = is_dark(mode)
    if isinstance(app, QApplication):
        if dark:
            app.setStyle("Fusion")
            app.setPalette(dark_palette())
        else:
            app.setPalette(light_palette(app.style().standardPalette()))
    return dark
