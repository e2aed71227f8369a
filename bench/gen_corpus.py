"""Generate a large synthetic corpus in the app's content format, for search benchmarks.

``python bench/gen_corpus.py OUT_DIR --articles N --seed 7`` writes N articles into topic folders
(each with an ``_index.md``), with front matter (title, summary, tags, aliases, order) and a body of
paragraphs, ``##``/``###`` headings, bullet lists, a key-points callout and ``[[links]]`` to other
generated articles. Body lengths are log-uniform between 300 and 3,000 words.

The vocabulary is every word of the bundled content (``content/**/*.md``) plus 10,000 generated
medical-looking compounds (``spondylomalacia``, ``radiculoplasty``...), ranked (content words by
frequency, compounds spread over the ranks below the 800 commonest words) and sampled with a Zipf
law (weight 1/rank^1.1); titles and headings use the less common words. The output depends only on
the seed, N and the bundled content; the bundled ``thesaurus.yaml`` is copied so queries expand as
they do on the real content.
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import math
import random
import re
import shutil
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CONTENT = ROOT / "content"
MARKER = ".gen_corpus.json"
ZIPF_EXPONENT = 1.1
COMPOUNDS = 10_000
MIN_WORDS, MAX_WORDS = 300, 3000
COMPOUND_FROM_RANK = 800
KEYWORD_FROM_RANK = 150
KEYWORD_OFFSET = 30

_PREFIXES = (
    "spondyl",
    "arthr",
    "oste",
    "chondr",
    "myel",
    "radicul",
    "neur",
    "cervic",
    "lumb",
    "thorac",
    "sacr",
    "cost",
    "vertebr",
    "disc",
    "fasci",
    "ligament",
    "kyph",
    "lord",
    "scoli",
    "ankyl",
    "synov",
    "capsul",
    "tend",
    "my",
    "fibr",
    "articul",
    "proprio",
    "noci",
    "interverte",
    "paraspin",
    "retro",
    "hyper",
    "hypo",
    "peri",
    "intra",
    "neuro",
    "musculo",
    "electro",
    "angi",
    "vas",
)
_LINKS = ("o", "i", "", "a")
_MIDDLES = ("", "", "", "dyn", "path", "genic", "trop", "stat", "lys", "kin", "plas", "scler")
_SUFFIXES = (
    "itis",
    "osis",
    "algia",
    "pathy",
    "ectomy",
    "plasty",
    "otomy",
    "ogram",
    "graphy",
    "desis",
    "lysis",
    "malacia",
    "oid",
    "ic",
    "al",
    "ous",
    "ia",
    "ism",
    "genesis",
    "trophy",
    "tonia",
    "kinesis",
    "lepsis",
    "rrhaphy",
    "stasis",
    "scopy",
    "metry",
    "logy",
)
_NOISE = re.compile(r"\[@[^\]]*\]|\]\([^)]*\)|\{[#.][^}]*\}|https?://\S+|`[^`]*`")
_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")


@dataclass(frozen=True)
class Vocabulary:
    """Words in rank order with cumulative Zipf weights; ``keywords`` for titles and headings."""

    words: list[str]
    cum: list[float]
    keywords: list[str]
    keyword_cum: list[float]
    digest: str


def content_word_counts(content: Path) -> Counter[str]:
    """Count the words of every Markdown file below ``content`` (front matter included)."""
    counts: Counter[str] = Counter()
    for path in sorted(content.rglob("*.md")):
        text = path.read_text(encoding="utf-8", errors="replace")
        counts.update(_WORD.findall(_NOISE.sub(" ", text).lower()))
    return counts


def make_compounds(rng: random.Random, count: int, known: set[str]) -> list[str]:
    """Return ``count`` distinct medical-looking compound words not in ``known``."""
    pool = sorted(
        {
            f"{p}{link}{m}{s}".replace("oo", "o").replace("ii", "i")
            for p, link, m, s in itertools.product(_PREFIXES, _LINKS, _MIDDLES, _SUFFIXES)
        }
        - known
    )
    return rng.sample(pool, min(count, len(pool)))


def zipf_cum(size: int, offset: int = 0) -> list[float]:
    """Return cumulative weights 1/(rank + offset)^s for ranks 1..size."""
    weights = (1.0 / ((r + offset) ** ZIPF_EXPONENT) for r in range(1, size + 1))
    return list(itertools.accumulate(weights))


def build_vocabulary(content: Path, seed: int, compounds: int = COMPOUNDS) -> Vocabulary:
    """Rank the content's words and generated compounds for Zipf sampling."""
    rng = random.Random(f"vocabulary-{seed}")
    counts = content_word_counts(content)
    ranked = sorted(counts, key=lambda w: (-counts[w], w))
    keys: dict[str, float] = {w: float(rank) for rank, w in enumerate(ranked)}
    total = len(ranked) + compounds
    for word in make_compounds(rng, compounds, set(counts)):
        keys[word] = rng.uniform(COMPOUND_FROM_RANK, total)
    words = sorted(keys, key=lambda w: (keys[w], w))
    keywords = [w for r, w in enumerate(words) if r >= KEYWORD_FROM_RANK and len(w) >= 4]
    digest = hashlib.sha1("\n".join(words).encode()).hexdigest()[:12]
    keyword_cum = zipf_cum(len(keywords), KEYWORD_OFFSET)
    return Vocabulary(words, zipf_cum(len(words)), keywords, keyword_cum, digest)


