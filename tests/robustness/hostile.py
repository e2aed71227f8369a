"""Build a hostile content folder: good articles mixed with every kind of bad file.

``build_hostile(root)`` writes the folder and returns a ``Hostile`` that says which files are good,
which are bad, and which word finds each good article. Each bad file has exactly one problem, so the
``check`` command must print exactly one diagnostic line for it.
"""

from __future__ import annotations

import itertools
import os
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from tests.conftest import write_content

SPACED = "Wirbel säule"  # a file name with a space and a non-ASCII letter (NFD on disk)
GREEK = "Ωmega notes"

GOOD: dict[str, str] = {
    "good/_index.md": """
        ---
        title: Good articles
        order: 1
        ---
    """,
    "good/alpha.md": f"""
        ---
        title: Alpha article
        summary: The first good article.
        ---
        Alpha talks about zygapophyseal joints. See [[beta]], [[{SPACED}]] and [[{GREEK}|omega]].

        ![A local figure](../figures/dot.svg)
    """,
    "good/beta.md": """
        ---
        title: Beta article
        ---
        Beta is about costovertebral movement. Back to [alpha](alpha.md).
    """,
    "good/dup.md": """
        ---
        title: The first dup
        ---
        The first of two files named alike: quadratus lumborum.
    """,
    "more/dup.md": """
        ---
        title: The second dup
        ---
        A second file with the same name: its own article, named by its path.
    """,
    f"good/{unicodedata.normalize('NFD', SPACED)}.md": """
        ---
        title: Wirbelsäule
        ---
        Die Lendenwirbelsäule und die Halswirbelsäule. Back to [[alpha]].
    """,
    f"{GREEK}.md": """
        # Omega notes

        Notes on the atlanto-occipital joint, with a Greek file name.
    """,
    "figures/dot.svg": (
        '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
        '<circle cx="5" cy="5" r="4"/></svg>\n'
    ),
}

GOOD_WORDS: dict[str, str] = {
    "alpha": "zygapophyseal",
    "beta": "costovertebral",
    "good/dup": "quadratus",
    SPACED: "Lendenwirbelsäule",
    GREEK: "atlanto-occipital",
}


def _nested(depth: int) -> str:
    lists = "- " * depth + "deep item"  # each "- " opens a list inside the previous item
    quotes = "> " * depth + "deep quote"
    return f"# Deep nesting\n\n{lists}\n\n{quotes}\n"


def _billion_laughs() -> str:
    lines = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    names = "abcdefghi"
    for prev, name in itertools.pairwise(names):
        lines.append(f"{name}: &{name} [{', '.join([f'*{prev}'] * 9)}]")
    return "---\n" + "\n".join(lines) + "\n---\nThe body of a bomb.\n"


# Each bad file: its content and the line its one diagnostic must name (0: the whole file).
BAD: dict[str, tuple[str | bytes, int]] = {
    "bad-utf8.md": (b"---\ntitle: Latin-1\n---\nline four\ncaf\xe9 au lait\n", 5),
    "binary.md": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00" + bytes(range(256)), 0),
    "empty.md": ("", 0),
    "deep-nesting.md": (_nested(3000), 0),
    "bad-yaml.md": ("---\ntitle: [unclosed\n---\nThe body survives.\n", 3),
    "yaml-bomb.md": (_billion_laughs(), 2),
    "yaml-nested.md": ("---\na: " + "[" * 5000 + "]" * 5000 + "\n---\nBody.\n", 2),
    "escape-link.md": ("Read [the passwords](../../etc/passwd).\n", 1),
    "escape-image.md": ("A picture: ![passwords](../../etc/passwd)\n", 1),
    "absolute-image.md": ("A picture: ![passwords](/etc/passwd)\n", 1),
    "remote-image.md": ("# Remote\n\n![tracker](https://example.com/pixel.png)\n", 3),
    "iframe.md": (
        '# Frame\n\nText.\n\n<iframe src="https://example.com/frame"></iframe>\n',
        5,
    ),
    "script.md": ("# Script\n\n<script>fetch('https://example.com/steal')</script>\n", 3),
    "remote-html-image.md": ('# Pixel\n\n<img src="https://example.com/pixel.gif">\n', 3),
    "javascript-link.md": ("Text.\n\n[Click](javascript:document.cookie)\n", 3),
    "event-handler.md": (
        "# Handler\n\nText.\n\n<p onclick=\"fetch('https://example.com')\">Click me</p>\n",
        5,
    ),
}
SYMLINK_LOOP_DIR = "loop/back"  # a folder symlink pointing at its own parent
SYMLINK_LOOP_FILE = "self-loop.md"  # a file symlink pointing at itself
UNREADABLE = "unreadable.md"  # readable for root: tests make reading it raise PermissionError
FIFO = "pipe.md"  # a named pipe: reading it would block for ever
LATIN1_NAME = b"caf\xe9.md"  # a file name that is not valid UTF-8
LATIN1_SHOWN = "caf\ufffd.md"  # how diagnostics show it
DEEP_FOLDERS = "/".join(["deep"] * 40)  # folders nested far deeper than any real topic tree


