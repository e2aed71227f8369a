"""Other content folders: File ▸ Open Folder…, a folder dropped on the window, Recent Folders.

Each folder is its own workspace (index, snapshot) with its own settings file (bookmarks,
history, window state; ``workspace.settings_path_for``). Opening one loads its library on a
pool thread, then a window for it replaces this one; the list of recent folders is shared.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QThreadPool
from PySide6.QtWidgets import QApplication, QFileDialog, QWidget

from desktop_app import paths
from desktop_app.ui import settings as keys
from desktop_app.ui.settings import Key, Settings
from desktop_app.ui.workers import Worker

if TYPE_CHECKING:
    from PySide6.QtGui import QDragEnterEvent, QDropEvent
    from PySide6.QtWidgets import QMenu

    from desktop_app.core.snapshot import Snapshot
    from desktop_app.ui.main_window import MainWindow

log = logging.getLogger(__name__)
RECENT_FOLDERS: Key[list[str]] = Key("folders/recent", list, [])
MAX_FOLDERS = 8
BUNDLED_LABEL = "Spine Atlas (bundled)"
# Every window made for a folder, kept alive while its workers may still report to it.
WINDOWS: list[MainWindow] = []


def choose_folder(parent: QWidget) -> str:
    """Ask for a folder (tests replace this)."""
    return QFileDialog.getExistingDirectory(parent, "Open a folder of Markdown articles")


class RecentFolders:
    """The folders opened lately, newest first, in ``folders.ini`` beside the settings."""

    def __init__(self, config_dir: Path) -> None:
        self.settings = Settings(config_dir / "folders.ini")

    def folders(self) -> list[str]:
        """Return the recent folders that still exist, newest first."""
        return [f for f in self.settings.get(RECENT_FOLDERS) if Path(f).is_dir()]

    def add(self, root: Path) -> None:
        """Put a folder first (the bundled content is always in the menu, so not listed)."""
        if root.resolve() == paths.content_dir().resolve():
            return
        text = str(root.resolve())
        folders = [text, *(f for f in self.settings.get(RECENT_FOLDERS) if f != text)]
        self.settings.set(RECENT_FOLDERS, folders[:MAX_FOLDERS])
        self.settings.sync()


class FoldersMixin:
    """The main window's part that opens other folders."""

    folders_menu: QMenu
    folder_worker: Worker | None = None

    def _config_dir(self: Any) -> Path:
        return Path(self.settings.path).parent

    def recent_folders(self: Any) -> RecentFolders:
        """Return the shared list of recent folders."""
        return RecentFolders(self._config_dir())

    def open_folder_dialog(self: Any) -> None:
        """File ▸ Open Folder: ask for a folder, then open it."""
        chosen = choose_folder(self)
        if chosen:
            self.open_folder(Path(chosen))

    def open_bundled(self: Any) -> None:
        """File ▸ Spine Atlas (bundled)."""
        self.open_folder(paths.content_dir())

    def fill_folders_menu(self: Any) -> None:
        """Fill File ▸ Recent Folders as it opens."""
        menu = self.folders_menu
        menu.clear()
        bundled = menu.addAction(BUNDLED_LABEL)
        bundled.triggered.connect(lambda *_: self.open_bundled())
        folders = self.recent_folders().folders()
        if folders:
            menu.addSeparator()
        for folder in folders:
            action = menu.addAction(folder)
            action.triggered.connect(lambda *_, f=folder: self.open_folder(Path(f)))

    def open_folder(self: Any, root: Path) -> Worker | None:
        """Load a folder's library off the UI thread, then give it a window of its own."""
        if not root.is_dir():
            self.statusBar().showMessage(f"Not a folder: {root}", 8000)
            return None
        if root.resolve() == Path(self.library.root_dir).resolve():
            self.statusBar().showMessage(f"{root} is already open", 4000)
            return None
        from desktop_app.core.content import load_library
        from desktop_app.core.snapshot import open_snapshot
        from desktop_app.workspace import snapshot_path_for

        self.statusBar().showMessage(f"Opening {root}…")
        worker = Worker(lambda _p: open_snapshot(snapshot_path_for(root), root, load_library))
        worker.signals.finished.connect(lambda snap: self.switch_to(root, snap))
        worker.signals.failed.connect(
            lambda msg: self.statusBar().showMessage(f"Cannot open {root}: {msg}", 10000)
        )
        self.folder_worker = worker
        QThreadPool.globalInstance().start(worker)
        return worker

    def switch_to(self: Any, root: Path, snapshot: Snapshot) -> MainWindow:
        """Replace this window with one for ``root`` (its settings, index, snapshot)."""
        from desktop_app.ui.app import follow_folder, start_index
        from desktop_app.ui.main_window import MainWindow
        from desktop_app.workspace import index_dir_for, settings_path_for, snapshot_path_for

        config_dir = self._config_dir()
        self.recent_folders().add(root)
        settings = Settings(settings_path_for(root, config_dir))
        window = MainWindow(
            snapshot.library, settings, snapshot=snapshot, snapshot_path=snapshot_path_for(root)
        )
        if settings.get(keys.GEOMETRY).isEmpty():  # a first visit: where this window is
            window.setGeometry(self.geometry())
        WINDOWS.append(window)
        app = QApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(window.save_snapshot)
        window.show()
        window.open_initial_article()
        start_index(window, window.library, index_dir_for(root, None))
        follow_folder(window)
        self.save_snapshot()
        self.close()
        return window

    # -- a folder dropped on the window ---------------------------------------------------
    def dragEnterEvent(self: Any, event: QDragEnterEvent) -> None:
        """Accept one local folder."""
        if _dropped_folder(event) is not None:
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self: Any, event: QDropEvent) -> None:
        """Open the dropped folder."""
        folder = _dropped_folder(event)
        if folder is not None:
            event.acceptProposedAction()
            self.open_folder(folder)


def _dropped_folder(event: Any) -> Path | None:
    urls = event.mimeData().urls() if event.mimeData().hasUrls() else []
    if len(urls) == 1 and urls[0].isLocalFile():
        path = Path(urls[0].toLocalFile())
        if path.is_dir():
            return path
    return None
