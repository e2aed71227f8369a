"""Link targets to articles, as the authors of other collections meant them.

A target is tried, in order, as: an article's slug; its path below the content root
(site-absolute ``/section/page/`` too, and a folder for the folder's page); a path relative to
the linking file (``../other.md``); a unique file name, case-insensitive (``[[Formulas]]``), or a
unique path ending (``[[guides/setup]]``); a unique title or alias. Markdown links try the
linking file's folder before the root, as MkDocs and GitHub do; wiki links the root first, as
Obsidian does. A name shared by several pages is ambiguous: no guess is made, the candidates
are reported. Anchors match heading ids, or heading text in any case (``#Some heading``).
"""

from __future__ import annotations

import os
import posixpath
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from desktop_app.core.content.identity import INDEX_NAMES, folder_of, nfc, rel_key

if TYPE_CHECKING:
    from desktop_app.core.content.library import Library
    from desktop_app.core.content.links import Link

_PAGE_SUFFIXES = (".md", ".html", ".htm")
_ANCHOR_DROP = re.compile(r"[^\w\s-]")
_ANCHOR_JOIN = re.compile(r"[-\s]+")
MAX_FILES_BY_NAME = 200_000
_REPEAT = re.compile(r"[-_](\d+)$")
_BARE_WORD = re.compile(r"^[A-Za-z][\w-]{0,30}$")
_EMPHASIS = re.compile(r"[_*`]")


@dataclass(frozen=True, slots=True)
class Resolved:
    """Where a link leads: an article's slug, or '' with the candidates when it is ambiguous."""

    slug: str = ""
    candidates: tuple[str, ...] = ()


NOT_FOUND = Resolved()


def anchor_key(text: str) -> str:
    """Return the heading id python-markdown gives ``text`` (ids and heading text compare equal).

    GitHub's ids (``a--b``) and Obsidian's heading text (``#Some heading``) map to the same key.
    """
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return _ANCHOR_JOIN.sub("-", _ANCHOR_DROP.sub("", text).strip().lower()).strip("-")


def has_anchor(anchor: str, ids: frozenset[str] | set[str], body: str = "") -> bool:
    """Whether ``anchor`` names one of ``ids`` (a heading id or its text) or a block ``^id``."""
    if anchor in ids:
        return True
    if anchor.startswith("^"):  # Obsidian block reference: '... ^id' ends a paragraph
        return re.search(rf"\^{re.escape(anchor[1:])}\s*$", body, re.M) is not None
    anchor = anchor.rpartition("#")[2]  # Obsidian nested headings: #Heading#Subheading
    key = _numbered(anchor_key(anchor))
    return bool(key) and any(_numbered(anchor_key(i)) == key for i in ids)


def _numbered(key: str) -> str:
    """A repeated heading's id: python-markdown writes ``name_1``, GitHub and Hugo ``name-1``."""
    return _REPEAT.sub(r"_\1", key)


