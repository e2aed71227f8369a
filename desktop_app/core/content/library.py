"""The content library: articles and topics loaded from a folder of Markdown files.

Each folder is a topic (its ``_index.md`` gives title, summary and order); each ``*.md`` file
is an article, identified by its path below the root and keyed by its slug (``identity``: the
file stem where unique). A folder's ``index.md``, ``README.md`` or ``_index.md`` with a body is
its page, listed first. Problems are collected as diagnostics; a load never stops on one bad
file. Bodies are not kept in memory: ``Library.read_body`` reads them on demand.
"""

from __future__ import annotations

import hashlib
import logging
import stat
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desktop_app.core.content.bibliography import Bibliography, load_bibliography
from desktop_app.core.content.frontmatter import (
    FrontMatterError,
    body_of,
    split_front_matter,
    strip_broken_front_matter,
)
from desktop_app.core.content.identity import (
    SECTION_FILE,
    assign_slugs,
    is_index_page,
    is_markdown,
    rel_key,
)
from desktop_app.core.content.manifest import (
    Manifest,
    load_manifest,
    load_thesaurus,
)
from desktop_app.core.content.nav import Nav, first_heading, load_nav, title_from_name
from desktop_app.diagnostics import Diagnostic, error, warning

if TYPE_CHECKING:
    from desktop_app.core.content.resolve import LinkIndex

log = logging.getLogger(__name__)

INDEX_FILE = SECTION_FILE
MAX_ARTICLE_BYTES = 32 * 1024 * 1024
MAX_FOLDER_DEPTH = 32


@dataclass(frozen=True, slots=True)
class Article:
    """One article's metadata (the body is read on demand)."""

    slug: str
    title: str
    path: Path
    topic: str = ""
    summary: str = ""
    tags: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    related: tuple[str, ...] = ()
    order: float = 1e9
    body_line: int = 1
    fingerprint: str = ""


@dataclass(frozen=True, slots=True)
class Topic:
    """A folder of articles; ``slug`` is its path below the content root ('' for the root)."""

    slug: str
    title: str
    path: Path
    summary: str = ""
    order: float = 1e9
    topics: tuple[Topic, ...] = ()
    articles: tuple[str, ...] = ()

    def __str__(self) -> str:
        return "\n".join(self._dump(0))

    def _dump(self, depth: int) -> Iterator[str]:
        yield "  " * depth + f"[{self.title}]"
        for topic in self.topics:
            yield from topic._dump(depth + 1)
        for slug in self.articles:
            yield "  " * (depth + 1) + slug


@dataclass(frozen=True)
class Library:
    """Everything loaded from one content root. Immutable; diagnostics kept beside it."""

    root_dir: Path
    root: Topic
    articles: dict[str, Article]
    topics: dict[str, Topic]
    diagnostics: tuple[Diagnostic, ...] = ()
    bibliography: Bibliography = field(default_factory=Bibliography)
    thesaurus: tuple[tuple[str, ...], ...] = ()
    manifest: Manifest = field(default_factory=Manifest)

    def get(self, slug: str) -> Article | None:
        """Return the article with this slug (or this path below the root), or None."""
        found = self.articles.get(slug)
        if found is None and slug:
            key = self.links.find_path(slug)
            found = self.articles.get(key) if key else None
        return found

    @cached_property
    def links(self) -> LinkIndex:
        """The lookups that resolve links to this library's articles (built on first use)."""
        from desktop_app.core.content.resolve import LinkIndex

        return LinkIndex(self)

    def ordered_slugs(self, topic: Topic | None = None) -> list[str]:
        """Return the article slugs of a topic (default: all) in tree order."""
        out: list[str] = []

        def walk(node: Topic) -> None:
            out.extend(node.articles)
            for child in node.topics:
                walk(child)

        walk(topic or self.root)
        return out

    def topic_of(self, slug: str) -> Topic:
        """Return the topic an article belongs to."""
        article = self.articles[slug]
        return self.topics.get(article.topic, self.root)

    def topic_path(self, slug: str) -> str:
        """Return the human-readable topic path of an article, e.g. ``Techniques``."""
        article = self.articles.get(slug)
        if article is None or not article.topic:
            return ""
        parts = article.topic.split("/")
        titles = []
        for i in range(len(parts)):
            topic = self.topics.get("/".join(parts[: i + 1]))
            titles.append(topic.title if topic else parts[i])
        return " › ".join(titles)

    def read_body(self, slug: str) -> str:
        """Read an article's Markdown body (front matter removed). Raises OSError."""
        article = self.articles[slug]
        text = _decode(article.path.read_bytes())
        body = body_of(text)  # no YAML parse: the metadata was read when the library loaded
        return strip_broken_front_matter(text) if body is None else body