@dataclass(frozen=True)
class Plan:
    """Where each article goes: topic folder names and (slug, title, topic index) per article."""

    topics: list[tuple[str, str]]
    articles: list[tuple[str, str, int]]


class Writer:
    """Writes one corpus; every random choice comes from one seeded generator."""

    def __init__(self, vocab: Vocabulary, seed: int) -> None:
        self.vocab = vocab
        self.rng = random.Random(seed)

    # -- words ---------------------------------------------------------------------------
    def words(self, count: int) -> list[str]:
        return self.rng.choices(self.vocab.words, cum_weights=self.vocab.cum, k=count)

    def keywords(self, count: int) -> list[str]:
        return self.rng.choices(self.vocab.keywords, cum_weights=self.vocab.keyword_cum, k=count)

    def sentence(self, words: list[str]) -> str:
        text = " ".join(words)
        return text[:1].upper() + text[1:] + "."

    def heading(self, low: int, high: int) -> str:
        text = " ".join(self.keywords(self.rng.randint(low, high)))
        return text[:1].upper() + text[1:]

    # -- plan ----------------------------------------------------------------------------
    def plan(self, articles: int) -> Plan:
        n_topics = max(2, min(60, round(math.sqrt(articles) / 2)))
        topics = []
        for number in range(n_topics):
            title = self.heading(1, 3)
            topics.append((f"t{number + 1:02d}-{_slugify(title)[:30]}", title))
        seen: set[str] = set()
        planned = []
        for number in range(articles):
            title = self.heading(2, 6)
            slug = base = _slugify(title)[:60].rstrip("-") or f"article-{number}"
            suffix = 2
            while slug in seen:
                slug, suffix = f"{base}-{suffix}", suffix + 1
            seen.add(slug)
            planned.append((slug, title, number % n_topics))
        return Plan(topics, planned)

    # -- articles ------------------------------------------------------------------------
    def front_matter(self, title: str, order: int) -> str:
        summary = self.sentence(self.words(self.rng.randint(12, 30)))
        tags = ", ".join(dict.fromkeys(self.keywords(self.rng.randint(2, 4))))
        aliases = ", ".join(self.heading(1, 3).lower() for _ in range(self.rng.randint(0, 3)))
        return (
            f"---\ntitle: {json.dumps(title)}\nsummary: {json.dumps(summary)}\n"
            f"tags: [{tags}]\naliases: [{aliases}]\norder: {order}\n---\n\n"
        )

    def paragraph(self, words: list[str], slugs: list[str]) -> str:
        if words and self.rng.random() < 0.3:
            words = list(words)
            bold = self.rng.randrange(len(words))
            words[bold] = f"**{words[bold]}**"
        sentences = []
        start = 0
        while start < len(words):
            size = self.rng.randint(8, 24)
            sentences.append(self.sentence(words[start : start + size]))
            start += size
        if slugs and self.rng.random() < 0.35:
            sentences.append(f"See [[{self.rng.choice(slugs)}]].")
        return " ".join(sentences)

    def bullets(self, count: int, indent: str = "") -> str:
        items = [self.sentence(self.words(self.rng.randint(4, 14))) for _ in range(count)]
        return "\n".join(f"{indent}- {item}" for item in items)

    def body(self, slugs: list[str]) -> str:
        target = int(math.exp(self.rng.uniform(math.log(MIN_WORDS), math.log(MAX_WORDS))))
        words = self.words(target)
        blocks = [self.paragraph(words[:60], slugs)]
        blocks.append('!!! keypoints "Key points"\n' + self.bullets(self.rng.randint(3, 5), "    "))
        start, section_end = 60, 60
        while start < len(words):
            if start >= section_end:
                level = "###" if self.rng.random() < 0.25 else "##"
                blocks.append(f"{level} {self.heading(2, 5)}")
                section_end = start + self.rng.randint(150, 400)
            if self.rng.random() < 0.12:
                blocks.append(self.bullets(self.rng.randint(3, 6)))
            size = self.rng.randint(40, 140)
            blocks.append(self.paragraph(words[start : start + size], slugs))
            start += size
        return "\n\n".join(blocks) + "\n"


