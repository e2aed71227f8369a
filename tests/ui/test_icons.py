"""The toolbar's PNG icons are renderings of their SVG sources (packaging/make_icons.py)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from PySide6.QtWidgets import QApplication

from tests.conftest import ROOT


def test_every_png_icon_matches_its_svg(qapp: QApplication) -> None:
    spec = importlib.util.spec_from_file_location(
        "make_icons", ROOT / "packaging" / "make_icons.py"
    )
    assert spec and spec.loader
    make_icons = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(make_icons)
    svgs = [p for p in (ROOT / "resources" / "icons").glob("*.svg") if p.stem != "spine-atlas"]
    assert svgs
    from PySide6.QtGui import QImage

    for svg in svgs:
        for scale in (1, 2):
            png = QImage(str(ROOT / "resources" / "icons" / "png" / f"{svg.stem}@{scale}x.png"))
            fresh = make_icons.render(Path(svg), scale)
            assert not png.isNull(), (
                f"{svg.stem}@{scale}x.png is missing: run packaging/make_icons.py"
            )
            alpha = [
                (png.pixelColor(x, y).alpha(), fresh.pixelColor(x, y).alpha())
                for x in range(png.width())
                for y in range(png.height())
            ]
            assert max(abs(a - b) for a, b in alpha) <= 8, (
                f"{svg.stem}: run packaging/make_icons.py"
            )


def test_icons_load_without_qtsvg() -> None:
    import subprocess
    import sys

    code = (
        "import os, sys; os.environ['QT_QPA_PLATFORM'] = 'offscreen'; "
        "from PySide6.QtWidgets import QApplication; app = QApplication([]); "
        "from desktop_app.ui.icons import themed_icon; "
        "icon = themed_icon('home', '#ff0000'); "
        "print(not icon.isNull(), 'PySide6.QtSvg' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split()[-2:] == ["True", "False"]
