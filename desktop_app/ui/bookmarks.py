"""Bookmarks and recently viewed articles, kept in the settings file."""

from __future__ import annotations

from desktop_app.ui import settings as keys
from desktop_app.ui.settings import Settings

MAX_RECENT = 15


class Bookmarks:
    """Bookmarked and recently viewed article slugs, most recent first."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def bookmarks(self) -> list[str]:
        """Return the bookmarked slugs."""
        return self.settings.get(keys.BOOKMARKS)

    def is_bookmarked(self, slug: str) -> bool:
        """Return whether a slug is bookmarked."""
        return slug in self.bookmarks()

    def toggle(self, slug: str) -> bool:
        """Add or remove a bookmark; return whether it is bookmarked now."""
        marks = self.bookmarks()
        if slug in marks:
            marks.remove(slug)
        else:
            marks.insert(0, slug)
        self.settings.set(keys.BOOKMARKS, marks)
        self.settings.sync()
        return slug in marks

    def recent(self) -> list[str]:
        """Return recently viewed slugs, newest first."""
        return self.settings.get(keys.RECENT)

    def visited(self, slug: str) -> None:
        """Record a visit."""
        recent = [s for s in self.recent() if s != slug]
        recent.insert(0, slug)
        self.settings.set(keys.RECENT, recent[:MAX_RECENT])
