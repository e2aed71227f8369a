"""The reader's own highlights and notes: stored in SQLite, anchored with W3C selectors.

``anchoring`` finds a quoted passage again after the text changed; ``store`` keeps annotations
(WAL, schema version, migrations, rolling backups); ``exchange`` writes and reads W3C Web
Annotation JSON-LD and Markdown. No Qt, no content parsing: callers pass the article's text.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from desktop_app.core.faces import lazy_names

if TYPE_CHECKING:
    from desktop_app.core.notes.anchoring import Anchor as Anchor
    from desktop_app.core.notes.anchoring import Quote as Quote
    from desktop_app.core.notes.anchoring import anchor as anchor
    from desktop_app.core.notes.anchoring import first_quote as first_quote
    from desktop_app.core.notes.anchoring import quote_at as quote_at
    from desktop_app.core.notes.exchange import from_jsonld as from_jsonld
    from desktop_app.core.notes.exchange import to_jsonld as to_jsonld
    from desktop_app.core.notes.exchange import to_markdown as to_markdown
    from desktop_app.core.notes.find import find_notes as find_notes
    from desktop_app.core.notes.store import COLOURS as COLOURS
    from desktop_app.core.notes.store import Note as Note
    from desktop_app.core.notes.store import NotesError as NotesError
    from desktop_app.core.notes.store import NoteStore as NoteStore

_MODULE_OF = {
    "Anchor": "anchoring",
    "COLOURS": "store",
    "Note": "store",
    "NoteStore": "store",
    "NotesError": "store",
    "Quote": "anchoring",
    "anchor": "anchoring",
    "find_notes": "find",
    "first_quote": "anchoring",
    "from_jsonld": "exchange",
    "quote_at": "anchoring",
    "to_jsonld": "exchange",
    "to_markdown": "exchange",
}
__all__ = sorted(_MODULE_OF)

__getattr__ = lazy_names(__name__, _MODULE_OF)
