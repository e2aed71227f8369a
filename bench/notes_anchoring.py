"""Re-anchoring the reader's notes across a simulated new edition of the articles.

Annotations are made on passages of the bundled articles (as the reader sees them: the rendered
text), then every article is edited the way a new edition changes text: paragraphs inserted
before and between, sentences reworded (a word replaced, a phrase added) inside some quoted
passages, and some quoted passages deleted. Each annotation is re-anchored in the new text and
classed as:

- right: anchored on the passage's new text (by position, quote or fuzzy match);
- detached: not anchored, and its passage was deleted (the right answer);
- lost: not anchored although its passage is still there (reworded or not);
- wrong: anchored somewhere that is not its passage.

    python bench/notes_anchoring.py [--notes 150] [--seed 3]

Prints figures; never asserts.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from desktop_app.core.content import load_library  # noqa: E402
from desktop_app.core.notes import anchor, quote_at  # noqa: E402
from desktop_app.core.render import article_text  # noqa: E402

FILLER = (
    "A new paragraph added in the next edition summarises a recent trial and its limits. "
    "It names the population, the comparison and the follow-up, and says what remains uncertain."
)
_SENTENCE = re.compile(r"[A-Z][^.!?\n]{40,220}[.!?]")


def reword(sentence: str, rng: random.Random) -> str:
    """A small edit: one word replaced, or a short phrase added, or a word dropped."""
    words = sentence.split()
    if len(words) < 4:
        return sentence + " (revised)"
    i = rng.randrange(1, len(words) - 1)
    kind = rng.choice(("replace", "add", "drop"))
    if kind == "replace":
        words[i] = "notably" if words[i] != "notably" else "clearly"
    elif kind == "add":
        words.insert(i, "in most studies,")
    else:
        del words[i]
    return " ".join(words)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--notes", type=int, default=150)
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("-v", "--verbose", action="store_true", help="show the wrong anchors")
    args = parser.parse_args(argv)
    verbose = args.verbose
    rng = random.Random(args.seed)
    library = load_library(ROOT / "content")
    texts = {slug: article_text(library, slug) for slug in library.articles}
    picks = []
    for _ in range(args.notes * 20):
        slug = rng.choice(sorted(texts))
        sentences = list(_SENTENCE.finditer(texts[slug]))
        if sentences:
            m = rng.choice(sentences)
            if all(m.group(0) != p[1].group(0) for p in picks):
                picks.append((slug, m))
        if len(picks) == args.notes:
            break
    fates: dict[int, str] = {}
    new_texts = dict(texts)
    by_slug: dict[str, list[int]] = {}
    for n, (slug, _m) in enumerate(picks):
        by_slug.setdefault(slug, []).append(n)
    expected: dict[int, str | None] = {}
    for slug, numbers in by_slug.items():
        text = texts[slug]
        # Edit from the end so earlier offsets stay valid.
        for n in sorted(numbers, key=lambda k: picks[k][1].start(), reverse=True):
            m = picks[n][1]
            fate = rng.choices(("same", "reworded", "deleted"), weights=(6, 3, 1))[0]
            fates[n] = fate
            if fate == "same":
                new = m.group(0)
            elif fate == "reworded":
                new = reword(m.group(0), rng)
            else:
                new = ""
            expected[n] = new or None
            text = text[: m.start()] + new + text[m.end() :]
        # New paragraphs at the start and in the middle of every edited article.
        cut = text.find("\n", len(text) // 2)
        text = f"{FILLER}\n{text[:cut]}\n{FILLER}{text[cut:]}"
        new_texts[slug] = text
    counts: Counter[str] = Counter()
    by_method: Counter[str] = Counter()
    for n, (slug, m) in enumerate(picks):
        quote = quote_at(texts[slug], m.start(), m.end())
        found = anchor(new_texts[slug], quote)
        want = expected[n]
        if found is None:
            counts["detached" if want is None else "lost"] += 1
        elif want is not None and " ".join(found.text.split()) == " ".join(want.split()):
            counts["right"] += 1
            by_method[found.method] += 1
        elif (
            want is not None and want in new_texts[slug][max(0, found.start - 40) : found.end + 40]
        ):
            counts["right"] += 1  # anchored on the passage, give or take a word at an edge
            by_method[found.method + " (edge)"] += 1
        else:
            counts["wrong"] += 1
            if verbose:
                was, now = m.group(0)[:70], found.text[:70]
                print(f"  wrong: {slug} [{fates[n]}] {was!r} -> {found.method} {now!r}")
    total = len(picks)
    kept = sum(1 for n in fates if fates[n] != "deleted")
    print(f"{total} notes on {len(by_slug)} articles; new edition: {Counter(fates.values())}")
    share = counts["right"] / max(kept, 1)
    print(f"  right    {counts['right']:4} ({share:.1%} of the {kept} whose passage survives)")
    print(f"  detached {counts['detached']:4} (their passage was deleted: the right answer)")
    print(f"  lost     {counts['lost']:4} (passage still there, not found)")
    print(f"  wrong    {counts['wrong']:4} (anchored on another passage)")
    print(f"  anchored by: {dict(by_method)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