@dataclass
class _Loader:
    root_dir: Path
    diagnostics: list[Diagnostic] = field(default_factory=list)
    articles: dict[str, Article] = field(default_factory=dict)
    topics: dict[str, Topic] = field(default_factory=dict)
    nav: Nav = field(default_factory=dict)  # mkdocs.yml: order and titles

    def load_topic(self, folder: Path, slug: str, seen: set[tuple[int, int]]) -> Topic:
        meta: dict[str, Any] = {}
        if len(seen) > MAX_FOLDER_DEPTH:
            self.diagnostics.append(
                warning(folder, 0, f"folders nested more than {MAX_FOLDER_DEPTH} deep: skipped")
            )
            return Topic(slug=slug, title=folder.name, path=folder)
        index = folder / INDEX_FILE
        if index.is_file():
            meta = self._read_meta(index)
        subtopics: list[Topic] = []
        articles: list[Article] = []
        pages: list[Article] = []
        for entry in self._list(folder):
            if entry.is_dir():
                key = _inode(entry)
                if key is None or key in seen or entry.name.startswith("."):
                    if key in seen:
                        self.diagnostics.append(warning(entry, 0, "symlink loop: folder skipped"))
                    continue
                child_slug = f"{slug}/{entry.name}" if slug else entry.name
                subtopics.append(self.load_topic(entry, child_slug, seen | {key}))
            elif is_markdown(entry):
                is_page = is_index_page(entry)
                fallback = title_from_name(folder.name) if is_page and slug else ""
                article = self.load_article(entry, slug, fallback, section=entry.name == INDEX_FILE)
                if article is not None:
                    (pages if is_page else articles).append(article)
        subtopics = [t for t in subtopics if t.articles or t.topics]
        subtopics.sort(key=lambda t: (t.order, t.title.lower()))
        articles.sort(key=lambda a: (a.order, a.title.lower()))
        articles[:0] = pages  # a folder's own page comes first
        place, nav_title = self.nav.get(slug, (1e9, "")) if slug else (1e9, "")
        title = _text(meta.get("title")) or nav_title or title_from_name(folder.name)
        title = title if slug else "Contents"
        order = _number(meta.get("order", meta.get("weight", place)))  # Hugo: weight
        if order == 1e9 and self.nav:  # MkDocs: where the folder's first page is in the nav
            order = min(
                [a.order for a in articles + pages] + [t.order for t in subtopics] + [order]
            )
        topic = Topic(
            slug=slug,
            title=title,
            path=folder,
            summary=_text(meta.get("summary")),
            order=order,
            topics=tuple(subtopics),
            articles=tuple(a.slug for a in articles),  # identities until ``assign_slugs``
        )
        self.topics[slug] = topic
        return topic

    def _list(self, folder: Path) -> list[Path]:
        try:
            entries = sorted(folder.iterdir(), key=lambda p: p.name)
        except OSError as exc:
            self.diagnostics.append(error(folder, 0, f"cannot list folder: {exc.strerror}"))
            return []
        return [e for e in entries if not e.name.startswith(".") and self._valid_name(e)]

    def _valid_name(self, entry: Path) -> bool:
        """Refuse names that are not valid UTF-8: they cannot be shown, indexed or printed."""
        try:
            entry.name.encode("utf-8")
        except UnicodeEncodeError:
            shown = entry.name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
            self.diagnostics.append(
                error(entry.with_name(shown), 0, "file name is not valid UTF-8: skipped")
            )
            return False
        return True

    def _read_meta(self, path: Path) -> dict[str, Any]:
        text = self._read_text(path)
        if text is None:
            return {}
        try:
            return split_front_matter(text).meta
        except FrontMatterError as exc:
            self.diagnostics.append(error(path, exc.line, str(exc)))
            return {}

    def _read_text(self, path: Path) -> str | None:
        data = self._read_bytes(path)
        return None if data is None else self._decode(path, data)

    def _read_bytes(self, path: Path) -> bytes | None:
        try:
            info = path.stat()
            if not stat.S_ISREG(info.st_mode):
                self.diagnostics.append(error(path, 0, "not a regular file: skipped"))
                return None
            if info.st_size > MAX_ARTICLE_BYTES:
                self.diagnostics.append(
                    error(path, 0, f"file is larger than {MAX_ARTICLE_BYTES // 2**20} MiB: skipped")
                )
                return None
            data = path.read_bytes()
        except OSError as exc:
            self.diagnostics.append(error(path, 0, f"cannot read file: {exc.strerror or exc}"))
            return None
        if b"\x00" in data[:8192]:
            self.diagnostics.append(error(path, 0, "binary file, not Markdown: skipped"))
            return None
        return data

    def _decode(self, path: Path, data: bytes) -> str | None:
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = data.count(b"\n", 0, exc.start) + 1
            self.diagnostics.append(
                error(path, line, f"not valid UTF-8 (byte {exc.start}): skipped")
            )
            return None

    def load_article(
        self, path: Path, topic: str, fallback_title: str = "", *, section: bool = False
    ) -> Article | None:
        """Load one article under its identity; a ``section`` file only when it has a body."""
        data = self._read_bytes(path)
        text = None if data is None else self._decode(path, data)
        if data is None or text is None:
            return None
        key = rel_key(path, self.root_dir)
        if key in self.articles:  # 'a.md' and 'a.MD' side by side: both stay
            key = f"{key}{path.suffix}"
        if not text.strip() and not section:
            self.diagnostics.append(warning(path, 0, "empty file"))
        try:
            split = split_front_matter(text)
            meta, body, body_line = split.meta, split.body, split.body_line
        except FrontMatterError as exc:
            if not section:  # the topic's reading of the same file reported it already
                self.diagnostics.append(error(path, exc.line, str(exc)))
            meta, body, body_line = {}, strip_broken_front_matter(text), 1
        if section and not body.strip():
            return None  # Hugo section metadata only: the topic has it
        name = key.rpartition("/")[2]
        place, nav_title = self.nav.get(key, (1e9, ""))
        article = Article(
            slug=key,
            title=_text(meta.get("title"))
            or nav_title
            or first_heading(body)
            or fallback_title
            or title_from_name(name),
            path=path,
            topic=topic,
            summary=_text(meta.get("summary")),
            tags=self._strings(meta, "tags", path),
            aliases=self._strings(meta, "aliases", path),
            related=self._strings(meta, "related", path),
            order=_number(meta.get("order", meta.get("weight", place))),  # Hugo: weight
            body_line=body_line,
            fingerprint=hashlib.blake2b(data, digest_size=10).hexdigest(),
        )
        self.articles[key] = article
        return article

    def _strings(self, meta: dict[str, Any], key: str, path: Path) -> tuple[str, ...]:
        value = meta.get(key)
        if value is None:
            return ()
        if isinstance(value, str):
            value = [v.strip() for v in value.split(",")]
        if not isinstance(value, list):
            self.diagnostics.append(warning(path, 0, f"front matter '{key}' should be a list"))
            return ()
        out = (str(v).strip() for v in value if str(v).strip())
        return tuple(_unwikied(v) if key == "related" else v for v in out)


