"""Stems found lazily per query word are exactly those a full tokenisation finds."""

from __future__ import annotations

from desktop_app.core.content import load_library
from desktop_app.core.search.snippets import _TOKEN, article_text, token_map
from desktop_app.core.search.stemming import stem
from tests.conftest import CONTENT


def _full(text: str) -> dict[str, list[tuple[int, int]]]:
    out: dict[str, list[tuple[int, int]]] = {}
    for match in _TOKEN.finditer(text):
        out.setdefault(stem(match.group().lower()), []).append(match.span())
    return out


def test_lazy_spans_match_a_full_tokenisation_on_every_bundled_article() -> None:
    library = load_library(CONTENT)
    checked = 0
    for slug, article in library.articles.items():
        text, sections = article_text(article.summary, library.read_body(slug))
        full = _full(text)
        lazy = token_map(text, stem, sections)
        for word in list(full)[::7]:  # every 7th distinct stem, in order of first use
            assert lazy.spans(word) == full[word], (slug, word)
            checked += 1
    assert checked > 1000


def test_edge_tokens() -> None:
    text = "Lateral flexion; later. O'Brien's C1–C2 joint, 2.5 mm; Ülna ulna"
    full = _full(text)
    lazy = token_map(text, stem)
    for word in full:
        assert lazy.spans(word) == full[word], word
    assert lazy.spans("nonexistent") == []
