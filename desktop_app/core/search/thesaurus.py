"""Abbreviations and spelling variants: which query phrases mean the same thing."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from desktop_app.core.content import Library

_WORD = re.compile(r"\w+(?:['’]\w+)*")
# Abbreviations that are also ordinary words match only when typed in capitals ("WHO", not "who").
COMMON_WORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "can",
        "do",
        "for",
        "from",
        "has",
        "have",
        "if",
        "in",
        "is",
        "it",
        "may",
        "me",
        "met",
        "no",
        "not",
        "of",
        "on",
        "or",
        "so",
        "that",
        "the",
        "this",
        "to",
        "us",
        "was",
        "we",
        "what",
        "when",
        "where",
        "who",
        "will",
        "with",
        "art",
        "star",
        "pa",
        "sm",
        "iv",
        "pt",
        "am",
        "oh",
        "ok",
        "ma",
    ]
)


def words(text: str) -> tuple[str, ...]:
    """Split text into lowercase word tokens the way the index tokenizer does."""
    return tuple(w.lower() for w in _WORD.findall(text))


def raw_words(text: str) -> tuple[str, ...]:
    """Split text into word tokens, keeping their case."""
    return tuple(_WORD.findall(text))


class Thesaurus:
    """Maps a phrase (as a tuple of words) to the other phrases of its group."""

    def __init__(self, groups: Iterable[Iterable[str]]) -> None:
        self._groups: list[tuple[tuple[str, ...], ...]] = []
        self._index: dict[tuple[str, ...], list[int]] = {}
        self._caps_only: set[tuple[str, ...]] = set()
        for group in groups:
            for term in group:
                if term.isupper() and " ".join(words(term)) in COMMON_WORDS:
                    self._caps_only.add(words(term))
            phrases = tuple(dict.fromkeys(p for p in (words(term) for term in group) if p))
            if len(phrases) < 2:
                continue
            number = len(self._groups)
            self._groups.append(phrases)
            for phrase in phrases:
                self._index.setdefault(phrase, []).append(number)
        self.max_len = max((len(p) for p in self._index), default=1)

    def __len__(self) -> int:
        return len(self._groups)

    def _matches(self, chunk: tuple[str, ...], original: tuple[str, ...] | None) -> bool:
        if chunk not in self._index:
            return False
        if chunk in self._caps_only:
            return original is not None and all(w.isupper() for w in original)
        return True

    def known(self, phrase: tuple[str, ...], original: tuple[str, ...] | None = None) -> bool:
        """Return whether ``phrase`` (as typed: ``original``) is a thesaurus entry."""
        return self._matches(phrase, original)

    def alternatives(self, phrase: tuple[str, ...]) -> list[tuple[str, ...]]:
        """Return the other phrases that mean the same as ``phrase``."""
        out: dict[tuple[str, ...], None] = {}
        for number in self._index.get(phrase, ()):
            for other in self._groups[number]:
                if other != phrase:
                    out[other] = None
        return list(out)

    def segment(
        self, tokens: tuple[str, ...], original: tuple[str, ...] | None = None
    ) -> list[tuple[str, ...]]:
        """Split query tokens into concepts, longest thesaurus phrase first.

        ``original`` is the same tokens before lowercasing, for capital-only abbreviations.
        """
        out: list[tuple[str, ...]] = []
        i = 0
        while i < len(tokens):
            for size in range(min(self.max_len, len(tokens) - i), 0, -1):
                chunk = tokens[i : i + size]
                if size == 1 or self._matches(chunk, original[i : i + size] if original else None):
                    out.append(chunk)
                    i += size
                    break
        return out


_ABBREVIATION = re.compile(r"([A-Za-z][\w'’ -]{3,80}?)\s*\(([A-Z][A-Za-z0-9/-]{1,9})\)")


def abbreviation_groups(names: Iterable[str]) -> list[tuple[str, str]]:
    """Find "Expansion (ABBR)" pairs where the capitals spell the expansion's initials.

    "High-velocity low-amplitude (HVLA)" and "Cervical artery dissection (CAD)" qualify;
    "Neck pain (including whiplash)" does not.
    """
    groups: dict[tuple[str, str], None] = {}
    for name in names:
        if "(" not in name:  # most names: the pattern would try every starting letter in vain
            continue
        for match in _ABBREVIATION.finditer(name):
            abbreviation = match.group(2)
            letters = abbreviation.replace("/", "").replace("-", "").lower()
            tokens = [w for w in re.split(r"[\s-]+", match.group(1).strip()) if w]
            # Take as many trailing words of the expansion as the abbreviation has letters.
            expansion = tokens[-len(letters) :] if len(tokens) >= len(letters) else []
            initials = "".join(w[0].lower() for w in expansion)
            if expansion and initials == letters:
                groups[(" ".join(expansion), abbreviation)] = None
    return list(groups)


def initialism_groups(names: Iterable[str]) -> list[tuple[str, str]]:
    """Pair capitalised abbreviations with the phrases, among the same names, they abbreviate.

    Within one article's title and aliases, "SMT" pairs with "spinal manipulative therapy" and
    "LBP" with "low back pain": the initials must spell the abbreviation exactly.
    """
    names = list(names)
    abbreviations = [n for n in names if n.isupper() and n.isalpha() and 2 <= len(n) <= 6]
    if not abbreviations:
        return []  # most articles: no phrases to split
    phrases = {}
    for name in names:
        tokens = [w for w in re.split(r"[\s-]+", name.strip()) if w]
        if len(tokens) >= 2:
            phrases["".join(w[0].lower() for w in tokens)] = " ".join(tokens)
    return [(phrases[a.lower()], a) for a in abbreviations if a.lower() in phrases]


def library_thesaurus(library: Library) -> Thesaurus:
    """Return the thesaurus: curated groups plus abbreviations found in titles and aliases.

    ``thesaurus.yaml`` gives the curated groups; each article's title and aliases add "Expansion
    (ABBR)" pairs and capitalised aliases whose initials spell another alias ("SMT").
    """
    groups: list[tuple[str, ...]] = list(library.thesaurus)
    for article in library.articles.values():
        names = [article.title, *article.aliases]
        groups += abbreviation_groups(names)
        groups += initialism_groups(names)
    return Thesaurus(groups)


class ThesaurusCache:
    """The thesaurus of the last library seen, made again only when its names or file changed.

    Finding abbreviations in every title and alias takes a quarter of a second at 10,000 articles;
    an update of one article's text changes neither.
    """

    def __init__(self) -> None:
        self._key: Any = None
        self._thesaurus = Thesaurus([])

    def get(self, library: Library) -> Thesaurus:
        """Return the thesaurus of ``library``."""
        key = (library.thesaurus, [(a.title, a.aliases) for a in library.articles.values()])
        if key != self._key:
            self._thesaurus = library_thesaurus(library)
            self._key = key
        return self._thesaurus
