"""Conventions of other people's Markdown, turned into ours before python-markdown parses.

Obsidian/GitHub callouts ``> [!note] Title`` become admonitions, and Hugo
shortcodes ``{{< name >}}`` / ``{{% name %}}`` are dropped, keeping any text between a pair.
Fenced code is left exactly as written. No python-markdown here: the search index's plain text
(``plaintext``) uses the patterns without loading it.
"""

from __future__ import annotations

import re

from desktop_app.core.content import CODE_SHORTCODE_RE

_FENCE = re.compile(r"^\s*(```|~~~)")
_CALLOUT = re.compile(r"^>\s*\[!(\w+)\][+-]?\s*(.*)$")
_QUOTED = re.compile(r"^>\s?(.*)$")
_FENCE_ATTRS = re.compile(r"^(\s*(?:`{3,}|~{3,})\s*[\w#.+-]+)\s*\{[^{}\n]*\}\s*$")
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


def code_shortcodes(lines: list[str]) -> list[str]:
    """Hugo's code shortcodes (``{{< highlight go >}}`` … ``{{< /highlight >}}``) → fences."""
    out, fenced = [], False
    for line in lines:
        found = CODE_SHORTCODE_RE.match(line) if "{{" in line else None
        if _FENCE.match(line):
            fenced = not fenced
        if fenced or found is None or found.group(5):
            out.append(line)
            continue
        args = found.group(4).split()
        lang = args[0] if found.group(3) == "highlight" and args and "=" not in args[0] else ""
        out.append("```" if found.group(2) else f"```{lang}")
    return out


def strip_shortcodes(lines: list[str]) -> list[str]:
    """Drop Hugo shortcode tags outside fenced code (the text between a pair stays)."""
    lines = code_shortcodes(lines)
    fenced = _fenced(lines)
    return [
        line if fenced[i] or "{{" not in line else SHORTCODE_RE.sub("", line)
        for i, line in enumerate(lines)
    ]


def fence_attributes(lines: list[str]) -> list[str]:
    """Drop attributes after a fence's language: ```` ```go {file="x.html"} ```` → ```` ```go ````.

    Hugo and GitHub allow both; python-markdown reads a language or attributes, not both.
    """
    return [_FENCE_ATTRS.sub(r"\1", line) if "{" in line else line for line in lines]


def apply_conventions(lines: list[str]) -> list[str]:
    """Callouts and shortcodes, before python-markdown parses blocks (``mdext`` runs this)."""
    if any("{" in line and _FENCE_ATTRS.match(line) for line in lines):
        lines = fence_attributes(lines)
    if any("[!" in line or "{{" in line for line in lines):
        return convert_callouts(strip_shortcodes(lines))
    return lines
