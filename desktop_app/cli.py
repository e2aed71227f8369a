"""Command line: the window (no subcommand), search, index, check, list, render, export, notes.

``--content DIR`` and ``--index-dir DIR`` are accepted by the window and after every subcommand.
Qt is imported only for the window and for export.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desktop_app import __version__
from desktop_app.diagnostics import count
from desktop_app.errors import AppError
from desktop_app.timing import mark
from desktop_app.workspace import LineProgress, Workspace

if TYPE_CHECKING:
    from desktop_app.core.content import Library
    from desktop_app.core.search import SearchIndex

log = logging.getLogger(__name__)


def _common(parser: argparse.ArgumentParser, *, sub: bool = True) -> None:
    """Add the options taken both before and after a subcommand.

    A subcommand's defaults would overwrite what was given before it (``spine-atlas --content
    DIR check``), so after a subcommand an option that is not given leaves no value at all.
    """
    kept: dict[str, Any] = {"default": argparse.SUPPRESS} if sub else {}
    parser.add_argument(
        "--content",
        type=Path,
        metavar="DIR",
        help="content folder (default: the bundled content)",
        **kept,
    )
    parser.add_argument(
        "--index-dir",
        type=Path,
        metavar="DIR",
        help="search index folder (default: in the user cache folder)",
        **kept,
    )
    parser.add_argument(
        "-v", "--verbose", action="store_true", help="log progress to stderr", **kept
    )


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser."""
    parser = argparse.ArgumentParser(
        prog="spine-atlas", description="Spine Atlas: an offline reference on spinal manipulation."
    )
    parser.add_argument("--version", action="version", version=f"Spine Atlas {__version__}")
    parser.add_argument(
        "--self-test",
        action="store_true",
        help="open the window offscreen, run each step once, report and exit",
    )
    _common(parser, sub=False)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("search", help="search the articles")
    p.add_argument("query", nargs="?", default="", help="the query (omit with --stdin)")
    p.add_argument("--json", action="store_true", help="one JSON object per query")
    p.add_argument("--limit", type=int, default=10, help="how many hits (default 10)")
    p.add_argument("--stdin", action="store_true", help="read one query per line from stdin")
    p.add_argument("--topic", help="only search this topic (its slug)")
    _common(p)

    p = sub.add_parser("index", help="build or update the search index")
    p.add_argument("--rebuild", action="store_true", help="build from scratch")
    # For the window, which builds a first index in a child process: "progress D/T" lines.
    p.add_argument("--progress-lines", action="store_true", help=argparse.SUPPRESS)
    _common(p)

    p = sub.add_parser("check", help="check the content and report problems")
    p.add_argument(
        "--editorial",
        action="store_true",
        help="also hold the content to a finished edition's bar (hedges, identifiers, notes)",
    )
    _common(p)

    p = sub.add_parser("list", help="list every article and folder page, in tree order")
    p.add_argument("--json", action="store_true", help="one JSON object per line")
    _common(p)

    p = sub.add_parser("render", help="print an article's HTML")
    p.add_argument("slug")
    p.add_argument("--print", dest="for_print", action="store_true", help="print stylesheet")
    _common(p)

    from desktop_app.cli_notes import add_parser as add_notes_parser

    add_notes_parser(sub, _common)

    p = sub.add_parser("export", help="export an article or a whole topic to PDF")
    p.add_argument("target", metavar="SLUG_OR_TOPIC")
    p.add_argument("-o", "--output", type=Path, required=True, metavar="FILE.pdf")
    p.add_argument("--page-size", choices=["A4", "Letter"], default=None)
    p.add_argument(
        "--with-notes", action="store_true", help="mark my highlights and list my notes at the end"
    )
    _common(p)
    return parser


def workspace(args: argparse.Namespace) -> Workspace:
    """Return the workspace named by ``--content`` and ``--index-dir``."""
    return Workspace.for_content(args.content, args.index_dir)


def load(args: argparse.Namespace) -> Library:
    """Load the library named by the arguments."""
    return workspace(args).load()


def open_index(args: argparse.Namespace, library: Library, *, quiet: bool = False) -> SearchIndex:
    """Open (building or updating as needed) the search index, with terminal progress."""
    progress: _TerminalProgress | LineProgress | None = None
    if getattr(args, "progress_lines", False):
        progress = LineProgress()
    elif not quiet and sys.stderr.isatty():
        progress = _TerminalProgress("Indexing")
    index = workspace(args).open_index(library, progress)
    if progress:
        progress.done()
    if index.note:
        print(f"note: {index.note}", file=sys.stderr)
    return index


class _TerminalProgress:
    def __init__(self, label: str) -> None:
        self.label = label
        self.shown = False

    def __call__(self, done: int, total: int) -> None:
        self.shown = True
        print(f"\r{self.label}: {done}/{total}", end="", file=sys.stderr, flush=True)

    def done(self) -> None:
        if self.shown:
            print(file=sys.stderr)


