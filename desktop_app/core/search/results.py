"""What a query returns: hits and the JSON shape the CLI prints."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Hit:
    """One search result."""

    slug: str
    title: str
    topic: str
    score: float
    snippet: str = ""
    section: str = ""  # the heading of the section that answers best ("" for the opening)
    anchor: str = ""  # that heading's id in the rendered article
    path: str = ""  # the article's file, relative to the content root


@dataclass(frozen=True, slots=True)
class SearchResults:
    """The answer to one query."""

    query: str
    total: int
    hits: tuple[Hit, ...] = ()
    suggestion: str | None = None
    fuzzy: bool = False
    # How many of ``total`` matched every word (None: not known, as for query syntax).
    all_words: int | None = None
    # What the answer covers when it is not every article's full text ("" when it is).
    scope: str = ""

    def to_json(self) -> dict[str, Any]:
        """Return the CLI's JSON shape."""
        return {
            "query": self.query,
            "total": self.total,
            "all_words": self.all_words,
            "suggestion": self.suggestion,
            "hits": [
                {
                    "slug": h.slug,
                    "title": h.title,
                    "topic": h.topic,
                    "score": round(h.score, 4),
                    "snippet": h.snippet,
                    "section": h.section,
                    "anchor": h.anchor,
                    "path": h.path,
                }
                for h in self.hits
            ],
        }
