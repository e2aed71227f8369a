"""The reader's highlights and notes in SQLite: WAL, a schema version, migrations, backups.

One database in the user's data folder holds the annotations of every content folder (a column
names the folder). Each change is its own transaction, so two windows (two processes) can write
at once; WAL lets readers go on while one writes. A damaged file is moved aside, never deleted,
and the annotations come back from the newest rolling backup that passes an integrity check.
"""

from __future__ import annotations

import shutil
import sqlite3
import time
import uuid
from collections.abc import Iterable
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from desktop_app.core.notes.anchoring import Quote
from desktop_app.core.notes.model import Note
from desktop_app.core.notes.paths_index import signature

SCHEMA_VERSION = 1
COLOURS = ("yellow", "green", "blue", "pink")
BACKUPS = 3
BACKUP_EVERY_S = 3600.0
_MIGRATIONS: dict[int, tuple[str, ...]] = {
    1: (
        """CREATE TABLE annotations (
            id TEXT PRIMARY KEY, root TEXT NOT NULL, path TEXT NOT NULL,
            exact TEXT NOT NULL, prefix TEXT NOT NULL DEFAULT '', suffix TEXT NOT NULL DEFAULT '',
            start INTEGER NOT NULL DEFAULT -1, "end" INTEGER NOT NULL DEFAULT -1,
            note TEXT NOT NULL DEFAULT '', colour TEXT NOT NULL DEFAULT 'yellow',
            edition TEXT NOT NULL DEFAULT '', created TEXT NOT NULL, modified TEXT NOT NULL,
            deleted INTEGER NOT NULL DEFAULT 0)""",
        "CREATE INDEX annotations_by_article ON annotations (root, path)",
    ),
}
_COLUMNS = (
    'id, root, path, exact, prefix, suffix, start, "end", note, colour, edition, created, '
    "modified, deleted"
)


class NotesError(Exception):
    """The notes database cannot be used (the message says why and names the file)."""


def now() -> str:
    """The current time as the W3C model writes it (ISO 8601, UTC, seconds)."""
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def new_id() -> str:
    """A new annotation id (a UUID URN, as the W3C model suggests)."""
    return f"urn:uuid:{uuid.uuid4()}"


