"""What one Markdown conversion found: citations, links, removed HTML."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from desktop_app.core.content import APP_SCHEME


@dataclass
class RenderState:
    """What one conversion found: citations in order, links, broken targets."""

    slugs: frozenset[str]
    titles: Callable[[str], str]
    content_root: Path
    article_dir: Path
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

    def article_href(self, slug: str, anchor: str) -> str:
        """Return the app URL of an article (and anchor)."""
        href = f"{APP_SCHEME}:{quote(slug)}"
        return f"{href}#{quote(anchor)}" if anchor else href
