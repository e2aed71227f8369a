"""Section-level search quality: does a question open at the section that answers it?

For each held-out question (``bench/data/section_questions.tsv``: query, expected article, expected
section anchor) this ranks (article, section) pairs two ways and reports hit@1, hit@3 and MRR:

- ours: ``SearchIndex.search`` (top 10 articles, each with the section it names);
- FTS5: an SQLite FTS5 table with one row per section (``slug, anchor UNINDEXED, heading, body``,
  tokenizer ``porter unicode61``, the heading weighted 2 in ``bm25``), queried with the same OR of
  quoted words as ``fts5_baseline.py``; rows ranked by ``bm25``, first 10 distinct pairs.

Article-level figures (the expected article anywhere in the pair) are printed beside them.

    python bench/section_eval.py [--questions FILE] [--content DIR] [--misses]

Prints figures; never asserts.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.fts5_baseline import match_expression  # noqa: E402
from desktop_app.core.content import Library, load_library  # noqa: E402
from desktop_app.core.render import split_sections  # noqa: E402
from desktop_app.core.search import SearchIndex  # noqa: E402

QUESTIONS = ROOT / "bench" / "data" / "section_questions.tsv"
DEPTH = 10


def read_questions(path: Path) -> list[tuple[str, str, str]]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#") or line.startswith("query\t"):
            continue
        query, slug, anchor = line.split("\t")
        rows.append((query, slug, anchor))
    return rows


class SectionFts5:
    """One FTS5 row per section of every article."""

    def __init__(self, library: Library) -> None:
        self.conn = sqlite3.connect(":memory:")
        self.conn.execute(
            "CREATE VIRTUAL TABLE s USING fts5(slug UNINDEXED, anchor UNINDEXED, heading, body,"
            " tokenize='porter unicode61')"
        )
        rows = []
        for slug, article in library.articles.items():
            for section in split_sections(library.read_body(slug)):
                heading = section.heading or article.title
                rows.append((slug, section.anchor, heading, section.text))
        self.conn.executemany("INSERT INTO s VALUES (?, ?, ?, ?)", rows)

    def search(self, text: str) -> list[tuple[str, str]]:
        expression = match_expression(text)
        if not expression:
            return []
        sql = "SELECT slug, anchor FROM s WHERE s MATCH ? ORDER BY bm25(s, 0, 0, 2.0, 1.0) LIMIT 50"
        out: list[tuple[str, str]] = []
        for slug, anchor in self.conn.execute(sql, (expression,)):
            if (slug, anchor) not in out:
                out.append((slug, anchor))
        return out[:DEPTH]


def metrics(ranks: list[int | None]) -> tuple[float, float, float]:
    n = len(ranks)
    hit1 = sum(1 for r in ranks if r == 1) / n
    hit3 = sum(1 for r in ranks if r is not None and r <= 3) / n
    mrr = sum(1 / r for r in ranks if r) / n
    return hit1, hit3, mrr


def rank_of(pairs: list[tuple[str, str]], want: tuple[str, str], *, article: bool) -> int | None:
    for i, pair in enumerate(pairs, 1):
        if (pair[0] == want[0]) if article else (pair == want):
            return i
    return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--questions", type=Path, default=QUESTIONS)
    parser.add_argument("--content", type=Path, default=ROOT / "content")
    parser.add_argument("--misses", action="store_true", help="list the questions we miss at 3")
    args = parser.parse_args(argv)
    library = load_library(args.content)
    questions = read_questions(args.questions)
    with tempfile.TemporaryDirectory() as folder:
        ours = SearchIndex.open_or_build(library, Path(folder) / "ix")
        fts5 = SectionFts5(library)
        results: dict[str, list[list[tuple[str, str]]]] = {"ours": [], "fts5": []}
        for query, _slug, _anchor in questions:
            hits = ours.search(query, limit=DEPTH, snippets=False).hits
            results["ours"].append([(h.slug, h.anchor) for h in hits])
            results["fts5"].append(fts5.search(query))
        ours.close()
    print(f"{len(questions)} questions ({args.questions.name}), content: {args.content}")
    cols = f"{'hit@1':>6} {'hit@3':>7} {'MRR':>6}"
    print(f"{'engine':8} section {cols} | article {cols}")
    for engine, lists in results.items():
        wants = [(slug, anchor) for _q, slug, anchor in questions]
        sec = metrics([rank_of(p, w, article=False) for p, w in zip(lists, wants, strict=True)])
        art = metrics([rank_of(p, w, article=True) for p, w in zip(lists, wants, strict=True)])
        print(
            f"{engine:8}         {sec[0]:6.2f} {sec[1]:7.2f} {sec[2]:6.2f} | "
            f"        {art[0]:6.2f} {art[1]:7.2f} {art[2]:6.2f}"
        )
    if args.misses:
        for (query, slug, anchor), pairs in zip(questions, results["ours"], strict=True):
            if rank_of(pairs, (slug, anchor), article=False) not in (1, 2, 3):
                print(f"- {query!r}: want {slug}#{anchor}; got {pairs[:3]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
