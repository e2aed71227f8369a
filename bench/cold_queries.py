"""Cold queries: each query is the first one of a fresh process, as a user meets a new search.

For every query a new Python process opens the index (ours: ``SearchIndex.open_or_build`` on an
existing index; FTS5: the SQLite file) and runs that one query with snippets; the query's time
is what the user waits for (opening, and the warm-up the app runs right after it on the search
thread, are reported apart as "open"). No term has been read by that process
before, so what the query reads from the index (postings, vocabulary, stored fields) is paid in
full; the OS page cache is warm, as it is on a machine that used the app recently.

Query kinds (from the evaluation queries, so they fit the bundled content; on a generated
corpus they still exercise the same paths):

- term: a whole query ("vertebral artery"), as the search box sends after Enter;
- phrase: the query's first two words in quotes;
- prefix: as you type, the last word cut to its first 4 letters ("vertebral art").

    python bench/cold_queries.py --content DIR --index-dir DIR [--fts5 FILE] [--limit N]

Prints mean, p50, p95, max per kind and over all, ours and FTS5 side by side; never asserts.
Used by ``search_speed.py --cold``.
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

QUERIES = ROOT.parent / "shared" / "eval" / "queries.tsv"
CHILD_OURS = """
import json, sys, time
sys.path.insert(0, {root!r})
from pathlib import Path
from desktop_app.core.content import load_library
from desktop_app.core.search import SearchIndex
library = load_library(Path({content!r}))
t0 = time.perf_counter()
index = SearchIndex.open_or_build(library, Path({index!r}))
if {warm!r}:
    index.warm()
t1 = time.perf_counter()
index.search({text!r}, limit=10, as_you_type={prefix!r}, snippets=True)
t2 = time.perf_counter()
print(json.dumps({{"open": (t1 - t0) * 1000, "query": (t2 - t1) * 1000}}))
"""
CHILD_FTS5 = """
import json, sys, time
sys.path.insert(0, {root!r})
from pathlib import Path
from bench.fts5_baseline import Fts5Index
t0 = time.perf_counter()
index = Fts5Index.open(Path({fts5!r}))
t1 = time.perf_counter()
index.search({text!r}, limit=10, prefix={prefix!r}, snippets=True)
t2 = time.perf_counter()
print(json.dumps({{"open": (t1 - t0) * 1000, "query": (t2 - t1) * 1000}}))
"""


def cold_queries(path: Path = QUERIES, limit: int = 0) -> list[tuple[str, str, bool]]:
    """Return (kind, text, as_you_type) for every eval query: term, phrase and prefix forms."""
    texts = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            texts.append(line.split("\t")[0].strip())
    texts = list(dict.fromkeys(texts))[: limit or None]
    out: list[tuple[str, str, bool]] = []
    for text in texts:
        words = text.split()
        out.append(("term", text, False))
        if len(words) >= 2:
            out.append(("phrase", f'"{words[0]} {words[1]}"', False))
        cut = " ".join([*words[:-1], words[-1][:4]])
        out.append(("prefix", cut, True))
    return out


def run_child(code: str) -> dict[str, float]:
    """Run one child process; return its open and query times (ms)."""
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=300, check=False
    )
    if done.returncode:
        raise RuntimeError(done.stderr[-2000:])
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def summary(values: list[float]) -> str:
    """Return mean, p50, p95, max of ``values`` (ms) as text."""
    if not values:
        return "-"
    ordered = sorted(values)
    p95 = ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]
    return (
        f"mean {statistics.mean(values):6.1f}  p50 {statistics.median(values):6.1f}  "
        f"p95 {p95:6.1f}  max {ordered[-1]:6.1f}"
    )


def measure(
    content: Path, index_dir: Path, fts5: Path | None, limit: int = 0, warm: bool = True
) -> dict[str, dict[str, list[float]]]:
    """Return {engine: {kind: [query ms]}} plus {engine: {"open": [ms]}}, engines interleaved."""
    results: dict[str, dict[str, list[float]]] = {"ours": {}, "fts5": {}}
    for kind, text, prefix in cold_queries(limit=limit):
        fields = {"root": str(ROOT), "text": text, "prefix": prefix}
        ours = run_child(
            CHILD_OURS.format(content=str(content), index=str(index_dir), warm=warm, **fields)
        )
        results["ours"].setdefault(kind, []).append(ours["query"])
        results["ours"].setdefault("open", []).append(ours["open"])
        if fts5 is not None:
            theirs = run_child(CHILD_FTS5.format(fts5=str(fts5), **fields))
            results["fts5"].setdefault(kind, []).append(theirs["query"])
            results["fts5"].setdefault("open", []).append(theirs["open"])
    return results


def report(results: dict[str, dict[str, list[float]]], label: str) -> None:
    """Print the figures of ``measure``."""
    print(f"cold queries, {label} (ms; one fresh process per query, open apart)")
    for engine, kinds in results.items():
        if not kinds:
            continue
        every = [ms for kind, values in kinds.items() if kind != "open" for ms in values]
        for kind in ("term", "phrase", "prefix", "open"):
            if kind in kinds:
                print(f"  {engine:5} {kind:7} n={len(kinds[kind]):3}  {summary(kinds[kind])}")
        print(f"  {engine:5} {'all':7} n={len(every):3}  {summary(every)}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--content", type=Path, required=True)
    parser.add_argument("--index-dir", type=Path, required=True)
    parser.add_argument("--fts5", type=Path)
    parser.add_argument("--limit", type=int, default=0, help="first N eval queries only")
    parser.add_argument(
        "--no-warm", action="store_true", help="skip the warm-up the app runs after opening"
    )
    args = parser.parse_args(argv)
    start = time.perf_counter()
    results = measure(args.content, args.index_dir, args.fts5, args.limit, not args.no_warm)
    warm = "no warm-up" if args.no_warm else "after the app's warm-up"
    report(results, f"{args.content.name}, {warm}, {time.perf_counter() - start:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
