"""The start-up snapshot: a faithful copy of the library while the content is unchanged."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from desktop_app.core.content import load_library
from desktop_app.core.render import render_article
from desktop_app.core.snapshot import (
    ShownArticle,
    Snapshot,
    fresh_snapshot,
    load_snapshot,
    save_snapshot,
)
from tests.conftest import ROOT, write_content


def age(root: Path, seconds: float = 3600) -> None:
    """Give every file below ``root`` a modification time in the past (content at rest)."""
    when = time.time() - seconds
    for path in [root, *root.rglob("*")]:
        os.utime(path, (when, when))


def shown(snapshot: Snapshot, slug: str, *, dark: bool = False) -> Snapshot:
    """Record ``slug`` as the article on screen, rendered as the window would."""
    refs = (snapshot.backlinks or {}).get(slug)
    rendered = render_article(snapshot.library, slug, dark=dark, referenced_by=refs)
    snapshot.shown = ShownArticle(rendered, dark, tuple(refs or ()))
    return snapshot


@pytest.fixture
def content(small_content: Path) -> Path:
    write_content(small_content, {"broken.md": "---\ntitle: [unclosed\n---\nBody.\n"})
    age(small_content)
    return small_content


def test_snapshot_round_trip_is_the_same_library_and_page(content: Path, tmp_path: Path) -> None:
    store = tmp_path / "cache" / "snapshot.json"
    snapshot = shown(fresh_snapshot(content, load_library), "hvla")
    snapshot.backlinks = {"hvla": ["mobilisation", "stroke"]}
    snapshot = shown(snapshot, "hvla")
    assert save_snapshot(store, snapshot)

    loaded = load_snapshot(store, content)
    assert loaded is not None and loaded.from_cache
    fresh = load_library(content)
    assert loaded.library == fresh  # articles, topics, diagnostics, bibliography, thesaurus
    assert [d.format() for d in loaded.library.diagnostics] == [
        d.format() for d in fresh.diagnostics
    ]
    assert any("broken.md" in d.format() for d in loaded.library.diagnostics)
    assert loaded.backlinks == {"hvla": ["mobilisation", "stroke"]}
    refs = ["mobilisation", "stroke"]
    page = loaded.article("hvla", dark=False, referenced_by=refs)
    expected = render_article(fresh, "hvla", referenced_by=refs)
    assert page == expected
    assert loaded.article("hvla", dark=True, referenced_by=refs) is None  # another theme
    assert loaded.article("hvla", dark=False) is None  # other "Referenced by" links
    assert loaded.article("mobilisation", dark=False) is None


def test_snapshot_is_not_rewritten_when_nothing_changed(content: Path, tmp_path: Path) -> None:
    store = tmp_path / "snapshot.json"
    assert save_snapshot(store, shown(fresh_snapshot(content, load_library), "hvla"))
    loaded = load_snapshot(store, content)
    assert loaded is not None
    assert not save_snapshot(store, loaded)  # nothing new to say
    loaded.shown = None
    shown(loaded, "stroke")
    assert save_snapshot(store, loaded)
    again = load_snapshot(store, content)
    assert again is not None and again.article("stroke", dark=False) is not None


@pytest.mark.parametrize(
    "change",
    [
        "edit",
        "same-size-edit",
        "new-article",
        "removed-article",
        "new-figure",
        "bibliography",
        "renamed-folder",
    ],
)
def test_any_change_to_the_content_makes_a_normal_load(
    content: Path, tmp_path: Path, change: str
) -> None:
    store = tmp_path / "snapshot.json"
    assert save_snapshot(store, shown(fresh_snapshot(content, load_library), "hvla"))
    hvla = content / "techniques" / "hvla.md"
    if change == "edit":
        hvla.write_text(hvla.read_text() + "\nMore.\n")
    elif change == "same-size-edit":
        hvla.write_text(hvla.read_text().replace("fast", "FAST"))
    elif change == "new-article":
        (content / "safety" / "new.md").write_text("# New\n")
    elif change == "removed-article":
        (content / "safety" / "stroke.md").unlink()
    elif change == "new-figure":
        (content / "figures").mkdir()
        (content / "figures" / "x.svg").write_text("<svg/>")
    elif change == "bibliography":
        bib = content / "bibliography.yaml"
        bib.write_text(bib.read_text().replace("2003", "2004"))
    elif change == "renamed-folder":
        (content / "safety").rename(content / "risks")
    assert load_snapshot(store, content) is None


def test_snapshot_of_another_folder_is_not_used(content: Path, tmp_path: Path) -> None:
    store = tmp_path / "snapshot.json"
    assert save_snapshot(store, fresh_snapshot(content, load_library))
    other = write_content(tmp_path / "other", {"a.md": "# A\n"})
    age(other)
    assert load_snapshot(store, other) is None


@pytest.mark.parametrize(
    "damage",
    [
        b"",
        b"\x00\xff garbage",
        b'{"format": 1',
        b"[]",
        b'{"format": 99}',
        "wrong-shape",
        "truncated",
        "wrong-types",
    ],
)
def test_corrupt_snapshot_is_ignored_and_replaced(
    content: Path, tmp_path: Path, damage: bytes | str
) -> None:
    store = tmp_path / "snapshot.json"
    assert save_snapshot(store, shown(fresh_snapshot(content, load_library), "hvla"))
    good = store.read_bytes()
    if damage == "wrong-shape":
        data = json.loads(good)
        data["library"]["articles"] = 5
        store.write_text(json.dumps(data))
    elif damage == "wrong-types":
        data = json.loads(good)
        data["library"]["articles"][0]["unexpected"] = 1
        data["shown"]["rendered"]["toc"] = [["x"]]
        store.write_text(json.dumps(data))
    elif damage == "truncated":
        store.write_bytes(good[: len(good) // 2])
    else:
        assert isinstance(damage, bytes)
        store.write_bytes(damage)
    assert load_snapshot(store, content) is None
    fresh = fresh_snapshot(content, load_library)
    assert save_snapshot(store, fresh)
    assert load_snapshot(store, content) is not None


def test_content_changing_while_loading_is_not_snapshotted(
    small_content: Path, tmp_path: Path
) -> None:
    store = tmp_path / "snapshot.json"  # small_content was written just now
    assert not save_snapshot(store, fresh_snapshot(small_content, load_library))
    assert not store.exists()


def test_unwritable_cache_is_not_an_error(content: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder should be")
    assert not save_snapshot(blocker / "snapshot.json", fresh_snapshot(content, load_library))
    assert blocker.read_text().startswith("a file")
    assert not any(p.name.startswith(".snapshot-") for p in tmp_path.iterdir())


def test_text_that_cannot_be_written_is_not_an_error(content: Path, tmp_path: Path) -> None:
    store = tmp_path / "snapshot.json"
    snapshot = fresh_snapshot(content, load_library)
    snapshot.backlinks = {"hvla": ["\udc80 from a broken file name"]}
    assert not save_snapshot(store, snapshot)
    assert not store.exists()
    assert not list(tmp_path.glob(".snapshot-*"))  # no temporary file left behind


def test_the_signature_names_every_module_a_load_and_a_render_run() -> None:
    # The snapshot's code files are listed by path: a moved or split module must stay listed.
    from desktop_app.core import snapshot

    code = (
        "import sys\n"
        "from desktop_app.core.content import load_library\n"
        "from desktop_app.core.render import render_article\n"
        "library = load_library('content')\n"
        "render_article(library, next(iter(library.articles)))\n"
        "print('\\n'.join(m.__file__ for n, m in sys.modules.items()\n"
        "      if n.startswith('desktop_app.core.') and n != 'desktop_app.core.faces'\n"
        "      and not m.__file__.endswith('__init__.py')))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], check=True, cwd=ROOT, capture_output=True, text=True
    ).stdout
    core = Path(snapshot.__file__).resolve().parent
    ran = {Path(line).resolve().relative_to(core).as_posix() for line in out.split()}
    assert all((core / name).is_file() for name in snapshot._CODE_FILES)
    assert ran <= set(snapshot._CODE_FILES)
