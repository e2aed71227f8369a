"""Internal links and citations in article bodies: parse, resolve and index them.

Two link forms point at articles: ``[[name]]`` / ``[[name#heading|text]]`` and ordinary Markdown
``[text](target)``, where the target may be a slug, a relative path to the ``.md`` file or a
site path (``/section/page/``); ``resolve`` says which article each leads to. ``![[file.png]]``
embeds a file, ``![[Note]]`` a note. Citations are ``[@Key]`` or ``[@Key1; @Key2]``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from enum import StrEnum
from urllib.parse import unquote

# A wiki link is not followed by '(': ``[[1]](page.md)`` is a Markdown link whose text is "[1]".
WIKI_LINK_RE = re.compile(r"\[\[([^\[\]|\n]+?)(?:\|([^\[\]\n]+?))?\]\](?!\()")
MD_LINK_RE = re.compile(
    r"(!?)\[((?:[^\[\]\n]|\[[^\[\]\n]*\])*)\]\(\s*<?([^)\s>]*)>?(?:\s+\"[^\"]*\")?\s*\)"
)
# A reference-style link's definition: ``[label]: target "title"`` (not a footnote ``[^1]:``).
REF_DEF_RE = re.compile(r"^ {0,3}\[([^\]^][^\]]*)\]:\s*<?([^\s>]+)>?(?:\s+[\"'(].*)?$")
CITATION_RE = re.compile(r"\[(@[A-Za-z][\w:.\-]*(?:\s*;\s*@[A-Za-z][\w:.\-]*)*)\](?![(\[])")
CITE_KEY_RE = re.compile(r"@([A-Za-z][\w:.\-]*)")
_SCHEME_RE = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.\-]*:")
_FENCE_RE = re.compile(r"^\s*(```|~~~)")
_SCRIPT_RE = re.compile(r"<(script|style)\b", re.I)
_SCRIPT_END_RE = re.compile(r"</(script|style)\s*>", re.I)
_LINK_SYNTAX = re.compile(r"[\[\]()@<>]")
_CODE_SPAN_RE = re.compile(r"(`+)(?!`).*?(?<!`)\1(?!`)")
_FILE_NAME_RE = re.compile(
    r"\.(?!md$)[A-Za-z0-9]{1,5}$"
)  # 'x.png', 'x.pdf'; not 'x.md', 'v1.2 notes'
_PAGE_EXT_RE = re.compile(r"\.(md|html?)$", re.I)
# Hugo shortcodes whose inner text is code, not Markdown: ``{{< highlight go >}}``,
# ``{{< code-toggle file=hugo >}}`` (configuration in TOML/YAML/JSON), ``{{< code >}}``.
CODE_SHORTCODE_RE = re.compile(
    r"^\s*\{\{([<%])\s*(/?)\s*(highlight|code-toggle|code)\b([^{}\n]{0,300}?)\s*(/?)\s*[%>]\}\}\s*$"
)

APP_SCHEME = "atlas"
RESOURCE_SCHEME = "atlas-res"


class LinkKind(StrEnum):
    """What a link target is."""

    ARTICLE = "article"
    ANCHOR = "anchor"
    EXTERNAL = "external"
    FILE = "file"


@dataclass(frozen=True, slots=True)
class Target:
    """A parsed link target: an article slug and/or anchor, or an external address."""

    kind: LinkKind
    slug: str = ""
    anchor: str = ""
    url: str = ""


@dataclass(frozen=True, slots=True)
class Link:
    """A link found in a body, with its 1-based line in the file."""

    line: int
    target: Target
    text: str
    is_image: bool = False
    wiki: bool = False
    embed: bool = False
    """An Obsidian note embed ``![[Note]]``: its text is shown in the article."""


def parse_target(raw: str) -> Target:
    """Classify a link target written in Markdown; an article target keeps its whole path."""
    raw = raw.strip()
    if raw.startswith("#"):
        return Target(LinkKind.ANCHOR, anchor=unquote(raw[1:]))
    if _SCHEME_RE.match(raw) and not re.match(r"^[a-zA-Z]:[\\/]", raw):
        if raw.startswith(f"{APP_SCHEME}:"):
            slug, _, anchor = raw[len(APP_SCHEME) + 1 :].partition("#")
            return Target(LinkKind.ARTICLE, slug=_nfc(unquote(slug)), anchor=unquote(anchor))
        return Target(LinkKind.EXTERNAL, url=raw)
    path, _, anchor = raw.partition("#")
    if path.startswith("?"):  # a site's own query (``?q=search``): not a page here
        return Target(LinkKind.EXTERNAL, url=raw)
    path = unquote(path.partition("?")[0])
    name = path.rstrip("/").rsplit("/", 1)[-1]
    if "." in name and not _PAGE_EXT_RE.search(name) and not path.endswith("/"):
        return Target(LinkKind.FILE, slug=path, anchor=unquote(anchor))
    return Target(LinkKind.ARTICLE, slug=_nfc(_PAGE_EXT_RE.sub("", path)), anchor=unquote(anchor))


def parse_wiki_target(inner: str) -> Target:
    """Parse the inside of ``[[...]]`` (before any ``|``); a name with an extension is a file."""
    slug, _, anchor = inner.strip().rstrip("\\").partition("#")  # [[a\|b]]: a table's pipe
    slug = slug.strip()
    if _FILE_NAME_RE.search(slug):
        return Target(LinkKind.FILE, slug=slug, anchor=anchor.strip())
    if slug.lower().endswith(".md"):
        slug = slug[:-3]
    return Target(
        LinkKind.ARTICLE if slug else LinkKind.ANCHOR,
        slug=_nfc(slug),
        anchor=anchor.strip(),
    )


def _nfc(slug: str) -> str:
    """Compare slugs in NFC: macOS writes file names decomposed, editors type them composed."""
    return unicodedata.normalize("NFC", slug)


def _content_lines(body: str, first_line: int) -> Iterator[tuple[int, str]]:
    """Yield (line number, text) for lines outside fenced code, with code spans blanked.

    Code never holds a link or a citation: a shell test ``[[ -z $x ]]`` in backticks is code.
    Nor does a raw ``<script>`` or ``<style>`` block, or a Hugo code shortcode's inner text.
    """
    in_fence = in_script = in_code = False
    for offset, line in enumerate(body.splitlines()):
        if _FENCE_RE.match(line) and not in_script and not in_code:
            in_fence = not in_fence
            continue
        if in_fence:
            continue
        if "{{" in line and (code := CODE_SHORTCODE_RE.match(line)) and not code.group(5):
            in_code = not code.group(2)  # an opening tag starts code, a closing one ends it
            continue
        if in_code:
            continue
        if "`" in line:
            line = _CODE_SPAN_RE.sub(_blank_code, line)
        if in_script or _SCRIPT_RE.search(line):
            in_script = not _SCRIPT_END_RE.search(line)
            continue
        yield first_line + offset, line


def _blank_code(match: re.Match[str]) -> str:
    """A code span that could hold or break a link's syntax becomes spaces (same length).

    One that could not stays, so a link's text keeps its words: ``[`float`](g)``.
    """
    span = match.group(0)
    return " " * len(span) if _LINK_SYNTAX.search(span) else span


def find_links(body: str, first_line: int = 1) -> list[Link]:
    """Return every link and image in a Markdown body, with file line numbers."""
    links: list[Link] = []
    for number, line in _content_lines(body, first_line):
        if "[" not in line:
            continue
        definition = REF_DEF_RE.match(line)
        if definition:
            target = parse_target(definition.group(2))
            links.append(Link(number, target, definition.group(1)))
            continue
        for match in WIKI_LINK_RE.finditer(line):
            target = parse_wiki_target(match.group(1))
            embed = match.start() > 0 and line[match.start() - 1] == "!"
            file_embed = embed and target.kind is LinkKind.FILE
            links.append(
                Link(number, target, match.group(2) or "", file_embed, wiki=True, embed=embed)
            )
        for match in MD_LINK_RE.finditer(WIKI_LINK_RE.sub("", line)):
            if not match.group(3):
                continue
            links.append(
                Link(number, parse_target(match.group(3)), match.group(2), bool(match.group(1)))
            )
    return links


def find_citations(body: str, first_line: int = 1) -> list[tuple[int, str]]:
    """Return (line, key) for every citation in a body, in order of appearance."""
    found: list[tuple[int, str]] = []
    for number, line in _content_lines(body, first_line):
        if "[@" not in line:
            continue
        for match in CITATION_RE.finditer(line):
            found.extend((number, key) for key in CITE_KEY_RE.findall(match.group(1)))
    return found


def backlinks(
    bodies: Iterable[tuple[str, str]], resolve: Callable[[str, Link], str] | None = None
) -> dict[str, list[str]]:
    """Map each slug to the slugs of articles that link to it (from (slug, body) pairs).

    ``resolve(source, link)`` names the article a link leads to ('' for none); by default the
    target as written (``Library.links.link_slug`` resolves as the authors meant).
    """
    out: dict[str, list[str]] = {}
    for source, body in bodies:
        targets = {
            resolve(source, link) if resolve else link.target.slug
            for link in find_links(body)
            if link.target.kind is LinkKind.ARTICLE and not link.is_image
        }
        for target in sorted(targets - {source, ""}):
            out.setdefault(target, []).append(source)
    return out
