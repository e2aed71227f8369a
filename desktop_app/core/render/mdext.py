"""python-markdown extensions: app links, citations, confined images, figures, sanitising.

Everything an article can reach goes through here: internal links become ``atlas:slug#anchor``,
images become ``atlas-res:`` paths confined to the content root, remote resources are never
referenced, and raw HTML and attributes are reduced to a safe set.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from urllib.parse import quote

from markdown import Extension, Markdown
from markdown.inlinepatterns import InlineProcessor
from markdown.postprocessors import Postprocessor
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor

from desktop_app.core.content import (
    APP_SCHEME,
    CITATION_RE,
    CITE_KEY_RE,
    RESOURCE_SCHEME,
    WIKI_LINK_RE,
    LinkKind,
    anchor_key,
    image_size,
    parse_target,
    parse_wiki_target,
    resolve_resource,
)
from desktop_app.core.render.conventions import apply_conventions
from desktop_app.core.render.embeds import expand_embeds
from desktop_app.core.render.sanitise import ALLOWED_ATTRS, SAFE_URL_RE, note_removed, sanitise_html
from desktop_app.core.render.state import RenderState

MAX_IMAGE_WIDTH = 640
IMAGE_SUFFIXES = (".svg", ".png", ".jpg", ".jpeg", ".gif", ".webp", ".bmp")


class _ConventionsPreprocessor(Preprocessor):
    """Callouts and shortcodes of other people's Markdown (``conventions``)."""

    def run(self, lines: list[str]) -> list[str]:
        return apply_conventions(lines)


class _EmbedPreprocessor(Preprocessor):
    """Whole-line ``![[Note]]`` embeds become the note's text in a box (``embeds``)."""

    def __init__(self, md: Markdown, state: RenderState) -> None:
        super().__init__(md)
        self.state = state

    def run(self, lines: list[str]) -> list[str]:
        links = self.state.links
        if links is None or not any("![[" in line for line in lines):
            return lines
        library = links.library

        def read(slug: str) -> tuple[str, str]:
            try:
                return library.articles[slug].title, library.read_body(slug)
            except (OSError, KeyError):
                return slug, ""

        return expand_embeds(
            lines,
            lambda name: self.state.find(name, wiki=True),
            read,
            self.state.article_href,
            self.state.slug,
        )


class _WikiLinkProcessor(InlineProcessor):
    """``[[name#heading|text]]``, and ``![[file.png|300]]`` / ``![[Note]]`` embeds (Obsidian)."""

    def __init__(self, state: RenderState, *, embeds: bool = False) -> None:
        super().__init__(("!" if embeds else "") + WIKI_LINK_RE.pattern)
        self.state = state
        self.embeds = embeds

    def handleMatch(  # type: ignore[override]
        self, m: re.Match[str], data: str
    ) -> tuple[etree.Element, int, int]:
        target = parse_wiki_target(m.group(1))
        text = (m.group(2) or "").strip()
        if target.kind is LinkKind.FILE:
            return self._file(target.slug, text), m.start(0), m.end(0)
        el = etree.Element("a")
        slug = self.state.find(target.slug, wiki=True) if target.slug else ""
        if target.kind is LinkKind.ANCHOR:
            el.set("href", f"#{quote(target.anchor)}")
            el.text = text or target.anchor
        elif slug:
            el.set("href", self.state.article_href(slug, target.anchor))
            el.text = text or self.state.titles(slug)
            if self.embeds:  # a note embedded: shown as a link to it, on its own line
                el.text = f"↪ {el.text}" + (f" › {target.anchor}" if target.anchor else "")
                el.set("class", "embed")
        else:
            self.state.broken_links.append(target.slug)
            el = _broken(text or target.slug)
        return el, m.start(0), m.end(0)

    def _file(self, name: str, text: str) -> etree.Element:
        found = self.state.find_file(name)
        if found is not None and self.embeds and found.suffix.lower() in IMAGE_SUFFIXES:
            img = etree.Element("img")
            img.set("src", found.relative_to(self.state.content_root).as_posix())
            img.set("alt", "" if text.isdigit() else text)
            if re.fullmatch(r"\d+(x\d+)?", text):  # Obsidian: ![[x.png|300]] sets the width
                img.set("data-width", text.partition("x")[0])
            return img
        span = etree.Element("span")
        if found is None:
            self.state.broken_links.append(name)
            span.set("class", "broken-link")
            span.set("title", "This file is not in the content folder")
        else:
            span.set("class", "file-link")
            span.set("title", found.relative_to(self.state.content_root).as_posix())
        span.text = text or name
        return span


