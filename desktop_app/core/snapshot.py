"""The start-up snapshot: the loaded library, its backlinks and the last article shown, in one file.

A start reads the snapshot instead of parsing every file's YAML front matter and rendering the
last article with python-markdown, so the window paints its article before either library is
imported. The snapshot is only trusted while the content is exactly as it was: its
``signature`` covers the name, size and modification time of every file below the content root,
the stylesheets and the code that renders, and the app version. Anything else (a changed file, a
corrupt or foreign snapshot, a different theme) means a normal load; nothing here ever raises for
a bad snapshot file, and a snapshot that cannot be written is simply not written.

The snapshot is JSON (never pickle: the cache folder is not trusted to run code).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import stat
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from desktop_app import __version__
from desktop_app.core.content import (
    MAX_FOLDER_DEPTH,
    Article,
    Bibliography,
    Library,
    Manifest,
    Reference,
    Topic,
)
from desktop_app.core.render import RenderedArticle, TocEntry
from desktop_app.diagnostics import Diagnostic, Severity
from desktop_app.paths import resources_dir

log = logging.getLogger(__name__)

FORMAT = 1
# A file changed this close to the signature may change again within its timestamp granularity
SETTLE_NS = 2_000_000_000  # without changing its size: such content is not snapshotted.
_CODE_DIR = Path(__file__).resolve().parent
# Everything a library load and a render run, relative to core/ (a change to any means a miss).
_CODE_FILES = (
    "content/bibliography.py",
    "content/frontmatter.py",
    "content/identity.py",
    "content/library.py",
    "content/links.py",
    "content/manifest.py",
    "content/nav.py",
    "content/resolve.py",
    "content/resources.py",
    "render/conventions.py",
    "render/embeds.py",
    "render/mdext.py",
    "render/render.py",
    "render/sanitise.py",
    "render/state.py",
    "snapshot.py",
)


@dataclass(frozen=True, slots=True)
class Signature:
    """What the content looked like: a digest, and the newest modification time seen."""

    digest: str
    newest_ns: int
    taken_ns: int

    @property
    def settled(self) -> bool:
        """True when no file changed just before the signature was taken."""
        return self.newest_ns < self.taken_ns - SETTLE_NS


@dataclass(frozen=True, slots=True)
class ShownArticle:
    """An article as the window last showed it, and the options it was rendered with."""

    rendered: RenderedArticle
    dark: bool
    referenced_by: tuple[str, ...]


@dataclass
class Snapshot:
    """A library with what was worked out about it; ``from_cache`` says where it came from."""

    library: Library
    signature: Signature
    backlinks: dict[str, list[str]] | None = None
    shown: ShownArticle | None = None
    from_cache: bool = False
    saved: dict[str, Any] = field(default_factory=dict, repr=False)

    def article(
        self, slug: str, *, dark: bool, referenced_by: Sequence[str] = ()
    ) -> RenderedArticle | None:
        """Return the snapshotted rendering of ``slug`` if it is what a render would give now.

        ``dark`` and ``referenced_by`` are what the caller would render with now.
        """
        shown = self.shown
        if shown is None or shown.rendered.slug != slug or shown.dark != dark:
            return None
        return shown.rendered if shown.referenced_by == tuple(referenced_by) else None


def content_signature(root: Path) -> Signature:
    """Return the signature of everything a library load and a render read below ``root``."""
    taken = time.time_ns()
    digest = hashlib.blake2b(digest_size=16)
    digest.update(f"{FORMAT}\0{__version__}\0{root}\n".encode())
    # Code and stylesheets count for the digest only: editing them never blocks a snapshot.
    for name in _CODE_FILES:
        _add_file(digest, f"code/{name}", _CODE_DIR / name)
    with contextlib.suppress(OSError):
        for css in sorted(resources_dir().glob("*.css")):
            _add_file(digest, f"resources/{css.name}", css)
    newest = _walk(digest, root, "", 0, set())
    return Signature(digest.hexdigest(), newest, taken)


def _add_file(digest: Any, name: str, path: Path) -> int:
    """Add a file's name, size, mtime and mode to ``digest``; return its mtime (0 if missing)."""
    try:
        info = path.stat()
    except OSError:
        digest.update(f"{name}\0missing\n".encode("utf-8", "surrogateescape"))
        return 0
    digest.update(
        f"{name}\0{info.st_size}\0{info.st_mtime_ns}\0{info.st_mode}\n".encode(
            "utf-8", "surrogateescape"
        )
    )
    return info.st_mtime_ns


