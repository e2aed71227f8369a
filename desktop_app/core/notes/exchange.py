"""Annotations out and back in: W3C Web Annotation JSON-LD, and Markdown to read or print.

The JSON-LD follows the Web Annotation Data Model: each annotation targets the article's file
(``source``, relative to the content root) through a ``TextQuoteSelector`` and a
``TextPositionSelector``; the reader's note is a ``TextualBody`` (``commenting``) and the colour a
``TextualBody`` (``tagging``). An export is one ``AnnotationCollection``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from desktop_app.core.notes.anchoring import Quote
from desktop_app.core.notes.model import Note

CONTEXT = "http://www.w3.org/ns/anno.jsonld"


def to_annotation(note: Note) -> dict[str, Any]:
    """One note as a W3C Web Annotation (a JSON-LD object)."""
    q = note.quote
    selectors: list[dict[str, Any]] = [
        {"type": "TextQuoteSelector", "exact": q.exact, "prefix": q.prefix, "suffix": q.suffix}
    ]
    if 0 <= q.start < q.end:
        selectors.append({"type": "TextPositionSelector", "start": q.start, "end": q.end})
    body: list[dict[str, Any]] = [
        {"type": "TextualBody", "purpose": "tagging", "value": note.colour},
    ]
    if note.note:
        body.insert(
            0,
            {
                "type": "TextualBody",
                "purpose": "commenting",
                "format": "text/markdown",
                "value": note.note,
            },
        )
    annotation: dict[str, Any] = {
        "@context": CONTEXT,
        "id": note.id,
        "type": "Annotation",
        "motivation": "commenting" if note.note else "highlighting",
        "created": note.created,
        "modified": note.modified,
        "body": body,
        "target": {"source": note.path, "selector": selectors},
    }
    if note.edition:
        annotation["target"]["state"] = {"type": "Edition", "value": note.edition}
    return annotation


def to_jsonld(notes: Iterable[Note], label: str = "Spine Atlas notes") -> str:
    """The notes as one W3C ``AnnotationCollection`` (JSON-LD text)."""
    items = [to_annotation(n) for n in notes if not n.deleted]
    collection = {
        "@context": CONTEXT,
        "type": "AnnotationCollection",
        "label": label,
        "total": len(items),
        "first": {"type": "AnnotationPage", "items": items},
    }
    return json.dumps(collection, ensure_ascii=False, indent=2)


def from_jsonld(text: str) -> list[Note]:
    """Parse an export (a collection, a page, a list or one annotation). Raises ValueError."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"line {exc.lineno}: not JSON: {exc.msg}") from exc
    items: Any = data
    if isinstance(data, dict) and data.get("type") == "AnnotationCollection":
        items = (data.get("first") or {}).get("items", [])
    elif isinstance(data, dict) and data.get("type") == "AnnotationPage":
        items = data.get("items", [])
    elif isinstance(data, dict):
        items = [data]
    if not isinstance(items, list):
        raise ValueError("no annotations found")
    return [_from_annotation(item, i) for i, item in enumerate(items, 1)]


def _from_annotation(item: Any, number: int) -> Note:
    if not isinstance(item, dict) or item.get("type") != "Annotation":
        raise ValueError(f"item {number}: not a W3C Annotation")
    target = item.get("target") or {}
    selectors = target.get("selector") or []
    if isinstance(selectors, dict):
        selectors = [selectors]
    quote_sel = next((s for s in selectors if s.get("type") == "TextQuoteSelector"), None)
    if not quote_sel or not str(quote_sel.get("exact", "")).strip():
        raise ValueError(f"item {number}: no TextQuoteSelector with exact text")
    pos: dict[str, Any] = next(
        (s for s in selectors if s.get("type") == "TextPositionSelector"), {}
    )
    quote = Quote(
        str(quote_sel["exact"]),
        str(quote_sel.get("prefix", "")),
        str(quote_sel.get("suffix", "")),
        int(pos.get("start", -1)),
        int(pos.get("end", -1)),
    )
    body = item.get("body") or []
    if isinstance(body, dict):
        body = [body]
    note = next((b.get("value", "") for b in body if b.get("purpose") == "commenting"), "")
    colour = next((b.get("value", "") for b in body if b.get("purpose") == "tagging"), "yellow")
    state = target.get("state") or {}
    return Note(
        id=str(item.get("id") or f"urn:import:{number}"),
        root="",
        path=str(target.get("source", "")),
        quote=quote,
        note=str(note),
        colour=str(colour),
        edition=str(state.get("value", "")) if isinstance(state, dict) else "",
        created=str(item.get("created", "")),
        modified=str(item.get("modified", item.get("created", ""))),
    )


def to_markdown(
    notes: Iterable[Note],
    titles: Mapping[str, str],
    states: Mapping[str, str] | None = None,
    heading: str = "Notes and highlights",
) -> str:
    """Group by article: a heading linking to the article, each passage quoted, its note below."""
    states = states or {}
    by_path: dict[str, list[Note]] = {}
    for note in notes:
        if not note.deleted:
            by_path.setdefault(note.path, []).append(note)
    lines = [f"# {heading}", ""]
    for path in sorted(by_path, key=lambda p: titles.get(p, p).lower()):
        lines += [f"## [{titles.get(path, path)}]({path})", ""]
        for note in by_path[path]:
            quote = " ".join(note.quote.exact.split())
            flag = " *(detached: the passage is no longer in the article)*"
            lines.append(f"> {quote}")
            lines.append(f">\n> — {note.colour}{flag if states.get(note.id) == 'detached' else ''}")
            lines.append("")
            if note.note:
                lines += [note.note.strip(), ""]
    return "\n".join(lines).rstrip() + "\n"
