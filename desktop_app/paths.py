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


def _user_dir(override: str, windows: Path, mac: Path, xdg: tuple[str, str]) -> Path:
    """A per-user folder: ``override`` (an environment variable) first, else the platform's."""
    value = os.environ.get(override)
    if value:
        return Path(value)
    if sys.platform == "win32":
        return windows
    if sys.platform == "darwin":
        return mac
    return _xdg(*xdg) / APP_NAME


def _windows(var: str) -> Path:
    return Path(os.environ.get(var, Path.home())) / APP_NAME


def cache_dir() -> Path:
    """Return the user's cache folder for this app (the search index lives here)."""
    mac = Path.home() / "Library" / "Caches" / APP_NAME
    return _user_dir(
        "SPINE_ATLAS_CACHE_DIR",
        _windows("LOCALAPPDATA") / "cache",
        mac,
        ("XDG_CACHE_HOME", ".cache"),
    )


def config_dir() -> Path:
    """Return the user's config folder for this app (settings, bookmarks)."""
    mac = Path.home() / "Library" / "Application Support" / APP_NAME
    return _user_dir(
        "SPINE_ATLAS_CONFIG_DIR", _windows("APPDATA"), mac, ("XDG_CONFIG_HOME", ".config")
    )


def data_dir() -> Path:
    """Return the user's data folder for this app (the reader's notes and highlights)."""
    mac = Path.home() / "Library" / "Application Support" / APP_NAME / "data"
    return _user_dir(
        "SPINE_ATLAS_DATA_DIR",
        _windows("APPDATA") / "data",
        mac,
        ("XDG_DATA_HOME", ".local/share"),
    )
