"""One highlight or note, as stored and exchanged (no SQLite here: loading this is cheap)."""

from __future__ import annotations

from dataclasses import dataclass

from desktop_app.core.notes.anchoring import Quote


@dataclass(frozen=True, slots=True)
class Note:
    """One highlight or note (a W3C Web Annotation on a passage of one article)."""

    id: str
    root: str
    path: str  # the article's file, relative to the content root
    quote: Quote
    note: str = ""
    colour: str = "yellow"
    edition: str = ""
    created: str = ""
    modified: str = ""
    deleted: bool = False