class NoteStore:
    """The annotations of one content folder (``root``) in the database at ``path``."""

    def __init__(self, path: Path, root: str) -> None:
        self.path = path
        self.root = root
        self.messages: list[str] = []  # what recovery did, for the window or the CLI to show
        self._conn = self._open()

    # -- life on disk -------------------------------------------------------------------
    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, timeout=5.0, isolation_level=None)
        conn.execute("PRAGMA busy_timeout = 5000")
        if conn.execute("PRAGMA quick_check").fetchone()[0] != "ok":
            conn.close()
            raise sqlite3.DatabaseError("integrity check failed")
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA foreign_keys = ON")
        self._migrate(conn)
        return conn

    def _open(self) -> sqlite3.Connection:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise NotesError(f"{self.path.parent}: cannot create the notes folder: {exc}") from exc
        try:
            conn = self._connect()
        except sqlite3.DatabaseError as exc:
            conn = self._recover(exc)
        self._backup_if_due(conn)
        return conn

    def _migrate(self, conn: sqlite3.Connection) -> None:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            conn.close()
            raise NotesError(
                f"{self.path}: written by a newer Spine Atlas (schema {version}); "
                "it is left as it is"
            )
        for target in range(version + 1, SCHEMA_VERSION + 1):
            conn.execute("BEGIN IMMEDIATE")
            try:
                if conn.execute("PRAGMA user_version").fetchone()[0] < target:
                    for statement in _MIGRATIONS[target]:
                        conn.execute(statement)
                    conn.execute(f"PRAGMA user_version = {target}")
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise

    def _recover(self, error: Exception) -> sqlite3.Connection:
        stamp = time.strftime("%Y%m%d-%H%M%S")
        aside = self.path.with_name(f"{self.path.stem}.damaged-{stamp}{self.path.suffix}")
        for suffix in ("", "-wal", "-shm"):
            part = Path(f"{self.path}{suffix}")
            if part.exists():
                part.replace(Path(f"{aside}{suffix}"))
        message = f"{self.path}: the notes database was damaged ({error}); moved to {aside.name}"
        for backup in self._backups():
            try:
                shutil.copyfile(backup, self.path)
                conn = self._connect()
            except (OSError, sqlite3.DatabaseError):
                self.path.unlink(missing_ok=True)
                continue
            count = conn.execute("SELECT count(*) FROM annotations WHERE deleted = 0").fetchone()
            when = time.strftime("%Y-%m-%d %H:%M", time.localtime(backup.stat().st_mtime))
            self.messages.append(f"{message}; {count[0]} annotation(s) restored from {when}")
            return conn
        self.messages.append(f"{message}; no good backup was found, starting empty")
        return self._connect()

    def _backups(self) -> list[Path]:
        return [
            p
            for i in range(1, BACKUPS + 1)
            if (p := self.path.with_name(f"{self.path.name}.bak{i}")).exists()
        ]

    def _backup_if_due(self, conn: sqlite3.Connection) -> None:
        newest = self.path.with_name(f"{self.path.name}.bak1")
        if newest.exists() and time.time() - newest.stat().st_mtime < BACKUP_EVERY_S:
            return
        self.backup(conn)

    def backup(self, conn: sqlite3.Connection | None = None) -> None:
        """Write a consistent copy as ``.bak1``, keeping ``BACKUPS`` older ones."""
        conn = conn or self._conn
        try:
            for i in range(BACKUPS - 1, 0, -1):
                older = self.path.with_name(f"{self.path.name}.bak{i}")
                if older.exists():
                    older.replace(self.path.with_name(f"{self.path.name}.bak{i + 1}"))
            target = sqlite3.connect(self.path.with_name(f"{self.path.name}.bak1"))
            with target:
                conn.backup(target)
            target.close()
        except (OSError, sqlite3.Error) as exc:
            self.messages.append(f"{self.path}: backup failed: {exc}")

    def close(self) -> None:
        """Close the database (its WAL is folded in), then note which articles have notes."""
        roots = self._roots()
        self._conn.close()
        self._save_paths(roots)

    # -- annotations -------------------------------------------------------------------
    def add(
        self, path: str, quote: Quote, *, note: str = "", colour: str = "yellow", edition: str = ""
    ) -> Note:
        """Store a new highlight (a note when ``note`` is given) on ``path``."""
        stamp = now()
        item = Note(new_id(), self.root, path, quote, note, _colour(colour), edition, stamp, stamp)
        self._write(item)
        return item

    def update(self, note_id: str, **changes: object) -> Note:
        """Change a note's text, colour, selectors or deleted flag (and its modified time)."""
        item = self.get(note_id, include_deleted=True)
        if item is None:
            raise KeyError(note_id)
        if "colour" in changes:
            changes["colour"] = _colour(str(changes["colour"]))
        item = replace(item, **changes, modified=now())  # type: ignore[arg-type]
        self._write(item)
        return item

    def delete(self, note_id: str) -> Note:
        """Hide a note (undo with ``restore``); it stays in the database and its backups."""
        return self.update(note_id, deleted=True)

    def restore(self, note_id: str) -> Note:
        """Bring a deleted note back (undo)."""
        return self.update(note_id, deleted=False)

    def get(self, note_id: str, *, include_deleted: bool = False) -> Note | None:
        """One note by id (None if unknown or deleted)."""
        row = self._conn.execute(
            f"SELECT {_COLUMNS} FROM annotations WHERE id = ? AND root = ?", (note_id, self.root)
        ).fetchone()
        item = _note(row) if row else None
        return item if item and (include_deleted or not item.deleted) else None

    def annotations(self, path: str | None = None, *, include_deleted: bool = False) -> list[Note]:
        """The notes of this folder (of one article when ``path`` is given), in reading order."""
        sql = f"SELECT {_COLUMNS} FROM annotations WHERE root = ?"
        args: list[object] = [self.root]
        if path is not None:
            sql += " AND path = ?"
            args.append(path)
        if not include_deleted:
            sql += " AND deleted = 0"
        rows = self._conn.execute(sql + " ORDER BY path, start, created", args).fetchall()
        return [_note(row) for row in rows]

    def merge(self, items: Iterable[Note]) -> tuple[int, int, int]:
        """Import annotations; return (added, updated, unchanged).

        New ones are added, newer versions of known ones kept, and the same passage with the
        same note is never stored twice.
        """
        added = updated = same = 0
        known = {n.id: n for n in self.annotations(include_deleted=True)}
        seen = {
            (n.path, n.quote.exact, n.quote.prefix, n.quote.suffix, n.note) for n in known.values()
        }
        for item in items:
            item = replace(item, root=self.root, colour=_colour(item.colour))
            mine = known.get(item.id)
            key = (item.path, item.quote.exact, item.quote.prefix, item.quote.suffix, item.note)
            if mine is None and key in seen:
                same += 1
            elif mine is None:
                self._write(item)
                seen.add(key)
                added += 1
            elif item.modified > mine.modified:
                self._write(item)
                updated += 1
            else:
                same += 1
        return added, updated, same

    def put(self, item: Note) -> None:
        """Store this exact version of a note (undo and redo put an earlier version back)."""
        self._write(replace(item, root=self.root))

    def _write(self, item: Note) -> None:
        q = item.quote
        values = (
            item.id, self.root, item.path, q.exact, q.prefix, q.suffix, q.start, q.end,
            item.note, item.colour, item.edition, item.created or now(),
            item.modified or now(), int(item.deleted),
        )  # fmt: skip
        try:
            self._conn.execute(
                f"INSERT OR REPLACE INTO annotations ({_COLUMNS}) VALUES ({','.join('?' * 14)})",
                values,
            )
        except sqlite3.Error as exc:
            raise NotesError(f"{self.path}: the note could not be saved: {exc}") from exc
        self._write_paths()

    def _write_paths(self) -> None:
        """Refresh the index of which articles have notes (see ``paths_index``)."""
        self._save_paths(self._roots())

    def _roots(self) -> dict[str, list[list[str]]]:
        roots: dict[str, list[list[str]]] = {}
        try:
            rows = self._conn.execute(
                "SELECT root, path, id, exact, note, modified FROM annotations WHERE deleted = 0"
            ).fetchall()
        except sqlite3.Error:
            return {}
        for root, *rest in rows:
            roots.setdefault(str(root), []).append([str(v) for v in rest])
        return roots

    def _save_paths(self, roots: dict[str, list[list[str]]]) -> None:
        import json

        target = Path(f"{self.path}.paths.json")
        try:
            tmp = target.with_name(target.name + ".tmp")
            data = {"signature": signature(self.path), "roots": roots}
            tmp.write_text(json.dumps(data), encoding="utf-8")
            tmp.replace(target)
        except OSError:
            target.unlink(missing_ok=True)


def _colour(name: str) -> str:
    name = name.strip().lower()
    if name not in COLOURS:
        raise ValueError(f"unknown colour {name!r}; choose one of {', '.join(COLOURS)}")
    return name


def _note(row: tuple[object, ...]) -> Note:
    (id_, root, path, exact, prefix, suffix, start, end, note, colour, edition, created,
     modified, deleted) = row  # fmt: skip
    quote = Quote(str(exact), str(prefix), str(suffix), int(start), int(end))  # type: ignore[call-overload]
    return Note(
        str(id_), str(root), str(path), quote, str(note), str(colour), str(edition),
        str(created), str(modified), bool(deleted),
    )  # fmt: skip
