"""``--self-test``: drive the shown window through a reader's first minute and report each step.

``run_self_test`` checks that the content loaded, waits for the search index, runs a search,
renders an article and exports a PDF. It writes one line per step (``ok   <step> (<ms> ms): ...``
or ``FAIL <step>: <reason>``) and returns 0 only if every step passed. It runs the same way from
a source checkout, a pip install and the frozen bundle, so packaging uses it as its smoke test.

``install_startup_probe`` is the hook behind ``SPINE_ATLAS_STARTUP_PROBE`` that
``bench/startup.py`` reads: the first paint of the article pane, resident memory, and (in
``search`` mode) memory again after 20 searches. It writes ``<name> <value>`` lines on stderr.
"""

from __future__ import annotations

import logging
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from PySide6.QtCore import QCoreApplication, QEvent, QEventLoop, QObject, QTimer
from PySide6.QtGui import QGuiApplication

from desktop_app import paths
from desktop_app.diagnostics import count
from desktop_app.errors import AppError
from desktop_app.timing import MARKS

if TYPE_CHECKING:
    from desktop_app.core.content import Library
    from desktop_app.core.search import SearchResults
    from desktop_app.ui.main_window import MainWindow

log = logging.getLogger(__name__)
INDEX_TIMEOUT_S = 120.0
SEARCH_TIMEOUT_S = 30.0
QUERY = "spinal manipulation"
EXPECTED_HIT = "spinal-manipulation-overview"
PROBE_ENV = "SPINE_ATLAS_STARTUP_PROBE"
PROBE_T0_ENV = "SPINE_ATLAS_STARTUP_T0"
# Libraries a start from the snapshot should not need before its first paint.
HEAVY_MODULES = ("markdown", "yaml", "whoosh", "desktop_app.core.search.searcher")
PROBE_QUERIES = (
    "spinal manipulation",
    "low back pain",
    "neck pain",
    "stroke",
    "HVLA",
    "mobilisation",
    "cervical artery dissection",
    "chiropractic",
    "osteopath",
    "contraindications",
    "headache",
    "adverse events",
    "thoracic",
    "sciatica",
    "guidelines",
    "placebo",
    "radiculopathy",
    "manipulaton",
    "cost effectiveness",
    "children",
)


class StepError(Exception):
    """A self-test step failed; the message says why."""


# -- the self-test ------------------------------------------------------------------------------
def run_self_test(window: MainWindow, stream: TextIO | None = None) -> int:
    """Run every step against ``window``; write one line each; return the exit code."""
    out = stream or sys.stdout
    start = time.perf_counter()
    failed = 0
    for name, step in STEPS:
        ok = _run_step(name, step, window, out)
        failed += not ok
    ms = (time.perf_counter() - start) * 1000
    if failed:
        _write(out, f"self-test FAILED: {failed} of {len(STEPS)} steps ({ms:.0f} ms)")
        return 1
    _write(out, f"self-test passed: {len(STEPS)} steps ({ms:.0f} ms)")
    return 0


def _run_step(
    name: str, step: Callable[[MainWindow], str], window: MainWindow, out: TextIO
) -> bool:
    start = time.perf_counter()
    try:
        detail = step(window)
    except (StepError, AppError, OSError) as exc:
        _write(out, f"FAIL {name}: {exc}")
        return False
    except Exception as exc:  # a bug: report it as a failed step and go on with the others
        log.error("self-test step %s raised", name, exc_info=True)
        _write(out, f"FAIL {name}: {type(exc).__name__}: {exc}")
        return False
    ms = (time.perf_counter() - start) * 1000
    _write(out, f"ok   {name} ({ms:.0f} ms): {detail}")
    return True


def _write(out: TextIO, line: str) -> None:
    out.write(line + "\n")
    out.flush()


def wait_until(predicate: Callable[[], bool], timeout_s: float) -> bool:
    """Process Qt events until ``predicate()`` is true; False if ``timeout_s`` passed first."""
    deadline = time.monotonic() + timeout_s
    loop = QEventLoop()
    while not predicate():
        if time.monotonic() >= deadline:
            return False
        QTimer.singleShot(10, loop.quit)
        loop.exec()
    return True


def check_window(window: MainWindow) -> str:
    """The window is shown and the first article is in the pane."""
    if not window.isVisible():
        raise StepError("the main window is not visible")
    if not window.article_view.slug:
        raise StepError("no article was opened at start")
    return f"platform {QGuiApplication.platformName()}, opened {window.article_view.slug}"


