"""An article body cut into its sections (``##`` and ``###`` headings), as plain text.

Each section keeps its heading and the anchor the renderer gives that heading (python-markdown's
``toc`` rule: an explicit ``{#id}``, else the heading text slugified, ``_1``, ``_2`` … when it
repeats), so that search can name the section that answers a query and the window can open there
without rendering the article first. ``tests/core/test_search_sections.py`` holds the anchors
equal to the rendered ones for every bundled article.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from desktop_app.core.render.plaintext import MAX_TEXT_CHARS, markdown_to_text, strip_fences

_HEADING = re.compile(r"^(#{1,6})[ \t]+(.+?)[ \t#]*$")
_EXPLICIT_ID = re.compile(r"[ \t]*\{[^}\n]{0,200}#([\w-]+)[^}\n]{0,200}\}[ \t]*$")
_ATTRS = re.compile(r"[ \t]*\{[#.:][^}\n]{0,200}\}[ \t]*$")
_COUNTED = re.compile(r"^(.*)_([0-9]+)$")
_FENCE = re.compile(r"^(```|~~~)")


@dataclass(frozen=True, slots=True)
class Section:
    """One section: its heading level, heading, anchor and plain text.

    Level 0 is the text before the first heading; a section's text opens with its heading.
    """

    level: int
    heading: str
    anchor: str
    text: str


def slugify(value: str) -> str:
    """python-markdown's default heading id: ASCII, lower case, words joined by '-'."""
    value = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode("ascii")
    value = re.sub(r"[^\w\s-]", "", value).strip().lower()
    return re.sub(r"[-\s]+", "-", value)


def _unique(anchor: str, used: set[str]) -> str:
    while anchor in used or not anchor:
        match = _COUNTED.match(anchor)
        anchor = f"{match.group(1)}_{int(match.group(2)) + 1}" if match else f"{anchor}_1"
    used.add(anchor)
    return anchor


def split_sections(body: str, levels: tuple[int, ...] = (2, 3)) -> list[Section]:
    """Cut ``body`` at its headings of ``levels``; the first section is the text before them."""
    body = body[:MAX_TEXT_CHARS]
    used: set[str] = {"top"}
    parts: list[tuple[int, str, str, list[str]]] = [(0, "", "", [])]
    in_fence = False
    for line in body.splitlines():
        if _FENCE.match(line):
            in_fence = not in_fence
        match = None if in_fence else _HEADING.match(line)
        if match is None:
            parts[-1][3].append(line)
            continue
        raw = match.group(2)
        explicit = _EXPLICIT_ID.search(raw)
        heading = markdown_to_text(_ATTRS.sub("", raw)).strip()
        anchor = explicit.group(1) if explicit else slugify(heading)
        anchor = _unique(anchor, used) if not explicit else anchor
        used.add(anchor)
        if len(match.group(1)) in levels:
            parts.append((len(match.group(1)), heading, anchor, [heading]))
        else:
            parts[-1][3].append(line)
    return [
        Section(level, heading, anchor, markdown_to_text(strip_fences("\n".join(lines))))
        for level, heading, anchor, lines in parts
        if level or any(line.strip() for line in lines)
    ]
