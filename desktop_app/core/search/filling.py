"""Search while a large folder's first index is being built.

Before anything is indexed, titles are searched from the library (``title_results``). Once the
build has written its first articles (``build.write_parallel`` lists them in a table of contents
of their own), the full text of those is searched (``FillingIndex``), and titles of the rest, so
a reader never loses what titles alone found. Results say how much of the text they cover.
"""

from __future__ import annotations

import logging
import re
from dataclasses import replace
from pathlib import Path

from desktop_app.core.content import Library, find_titles, rel_file
from desktop_app.core.search.results import Hit, SearchResults

log = logging.getLogger(__name__)
TITLES_ONLY = "titles only while the full text is indexed"
TITLE_MATCH = "<i>Its title matches; its text is not indexed yet.</i>"
_WORD = re.compile(r"\w+")


def title_results(library: Library, text: str, limit: int, topic: str = "") -> SearchResults:
    """Results from titles alone: the answer before anything is indexed.

    ``total`` counts every matching title, not only the ``limit`` shown.
    """
    found = find_titles(library, text, len(library.articles), topic)
    hits = _title_hits(library, found[:limit])
    return SearchResults(text, len(found), tuple(hits), scope=TITLES_ONLY)


def _title_hits(library: Library, slugs: list[str]) -> list[Hit]:
    hits = []
    for rank, slug in enumerate(slugs):
        article = library.articles[slug]
        path = rel_file(article.path, library.root_dir)
        score = float(len(slugs) - rank)
        topic = library.topic_path(slug)
        hits.append(Hit(slug, article.title, topic, score, snippet=TITLE_MATCH, path=path))
    return hits


class FillingIndex:
    """The part of an index written so far, searched with the titles of everything else."""

    def __init__(self, location: Path, library: Library) -> None:
        # Not imported with the module: titles are searched before Whoosh is loaded.
        from whoosh.index import open_dir

        from desktop_app.core.search.searcher import SearchIndex

        self.index = SearchIndex(open_dir(str(location)), library, read_only=True)
        self.library = library
        reader = self.index._searcher.reader()
        self.indexed = frozenset(
            term.decode("utf-8") if isinstance(term, bytes) else str(term)
            for term in reader.lexicon("slug")
        )

    @property
    def scope(self) -> str:
        """E.g. 'full text of 1,000 of 10,000 articles so far; titles of all'."""
        return (
            f"full text of {len(self.indexed):,} of {len(self.library.articles):,} articles "
            "so far; titles of all"
        )

    def search(
        self, text: str, *, limit: int = 20, topic: str | None = None, as_you_type: bool = False
    ) -> SearchResults:
        """Full-text hits among the indexed articles, title hits among the others.

        A title that holds the whole query comes first (the reader typed its name), then the
        full-text hits, then the other title hits.
        """
        try:
            results = self.index.search(text, limit=limit, topic=topic, as_you_type=as_you_type)
        except Exception as exc:  # e.g. a failed build removed its folder: titles still answer
            log.warning("the index being built cannot be searched: %s", exc)
            return title_results(self.library, text, limit, topic or "")
        every = find_titles(self.library, text, len(self.library.articles), topic or "")
        others = [slug for slug in every if slug not in self.indexed]
        phrase = " ".join(_WORD.findall(text.casefold()))
        named = [
            s for s in others if phrase and phrase in self.library.articles[s].title.casefold()
        ][:limit]
        rest = [s for s in others[:limit] if s not in named]
        hits = [
            *_title_hits(self.library, named),
            *results.hits,
            *_title_hits(self.library, rest),
        ][:limit]
        return replace(
            results,
            total=results.total + len(others),
            hits=tuple(hits),
            all_words=None if others else results.all_words,
            scope=self.scope,
        )

    def close(self) -> None:
        """Release the index files."""
        self.index.close()
