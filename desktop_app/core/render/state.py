"""What one Markdown conversion found: citations, links, removed HTML."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

from desktop_app.core.content import APP_SCHEME, anchor_key

if TYPE_CHECKING:
    from desktop_app.core.content import LinkIndex

_PLAIN_ID = re.compile(r"^[a-z0-9_-]*$")


@dataclass
class RenderState:
    """What one conversion found: citations in order, links, broken targets."""

    slugs: frozenset[str]
    titles: Callable[[str], str]
    content_root: Path
    article_dir: Path
    links: LinkIndex | None = None
    """Resolves targets as their authors meant (None: slugs only)."""
    slug: str = ""
    """The article being rendered ('' when unknown): a note never embeds itself."""
    citation_order: list[str] = field(default_factory=list)
    broken_links: list[str] = field(default_factory=list)
    blocked_resources: list[str] = field(default_factory=list)
    removed: list[tuple[str, str]] = field(default_factory=list)
    """Unsafe HTML taken out: (what was removed, text to find its line by)."""
    plain_text_reason: str = ""
    """Why the article is shown as plain text instead of rendered ('' when it is rendered)."""

    def cite(self, key: str) -> int:
        """Return the reference number of ``key``, numbering on first use."""
        if key not in self.citation_order:
            self.citation_order.append(key)
        return self.citation_order.index(key) + 1

    @property
    def from_dir(self) -> str:
        """The linking article's folder below the content root ('' at the root)."""
        try:
            rel = self.article_dir.relative_to(self.content_root).as_posix()
        except ValueError:
            return ""
        return "" if rel == "." else rel

    def find(self, raw: str, *, wiki: bool) -> str:
        """Return the slug a link target leads to ('' when broken or ambiguous)."""
        if self.links is None:
            return raw if raw in self.slugs else ""
        return self.links.resolve(raw, self.from_dir, wiki=wiki).slug

    def find_file(self, raw: str) -> Path | None:
        """Return the file (image, attachment) a target names, if it is in the content folder."""
        return None if self.links is None else self.links.find_file(raw, self.from_dir)

    def article_href(self, slug: str, anchor: str) -> str:
        """Return the app URL of an article (and anchor); heading text becomes its heading id."""
        href = f"{APP_SCHEME}:{quote(slug)}"
        if anchor and not anchor.startswith("^") and not _PLAIN_ID.match(anchor):
            anchor = anchor_key(anchor.rpartition("#")[2]) or anchor
        return f"{href}#{quote(anchor)}" if anchor else href
