"""Where a content folder's files, search index and start-up snapshot live.

A workspace is one content root: its library is loaded from the folder, its index lives in the
user cache folder (one per root, seeded from a packaged index for the bundled content), and its
snapshot beside it. A first index is built by a child process (``ChildBuild``) so that the
window never holds the build's memory. Neither widgets nor the command line decide these places:
both ask here.
"""

from __future__ import annotations

import hashlib
import logging
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from desktop_app import paths

if TYPE_CHECKING:
    import subprocess

    from desktop_app.core.content import Library
    from desktop_app.core.notes import NoteStore
    from desktop_app.core.search import SearchIndex

log = logging.getLogger(__name__)
Progress = Callable[[int, int], None]


@dataclass(frozen=True, slots=True)
class Workspace:
    """The places that belong to one content root."""

    root: Path
    index_dir: Path
    snapshot_path: Path
    seed: Path | None

    @classmethod
    def for_content(cls, choice: Path | None = None, index_dir: Path | None = None) -> Workspace:
        """Return the workspace of a chosen content folder (None: the bundled content)."""
        root = content_root(choice)
        return cls(root, index_dir_for(root, index_dir), snapshot_path_for(root), seed_for(root))

    def load(self) -> Library:
        """Load the library from the content folder."""
        from desktop_app.core.content import load_library

        return load_library(self.root)

    def open_index(self, library: Library, progress: Progress | None = None) -> SearchIndex:
        """Open the search index (building, updating or seeding it as needed)."""
        from desktop_app.core.search import SearchIndex

        return SearchIndex.open_or_build(library, self.index_dir, progress, seed=self.seed)

    @property
    def notes_key(self) -> str:
        """The name this folder's notes carry in the notes database.

        Stable across installs for the bundled content; the folder's full path otherwise.
        """
        bundled = self.root.resolve() == paths.content_dir().resolve()
        return "bundled" if bundled else str(self.root.resolve())

    def open_notes(self, database: Path | None = None) -> NoteStore:
        """Open the reader's notes for this folder. Raises NotesError."""
        from desktop_app.core.notes import NoteStore

        return NoteStore(database or paths.data_dir() / "notes.sqlite3", self.notes_key)

    def article_path(self, library: Library, slug: str) -> str:
        """An article's file relative to the content root (how notes name their article)."""
        from desktop_app.core.content import rel_file

        return rel_file(library.articles[slug].path, self.root)


def content_root(choice: Path | None = None) -> Path:
    """Return the content folder the user chose, or the bundled one."""
    return Path(choice) if choice else paths.content_dir()


def _root_key(root: Path) -> str:
    return hashlib.sha1(str(root.resolve()).encode()).hexdigest()[:12]


def index_dir_for(root: Path, override: Path | None) -> Path:
    """Return the index folder for a content folder: one per content root in the cache."""
    if override:
        return Path(override)
    return paths.cache_dir() / "index" / _root_key(root)


def snapshot_path_for(root: Path) -> Path:
    """Return the start-up snapshot file for a content folder (see ``core/snapshot.py``)."""
    return paths.cache_dir() / "snapshot" / f"{_root_key(root)}.json"


def seed_for(root: Path) -> Path | None:
    """Return the prebuilt index shipped with a bundle, if ``root`` is the bundled content."""
    if root.resolve() != paths.content_dir().resolve():
        return None
    return paths.prebuilt_index_dir()


class LineProgress:
    """Progress as ``progress DONE/TOTAL`` lines on stderr (read by ``ChildBuild``)."""

    def __call__(self, done: int, total: int) -> None:
        """Report that ``done`` of ``total`` articles are indexed."""
        sys.stderr.write(f"progress {done}/{total}\n")
        sys.stderr.flush()

    def searchable(self, location: str, count: int) -> None:
        """Report that the first ``count`` articles in ``location`` can be searched already."""
        sys.stderr.write(f"searchable {count} {location}\n")
        sys.stderr.flush()

    def done(self) -> None:
        """Nothing to finish: every line is complete."""


PROGRESS_LINE = re.compile(r"progress (\d+)/(\d+)")
SEARCHABLE_LINE = re.compile(r"searchable (\d+) (.+)")


def self_command() -> list[str]:
    """Return the command that starts this program again (the bundle, or this interpreter)."""
    if getattr(sys, "frozen", False):
        return [sys.executable]
    return [sys.executable, "-m", "desktop_app"]


class ChildBuild:
    """Builds a search index in a child process (``spine-atlas index``), reporting its progress.

    A full build allocates far more than searching ever needs, and Python does not give that
    memory back: built in the window's own process, it stays ~10 MB larger for the session. A
    child returns it all when it exits, and does not compete with the window for the GIL.
    ``run`` returns False on any failure; the caller then builds in its own process as before.
    """

    def __init__(self) -> None:
        self._proc: subprocess.Popen[str] | None = None
        self._cancelled = False

    def run(
        self,
        root: Path,
        index_dir: Path,
        progress: Callable[[int, int], None],
        searchable: Callable[[Path, int], None] | None = None,
    ) -> bool:
        """Build the index of ``root`` into ``index_dir``; return whether it is there now.

        ``searchable(location, count)`` is called when the build has written the full text of
        its first ``count`` articles into the generation folder ``location`` (not current yet).
        """
        import subprocess  # not on the window's start-up path

        if self._cancelled:
            return False
        command = [
            *self_command(),
            "index",
            "--progress-lines",
            "--content",
            str(root),
            "--index-dir",
            str(index_dir),
        ]
        try:
            self._proc = subprocess.Popen(
                command,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                text=True,
                errors="replace",
            )
        except OSError as exc:
            log.info("index not built in a child process: %s", exc)
            return False
        if self._cancelled:
            self._proc.terminate()
        assert self._proc.stderr is not None
        for line in self._proc.stderr:
            match = PROGRESS_LINE.fullmatch(line.strip())
            partial = SEARCHABLE_LINE.fullmatch(line.strip())
            if match:
                progress(int(match.group(1)), int(match.group(2)))
            elif partial:
                if searchable is not None:
                    searchable(Path(partial.group(2)), int(partial.group(1)))
            elif line.strip():
                log.info("index child: %s", line.rstrip())
        code = self._proc.wait()
        if code != 0 and not self._cancelled:
            log.info("index child exited with %s; building in this process", code)
        from desktop_app.core.search import SearchIndex

        # Exit 0 with no index on disk: the child fell back to memory (an unwritable cache).
        return code == 0 and not self._cancelled and SearchIndex.exists(index_dir)

    @property
    def cancelled(self) -> bool:
        """Whether ``cancel`` was called."""
        return self._cancelled

    def cancel(self) -> None:
        """Stop the child (the app is quitting); an unfinished build is never made current."""
        self._cancelled = True
        if self._proc is not None and self._proc.poll() is None:
            self._proc.terminate()


def settings_path_for(root: Path, config_dir: Path) -> Path:
    """Return a content folder's settings file (bookmarks, history, window state).

    The bundled content keeps ``settings.ini``; every other folder has its own file beside it.
    """
    if root.resolve() == paths.content_dir().resolve():
        return config_dir / "settings.ini"
    return config_dir / f"settings-{_root_key(root)}.ini"
