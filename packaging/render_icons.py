"""Render resources/icons/spine-atlas.svg to the PNG sizes the app and the desktop use (with Qt).

    QT_QPA_PLATFORM=offscreen python packaging/render_icons.py

Writes ``resources/icons/spine-atlas-<size>.png``. Run it again whenever the SVG changes.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QByteArray, Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

ICONS = Path(__file__).resolve().parent.parent / "resources" / "icons"
SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def render(svg: Path, size: int) -> QImage:
    """Return the SVG rasterised at ``size`` x ``size`` on a transparent background."""
    renderer = QSvgRenderer(QByteArray(svg.read_bytes()))
    if not renderer.isValid():
        raise SystemExit(f"{svg}: not a valid SVG for Qt")
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter)
    painter.end()
    return image


def main() -> int:
    """Render every size; report what was written."""
    app = QGuiApplication(sys.argv[:1])
    svg = ICONS / "spine-atlas.svg"
    for size in SIZES:
        out = ICONS / f"spine-atlas-{size}.png"
        if not render(svg, size).save(str(out), "PNG"):
            raise SystemExit(f"cannot write {out}")
        sys.stdout.write(f"{out.relative_to(ICONS.parent.parent)} ({out.stat().st_size} bytes)\n")
    del app
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