def _walk(digest: Any, folder: Path, rel: str, depth: int, seen: set[tuple[int, int]]) -> int:
    """Add every visible file and folder below ``folder``; return the newest mtime seen."""
    newest = 0
    try:
        names = sorted(entry.name for entry in os.scandir(folder))
    except OSError as exc:
        digest.update(f"{rel}/\0unlistable {exc.errno}\n".encode("utf-8", "surrogateescape"))
        return 0
    for name in names:
        if name.startswith("."):  # the loader skips them too; editors' swap files live there
            continue
        path = folder / name
        child = f"{rel}/{name}"
        try:
            info = path.stat()
        except OSError:
            digest.update(f"{child}\0missing\n".encode("utf-8", "surrogateescape"))
            continue
        if stat.S_ISDIR(info.st_mode):
            key = (info.st_dev, info.st_ino)
            digest.update(f"{child}/\n".encode("utf-8", "surrogateescape"))
            if key not in seen and depth < MAX_FOLDER_DEPTH:
                newest = max(newest, _walk(digest, path, child, depth + 1, seen | {key}))
            continue
        newest = max(newest, _add_file(digest, child, path))
    return newest


def open_snapshot(path: Path, root: Path, load: Callable[[Path], Library]) -> Snapshot:
    """Return the snapshot at ``path`` if it is still true of ``root``, else load ``root`` anew.

    The content is signed once, before anything is read, for both.
    """
    root = Path(root).resolve()
    signature = content_signature(root)
    return load_snapshot(path, root, signature) or fresh_snapshot(root, load, signature)


def load_snapshot(path: Path, root: Path, signature: Signature | None = None) -> Snapshot | None:
    """Return the snapshot at ``path`` if it is one of ``root`` as it is now, else None."""
    root = Path(root).resolve()
    signature = signature or content_signature(root)
    try:
        data = json.loads(path.read_bytes())
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:  # unreadable or corrupt: a normal load replaces it
        log.info("start-up snapshot %s not used: %s", path, exc)
        return None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        return None
    if data.get("signature") != signature.digest or data.get("root") != str(root):
        return None
    try:
        snapshot = _snapshot_from_json(data, root, signature)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        log.info("start-up snapshot %s not used: malformed (%s)", path, exc)
        return None
    snapshot.saved = data
    return snapshot


def fresh_snapshot(
    root: Path, load: Callable[[Path], Library], signature: Signature | None = None
) -> Snapshot:
    """Load ``root`` with ``load(root)`` (a library loader), signed before it reads anything."""
    root = Path(root).resolve()
    return Snapshot(load(root), signature or content_signature(root))


def save_snapshot(path: Path, snapshot: Snapshot) -> bool:
    """Write ``snapshot`` atomically; return whether a file was written.

    Nothing is written when the content was still changing when it was signed, or when the file
    would say what it already says. Errors are logged, never raised.
    """
    if not snapshot.signature.settled:
        log.info("content changed moments before loading: start-up snapshot not saved")
        return False
    data = _snapshot_to_json(snapshot)
    if data == snapshot.saved:
        return False
    import tempfile  # only when saving, after the window is up

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".snapshot-", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                json.dump(data, out, ensure_ascii=False, separators=(",", ":"))
            Path(tmp).replace(path)
        except BaseException:
            with contextlib.suppress(OSError):
                Path(tmp).unlink()
            raise
    except OSError as exc:
        log.info("start-up snapshot not saved to %s: %s", path, exc)
        return False
    except (TypeError, ValueError) as exc:  # text that cannot be written (a lone surrogate)
        log.info("start-up snapshot not saved: %s", exc)
        return False
    snapshot.saved = data
    return True


# -- JSON ---------------------------------------------------------------------------------------
def _rel(path: Path, root: Path) -> str:
    try:
        return "./" + path.relative_to(root).as_posix()
    except ValueError:
        return str(path)


def _abs(text: str, root: Path) -> Path:
    return root / text[2:] if text.startswith("./") else Path(text)