def check_content(window: MainWindow) -> str:
    """Articles loaded, with no load errors."""
    library = window.library
    errors, warnings = count(library.diagnostics)
    if not library.articles:
        raise StepError(f"no articles found in {library.root_dir}")
    if errors:
        first = next(d for d in library.diagnostics if d.severity.value == "error")
        raise StepError(f"{errors} load error(s), first: {first.format()}")
    return f"{len(library.articles)} articles, {errors} errors, {warnings} warnings"


def check_index(window: MainWindow) -> str:
    """The background worker hands the window a search index covering every article."""
    if not wait_until(lambda: _index_settled(window), INDEX_TIMEOUT_S):
        raise StepError(f"the search index was not ready after {INDEX_TIMEOUT_S:.0f} s")
    index = window.search.index
    if index is None:
        raise StepError(window.statusBar().currentMessage() or "the index worker failed")
    indexed, expected = index.doc_count, len(window.library.articles)
    if indexed != expected:
        raise StepError(f"{indexed} articles indexed, expected {expected}")
    where = str(index.location) if index.location else "in memory"
    seed = "; the bundle ships a prebuilt index" if paths.prebuilt_index_dir() else ""
    note = f"; note: {index.note}" if index.note else ""
    return f"{indexed} articles indexed ({where}){seed}{note}"


def _index_settled(window: MainWindow) -> bool:
    """The index is ready, or the worker reported that it failed (app.start_index)."""
    if window.search.index is not None:
        return True
    return window.statusBar().currentMessage().startswith("Search unavailable")


def check_search(window: MainWindow) -> str:
    """A search through the window's controller finds the overview article."""
    results = search_once(window, QUERY)
    slugs = [hit.slug for hit in results.hits]
    window.clear_search()
    if EXPECTED_HIT not in slugs:
        raise StepError(f"{EXPECTED_HIT!r} not among the hits for {QUERY!r}: {slugs[:5]}")
    return f"{results.total} hits for {QUERY!r}, {EXPECTED_HIT} at #{slugs.index(EXPECTED_HIT) + 1}"


def search_once(window: MainWindow, text: str) -> SearchResults:
    """Search as the search box does (on the controller's thread); wait for the answer."""
    if window.search.index is None:
        raise StepError("no search index")
    got: list[SearchResults] = []
    errors: list[str] = []

    def on_results(results: SearchResults) -> None:
        got.append(results)

    def on_failed(message: str) -> None:
        errors.append(message)

    window.search.results_ready.connect(on_results)
    window.search.failed.connect(on_failed)
    try:
        window.search_field.setText(text)
        window.search.search_now(text)
        if not wait_until(lambda: bool(got or errors), SEARCH_TIMEOUT_S):
            raise StepError(f"no answer to {text!r} after {SEARCH_TIMEOUT_S:.0f} s")
    finally:
        window.search.results_ready.disconnect(on_results)
        window.search.failed.disconnect(on_failed)
    if errors:
        raise StepError(f"search failed: {errors[0]}")
    return got[0]


def check_render(window: MainWindow) -> str:
    """The overview article renders into the pane, title included."""
    if not window.open_article(EXPECTED_HIT):
        raise StepError(window.statusBar().currentMessage() or f"cannot open {EXPECTED_HIT}")
    text = window.article_view.toPlainText()
    title = window.library.articles[EXPECTED_HIT].title
    if title not in text:
        raise StepError(f"the pane does not show the title {title!r}")
    return f"{len(text.split())} words"


def check_pdf(window: MainWindow) -> str:
    """The shortest article exports to a PDF of at least one page."""
    from desktop_app.ui.printing import export_pdf

    if not window.library.articles:
        raise StepError("no articles to export")
    slug = shortest_article(window.library)
    with tempfile.TemporaryDirectory(prefix="spine-atlas-self-test-") as folder:
        path = Path(folder) / f"{slug}.pdf"
        pages = export_pdf(window.library, slug, path)
        data = path.read_bytes()
    if pages < 1:
        raise StepError(f"{pages} pages exported")
    if not data.startswith(b"%PDF-"):
        raise StepError(f"the file does not start with %PDF: {data[:8]!r}")
    return f"{slug}: {pages} page(s), {len(data) // 1024} kB"


def check_notes(window: MainWindow) -> str:
    """A note is stored (SQLite), found again in the open article and highlighted there."""
    from desktop_app.ui.annotations import decorate, document_text
    from desktop_app.ui.notes_controller import NotesController

    with tempfile.TemporaryDirectory(prefix="spine-atlas-self-test-") as folder:
        notes = NotesController(window, Path(folder) / "notes.sqlite3")
        store = notes.store
        if store is None:
            raise StepError(notes.problem or "the notes database cannot be opened")
        from desktop_app.core.notes import first_quote

        text = document_text(window.article_view.document())
        words = " ".join(text.split()[5:12])
        quote = first_quote(text, words)
        if quote is None:
            raise StepError("no passage to annotate in the open article")
        store.add(notes.path_of(window.article_view.slug), quote, note="self-test")
        done = decorate(window.article_view.document(), store.annotations())
        store.close()
    if not all(done.anchors.values()):
        raise StepError("the note's passage was not found again")
    return f"1 note anchored by {next(iter(done.anchors.values())).method}"  # type: ignore[union-attr]


