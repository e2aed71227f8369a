"""``spine-atlas notes``: add, list, export and import the reader's highlights and notes.

The window and this command share one store (``core/notes``) through the workspace; a passage is
found in the article's text as the reader sees it (``core/render.article_text``).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from desktop_app.errors import AppError

if TYPE_CHECKING:
    from desktop_app.core.content import Library
    from desktop_app.core.notes import Note, NoteStore
    from desktop_app.workspace import Workspace


def add_parser(
    sub: argparse._SubParsersAction[argparse.ArgumentParser],
    common: Callable[[argparse.ArgumentParser], None],
) -> None:
    """Add ``notes`` and its actions to the command line."""
    p = sub.add_parser("notes", help="your highlights and notes: add, list, export, import")
    verbs = p.add_subparsers(dest="notes_command", metavar="ACTION", required=True)
    a = verbs.add_parser("add", help="highlight a passage (its first occurrence) and add a note")
    a.add_argument("article", help="the article: its path below the content folder, or its slug")
    a.add_argument("--quote", required=True, help="the passage to highlight")
    a.add_argument("--note", default="", help="your note (plain text or Markdown)")
    a.add_argument("--color", "--colour", dest="colour", default="yellow", help="highlight colour")
    common(a)
    ls = verbs.add_parser("list", help="list the notes, anchored or detached")
    ls.add_argument("--json", action="store_true", help="one JSON object a line")
    common(ls)
    e = verbs.add_parser("export", help="export the notes (Markdown or W3C JSON-LD)")
    e.add_argument("--format", choices=("md", "jsonld"), default="md")
    e.add_argument("-o", "--output", type=Path, help="file to write (default: standard output)")
    common(e)
    i = verbs.add_parser("import", help="import W3C Web Annotation JSON-LD (merging)")
    i.add_argument("file", type=Path)
    common(i)


def _open(args: argparse.Namespace) -> tuple[Workspace, Library, NoteStore]:
    from desktop_app.core.notes import NotesError
    from desktop_app.workspace import Workspace

    ws = Workspace.for_content(args.content, args.index_dir)
    library = ws.load()
    try:
        store = ws.open_notes()
    except NotesError as exc:
        raise AppError(str(exc)) from exc
    for message in store.messages:
        print(f"spine-atlas: {message}", file=sys.stderr)
    return ws, library, store


def _slug_for(ws: Workspace, library: Library, name: str) -> str:
    found = library.get(name)  # a slug, or a path below the content folder
    if found is not None:
        return found.slug
    wanted = name.removesuffix(".md").strip("/")
    for slug in library.articles:
        if ws.article_path(library, slug).removesuffix(".md") == wanted:
            return slug
    raise AppError(f"no article {name!r} (give its slug or its path below the content folder)")


def _states(ws: Workspace, library: Library, notes: list[Note]) -> dict[str, tuple[str, str]]:
    """Each note's state ('anchored' with the passage as it reads now, or 'detached')."""
    from desktop_app.core.notes import anchor
    from desktop_app.core.render import article_text

    by_path = {ws.article_path(library, slug): slug for slug in library.articles}
    texts: dict[str, str | None] = {}
    out = {}
    for note in notes:
        if note.path not in texts:
            slug = by_path.get(note.path)
            texts[note.path] = article_text(library, slug) if slug else None
        text = texts[note.path]
        found = anchor(text, note.quote) if text is not None else None
        out[note.id] = ("anchored", found.text) if found else ("detached", "")
    return out


def cmd_notes(args: argparse.Namespace) -> int:
    """Run ``notes add | list | export | import``."""
    from desktop_app.core.notes import first_quote, from_jsonld, to_jsonld, to_markdown
    from desktop_app.core.render import article_text

    ws, library, store = _open(args)
    try:
        if args.notes_command == "add":
            slug = _slug_for(ws, library, args.article)
            quote = first_quote(article_text(library, slug), args.quote)
            if quote is None:
                raise AppError(f"{args.article}: the passage {args.quote!r} is not in the article")
            try:
                note = store.add(
                    ws.article_path(library, slug),
                    quote,
                    note=args.note,
                    colour=args.colour,
                    edition=library.manifest.edition,
                )
            except ValueError as exc:
                raise AppError(str(exc)) from exc
            print(note.id)
        elif args.notes_command == "list":
            notes = store.annotations()
            states = _states(ws, library, notes)
            for note in notes:
                state, current = states[note.id]
                row = {
                    "id": note.id, "path": note.path, "quote": note.quote.exact,
                    "note": note.note, "colour": note.colour, "state": state,
                    "current": current if state == "anchored" else None,
                    "created": note.created, "modified": note.modified,
                }  # fmt: skip
                if args.json:
                    print(json.dumps(row, ensure_ascii=False))
                else:
                    mark = "" if state == "anchored" else "  [detached]"
                    print(f"{note.path}: “{note.quote.exact}”{mark}  {note.note}".rstrip())
        elif args.notes_command == "export":
            notes = store.annotations()
            if args.format == "jsonld":
                text = to_jsonld(notes)
            else:
                titles = {ws.article_path(library, s): a.title for s, a in library.articles.items()}
                flags = {k: v[0] for k, v in _states(ws, library, notes).items()}
                text = to_markdown(notes, titles, flags)
            if args.output:
                args.output.write_text(text, encoding="utf-8")
                print(f"wrote {len(notes)} annotation(s) to {args.output}")
            else:
                sys.stdout.write(text)
        elif args.notes_command == "import":
            try:
                items = from_jsonld(args.file.read_text(encoding="utf-8"))
                added, updated, same = store.merge(items)
            except ValueError as exc:
                raise AppError(f"{args.file}: {exc}") from exc
            print(f"{added} added, {updated} updated, {same} already there")
    finally:
        store.close()
    return 0
