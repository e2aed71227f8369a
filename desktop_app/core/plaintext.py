"""Markdown to plain text for indexing and snippets (fast, regex based, no rendering)."""

from __future__ import annotations

import re

from desktop_app.core.links import CITATION_RE, WIKI_LINK_RE

_FENCED = re.compile(r"^(```|~~~).*?^\1\s*$", re.M | re.S)
_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_ADMONITION = re.compile(r'^!!!\s*\w+(?:\s+"([^"]*)")?\s*$', re.M)
_ATTR = re.compile(r"\s*\{[#.:][^}]*\}\s*$", re.M)
_HEADING = re.compile(r"^#{1,6}\s+(.*?)\s*#*\s*$", re.M)
_MARKS = re.compile(r"(\*\*|__|\*|`|^\s*>\s?|^\s*[-+*]\s+|^\s*\d+\.\s+|\|)", re.M)
_TABLE_RULE = re.compile(r"^\s*:?-{3,}:?(\s*\|?\s*:?-{3,}:?)*\s*$", re.M)
_TAG = re.compile(r"<[^>]{0,200}>")
_SPACE = re.compile(r"[ \t]+")


def _wiki_text(match: re.Match[str]) -> str:
    if match.group(2):
        return match.group(2)
    return match.group(1).split("#", 1)[-1].replace("-", " ")


def markdown_to_text(body: str) -> str:
    """Strip Markdown syntax, citations and HTML tags; keep words and line breaks."""
    text = _FENCED.sub(" ", body)
    text = re.sub(r"[ \t]*" + CITATION_RE.pattern, "", text)
    text = WIKI_LINK_RE.sub(_wiki_text, text)
    text = _IMAGE.sub(r"\1", text)
    text = _LINK.sub(r"\1", text)
    text = _ADMONITION.sub(lambda m: m.group(1) or "", text)
    text = _ATTR.sub("", text)
    text = _HEADING.sub(r"\1", text)
    text = _TABLE_RULE.sub("", text)
    text = _TAG.sub(" ", text)
    text = _MARKS.sub(" ", text)
    text = _SPACE.sub(" ", text)
    return re.sub(r"\n\s*\n+", "\n", text).strip()


def headings(body: str) -> list[str]:
    """Return the text of every heading in a Markdown body."""
    return [_ATTR.sub("", m.group(1)) for m in _HEADING.finditer(_FENCED.sub(" ", body))]