class LinkIndex:
    """The lookups of one library: paths, file names, titles and aliases to slugs."""

    def __init__(self, library: Library) -> None:
        self.library = library
        self.hook_targets: set[str] = set()  # bare words that ``by_link_text`` turned into pages
        self.rel_of: dict[str, str] = {}
        self._by_path: dict[str, str] = {}
        self._by_path_folded: dict[str, list[str]] = defaultdict(list)
        self._by_name: dict[str, list[str]] = defaultdict(list)
        self._by_title: dict[str, list[str]] = defaultdict(list)
        self._files: dict[str, list[Path]] | None = None
        for slug, article in library.articles.items():
            rel = rel_key(article.path, library.root_dir)
            self.rel_of[slug] = rel
            keys = [rel]
            name = rel.rpartition("/")[2]
            if name.casefold() in INDEX_NAMES:
                keys.append(folder_of(rel))  # the folder's page
            for key in keys:
                self._by_path.setdefault(key, slug)
                self._by_path_folded[key.casefold()].append(slug)
            self._by_name[name.casefold()].append(slug)
            for title in {article.title.casefold(), *(a.casefold() for a in article.aliases)}:
                self._by_title[title].append(slug)

    # -- articles -------------------------------------------------------------------------
    def find_path(self, path: str) -> str:
        """Return the slug of the article at ``path`` below the root ('' if none)."""
        return self._path(_clean(path))

    def resolve(self, raw: str, from_dir: str = "", *, wiki: bool = False) -> Resolved:
        """Resolve a link target written in the article in folder ``from_dir`` (see module)."""
        raw = nfc(raw.strip().replace("\\", "/"))
        if not raw:
            return NOT_FOUND
        path = _clean(raw)
        if not wiki and from_dir and not raw.startswith("/"):  # 'index.md' beside the file
            slug = self._path(_join(from_dir, path))
            if slug:
                return Resolved(slug)
        if raw in self.library.articles:
            return Resolved(raw)
        if raw.startswith("/"):
            tries = [path]
        else:
            here = _join(from_dir, path)
            tries = [path, here] if wiki else [here, path]
        for candidate in tries:
            slug = self._path(candidate)
            if slug:
                return Resolved(slug)
        found = self._by_ending(path.lstrip("./") if path.startswith(".") else path)
        if found.slug or found.candidates:
            return found
        if not wiki:  # a folder without a page of its own (Hugo's generated section list)
            return Resolved(next(filter(None, map(self._folder_start, tries)), ""))
        return _one(self._by_title.get(raw.casefold(), []))

    def by_link_text(self, raw: str, text: str) -> str:
        """The page a site's link hook makes of a bare word and the link's text ('' for none).

        The Hugo docs write ``[_template action_](g)``: their render hook links the glossary
        page titled like the text (or its singular). A target that is a bare word naming
        nothing here, with text that is exactly one page's title or name (a glossary's first),
        leads to that page.
        """
        if not _BARE_WORD.match(raw) or self.resolve(raw).slug:
            return ""
        words = " ".join(_EMPHASIS.sub("", text).split()).casefold()
        plural = words.endswith("s")
        for form in (words, words[:-3] + "y" if words.endswith("ies") else "", words[:-1] * plural):
            for table in (self._by_title, self._by_name):
                found = table.get(form, []) or table.get(form.replace(" ", "-"), [])
                glossary = [s for s in found if "glossary/" in self.rel_of[s].casefold()]
                one = _one(glossary or found)
                if form and one.slug:
                    self.hook_targets.add(raw.casefold())
                    return one.slug
        return ""

    def _folder_start(self, path: str) -> str:
        """The first page, in reading order, of the folder at ``path`` ('' if none)."""
        topic = self.library.topics.get(path)
        if topic is None or not path:
            return ""
        return next(iter(self.library.ordered_slugs(topic)), "")

    def link_slug(self, source: str, link: Link) -> str:
        """Return the slug a link in article ``source`` leads to ('' when broken or ambiguous)."""
        return self.resolve(link.target.slug, self.folder_of(source), wiki=link.wiki).slug

    def folder_of(self, slug: str) -> str:
        """Return the folder (below the root) of an article's file."""
        return folder_of(self.rel_of.get(slug, ""))

    def _path(self, path: str) -> str:
        if path in self._by_path:
            return self._by_path[path]
        found = self._by_path_folded.get(path.casefold(), [])
        return found[0] if len(found) == 1 else ""

    def _by_ending(self, path: str) -> Resolved:
        path = path.strip("/")
        if not path or path.startswith("../"):
            path = path.rpartition("../")[2]
        if not path:
            return NOT_FOUND
        head, _, name = path.rpartition("/")
        found = self._by_name.get(name.casefold(), [])
        if head and found:
            ending = "/" + path.casefold()
            found = [s for s in found if ("/" + self.rel_of[s].casefold()).endswith(ending)]
        return _one(found)

    # -- files (images and attachments) ---------------------------------------------------
    def find_file(self, raw: str, from_dir: str = "") -> Path | None:
        """Find a non-Markdown file: relative to the article, below the root, or by unique name."""
        from urllib.parse import unquote

        root = self.library.root_dir
        raw = unquote(raw.strip().replace("\\", "/"))
        for base in (root / from_dir, root):
            candidate = _inside(base / raw.lstrip("/"), root)
            if candidate is not None:
                return candidate
        if self._files is None:
            self._files = _files_by_name(root)
        found = self._files.get(raw.rpartition("/")[2].casefold(), [])
        return found[0] if len(found) == 1 else None


def _one(found: list[str]) -> Resolved:
    unique = sorted(set(found))
    if len(unique) == 1:
        return Resolved(unique[0])
    return Resolved("", tuple(unique)) if unique else NOT_FOUND


def _clean(raw: str) -> str:
    """Drop a leading/trailing slash and a page suffix: ``/a/b.md`` → ``a/b``."""
    path = raw.strip("/")
    lower = path.lower()
    for suffix in _PAGE_SUFFIXES:
        if lower.endswith(suffix):
            path = path[: -len(suffix)]
            break
    if path.endswith("/index") and raw.lower().endswith((".html", ".htm")):
        path = path[: -len("/index")]
    return path


def _join(folder: str, path: str) -> str:
    joined = posixpath.normpath(posixpath.join(folder, path)) if folder or ".." in path else path
    return "" if joined == "." else joined.lstrip("/")


def _inside(path: Path, root: Path) -> Path | None:
    try:
        resolved = path.resolve()
        resolved.relative_to(root)
    except (ValueError, OSError, RuntimeError):
        return None
    return resolved if resolved.is_file() else None


def _files_by_name(root: Path) -> dict[str, list[Path]]:
    """Every visible non-Markdown file below ``root`` by its casefolded name."""
    out: dict[str, list[Path]] = defaultdict(list)
    count = 0
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in files:
            if not name.startswith(".") and not name.lower().endswith(".md"):
                out[nfc(name).casefold()].append(Path(folder, name))
                count += 1
        if count > MAX_FILES_BY_NAME:
            break
    return out
