"""The English stemmer of the index, the queries and the snippets: Snowball's, in C.

PyStemmer (the Snowball project's C stemmers) implements the same Porter2 algorithm as Whoosh's
pure-Python ``porter2`` about ten times faster, and keeps its exceptional forms ("lateral" is not
"later", "internal" not "intern"). Without PyStemmer (a source install that could not
build it) Whoosh's ``porter2`` is used; an index records which one built it (``STEMMER``), and an
index built by the other is rebuilt rather than queried with mismatched stems.
"""

from __future__ import annotations

import threading

try:
    import Stemmer as _snowball
except ImportError:  # pragma: no cover - PyStemmer is a dependency; this is the fallback
    _snowball = None

STEMMER = "snowball" if _snowball is not None else "porter2"
_local = threading.local()  # a Snowball stemmer object is not safe to share between threads


def stem(word: str) -> str:
    """Return the stem of a lower-case word (a module function: Whoosh pickles it by name)."""
    stemmer = getattr(_local, "stemmer", None)
    if stemmer is None:
        if _snowball is None:
            from whoosh.lang.porter2 import stem as porter2

            return str(porter2(word))
        stemmer = _local.stemmer = _snowball.Stemmer("english")
    return str(stemmer.stemWord(word))
