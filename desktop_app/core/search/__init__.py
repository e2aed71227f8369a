"""The search room: the Whoosh index on disk, and queries to ranked hits.

``store`` keeps the index's life on disk; ``searcher`` turns a query into hits with ``query``,
``ranking``, ``scoring``, ``spelling``, ``snippets`` and ``thesaurus``. Whoosh is imported only
when an index is opened.

The names below are the room's public face: code outside ``desktop_app.core.search`` imports only
these. They load on first use (PEP 562), so importing the package costs nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from desktop_app.core.faces import lazy_names

if TYPE_CHECKING:
    from desktop_app.core.search.filling import FillingIndex as FillingIndex
    from desktop_app.core.search.filling import title_results as title_results
    from desktop_app.core.search.results import Hit as Hit
    from desktop_app.core.search.results import SearchResults as SearchResults
    from desktop_app.core.search.searcher import SearchIndex as SearchIndex
    from desktop_app.core.search.store import META_FILE as META_FILE
    from desktop_app.core.search.store import POINTER_FILE as POINTER_FILE
    from desktop_app.core.search.store import SCHEMA_VERSION as SCHEMA_VERSION
    from desktop_app.core.search.store import UpdateStats as UpdateStats

_MODULE_OF = {
    "FillingIndex": "filling",
    "title_results": "filling",
    "Hit": "results",
    "META_FILE": "store",
    "POINTER_FILE": "store",
    "SCHEMA_VERSION": "store",
    "SearchIndex": "searcher",
    "SearchResults": "results",
    "UpdateStats": "store",
}
__all__ = sorted(_MODULE_OF)

__getattr__ = lazy_names(__name__, _MODULE_OF)