def load_library(root_dir: Path) -> Library:
    """Load every Markdown file below ``root_dir`` into a Library; never raises for bad files."""
    root_dir = Path(root_dir).resolve()
    loader = _Loader(root_dir)
    if not root_dir.is_dir():
        loader.diagnostics.append(error(root_dir, 0, "content folder does not exist"))
        root = Topic(slug="", title="Contents", path=root_dir)
        return Library(root_dir, root, {}, {"": root}, tuple(loader.diagnostics))
    key = _inode(root_dir)
    loader.nav = load_nav(root_dir, loader.diagnostics)
    root = loader.load_topic(root_dir, "", {key} if key else set())
    articles, root, topics = assign_slugs(loader.articles, root)
    manifest = load_manifest(root_dir, loader.diagnostics)
    bibliography, bib_diagnostics = load_bibliography(root_dir)
    thesaurus = load_thesaurus(root_dir, loader.diagnostics)
    diagnostics = tuple(loader.diagnostics) + tuple(bib_diagnostics)
    log.info("loaded %d articles, %d diagnostics", len(loader.articles), len(diagnostics))
    return Library(
        root_dir=root_dir,
        root=root,
        articles=articles,
        topics=topics,
        diagnostics=diagnostics,
        bibliography=bibliography,
        thesaurus=thesaurus,
        manifest=manifest,
    )


def _unwikied(value: str) -> str:
    """An Obsidian property written as a link (``"[[Other note|text]]"``) names that note."""
    if value.startswith("[[") and value.endswith("]]"):
        return value[2:-2].partition("|")[0].strip()
    return value


def _decode(data: bytes) -> str:
    return data.decode("utf-8", errors="replace")


def _text(value: Any) -> str:
    if value is None or isinstance(value, dict | list):
        return ""
    return " ".join(str(value).split())


def _number(value: Any) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return 1e9


def _inode(path: Path) -> tuple[int, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return (st.st_dev, st.st_ino)


__all__ = ["Article", "Library", "Manifest", "Topic", "load_library"]
