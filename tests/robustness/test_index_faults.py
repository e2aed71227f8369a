"""A damaged, foreign, locked, read-only or full index folder: search still answers, correctly.

Extends tests/core/test_search.py (whole-file truncation and garbage, a dangling pointer, a build
that fails before writing, a cache path that is a file) with the faults it does not cover.
"""

from __future__ import annotations

import builtins
import errno
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from desktop_app.core.content import Library, load_library
from desktop_app.core.search import META_FILE, POINTER_FILE, SCHEMA_VERSION, SearchIndex
from tests.conftest import ROOT, write_content

OTHER = {
    "spine/_index.md": "---\ntitle: Spine\n---\n",
    "spine/hvla.md": "---\ntitle: Other HVLA\n---\nAn unrelated text about kyphoplasty.\n",
    "spine/scoliosis.md": "# Scoliosis\n\nLateral curvature and Cobb angles.\n",
}


def _current(index_dir: Path) -> Path:
    return index_dir / (index_dir / POINTER_FILE).read_text(encoding="utf-8").strip()


def _slugs(index: SearchIndex, query: str, **kwargs: Any) -> list[str]:
    return [hit.slug for hit in index.search(query, **kwargs).hits]


def _assert_right(index: SearchIndex) -> None:
    """The index answers as a fresh one over SMALL would."""
    assert index.doc_count == 3
    assert _slugs(index, "thrust")[0] == "hvla"
    assert _slugs(index, "oscillations") == ["mobilisation"]
    assert _slugs(index, "dissection") == ["stroke"]


