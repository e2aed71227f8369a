"""Which articles have notes, without opening SQLite (the window's first paint stays light).

The store writes ``notes.sqlite3.paths.json`` after each change: the database's signature (size
and modification time of the file and its WAL) and, per content folder, each note's article,
id, passage, text and date (what search needs).
A reader trusts it only while the signature still matches; any other writer makes it stale, and
the caller then opens the store.
"""

from __future__ import annotations

import json
from pathlib import Path

from desktop_app.core.notes.anchoring import Quote
from desktop_app.core.notes.model import Note


def signature(path: Path) -> list[int]:
    """The database's size and modification time, with its WAL's (any write changes them)."""
    out: list[int] = []
    for part in (path, Path(f"{path}-wal")):
        try:
            st = part.stat()
            out += [st.st_size, st.st_mtime_ns]
        except OSError:
            out += [-1, -1]
    return out


def _rows(path: Path, root: str) -> list[list[str]] | None:
    try:
        data = json.loads(Path(f"{path}.paths.json").read_text(encoding="utf-8"))
        if data.get("signature") != signature(path):
            return None
        rows = data.get("roots", {}).get(root, [])
        return [row for row in rows if isinstance(row, list) and len(row) == 5]
    except (OSError, ValueError, AttributeError):
        return None


def paths_with_notes(path: Path, root: str) -> set[str] | None:
    """The articles of ``root`` that have notes, or None when the index cannot be trusted.

    None when the index is missing or older than the database: then open the store.
    """
    rows = _rows(path, root)
    return None if rows is None else {row[0] for row in rows}


def indexed_notes(path: Path, root: str) -> list[Note] | None:
    """The notes of ``root`` as far as search needs them, or None if the index is stale.

    Each has its article, id, passage, text and date (no position, context or colour).
    """
    rows = _rows(path, root)
    if rows is None:
        return None
    return [Note(id_, root, where, Quote(exact), note, modified=modified)
            for where, id_, exact, note, modified in rows]  # fmt: skip
