"""First open of a large folder: time to the first title search, and to the full-text index.

Opens a folder the way File ▸ Open Folder does on a first visit (no snapshot, no index): loads
the library, shows the window offscreen, starts the index build (a child process), and at once
searches a title. Prints, in seconds from the start of the load: the library loaded, the window
shown, the first title search answered (from the library, before the index is ready), and the
full-text index ready with a body-word search answered.

    python bench/first_open.py                       # the 10,000-article generated corpus
    python bench/first_open.py /tmp/coll/tldr/pages  # any folder
    python bench/first_open.py --titles-only         # up to the first title search only

Prints figures; never asserts.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = Path("/tmp/corpora/gen-10000-seed7")


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark once and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, nargs="?", default=DEFAULT_CORPUS)
    parser.add_argument("--timeout", type=float, default=600, help="seconds to wait for the index")
    parser.add_argument(
        "--titles-only", action="store_true", help="stop after the first title search"
    )
    args = parser.parse_args(argv)
    if not args.folder.is_dir():
        gen = [sys.executable, str(ROOT / "bench/gen_corpus.py"), str(args.folder)]
        subprocess.run([*gen, "--articles", "10000", "--seed", "7"], check=True)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    with tempfile.TemporaryDirectory(prefix="first-open-") as tmp:
        os.environ["SPINE_ATLAS_CACHE_DIR"] = str(Path(tmp) / "cache")
        return _run(args.folder, Path(tmp), 0 if args.titles_only else args.timeout)


def _run(folder: Path, tmp: Path, timeout: float) -> int:
    from PySide6.QtCore import QCoreApplication, QEventLoop

    from desktop_app.core.content import load_library
    from desktop_app.ui.app import follow_folder, make_application, start_index
    from desktop_app.ui.main_window import MainWindow
    from desktop_app.ui.settings import Settings

    app = make_application()
    start = time.perf_counter()
    library = load_library(folder)
    loaded = time.perf_counter() - start
    window = MainWindow(library, Settings(tmp / "settings.ini"))
    window.show()
    start_index(window, library, tmp / "index")
    follow_folder(window)
    shown = time.perf_counter() - start
    slug = sorted(library.articles)[len(library.articles) // 2]
    title = library.articles[slug].title
    words = " ".join(title.split()[:2])
    answers: list[tuple[float, object]] = []
    window.search.results_ready.connect(lambda r: answers.append((time.perf_counter() - start, r)))
    window.search.search_now(words)
    while not answers:
        app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents, 50)
    first_at, first = answers[0]
    before_index = window.search.index is None
    deadline = time.perf_counter() + timeout
    while window.search.index is None and time.perf_counter() < deadline:
        app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents, 100)
    index_at = time.perf_counter() - start
    body_word = library.read_body(slug).split()[20] if window.search.index else ""
    answers.clear()
    if body_word:
        window.search.search_now(body_word)
        while not answers:
            app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents, 50)
    full_at = answers[0][0] if answers else float("nan")
    hits = getattr(first, "hits", ())
    print(f"folder: {folder} ({len(library.articles)} articles)")
    print(f"library loaded:        {loaded:6.2f} s")
    print(f"window shown:          {shown:6.2f} s")
    print(
        f"first title search:    {first_at:6.2f} s  ({words!r}: {len(hits)} hits, "
        f"{'from titles, index not ready' if before_index else 'from the index'}; "
        f"found {slug!r}: {slug in [h.slug for h in hits]})"
    )
    print(f"full-text index ready: {index_at:6.2f} s")
    print(f"first full-text search:{full_at:6.2f} s  ({body_word!r})")
    window.index_build and window.index_build.cancel()
    window.search.wait()
    from PySide6.QtCore import QThreadPool

    QThreadPool.globalInstance().waitForDone()
    window.close()
    QCoreApplication.processEvents()
    return 0


if __name__ == "__main__":
    sys.exit(main())
