"""A corrupted settings file, and two instances indexing the same folder at once."""

from __future__ import annotations

import random
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QByteArray, QSettings
from pytestqt.qtbot import QtBot

from desktop_app.core.content import load_library
from desktop_app.core.search import SearchIndex
from desktop_app.ui import settings as keys
from desktop_app.ui.main_window import MainWindow
from desktop_app.ui.settings import Settings
from tests.conftest import ROOT, write_content

DEFAULTS = {key.name: key.default for key in keys.ALL_KEYS}


def _values(settings: Settings) -> dict[str, object]:
    return {key.name: settings.get(key) for key in keys.ALL_KEYS}


# -- settings -------------------------------------------------------------------------------
def test_garbage_bytes_in_settings_file(
    tmp_path: Path, expect_warnings: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "settings.ini"
    path.write_bytes(random.Random(7).randbytes(8192) + b"\x00\xff\n[view\n=\n")
    settings = Settings(path)
    assert _values(settings) == DEFAULTS
    assert any("is damaged" in r.getMessage() for r in expect_warnings.records)
    settings.set(keys.ZOOM, 3)
    settings.sync()
    reread = QSettings(str(path), QSettings.Format.IniFormat)
    assert reread.status() == QSettings.Status.NoError
    assert set(reread.allKeys()) == {"view/zoom"}  # the garbage is gone: repaired
    assert Settings(path).get(keys.ZOOM) == 3


@pytest.mark.qt_log_ignore("invalid type", "QVariant::load")
@pytest.mark.parametrize(
    ("key", "raw"),
    [
        (keys.ZOOM, "[view]\nzoom=abc"),
        (keys.ZOOM, "[view]\nzoom=1.5"),
        (keys.ZOOM, "[view]\nzoom=@ByteArray(12)"),
        (keys.LAST_ARTICLE, "[article]\nlast=@ByteArray(hvla)"),
        (keys.LAST_ARTICLE, "[article]\nlast=a, b"),
        (keys.GEOMETRY, "[window]\ngeometry=not bytes"),
        (keys.SPLITTER, "[window]\nsplitter=1, 2"),
        (keys.BOOKMARKS, "[General]\nbookmarks=@Variant(\\0\\0\\0\\x7f\\0\\0\\0\\x3garbage)"),
        (keys.RECENT, "[General]\nrecent=@ByteArray(hvla)"),
    ],
    ids=lambda v: v if isinstance(v, str) else v.name,
)
def test_setting_of_the_wrong_type(
    tmp_path: Path, key: keys.Key[object], raw: str, expect_warnings: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "settings.ini"
    theme = "" if "[view]" in raw else "[view]\n"
    path.write_text(f"{raw}\n{theme}theme=dark\n", encoding="utf-8")
    settings = Settings(path)
    assert settings.get(key) == key.default
    assert any(key.name in r.getMessage() for r in expect_warnings.records)
    reread = QSettings(str(path), QSettings.Format.IniFormat)
    assert not reread.contains(key.name)  # repaired on disk at once
    assert reread.value("view/theme") == "dark"  # good neighbours are kept
    assert Settings(path).get(keys.THEME) == "dark"


def test_settings_folder_cannot_be_created(
    tmp_path: Path, expect_warnings: pytest.LogCaptureFixture
) -> None:
    blocker = tmp_path / "config"
    blocker.write_text("a file where the config folder should be")
    settings = Settings(blocker / "settings.ini")
    assert _values(settings) == DEFAULTS
    settings.set(keys.ZOOM, 2)
    settings.sync()  # cannot be saved: kept for this session
    assert settings.get(keys.ZOOM) == 2


def test_settings_file_is_a_folder(
    tmp_path: Path, expect_warnings: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "settings.ini"
    path.mkdir()
    settings = Settings(path)
    assert _values(settings) == DEFAULTS
    settings.set(keys.BOOKMARKS, ["hvla"])
    assert settings.get(keys.BOOKMARKS) == ["hvla"]


def test_window_starts_with_corrupted_settings(
    qtbot: QtBot, small_content: Path, tmp_path: Path, expect_warnings: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "settings.ini"
    path.write_text(
        "[window]\ngeometry=junk\nstate=@ByteArray(\\xff\\xfe)\nsplitter=@ByteArray()\n"
        "[view]\nzoom=99999999999999999999\ntheme=purple\n[article]\nlast=no-such-article\n",
        encoding="utf-8",
    )
    window = MainWindow(load_library(small_content), Settings(path))
    qtbot.addWidget(window)
    window.show()
    window.open_initial_article()
    assert window.article_view.slug in window.library.articles
    assert window.settings.get(keys.GEOMETRY) == QByteArray()


# -- two instances --------------------------------------------------------------------------
ARTICLES = {
    "techniques/_index.md": "---\ntitle: Techniques\n---\n",
    "techniques/hvla.md": "---\ntitle: HVLA\n---\nWord alphaword here.\n",
    "techniques/mobilisation.md": "---\ntitle: Mobilisation\n---\nWord betaword here.\n",
    "safety/stroke.md": "---\ntitle: Stroke\n---\nWord gammaword here.\n",
}
CHANGED = {
    "techniques/hvla.md": "---\ntitle: HVLA\n---\nWord deltaword here, and nothing else.\n",
    "safety/consent.md": "---\ntitle: Consent\n---\nWord epsilonword here.\n",
}
WORDS_AFTER = {
    "hvla": "deltaword",
    "mobilisation": "betaword",
    "stroke": "gammaword",
    "consent": "epsilonword",
}


def _index_twice_at_once(content: Path, index_dir: Path) -> list[subprocess.CompletedProcess[str]]:
    command = [
        sys.executable,
        "-m",
        "desktop_app",
        "index",
        "--content",
        str(content),
        "--index-dir",
        str(index_dir),
    ]
    runs = [
        subprocess.Popen(
            command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for _ in range(2)
    ]
    done = []
    for run in runs:
        out, err = run.communicate(timeout=180)
        done.append(subprocess.CompletedProcess(run.args, run.returncode, out, err))
    return done


@pytest.mark.slow
def test_two_processes_index_the_same_folder_at_once(tmp_path: Path) -> None:
    content = write_content(tmp_path / "content", ARTICLES)
    index_dir = tmp_path / "index"
    for run in _index_twice_at_once(content, index_dir):
        assert run.returncode == 0, run.stderr
        assert "Traceback" not in run.stderr
        assert run.stdout.startswith("3 articles indexed")
    write_content(content, CHANGED)  # the content changes between the two rounds
    for run in _index_twice_at_once(content, index_dir):
        assert run.returncode == 0, run.stderr
        assert "Traceback" not in run.stderr
    index = SearchIndex.open_or_build(load_library(content), index_dir)
    assert index.location is not None and not index.note
    assert index.doc_count == 4
    for slug, word in WORDS_AFTER.items():
        assert [hit.slug for hit in index.search(word).hits] == [slug], word
    assert index.search("alphaword").hits == ()
    assert len(list(index_dir.glob("gen-*"))) == 1
