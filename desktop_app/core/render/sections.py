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
_SEPARATOR = "\x1e"  # ASCII record separator: not a word, space or Markdown character


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
    kept = [part for part in parts if part[0] or any(line.strip() for line in part[3])]
    texts = _convert_all([strip_fences("\n".join(part[3])) for part in kept])
    return [
        Section(level, heading, anchor, text)
        for (level, heading, anchor, _), text in zip(kept, texts, strict=True)
    ]


def _convert_all(texts: list[str]) -> list[str]:
    """``markdown_to_text`` of each text, converted in one pass where that gives the same result.

    The texts are joined by separator lines that no conversion touches unless a pattern spans
    two texts; then the separators do not all survive, and each text is converted alone.
    """
    if len(texts) < 2 or any(_SEPARATOR in text for text in texts):
        return [markdown_to_text(text) for text in texts]
    joined = markdown_to_text(f"\n{_SEPARATOR}\n".join(texts))
    parts = joined.split(_SEPARATOR)
    if len(parts) != len(texts) or sum(len(t) for t in texts) > MAX_TEXT_CHARS:
        return [markdown_to_text(text) for text in texts]
    return [part.strip() for part in parts]
