"""Cold search: a fresh process opens the index and runs one query it has never read the terms of.

This is how a user meets search at scale: the app has just started (or the index was just opened),
and the words typed have not been read from the index yet. Each query runs in its own child
process (``python bench/cold_speed.py --child ...``), which loads the library (not timed), opens the
index (``SearchIndex.open_or_build`` on the existing index, then ``warm()`` as the app does on its
search thread before the first query, timed together as "open"), then times one ``search`` with
snippets. The FTS5 baseline runs the same way (connect, then one query), and the two
engines alternate query by query, so both see the same machine load.

Query kinds, derived from the eval queries: *term* (each query as typed), *phrase* (each query of
two or more words, quoted), *prefix* (as you type: the query cut inside its last word, at least 3
letters of it kept, ``as_you_type=True``; FTS5 ``"word"*``).

``python bench/cold_speed.py --content DIR --index DIR --fts5 FILE`` measures indexes that already
exist (``search_speed.py`` calls ``measure_cold`` after building them).
"""

from __future__ import annotations

import argparse
import json
import math
import resource
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

KINDS = ("term", "phrase", "prefix")


@dataclass(frozen=True, slots=True)
class ColdQuery:
    """One cold query: its text and kind."""

    text: str
    kind: str


@dataclass
class ColdReport:
    """Per-query cold latencies (ms) of both engines, with the time to open the index."""

    queries: list[ColdQuery] = field(default_factory=list)
    ours: list[float] = field(default_factory=list)
    fts5: list[float] = field(default_factory=list)
    ours_open: list[float] = field(default_factory=list)
    fts5_open: list[float] = field(default_factory=list)
    ours_rss: list[float] = field(default_factory=list)
    ours_snippets: list[float] = field(default_factory=list)
    fts5_snippets: list[float] = field(default_factory=list)


