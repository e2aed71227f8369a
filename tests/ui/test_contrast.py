"""Every text and link colour meets WCAG AA (4.5:1; 3:1 for large text) in both themes.

The ratios are computed from the stylesheets the article pane uses (resources/article.css and
article-dark.css) and from the window's palettes, the way WCAG 2.x defines them.
"""

from __future__ import annotations

import re

import pytest
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

from desktop_app.paths import resources_dir
from desktop_app.ui.annotations import HIGHLIGHT
from desktop_app.ui.theme import dark_palette, light_palette

PAGE = {"light": "#ffffff", "dark": "#1e1f22"}
_RULE = re.compile(r"([^{}]+)\{([^}]*)\}")


def luminance(colour: str) -> float:
    def channel(c: int) -> float:
        v = c / 255
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

    q = QColor(colour)
    return 0.2126 * channel(q.red()) + 0.7152 * channel(q.green()) + 0.0722 * channel(q.blue())


def ratio(a: str, b: str) -> float:
    la, lb = luminance(a), luminance(b)
    return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)


def rules(theme: str) -> dict[str, dict[str, str]]:
    """Selector → declarations, the dark sheet applied over the light one."""
    out: dict[str, dict[str, str]] = {}
    names = ["article.css"] + (["article-dark.css"] if theme == "dark" else [])
    for name in names:
        css = re.sub(
            r"/\*.*?\*/", "", (resources_dir() / name).read_text(encoding="utf-8"), flags=re.S
        )
        for selectors, body in _RULE.findall(css):
            decls = {
                k.strip(): v.strip()
                for k, v in (d.split(":", 1) for d in body.split(";") if ":" in d)
            }
            for selector in selectors.split(","):
                out.setdefault(selector.strip(), {}).update(decls)
    return out


def _colour(value: str | None) -> str | None:
    if not value:
        return None
    match = re.search(r"#[0-9a-fA-F]{3,6}\b", value)
    return match.group(0) if match else None


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_article_text_and_links_meet_aa_on_every_background(theme: str) -> None:
    sheet = rules(theme)
    page = _colour(sheet.get("body", {}).get("background-color")) or PAGE[theme]
    body = _colour(sheet["body"]["color"])
    link = _colour(sheet["a"]["color"])
    assert body and link
    backgrounds = {"page": page}
    for selector, decls in sheet.items():
        bg = _colour(decls.get("background-color") or decls.get("background"))
        if bg:
            backgrounds[selector] = bg
    failures = []
    for where, bg in backgrounds.items():
        for what, fg in (("text", body), ("link", link)):
            if ratio(fg, bg) < 4.5:
                failures.append(f"{theme}: {what} {fg} on {where} {bg}: {ratio(fg, bg):.2f}")
    for selector, decls in sheet.items():
        fg = _colour(decls.get("color"))
        if not fg or selector.startswith("@"):
            continue
        own = _colour(decls.get("background-color") or decls.get("background"))
        # Block text (captions, breadcrumbs, quotes) sits on the page and in boxes; the search
        # highlight only ever wraps words of running text and links (checked above).
        boxes = {bg for where, bg in backgrounds.items() if where != ".searchhit"}
        bgs = [own] if own else sorted(boxes)
        large = selector.split()[-1] in ("h1", "h2") or ".admonition-title" in selector
        need = 3.0 if large else 4.5
        for bg in bgs:
            if ratio(fg, bg) < need:
                failures.append(f"{theme}: {selector} {fg} on {bg}: {ratio(fg, bg):.2f} < {need}")
    assert failures == []


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_window_palette_text_meets_aa(qapp: QApplication, theme: str) -> None:
    palette = dark_palette() if theme == "dark" else light_palette()
    role = QPalette.ColorRole
    pairs = [
        (role.Text, role.Base), (role.WindowText, role.Window), (role.ButtonText, role.Button),
        (role.Link, role.Base), (role.Link, role.Window), (role.PlaceholderText, role.Base),
        (role.HighlightedText, role.Highlight), (role.ToolTipText, role.ToolTipBase),
    ]  # fmt: skip
    failures = []
    for fg, bg in pairs:
        value = ratio(palette.color(fg).name(), palette.color(bg).name())
        if value < 4.5:
            failures.append(f"{theme}: {fg.name} on {bg.name}: {value:.2f}")
    assert failures == []


def test_highlights_keep_text_readable() -> None:
    for theme, index in (("light", 0), ("dark", 1)):
        sheet = rules(theme)
        for name, backgrounds in HIGHLIGHT.items():
            for fg in (_colour(sheet["body"]["color"]), _colour(sheet["a"]["color"])):
                assert fg and ratio(fg, backgrounds[index]) >= 4.5, (theme, name, fg)
