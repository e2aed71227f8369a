"""Typed settings: every key declared once with its type and default; bad values fall back."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QByteArray, QSettings

log = logging.getLogger(__name__)
T = TypeVar("T")
_KEY_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_./-]*")


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
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            log.warning("cannot create %s (%s); settings will not be saved", path.parent, exc)
        self._qs = QSettings(str(path), QSettings.Format.IniFormat)
        if self._qs.status() != QSettings.Status.NoError:
            log.warning("settings file %s is unreadable; using defaults and repairing it", path)
            self._qs.clear()
            self._qs.sync()
        self._drop_garbage()

    def _drop_garbage(self) -> None:
        """Remove entries whose names no version of the app writes (a damaged file's debris)."""
        garbage = [name for name in self._qs.allKeys() if not _KEY_NAME.fullmatch(name)]
        if garbage:
            log.warning(
                "settings file %s is damaged; removed %d bad entries", self.path, len(garbage)
            )
            for name in garbage:
                self._qs.remove(name)
            self._qs.sync()

    @property
    def path(self) -> str:
        """Return the settings file's path."""
        return self._qs.fileName()

    def get(self, key: Key[T]) -> T:
        """Return the stored value, or the default if it is missing or of the wrong type.

        A bad value is removed from the file at once, so the file is repaired.
        """
        if not self._qs.contains(key.name):
            return key.default
        value: Any = self._qs.value(key.name, None)
        try:
            return _convert(key, value)  # type: ignore[no-any-return]
        except (TypeError, ValueError) as exc:
            log.warning("setting %s has a bad value (%s); using the default", key.name, exc)
            self._qs.remove(key.name)
            self._qs.sync()
            return key.default

    def set(self, key: Key[T], value: T) -> None:
        """Store a value."""
        self._qs.setValue(key.name, value)

    def sync(self) -> None:
        """Write pending changes to disk."""
        self._qs.sync()


def _convert(key: Key[Any], value: Any) -> Any:
    """Return ``value`` as the key's type; raise TypeError or ValueError if it is not one."""
    if value is None:  # an entry Qt could not read, such as @Invalid() or a broken @Variant
        raise TypeError("unreadable value")
    if key.type is list:
        if isinstance(value, str):
            value = [value] if value else []
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise TypeError(f"{type(value).__name__} is not a list of text")
        return list(value)
    if key.type is int:
        if not isinstance(value, int | str):
            raise TypeError(f"{type(value).__name__} is not a number")
        return int(value)
    if not isinstance(value, key.type):
        raise TypeError(f"{type(value).__name__} is not {key.type.__name__}")
    return value
