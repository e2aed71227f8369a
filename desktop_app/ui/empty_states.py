"""Pages the article pane shows when there is no article to show: they say why, and what next.

No colours are set here: text and links follow the palette, so both themes keep their contrast.
"""

from __future__ import annotations

import html
from pathlib import Path

from desktop_app.ui.folders import BUNDLED_LABEL


def _page(title: str, *paragraphs: str) -> str:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return f"<html><body><h2>{html.escape(title)}</h2>{body}</body></html>"


def no_markdown(root: Path) -> str:
    """The folder holds no Markdown article."""
    return _page(
        "No articles in this folder",
        f"No Markdown files (<tt>*.md</tt>) were found in <b>{html.escape(str(root))}</b> "
        "or its subfolders.",
        "Add Markdown files there, or choose another folder with <b>File ▸ Open Folder…</b> "
        f"(Ctrl+O). <b>File ▸ Recent Folders ▸ {html.escape(BUNDLED_LABEL)}</b> goes back "
        "to the bundled atlas.",
    )


def load_failed(slug: str, path: Path | None, line: int, message: str) -> str:
    """An article that could not be rendered: the diagnostic, the file and the line."""
    where = html.escape(str(path)) if path else html.escape(slug)
    if line:
        where += f", line {line}"
    return _page(
        "This article could not be shown",
        html.escape(message),
        f"File: <b>{where}</b>",
        "Fix the file and open the article again; <tt>spine-atlas check</tt> lists every "
        "problem in the content.",
    )


def no_results(query: str, suggestion: str | None, filtered: bool) -> str:
    """The search found nothing: suggestions as rich text for the results panel."""
    tips = []
    if len(query.split()) > 1:
        tips.append("use fewer words")
    if suggestion:
        tips.append(f'try <a href="suggest">{html.escape(suggestion)}</a>')
    if filtered:
        tips.append('<a href="all-topics">search all topics</a>')
    tips.append("check the spelling")
    return "No articles found. Try: " + "; ".join(tips) + "."
