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
import math
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
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
    from PySide6.QtCore import QCoreApplication

    from desktop_app.core.content import load_library
    from desktop_app.ui.app import follow_folder, make_application, start_index
    from desktop_app.ui.main_window import MainWindow
    from desktop_app.ui.settings import Settings

    _app = make_application()  # kept alive for the run
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
    _wait(lambda: bool(answers))
    first_at, first = answers[0]
    before_index = window.search.index is None
    deadline = time.perf_counter() + timeout
    # the full text of the articles written first, searchable while the build goes on
    _wait(lambda: window.search.filling is not None or window.search.index is not None, deadline)
    filling = window.search.filling
    filling_at = time.perf_counter() - start
    early = next(iter(library.articles))
    early_word = _rare_word(library, early)
    answers.clear()
    if filling is not None and early_word:
        window.search.search_now(early_word)
        _wait(lambda: bool(answers))
    early_at, early_results = answers[0] if answers else (float("nan"), None)
    _wait(lambda: window.search.index is not None, deadline)
    index_at = time.perf_counter() - start
    body_word = library.read_body(slug).split()[20] if window.search.index else ""
    answers.clear()
    if body_word:
        window.search.search_now(body_word)
        _wait(lambda: bool(answers))
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
    if filling is not None and early_results is not None:
        found = early in [h.slug for h in getattr(early_results, "hits", ())]
        print(f"part of the full text: {filling_at:6.2f} s  ({len(filling.indexed)} articles)")
        print(
            f"first search of it:    {early_at:6.2f} s  ({early_word!r}, a word of "
            f"{early!r}: found {found}; {getattr(early_results, 'scope', '')})"
        )
    elif timeout:
        print("part of the full text: not shown before the whole index (a one-process build)")
    print(f"full-text index ready: {index_at:6.2f} s")
    print(f"first full-text search:{full_at:6.2f} s  ({body_word!r})")
    window.index_build and window.index_build.cancel()
    window.search.wait()
    from PySide6.QtCore import QThreadPool

    QThreadPool.globalInstance().waitForDone()
    window.close()
    QCoreApplication.processEvents()
    return 0


def _wait(done: Callable[[], bool], deadline: float = math.inf) -> None:
    """Run an idle event loop, as the app's own is, until ``done()`` or ``deadline``.

    (``processEvents`` in a loop would keep this process busy and slow the index build.)
    """
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(lambda: (done() or time.perf_counter() > deadline) and loop.quit())
    timer.start()
    if not done():
        loop.exec()
    timer.stop()


def _rare_word(library: object, slug: str) -> str:
    """A longer word of the article's text (not in its title): a full-text-only query."""
    body = library.read_body(slug)  # type: ignore[attr-defined]
    title = library.articles[slug].title.casefold()  # type: ignore[attr-defined]
    words = [w for w in body.split() if w.isalpha() and len(w) > 7 and w.casefold() not in title]
    return words[len(words) // 2] if words else ""


if __name__ == "__main__":
    sys.exit(main())