def cold_queries(texts: list[str]) -> list[ColdQuery]:
    """Return the term, phrase and prefix queries derived from the eval queries."""
    out = [ColdQuery(t, "term") for t in dict.fromkeys(texts)]
    out += [ColdQuery(f'"{t}"', "phrase") for t in dict.fromkeys(texts) if len(t.split()) > 1]
    for text in dict.fromkeys(texts):
        head, _, last = text.rpartition(" ")
        if len(last) >= 5 and last.isalpha():
            cut = max(3, len(last) // 2 + 1)
            out.append(ColdQuery(f"{head} {last[:cut]}".strip(), "prefix"))
    return out


def _peak_rss_mb() -> float:
    """This process's peak RSS in MB (VmHWM on Linux).

    ``ru_maxrss`` of a process started by another counts the starter's RSS at the start (Linux
    carries the old memory map's peak across exec), so it would report the benchmark's own size.
    """
    try:
        with Path("/proc/self/status").open(encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _child_ours(content: Path, index: Path, query: ColdQuery) -> dict[str, float]:
    from desktop_app.core.content import load_library
    from desktop_app.core.search import SearchIndex

    library = load_library(content)
    start = time.perf_counter()
    ours = SearchIndex.open_or_build(library, index)
    ours.warm()  # as the app does on its search thread as soon as the index is open
    opened = time.perf_counter()
    prefix = query.kind == "prefix"
    ours.search(query.text, limit=10, as_you_type=prefix, snippets=False, sections=False)
    ranked = time.perf_counter()
    ours.search(
        query.text, limit=10, as_you_type=prefix
    )  # snippets (texts read for the first time)
    shown = time.perf_counter()
    ours.search(query.text, limit=10, as_you_type=prefix, snippets=False, sections=False)
    again = time.perf_counter()
    rss = _peak_rss_mb()
    return {
        "open": (opened - start) * 1000,
        "query": (ranked - opened) * 1000,
        "snippets": max(0.0, (shown - ranked) - (again - shown)) * 1000,
        "rss": rss,
    }


def _child_fts5(database: Path, query: ColdQuery) -> dict[str, float]:
    import sqlite3

    from bench.fts5_baseline import Fts5Index

    start = time.perf_counter()
    fts5 = Fts5Index(sqlite3.connect(str(database)), database)
    opened = time.perf_counter()
    prefix = query.kind == "prefix"
    fts5.search(query.text, limit=10, prefix=prefix, snippets=False)
    ranked = time.perf_counter()
    fts5.search(query.text, limit=10, prefix=prefix, snippets=True)
    shown = time.perf_counter()
    fts5.search(query.text, limit=10, prefix=prefix, snippets=False)
    again = time.perf_counter()
    return {
        "open": (opened - start) * 1000,
        "query": (ranked - opened) * 1000,
        "snippets": max(0.0, (shown - ranked) - (again - shown)) * 1000,
        "rss": 0.0,
    }


def _child_build(content: Path, index: Path) -> dict[str, float]:
    """Build our index from nothing; its time and the peak RSS of this process and its helpers."""
    from desktop_app.core.content import load_library
    from desktop_app.core.search import SearchIndex

    library = load_library(content)
    start = time.perf_counter()
    SearchIndex.open_or_build(library, index).close()
    seconds = time.perf_counter() - start
    return {
        "seconds": seconds,
        "rss": _peak_rss_mb(),
        # An upper bound: a helper's ru_maxrss includes this process's RSS when it was started.
        "helpers": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
    }


def build_in_child(content: Path, index: Path) -> dict[str, float]:
    """Build our index in a fresh process (so its peak memory is the build's alone)."""
    return _run_child(["build", str(content), str(index)])


def _run_child(args: list[str]) -> dict[str, float]:
    command = [sys.executable, str(Path(__file__).resolve()), "--child", *args]
    out = subprocess.run(command, capture_output=True, text=True, check=True, cwd=ROOT)
    figures: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    return figures


def measure_cold(
    content: Path,
    index: Path,
    database: Path,
    texts: list[str],
    label: str = "",
    kinds: tuple[str, ...] = KINDS,
) -> ColdReport:
    """Run every cold query in fresh processes, ours and FTS5 alternating."""
    report = ColdReport()
    queries = [q for q in cold_queries(texts) if q.kind in kinds]
    for number, query in enumerate(queries):
        spec = [query.kind, query.text]
        runs = [
            ("ours", [str(content), str(index), *spec]),
            ("fts5", [str(database), *spec]),
        ]
        if number % 2:
            runs.reverse()
        for engine, args in runs:
            figures = _run_child([engine, *args])
            if engine == "ours":
                report.ours.append(figures["query"])
                report.ours_open.append(figures["open"])
                report.ours_rss.append(figures["rss"])
                report.ours_snippets.append(figures["snippets"])
            else:
                report.fts5.append(figures["query"])
                report.fts5_open.append(figures["open"])
                report.fts5_snippets.append(figures["snippets"])
        report.queries.append(query)
        if number % 10 == 9:
            print(f"  [{label}] cold: {number + 1}/{len(queries)}", file=sys.stderr, flush=True)
    return report


def percentile(values: list[float], pct: float) -> float:
    """Return the nearest-rank percentile (0 for no values)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[max(0, math.ceil(pct / 100 * len(ordered)) - 1)]


def cold_rows(report: ColdReport) -> list[tuple[str, float, float]]:
    """Return (figure, ours, fts5) rows: mean and p95 overall and per kind, open time, RSS.

    "cold" is the query's ranked hits; "cold with snippets" adds what showing the hits' snippets
    and sections cost on top (their texts read for the first time too).
    """
    rows: list[tuple[str, float, float]] = []
    with_ours = [q + s for q, s in zip(report.ours, report.ours_snippets, strict=True)]
    with_fts5 = [q + s for q, s in zip(report.fts5, report.fts5_snippets, strict=True)]
    for kind in ("all", *KINDS):
        pick = [i for i, q in enumerate(report.queries) if kind in ("all", q.kind)]
        if not pick:
            continue
        ours = [report.ours[i] for i in pick]
        fts5 = [report.fts5[i] for i in pick]
        name = f"cold {kind} ({len(pick)})"
        rows.append((f"{name}, mean ms", statistics.fmean(ours), statistics.fmean(fts5)))
        rows.append((f"{name}, p95 ms", percentile(ours, 95), percentile(fts5, 95)))
        if kind == "all":
            rows.append((f"{name}, max ms", max(ours), max(fts5)))
            both = [with_ours[i] for i in pick], [with_fts5[i] for i in pick]
            rows.append((f"{name} with snippets, mean ms", *map(statistics.fmean, both)))
            rows.append((f"{name} with snippets, p95 ms", *(percentile(v, 95) for v in both)))
    if report.ours_open:
        opened = statistics.median(report.ours_open), statistics.median(report.fts5_open)
        rows.append(("cold: open the index and warm up, median ms", *opened))
        rows.append(("cold: child peak RSS, median MB", statistics.median(report.ours_rss), 0.0))
    return rows


def slowest(report: ColdReport, count: int = 5) -> str:
    """Return our slowest cold queries, as text."""
    pairs = sorted(zip(report.ours, report.queries, strict=True), key=lambda p: -p[0])[:count]
    return "; ".join(f"{q.kind} {q.text!r} {ms:.1f}" for ms, q in pairs)


def _child_main(args: list[str]) -> int:
    engine, *rest = args
    if engine == "build":
        figures = _child_build(Path(rest[0]), Path(rest[1]))
    elif engine == "ours":
        content, index, kind, text = rest
        figures = _child_ours(Path(content), Path(index), ColdQuery(text, kind))
    else:
        database, kind, text = rest
        figures = _child_fts5(Path(database), ColdQuery(text, kind))
    sys.stdout.write(json.dumps(figures) + "\n")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Measure cold queries on indexes that already exist; print a table."""
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--child"]:
        return _child_main(argv[1:])
    from bench.search_eval import DEFAULT_QUERIES, read_queries

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--content", type=Path, required=True)
    parser.add_argument("--index", type=Path, required=True)
    parser.add_argument("--fts5", type=Path, required=True)
    parser.add_argument("--queries", type=Path, default=DEFAULT_QUERIES)
    parser.add_argument("--kinds", default=",".join(KINDS))
    args = parser.parse_args(argv)
    texts = [q.text for q in read_queries(args.queries)]
    kinds = tuple(args.kinds.split(","))
    report = measure_cold(args.content, args.index, args.fts5, texts, "cold", kinds)
    for name, ours, fts5 in cold_rows(report):
        sys.stdout.write(f"| {name:<40} | {ours:9.2f} | {fts5:9.2f} |\n")
    sys.stdout.write(f"slowest: {slowest(report)}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
