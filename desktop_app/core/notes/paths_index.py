"""Which articles have notes, without opening SQLite (the window's first paint stays light).

The store writes ``notes.sqlite3.paths.json`` after each change: the database's signature (size
and modification time of the file and its WAL) and, per content folder, the articles with notes.
A reader trusts it only while the signature still matches; any other writer makes it stale, and
the caller then opens the store.
"""

from __future__ import annotations

import json
from pathlib import Path


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


def paths_with_notes(path: Path, root: str) -> set[str] | None:
    """The articles of ``root`` that have notes, or None when the index cannot be trusted.

    None when the index is missing or older than the database: then open the store.
    """
    try:
        data = json.loads(Path(f"{path}.paths.json").read_text(encoding="utf-8"))
        if data.get("signature") != signature(path):
            return None
        return set(data.get("roots", {}).get(root, []))
    except (OSError, ValueError, AttributeError):
        return None
