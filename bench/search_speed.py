"""Search speed: our Whoosh index against a plain FTS5 index, in process, on the same content.

For each corpus (the bundled content, then generated corpora of ``--sizes`` articles) this builds
both indexes in a temporary folder and reports:

- build time (ours: ``SearchIndex.open_or_build`` into an empty folder, progress on stderr; FTS5:
  ``Fts5Index.build`` into a SQLite file) and index size on disk;
- query latency p50 / p95 / max in ms: each query is run once to warm up, then timed 3 times
  (engines interleaved) and its median kept. Query sets: the eval queries as whole queries
  (ours ``as_you_type=False``), and every as-you-type prefix of each eval query (at least 2
  characters, ending on a letter or digit; ours ``as_you_type=True``, FTS5 ``"last"*``). Both
  engines return the top 10 with snippets;
- the time to apply a one-article change (measured right after the build): edit one article's
  body, reload with ``load_library`` (not timed), then time ``index.update(library)``; median of 3;
- ours is built in a fresh child process, which reports the build time and the peak RSS of itself
  and of its helper process (the build uses both cores);
- the warm figures above are queries repeated in one process; the *cold* ones
  (``bench/cold_speed.py``) run each query in a fresh process that has just opened the index:
  terms, quoted phrases and as-you-type prefixes, ranked hits alone and with snippets.

``--prefix-every N`` times only every N-th prefix (for big corpora). Stopped by SIGTERM (e.g.
``timeout``) or Ctrl+C, it prints the figures measured so far, marked INTERRUPTED.

Ratios are ours ÷ FTS5 in the same run (> 1: ours slower or bigger). p95 is the nearest-rank
percentile. Generated corpora come from ``bench/gen_corpus.py`` (seed ``--seed``); with
``--cache-dir`` they are kept and reused. The corpus is copied into the temporary folder first,
so the edits never touch the bundled content or the cache.

``python bench/search_speed.py [--sizes 2000,10000] [--cache-dir DIR] [--quick]``
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import signal
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TypeVar

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import gen_corpus  # noqa: E402
from bench.cold_speed import (  # noqa: E402
    build_in_child,
    cold_rows,
    measure_cold,
    percentile,
    slowest,
)
from bench.fts5_baseline import Fts5Index  # noqa: E402
from bench.search_eval import DEFAULT_QUERIES, read_queries  # noqa: E402
from desktop_app.core.content import Library, load_library  # noqa: E402
from desktop_app.core.search import SearchIndex  # noqa: E402

DEFAULT_CONTENT = ROOT / "content"
LIMIT = 10
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Query:
    """One timed query: the text and whether it is an as-you-type prefix."""

    text: str
    prefix: bool


@dataclass
class Latencies:
    """Per-query median latencies (ms) of both engines for one query set."""

    name: str
    ours: list[float] = field(default_factory=list)
    fts5: list[float] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)


@dataclass
class CorpusReport:
    """Every figure measured on one corpus: (label, ours, fts5, unit) rows plus latencies."""

    label: str
    rows: list[tuple[str, float, float]] = field(default_factory=list)
    sets: list[Latencies] = field(default_factory=list)
    cold: list[tuple[str, float, float]] = field(default_factory=list)
    cold_slowest: str = ""


# -- query sets -----------------------------------------------------------------------------
def prefixes(text: str) -> list[str]:
    """Return every prefix of at least 2 characters that ends on a letter or digit."""
    return [text[:end] for end in range(2, len(text) + 1) if text[end - 1].isalnum()]


def query_sets(texts: list[str], every: int = 1) -> dict[str, list[Query]]:
    """Return the whole queries and the (deduplicated) as-you-type prefixes.

    ``every`` > 1 keeps only every n-th prefix (for large corpora in bounded time).
    """
    typed = list(dict.fromkeys(p for t in texts for p in prefixes(t)))[:: max(every, 1)]
    name = "as-you-type prefixes" if every <= 1 else f"as-you-type prefixes (1 in {every})"
    return {
        "whole queries": [Query(t, False) for t in dict.fromkeys(texts)],
        name: [Query(p, True) for p in typed],
    }


# -- timing ---------------------------------------------------------------------------------
def elapsed_ms(run: Callable[[], object]) -> float:
    """Return how long one call takes, in ms."""
    start = time.perf_counter()
    run()
    return (time.perf_counter() - start) * 1000


def time_queries(
    out: Latencies, queries: list[Query], ours: SearchIndex, fts5: Fts5Index, repeats: int
) -> None:
    """Warm each query up once, then add the median of ``repeats`` timed runs per engine."""
    for query in queries:

        def run_ours(q: Query = query) -> object:
            return ours.search(q.text, limit=LIMIT, as_you_type=q.prefix, snippets=True)

        def run_fts5(q: Query = query) -> object:
            return fts5.search(q.text, limit=LIMIT, prefix=q.prefix, snippets=True)

        run_ours()
        run_fts5()
        times: tuple[list[float], list[float]] = ([], [])
        for _ in range(repeats):
            times[0].append(elapsed_ms(run_ours))
            times[1].append(elapsed_ms(run_fts5))
        out.ours.append(statistics.median(times[0]))
        out.fts5.append(statistics.median(times[1]))
        out.texts.append(query.text + ("…" if query.prefix else ""))


class StderrProgress:
    """Prints build progress to stderr every 10%."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.shown = -1

    def __call__(self, done: int, total: int) -> None:
        step = done * 10 // max(total, 1)
        if step != self.shown:
            self.shown = step
            print(f"  [{self.label}] ours: indexed {done}/{total}", file=sys.stderr, flush=True)


