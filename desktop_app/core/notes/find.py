"""Search the reader's own notes and highlighted passages (their own kind of search hit)."""

from __future__ import annotations

import re
from collections.abc import Iterable

from desktop_app.core.notes.model import Note

_WORD = re.compile(r"\w+")


def find_notes(notes: Iterable[Note], query: str, limit: int = 20) -> list[Note]:
    """Notes whose text or passage has every word of ``query`` (as a word or a word's start).

    A match in the reader's own note counts twice a match in the quoted passage; newer first
    among equals.
    """
    words = [w.casefold() for w in _WORD.findall(query) if len(w) >= 2]
    if not words:
        return []
    scored = []
    for note in notes:
        if note.deleted:
            continue
        own = [w.casefold() for w in _WORD.findall(note.note)]
        quoted = [w.casefold() for w in _WORD.findall(note.quote.exact)]
        score = 0
        for word in words:
            in_own = any(t.startswith(word) for t in own)
            in_quote = any(t.startswith(word) for t in quoted)
            if not (in_own or in_quote):
                break
            score += 2 * in_own + in_quote
        else:
            scored.append((score, note.modified, note))
    scored.sort(key=lambda item: (item[0], item[1]), reverse=True)
    return [note for _score, _modified, note in scored[:limit]]