def cmd_search(args: argparse.Namespace) -> int:
    """Run one query, or one per stdin line."""
    library = load(args)
    index = open_index(args, library, quiet=True)
    queries = [line.rstrip("\n") for line in sys.stdin] if args.stdin else [args.query]
    for query in queries:
        results = index.search(query, limit=max(1, args.limit), topic=args.topic)
        if args.json:
            print(json.dumps(results.to_json(), ensure_ascii=False))
            continue
        print(f"{results.total} result(s) for {query!r}")
        if results.suggestion:
            print(f"Did you mean: {results.suggestion}?")
        for i, hit in enumerate(results.hits, 1):
            where = f" › {hit.section}" if hit.section else ""
            print(f"{i:2}. {hit.title}{where}  [{hit.slug}]  ({hit.topic})  {hit.score:.2f}")
    return 0


def cmd_index(args: argparse.Namespace) -> int:
    """Build or update the index."""
    library = load(args)
    start = time.perf_counter()
    index = open_index(args, library)
    if args.rebuild:
        progress = _TerminalProgress("Rebuilding") if sys.stderr.isatty() else None
        index.rebuild(progress)
        if progress:
            progress.done()
    where = index.location or "memory"
    print(f"{index.doc_count} articles indexed in {time.perf_counter() - start:.2f} s ({where})")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    """Print every diagnostic and a summary; exit 1 on errors."""
    from desktop_app.core.render import check_content

    library = load(args)
    diagnostics = check_content(library, editorial=args.editorial or None)
    diagnostics.sort(key=lambda d: (str(d.path), d.line))
    base = Path.cwd()
    for diagnostic in diagnostics:
        print(diagnostic.format(relative_to=base))
    errors, warnings = count(diagnostics)
    print(f"{errors} errors, {warnings} warnings")
    return 1 if errors else 0


def cmd_list(args: argparse.Namespace) -> int:
    """Print each article's path, slug, title and topic (a folder's page is kind 'page')."""
    from desktop_app.core.content import is_index_page

    library = load(args)
    ws = workspace(args)
    for slug in library.ordered_slugs():
        article = library.articles[slug]
        path = ws.article_path(library, slug)
        kind = "page" if is_index_page(article.path) else "article"
        if args.json:
            record = {
                "path": path,
                "slug": slug,
                "title": article.title,
                "topic": article.topic,
                "kind": kind,
            }
            print(json.dumps(record, ensure_ascii=False))
        else:
            print(f"{path}\t{slug}\t{article.title}")
    return 0


def cmd_render(args: argparse.Namespace) -> int:
    """Print an article's HTML."""
    from desktop_app.core.render import render_article

    library = load(args)
    rendered = render_article(library, args.slug, for_print=args.for_print)
    sys.stdout.write(rendered.html + "\n")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    """Export an article or topic to PDF (needs Qt)."""
    from desktop_app.ui.printing import export_pdf_cli

    library = load(args)
    start = time.perf_counter()
    decorate = None
    if args.with_notes:
        from desktop_app.core.notes import NotesError
        from desktop_app.ui.annotations import notes_printer

        ws = workspace(args)
        try:
            store = ws.open_notes()
        except NotesError as exc:
            raise AppError(str(exc)) from exc
        decorate = notes_printer(lambda slug: store.annotations(ws.article_path(library, slug)))
    pages = export_pdf_cli(library, args.target, args.output, args.page_size, decorate)
    print(f"wrote {args.output} ({pages} pages) in {time.perf_counter() - start:.2f} s")
    return 0


def cmd_notes(args: argparse.Namespace) -> int:
    """Add, list, export or import the reader's notes (``cli_notes``)."""
    from desktop_app.cli_notes import cmd_notes as run

    return run(args)


def _headless_if_no_display() -> None:
    """Use Qt's offscreen platform when there is no display to show a window on (Linux, BSD)."""
    import os

    if sys.platform in ("win32", "darwin"):
        return
    if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"


COMMANDS = {
    "search": cmd_search,
    "index": cmd_index,
    "check": cmd_check,
    "list": cmd_list,
    "render": cmd_render,
    "export": cmd_export,
    "notes": cmd_notes,
}


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """Parse the command line; a bare start (the desktop launcher's) skips building the parser."""
    argv = sys.argv[1:] if argv is None else list(argv)
    if not argv:  # the parser and its subcommands take ~10 ms to build: the window starts faster
        return argparse.Namespace(
            self_test=False, content=None, index_dir=None, verbose=False, command=None
        )
    return build_parser().parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    mark("python")
    args = parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    try:
        if args.command is None:
            if args.self_test:
                _headless_if_no_display()
            from desktop_app.ui.app import run_app

            return run_app(args)
        return COMMANDS[args.command](args)
    except AppError as exc:
        print(f"spine-atlas: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 0
    except OSError as exc:  # a full disk, an unwritable folder: say which, no traceback
        where = f" ({exc.filename})" if getattr(exc, "filename", None) else ""
        print(f"spine-atlas: {exc.strerror or exc}{where}", file=sys.stderr)
        return 2
