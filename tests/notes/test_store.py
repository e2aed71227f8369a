"""The notes database: WAL, schema version, two writers, a damaged file, export and import."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from desktop_app.core.notes import NotesError, NoteStore, Quote, from_jsonld, to_jsonld, to_markdown

Q = Quote("thrust is brief", "The ", ". Mobil", 40, 55)


def test_notes_are_kept_per_content_folder_in_wal_mode(tmp_path: Path) -> None:
    db = tmp_path / "notes.sqlite3"
    store = NoteStore(db, "bundled")
    note = store.add("techniques/hvla.md", Q, note="**why** brief?", colour="green", edition="2")
    other = NoteStore(db, "/home/me/vault")
    other.add("a.md", Q)
    assert [n.id for n in store.annotations()] == [note.id]
    assert store.annotations("techniques/hvla.md")[0].note == "**why** brief?"
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 1


def test_edit_delete_and_undo(tmp_path: Path) -> None:
    store = NoteStore(tmp_path / "n.sqlite3", "r")
    note = store.add("a.md", Q)
    store.update(note.id, note="edited", colour="blue")
    assert store.get(note.id).note == "edited"  # type: ignore[union-attr]
    store.delete(note.id)
    assert store.annotations() == [] and store.get(note.id) is None
    store.restore(note.id)
    assert store.get(note.id).colour == "blue"  # type: ignore[union-attr]
    with pytest.raises(ValueError, match="unknown colour"):
        store.add("a.md", Q, colour="ultraviolet")


def test_two_processes_writing_at_once_lose_nothing(tmp_path: Path) -> None:
    db = tmp_path / "n.sqlite3"
    NoteStore(db, "r").close()
    script = textwrap.dedent(
        f"""
        import sys
        from desktop_app.core.notes import NoteStore, Quote
        store = NoteStore(__import__('pathlib').Path({str(db)!r}), "r")
        for i in range(100):
            store.add("a.md", Quote(f"passage {{sys.argv[1]}} {{i}}"))
        """
    )
    procs = [subprocess.Popen([sys.executable, "-c", script, str(n)]) for n in range(2)]
    assert [p.wait(60) for p in procs] == [0, 0]
    assert len(NoteStore(db, "r").annotations()) == 200


def test_a_damaged_file_is_moved_aside_and_notes_come_back_from_the_backup(tmp_path: Path) -> None:
    db = tmp_path / "notes.sqlite3"
    store = NoteStore(db, "r")
    store.add("a.md", Q, note="keep me")
    store.backup()
    store.close()
    db.write_bytes(b"this is not a database" * 100)
    for extra in ("-wal", "-shm"):
        Path(f"{db}{extra}").unlink(missing_ok=True)
    again = NoteStore(db, "r")
    assert [n.note for n in again.annotations()] == ["keep me"]
    assert "damaged" in again.messages[0] and "1 annotation(s) restored" in again.messages[0]
    assert list(tmp_path.glob("notes.damaged-*.sqlite3")), "the damaged file is kept"


def test_without_a_backup_a_damaged_file_is_kept_and_the_store_starts_empty(tmp_path: Path) -> None:
    db = tmp_path / "notes.sqlite3"
    db.write_bytes(b"garbage" * 500)
    store = NoteStore(db, "r")
    assert store.annotations() == [] and "no good backup" in store.messages[0]
    assert list(tmp_path.glob("notes.damaged-*.sqlite3"))


def test_a_database_from_a_newer_version_is_left_alone(tmp_path: Path) -> None:
    db = tmp_path / "n.sqlite3"
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    with pytest.raises(NotesError, match="newer Spine Atlas"):
        NoteStore(db, "r")
    assert sqlite3.connect(db).execute("PRAGMA user_version").fetchone()[0] == 99


def test_jsonld_round_trip_merges_without_duplicates(tmp_path: Path) -> None:
    store = NoteStore(tmp_path / "a.sqlite3", "r")
    store.add("a.md", Q, note="first", edition="2026")
    store.add("b.md", Quote("other passage"), colour="pink")
    exported = to_jsonld(store.annotations())
    assert '"TextQuoteSelector"' in exported and "anno.jsonld" in exported
    other = NoteStore(tmp_path / "b.sqlite3", "r")
    assert other.merge(from_jsonld(exported)) == (2, 0, 0)
    assert other.merge(from_jsonld(exported)) == (0, 0, 2)
    [a] = other.annotations("a.md")
    assert (a.note, a.quote.prefix, a.quote.start, a.edition) == ("first", "The ", 40, "2026")


def test_import_rejects_what_is_not_an_annotation() -> None:
    with pytest.raises(ValueError, match="not JSON"):
        from_jsonld("{oops")
    with pytest.raises(ValueError, match="not a W3C Annotation"):
        from_jsonld('[{"type": "Something"}]')


def test_markdown_export_groups_by_article_and_marks_detached(tmp_path: Path) -> None:
    store = NoteStore(tmp_path / "a.sqlite3", "r")
    a = store.add("a.md", Q, note="my note")
    store.add("b.md", Quote("gone passage"))
    states = {n.id: "detached" for n in store.annotations() if n.path == "b.md"}
    md = to_markdown(store.annotations(), {"a.md": "Article A", "b.md": "Article B"}, states)
    assert "## [Article A](a.md)" in md and "> thrust is brief" in md and "my note" in md
    assert md.index("Article A") < md.index("Article B") and "detached" in md
    assert a.id not in md


def test_find_notes_matches_every_word_in_note_or_passage(tmp_path: Path) -> None:
    from desktop_app.core.notes import find_notes

    store = NoteStore(tmp_path / "a.sqlite3", "r")
    a = store.add("a.md", Quote("the thrust is brief and fast"), note="exam question on velocity")
    b = store.add("b.md", Quote("velocity of the thrust"))
    store.add("c.md", Quote("mobilisation grades"), note="unrelated")
    found = find_notes(store.annotations(), "veloc thrust")
    assert [n.id for n in found] == [a.id, b.id]  # a match in my own note ranks first
    assert find_notes(store.annotations(), "cavitation") == []
    assert find_notes(store.annotations(), "  ") == []


def test_which_articles_have_notes_is_known_without_opening_sqlite(tmp_path: Path) -> None:
    from desktop_app.core.notes import paths_with_notes

    db = tmp_path / "notes.sqlite3"
    store = NoteStore(db, "bundled")
    store.add("a.md", Q)
    assert paths_with_notes(db, "bundled") == {"a.md"}
    store.close()
    assert paths_with_notes(db, "bundled") == {"a.md"}  # still true after the WAL is folded in
    assert paths_with_notes(db, "/elsewhere") == set()
    other = sqlite3.connect(db)  # another writer: the index no longer matches, so it is not used
    other.execute("UPDATE annotations SET note = 'x'")
    other.commit()
    other.close()
    assert paths_with_notes(db, "bundled") is None


def test_search_reads_the_notes_index_without_sqlite(tmp_path: Path) -> None:
    import subprocess
    import sys

    db = tmp_path / "notes.sqlite3"
    store = NoteStore(db, "bundled")
    store.add("a.md", Quote("the thrust is brief"), note="velocity exam point")
    store.close()
    code = (
        "import sys; from pathlib import Path; "
        "from desktop_app.core.notes import find_notes, indexed_notes; "
        f"notes = indexed_notes(Path({str(db)!r}), 'bundled'); "
        "print([n.note for n in find_notes(notes, 'velocity')], 'sqlite3' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "['velocity exam point'] False"
