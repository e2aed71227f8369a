"""Search quality: does the right article come first? Our engine against a plain FTS5 baseline.

Reads a TSV of judged queries (``query<TAB>expected slugs, most relevant first<TAB>kind``; lines
starting with ``#`` are comments) and runs each query through our ``SearchIndex`` (built in a
temporary folder, ``as_you_type=False``) and through ``bench.fts5_baseline`` on the same content,
top 10 each.

Metrics, per query, on the FIRST expected slug only: ``hit@k`` = it is within the top k; reciprocal
rank = 1/its rank, 0 when it is not in the top 10 (MRR is the mean). Also recall@10: the share of
ALL expected slugs found in the top 10. Printed overall and per kind, then the queries where our
engine misses hit@3, with our top 3. Always exits 0: it measures, it does not gate.

``python bench/search_eval.py [--queries FILE] [--content DIR] [--json]``
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.fts5_baseline import Fts5Index  # noqa: E402
from desktop_app.core.content import Library, load_library  # noqa: E402
from desktop_app.core.search import SearchIndex  # noqa: E402

DEFAULT_QUERIES = ROOT.parent / "shared" / "eval" / "queries.tsv"
DEFAULT_CONTENT = ROOT / "content"
DEPTH = 10
CUTOFFS = (1, 3, 10)
ENGINES = ("ours", "fts5")
Engine = Callable[[str], list[str]]


@dataclass(frozen=True, slots=True)
class EvalQuery:
    """One judged query."""

    text: str
    expected: tuple[str, ...]
    kind: str
    line: int


@dataclass(frozen=True, slots=True)
class Outcome:
    """How one engine did on one query: rank of the first expected slug (None: not in top 10)."""

    rank: int | None
    top: tuple[str, ...]
    recall: float = 0.0

    def hit(self, k: int) -> bool:
        return self.rank is not None and self.rank <= k

    @property
    def reciprocal_rank(self) -> float:
        return 1.0 / self.rank if self.rank else 0.0


def read_queries(path: Path) -> list[EvalQuery]:
    """Parse the TSV; malformed lines are reported on stderr and skipped."""
    out = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cells = line.split("\t")
        expected = (
            tuple(s.strip() for s in cells[1].split(",") if s.strip()) if len(cells) > 1 else ()
        )
        if not cells[0].strip() or not expected:
            print(f"{path}:{number}: skipped (needs query and expected slugs)", file=sys.stderr)
            continue
        kind = cells[2].strip() if len(cells) > 2 and cells[2].strip() else "other"
        out.append(EvalQuery(cells[0].strip(), expected, kind, number))
    return out


def outcome(query: EvalQuery, slugs: list[str]) -> Outcome:
    """Score one ranked list against the query's first expected slug."""
    top = tuple(slugs[:DEPTH])
    first = query.expected[0]
    recall = sum(s in top for s in query.expected) / len(query.expected)
    return Outcome(top.index(first) + 1 if first in top else None, top, recall)


def metrics(outcomes: Iterable[Outcome]) -> dict[str, float]:
    """Return n, hit@k for each cutoff, and MRR over some outcomes."""
    items = list(outcomes)
    n = len(items) or 1
    out: dict[str, float] = {"n": len(items)}
    for k in CUTOFFS:
        out[f"hit@{k}"] = sum(o.hit(k) for o in items) / n
    out["mrr"] = sum(o.reciprocal_rank for o in items) / n
    out["recall@10"] = sum(o.recall for o in items) / n
    return out


@contextmanager
def engines(library: Library) -> Iterator[dict[str, Engine]]:
    """Build both indexes over ``library``; yield a ranked-slugs function for each.

    Ours is file-backed in a temporary folder, not ``SearchIndex.in_memory``: Whoosh's RamStorage
    writes its temporary files to the shared ``$TMPDIR/MAIN.tmp``, so two processes building in
    memory at once can break each other's build.
    """
    with tempfile.TemporaryDirectory(prefix="spine-eval-") as tmp:
        ours = SearchIndex.open_or_build(library, Path(tmp) / "index")
        fts5 = Fts5Index.build(library)

        def run_ours(text: str) -> list[str]:
            return [hit.slug for hit in ours.search(text, limit=DEPTH, snippets=False).hits]

        def run_fts5(text: str) -> list[str]:
            return fts5.search(text, limit=DEPTH, snippets=False).slugs

        try:
            yield {"ours": run_ours, "fts5": run_fts5}
        finally:
            ours.close()
            fts5.close()


def evaluate(queries: list[EvalQuery], runners: dict[str, Engine]) -> dict[str, list[Outcome]]:
    """Run every query through every engine."""
    return {name: [outcome(q, run(q.text)) for q in queries] for name, run in runners.items()}


