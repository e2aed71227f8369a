"""The index, the queries and the snippets share one stemmer, recorded with the index."""

from __future__ import annotations

import json
from pathlib import Path

from desktop_app.core.content import load_library
from desktop_app.core.search import SearchIndex, store
from desktop_app.core.search.stemming import STEMMER, stem
from tests.conftest import CONTENT


def test_snowball_keeps_clinical_words_apart() -> None:
    assert STEMMER == "snowball"  # PyStemmer is a dependency
    assert stem("lateral") != stem("later")
    assert stem("internal") != stem("intern")
    assert stem("manipulation") == stem("manipulations") == stem("manipulative")[:7]


def test_an_index_built_by_another_stemmer_is_rebuilt(tmp_path: Path) -> None:
    library = load_library(CONTENT)
    index = SearchIndex.open_or_build(library, tmp_path)
    assert index.search("lateral flexion").hits
    pointer = (tmp_path / store.POINTER_FILE).read_text(encoding="utf-8").strip()
    meta_path = tmp_path / pointer / store.META_FILE
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    assert meta["stemmer"] == STEMMER
    index.close()
    meta["stemmer"] = "porter2"  # as if built where PyStemmer was missing
    meta_path.write_text(json.dumps(meta), encoding="utf-8")
    again = SearchIndex.open_or_build(library, tmp_path)
    rebuilt = (tmp_path / store.POINTER_FILE).read_text(encoding="utf-8").strip()
    assert rebuilt != pointer
    assert again.search("lateral flexion").hits
