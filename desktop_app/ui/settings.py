"""Typed settings: every key declared once with its type and default; bad values fall back."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QByteArray, QSettings

log = logging.getLogger(__name__)
T = TypeVar("T")


@dataclass(frozen=True)
class Key(Generic[T]):
    """A declared setting: its name, type and default."""

    name: str
    type: type
    default: T


GEOMETRY: Key[QByteArray] = Key("window/geometry", QByteArray, QByteArray())
WINDOW_STATE: Key[QByteArray] = Key("window/state", QByteArray, QByteArray())
SPLITTER: Key[QByteArray] = Key("window/splitter", QByteArray, QByteArray())
LAST_ARTICLE: Key[str] = Key("article/last", str, "")
ZOOM: Key[int] = Key("view/zoom", int, 0)
THEME: Key[str] = Key("view/theme", str, "system")
BOOKMARKS: Key[list[str]] = Key("bookmarks", list, [])
RECENT: Key[list[str]] = Key("recent", list, [])
ALL_KEYS = (GEOMETRY, WINDOW_STATE, SPLITTER, LAST_ARTICLE, ZOOM, THEME, BOOKMARKS, RECENT)


class Settings:
    """A QSettings file in the user's config folder, read and written through declared keys."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._qs = QSettings(str(path), QSettings.Format.IniFormat)
        if self._qs.status() != QSettings.Status.NoError:
            log.warning("settings file %s is unreadable; using defaults and repairing it", path)
            self._qs.clear()
            self._qs.sync()

    @property
    def path(self) -> str:
        """Return the settings file's path."""
        return self._qs.fileName()

    def get(self, key: Key[T]) -> T:
        """Return the stored value, or the default if it is missing or of the wrong type."""
        value: Any = self._qs.value(key.name, None)
        if value is None:
            return key.default
        try:
            if key.type is list:
                if isinstance(value, str):
                    value = [value] if value else []
                if not isinstance(value, list):
                    raise TypeError(type(value).__name__)
                return [str(v) for v in value]  # type: ignore[return-value]
            if key.type is QByteArray:
                if not isinstance(value, QByteArray):
                    raise TypeError(type(value).__name__)
                return value  # type: ignore[return-value]
            return key.type(value)  # type: ignore[no-any-return]
        except (TypeError, ValueError) as exc:
            log.warning("setting %s has a bad value (%s); using the default", key.name, exc)
            self._qs.remove(key.name)
            return key.default

    def set(self, key: Key[T], value: T) -> None:
        """Store a value."""
        self._qs.setValue(key.name, value)

    def sync(self) -> None:
        """Write pending changes to disk."""
        self._qs.sync()