def summary(queries: list[EvalQuery], results: dict[str, list[Outcome]]) -> dict[str, Any]:
    """Return metrics per kind (and 'all') per engine."""
    kinds = ["all", *sorted({q.kind for q in queries})]
    out: dict[str, Any] = {}
    for kind in kinds:
        keep = [i for i, q in enumerate(queries) if kind in ("all", q.kind)]
        out[kind] = {name: metrics(results[name][i] for i in keep) for name in results}
    return out


def print_table(table: dict[str, Any]) -> None:
    """Print hit@k and MRR per kind, ours beside FTS5."""
    cols = [f"hit@{k}" for k in CUTOFFS] + ["mrr", "recall@10"]
    head = " ".join(f"{c[:6]:>6}" for c in cols)
    print(f"{'kind':<10} {'n':>3} | ours {head} | fts5 {head}")
    print("-" * (16 + 2 * (6 + 7 * len(cols))))
    for kind, row in table.items():
        cells = [" ".join(f"{row[e][c]:6.2f}" for c in cols) for e in ENGINES]
        print(f"{kind:<10} {int(row['ours']['n']):>3} |      {cells[0]} |      {cells[1]}")


def print_misses(queries: list[EvalQuery], results: dict[str, list[Outcome]]) -> None:
    """Print the queries where our engine does not rank the first expected slug in its top 3."""
    misses = [i for i, _ in enumerate(queries) if not results["ours"][i].hit(3)]
    print(f"\nOur misses at hit@3: {len(misses)} of {len(queries)}")
    for i in misses:
        q, ours, fts5 = queries[i], results["ours"][i], results["fts5"][i]
        print(f"- {q.text!r} [{q.kind}] expected {q.expected[0]}")
        print(f"    rank: ours {_rank(ours.rank)}, fts5 {_rank(fts5.rank)}")
        print(f"    ours top 3: {', '.join(ours.top[:3]) or '(no hits)'}")
    seconds = [i for i, o in enumerate(results["ours"]) if o.hit(3) and not o.hit(1)]
    print(f"\nIn our top 3 but not first: {len(seconds)}")
    for i in seconds:
        q, ours = queries[i], results["ours"][i]
        print(f"- {q.text!r} [{q.kind}]: {q.expected[0]} at {ours.rank}, first {ours.top[0]}")


def print_partial(queries: list[EvalQuery], results: dict[str, list[Outcome]]) -> None:
    """Print the other expected slugs that our top 10 lacks (recall@10 below 1)."""
    lines = []
    for q, ours in zip(queries, results["ours"], strict=True):
        lost = [s for s in q.expected[1:] if s not in ours.top]
        if lost:
            lines.append(f"- {q.text!r}: {', '.join(lost)} not in our top {DEPTH}")
    print(f"\nOther expected slugs missing from our top {DEPTH}: {len(lines)} queries")
    for line in lines:
        print(line)


def _rank(rank: int | None) -> str:
    return str(rank) if rank else f">{DEPTH}"


def unknown_slugs(queries: list[EvalQuery], library: Library) -> list[str]:
    """Return expected slugs that are not in the library (a stale TSV)."""
    return sorted({s for q in queries for s in q.expected if s not in library.articles})


def as_json(
    queries: list[EvalQuery], results: dict[str, list[Outcome]], table: dict[str, Any]
) -> dict[str, Any]:
    """Return the whole evaluation as one JSON-ready object."""
    rows = [
        {**asdict(q), **{name: asdict(results[name][i]) for name in results}}
        for i, q in enumerate(queries)
    ]
    return {"summary": table, "queries": rows}


def main(argv: list[str] | None = None) -> int:
    """Evaluate both engines and print the report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--queries", type=Path, default=DEFAULT_QUERIES)
    parser.add_argument("--content", type=Path, default=DEFAULT_CONTENT)
    parser.add_argument("--json", action="store_true", help="print one JSON object instead")
    args = parser.parse_args(argv)
    try:
        queries = read_queries(args.queries)
    except OSError as exc:
        print(f"cannot read queries: {exc}", file=sys.stderr)
        return 0
    library = load_library(args.content)
    with engines(library) as runners:
        results = evaluate(queries, runners)
    table = summary(queries, results)
    if args.json:
        print(json.dumps(as_json(queries, results, table), indent=1))
        return 0
    print(f"{len(queries)} queries from {args.queries}; {len(library.articles)} articles")
    for slug in unknown_slugs(queries, library):
        print(f"warning: expected slug {slug!r} is not in the content")
    print()
    print_table(table)
    print_misses(queries, results)
    print_partial(queries, results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