def _slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def generate(
    out_dir: Path, articles: int, seed: int, content: Path = DEFAULT_CONTENT
) -> dict[str, object]:
    """Write the corpus into ``out_dir`` (replacing it) and return its description."""
    vocab = build_vocabulary(content, seed)
    writer = Writer(vocab, seed)
    plan = writer.plan(articles)
    if out_dir.exists():
        shutil.rmtree(out_dir)
    out_dir.mkdir(parents=True)
    for order, (folder, title) in enumerate(plan.topics, start=1):
        (out_dir / folder).mkdir()
        summary = writer.sentence(writer.words(writer.rng.randint(10, 25)))
        index = (
            f"---\ntitle: {json.dumps(title)}\nsummary: {json.dumps(summary)}\n"
            f"order: {order}\n---\n"
        )
        (out_dir / folder / "_index.md").write_text(index, encoding="utf-8")
    slugs = [slug for slug, _, _ in plan.articles]
    for order, (slug, title, topic) in enumerate(plan.articles, start=1):
        text = writer.front_matter(title, order) + writer.body(slugs)
        (out_dir / plan.topics[topic][0] / f"{slug}.md").write_text(text, encoding="utf-8")
    if (content / "thesaurus.yaml").is_file():
        shutil.copyfile(content / "thesaurus.yaml", out_dir / "thesaurus.yaml")
    info: dict[str, object] = {"articles": articles, "seed": seed, "vocabulary": vocab.digest}
    (out_dir / MARKER).write_text(json.dumps(info), encoding="utf-8")
    return info


def is_current(out_dir: Path, articles: int, seed: int, content: Path = DEFAULT_CONTENT) -> bool:
    """Return whether ``out_dir`` holds a complete corpus for these parameters."""
    try:
        info = json.loads((out_dir / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    digest = build_vocabulary(content, seed).digest
    return bool(info == {"articles": articles, "seed": seed, "vocabulary": digest})


def main(argv: list[str] | None = None) -> int:
    """Generate a corpus from the command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--content", type=Path, default=DEFAULT_CONTENT, help="vocabulary source")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    generate(args.out_dir, args.articles, args.seed, args.content)
    files = list(args.out_dir.rglob("*.md"))
    size = sum(f.stat().st_size for f in files)
    print(
        f"{args.articles} articles in {args.out_dir}: {size / 2**20:.1f} MiB, "
        f"{time.perf_counter() - start:.1f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
