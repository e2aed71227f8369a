"""Render an article to the HTML the article pane (and the printer) shows."""

from __future__ import annotations

import html
import importlib
import logging
import re
import sys
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desktop_app.diagnostics import Diagnostic
from desktop_app.errors import UnknownArticle
from desktop_app.paths import resources_dir

if TYPE_CHECKING:
    import markdown

    from desktop_app.core.content import Library, PageFacts
    from desktop_app.core.render.state import RenderState

log = logging.getLogger(__name__)

EXTENSIONS = [
    "tables",
    "footnotes",
    "toc",
    "attr_list",
    "admonition",
    "sane_lists",
    "fenced_code",
    "abbr",
    "def_list",
    "md_in_html",  # <div markdown> blocks (MkDocs Material's grids, cards, tabs) are Markdown
]
EXTENSION_CONFIGS: dict[str, dict[str, Any]] = {
    "tables": {"use_align_attribute": True},
    "toc": {"permalink": False, "toc_depth": "2-3"},
    "footnotes": {"BACKLINK_TEXT": "↩"},
}
MAX_RENDER_CHARS = 2_000_000


def _extensions() -> list[markdown.Extension]:
    """Build the extensions as objects.

    Named extensions make Markdown scan every installed package's entry points on first use
    (about 100 ms of start-up).
    """
    # fenced_code imports codehilite, which imports Pygments when it is installed (as in a test
    # environment): 60 ms and 3 MB for highlighting the app never does. Pygments is hidden while
    # the extensions load, as it is absent from the bundle (build.spec excludes it).
    hide = "pygments" not in sys.modules
    if hide:
        sys.modules["pygments"] = None  # type: ignore[assignment]  # import raises ImportError
    try:
        out = []
        for name in EXTENSIONS:
            module = importlib.import_module(f"markdown.extensions.{name}")
            out.append(module.makeExtension(**EXTENSION_CONFIGS.get(name, {})))
    finally:
        if hide:
            del sys.modules["pygments"]
    return out


@dataclass(frozen=True, slots=True)
class TocEntry:
    """One heading of an article: level (2 or 3), anchor id and text."""

    level: int
    anchor: str
    title: str


@dataclass(frozen=True, slots=True)
class RenderedArticle:
    """An article as HTML, with what the renderer learned about it."""

    slug: str
    title: str
    html: str
    body_html: str
    toc: tuple[TocEntry, ...]
    citations: tuple[str, ...]
    broken_links: tuple[str, ...]
    anchors: frozenset[str]


@cache
def stylesheet(name: str) -> str:
    """Return a stylesheet from ``resources/`` ('' if it is missing)."""
    try:
        return (resources_dir() / name).read_text(encoding="utf-8")
    except OSError:
        log.warning("stylesheet %s not found", name)
        return ""


def page_css(*, dark: bool = False, for_print: bool = False) -> str:
    """Return the CSS for an article page."""
    css = stylesheet("article.css")
    if for_print:
        css += stylesheet("print.css")
    elif dark:
        css += stylesheet("article-dark.css")
    return css


def render_body(
    library: Library, text: str, article_dir: Path, slug: str = ""
) -> tuple[str, RenderState, tuple[TocEntry, ...]]:
    """Convert Markdown to HTML with the app's extensions; return (html, state, toc).

    python-markdown is imported here, on the first render, not with this module: a start from the
    snapshot paints its first article without it.
    """
    import markdown

    from desktop_app.core.render.mdext import AtlasExtension
    from desktop_app.core.render.state import RenderState

    state = RenderState(
        slugs=frozenset(library.articles),
        titles=lambda slug: library.articles[slug].title,
        content_root=library.root_dir,
        article_dir=article_dir,
        links=library.links,
        slug=slug,
    )
    if len(text) > MAX_RENDER_CHARS:
        text = (
            text[:MAX_RENDER_CHARS] + "\n\n*[The rest of this very long article is not shown.]*\n"
        )
    md = markdown.Markdown(
        extensions=[*_extensions(), AtlasExtension(state, frozenset(library.bibliography.entries))],
        output_format="html",
    )
    try:
        body = md.convert(text)
    except RecursionError:
        log.warning(
            "an article in %s is nested too deeply to render; showing it as plain text", article_dir
        )
        state.plain_text_reason = "nested too deeply to render: shown as plain text"
        body = f"<pre>{html.escape(text)}</pre>"
    tokens = getattr(md, "toc_tokens", [])
    return body, state, tuple(_flatten_toc(tokens))


def _flatten_toc(tokens: list[dict[str, object]]) -> list[TocEntry]:
    out: list[TocEntry] = []
    for token in tokens:
        level = int(str(token.get("level", 2)))
        out.append(
            TocEntry(level, str(token.get("id", "")), html.unescape(str(token.get("name", ""))))
        )
        children = token.get("children")
        if isinstance(children, list):
            out.extend(_flatten_toc(children))
    return out


