"""HTML for printing: one article, or a whole topic as a booklet with cover and contents.

Pure string assembly over ``render_article``; the Qt printing layer lays it out and fills in the
contents page numbers (placeholders ``{{page:slug}}``).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from desktop_app.core.content import Library, Topic
from desktop_app.core.render.render import notice_html, page_css, render_article
from desktop_app.errors import UnknownArticle

PAGE_PLACEHOLDER = "{{page:%s}}"
PAGE_BREAK = '<div style="page-break-before: always"></div>'
_BODY_RE = re.compile(r"<body>(.*)</body>", re.S)
_EXTERNAL_RE = re.compile(r'<a class="external" [^>]*href="(https?://[^"]+)"[^>]*>(.*?)</a>')


@dataclass(frozen=True, slots=True)
class PrintJob:
    """What to print: HTML, the running header, the articles it holds (in order)."""

    title: str
    html: str
    slugs: tuple[str, ...]
    is_booklet: bool = False
    # The same document cut where a new page must start (cover, contents, each article): each
    # part is laid out on its own, which keeps re-layouts small and page numbers exact.
    parts: tuple[str, ...] = ()


def anchor_for(slug: str) -> str:
    """Return the id of an article's first heading inside a booklet."""
    return f"article-{slug}"


def _paper_links(body: str) -> str:
    """On paper, show an external link's address after its text."""

    def show(match: re.Match[str]) -> str:
        url, text = match.group(1), match.group(2)
        if url in text or text.startswith("10."):
            return text
        return f"{text} <small>({url})</small>"

    return _EXTERNAL_RE.sub(show, body)


def _article_body(
    library: Library, slug: str, prefix_ids: bool, booklet: frozenset[str] = frozenset()
) -> str:
    page = render_article(library, slug, for_print=True).html
    match = _BODY_RE.search(page)
    body = match.group(1) if match else page
    if prefix_ids:
        # Ids must stay unique across a booklet: references and footnotes get the slug.
        body = re.sub(r'\bid="([^"]+)"', lambda m: f'id="{slug}--{m.group(1)}"', body)
        body = re.sub(r'href="#([^"]+)"', lambda m: f'href="#{slug}--{m.group(1)}"', body)
        body = body.replace(f'id="{slug}--top"', f'id="{anchor_for(slug)}"', 1)
        # A link to another article of the same booklet jumps to it inside the PDF.
        body = re.sub(
            r'href="atlas:([^"#]+)"',
            lambda m: f'href="#{anchor_for(m.group(1))}"' if m.group(1) in booklet else m.group(0),
            body,
        )
    return _paper_links(body)


def article_job(library: Library, slug: str) -> PrintJob:
    """Return the print job for one article."""
    if slug not in library.articles:
        raise UnknownArticle("No such article", slug)
    page = _page(_article_body(library, slug, prefix_ids=False))
    return PrintJob(library.articles[slug].title, page, (slug,), parts=(page,))


def topic_job(library: Library, topic_slug: str) -> PrintJob:
    """Return the booklet for a topic: cover, contents with page numbers, every article."""
    topic = library.topics.get(topic_slug)
    if topic is None:
        raise UnknownArticle("No such topic", topic_slug)
    slugs = library.ordered_slugs(topic)
    parts = [_cover(library, topic, len(slugs)), _contents(library, slugs)]
    for slug in slugs:
        parts.append(_article_body(library, slug, prefix_ids=True, booklet=frozenset(slugs)))
    whole = _page(PAGE_BREAK.join(parts))
    pages = tuple(_page(part) for part in parts)
    return PrintJob(topic.title, whole, tuple(slugs), is_booklet=True, parts=pages)


def job_for(library: Library, target: str) -> PrintJob:
    """Return the job for an article slug or a topic slug."""
    if target in library.articles:
        return article_job(library, target)
    if target in library.topics and target:
        return topic_job(library, target)
    raise UnknownArticle("No article or topic named", target)


def _page(body: str) -> str:
    css = page_css(for_print=True)
    return (
        f'<html><head><meta charset="utf-8"><style>{css}</style></head><body>{body}</body></html>'
    )


def _cover(library: Library, topic: Topic, count: int) -> str:
    m = library.manifest
    edition = f"Content edition {html.escape(m.edition)}" if m.edition else ""
    return (
        '<p style="margin-top: 160px" class="breadcrumb">'
        f"{html.escape(m.title)}</p>"
        f'<h1 style="font-size: 28pt">{html.escape(topic.title)}</h1>'
        f"<p>{html.escape(topic.summary)}</p>"
        f"<p>{count} articles. {edition}</p>"
        f"{notice_html(library, 'margin-top: 40px')}"
    )


def _contents(library: Library, slugs: list[str]) -> str:
    rows = []
    for slug in slugs:
        title = html.escape(library.articles[slug].title)
        number = PAGE_PLACEHOLDER % slug
        rows.append(
            f'<tr><td style="border: none; padding: 3px">'
            f'<a href="#{anchor_for(slug)}">{title}</a></td>'
            f'<td style="border: none; padding: 3px" align="right">{number}</td></tr>'
        )
    return (
        '<h1 id="contents">Contents</h1>'
        f'<table width="100%" cellspacing="0">{"".join(rows)}</table>'
    )
