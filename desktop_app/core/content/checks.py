"""Content checks beyond loading: links, anchors, citations, orphans, figures, bibliography.

``check_library`` has every article rendered once (by the inspector it is given) to learn its
anchors, so it is for the ``check`` command and tests, not for start-up.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from desktop_app.core.content.library import Article, Library
from desktop_app.core.content.linkcheck import (
    WARNINGS,
    hook_link,
    link_problems,
    may_be_hook_link,
)
from desktop_app.core.content.links import find_citations
from desktop_app.diagnostics import Diagnostic, error, warning


@dataclass(frozen=True, slots=True)
class PageFacts:
    """What rendering an article tells the checks: its anchors and what the renderer removed."""

    anchors: frozenset[str]
    removed: tuple[tuple[str, str], ...] = ()
    """Unsafe HTML taken out: (what was removed, text to find its line by)."""
    plain_text_reason: str = ""


PageInspector = Callable[[Library, str, Path], PageFacts]
"""Renders an article body (library, body, article folder) and reports its facts.

The content room does not render; the render room passes its inspector in
(``desktop_app.core.render.check_content``).
"""

MIN_CITATIONS = 2
FIGURE_SUFFIXES = (".svg", ".png", ".jpg", ".jpeg", ".gif")
# Words that tell a reader a fact was not checked: an edition is not finished while any remain.
HEDGES = re.compile(
    r"\b(not (?:been )?confirmed|unconfirmed|unverified|not (?:been )?verified|"
    r"confirm(?:ed)? before (?:print|publication)|could not (?:be )?(?:confirm|verif)\w*|"
    r"verify before|to be confirmed|TBC)\b",
    re.I,
)


def check_library(
    library: Library, inspect: PageInspector, *, editorial: bool | None = None
) -> list[Diagnostic]:
    """Return every problem in the library: load diagnostics plus cross-article checks.

    ``editorial`` applies a finished edition's bar (hedges, identifiers, open notes); by default
    it follows ``editorial_checks`` in ``atlas.yaml``.
    """
    if editorial is None:
        editorial = library.manifest.editorial
    out = list(library.diagnostics)
    bodies: dict[str, str] = {}
    anchors: dict[str, set[str]] = {}
    for slug, article in library.articles.items():
        try:
            bodies[slug] = library.read_body(slug)
        except OSError as exc:
            out.append(error(article.path, 0, f"cannot read file: {exc.strerror or exc}"))
            continue
        facts = inspect(library, bodies[slug], article.path.parent)
        anchors[slug] = set(facts.anchors)
        out.extend(_render_problems(article, bodies[slug], facts))
    linked_from: Counter[str] = Counter()
    used_images: set[Path] = set()
    cited: set[str] = set()
    hook_misses: list[tuple[Path, int, str]] = []  # known only once every link is resolved
    for slug, body in bodies.items():
        article = library.articles[slug]
        first = article.body_line
        for line, dest, message in link_problems(library, slug, body, anchors, used_images):
            if may_be_hook_link(message):
                hook_misses.append((article.path, line, message))
            elif message:
                out.append(_severity(message)(article.path, line, message))
            elif dest and dest != slug:
                linked_from[dest] += 1
        keys = find_citations(body, first)
        for line, key in keys:
            if key not in library.bibliography:
                out.append(error(article.path, line, f"unknown citation key '@{key}'"))
            cited.add(key)
        for related in article.related:
            if not library.links.resolve(related, wiki=True).slug:
                out.append(error(article.path, 0, f"related article '{related}' does not exist"))
        if library.manifest.is_reference:
            out.extend(_reference_checks(library, slug, {k for _, k in keys}))
            if editorial:
                out.extend(_hedges(article.path, body, first))
    for path, line, message in hook_misses:
        hooked = hook_link(library, message)
        out.append(warning(path, line, hooked) if hooked else error(path, line, message))
    if library.manifest.is_reference:
        out.extend(_corpus_checks(library, linked_from, used_images, cited))
        if editorial:
            out.extend(_bibliography_bar(library))
    return out


def _severity(message: str) -> Callable[[Path, int, str], Diagnostic]:
    return warning if message.startswith(WARNINGS) else error


def _render_problems(article: Article, body: str, state: PageFacts) -> list[Diagnostic]:
    """Warn about unsafe HTML the renderer removed and articles it could only show as text."""
    out = [
        warning(article.path, _line_of(body, needle, article.body_line), what)
        for what, needle in state.removed
    ]
    if state.plain_text_reason:
        out.append(warning(article.path, 0, state.plain_text_reason))
    return out


def _line_of(body: str, needle: str, first_line: int) -> int:
    """Return the file line where ``needle`` first appears in ``body`` (0 if it does not)."""
    at = body.lower().find(needle.lower()) if needle else -1
    return first_line + body.count("\n", 0, at) if at >= 0 else 0


def _reference_checks(library: Library, slug: str, keys: set[str]) -> list[Diagnostic]:
    article = library.articles[slug]
    out = []
    if not article.summary:
        out.append(error(article.path, 1, "front matter has no 'summary'"))
    resolved = {k for k in keys if k in library.bibliography}
    if len(resolved) < MIN_CITATIONS:
        out.append(
            error(
                article.path,
                1,
                f"cites {len(resolved)} reference(s); at least {MIN_CITATIONS} needed",
            )
        )
    return out


def _bibliography_bar(library: Library) -> list[Diagnostic]:
    """Warn about references a reader cannot find, open notes and hedges in what is shown."""
    bib = library.bibliography
    out: list[Diagnostic] = []
    if bib.path is None:
        return out
    for key, ref in bib.entries.items():
        if not ref.has_identifier:
            out.append(
                warning(
                    bib.path,
                    ref.line,
                    f"reference '{key}' has no identifier (doi, pmid, pmcid, isbn or url)",
                )
            )
        if ref.note:
            out.append(warning(bib.path, ref.line, f"reference '{key}' has an open note"))
        shown = " ".join((ref.authors, ref.title, ref.container, ref.details))
        for match in HEDGES.finditer(shown):
            out.append(warning(bib.path, ref.line, f"reference '{key}' says {match.group(0)!r}"))
    return out


def _hedges(path: Path, text: str, first_line: int) -> list[Diagnostic]:
    """Warn about each phrase that tells the reader a fact is unchecked."""
    return [
        warning(
            path,
            first_line + text.count("\n", 0, match.start()),
            f"reader-facing hedge {match.group(0)!r}: verify the fact and state it with its source",
        )
        for match in HEDGES.finditer(text)
    ]


def _corpus_checks(
    library: Library, linked_from: Counter[str], used_images: set[Path], cited: set[str]
) -> list[Diagnostic]:
    out = []
    for slug, article in library.articles.items():
        if not linked_from[slug]:
            out.append(warning(article.path, 1, f"orphan: no other article links to '{slug}'"))
    owners: dict[str, str] = {}
    for slug, article in library.articles.items():
        for alias in {a.lower() for a in article.aliases}:
            if alias in owners and owners[alias] != slug:
                out.append(
                    warning(
                        article.path, 1, f"alias '{alias}' is also an alias of '{owners[alias]}'"
                    )
                )
            owners.setdefault(alias, slug)
    bib = library.bibliography
    if bib.path is not None:
        for key, ref in bib.entries.items():
            if key not in cited:
                out.append(warning(bib.path, ref.line, f"reference '{key}' is never cited"))
    for image in sorted(library.root_dir.rglob("*")):
        if image.suffix.lower() in FIGURE_SUFFIXES and image.resolve() not in used_images:
            out.append(warning(image, 0, "figure is not used by any article"))
    return out
