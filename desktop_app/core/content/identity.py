"""Who an article is: its path below the content root, and the short slug readers see.

Every article is identified by its path relative to the content root without ``.md``
(``guide/install``). Its slug, the key used everywhere else, is the file stem when no other
file has that stem (``install``), so a collection whose names are unique keeps its short slugs;
otherwise, and for a folder's page (``guide/index``), the slug is the path. Two files never
share a slug, so no page is ever dropped.

A folder's ``index.md``, ``_index.md`` (when it has a body) or ``README.md`` is that folder's
page: links to the folder (``guide/``, ``/guide/``) lead to it.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from desktop_app.core.content.library import Article, Topic

SECTION_FILE = "_index.md"  # Hugo: a section's metadata, and its page when it has a body
INDEX_NAMES = ("index", "_index", "readme")  # casefolded stems of a folder's own page


def nfc(text: str) -> str:
    """Compare names in NFC: macOS writes file names decomposed, editors type them composed."""
    return unicodedata.normalize("NFC", text)


def is_markdown(path: Path) -> bool:
    """Whether a file name is a Markdown article's (``.md``, any case)."""
    return path.suffix.lower() == ".md"


def is_index_page(path: Path) -> bool:
    """Whether a Markdown file is its folder's own page (index, _index or README)."""
    return path.stem.casefold() in INDEX_NAMES


def rel_file(path: Path, root: Path) -> str:
    """Return a file's path below ``root``, POSIX (its name when it lies outside ``root``)."""
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.name


def rel_key(path: Path, root: Path) -> str:
    """Return an article's identity: its path below ``root``, POSIX, NFC, without ``.md``."""
    rel = rel_file(path, root)
    return nfc(rel[:-3] if rel.lower().endswith(".md") else rel)


def folder_of(rel: str) -> str:
    """Return the folder part of an identity ('' at the root)."""
    return rel.rpartition("/")[0]


def assign_slugs(
    articles: dict[str, Article], root: Topic
) -> tuple[dict[str, Article], Topic, dict[str, Topic]]:
    """Re-key articles loaded under their identities by their slugs (stem when unique).

    Returns the articles by slug, the topic tree naming them by slug, and topics by slug.
    """
    stems = Counter(_stem(rel) for rel in articles)
    slug_of = {rel: _stem(rel) if stems[_stem(rel)] == 1 else rel for rel in articles}
    for rel in articles:  # 'guide/index' says more than 'index', even when it is the only one
        if _stem(rel).casefold() in INDEX_NAMES:
            slug_of[rel] = rel
    by_slug = {slug_of[rel]: replace(a, slug=slug_of[rel]) for rel, a in articles.items()}
    topics: dict[str, Topic] = {}
    return by_slug, _rename(root, slug_of, topics), topics


def _stem(rel: str) -> str:
    return rel.rpartition("/")[2]


def _rename(topic: Topic, slug_of: dict[str, str], topics: dict[str, Topic]) -> Topic:
    renamed = replace(
        topic,
        topics=tuple(_rename(child, slug_of, topics) for child in topic.topics),
        articles=tuple(slug_of[rel] for rel in topic.articles),
    )
    topics[renamed.slug] = renamed
    return renamed
