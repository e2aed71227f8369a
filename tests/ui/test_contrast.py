"""Every text and link colour meets WCAG AA (4.5:1) in both themes.

The colours are read from the stylesheets (resources/article*.css) and the palettes, not restated.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from desktop_app.paths import resources_dir
from desktop_app.ui import find_bar
from desktop_app.ui.theme import dark_palette, light_palette

AA = 4.5


def _rules(css: str) -> dict[str, dict[str, str]]:
    rules: dict[str, dict[str, str]] = {}
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    for selectors, body in re.findall(r"([^{}]+)\{([^}]*)\}", css):
        props = {
            k.strip(): v.strip() for k, v in (d.split(":", 1) for d in body.split(";") if ":" in d)
        }
        for selector in selectors.split(","):
            rules.setdefault(selector.strip(), {}).update(props)
    return rules


def _sheet(dark: bool) -> dict[str, dict[str, str]]:
    rules = _rules((resources_dir() / "article.css").read_text())
    if dark:
        for sel, props in _rules((resources_dir() / "article-dark.css").read_text()).items():
            rules.setdefault(sel, {}).update(props)
    return rules


def _luminance(color: str) -> float:
    c = QColor(color)
    channels = []
    for v in (c.redF(), c.greenF(), c.blueF()):
        channels.append(v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4)
    r, g, b = channels
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def ratio(fg: str, bg: str) -> float:
    """WCAG contrast ratio of two colours."""
    a, b = sorted((_luminance(fg), _luminance(bg)), reverse=True)
    return (a + 0.05) / (b + 0.05)


def _color(rules: dict[str, dict[str, str]], selector: str, prop: str, fallback: str) -> str:
    return rules.get(selector, {}).get(prop, fallback)


# Backgrounds a text can sit on: the page, and every block class with a background of its own.
BOXES = (
    "body",
    ".notice",
    ".admonition",
    ".keypoints",
    ".warning",
    ".caution",
    ".disagreement",
    ".evidence",
    "th",
    "code",
    ".searchhit",
)
# (selector of the text, its background): titles sit on their own box.
TEXTS = (
    ("body", "body"),
    ("h1", "body"),
    ("h2", "body"),
    ("h3", "body"),
    ("a", "body"),
    ("a.external", "body"),
    (".breadcrumb", "body"),
    (".notice", ".notice"),
    ("blockquote", "body"),
    (".caption", "body"),
    (".broken-link", "body"),
    (".blocked-image", "body"),
    (".admonition-title", ".admonition"),
    (".keypoints .admonition-title", ".keypoints"),
    (".warning .admonition-title", ".warning"),
    (".caution .admonition-title", ".caution"),
    (".disagreement .admonition-title", ".disagreement"),
)


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_article_colours_meet_aa(dark: bool) -> None:
    rules = _sheet(dark)
    page = _color(rules, "body", "background-color", "#ffffff")
    text = _color(rules, "body", "color", "#000000")
    link = _color(rules, "a", "color", text)

    def bg(selector: str) -> str:
        return _color(rules, selector, "background-color", page)

    failures = []
    for selector, box in TEXTS:
        fg = _color(rules, selector, "color", text)
        if ratio(fg, bg(box)) < AA:
            failures.append(f"{selector} {fg} on {box} {bg(box)}: {ratio(fg, bg(box)):.2f}")
    for box in BOXES:  # body text and links inside every box
        fg = _color(rules, box, "color", text)
        for name, colour in (("text", fg), ("link", link)):
            if ratio(colour, bg(box)) < AA:
                failures.append(f"{name} {colour} in {box} {bg(box)}: {ratio(colour, bg(box)):.2f}")
    assert not failures, failures


def _palettes() -> dict[str, QPalette]:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    return {"light": light_palette(app.style().standardPalette()), "dark": dark_palette()}


@pytest.mark.parametrize("name", ["light", "dark"])
def test_palette_text_and_links_meet_aa(qapp: QApplication, name: str) -> None:
    p = _palettes()[name]
    R = QPalette.ColorRole
    pairs = [
        (R.Text, R.Base),
        (R.WindowText, R.Window),
        (R.ButtonText, R.Button),
        (R.Link, R.Base),
        (R.Link, R.Window),  # "Did you mean" sits on the window
        (R.HighlightedText, R.Highlight),
        (R.ToolTipText, R.ToolTipBase),
        (R.PlaceholderText, R.Base),
    ]
    failures = [
        f"{fg.name} on {bg.name}: {ratio(p.color(fg).name(), p.color(bg).name()):.2f}"
        for fg, bg in pairs
        if ratio(p.color(fg).name(), p.color(bg).name()) < AA
    ]
    assert not failures, failures


def test_find_highlights_keep_black_text_readable() -> None:
    for colour in (find_bar.HIGHLIGHT, find_bar.CURRENT):
        assert ratio("#000000", colour) >= AA


def test_search_highlights_survive_a_theme_toggle(
    qtbot: QtBot, small_content: Path, tmp_path: Path
) -> None:
    from desktop_app.core.content import load_library
    from desktop_app.ui.main_window import MainWindow
    from desktop_app.ui.settings import Settings

    win = MainWindow(load_library(small_content), Settings(tmp_path / "s.ini"))
    qtbot.addWidget(win)
    win.show()
    win._on_panel_article_requested("hvla", "", ["thrust"])
    before = len(win.article_view.extraSelections())
    assert before >= 1
    win.toggle_dark()
    assert win.dark
    assert len(win.article_view.extraSelections()) == before
    win.toggle_dark()
    assert len(win.article_view.extraSelections()) == before
