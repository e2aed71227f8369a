"""Obsidian note embeds: a line ``![[Note]]`` or ``![[Note#Heading]]`` shows that note's text.

The embedded text (the whole note, or the section under the heading) is set in a framed box
titled with the note's title, ahead of a link to the note. Its headings become bold lines, so
the host article's outline and anchors stay its own. Embeds inside embeds are followed two
levels deep, never round a cycle; an embed of a note that is missing, or an image, or one in
the middle of a sentence, is left to the link and image rules (a link, an image, or a broken
link that ``check`` reports).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from desktop_app.core.content import anchor_key

MAX_DEPTH = 2
_EMBED_LINE = re.compile(r"^\s*!\[\[([^\[\]|\n#]*)(?:#([^\[\]|\n]+))?(?:\|[^\[\]\n]*)?\]\]\s*$")
_FENCE = re.compile(r"^\s*(```|~~~)")
_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
_FILE_SUFFIX = re.compile(r"\.(?!md$)[A-Za-z0-9]{1,5}$")

Resolve = Callable[[str], str]
"""Return the slug a note name leads to ('' when none)."""
Read = Callable[[str], tuple[str, str]]
"""Return (title, body) of a slug."""


def expand_embeds(
    lines: list[str],
    resolve: Resolve,
    read: Read,
    href: Callable[[str, str], str],
    host: str = "",
) -> list[str]:
    """Replace each whole-line note embed by the note's text in a box (see the module)."""
    return _expand(lines, resolve, read, href, 0, frozenset({host} - {""}))


def _expand(
    lines: list[str],
    resolve: Resolve,
    read: Read,
    href: Callable[[str, str], str],
    depth: int,
    seen: frozenset[str],
) -> list[str]:
    out: list[str] = []
    fenced = False
    for line in lines:
        if _FENCE.match(line):
            fenced = not fenced
        match = None if fenced or depth >= MAX_DEPTH else _EMBED_LINE.match(line)
        name = match.group(1).strip() if match else ""
        slug = resolve(name) if name and not _FILE_SUFFIX.search(name) else ""
        if not match or not slug or slug in seen:
            out.append(line)
            continue
        heading = (match.group(2) or "").strip()
        title, body = read(slug)
        text = section(body, heading) if heading else _without_title(body, title)
        if heading and not text.strip():
            text = f"*No section '{heading}' in this note.*"
        inner = _expand(text.splitlines(), resolve, read, href, depth + 1, seen | {slug})
        label = f"{title} › {heading}" if heading else title
        out += ["", f'!!! embed "{label.replace(chr(34), chr(39))}"', ""]
        out += [f"    {x}" if x.strip() else "" for x in _demoted(inner)]
        out += ["", f"    [↪ {label}]({href(slug, heading)})", ""]
    return out


def section(body: str, heading: str) -> str:
    """Return the part of ``body`` under the heading called ``heading`` ('' when absent)."""
    key = anchor_key(heading.rpartition("#")[2])
    lines = body.splitlines()
    levels = _heading_levels(lines)
    for i, line in enumerate(lines):
        found = _HEADING.match(line) if levels[i] else None
        if found and anchor_key(found.group(2)) == key:
            end = next(
                (j for j in range(i + 1, len(lines)) if 0 < levels[j] <= levels[i]), len(lines)
            )
            return "\n".join(lines[i + 1 : end])
    return ""


def _heading_levels(lines: list[str]) -> list[int]:
    """Each line's heading level (0: not a heading, or inside fenced code)."""
    out, fenced = [], False
    for line in lines:
        if _FENCE.match(line):
            fenced = not fenced
        found = None if fenced else _HEADING.match(line)
        out.append(len(found.group(1)) if found else 0)
    return out


def _without_title(body: str, title: str) -> str:
    """Drop the note's own ``# Title`` line (the box shows the title)."""
    lines = body.lstrip("\n").splitlines()
    if lines and (found := _HEADING.match(lines[0])) and found.group(2).strip() == title.strip():
        return "\n".join(lines[1:])
    return body


def _demoted(lines: list[str]) -> list[str]:
    """Headings outside code become bold lines; fenced code becomes indented code.

    (python-markdown reads fences at the top level only, not inside the box.)
    """
    out, fenced = [], False
    for line in lines:
        if _FENCE.match(line):
            fenced = not fenced
            out.append("")
            continue
        if fenced:
            out.append(f"    {line}" if line.strip() else "    ")
            continue
        found = _HEADING.match(line)
        out.append(f"**{found.group(2)}**" if found else line)
    return out
