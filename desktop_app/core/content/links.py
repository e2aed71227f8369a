"""Internal links and citations in article bodies: parse, resolve and index them.

Two link forms point at articles: ``[[slug]]`` / ``[[slug#anchor|text]]`` and ordinary Markdown
``[text](slug)``, where the target may also be a relative path to the ``.md`` file. Citations are
``[@Key]`` or ``[@Key1; @Key2]``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from enum import StrEnum
from urllib.parse import unquote

WIKI_LINK_RE = re.compile(r"\[\[([^\[\]|\n]+?)(?:\|([^\[\]\n]+?))?\]\]")
MD_LINK_RE = re.compile(
    r"(!?)\[((?:[^\[\]\n]|\[[^\[\]\n]*\])*)\]\(\s*<?([^)\s>]*)>?(?:\s+\"[^\"]*\")?\s*\)"
)
CITATION_RE = re.compile(r"\[(@[A-Za-z][\w:.\-]*(?:\s*;\s*@[A-Za-z][\w:.\-]*)*)\]")
CITE_KEY_RE = re.compile(r"@([A-Za-z][\w:.\-]*)")
_SCHEME_RE = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.\-]*:")
_FENCE_RE = re.compile(r"^\s*(```|~~~)")
_CODE_SPAN_RE = re.compile(r"(`+)(?!`).*?(?<!`)\1(?!`)")

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


def parse_target(raw: str) -> Target:
    """Classify a link target written in Markdown."""
    raw = raw.strip()
    if raw.startswith("#"):
        return Target(LinkKind.ANCHOR, anchor=unquote(raw[1:]))
    if _SCHEME_RE.match(raw) and not re.match(r"^[a-zA-Z]:[\\/]", raw):
        if raw.startswith(f"{APP_SCHEME}:"):
            slug, _, anchor = raw[len(APP_SCHEME) + 1 :].partition("#")
            return Target(LinkKind.ARTICLE, slug=_nfc(unquote(slug)), anchor=unquote(anchor))
        return Target(LinkKind.EXTERNAL, url=raw)
    path, _, anchor = raw.partition("#")
    path = unquote(path)
    name = path.rstrip("/").rsplit("/", 1)[-1]
    if name.lower().endswith(".md"):
        name = name[:-3]
    elif "." in name or "/" in path:
        return Target(LinkKind.FILE, slug=path, anchor=unquote(anchor))
    return Target(LinkKind.ARTICLE, slug=_nfc(name), anchor=unquote(anchor))


def parse_wiki_target(inner: str) -> Target:
    """Parse the inside of ``[[...]]`` (before any ``|``)."""
    slug, _, anchor = inner.strip().partition("#")
    return Target(
        LinkKind.ARTICLE if slug else LinkKind.ANCHOR,
        slug=_nfc(slug.strip()),
        anchor=anchor.strip(),
    )


def _nfc(slug: str) -> str:
    """Compare slugs in NFC: macOS writes file names decomposed, editors type them composed."""
    return unicodedata.normalize("NFC", slug)


def _content_lines(body: str, first_line: int) -> Iterator[tuple[int, str]]:
    """Yield (line number, text) for lines outside fenced code, with code spans blanked.

    Code never holds a link or a citation: a shell test ``[[ -z $x ]]`` in backticks is code.
    """
    in_fence = False
    for offset, line in enumerate(body.splitlines()):
        if _FENCE_RE.match(line):
            in_fence = not in_fence
            continue
        if not in_fence:
            if "`" in line:
                line = _CODE_SPAN_RE.sub(lambda m: " " * len(m.group(0)), line)
            yield first_line + offset, line


def find_links(body: str, first_line: int = 1) -> list[Link]:
    """Return every link and image in a Markdown body, with file line numbers."""
    links: list[Link] = []
    for number, line in _content_lines(body, first_line):
        if "[" not in line:
            continue
        for match in WIKI_LINK_RE.finditer(line):
            target = parse_wiki_target(match.group(1))
            links.append(Link(number, target, match.group(2) or ""))
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


def backlinks(bodies: Iterable[tuple[str, str]]) -> dict[str, list[str]]:
    """Map each slug to the slugs of articles that link to it (from (slug, body) pairs)."""
    out: dict[str, list[str]] = {}
    for source, body in bodies:
        targets = {
            link.target.slug
            for link in find_links(body)
            if link.target.kind is LinkKind.ARTICLE and not link.is_image
        }
        for target in sorted(targets - {source}):
            out.setdefault(target, []).append(source)
    return out
