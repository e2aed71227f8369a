"""The link rules of the ``check`` command: which links, images and anchors are really broken.

Targets resolve as ``resolve`` says (path, relative path, unique name, title); a name several
pages share is reported once per article with its candidates, never guessed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from desktop_app.core.content.links import Link, LinkKind, find_links
from desktop_app.core.content.resolve import has_anchor

if TYPE_CHECKING:
    from desktop_app.core.content.library import Library

SHOWN_SCHEMES = re.compile(r"^(https?|mailto):", re.I)
_REMOTE = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.\-]*:|^//")
MAX_CANDIDATES_SHOWN = 4

WARNINGS = ("link removed", "image not shown")
Problem = tuple[int, str, str]
"""(file line, slug the link leads to or '', message or '' when the link is fine)."""


def link_problems(
    library: Library,
    slug: str,
    body: str,
    anchors: dict[str, set[str]],
    used_files: set[Path],
) -> Iterator[Problem]:
    """Check every link and image of one article; yield where each leads and what is wrong."""
    article = library.articles[slug]
    from_dir = library.links.folder_of(slug)
    reported: set[str] = set()
    for link in find_links(body, article.body_line):
        target = link.target
        if link.is_image:
            yield _image(library, link, from_dir, used_files)
            continue
        if target.kind is LinkKind.EXTERNAL:
            shown = SHOWN_SCHEMES.match(target.url)
            yield link.line, "", "" if shown else f"link removed: {target.url[:80]!r}"
            continue
        if target.kind is LinkKind.FILE:
            found = library.links.find_file(target.slug, from_dir)
            if found is not None:
                used_files.add(found)
                yield link.line, "", ""
                continue
        if target.kind is LinkKind.ANCHOR:
            dest = slug
        else:
            resolved = library.links.resolve(target.slug, from_dir, wiki=link.wiki)
            dest = resolved.slug
            if resolved.candidates:
                if target.slug not in reported:
                    reported.add(target.slug)
                    yield link.line, "", _ambiguous(library, target.slug, resolved.candidates)
                continue
            if not dest:
                what = "file not found" if target.kind is LinkKind.FILE else "no article"
                yield link.line, "", f"broken link: {what} '{target.slug}'"
                continue
        block = target.anchor.startswith("^")  # a block reference needs the target's text
        if target.anchor and not has_anchor(
            target.anchor, anchors.get(dest, set()), _body(library, dest) if block else ""
        ):
            yield link.line, dest, f"broken anchor: '{dest}#{target.anchor}'"
            continue
        yield link.line, dest, ""


def _image(library: Library, link: Link, from_dir: str, used_files: set[Path]) -> Problem:
    src = link.target.slug if link.target.kind is LinkKind.FILE else link.target.url
    src = src or link.target.slug
    if _REMOTE.match(src):  # never fetched: a placeholder is shown
        return link.line, "", f"image not shown (remote, never fetched): {src[:80]}"
    found = library.links.find_file(src, from_dir)
    if found is None:
        return link.line, "", f"image not found or outside the content folder: {src}"
    used_files.add(found)
    return link.line, "", ""


def _ambiguous(library: Library, name: str, candidates: tuple[str, ...]) -> str:
    paths = [library.links.rel_of.get(c, c) for c in candidates]
    shown = ", ".join(paths[:MAX_CANDIDATES_SHOWN])
    more = len(paths) - MAX_CANDIDATES_SHOWN
    rest = f" and {more} more" if more > 0 else ""
    return f"ambiguous link '{name}': {len(paths)} pages match ({shown}{rest}); write its path"


def _body(library: Library, slug: str) -> str:
    try:
        return library.read_body(slug)
    except (OSError, KeyError):
        return ""
