"""The text of a rendered article as the reader sees it (for quoting and re-anchoring notes).

Blocks become lines and inline runs keep their spacing, close to what the article pane's
``toPlainText`` gives; notes anchor with whitespace collapsed, so small differences in line
breaks between the two do not matter.
"""

from __future__ import annotations

from html.parser import HTMLParser

from desktop_app.core.content import Library

_BLOCKS = frozenset(
    "p div h1 h2 h3 h4 h5 h6 li ul ol table tr blockquote pre figure figcaption dt dd dl "
    "section header footer br hr caption".split()
)
_SKIP = frozenset({"style", "script", "head", "title"})


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            self.skip += 1
        elif tag in _BLOCKS:
            self.parts.append("\n")
        elif tag in ("td", "th"):
            self.parts.append("\t")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self.skip = max(0, self.skip - 1)
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.parts.append(" ".join(data.split("\n")))


def html_to_text(html: str) -> str:
    """Rendered HTML to the text a reader sees: one line per block, spaces collapsed."""
    parser = _Text()
    parser.feed(html)
    parser.close()
    lines = (" ".join(line.split()) for line in "".join(parser.parts).split("\n"))
    return "\n".join(line for line in lines if line)


def article_text(library: Library, slug: str) -> str:
    """The reader's text of article ``slug``. Raises UnknownArticle or OSError."""
    from desktop_app.core.render.render import render_article

    return html_to_text(render_article(library, slug).html)
