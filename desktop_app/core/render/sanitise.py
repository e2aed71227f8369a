"""Reduce HTML to a safe set of tags and attributes; drop scripts, frames and objects."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from urllib.parse import quote

from desktop_app.core.content import RESOURCE_SCHEME, resolve_resource
from desktop_app.core.render.state import RenderState

ALLOWED_TAGS = frozenset(
    [
        "a",
        "abbr",
        "b",
        "blockquote",
        "br",
        "caption",
        "code",
        "col",
        "colgroup",
        "dd",
        "del",
        "div",
        "dl",
        "dt",
        "em",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "i",
        "img",
        "ins",
        "kbd",
        "li",
        "mark",
        "ol",
        "p",
        "pre",
        "q",
        "s",
        "samp",
        "small",
        "span",
        "strong",
        "sub",
        "sup",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "tr",
        "u",
        "ul",
        "var",
    ]
)
DROP_WITH_CONTENT = frozenset(
    [
        "script",
        "style",
        "iframe",
        "object",
        "embed",
        "applet",
        "frame",
        "frameset",
        "noscript",
        "template",
        "svg",
        "math",
        "form",
        "select",
        "textarea",
        "button",
    ]
)
ALLOWED_ATTRS = frozenset(
    [
        "href",
        "src",
        "alt",
        "title",
        "id",
        "class",
        "colspan",
        "rowspan",
        "width",
        "height",
        "align",
        "valign",
        "start",
        "type",
        "name",
        "cellpadding",
        "cellspacing",
        "border",
    ]
)
SAFE_URL_RE = re.compile(r"^(https?:|mailto:|#|atlas:|atlas-res:)", re.I)


def note_removed(state: RenderState | None, name: str, value: str) -> None:
    """Record a removed event handler or unsafe address (other attributes go silently)."""
    if state is None:
        return
    if name.lower().startswith("on"):
        state.removed.append((f"unsafe HTML removed: '{name}' attribute", name))
    elif name in ("href", "src"):
        state.removed.append((f"unsafe HTML removed: {name}={value[:80]!r}", value))


class _Sanitiser(HTMLParser):
    def __init__(self, state: RenderState | None) -> None:
        super().__init__(convert_charrefs=True)
        self.state = state
        self.out: list[str] = []
        self.dropping: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.dropping or tag in DROP_WITH_CONTENT:
            if tag in DROP_WITH_CONTENT:
                if not self.dropping and self.state is not None:
                    self.state.removed.append((f"unsafe HTML removed: <{tag}>", f"<{tag}"))
                self.dropping.append(tag)
            return
        if tag not in ALLOWED_TAGS:
            return
        kept = []
        for name, value in attrs:
            value = value or ""
            if name not in ALLOWED_ATTRS:
                note_removed(self.state, name, value)
                continue
            if name == "src" and self.state is not None:
                resolved = resolve_resource(value, self.state.article_dir, self.state.content_root)
                if resolved is None:
                    self.state.blocked_resources.append(value)
                    self.state.removed.append(
                        (f"image not shown (remote or outside the content folder): {value}", value)
                    )
                    return
                value = f"{RESOURCE_SCHEME}:" + quote(
                    resolved.relative_to(self.state.content_root).as_posix()
                )
            elif name in ("href", "src") and not SAFE_URL_RE.match(value):
                note_removed(self.state, name, value)
                continue
            kept.append(f' {name}="{html.escape(value, quote=True)}"')
        self.out.append(f"<{tag}{''.join(kept)}>")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if self.dropping:
            if tag == self.dropping[-1]:
                self.dropping.pop()
            return
        if tag in ALLOWED_TAGS and tag not in ("br", "hr", "img", "col"):
            self.out.append(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        if not self.dropping:
            self.out.append(html.escape(data, quote=False))


def sanitise_html(fragment: str, state: RenderState | None = None) -> str:
    """Reduce an HTML fragment to allowed tags and attributes; drop scripts, frames and objects."""
    parser = _Sanitiser(state)
    parser.feed(fragment)
    parser.close()
    return "".join(parser.out)