@dataclass(frozen=True)
class Hostile:
    """The hostile folder and what a correct app must make of it."""

    root: Path
    good_slugs: frozenset[str] = field(default_factory=frozenset)
    bad_files: dict[str, int] = field(default_factory=dict)

    @property
    def words(self) -> dict[str, str]:
        """Return a word that finds each good article."""
        return dict(GOOD_WORDS)


def build_hostile(root: Path) -> Hostile:
    """Write the hostile folder below ``root`` and return what it should load as."""
    write_content(root, dict(GOOD))
    write_content(root, {name: data for name, (data, _line) in BAD.items()})
    (root / "loop").mkdir()
    (root / "loop" / "inside.md").write_text("# Inside the loop\n\nA good article.\n")
    (root / SYMLINK_LOOP_DIR).symlink_to("..")
    (root / SYMLINK_LOOP_FILE).symlink_to(SYMLINK_LOOP_FILE)
    (root / UNREADABLE).write_text("# Secret\n\nNobody may read this.\n", encoding="utf-8")
    os.mkfifo(root / FIFO)
    # pathlib cannot name a file with bytes that are not UTF-8: use a bytes path with os.
    fd = os.open(os.fsencode(root) + b"/" + LATIN1_NAME, os.O_WRONLY | os.O_CREAT, 0o644)
    os.write(fd, b"# Caf\xc3\xa9\n\nEspresso.\n")
    os.close(fd)
    (root / DEEP_FOLDERS).mkdir(parents=True)
    (root / DEEP_FOLDERS / "bottom.md").write_text("# Bottom\n\nToo deep to load.\n")
    bad = {name: line for name, (_data, line) in BAD.items()}
    for name in (SYMLINK_LOOP_DIR, SYMLINK_LOOP_FILE, UNREADABLE, FIFO, LATIN1_SHOWN):
        bad[name] = 0
    bad["/".join(["deep"] * 32)] = 0  # the first folder below the depth limit
    good = frozenset(GOOD_WORDS) | {"inside"}
    return Hostile(root=root, good_slugs=good, bad_files=bad)


# Put on PYTHONPATH for a subprocess: reading ``unreadable.md`` then fails as it would for a user
# without permission (the tests run as root, for whom chmod changes nothing).
SITECUSTOMIZE = """
from pathlib import Path

_read_bytes, _read_text = Path.read_bytes, Path.read_text


def _deny(path):
    if path.name == "unreadable.md":
        raise PermissionError(13, "Permission denied", str(path))


def _guarded_bytes(self):
    _deny(self)
    return _read_bytes(self)


def _guarded_text(self, *args, **kwargs):
    _deny(self)
    return _read_text(self, *args, **kwargs)


Path.read_bytes, Path.read_text = _guarded_bytes, _guarded_text
"""


def write_sitecustomize(folder: Path) -> Path:
    """Write the ``sitecustomize.py`` that simulates the unreadable file; return its folder."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "sitecustomize.py").write_text(SITECUSTOMIZE, encoding="utf-8")
    return folder
