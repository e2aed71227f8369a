"""Split a Markdown file into front matter and body, safely.

YAML between ``---`` lines (plain YAML only: anchors and aliases are refused, no alias bombs) or
TOML between ``+++`` lines (Hugo's convention, read with the standard library's ``tomllib``). The
front matter is limited in size, and every error carries the line it happened on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from typing import Any

MAX_FRONT_MATTER_CHARS = 64 * 1024
MAX_NESTING = 64
_FENCE = "---"
_TOML_FENCE = "+++"
_QUOTED = re.compile(r'"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\n]|\'\')*\'')
_BRACKET = re.compile(r"[\[\]{}]")
# A template's placeholder as a whole value (Obsidian/Templater ``created: {{date}}``): YAML
# reads it as a nested mapping and fails; it is read as the text it is.
_PLACEHOLDER = re.compile(
    r"^(\s*(?:-\s+|[^\s:#][^:\n]*:\s+))(\{\{[^{}\n]*\}\}|\{%[^{}\n]*%\})\s*$", re.M
)


class FrontMatterError(ValueError):
    """Front matter that cannot be used; ``line`` is 1-based within the file."""

    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.line = line


@dataclass(frozen=True, slots=True)
class Split:
    """A file split into its metadata and body; ``body_line`` is where the body starts (1-based)."""

    meta: dict[str, Any] = field(default_factory=dict)
    body: str = ""
    body_line: int = 1


@cache
def _loaders() -> tuple[Any, Any]:
    """Return (libyaml's fast safe loader or None, the checking loader); imports PyYAML once.

    PyYAML is imported on first use, not with this module: a start from the start-up snapshot
    (``core/snapshot.py``) shows its first article without parsing any YAML.
    """
    import yaml

    class NoAliasLoader(yaml.SafeLoader):
        """A safe loader that refuses anchors and aliases."""

        def compose_node(self, parent: Any, index: Any) -> Any:
            if self.check_event(yaml.AliasEvent):
                event = self.peek_event()  # type: ignore[no-untyped-call]
                raise yaml.MarkedYAMLError(
                    problem="YAML aliases are not allowed in front matter",
                    problem_mark=event.start_mark,
                )
            event = self.peek_event()  # type: ignore[no-untyped-call]
            anchor = getattr(event, "anchor", None)
            if anchor is not None:
                raise yaml.MarkedYAMLError(
                    problem="YAML anchors are not allowed in front matter",
                    problem_mark=event.start_mark,
                )
            return super().compose_node(parent, index)

    return getattr(yaml, "CSafeLoader", None), NoAliasLoader


# Anything that could be a YAML anchor or alias ("&a", "*a" after a space, bracket, comma or
# colon) sends the text to the checking loader; "Overview & history" does not.
_MAYBE_ANCHOR = re.compile(r"(?:^|[\s\[{,:-])[&*][^\s,\]}]", re.M)


# The front matter most files have: ``key: "text"``, ``key: plain words``, ``key: 12`` and
# ``key: [a, b]`` lines. Read without PyYAML (a 10,000-file folder opens ~1 s sooner); anything
# else, or a plain word YAML would read as other than text, goes to PyYAML.
_SIMPLE_LINE = re.compile(
    r'^([A-Za-z_][\w-]{0,40}):[ \t]+(\[[^\[\]{}\n]*\]|"[^"\\\n]*"|[^\n]*?)[ \t]*$'
)


@cache
def _plain() -> re.Pattern[str]:
    """Plain words (compiled on first use: these two take ~10 ms to compile, at every start)."""
    return re.compile(r"^[A-Za-z\u00c0-\uffff][\w\u00c0-\uffff .,()'/+-]*$")


@cache
def _plain_item() -> re.Pattern[str]:
    return re.compile(r'^(?:"[^"\\\n,]*"|[A-Za-z\u00c0-\uffff][\w\u00c0-\uffff .()/+-]*)$')


_NOT_TEXT = re.compile(r"^(?:y|yes|n|no|true|false|on|off|null|nan|inf)$", re.I)
_INT = re.compile(r"^-?[1-9]\d{0,17}$|^0$")


def _simple_yaml(text: str) -> dict[str, Any] | None:
    """Read the simplest front matter (see above) exactly as PyYAML would; None otherwise."""
    out: dict[str, Any] = {}
    for line in text.splitlines():
        match = _SIMPLE_LINE.match(line)
        if match is None or match.group(1) in out or _NOT_TEXT.match(match.group(1)):
            return None
        value: Any = _simple_scalar(match.group(2))
        raw = match.group(2)
        if value is None and raw.startswith("[") and raw.endswith("]") and len(raw) > 1:
            items = [i.strip() for i in raw[1:-1].split(",")]
            if items == [""]:
                items = []
            if not all(_plain_item().match(i) and not _NOT_TEXT.match(i) for i in items):
                return None
            value = [i[1:-1] if i.startswith('"') else i for i in items]
        if value is None:
            return None
        out[match.group(1)] = value
    return out


def _simple_scalar(raw: str) -> str | int | None:
    if raw.startswith('"'):
        plain = len(raw) > 1 and raw.endswith('"') and '"' not in raw[1:-1] and "\\" not in raw
        return raw[1:-1] if plain else None
    if _INT.match(raw):
        return int(raw)
    if _plain().match(raw) and not _NOT_TEXT.match(raw) and ": " not in raw and " #" not in raw:
        return raw
    return None


def parse_yaml(text: str, first_line: int = 1) -> Any:
    """Parse plain YAML; raise FrontMatterError with a file line number on failure."""
    simple = _simple_yaml(text) if len(text) < 4096 else None
    if simple:
        return simple
    import yaml

    _check_nesting(text, first_line)
    fast_loader, checking_loader = _loaders()
    if fast_loader is not None and not _MAYBE_ANCHOR.search(text):
        # No anchor or alias can be present: libyaml's C parser is ~10× faster. On any error,
        # parse again below for the same messages and line numbers as always.
        try:
            return yaml.load(text, Loader=fast_loader)
        except (yaml.YAMLError, RecursionError):
            pass
    try:
        return yaml.load(text, Loader=checking_loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = first_line + (mark.line if mark is not None else 0)
        problem = exc.problem or exc.context or "invalid YAML"
        raise FrontMatterError(f"invalid YAML: {problem}", line) from exc
    except yaml.YAMLError as exc:
        raise FrontMatterError(f"invalid YAML: {exc}", first_line) from exc
    except RecursionError as exc:
        raise FrontMatterError("invalid YAML: nested too deeply", first_line) from exc


def _check_nesting(text: str, first_line: int) -> None:
    """Refuse deeply nested ``[`` / ``{`` before parsing: PyYAML's scanner is quadratic in depth."""
    plain = _QUOTED.sub(lambda m: " " * len(m.group(0)), text)  # same offsets, no quoted text
    depth = 0
    for match in _BRACKET.finditer(plain):
        depth = max(0, depth + (1 if match.group(0) in "[{" else -1))
        if depth > MAX_NESTING:
            line = first_line + plain.count("\n", 0, match.start())
            raise FrontMatterError(f"invalid YAML: nested more than {MAX_NESTING} deep", line)


def split_front_matter(text: str) -> Split:
    """Split ``text`` into front matter and body.

    A file without a leading ``---`` line has no front matter. Raises FrontMatterError when the
    front matter is unterminated, too large, not a mapping or not valid YAML.
    """
    text, fenced, end = _locate(text)
    if not fenced:
        return Split({}, text, 1)
    fence = _TOML_FENCE if text.startswith(_TOML_FENCE) else _FENCE
    if end is None:
        raise FrontMatterError(f"front matter starts with '{fence}' but is never closed", 1)
    yaml_start, yaml_end, body_start = end
    raw = text[yaml_start:yaml_end]
    if len(raw) > MAX_FRONT_MATTER_CHARS:
        raise FrontMatterError(
            f"front matter is larger than {MAX_FRONT_MATTER_CHARS // 1024} KiB", 1
        )
    if fence == _TOML_FENCE:
        data = parse_toml(raw, first_line=2)
    else:
        data = parse_yaml(_PLACEHOLDER.sub(_quoted_placeholder, raw), first_line=2)
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise FrontMatterError("front matter must be a mapping of keys to values", 2)
    body_line = text.count("\n", 0, body_start) + 1
    return Split(data, text[body_start:], body_line)


def _quoted_placeholder(match: re.Match[str]) -> str:
    value = match.group(2).replace("'", "''")
    return f"{match.group(1)}'{value}'"


def parse_toml(text: str, first_line: int = 1) -> dict[str, Any]:
    """Parse TOML front matter; raise FrontMatterError with the file line of the problem."""
    import tomllib

    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"line (\d+)", str(exc))
        line = first_line + int(match.group(1)) - 1 if match else first_line
        raise FrontMatterError(f"invalid TOML: {str(exc).split(' (at')[0]}", line) from exc


def body_of(text: str) -> str | None:
    """Return the body after a well-fenced front matter block without parsing its YAML.

    Returns the text itself when it has no front matter, and None when the block is never
    closed (the caller decides what to show then).
    """
    text, fenced, end = _locate(text)
    if not fenced:
        return text
    return None if end is None else text[end[2] :]


def _locate(text: str) -> tuple[str, bool, tuple[int, int, int] | None]:
    """Return (text without a BOM, whether it opens with a fence, the closing fence's offsets)."""
    if text.startswith("\ufeff"):
        text = text[1:]
    first_newline = text.find("\n")
    first = (text if first_newline < 0 else text[:first_newline]).rstrip()
    if first not in (_FENCE, _TOML_FENCE):
        return text, False, None
    return text, True, _find_closing_fence(text, first_newline + 1, first)


def _find_closing_fence(text: str, start: int, fence: str = _FENCE) -> tuple[int, int, int] | None:
    """Find the closing fence; return (front matter start, its end, body start) offsets."""
    closers = (_FENCE, "...") if fence == _FENCE else (_TOML_FENCE,)
    pos = start
    limit = min(len(text), start + MAX_FRONT_MATTER_CHARS + 1024)
    while pos <= limit:
        nl = text.find("\n", pos)
        line = text[pos:] if nl < 0 else text[pos:nl]
        if line.rstrip() in closers:
            return start, pos, len(text) if nl < 0 else nl + 1
        if nl < 0:
            return None
        pos = nl + 1
    return None


def strip_broken_front_matter(text: str) -> str:
    """Drop an unparseable front-matter block, keeping the body if its end can be found."""
    if not text.startswith("---"):
        return text
    match = re.search(r"^(---|\.\.\.)\s*$", text[3:], flags=re.M)
    return text[3 + match.end() :] if match else text
