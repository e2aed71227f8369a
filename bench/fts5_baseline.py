"""A plain SQLite FTS5 index over a library: the baseline our Whoosh search is measured against.

One row per article: ``slug`` (not indexed), ``title`` and ``body`` (the summary, then the Markdown
body as plain text: the same text our index puts in its ``body`` field), tokenizer
``porter unicode61``. A query is the user's words, each quoted, joined with OR (so a natural query
is not zeroed by an implicit AND), ranked by ``bm25()`` with default column weights; ``snippet()``
gives one fragment of the body for each of the top hits. No thesaurus, no fuzzy matching, no boosts.

Run it alone to try a query: ``python bench/fts5_baseline.py "neck pain" [--content DIR]``.
"""

from __future__ import annotations

import argparse
import re
import sqlite3
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from desktop_app.core.content import Library, load_library  # noqa: E402
from desktop_app.core.render import markdown_to_text  # noqa: E402

Progress = Callable[[int, int], None]
_TOKEN = re.compile(r"\S+")
_ALNUM = re.compile(r"[^\W_]")
_SCHEMA = """
CREATE VIRTUAL TABLE docs USING fts5(slug UNINDEXED, title, body, tokenize='porter unicode61');
CREATE TABLE fingerprints(slug TEXT PRIMARY KEY, docid INTEGER NOT NULL, fingerprint TEXT);
"""
_SEARCH = "SELECT slug, title, rank{snippet} FROM docs WHERE docs MATCH ? ORDER BY rank LIMIT ?"
_SNIPPET = ", snippet(docs, 2, '<b>', '</b>', ' … ', 24)"


@dataclass(frozen=True, slots=True)
class Fts5Hit:
    """One FTS5 result (``score`` is bm25(): lower is better)."""

    slug: str
    title: str
    score: float
    snippet: str = ""


@dataclass(frozen=True, slots=True)
class Fts5Results:
    """The answer to one query: hits in rank order and the MATCH expression that was run."""

    query: str
    match: str
    hits: tuple[Fts5Hit, ...] = ()

    @property
    def slugs(self) -> list[str]:
        """Return the hit slugs in rank order."""
        return [hit.slug for hit in self.hits]


def quote(token: str) -> str:
    """Return ``token`` as an FTS5 string (a phrase of the tokens it contains)."""
    return '"' + token.replace('"', '""') + '"'


def match_expression(text: str, *, prefix: bool = False) -> str:
    """Return the FTS5 MATCH expression for what the user typed ('' when nothing searchable).

    Each whitespace-separated word is quoted and the words are joined with OR. With ``prefix``
    (as you type) and no trailing space, the last word is a prefix token: ``"word"*``.
    """
    tokens = [quote(t) for t in _TOKEN.findall(text) if _ALNUM.search(t)]
    if not tokens:
        return ""
    if prefix and not text[-1:].isspace():
        tokens[-1] += "*"
    return " OR ".join(tokens)


def document_text(library: Library, slug: str) -> tuple[str, str]:
    """Return (title, body text) for one article, as indexed by the baseline."""
    article = library.articles[slug]
    try:
        body = markdown_to_text(library.read_body(slug))
    except OSError:
        body = ""
    return article.title, f"{article.summary}\n{body}"


class Fts5Index:
    """An FTS5 index in a SQLite file (or in memory) over one library."""

    def __init__(self, conn: sqlite3.Connection, path: Path | None) -> None:
        self._conn = conn
        self.path = path

    @classmethod
    def open(cls, path: Path) -> Fts5Index:
        """Open an index built earlier at ``path``."""
        return cls(sqlite3.connect(str(path)), path)

    @classmethod
    def build(
        cls, library: Library, path: Path | None = None, progress: Progress | None = None
    ) -> Fts5Index:
        """Create the index at ``path`` (None: in memory) from every article of ``library``."""
        if path is not None and path.exists():
            path.unlink()
        conn = sqlite3.connect(":memory:" if path is None else str(path))
        conn.executescript(_SCHEMA)
        index = cls(conn, path)
        slugs = list(library.articles)
        with conn:
            for number, slug in enumerate(slugs, start=1):
                index._insert(library, slug, number)
                if progress:
                    progress(number, len(slugs))
        return index

    def _insert(self, library: Library, slug: str, docid: int) -> None:
        title, body = document_text(library, slug)
        self._conn.execute(
            "INSERT INTO docs(rowid, slug, title, body) VALUES (?, ?, ?, ?)",
            (docid, slug, title, body),
        )
        self._conn.execute(
            "INSERT OR REPLACE INTO fingerprints VALUES (?, ?, ?)",
            (slug, docid, library.articles[slug].fingerprint),
        )

    def update(self, library: Library) -> int:
        """Re-index added and changed articles, drop removed ones; return how many changed."""
        stored = {
            slug: (docid, fingerprint)
            for slug, docid, fingerprint in self._conn.execute("SELECT * FROM fingerprints")
        }
        next_id = max((docid for docid, _ in stored.values()), default=0) + 1
        count = 0
        with self._conn:
            for slug, article in library.articles.items():
                old = stored.get(slug)
                if old is None:
                    self._insert(library, slug, next_id)
                    next_id += 1
                elif old[1] != article.fingerprint:
                    self._conn.execute("DELETE FROM docs WHERE rowid = ?", (old[0],))
                    self._insert(library, slug, old[0])
                else:
                    continue
                count += 1
            for slug in stored.keys() - library.articles.keys():
                self._conn.execute("DELETE FROM docs WHERE rowid = ?", (stored[slug][0],))
                self._conn.execute("DELETE FROM fingerprints WHERE slug = ?", (slug,))
                count += 1
        return count

    def search(
        self, text: str, *, limit: int = 10, prefix: bool = False, snippets: bool = True
    ) -> Fts5Results:
        """Run a query; never raises for odd input (an unusable query gives no hits)."""
        match = match_expression(text, prefix=prefix)
        if not match:
            return Fts5Results(text, match)
        sql = _SEARCH.format(snippet=_SNIPPET if snippets else "")
        try:
            rows = self._conn.execute(sql, (match, limit)).fetchall()
        except sqlite3.OperationalError:
            return Fts5Results(text, match)
        hits = tuple(
            Fts5Hit(r[0], r[1], float(r[2]), " ".join(r[3].split()) if snippets else "")
            for r in rows
        )
        return Fts5Results(text, match, hits)

    def size_bytes(self) -> int:
        """Return the size of the database file (0 in memory)."""
        if self.path is None:
            return 0
        extra = [self.path.with_name(self.path.name + s) for s in ("-wal", "-journal")]
        return sum(p.stat().st_size for p in [self.path, *extra] if p.exists())

    def close(self) -> None:
        """Close the connection."""
        self._conn.close()


def main(argv: list[str] | None = None) -> int:
    """Print the baseline's top hits for one query."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("query")
    parser.add_argument("--content", type=Path, default=ROOT / "content")
    parser.add_argument("--prefix", action="store_true", help="last word as a prefix")
    parser.add_argument("--limit", type=int, default=10)
    args = parser.parse_args(argv)
    index = Fts5Index.build(load_library(args.content))
    results = index.search(args.query, limit=args.limit, prefix=args.prefix)
    print(f"MATCH {results.match}")
    for rank, hit in enumerate(results.hits, start=1):
        print(f"{rank:2d}. {hit.slug}  ({hit.score:.3f})\n    {hit.snippet}")
    index.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
