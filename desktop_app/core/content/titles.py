"""Find articles by title, alias, slug or path alone: search before the full index is ready.

Opening a large folder, the full-text index takes a while to build; titles are known as soon as
the library is loaded. Every word of the query must begin a word of the title (or an alias, the
slug or the path); whole titles, then title starts, rank first.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from desktop_app.core.content.library import Library

_WORD = re.compile(r"\w+")


def find_titles(library: Library, text: str, limit: int = 20, topic: str = "") -> list[str]:
    """Return the slugs of the articles whose titles match ``text``, best first."""
    words = [w.casefold() for w in _WORD.findall(text)]
    if not words:
        return []
    phrase = " ".join(words)
    scored: list[tuple[int, str, str]] = []
    for slug, article in library.articles.items():
        if topic and not (article.topic == topic or article.topic.startswith(f"{topic}/")):
            continue
        names = [article.title, *article.aliases, slug.replace("/", " ")]
        best = 0
        for rank, name in enumerate(names):
            score = _score(name.casefold(), words, phrase) - min(rank, 1)
            best = max(best, score)
        if best > 0:
            scored.append((-best, article.title.casefold(), slug))
    scored.sort()
    return [slug for _, _, slug in scored[:limit]]


def _score(name: str, words: list[str], phrase: str) -> int:
    tokens = _WORD.findall(name)
    if not all(any(t.startswith(w) for t in tokens) for w in words):
        return 0
    joined = " ".join(tokens)
    if joined == phrase:
        return 4
    return 3 if joined.startswith(phrase) else 2
