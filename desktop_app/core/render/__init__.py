"""The render room: Markdown becomes the HTML that the article pane and the printer show.

An article becomes a page, a topic a print booklet. Reads the content room; knows nothing of
search or Qt.

The names below are the room's public face: code outside ``desktop_app.core.render`` imports only
these. They load on first use (PEP 562), so importing the package costs nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from desktop_app.core.faces import lazy_names

if TYPE_CHECKING:
    from desktop_app.core.render.booklet import PAGE_PLACEHOLDER as PAGE_PLACEHOLDER
    from desktop_app.core.render.booklet import PrintJob as PrintJob
    from desktop_app.core.render.booklet import anchor_for as anchor_for
    from desktop_app.core.render.booklet import article_job as article_job
    from desktop_app.core.render.booklet import job_for as job_for
    from desktop_app.core.render.booklet import topic_job as topic_job
    from desktop_app.core.render.plaintext import headings as headings
    from desktop_app.core.render.plaintext import markdown_to_text as markdown_to_text
    from desktop_app.core.render.plaintext import strip_fences as strip_fences
    from desktop_app.core.render.render import RenderedArticle as RenderedArticle
    from desktop_app.core.render.render import TocEntry as TocEntry
    from desktop_app.core.render.render import check_content as check_content
    from desktop_app.core.render.render import notice_html as notice_html
    from desktop_app.core.render.render import page_css as page_css
    from desktop_app.core.render.render import page_facts as page_facts
    from desktop_app.core.render.render import render_article as render_article
    from desktop_app.core.render.render import render_body as render_body
    from desktop_app.core.render.state import RenderState as RenderState

_MODULE_OF = {
    "notice_html": "render",
    "PAGE_PLACEHOLDER": "booklet",
    "PrintJob": "booklet",
    "RenderState": "state",
    "RenderedArticle": "render",
    "TocEntry": "render",
    "anchor_for": "booklet",
    "article_job": "booklet",
    "check_content": "render",
    "headings": "plaintext",
    "job_for": "booklet",
    "markdown_to_text": "plaintext",
    "page_css": "render",
    "page_facts": "render",
    "render_article": "render",
    "render_body": "render",
    "strip_fences": "plaintext",
    "topic_job": "booklet",
}
__all__ = sorted(_MODULE_OF)

__getattr__ = lazy_names(__name__, _MODULE_OF)
