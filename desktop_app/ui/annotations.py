"""Highlights and notes in the article pane and in print: drawn from the notes store.

``decorate`` marks a document's passages (background colour for a highlight, a numbered
superscript link ``note:<id>`` after a passage with a note) by re-anchoring each stored quote in
the document's own text; what cannot be anchored is reported as detached. The window's article
pane and the print layout both use it, so a note prints where it shows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from PySide6.QtGui import QBrush, QColor, QTextCharFormat, QTextCursor, QTextDocument

if TYPE_CHECKING:
    from desktop_app.core.notes import Anchor, Note

# (light theme, dark theme) backgrounds: the theme's text and links keep 4.5:1 or more on each.
HIGHLIGHT = {
    "yellow": ("#fff1a8", "#4a4200"),
    "green": ("#cdeec6", "#1c4222"),
    "blue": ("#cfe3ff", "#17365a"),
    "pink": ("#ffd3e6", "#6b2446"),
}
COLOURS = tuple(HIGHLIGHT)  # the same names as core/notes' COLOURS (a test holds them equal)
_SEPARATORS = str.maketrans({"\u2029": "\n", "\u2028": "\n", "\xa0": " "})


def document_text(doc: QTextDocument) -> str:
    """The document's text with one character per cursor position (paragraphs as newlines)."""
    return doc.toRawText().translate(_SEPARATORS)


@dataclass
class Decorated:
    """What ``decorate`` did: each note's anchor (None: detached) and the markers it inserted."""

    anchors: dict[str, Anchor | None] = field(default_factory=dict)
    numbers: dict[str, int] = field(default_factory=dict)
    markers: list[tuple[int, int]] = field(default_factory=list)  # (document position, length)

    def text_position(self, position: int) -> int:
        """A document position without the inserted markers (a position in the article text)."""
        return position - sum(length for at, length in self.markers if at < position)


def decorate(doc: QTextDocument, notes: list[Note], *, dark: bool = False) -> Decorated:
    """Highlight each note's passage in ``doc`` and put a numbered link after those with text."""
    from desktop_app.core.notes import anchor

    result = Decorated()
    text = document_text(doc)
    placed: list[tuple[Anchor, Note]] = []
    for note in notes:
        found = anchor(text, note.quote)
        result.anchors[note.id] = found
        if found is not None:
            placed.append((found, note))
    placed.sort(key=lambda item: (item[0].start, item[0].end))
    cursor = QTextCursor(doc)
    cursor.beginEditBlock()
    for found, note in placed:
        light, deep = HIGHLIGHT.get(note.colour, HIGHLIGHT["yellow"])
        fmt = QTextCharFormat()
        fmt.setBackground(QBrush(QColor(deep if dark else light)))
        cursor.setPosition(found.start)
        cursor.setPosition(found.end, QTextCursor.MoveMode.KeepAnchor)
        cursor.mergeCharFormat(fmt)
    with_text = [(found, note) for found, note in placed if note.note.strip()]
    for number, (_found, note) in enumerate(with_text, 1):
        result.numbers[note.id] = number
    inserted = 0
    for found, note in with_text:  # in reading order: earlier markers shift later ones
        label = f"\u270e{result.numbers[note.id]}"
        fmt = QTextCharFormat()
        fmt.setAnchor(True)
        fmt.setAnchorHref(f"note:{note.id.removeprefix('urn:uuid:')}")
        fmt.setVerticalAlignment(QTextCharFormat.VerticalAlignment.AlignSuperScript)
        fmt.setToolTip(note.note)
        at = found.end + inserted
        cursor.setPosition(at)
        cursor.insertText(label, fmt)
        result.markers.append((at, len(label)))
        inserted += len(label)
    cursor.endEditBlock()
    return result


def notes_printer(notes_for: Callable[[str], list[Note]]) -> Callable[[str, QTextDocument], None]:
    """A print decorator: each article part gets its highlights, markers and a notes list."""

    def mark(slug: str, doc: QTextDocument) -> None:
        notes = notes_for(slug)
        if notes:
            append_notes_section(doc, notes, decorate(doc, notes))

    return mark


def append_notes_section(doc: QTextDocument, notes: list[Note], done: Decorated) -> None:
    """For print: list the notes at the end, numbered as in the text; detached ones last."""
    numbered = sorted((n for n in notes if n.id in done.numbers), key=lambda n: done.numbers[n.id])
    detached = [n for n in notes if done.anchors.get(n.id) is None]
    if not numbered and not detached:
        return
    import html

    items = [
        f"<p>\u270e{done.numbers[n.id]} “{html.escape(_short(n.quote.exact))}” — "
        f"{html.escape(n.note.strip())}</p>"
        for n in numbered
    ]
    items += [
        f"<p>(no longer in this edition) “{html.escape(_short(n.quote.exact))}”"
        + (f" — {html.escape(n.note.strip())}" if n.note.strip() else "")
        + "</p>"
        for n in detached
    ]
    cursor = QTextCursor(doc)
    cursor.movePosition(QTextCursor.MoveOperation.End)
    cursor.insertHtml("<h2>My notes</h2>" + "".join(items))


def _short(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