def render_article(
    library: Library,
    slug: str,
    *,
    for_print: bool = False,
    dark: bool = False,
    referenced_by: list[str] | None = None,
) -> RenderedArticle:
    """Render one article as a full HTML page. Raises UnknownArticle or OSError."""
    article = library.get(slug)
    if article is None:
        raise UnknownArticle("No such article", slug)
    slug = article.slug  # a path below the root names the same article
    body_md = _without_own_title(library.read_body(slug), article.title)
    body, state, toc = render_body(library, body_md, article.path.parent, slug)
    parts = [_header(library, slug, for_print), body]
    parts.append(_related(library, slug, referenced_by))
    parts.append(references_html(library, state.citation_order))
    page = (
        f'<html><head><meta charset="utf-8"><title>{html.escape(article.title)}</title>'
        f"<style>{page_css(dark=dark, for_print=for_print)}</style></head>"
        f"<body>{''.join(parts)}</body></html>"
    )
    anchors = {entry.anchor for entry in toc} | _ids(body)
    return RenderedArticle(
        slug=slug,
        title=article.title,
        html=page,
        body_html=body,
        toc=toc,
        citations=tuple(state.citation_order),
        broken_links=tuple(state.broken_links),
        anchors=frozenset(anchors),
    )


def _ids(body: str) -> set[str]:
    import re

    return set(re.findall(r'\bid="([^"]+)"', body))


def _header(library: Library, slug: str, for_print: bool) -> str:
    article = library.articles[slug]
    topic = library.topic_path(slug)
    crumbs = f'<p class="breadcrumb">{html.escape(topic)}</p>' if topic else ""
    notice = notice_html(library)
    return f'{crumbs}<h1 id="top">{html.escape(article.title)}</h1>{notice}'


def notice_html(library: Library, style: str = "") -> str:
    """The content's own notice (``atlas.yaml``), or nothing when it has none."""
    m = library.manifest
    if not (m.notice_title or m.notice):
        return ""
    bold = f"<b>{html.escape(m.notice_title)}</b> " if m.notice_title else ""
    attr = f' style="{style}"' if style else ""
    return f'<p class="notice"{attr}>{bold}{html.escape(m.notice)}</p>'


_H1_RE = re.compile(r"^#\s+(.+?)\s*#*\s*$")


def _without_own_title(body: str, title: str) -> str:
    """Blank the body's first line when it is a top heading repeating the page title.

    The header already shows the title; the line is blanked, not removed, so diagnostics keep
    their line numbers.
    """
    lines = body.split("\n")
    for i, line in enumerate(lines):
        if not line.strip():
            continue
        match = _H1_RE.match(line.strip())
        if (
            match
            and " ".join(match.group(1).split()).casefold() == " ".join(title.split()).casefold()
        ):
            lines[i] = ""
            return "\n".join(lines)
        return body
    return body


def _article_list(library: Library, slugs: list[str]) -> str:
    items = []
    for name in slugs:
        slug = library.links.resolve(name, wiki=True).slug  # by name or title, as wiki links
        other = library.get(slug) if slug else None
        if other is not None:
            items.append(
                f'<li><a href="atlas:{html.escape(slug)}">{html.escape(other.title)}</a></li>'
            )
    return f"<ul>{''.join(items)}</ul>" if items else ""


def _related(library: Library, slug: str, referenced_by: list[str] | None) -> str:
    out = []
    related = _article_list(library, list(library.articles[slug].related))
    if related:
        out.append(f'<h2 id="related-articles">Related articles</h2>{related}')
    if referenced_by:
        backs = _article_list(library, referenced_by)
        if backs:
            out.append(f'<h2 id="referenced-by">Referenced by</h2>{backs}')
    return "".join(out)


def references_html(library: Library, keys: list[str]) -> str:
    """Return the numbered reference list for the cited keys, in citation order."""
    if not keys:
        return ""
    items = []
    for key in keys:
        ref = library.bibliography.get(key)
        if ref is not None:
            items.append(f'<li id="ref-{html.escape(key)}">{ref.to_html()}</li>')
    heading = '<h2 id="references-heading">References</h2>'
    return f'<div id="references">{heading}<ol>{"".join(items)}</ol></div>'


def page_facts(library: Library, body: str, article_dir: Path) -> PageFacts:
    """Render a body and report what the content checks need: anchors and removed HTML."""
    from desktop_app.core.content import PageFacts  # the checks load with the check command

    html, state, toc = render_body(library, body, article_dir)
    anchors = {t.anchor for t in toc} | set(re.findall(r'\bid="([^"]+)"', html))
    return PageFacts(frozenset(anchors), tuple(state.removed), state.plain_text_reason)


def check_content(library: Library, *, editorial: bool | None = None) -> list[Diagnostic]:
    """Return every problem in the library, rendering each article to learn its anchors."""
    from desktop_app.core.content import check_library

    return check_library(library, page_facts, editorial=editorial)
