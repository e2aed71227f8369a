"""Search-result snippets: the best one or two passages of an article, matched words in <b>.

Each article's text is tokenised and stemmed once (cached by fingerprint); a query then only
looks up the positions of its stems, so a snippet costs microseconds, not a re-analysis of the
whole article (Whoosh's highlighter re-tokenises the text on every call).
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from desktop_app.core.content import Library
from desktop_app.core.render import split_sections

_TOKEN = re.compile(r"\w+(?:['’.]\w+)*")
_WORD = re.compile(r"\w")
WINDOW = 110
HEADING_WEIGHT = 3.0  # a query word in a section's heading counts as much as ~20 in its text
LEAD = 160


@dataclass(frozen=True, slots=True)
class SectionSpan:
    """Where a section's text lies in its article's text, with its heading and anchor."""

    start: int
    end: int
    heading: str
    anchor: str
    heading_end: int  # the heading's own words end here (they open the section's text)


@dataclass(frozen=True, slots=True)
class TokenMap:
    """An article's plain text, and where each stem asked for occurs in it (found lazily).

    Nothing is tokenised up front: a stem's spans are found by a regular expression for the words
    that could have it (a Porter2 stem keeps all but at most the last two letters of its word),
    and only those words are stemmed, so a fresh process shows snippets without stemming every
    word of every article it shows.
    """

    text: str
    sections: tuple[SectionSpan, ...] = ()
    stem: Callable[[str], str] = str
    _found: dict[str, list[tuple[int, int]]] = field(default_factory=dict)
    _folded: list[str] = field(default_factory=list)  # the lower-cased text, made once

    def spans(self, stem: str) -> list[tuple[int, int]]:
        """Return the (start, end) offsets of a stem, in text order."""
        found = self._found.get(stem)
        if found is None:
            if not self._folded:
                self._folded.append(self.text.lower())
            found = self._found[stem] = _find(self.text, self._folded[0], stem, self.stem)
        return found


def _find(
    text: str, folded: str, stem: str, stemmer: Callable[[str], str]
) -> list[tuple[int, int]]:
    """Where the words of ``text`` that stem to ``stem`` are (``folded``: ``text`` lower-cased)."""
    head = stem[: max(len(stem) - 2, 1)]
    if len(folded) != len(text):  # a letter changed length when lower-cased: tokenise it all
        return [
            m.span()
            for m in _TOKEN.finditer(text)
            if m.group().lower().startswith(head) and stemmer(m.group().lower()) == stem
        ]
    # A short head occurs inside many words: let the regular expression skip those.
    pattern = re.escape(head) if len(head) > 2 else r"\b" + re.escape(head)
    candidates = (m.start() for m in re.finditer(pattern, folded))
    found: list[tuple[int, int]] = []
    for start in candidates:
        if not _starts_token(text, start):
            continue
        token = _TOKEN.match(text, start)
        if token is not None and stemmer(token.group().lower()) == stem:
            found.append(token.span())
    return found


def _starts_token(text: str, at: int) -> bool:
    """Whether a ``_TOKEN`` match begins at ``at`` (no word character, or one and ' ’ . before)."""
    if at == 0:
        return True
    if _WORD.match(text, at - 1):
        return False
    return not (text[at - 1] in "'’." and at >= 2 and _WORD.match(text, at - 2))


def token_map(
    text: str, stem: Callable[[str], str], sections: tuple[SectionSpan, ...] = ()
) -> TokenMap:
    """Return the (lazy) token map of ``text``; ``stem`` is the index's stemmer."""
    return TokenMap(text, sections, stem)


def article_text(summary: str, body: str) -> tuple[str, tuple[SectionSpan, ...]]:
    """An article's searchable text (summary, then each section) and where its sections lie."""
    parts: list[str] = [summary] if summary else []
    spans: list[SectionSpan] = []
    pos = len(summary) + 1 if summary else 0
    for section in split_sections(body):
        if section.level:
            end_of_heading = pos + len(section.heading)
            spans.append(
                SectionSpan(
                    pos, pos + len(section.text), section.heading, section.anchor, end_of_heading
                )
            )
        parts.append(section.text)
        pos += len(section.text) + 1
    return "\n".join(parts), tuple(spans)


def best_section(tokens: TokenMap, stems: Iterable[str]) -> SectionSpan | None:
    """The section that answers best, or None when no section holds a query word.

    Each query word found in a section scores its rarity among the article's sections (fewer
    sections holding it: more weight) times log(1 + its count there), plus ``HEADING_WEIGHT``
    times that rarity when the word is in the section's heading.
    """
    stems = set(stems)
    if not tokens.sections or not stems:
        return None
    counts: list[dict[str, int]] = [{} for _ in tokens.sections]
    in_heading: list[set[str]] = [set() for _ in tokens.sections]
    starts = [sec.start for sec in tokens.sections]
    for stem in stems:
        for start, _end in tokens.spans(stem):
            i = _section_index(starts, start)
            if i < 0:
                continue
            counts[i][stem] = counts[i].get(stem, 0) + 1
            if start < tokens.sections[i].heading_end:
                in_heading[i].add(stem)
    holders = {stem: sum(1 for c in counts if stem in c) for stem in stems}
    n = len(tokens.sections)
    best: tuple[float, int] | None = None
    for i, found in enumerate(counts):
        if not found:
            continue
        score = 0.0
        for stem, tf in found.items():
            weight = math.log(1 + n / holders[stem])
            score += weight * (math.log(1 + tf) + (HEADING_WEIGHT if stem in in_heading[i] else 0))
        if best is None or score > best[0]:
            best = (score, i)
    return tokens.sections[best[1]] if best else None


def _section_index(starts: list[int], position: int) -> int:
    import bisect

    return bisect.bisect_right(starts, position) - 1


def lead(text: str, chars: int = LEAD) -> str:
    """Return the opening of the text, escaped, cut at a word boundary."""
    if len(text) <= chars:
        return html.escape(" ".join(text.split()))
    cut = text[:chars].rsplit(" ", 1)[0]
    return html.escape(" ".join(cut.split())) + " …"


def snippet(
    tokens: TokenMap,
    stems: Iterable[str],
    fragments: int = 2,
    within: SectionSpan | None = None,
) -> str:
    """Return up to ``fragments`` passages that hold the most distinct matched stems.

    With ``within``, the passages come from that section when it holds a matched word.
    """
    spans = sorted((start, end, stem) for stem in set(stems) for start, end in tokens.spans(stem))
    if within is not None:
        spans = [s for s in spans if within.start <= s[0] < within.end] or spans
    if not spans:
        return lead(tokens.text)
    chosen: list[tuple[int, int]] = []
    remaining = spans
    covered: set[str] = set()
    for _ in range(fragments):
        window = _best_window(remaining)
        if window is None:
            break
        stems = {s[2] for s in remaining if window[0] <= s[0] < window[1]}
        if chosen and stems <= covered:
            break  # a second passage only if it shows words the first did not
        chosen.append(window)
        covered |= stems
        remaining = [s for s in remaining if not window[0] <= s[0] < window[1]]
    chosen.sort()
    parts = [_render(tokens.text, lo, hi, spans) for lo, hi in chosen]
    text = " … ".join(part for part, _, _ in parts)
    if parts[0][1]:
        text = "… " + text
    if parts[-1][2] < len(tokens.text):
        text += " …"
    return text


def _best_window(spans: list[tuple[int, int, str]]) -> tuple[int, int] | None:
    """The window of WINDOW characters starting at a match with the most distinct stems."""
    if not spans:
        return None
    best: tuple[int, int, int] | None = None  # (distinct, count, start index)
    right = 0
    for left, (start, _, _) in enumerate(spans):
        right = max(right, left)
        while right + 1 < len(spans) and spans[right + 1][1] - start <= WINDOW:
            right += 1
        inside = spans[left : right + 1]
        score = (len({s[2] for s in inside}), len(inside), -left)
        if best is None or score > best:
            best = score
    assert best is not None
    first = spans[-best[2]]
    return first[0], first[0] + WINDOW


def _render(text: str, lo: int, hi: int, spans: list[tuple[int, int, str]]) -> tuple[str, int, int]:
    """Escape text[lo:hi] widened to word boundaries, with matches in <b>; and its bounds."""
    start = max(0, lo - 30)
    if start:
        space = text.rfind(" ", 0, start + 1)
        start = space + 1 if space >= 0 and lo - space < 80 else start
    end = min(len(text), hi)
    space = text.find(" ", end)
    end = space if 0 <= space < end + 30 else end
    out = []
    pos = start
    for s_start, s_end, _ in spans:
        if s_start < start or s_end > end:
            continue
        out.append(html.escape(text[pos:s_start], quote=False))
        out.append(f"<b>{html.escape(text[s_start:s_end], quote=False)}</b>")
        pos = s_end
    out.append(html.escape(text[pos:end], quote=False))
    return " ".join("".join(out).split()), start, end


@dataclass
class TokenCache:
    """Token maps of recently shown articles, for snippets (least recently used out first).

    A page of results shows 20 snippets, and typing a query on shows mostly the same articles:
    32 maps (about 40 kB each here) keep that fast without holding every article.
    """

    size: int = 32
    items: dict[str, tuple[str, TokenMap]] = field(default_factory=dict)

    def get(self, library: Library, slug: str, stem: Callable[[str], str]) -> TokenMap:
        """Return the token map of an article, from the cache while its file is unchanged."""
        article = library.articles.get(slug)
        if article is None:
            return TokenMap("")
        cached = self.items.pop(slug, None)
        if cached and cached[0] == article.fingerprint:
            self.items[slug] = cached  # now the most recently used
            return cached[1]
        try:
            body = library.read_body(slug)
        except OSError:
            body = ""
        tokens = token_map(*_with_sections(article.summary, body, stem))
        if len(self.items) >= self.size:
            self.items.pop(next(iter(self.items)))
        self.items[slug] = (article.fingerprint, tokens)
        return tokens


def _with_sections(
    summary: str, body: str, stem: Callable[[str], str]
) -> tuple[str, Callable[[str], str], tuple[SectionSpan, ...]]:
    text, spans = article_text(summary, body)
    return text, stem, spans