def shortest_article(library: Library) -> str:
    """Return the slug of the smallest article file (the quickest to print)."""

    def size(slug: str) -> int:
        try:
            return library.articles[slug].path.stat().st_size
        except OSError:
            return sys.maxsize

    return min(library.articles, key=size)


STEPS: tuple[tuple[str, Callable[[MainWindow], str]], ...] = (
    ("window", check_window),
    ("content", check_content),
    ("index", check_index),
    ("search", check_search),
    ("render", check_render),
    ("notes", check_notes),
    ("pdf", check_pdf),
)


# -- the start-up probe (bench/startup.py) ------------------------------------------------------
def install_startup_probe(window: MainWindow, mode: str) -> StartupProbe:
    """Report start-up figures on stderr, then quit (``mode`` "search" also runs 20 searches)."""
    return StartupProbe(window, mode)


class StartupProbe(QObject):
    """Watches the article pane's first paint; reports figures as ``name value`` lines."""

    def __init__(self, window: MainWindow, mode: str) -> None:
        super().__init__(window)
        self.window = window
        self.mode = mode
        self._painted = False
        self._searches = 0
        self._poll = QTimer(self)
        self._poll.setInterval(10)
        self._poll.timeout.connect(self._on_poll_timeout)
        window.article_view.viewport().installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """On the first paint with an article in the pane, report once the paint is done."""
        painted = event.type() == QEvent.Type.Paint and bool(self.window.article_view.slug)
        if painted and not self._painted:
            self._painted = True
            QTimer.singleShot(0, self._on_first_paint)
        return False

    def _on_first_paint(self) -> None:
        report("first-paint", f"{seconds_since_start():.4f}")
        zero = time.time() - seconds_since_start()
        for name, when in MARKS:
            report(f"mark-{name}", f"{when - zero:.4f}")
        self.window.article_view.viewport().removeEventFilter(self)
        report("cpu-paint", f"{time.process_time():.4f}")
        heavy = [name for name in HEAVY_MODULES if name in sys.modules]
        report("imported-at-paint", ",".join(heavy) or "none")
        report("rss-start", memory_mb())
        if self.mode != "search":
            QCoreApplication.quit()
            return
        self._poll.start()

    def _on_poll_timeout(self) -> None:
        if self.window.search.index is None:
            return
        self._poll.stop()
        report("index-ready", f"{seconds_since_start():.4f}")
        self.window.search.results_ready.connect(self._on_search_results)
        self._next_search()

    def _next_search(self) -> None:
        query = PROBE_QUERIES[self._searches % len(PROBE_QUERIES)]
        self.window.search_field.setText(query)
        self.window.search.search_now(query)

    def _on_search_results(self, _results: object) -> None:
        self._searches += 1
        if self._searches < len(PROBE_QUERIES):
            self._next_search()
            return
        report("rss-searches", f"{memory_mb()} n={self._searches}")
        QCoreApplication.quit()


def report(name: str, value: str) -> None:
    """Write one ``name value`` line on stderr."""
    sys.stderr.write(f"{name} {value}\n")
    sys.stderr.flush()


def seconds_since_start() -> float:
    """Seconds since the launcher's clock reading (``SPINE_ATLAS_STARTUP_T0``) or process start."""
    t0 = os.environ.get(PROBE_T0_ENV)
    if t0:
        return time.time() - float(t0)
    try:  # Linux: process start time in clock ticks since boot (10 ms resolution)
        started = int(Path("/proc/self/stat").read_text().rsplit(")", 1)[1].split()[19])
        uptime = float(Path("/proc/uptime").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return float("nan")
    return uptime - started / os.sysconf("SC_CLK_TCK")


def memory_mb() -> str:
    """Return ``"<rss> anon=<private> file=<mapped files> hwm=<peak>"`` in MB (Linux only)."""
    fields: dict[str, float] = {}
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            key, _, value = line.partition(":")
            if key in ("VmRSS", "RssAnon", "RssFile", "VmHWM"):
                fields[key] = int(value.split()[0]) / 1024
    except (OSError, ValueError):
        return "nan"
    names = (("VmRSS", ""), ("RssAnon", " anon="), ("RssFile", " file="), ("VmHWM", " hwm="))
    return "".join(f"{label}{fields.get(key, 0.0):.1f}" for key, label in names)
