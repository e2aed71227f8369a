"""The search result count's wording: all-words matches told apart from partial ones."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from desktop_app.core.search import SearchResults


def _match(n: int) -> str:
    return "matches" if n == 1 else "match"


def count_text(results: SearchResults) -> str:
    """E.g. "3 articles match all words · 49 match some", "1 article", "No articles found".

    An answer that does not cover every article's full text says what it covers (while a first
    index is being built): "12 articles · full text of 1,000 of 10,000 articles so far; …".
    """
    text = _count(results)
    return f"{text} · {results.scope}" if results.scope else text


def _count(results: SearchResults) -> str:
    total = results.total
    if not total:
        return "No articles found"
    noun = "article" if total == 1 else "articles"
    complete = results.all_words
    if complete is None or len(results.query.split()) < 2:
        return f"{total} {noun}"
    if complete == total:
        return f"{total} {noun} {_match(total)} all words"
    some = total - complete
    if complete == 0:
        return f"No article matches all words · {some} {_match(some)} some"
    first = f"{complete} {'article' if complete == 1 else 'articles'} {_match(complete)}"
    return f"{first} all words · {some} {_match(some)} some"
