"""Find a quoted passage again in a text that may have changed (W3C Web Annotation selectors).

An annotation keeps a ``TextQuoteSelector`` (the exact text with some text before and after it)
and a ``TextPositionSelector`` (where it was). To re-anchor: the position if the exact text is
still there, else the quote (its context decides between repeats, then nearness to the old
position), else a fuzzy match of the quote that tolerates small edits. Whitespace is compared
collapsed, so a passage quoted from the window's text is found in the command line's and back.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

CONTEXT_CHARS = 32
FUZZY_THRESHOLD = 0.75
_SPACE = re.compile(r"\s+")
_WORD = re.compile(r"\w{4,}")


@dataclass(frozen=True, slots=True)
class Quote:
    """The W3C selectors of one passage: exact text, its context, its old position."""

    exact: str
    prefix: str = ""
    suffix: str = ""
    start: int = -1
    end: int = -1


@dataclass(frozen=True, slots=True)
class Anchor:
    """Where a quote sits in a text now, and how it was found."""

    start: int
    end: int
    method: str  # "position", "quote" or "fuzzy"
    text: str  # the passage as it reads now


def quote_at(text: str, start: int, end: int, context: int = CONTEXT_CHARS) -> Quote:
    """Return the selectors for ``text[start:end]``."""
    start, end = max(0, start), min(len(text), end)
    if start >= end:
        raise ValueError("an empty selection cannot be annotated")
    return Quote(
        exact=text[start:end],
        prefix=text[max(0, start - context) : start],
        suffix=text[end : end + context],
        start=start,
        end=end,
    )


def first_quote(text: str, exact: str, context: int = CONTEXT_CHARS) -> Quote | None:
    """Return the selectors of the first occurrence of ``exact`` (whitespace collapsed), if any."""
    norm, where = _collapse(text)
    needle = _collapse(exact)[0].strip()
    if not needle:
        return None
    i = norm.find(needle)
    if i < 0:
        i = norm.lower().find(needle.lower())
    if i < 0:
        return None
    return quote_at(text, where[i], where[i + len(needle) - 1] + 1, context)


def anchor(text: str, quote: Quote) -> Anchor | None:
    """Re-anchor ``quote`` in ``text``; None when it is gone (the annotation is detached)."""
    if not quote.exact.strip():
        return None
    if 0 <= quote.start < quote.end <= len(text) and text[quote.start : quote.end] == quote.exact:
        return Anchor(quote.start, quote.end, "position", quote.exact)
    norm, where = _collapse(text)
    exact = _collapse(quote.exact)[0].strip()
    found = _by_quote(norm, exact, quote)
    method = "quote"
    if found is not None and (quote.prefix or quote.suffix):
        # The same words elsewhere, in another context (a repeated line): the passage itself
        # may have been reworded in place, which its context still shows.
        here = _context_score(norm, found[0], found[1], quote)
        if here < len(quote.prefix) + len(quote.suffix):
            near = _fuzzy(norm, exact, quote, exclude=found)
            if near is not None and _context_score(norm, near[0], near[1], quote) >= here + 8:
                found, method = near, "fuzzy"
    if found is None:
        found = _fuzzy(norm, exact, quote)
        method = "fuzzy"
    if found is None:
        return None
    start, end = where[found[0]], where[found[1] - 1] + 1
    return Anchor(start, end, method, text[start:end])


def _collapse(text: str) -> tuple[str, list[int]]:
    """Return ``text`` with each run of whitespace as one space, and each char's old index."""
    out: list[str] = []
    where: list[int] = []
    pos = 0
    for match in _SPACE.finditer(text):
        for i in range(pos, match.start()):
            out.append(text[i])
            where.append(i)
        out.append(" ")
        where.append(match.start())
        pos = match.end()
    for i in range(pos, len(text)):
        out.append(text[i])
        where.append(i)
    return "".join(out), where


def _context_score(norm: str, start: int, end: int, quote: Quote) -> int:
    prefix = _collapse(quote.prefix)[0]
    suffix = _collapse(quote.suffix)[0]
    before = norm[max(0, start - len(prefix)) : start]
    after = norm[end : end + len(suffix)]
    score = 0
    for a, b in zip(reversed(before), reversed(prefix), strict=False):
        if a != b:
            break
        score += 1
    for a, b in zip(after, suffix, strict=False):
        if a != b:
            break
        score += 1
    return score


def _best(norm: str, spans: list[tuple[int, int]], quote: Quote) -> tuple[int, int] | None:
    if not spans:
        return None
    return max(
        spans,
        key=lambda s: (_context_score(norm, s[0], s[1], quote), -abs(s[0] - max(0, quote.start))),
    )


def _by_quote(norm: str, exact: str, quote: Quote) -> tuple[int, int] | None:
    spans = []
    i = norm.find(exact)
    while i >= 0:
        spans.append((i, i + len(exact)))
        i = norm.find(exact, i + 1)
    return _best(norm, spans, quote)


def _fuzzy(
    norm: str, exact: str, quote: Quote, exclude: tuple[int, int] | None = None
) -> tuple[int, int] | None:
    """The passage most like ``exact``, found near occurrences of its rarest words."""
    lower = norm.lower()
    needle = exact.lower()
    words = sorted(set(_WORD.findall(needle)), key=lambda w: (lower.count(w), -len(w)))
    starts: set[int] = set()
    for word in [w for w in words if w in lower][:4]:
        offset = needle.find(word)
        i = lower.find(word)
        while i >= 0 and len(starts) < 200:
            starts.add(max(0, i - offset))
            i = lower.find(word, i + 1)
    slack = max(8, len(needle) // 4)
    best: tuple[float, int, int] | None = None
    for start in sorted(starts):
        if exclude is not None and exclude[0] - slack <= start <= exclude[0] + slack:
            continue
        lo = max(0, start - slack)
        window = lower[lo : start + len(needle) + slack]
        matcher = difflib.SequenceMatcher(None, needle, window, autojunk=False)
        blocks = [b for b in matcher.get_matching_blocks() if b.size]
        if not blocks:
            continue
        a, b = lo + blocks[0].b, lo + blocks[-1].b + blocks[-1].size
        ratio = difflib.SequenceMatcher(None, needle, lower[a:b], autojunk=False).ratio()
        if best is None or ratio > best[0]:
            best = (ratio, a, b)
    if best is None or best[0] < FUZZY_THRESHOLD:
        return None
    candidates = [(best[1], best[2])]
    return _best(norm, candidates, quote)
