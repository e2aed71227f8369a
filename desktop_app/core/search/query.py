"""Turn what the user typed into a Whoosh query plan.

Plain text becomes concepts (words, quoted phrases, or thesaurus phrases such as "low back pain");
each concept matches any of its synonyms in any field, with field boosts; the plan remembers the
concepts so results can be ranked by how many of them match. The last word can be completed as a
prefix (as you type), and unknown words get spelling corrections. Text with query syntax
(AND/OR/NOT, field:, wildcards, ~) goes to Whoosh's own parser; nothing here raises on odd input.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

from desktop_app.core.search import whoosh_import  # noqa: F401  (first: see its docstring)
from desktop_app.core.search.thesaurus import Thesaurus, raw_words, words

log = logging.getLogger(__name__)

TEXT_FIELDS = ("title", "aliases", "body")
SYNTAX_FIELDS = ("title", "aliases", "body", "tags")
TITLE_FIELDS = ("title", "aliases")
_OPERATORS = r"\b(?:AND|OR|NOT|ANDNOT|ANDMAYBE)\b"
_SYNTAX_RE = re.compile(_OPERATORS + r"|\w:\S|[*?~^()\[\]{}]")
_QUOTED_RE = re.compile(r'"([^"]*)"|(\S+)')
MAX_CONCEPTS = 12
# Whoosh's parser grows exponentially with chained binary operators ("a ANDMAYBE b ANDMAYBE
# c ..." at 400 characters takes a second, at 800 minutes): longer or busier syntax queries are
# searched as their words.
MAX_SYNTAX_CHARS = 256
MAX_OPERATORS = 8
_OPERATOR_RE = re.compile(_OPERATORS)
_NOT_A_WORD_RE = re.compile(r"[^\w\s\"]")
MAX_CORRECTABLE = 30  # longer "words" are not typos, and correction cost grows with length
# Question and comparison words that carry no topic ("is neck manipulation safe", "DO vs
# osteopath"); the index's own stop list already drops "is", "the" and the like. Capitalised
# abbreviations are kept ("WHO" guideline, a "DO").
QUERY_STOP_WORDS = frozenset(
    """versus vs how what why which when does do did can could should would my me i about
    between difference compared compare""".split()
)
MAX_EXPANSIONS = 6


@dataclass(frozen=True)
class Concept:
    """One unit of meaning in a query: its words and whether it was quoted."""

    words: tuple[str, ...]
    quoted: bool = False
    prefix: bool = False
    alternatives: tuple[tuple[str, ...], ...] = ()


@dataclass(frozen=True)
class ConceptQuery:
    """The query of one concept: any of its synonyms in any field."""

    anywhere: Any
    exact: bool = False
    groups: tuple[int, ...] = ()  # for each subquery of ``anywhere``: which synonym it is


@dataclass
class QueryPlan:
    """A built query plus what is needed to rank, correct and highlight it."""

    text: str
    query: Any
    concepts: list[ConceptQuery] = field(default_factory=list)
    body_terms: frozenset[str] = frozenset()
    corrections: dict[str, str] = field(default_factory=dict)
    builder: Any = None

    def with_corrections(self) -> QueryPlan:
        """Return the plan with corrected words added as alternatives."""
        plan: QueryPlan = self.builder.build(self.text, self.corrections)
        return plan

    def suggestion(self) -> str:
        """Return the query text with each misspelt word replaced by its correction."""
        out = self.text
        for wrong, right in self.corrections.items():
            out = re.sub(rf"(?i)\b{re.escape(wrong)}\b", right, out)
        return " ".join(out.split())


class Speller(Protocol):
    """Vocabulary look-ups for a query (``SearchIndex`` provides one per searcher)."""

    def word(self, word: str, maxdist: int) -> str | None:
        """Return the best known word within ``maxdist`` edits, or None."""

    def stem(self, stem: str, maxdist: int) -> str | None:
        """Return the best indexed stem within ``maxdist`` edits, or None."""

    def complete(self, prefix: str, count: int) -> tuple[str, ...]:
        """Return the ``count`` commonest words starting with ``prefix``."""


class _Builder:
    def __init__(
        self,
        searcher: Any,
        thesaurus: Thesaurus,
        boosts: dict[str, float],
        as_you_type: bool,
        speller: Speller,
    ) -> None:
        self.speller = speller
        self.searcher = searcher
        self.schema = searcher.schema
        self.thesaurus = thesaurus
        self.boosts = boosts
        self.as_you_type = as_you_type

    # -- plain queries ------------------------------------------------------------------
    def build(self, text: str, corrections: dict[str, str] | None = None) -> QueryPlan | None:
        from whoosh.query import Or

        concepts = self._concepts(text)[:MAX_CONCEPTS]
        found_corrections: dict[str, str] = {}
        parts = []
        for concept in concepts:
            alts = list(concept.alternatives)
            if corrections and len(concept.words) == 1 and concept.words[0] in corrections:
                alts.append((corrections[concept.words[0]],))
            elif corrections is None:
                fix = self._correction(concept)
                if fix:
                    found_corrections[concept.words[0]] = fix
            built = self._concept_query(concept, alts)
            if built is not None:
                parts.append(built)
        if not parts and not found_corrections:
            return None
        anywhere = [p.anywhere for p in parts]
        query = Or(anywhere) if len(anywhere) != 1 else anywhere[0]
        return QueryPlan(text, query, parts, self._body_terms(query), found_corrections, self)

    def _concepts(self, text: str) -> list[Concept]:
        trailing_space = text[-1:].isspace()
        chunks: list[tuple[tuple[str, ...], bool]] = []
        pending: list[str] = []
        originals: dict[int, tuple[str, ...]] = {}
        for quoted, bare in _QUOTED_RE.findall(
            text.replace('"', ' " ') if text.count('"') % 2 else text
        ):
            if quoted:
                if pending:
                    originals[len(chunks)] = tuple(pending)
                    chunks.append((tuple(w.lower() for w in pending), False))
                    pending = []
                phrase = words(quoted)
                if phrase:
                    chunks.append((phrase, True))
            else:
                pending.extend(raw_words(bare))
        if pending:
            originals[len(chunks)] = tuple(pending)
            chunks.append((tuple(w.lower() for w in pending), False))
        concepts: list[Concept] = []
        for number, (tokens, quoted) in enumerate(chunks):
            if quoted:
                concepts.append(Concept(tokens, quoted=True))
                continue
            original = originals.get(number, tokens)
            kept = [
                i
                for i, word in enumerate(tokens)
                if not (word in QUERY_STOP_WORDS and not original[i].isupper())
            ]
            if kept and len(kept) < len(tokens):
                tokens = tuple(tokens[i] for i in kept)
                original = tuple(original[i] for i in kept)
            for segment in self.thesaurus.segment(tokens, original):
                concepts.append(
                    Concept(segment, alternatives=tuple(self.thesaurus.alternatives(segment)))
                )
        if (
            self.as_you_type
            and concepts
            and not trailing_space
            and not text.rstrip().endswith('"')
            and not concepts[-1].quoted
            and len(concepts[-1].words) == 1
        ):
            last = concepts[-1]
            expansions = self._expand(last.words[0])
            concepts[-1] = replace(
                last,
                prefix=True,
                alternatives=last.alternatives
                + tuple((w,) for w in expansions if w != last.words[0]),
            )
        return concepts

    def _expand(self, prefix: str) -> list[str]:
        if len(prefix) < 2:
            return []
        # Two letters say little: complete them only to the very commonest words.
        count = 2 if len(prefix) == 2 else MAX_EXPANSIONS
        return list(self.speller.complete(prefix, count))

    def _correction(self, concept: Concept) -> str | None:
        if concept.quoted or len(concept.words) != 1:
            return None
        word = concept.words[0]
        if not 4 <= len(word) <= MAX_CORRECTABLE or not word.isalpha():
            return None
        reader = self.searcher.reader()
        if reader.doc_frequency("words", word) > 0:
            return None
        if concept.prefix and len(concept.alternatives) > 0:
            return None
        maxdist = 1 if len(word) <= 5 else 2
        return self.speller.word(word, maxdist) or self._stem_correction(word, maxdist)

    def _stem_correction(self, word: str, maxdist: int) -> str | None:
        """Correct through stems.

        "neuropysiology" is near the stem "neurophysiolog", whose commonest indexed word is
        "neurophysiological".
        """
        stems = [t.text for t in self.schema["body"].analyzer(word)]
        if len(stems) != 1 or len(stems[0]) < 4:
            return None
        best = self.speller.stem(stems[0], maxdist)
        if best is None:
            return None
        words = self._expand(best)
        return words[0] if words else None

    def _concept_query(self, concept: Concept, alts: list[tuple[str, ...]]) -> ConceptQuery | None:
        from whoosh.query import Or

        subs = []
        groups: list[int] = []
        seen: set[str] = set()
        for number, phrase in enumerate([concept.words, *alts]):
            weight = 1.0 if number == 0 else 0.8
            for name in TEXT_FIELDS:
                sub = self._field_query(name, phrase, self.boosts.get(name, 1.0) * weight)
                key = _key(sub)
                if sub is None or key in seen:
                    continue  # expansions often share a stem: one query per distinct term
                seen.add(key)
                subs.append(sub)
                groups.append(number)
            tag_text = " ".join(phrase)
            if self.searcher.reader().doc_frequency("tags", tag_text):
                subs.append(self._term("tags", tag_text, self.boosts.get("tags", 1.0) * weight))
                groups.append(number)
        if not subs:
            return None
        anywhere = subs[0] if len(subs) == 1 else Or(subs)
        return ConceptQuery(anywhere, exact=concept.quoted, groups=tuple(groups))

    def _field_query(self, name: str, phrase: tuple[str, ...], boost: float) -> Any:
        from whoosh.query import Phrase, Term

        analyzer = self.schema[name].analyzer
        tokens = [t.text for t in analyzer(" ".join(phrase))]
        if not tokens:
            return None
        # A term absent from the field can only cost time (each one is a posting lookup).
        reader = self.searcher.reader()
        if any(reader.doc_frequency(name, token) == 0 for token in tokens):
            return None
        if len(tokens) == 1:
            return Term(name, tokens[0], boost=boost)
        return Phrase(name, tokens, boost=boost)

    def _term(self, name: str, text: str, boost: float) -> Any:
        from whoosh.query import Term

        return Term(name, text, boost=boost) if text else None

    @staticmethod
    def _body_terms(query: Any) -> frozenset[str]:
        out = set()
        for fieldname, text in query.iter_all_terms():
            if fieldname == "body":
                out.add(text.decode("utf-8") if isinstance(text, bytes) else str(text))
        return frozenset(out)

    # -- query syntax -------------------------------------------------------------------
    def parse_syntax(self, text: str) -> QueryPlan | None:
        from whoosh.qparser import FieldAliasPlugin, FuzzyTermPlugin, MultifieldParser, OrGroup
        from whoosh.query import NullQuery

        parser = MultifieldParser(
            list(SYNTAX_FIELDS),
            _public_schema(self.schema),
            fieldboosts=self.boosts,
            group=OrGroup.factory(0.9),
        )
        parser.add_plugin(FuzzyTermPlugin())
        parser.add_plugin(FieldAliasPlugin({"tags": ["tag"], "body": ["text", "headings"]}))
        try:
            query = parser.parse(text)
        except Exception as exc:
            log.debug("query %r not parsed (%s); searching its words", text, exc)
            return self.build(_NOT_A_WORD_RE.sub(" ", text))
        if query is None or query is NullQuery or _too_broad(query):
            return self.build(_NOT_A_WORD_RE.sub(" ", text))
        return QueryPlan(text, query, [], self._body_terms(query), {}, self)


def _public_schema(schema: Any) -> Any:
    """Return the schema users may name in queries, without the internal fields.

    A phrase on "words" (no positions) would make Whoosh raise; a field name it does not know is
    searched as a word.
    """
    public = schema.copy()
    for name in list(public.names()):
        if name not in SYNTAX_FIELDS:
            public.remove(name)
    return public


def _key(query: Any) -> str:
    """Identify a Term or Phrase by field and words, ignoring its boost."""
    if query is None:
        return ""
    words = getattr(query, "words", None) or [getattr(query, "text", "")]
    return f"{query.fieldname}:{' '.join(str(w) for w in words)}"


def _too_broad(query: Any) -> bool:
    """True for wildcard or prefix terms with fewer than 2 literal characters."""
    from whoosh.query import Every, Prefix, Wildcard

    for sub in query.leaves() if hasattr(query, "leaves") else [query]:
        if isinstance(sub, Every):
            return True
        if isinstance(sub, Prefix | Wildcard):
            literal = re.sub(r"[*?]", "", str(sub.text))
            if len(literal) < 2:
                return True
    return False


def build_plan(
    text: str,
    searcher: Any,
    thesaurus: Thesaurus,
    boosts: dict[str, float],
    *,
    speller: Speller,
    as_you_type: bool = False,
) -> QueryPlan | None:
    """Build the plan for ``text``; None when nothing searchable is left (e.g. only stop words).

    ``speller`` completes prefixes and corrects words from the index vocabulary.
    """
    builder = _Builder(searcher, thesaurus, boosts, as_you_type, speller)
    text = text.replace("\x00", " ")
    if not text.strip():
        return None
    try:
        if _SYNTAX_RE.search(text):
            if len(text) <= MAX_SYNTAX_CHARS and len(_OPERATOR_RE.findall(text)) <= MAX_OPERATORS:
                return builder.parse_syntax(text)
            text = _NOT_A_WORD_RE.sub(" ", _OPERATOR_RE.sub(" ", text))
        return builder.build(text)
    except RecursionError:
        return builder.build(" ".join(words(text)[:MAX_CONCEPTS]))
