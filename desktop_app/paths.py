"""Where things live: bundled content and resources, the user's cache and config folders.

One function per location. The bundled data is found the same way in a source checkout, a pip
install (the wheel ships ``content/`` and ``resources/`` inside the package) and a PyInstaller
build (``sys._MEIPASS``).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP_NAME = "spine-atlas"
_PACKAGE_DIR = Path(__file__).resolve().parent


def _bundled(name: str) -> Path:
    """Return the bundled folder ``name`` (``content`` or ``resources``)."""
    candidates = []
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        candidates.append(Path(frozen_root) / name)
    candidates.append(_PACKAGE_DIR / name)  # pip install (wheel force-include)
    candidates.append(_PACKAGE_DIR.parent / name)  # source checkout / editable install
    for candidate in candidates:
        if candidate.is_dir():
            return candidate
    return candidates[-1]


def content_dir() -> Path:
    """Return the bundled content folder."""
    return _bundled("content")


def resources_dir() -> Path:
    """Return the bundled resources folder (stylesheets, icons, fonts)."""
    return _bundled("resources")


def prebuilt_index_dir() -> Path | None:
    """Return the index built at packaging time, if this is a bundle that ships one."""
    candidate = _bundled("index")
    return candidate if candidate.is_dir() else None


def _xdg(var: str, fallback: str) -> Path:
    value = os.environ.get(var)
    if value and Path(value).is_absolute():
        return Path(value)
    return Path.home() / fallback


def cache_dir() -> Path:
    """Return the user's cache folder for this app (the search index lives here)."""
    override = os.environ.get("SPINE_ATLAS_CACHE_DIR")
    if override:
        return Path(override)
    if sys.platform == "win32":
        return Path(os.environ.get("LOCALAPPDATA", Path.home())) / APP_NAME / "cache"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / APP_NAME
    return _xdg("XDG_CACHE_HOME", ".cache") / APP_NAME


def config_dir() -> Path:
    """Return the user's config folder for this app (settings, bookmarks)."""
    override = os.environ.get("SPINE_ATLAS_CONFIG_DIR")
    if override:
        return Path(override)
    if sys.platform == "win32":
        return Path(os.environ.get("APPDATA", Path.home())) / APP_NAME
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Application Support" / APP_NAME
    return _xdg("XDG_CONFIG_HOME", ".config") / APP_NAME


def data_dir() -> Path:
    """Return the user's data folder for this app (the reader's notes and highlights)."""
    override = os.environ.get("SPINE_ATLAS_DATA_DIR")
    if override:
        return Path(override)
    if sys.platform == "win32":
        return Path(os.environ.get("APPDATA", Path.home())) / APP_NAME / "data"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Application Support" / APP_NAME / "data"
    return _xdg("XDG_DATA_HOME", ".local/share") / APP_NAME
