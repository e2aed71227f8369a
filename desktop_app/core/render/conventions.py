"""Conventions of other people's Markdown, turned into ours before python-markdown parses.

Obsidian/GitHub callouts ``> [!note] Title`` become admonitions, and Hugo
shortcodes ``{{< name >}}`` / ``{{% name %}}`` are dropped, keeping any text between a pair.
Fenced code is left exactly as written. No python-markdown here: the search index's plain text
(``plaintext``) uses the patterns without loading it.
"""

from __future__ import annotations

import re

_FENCE = re.compile(r"^\s*(```|~~~)")
_CALLOUT = re.compile(r"^>\s*\[!(\w+)\][+-]?\s*(.*)$")
_QUOTED = re.compile(r"^>\s?(.*)$")
SHORTCODE_RE = re.compile(r"\{\{[<%][^{}\n]{0,300}?[%>]\}\}")  # bounded: linear on any input
CALLOUT_MARK_RE = re.compile(r"\[!\w{1,30}\][+-]?")
# Callout types by the box they look like here (anything else is a plain note box).
_KINDS = {
    "warning": "warning", "attention": "warning",
    "danger": "danger", "error": "danger", "bug": "danger", "failure": "danger", "fail": "danger",
    "caution": "caution",
    "tip": "tip", "hint": "tip", "important": "tip", "success": "tip", "check": "tip",
}  # fmt: skip


def _fenced(lines: list[str]) -> list[bool]:
    inside, out = False, []
    for line in lines:
        if _FENCE.match(line):
            out.append(True)
            inside = not inside
        else:
            out.append(inside)
    return out


def convert_callouts(lines: list[str]) -> list[str]:
    """``> [!type] Title`` and its quoted lines → ``!!! kind "Title"`` with indented body."""
    out: list[str] = []
    fenced = _fenced(lines)
    i = 0
    while i < len(lines):
        match = None if fenced[i] else _CALLOUT.match(lines[i])
        if not match:
            out.append(lines[i])
            i += 1
            continue
        kind = match.group(1).lower()
        title = match.group(2).strip().replace('"', "'") or kind.capitalize()
        out += ["", f'!!! {_KINDS.get(kind, "note")} "{title}"']
        i += 1
        while i < len(lines) and not fenced[i] and (quoted := _QUOTED.match(lines[i])):
            out.append(f"    {quoted.group(1)}" if quoted.group(1).strip() else "")
            i += 1
        out.append("")
    return out


def strip_shortcodes(lines: list[str]) -> list[str]:
    """Drop Hugo shortcode tags outside fenced code (the text between a pair stays)."""
    fenced = _fenced(lines)
    return [
        line if fenced[i] or "{{" not in line else SHORTCODE_RE.sub("", line)
        for i, line in enumerate(lines)
    ]


def apply_conventions(lines: list[str]) -> list[str]:
    """Callouts and shortcodes, before python-markdown parses blocks (``mdext`` runs this)."""
    if any("[!" in line or "{{" in line for line in lines):
        return convert_callouts(strip_shortcodes(lines))
    return lines