def _snapshot_to_json(snapshot: Snapshot) -> dict[str, Any]:
    library = snapshot.library
    root = library.root_dir
    shown = snapshot.shown
    bib_path = library.bibliography.path
    return {
        "format": FORMAT,
        "root": str(root),
        "signature": snapshot.signature.digest,
        "library": {
            "root": _topic_to_json(library.root, root),
            "articles": [_article_to_json(a, root) for a in library.articles.values()],
            "diagnostics": [
                [_rel(d.path, root), d.line, d.severity.value, d.message]
                for d in library.diagnostics
            ],
            "bibliography": {
                "path": _rel(bib_path, root) if bib_path else None,
                "entries": [_fields(ref) for ref in library.bibliography.entries.values()],
            },
            "thesaurus": [list(group) for group in library.thesaurus],
            "manifest": _fields(library.manifest),
        },
        "backlinks": snapshot.backlinks,
        "shown": None
        if shown is None
        else {
            "dark": shown.dark,
            "referenced_by": list(shown.referenced_by),
            "rendered": {
                "slug": shown.rendered.slug,
                "title": shown.rendered.title,
                "html": shown.rendered.html,
                "body_html": shown.rendered.body_html,
                "toc": [[e.level, e.anchor, e.title] for e in shown.rendered.toc],
                "citations": list(shown.rendered.citations),
                "broken_links": list(shown.rendered.broken_links),
                "anchors": sorted(shown.rendered.anchors),
            },
        },
    }


def _fields(obj: Any) -> dict[str, Any]:
    return {f.name: getattr(obj, f.name) for f in fields(obj)}


def _article_to_json(article: Article, root: Path) -> dict[str, Any]:
    out = _fields(article)
    out["path"] = _rel(article.path, root)
    for name in ("tags", "aliases", "related"):
        out[name] = list(out[name])
    return out


def _topic_to_json(topic: Topic, root: Path) -> dict[str, Any]:
    return {
        "slug": topic.slug,
        "title": topic.title,
        "path": _rel(topic.path, root),
        "summary": topic.summary,
        "order": topic.order,
        "topics": [_topic_to_json(child, root) for child in topic.topics],
        "articles": list(topic.articles),
    }


def _snapshot_from_json(data: dict[str, Any], root: Path, signature: Signature) -> Snapshot:
    lib = data["library"]
    topics: dict[str, Topic] = {}
    root_topic = _topic_from_json(lib["root"], root, topics)
    articles = {}
    for item in lib["articles"]:
        article = Article(
            **{
                **item,
                "path": _abs(item["path"], root),
                "tags": tuple(item["tags"]),
                "aliases": tuple(item["aliases"]),
                "related": tuple(item["related"]),
            }
        )
        articles[article.slug] = article
    bib = lib["bibliography"]
    bibliography = Bibliography(
        {ref["key"]: Reference(**ref) for ref in bib["entries"]},
        _abs(bib["path"], root) if bib["path"] else None,
    )
    library = Library(
        root_dir=root,
        root=root_topic,
        articles=articles,
        topics=topics,
        diagnostics=tuple(
            Diagnostic(_abs(p, root), int(line), Severity(level), str(message))
            for p, line, level, message in lib["diagnostics"]
        ),
        bibliography=bibliography,
        thesaurus=tuple(tuple(str(term) for term in group) for group in lib["thesaurus"]),
        manifest=Manifest(**lib["manifest"]),
    )
    backlinks = data.get("backlinks")
    if backlinks is not None and not isinstance(backlinks, dict):
        raise TypeError("backlinks must be a mapping")
    return Snapshot(
        library, signature, backlinks, _shown_from_json(data.get("shown")), from_cache=True
    )


def _topic_from_json(item: dict[str, Any], root: Path, topics: dict[str, Topic]) -> Topic:
    topic = Topic(
        slug=item["slug"],
        title=item["title"],
        path=_abs(item["path"], root),
        summary=item["summary"],
        order=float(item["order"]),
        topics=tuple(_topic_from_json(child, root, topics) for child in item["topics"]),
        articles=tuple(item["articles"]),
    )
    topics[topic.slug] = topic
    return topic


def _shown_from_json(item: Any) -> ShownArticle | None:
    if item is None:
        return None
    r = item["rendered"]
    rendered = RenderedArticle(
        slug=r["slug"],
        title=r["title"],
        html=r["html"],
        body_html=r["body_html"],
        toc=tuple(TocEntry(int(level), anchor, title) for level, anchor, title in r["toc"]),
        citations=tuple(r["citations"]),
        broken_links=tuple(r["broken_links"]),
        anchors=frozenset(r["anchors"]),
    )
    return ShownArticle(rendered, bool(item["dark"]), tuple(item["referenced_by"]))
