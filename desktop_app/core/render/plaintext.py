"""Markdown to plain text for indexing and snippets (fast, regex based, no rendering).

Every pattern here runs in linear time on hostile input: whitespace never spans lines, runs of
blanks are entered only at their start, and bracketed parts are bounded. A text longer than
``MAX_TEXT_CHARS`` is cut, as the renderer cuts what it shows.
"""

from __future__ import annotations

import bisect
import re

from desktop_app.core.content import CITATION_RE, WIKI_LINK_RE
from desktop_app.core.render.conventions import CALLOUT_MARK_RE, SHORTCODE_RE

MAX_TEXT_CHARS = 2_000_000
_FENCE_OPEN = re.compile(r"^(```|~~~)", re.M)
_FENCE_CLOSE = re.compile(r"^(```|~~~)[ \t]*$", re.M)
_CITATION = re.compile(r"(?<![ \t])[ \t]*" + CITATION_RE.pattern)
_IMAGE = re.compile(r"!\[([^\[\]\n]{0,500})\]\([^)\n]{0,500}\)")
_LINK = re.compile(r"\[([^\[\]\n]{0,500})\]\([^)\n]{0,500}\)")
_ADMONITION = re.compile(r'^!!![ \t]*\w+(?:[ \t]+"([^"\n]*)")?[ \t]*$', re.M)
_ATTR = re.compile(r"(?<![ \t])[ \t]*\{[#.:][^}\n]{0,200}\}[ \t]*$", re.M)
_HEADING = re.compile(r"^#{1,6}[ \t]+(.*)$", re.M)
_MARKS = re.compile(r"(\*\*|__|\*|`|^[ \t]*>[ \t]?|^[ \t]*[-+*][ \t]+|^[ \t]*\d+\.[ \t]+|\|)", re.M)
_TABLE_RULE = re.compile(
    r"^[ \t]*(?:\|[ \t]*)?:?-{3,}:?(?:[ \t]*\|[ \t]*:?-{3,}:?)*(?:[ \t]*\|)?[ \t]*$", re.M
)
_TAG = re.compile(r"<[^>]{0,200}>")
_SPACE = re.compile(r"[ \t]*\t[ \t]*| {2,}")  # runs of blanks but a lone space
_BLANK_LINES = re.compile(r"\n(?:[ \t]*\n)+")


def _wiki_text(match: re.Match[str]) -> str:
    if match.group(2):
        return match.group(2)
    return match.group(1).split("#", 1)[-1].replace("-", " ")


def _heading_text(match: re.Match[str]) -> str:
    return match.group(1).strip().rstrip("#").rstrip()


def strip_fences(text: str) -> str:
    """Replace each closed fenced code block by a space (an unclosed fence is left as text)."""
    closes: dict[str, list[int]] = {"```": [], "~~~": []}
    for match in _FENCE_CLOSE.finditer(text):
        closes[match.group(1)].append(match.start())
    if not closes["```"] and not closes["~~~"]:
        return text
    out: list[str] = []
    pos = 0
    for match in _FENCE_OPEN.finditer(text):
        start = match.start()
        if start < pos:
            continue
        ends = closes[match.group(1)]
        i = bisect.bisect_right(ends, start)
        if i == len(ends):
            continue
        end = text.find("\n", ends[i])
        out.append(text[pos:start] + " ")
        pos = len(text) if end < 0 else end
    out.append(text[pos:])
    return "".join(out)


def markdown_to_text(body: str) -> str:
    """Strip Markdown syntax, citations and HTML tags; keep words and line breaks."""
    # Each pattern runs only when the text holds a literal it needs: scanning costs more than
    # the check, and most articles have no citations, attributes, admonitions or tables.
    text = strip_fences(body[:MAX_TEXT_CHARS])
    if "[@" in text:
        text = _CITATION.sub("", text)
    if "{{" in text or "[!" in text:
        text = CALLOUT_MARK_RE.sub("", SHORTCODE_RE.sub("", text))
    text = WIKI_LINK_RE.sub(_wiki_text, text)
    text = _IMAGE.sub(r"\1", text)
    text = _LINK.sub(r"\1", text)
    if "!!!" in text:
        text = _ADMONITION.sub(lambda m: m.group(1) or "", text)
    if "{" in text:
        text = _ATTR.sub("", text)
    if "#" in text:
        text = _HEADING.sub(_heading_text, text)
    if "---" in text:
        text = _TABLE_RULE.sub("", text)
    text = _TAG.sub(" ", text)
    text = _MARKS.sub(" ", text)
    text = _SPACE.sub(" ", text)
    return _BLANK_LINES.sub("\n", text).strip()


def headings(body: str) -> list[str]:
    """Return the text of every heading in a Markdown body."""
    text = strip_fences(body[:MAX_TEXT_CHARS])
    return [_ATTR.sub("", _heading_text(m)) for m in _HEADING.finditer(text)]