class _CitationProcessor(InlineProcessor):
    def __init__(self, state: RenderState, known: frozenset[str]) -> None:
        super().__init__(CITATION_RE.pattern)
        self.state = state
        self.known = known

    def handleMatch(  # type: ignore[override]
        self, m: re.Match[str], data: str
    ) -> tuple[etree.Element, int, int]:
        sup = etree.Element("sup")
        sup.set("class", "cite")
        sup.text = "["
        last: etree.Element | None = None
        for i, key in enumerate(CITE_KEY_RE.findall(m.group(1))):
            if i and last is not None:
                last.tail = ","
            if key in self.known:
                last = etree.SubElement(sup, "a")
                last.set("href", f"#ref-{key}")
                last.set("title", key)
                last.text = str(self.state.cite(key))
            else:
                self.state.broken_links.append(f"@{key}")
                last = etree.SubElement(sup, "span")
                last.set("class", "broken")
                last.text = f"?{key}"
        if last is not None:
            last.tail = (last.tail or "") + "]"
        return sup, m.start(0), m.end(0)


def _broken(text: str) -> etree.Element:
    span = etree.Element("span")
    span.set("class", "broken-link")
    span.set("title", "This link points to an article that does not exist")
    span.text = text
    return span


class _LinkAndImageProcessor(Treeprocessor):
    """Rewrite links and images; turn a lone captioned image into a figure."""

    def __init__(self, md: Markdown, state: RenderState) -> None:
        super().__init__(md)
        self.state = state

    def run(self, root: etree.Element) -> None:
        for parent in root.iter():
            for index, el in enumerate(list(parent)):
                if el.tag == "a":
                    self._rewrite_link(el)
                elif el.tag == "img":
                    replacement = self._rewrite_image(el)
                    if replacement is not None:
                        replacement.tail = el.tail
                        parent.remove(el)
                        parent.insert(index, replacement)
        self._make_figures(root)
        self._boxes(root)

    def _boxes(self, root: etree.Element) -> None:
        """Put admonitions in one-cell tables: Qt paints cell backgrounds and padding solidly."""
        for parent in root.iter():
            for index, div in enumerate(list(parent)):
                classes = div.get("class", "").split()
                if div.tag != "div" or "admonition" not in classes:
                    continue
                table = etree.Element("table")
                table.set("class", "box")
                table.set("width", "100%")
                table.set("cellpadding", "8")
                table.set("cellspacing", "0")
                cell = etree.SubElement(etree.SubElement(table, "tr"), "td")
                cell.set("class", " ".join(classes))
                cell.text = div.text
                for child in list(div):
                    cell.append(child)
                table.tail = div.tail
                parent.remove(div)
                parent.insert(index, table)

    def _rewrite_link(self, el: etree.Element) -> None:
        href = el.get("href", "")
        if href.startswith((f"{APP_SCHEME}:", "#")) or not href:
            return
        target = parse_target(href)
        if target.kind is LinkKind.EXTERNAL:
            if not re.match(r"^(https?|mailto):", href, re.I):
                el.attrib.pop("href")
                el.set("class", "broken-link")
            else:
                el.set("class", "external")
                el.set("title", href)
            return
        slug = ""
        if target.kind is LinkKind.FILE:
            found = self.state.find_file(target.slug)
            if found is not None:  # an attachment: named, not opened
                el.attrib.pop("href", None)
                el.set("class", "file-link")
                el.set("title", found.relative_to(self.state.content_root).as_posix())
                return
        slug = self.state.find(target.slug, wiki=False)
        if not slug and self.state.links is not None and target.kind is LinkKind.ARTICLE:
            slug = self.state.links.by_link_text(target.slug, "".join(el.itertext()))
        if slug:
            el.set("href", self.state.article_href(slug, target.anchor))
            if not (el.text or len(el)):
                el.text = self.state.titles(slug)
            return
        self.state.broken_links.append(target.slug or href)
        el.attrib.pop("href", None)
        el.set("class", "broken-link")
        el.set("title", "This link points to an article that does not exist")

    def _rewrite_image(self, el: etree.Element) -> etree.Element | None:
        src = el.get("src", "")
        alt = el.get("alt", "")
        resolved = resolve_resource(src, self.state.article_dir, self.state.content_root)
        if resolved is None and not re.match(r"^[a-zA-Z][a-zA-Z0-9+.\-]*:|^//", src):
            resolved = self.state.find_file(src)  # site-absolute, or by name (Obsidian)
        if resolved is None:
            self.state.blocked_resources.append(src)
            span = etree.Element("span")
            span.set("class", "blocked-image")
            span.text = f"[image not shown: {alt or src}]"
            return span
        relative = resolved.relative_to(self.state.content_root).as_posix()
        el.set("src", f"{RESOURCE_SCHEME}:{quote(relative)}")
        width, height = image_size(resolved)
        wanted = el.attrib.pop("data-width", "")
        if wanted and width:
            width, height = int(wanted), round(height * int(wanted) / width) if height else 0
        if width:
            scale = min(1.0, MAX_IMAGE_WIDTH / width)
            el.set("width", str(round(width * scale)))
            if height:
                el.set("height", str(round(height * scale)))
        return None

    def _make_figures(self, root: etree.Element) -> None:
        for parent in root.iter():
            for index, p in enumerate(list(parent)):
                if p.tag != "p" or len(p) != 1 or (p.text or "").strip():
                    continue
                img = p[0]
                if img.tag != "img" or (img.tail or "").strip() or not img.get("title"):
                    continue
                caption = img.attrib.pop("title")
                figure = etree.Element("div")
                figure.set("class", "figure")
                holder = etree.SubElement(figure, "p")
                holder.set("class", "figure-image")
                holder.set("align", "center")
                img.tail = None
                holder.append(img)
                cap = etree.SubElement(figure, "p")
                cap.set("class", "caption")
                cap.text = caption
                figure.tail = p.tail
                parent.remove(p)
                parent.insert(index, figure)