def timed(run: Callable[[], T]) -> tuple[T, float]:
    """Return the result of ``run()`` and the seconds it took."""
    start = time.perf_counter()
    result = run()
    return result, time.perf_counter() - start


def dir_size(path: Path) -> int:
    """Return the total size of the files below ``path``."""
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


# -- one-article change ---------------------------------------------------------------------
def edit_article(library: Library, slug: str, number: int) -> None:
    """Append a new paragraph to one article's file (changes its fingerprint)."""
    path = library.articles[slug].path
    text = path.read_text(encoding="utf-8")
    note = f"\n\nBenchmark edit {number}: zygapophyseal recalibration paragraph.\n"
    path.write_text(text + note, encoding="utf-8")


def update_times(
    root: Path, ours: SearchIndex, fts5: Fts5Index, repeats: int
) -> tuple[list[float], list[float]]:
    """Edit one article ``repeats`` times; return the update times (ms) of both engines."""
    library = load_library(root)
    slugs = sorted(library.articles)
    slug = slugs[len(slugs) // 2]
    ours_ms, fts5_ms = [], []
    for number in range(repeats):
        edit_article(library, slug, number)
        library = load_library(root)
        ours_ms.append(elapsed_ms(partial(ours.update, library)))
        fts5_ms.append(elapsed_ms(partial(fts5.update, library)))
    return ours_ms, fts5_ms


# -- one corpus -----------------------------------------------------------------------------
def corpus_words(library: Library) -> int:
    """Return the number of whitespace-separated words in all bodies."""
    total = 0
    for slug in library.articles:
        try:
            total += len(library.read_body(slug).split())
        except OSError:
            continue
    return total


class Interrupted(Exception):
    """The run was stopped (SIGTERM from ``timeout``, or Ctrl+C): print what was measured."""


def _on_sigterm(signum: int, frame: object) -> None:
    raise Interrupted()


def build_both(
    report: CorpusReport, library: Library, folder: Path, label: str
) -> tuple[SearchIndex, Fts5Index]:
    """Build our index (in a fresh process: time and peak memory) and FTS5 in ``folder``."""
    print(f"[{label}] building ours in a child process", file=sys.stderr, flush=True)
    built = build_in_child(library.root_dir, folder / "index")
    ours = SearchIndex.open_or_build(library, folder / "index")
    fts5, fts5_s = timed(lambda: Fts5Index.build(library, folder / "fts5.db"))
    print(f"[{label}] built: ours {built['seconds']:.2f} s, FTS5 {fts5_s:.2f} s", file=sys.stderr)
    report.rows.append(("index build, s", built["seconds"], fts5_s))
    mib = 2**20
    report.rows.append(
        ("index size, MiB", dir_size(folder / "index") / mib, fts5.size_bytes() / mib)
    )
    report.rows.append(("build peak RSS: main process, MB", built["rss"], 0.0))
    report.rows.append(("build peak RSS: helper process (at most), MB", built["helpers"], 0.0))
    report.rows.append(("build peak RSS: sum of both, MB", built["rss"] + built["helpers"], 0.0))
    return ours, fts5


def measure(
    report: CorpusReport,
    source: Path,
    texts: list[str],
    repeats: int,
    every: int,
    cold: bool = True,
) -> None:
    """Measure everything on one corpus (copied into a temporary folder) into ``report``."""
    label = report.label
    with tempfile.TemporaryDirectory(prefix="spine-speed-") as tmp:
        root = Path(tmp) / "content"
        shutil.copytree(source, root)
        library = load_library(root)
        words = corpus_words(library)
        print(f"[{label}] {len(library.articles)} articles, {words:,} words", file=sys.stderr)
        report.label = f"{label}: {len(library.articles):,} articles, {words:,} words"
        ours, fts5 = build_both(report, library, Path(tmp), label)
        try:
            print(f"[{label}] timing one-article updates", file=sys.stderr, flush=True)
            ours_up, fts5_up = update_times(root, ours, fts5, repeats)
            medians = statistics.median(ours_up), statistics.median(fts5_up)
            report.rows.append(("one-article update, median ms", *medians))
            for name, queries in query_sets(texts, every).items():
                print(f"[{label}] timing {len(queries)} warm {name}", file=sys.stderr, flush=True)
                report.sets.append(Latencies(f"warm {name}"))
                time_queries(report.sets[-1], queries, ours, fts5, repeats)
        finally:
            ours.close()
            fts5.close()
        if cold:
            print(f"[{label}] cold queries, a fresh process each", file=sys.stderr, flush=True)
            measured = measure_cold(root, Path(tmp) / "index", Path(tmp) / "fts5.db", texts, label)
            report.cold = cold_rows(measured)
            report.cold_slowest = slowest(measured)


# -- printing -------------------------------------------------------------------------------
def _ratio(ours: float, fts5: float) -> str:
    if fts5 <= 0:
        return "–"
    ratio = ours / fts5
    return f"{ratio:.1f}×" if ratio >= 0.1 else f"{ratio:.2f}×"


def _num(value: float) -> str:
    return f"{value:.3g}" if value < 100 else f"{value:,.0f}"


def print_report(report: CorpusReport) -> None:
    """Print one corpus's figures as a table, then our slowest queries."""
    print(f"\n## {report.label}\n")
    print(f"| {'figure':<44} | {'ours':>9} | {'FTS5':>9} | {'ours÷FTS5':>9} |")
    print(f"|{'-' * 46}|{'-' * 10}:|{'-' * 10}:|{'-' * 10}:|")
    for name, ours, fts5 in _rows(report):
        print(f"| {name:<44} | {_num(ours):>9} | {_num(fts5):>9} | {_ratio(ours, fts5):>9} |")
    every = [(ms, text) for s in report.sets for ms, text in zip(s.ours, s.texts, strict=False)]
    shown = "; ".join(f"{t!r} {ms:.1f}" for ms, t in sorted(every, reverse=True)[:5])
    print(f"\nOur slowest warm queries (ms; … = as you type): {shown}")
    if report.cold_slowest:
        print(f"Our slowest cold queries (ms): {report.cold_slowest}")


def _rows(report: CorpusReport) -> Iterator[tuple[str, float, float]]:
    yield from report.rows[:5]
    yield from report.cold
    combined = Latencies("all queries")
    for latencies in [*report.sets, combined]:
        if latencies is not combined:
            combined.ours += latencies.ours
            combined.fts5 += latencies.fts5
        n = min(len(latencies.ours), len(latencies.fts5))
        if n == 0:
            continue
        for stat, pct in (("p50", 50.0), ("p95", 95.0), ("max", 100.0)):
            name = f"{latencies.name} ({n}), {stat} ms"
            yield name, percentile(latencies.ours, pct), percentile(latencies.fts5, pct)
    yield from report.rows[5:]


# -- corpora --------------------------------------------------------------------------------
@contextmanager
def generated(size: int, seed: int, cache_dir: Path | None) -> Iterator[Path]:
    """Yield a generated corpus of ``size`` articles, reusing one in ``cache_dir`` if current."""
    if cache_dir is None:
        with tempfile.TemporaryDirectory(prefix="spine-corpus-") as tmp:
            yield _generate(Path(tmp) / "corpus", size, seed)
        return
    out = cache_dir / f"gen-{size}-seed{seed}"
    if gen_corpus.is_current(out, size, seed):
        print(f"[generated {size}] reusing {out}", file=sys.stderr)
        yield out
        return
    yield _generate(out, size, seed)


def _generate(out: Path, size: int, seed: int) -> Path:
    print(f"[generated {size}] writing {out}", file=sys.stderr, flush=True)
    _, seconds = timed(lambda: gen_corpus.generate(out, size, seed))
    print(f"[generated {size}] written in {seconds:.1f} s", file=sys.stderr)
    return out


def code_version() -> str:
    """Return a short hash of desktop_app/core/*.py, to tell which engine code was measured."""
    digest = hashlib.sha1()
    for path in sorted((ROOT / "desktop_app" / "core").glob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:10]


def parse_sizes(text: str) -> list[int]:
    """Parse '2000,10000' (an empty string means no generated corpus)."""
    return [int(part) for part in text.split(",") if part.strip()]


def main(argv: list[str] | None = None) -> int:
    """Measure the bundled corpus and each generated size; print one table per corpus."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="2000,10000", help="generated corpus sizes ('' none)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--cache-dir", type=Path, help="keep generated corpora here")
    parser.add_argument("--content", type=Path, default=DEFAULT_CONTENT)
    parser.add_argument("--queries", type=Path, default=DEFAULT_QUERIES)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--no-bundled", action="store_true", help="skip the bundled corpus")
    parser.add_argument("--prefix-every", type=int, default=1, help="time every n-th prefix")
    parser.add_argument("--quick", action="store_true", help="8 queries, one 300-article corpus")
    parser.add_argument("--no-cold", action="store_true", help="skip the cold (fresh process) runs")
    args = parser.parse_args(argv)
    texts = [q.text for q in read_queries(args.queries)]
    sizes = parse_sizes(args.sizes)
    if args.quick:
        texts, sizes = texts[:8], [300]
    stamp = time.strftime("%Y-%m-%d %H:%M")
    print(f"# Search speed ({stamp}, desktop_app/core hash {code_version()}, pid {os.getpid()})")
    print(f"{len(texts)} eval queries from {args.queries}; median of {args.repeats} per query")
    signal.signal(signal.SIGTERM, _on_sigterm)
    cold = not args.no_cold
    corpora: list[tuple[str, int]] = [] if args.no_bundled else [("bundled", 0)]
    corpora += [(f"generated {size}", size) for size in sizes]
    for label, size in corpora:
        report = CorpusReport(label)
        try:
            if size:
                with generated(size, args.seed, args.cache_dir) as corpus:
                    measure(report, corpus, texts, args.repeats, args.prefix_every, cold)
            else:
                measure(report, args.content, texts, args.repeats, args.prefix_every, cold)
        except (Interrupted, KeyboardInterrupt):
            report.label += " (INTERRUPTED: partial figures)"
            print_report(report)
            return 0
        print_report(report)
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
