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
from desktop_app.core.content.resolve import anchor_key, has_anchor

if TYPE_CHECKING:
    from desktop_app.core.content.library import Library

SHOWN_SCHEMES = re.compile(r"^(https?|mailto):", re.I)
_REMOTE = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.\-]*:|^//")
MAX_CANDIDATES_SHOWN = 4

WARNINGS = ("link removed", "image not shown", "anchor not checked", "link not checked")
_BARE = re.compile(r"^\w+$")
_HOOK_MISS = re.compile(r"^broken link: no article '(\w+)' \(link text '(.*)'\)$")


def may_be_hook_link(message: str) -> bool:
    """Whether ``message`` reports a bare-word link miss, which ``hook_link`` judges at the end."""
    return _HOOK_MISS.match(message) is not None


def hook_link(library: Library, message: str) -> str:
    """The warning a missed site-hook link gets instead of ``message`` ('' if it is not one).

    A bare word some links use for the text's page (Hugo's ``[term](g)``) is resolved by the
    site's link hook, a template outside the folder: when no page here is titled like a link's
    text, only that hook knows whether the link works.
    """
    found = _HOOK_MISS.match(message)
    if found is None or found.group(1).casefold() not in library.links.hook_targets:
        return ""
    raw, text = found.groups()
    return (
        f"link not checked: '[{text}]({raw})' is made by the site's link hook (a template "
        f"outside the folder); no page here is titled '{text}'"
    )


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
            hooked = not dest and not link.wiki and target.kind is LinkKind.ARTICLE
            if hooked:
                dest = library.links.by_link_text(target.slug, link.text)
            if resolved.candidates:
                if target.slug not in reported:
                    reported.add(target.slug)
                    yield link.line, "", _ambiguous(library, target.slug, resolved.candidates)
                continue
            if not dest:
                what = "file not found" if target.kind is LinkKind.FILE else "no article"
                kind = "embed" if link.embed else "link"
                text = f" (link text '{link.text}')" if hooked and _BARE.match(target.slug) else ""
                yield link.line, "", f"broken {kind}: {what} '{target.slug}'{text}"
                continue
        if target.anchor and target.anchor not in anchors.get(dest, set()):
            ids = anchors.get(dest, set())
            problem = _anchor_problem(target.anchor, dest, ids, library, embed=link.embed)
            if problem:
                yield link.line, dest, problem
                continue
        yield link.line, dest, ""


_EXPLICIT_ID = re.compile(r"""\{[^{}\n]*#([\w.:+\-]+)[^{}\n]*\}|\b(?:id|name)=["']([^"']+)["']""")
_MACRO = re.compile(r"<!--\s*md:\w+\s+([^\s>]+)|\{\{[^{}\n]*\}\}|\{%[^%\n]*%\}")
_INCLUDES = re.compile(r"^\s*(?:--8<--|:::\s*\S)|\{%\s*include|\{!", re.M)
# Template constructs that can make headings and anchors when the site is built: Jinja/MkDocs
# macros ``{{ … }}`` and ``{% … %}`` outside code. (MkDocs Material's ``<!-- md:… -->`` markers
# make only the anchor they name: ``source_has_anchor`` knows those.)
_TEMPLATES = re.compile(r"\{\{[^{}\n]*\}\}|\{%[^%\n]*%\}")
_TAB = re.compile(r'^\s*===\+?\s+"([^"\n]+)"', re.M)
_HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*#*\s*$", re.M)
_FENCED = re.compile(r"^[ \t]*(`{3,}|~{3,}).*?^[ \t]*\1[ \t]*$", re.M | re.S)


def _anchor_problem(anchor: str, dest: str, ids: set[str], library: Library, *, embed: bool) -> str:
    """What is wrong with ``dest#anchor`` ('' when the target has it); reads its source once."""
    body = _body(library, dest)
    if has_anchor(anchor, ids, body) or source_has_anchor(anchor, body):
        return ""
    if generates_anchors(body):
        return (
            f"anchor not checked: '{dest}#{anchor}' (the page takes text from "
            "outside the folder or has a template make it: an include, a plugin "
            "block or a macro)"
        )
    what = "embed: no such section" if embed else "anchor:"
    return f"broken {what} '{dest}#{anchor}'"


def source_has_anchor(anchor: str, body: str) -> bool:
    """Whether the target's source names ``anchor`` where the rendered page cannot show it.

    Explicit ids (``{ #id }`` attribute lists, ``id="…"`` / ``name="…"`` in HTML), heading
    lines the renderer here did not turn into headings (inside constructs of other Markdown
    tools), and anchors a docs site's macros make from a marker in the page (MkDocs Material:
    ``<!-- md:setting config.draft -->`` gives ``#config.draft``; a leading ``+`` is theirs).
    """
    if not body or not anchor:
        return False
    wanted = anchor.lstrip("+")
    for match in _EXPLICIT_ID.finditer(body):
        if wanted in (match.group(1), match.group(2)):
            return True
    for match in _MACRO.finditer(body):
        name = match.group(1)
        if name and (name == wanted or name.endswith("." + wanted) or wanted.endswith(name)):
            return True
    key = anchor_key(wanted)
    prose = _FENCED.sub("", body)  # a "# comment" in code is not a heading
    if any(anchor_key(h) == key for h in _HEADING.findall(prose) if key):
        return True
    # pymdownx.tabbed: a tab '=== "Title"' is '#title', or '#heading--title' below a heading
    return any(
        key == (t := anchor_key(tab)) or key.endswith(f"-{t}") for tab in _TAB.findall(prose)
    )


def generates_anchors(body: str) -> bool:
    """Whether a build may give a page anchors its source does not show here.

    Text from elsewhere (includes, plugin blocks) or templates (macros): an anchor into such a
    page cannot be checked offline.
    """
    if _INCLUDES.search(body):
        return True
    if "{" not in body:
        return False
    return _TEMPLATES.search(_FENCED.sub("", body)) is not None


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