class _CitationNumberer(Treeprocessor):
    """Number citations in reading order (inline processing does not visit callouts first)."""

    def __init__(self, md: Markdown, state: RenderState) -> None:
        super().__init__(md)
        self.state = state

    def run(self, root: etree.Element) -> None:
        order: list[str] = []
        for el in root.iter("sup"):
            if el.get("class") != "cite":
                continue
            for link in el.iter("a"):
                key = link.get("title", "")
                if key not in order:
                    order.append(key)
                link.text = str(order.index(key) + 1)
        self.state.citation_order[:] = order


class _AttributeSanitiser(Treeprocessor):
    """Drop event handlers, styles and unsafe URLs that attr_list or Markdown let through."""

    def __init__(self, md: Markdown, state: RenderState) -> None:
        super().__init__(md)
        self.state = state

    def run(self, root: etree.Element) -> None:
        for el in root.iter():
            for name in list(el.attrib):
                value = el.attrib[name]
                unsafe_url = name in ("href", "src") and not SAFE_URL_RE.match(value)
                if name not in ALLOWED_ATTRS or unsafe_url:
                    del el.attrib[name]
                    note_removed(self.state, name, value)


class _RawHtmlSanitiser(Postprocessor):
    """Sanitise raw HTML blocks before python-markdown puts them back into the output."""

    def __init__(self, md: Markdown, state: RenderState) -> None:
        super().__init__(md)
        self.state = state

    def run(self, text: str) -> str:
        stash = self.md.htmlStash
        stash.rawHtmlBlocks = [
            sanitise_html(str(block), self.state) for block in stash.rawHtmlBlocks
        ]
        return text


class TermIds(Treeprocessor):
    """Give definition terms (``<dt>``) ids from their text, as Hugo's Goldmark does.

    (``autoDefinitionTermID``: sites link to them, ``[permalinkable](#permalinkable)``.) An id
    already on the page is never taken twice.
    """

    def run(self, root: etree.Element) -> None:  # noqa: D102
        terms = [dt for dt in root.iter("dt") if not dt.get("id")]
        if not terms:
            return
        taken = {el.get("id") for el in root.iter() if el.get("id")}
        for dt in terms:
            base = anchor_key("".join(dt.itertext()))
            if not base:
                continue
            key, n = base, 0
            while key in taken:
                n += 1
                key = f"{base}-{n}"
            taken.add(key)
            dt.set("id", key)


class AtlasExtension(Extension):
    """Registers the app's processors on a Markdown instance."""

    def __init__(self, state: RenderState, known_keys: frozenset[str]) -> None:
        super().__init__()
        self.state = state
        self.known_keys = known_keys

    def extendMarkdown(self, md: Markdown) -> None:
        """Register the processors."""
        md.preprocessors.register(_EmbedPreprocessor(md, self.state), "atlas_embeds", 28)
        md.preprocessors.register(_ConventionsPreprocessor(md), "atlas_conventions", 27)
        md.inlinePatterns.register(
            _WikiLinkProcessor(self.state, embeds=True), "atlas_wiki_embed", 186
        )
        md.inlinePatterns.register(_WikiLinkProcessor(self.state), "atlas_wiki", 185)
        md.inlinePatterns.register(
            _CitationProcessor(self.state, self.known_keys), "atlas_cite", 184
        )
        md.treeprocessors.register(TermIds(md), "atlas_term_ids", 4)
        md.treeprocessors.register(_LinkAndImageProcessor(md, self.state), "atlas_links", 3)
        md.treeprocessors.register(_CitationNumberer(md, self.state), "atlas_cite_order", 2)
        md.treeprocessors.register(_AttributeSanitiser(md, self.state), "atlas_attrs", 1)
        md.postprocessors.register(_RawHtmlSanitiser(md, self.state), "atlas_rawhtml", 35)
