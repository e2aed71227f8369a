"""Render the toolbar icons (resources/icons/*.svg) to PNG masks at 1x and 2x.

The window tints these PNGs in the theme's text colour at start-up, so it never loads QtSvg for
its toolbar. Run after changing an SVG:  python packaging/make_icons.py
(tests/ui/test_icons.py fails when a PNG no longer matches its SVG).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ICONS = ROOT / "resources" / "icons"
SIZE = 24


def render(svg: Path, scale: int):  # type: ignore[no-untyped-def]
    """Render ``svg`` at ``scale`` (1 or 2) times the toolbar's icon size, black on transparent."""
    from PySide6.QtCore import QByteArray, Qt
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(QByteArray(svg.read_bytes()))
    image = QImage(SIZE * scale, SIZE * scale, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    renderer.render(painter)
    painter.end()
    return image


def main() -> int:
    """Render every toolbar SVG to its PNGs."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])  # noqa: F841
    for svg in sorted(ICONS.glob("*.svg")):
        if svg.stem == "spine-atlas":
            continue
        for scale in (1, 2):
            target = ICONS / "png" / f"{svg.stem}@{scale}x.png"
            render(svg, scale).save(str(target))
            print(target.relative_to(ROOT))  # noqa: T201
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