def _touch(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")
    stamp = time.time() + 5
    os.utime(path, (stamp, stamp))


@pytest.fixture
def built(small_content: Path, tmp_path: Path) -> tuple[Library, Path]:
    """SMALL, with its index built on disk and closed."""
    library = load_library(small_content)
    index_dir = tmp_path / "index"
    SearchIndex.open_or_build(library, index_dir).close()
    return library, index_dir


# -- deleted, truncated, corrupted ------------------------------------------------------------
def _delete(index_dir: Path, what: str) -> None:
    generation = _current(index_dir)
    if what == "generation":
        shutil.rmtree(generation)
    elif what == "meta":
        (generation / META_FILE).unlink()
    elif what == "segments":
        # A segment's data: one compound .seg file, or (as built now) its own files.
        for path in [p for p in generation.iterdir() if p.suffix in (".seg", ".pst", ".trm")]:
            path.unlink()
    elif what == "pointer":
        (index_dir / POINTER_FILE).unlink()
    else:
        shutil.rmtree(index_dir)


@pytest.mark.parametrize("what", ["generation", "meta", "segments", "pointer", "everything"])
def test_deleted_index_files(
    built: tuple[Library, Path], what: str, expect_warnings: pytest.LogCaptureFixture
) -> None:
    library, index_dir = built
    _delete(index_dir, what)
    index = SearchIndex.open_or_build(library, index_dir)
    _assert_right(index)
    assert index.location == _current(index_dir) and not index.note
    assert [p.name for p in index_dir.glob("gen-*")] == [index.location.name]


def _corrupt(index_dir: Path, how: str) -> None:
    generation = _current(index_dir)
    if how == "flipped-bytes":
        # A segment's data: one compound .seg file, or (as built now) its own files.
        for path in [p for p in generation.iterdir() if p.suffix in (".seg", ".pst", ".trm")]:
            data = bytearray(path.read_bytes())
            for i in range(len(data) // 3, len(data) // 3 + 64):
                data[i] ^= 0x5A
            path.write_bytes(bytes(data))
    elif how == "truncated-meta":
        meta = generation / META_FILE
        meta.write_bytes(meta.read_bytes()[:7])
    elif how == "meta-not-a-mapping":
        (generation / META_FILE).write_text("[1, 2, 3]")
    elif how == "binary-pointer":
        (index_dir / POINTER_FILE).write_bytes(b"\xff\xfe\x00gen")
    else:  # a pointer that tries to leave the index folder
        (index_dir / POINTER_FILE).write_text("../../etc")


@pytest.mark.parametrize(
    "how",
    ["flipped-bytes", "truncated-meta", "meta-not-a-mapping", "binary-pointer", "escaping-pointer"],
)
def test_corrupted_index_files(
    built: tuple[Library, Path], how: str, expect_warnings: pytest.LogCaptureFixture
) -> None:
    library, index_dir = built
    before = _current(index_dir)
    _corrupt(index_dir, how)
    index = SearchIndex.open_or_build(library, index_dir)
    _assert_right(index)
    assert index.location is not None and index.location != before
    assert not index.note


# -- built from other content, or by another version --------------------------------------------
def test_index_built_from_other_content(built: tuple[Library, Path], tmp_path: Path) -> None:
    _, index_dir = built
    other = load_library(write_content(tmp_path / "other", OTHER))
    index = SearchIndex.open_or_build(other, index_dir)
    assert index.doc_count == 2
    assert _slugs(index, "kyphoplasty") == ["hvla"]
    assert _slugs(index, "thrust") == []  # SMALL's hvla is gone, not merely outranked
    assert _slugs(index, "cobb") == ["scoliosis"]
    assert index.search("kyphoplasty").hits[0].topic == "Spine"


def test_article_moved_to_another_topic(built: tuple[Library, Path], small_content: Path) -> None:
    _, index_dir = built
    (small_content / "techniques" / "hvla.md").rename(small_content / "safety" / "hvla.md")
    _touch(small_content / "safety" / "_index.md", "---\ntitle: Risks and safety\n---\n")
    library = load_library(small_content)  # hvla.md's bytes, hence its fingerprint, unchanged
    index = SearchIndex.open_or_build(library, index_dir)
    assert _slugs(index, "thrust", topic="safety")[0] == "hvla"
    assert "hvla" not in _slugs(index, "thrust", topic="techniques")
    topics = {hit.topic for hit in index.search("thrust").hits if hit.slug == "hvla"}
    assert topics == {"Risks and safety"}


@pytest.mark.parametrize("schema", [SCHEMA_VERSION - 1, SCHEMA_VERSION + 1, "3", None])
def test_other_schema_version(built: tuple[Library, Path], schema: object) -> None:
    library, index_dir = built
    old = _current(index_dir)
    meta = json.loads((old / META_FILE).read_text())
    meta["schema"] = schema
    (old / META_FILE).write_text(json.dumps(meta))
    index = SearchIndex.open_or_build(library, index_dir)
    _assert_right(index)
    assert index.location != old and not old.exists()


# -- a lock held by another instance ------------------------------------------------------------
def _change_hvla(small_content: Path) -> Library:
    _touch(small_content / "techniques" / "hvla.md", "---\ntitle: HVLA\n---\nNow on zygapophyses.")
    return load_library(small_content)


def test_lock_held_in_this_process(built: tuple[Library, Path], small_content: Path) -> None:
    from whoosh.index import open_dir

    _, index_dir = built
    other = open_dir(str(_current(index_dir)))
    writer = other.writer()  # another SearchIndex (or instance) is in the middle of an update
    try:
        library = _change_hvla(small_content)
        index = SearchIndex.open_or_build(library, index_dir)
        assert index.read_only and "read-only" in index.note
        assert _slugs(index, "thrust")[0] == "hvla"  # the index it had still answers
        index.close()
    finally:
        writer.cancel()
    index = SearchIndex.open_or_build(library, index_dir)
    assert not index.read_only and not index.note
    assert _slugs(index, "zygapophyses") == ["hvla"]


_HOLD_LOCK = """
import sys
from whoosh.index import open_dir
writer = open_dir(sys.argv[1]).writer()
print("locked", flush=True)
sys.stdin.read()
writer.cancel()
"""


def test_lock_held_by_another_process(built: tuple[Library, Path], small_content: Path) -> None:
    _, index_dir = built
    holder = subprocess.Popen(
        [sys.executable, "-c", _HOLD_LOCK, str(_current(index_dir))],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        library = _change_hvla(small_content)
        index = SearchIndex.open_or_build(library, index_dir)
        assert index.read_only and "read-only" in index.note
        assert _slugs(index, "thrust")[0] == "hvla"
        index.close()
    finally:
        holder.communicate(input="", timeout=60)
    index = SearchIndex.open_or_build(library, index_dir)
    assert _slugs(index, "zygapophyses") == ["hvla"] and not index.read_only


# -- a cache folder that cannot be written ------------------------------------------------------
def _deny_writes_below(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Make creating or writing anything below ``folder`` raise PermissionError."""
    folder = folder.resolve()
    real_open, real_os_open, real_mkdir = builtins.open, os.open, os.mkdir

    def below(path: Any) -> bool:
        try:
            return Path(os.fsdecode(path)).resolve().is_relative_to(folder)
        except (TypeError, ValueError):
            return False

    def denied(path: Any) -> PermissionError:
        return PermissionError(errno.EACCES, "Permission denied", os.fsdecode(path))

    def guarded_open(file: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        if below(file) and any(c in mode for c in "wax+"):
            raise denied(file)
        return real_open(file, mode, *args, **kwargs)

    def guarded_os_open(path: Any, flags: int, *args: Any, **kwargs: Any) -> int:
        if below(path) and flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT):
            raise denied(path)
        return real_os_open(path, flags, *args, **kwargs)

    def guarded_mkdir(path: Any, *args: Any, **kwargs: Any) -> None:
        if below(path):
            raise denied(path)
        real_mkdir(path, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", guarded_open)
    monkeypatch.setattr(io, "open", guarded_open)
    monkeypatch.setattr(os, "open", guarded_os_open)
    monkeypatch.setattr(os, "mkdir", guarded_mkdir)


def test_read_only_cache_folder_without_index(
    small_content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    cache.mkdir()
    _deny_writes_below(cache, monkeypatch)
    index = SearchIndex.open_or_build(load_library(small_content), cache / "index")
    assert index.location is None and "in memory" in index.note
    _assert_right(index)
    assert list(cache.iterdir()) == []


def test_read_only_cache_folder_with_stale_index(
    built: tuple[Library, Path],
    small_content: Path,
    monkeypatch: pytest.MonkeyPatch,
    expect_warnings: pytest.LogCaptureFixture,
) -> None:
    _, index_dir = built
    before = _current(index_dir)
    files = sorted(p.name for p in before.iterdir())
    library = _change_hvla(small_content)
    _deny_writes_below(index_dir, monkeypatch)
    index = SearchIndex.open_or_build(library, index_dir)
    assert index.location is None and "in memory" in index.note
    assert _slugs(index, "zygapophyses") == ["hvla"]  # results match the content
    assert _current(index_dir) == before and sorted(p.name for p in before.iterdir()) == files


def test_read_only_cache_folder_with_current_index(
    built: tuple[Library, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    library, index_dir = built
    _deny_writes_below(index_dir, monkeypatch)
    index = SearchIndex.open_or_build(library, index_dir)
    assert index.location == _current(index_dir) and not index.note  # reading needs no writes
    _assert_right(index)


# -- a full disk ----------------------------------------------------------------------------
def _disk_fills_after(budget: int, monkeypatch: pytest.MonkeyPatch) -> Callable[[], int]:
    """Make writes to real files fail with ENOSPC once ``budget`` bytes have been written."""
    from whoosh.filedb.structfile import StructFile

    written = [0]
    real_write = StructFile.write

    def write(self: StructFile, data: bytes, *args: Any) -> Any:
        if isinstance(self.file, io.BufferedWriter):  # files on disk, not RAM storage
            written[0] += len(data)
            if written[0] > budget:
                raise OSError(errno.ENOSPC, "No space left on device")
        return real_write(self, data, *args)

    monkeypatch.setattr(StructFile, "write", write)
    return lambda: written[0]


def _leftovers(index_dir: Path, keep: Path) -> list[str]:
    return sorted(
        p.name for p in index_dir.iterdir() if p.name.endswith(".tmp") or p.name > keep.name
    )


def test_disk_full_during_rebuild(
    built: tuple[Library, Path],
    monkeypatch: pytest.MonkeyPatch,
    expect_warnings: pytest.LogCaptureFixture,
) -> None:
    library, index_dir = built
    good = _current(index_dir)
    index = SearchIndex.open_or_build(library, index_dir)
    with monkeypatch.context() as patched:
        written = _disk_fills_after(10_000, patched)
        with pytest.raises(OSError, match="No space"):
            index.rebuild()
    assert written() > 10_000
    assert _current(index_dir) == good and _leftovers(index_dir, good) == []
    assert [p.name for p in index_dir.glob("gen-*")] == [good.name]
    _assert_right(index)
    assert SearchIndex.open_or_build(library, index_dir).location == good


def test_disk_full_during_update(
    built: tuple[Library, Path],
    small_content: Path,
    monkeypatch: pytest.MonkeyPatch,
    expect_warnings: pytest.LogCaptureFixture,
) -> None:
    _, index_dir = built
    good = _current(index_dir)
    library = _change_hvla(small_content)
    with monkeypatch.context() as patched:
        _disk_fills_after(2_000, patched)
        index = SearchIndex.open_or_build(library, index_dir)
    assert index.location is None and "No space left" in index.note
    assert _slugs(index, "zygapophyses") == ["hvla"]
    again = SearchIndex.open_or_build(library, index_dir)
    assert again.location == good  # the interrupted commit did not damage it; now it updates
    assert not again.read_only, "the failed commit left the write lock held"
    assert _slugs(again, "zygapophyses") == ["hvla"] and again.doc_count == 3


def test_disk_full_during_first_build(
    small_content: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    expect_warnings: pytest.LogCaptureFixture,
) -> None:
    index_dir = tmp_path / "index"
    _disk_fills_after(10_000, monkeypatch)
    index = SearchIndex.open_or_build(load_library(small_content), index_dir)
    assert index.location is None and "No space left" in index.note
    _assert_right(index)
    assert not (index_dir / POINTER_FILE).exists() and not list(index_dir.glob("gen-*"))


# -- the in-memory fallback itself ----------------------------------------------------------
def test_in_memory_index_needs_no_temp_folder(
    small_content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    monkeypatch.setattr(tempfile, "tempdir", str(blocker))  # /tmp is full or read-only
    _assert_right(SearchIndex.in_memory(load_library(small_content)))


def test_two_in_memory_builds_at_once(small_content: Path) -> None:
    library = load_library(small_content)
    built: list[SearchIndex] = []
    errors: list[BaseException] = []

    def build() -> None:
        try:
            for _ in range(5):
                built.append(SearchIndex.in_memory(library))
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=build) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == [] and len(built) == 10
    for index in built:
        _assert_right(index)
