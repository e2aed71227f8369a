"""Hostile content: every bad file gives one diagnostic naming it, the good articles still work."""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import time
import unicodedata
from collections import Counter
from dataclasses import replace
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from desktop_app.core.content import Library, load_library
from desktop_app.core.render import check_content, markdown_to_text, render_article, strip_fences
from desktop_app.core.search import SearchIndex
from desktop_app.diagnostics import Diagnostic, Severity
from tests.conftest import ROOT, write_content
from tests.robustness.hostile import (
    GREEK,
    LATIN1_SHOWN,
    SPACED,
    Hostile,
    write_sitecustomize,
)

_LINE_RE = re.compile(r"^(.*?):(\d+): (error|warning): (.*)$")
_URL_ATTR_RE = re.compile(r'\b(?:src|href)="([^"]*)"')


def _name(diagnostic: Diagnostic, root: Path) -> str:
    try:
        return diagnostic.path.relative_to(root).as_posix()
    except ValueError:
        return str(diagnostic.path)


def _about(library: Library, name: str) -> list[Diagnostic]:
    return [d for d in library.diagnostics if _name(d, library.root_dir) == name]


def _one(library: Library, name: str) -> Diagnostic:
    found = _about(library, name)
    assert len(found) == 1, found
    return found[0]


def _urls(html: str) -> list[str]:
    return _URL_ATTR_RE.findall(html)


@pytest.fixture
def library(hostile: Hostile, unreadable: str) -> Library:
    start = time.perf_counter()
    loaded = load_library(hostile.root)
    print(f"hostile folder loaded in {time.perf_counter() - start:.3f} s")
    return loaded


@pytest.fixture
def checked(library: Library, expect_warnings: pytest.LogCaptureFixture) -> Library:
    """The library with the check command's diagnostics (rendering deep-nesting.md warns)."""
    return replace(library, diagnostics=tuple(check_content(library)))


# -- the folder as a whole ------------------------------------------------------------------
def test_every_bad_file_gets_exactly_one_diagnostic(
    hostile: Hostile, library: Library, expect_warnings: pytest.LogCaptureFixture
) -> None:
    diagnostics = check_content(library)
    names = Counter(_name(d, library.root_dir) for d in diagnostics)
    assert names == Counter(list(hostile.bad_files))
    for d in diagnostics:
        assert d.line == hostile.bad_files[_name(d, library.root_dir)], d.format()


def test_good_articles_load_and_are_searchable(hostile: Hostile, library: Library) -> None:
    assert hostile.good_slugs <= set(library.articles)
    index = SearchIndex.in_memory(library)
    for slug, word in hostile.words.items():
        assert slug in [hit.slug for hit in index.search(word).hits], word
    assert index.doc_count == len(library.articles)


def test_check_command_on_hostile_folder(hostile: Hostile, tmp_path: Path) -> None:
    site = write_sitecustomize(tmp_path / "site")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(site), str(ROOT)])}
    result = subprocess.run(
        [sys.executable, "-m", "desktop_app", "check", "--content", str(hostile.root)],
        capture_output=True,
        text=True,
        cwd=hostile.root,
        env=env,
        timeout=120,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    *lines, summary = result.stdout.splitlines()
    parsed = [_LINE_RE.match(line) for line in lines]
    assert all(parsed), lines
    assert Counter(m.group(1) for m in parsed if m) == Counter(list(hostile.bad_files))
    for m in parsed:
        assert m and int(m.group(2)) == hostile.bad_files[m.group(1)], m and m.group(0)
    errors = sum(1 for m in parsed if m and m.group(3) == "error")
    assert summary == f"{errors} errors, {len(lines) - errors} warnings"


def test_window_opens_on_hostile_folder(
    qtbot: QtBot,
    hostile: Hostile,
    unreadable: str,
    tmp_path: Path,
    expect_warnings: pytest.LogCaptureFixture,
) -> None:
    from desktop_app.ui.app import build_window, start_index

    window, index_dir = build_window(
        argparse.Namespace(content=hostile.root, index_dir=tmp_path / "ix")
    )
    qtbot.addWidget(window)
    window.show()
    assert "error(s)" in window.statusBar().currentMessage()
    for slug in sorted(hostile.good_slugs):
        assert window.tree_model.index_of(slug).isValid(), slug
        assert window.open_article(slug), slug
        assert window.library.articles[slug].title in window.article_view.toPlainText()
    assert window.open_article("deep-nesting")
    assert "deep item" in window.article_view.toPlainText()
    assert window.open_article("script")
    assert "steal" not in window.article_view.toPlainText()
    start_index(window, window.library, index_dir)
    qtbot.waitUntil(lambda: window.search.index is not None, timeout=60_000)
    assert [h.slug for h in window.search.index.search("costovertebral").hits] == ["beta"]


# -- one fault at a time --------------------------------------------------------------------
def test_invalid_utf8(library: Library) -> None:
    d = _one(library, "bad-utf8.md")
    assert (d.line, d.severity) == (5, Severity.ERROR)
    assert "UTF-8" in d.message
    assert "bad-utf8" not in library.articles


def test_binary_file_named_md(library: Library) -> None:
    assert "binary" in _one(library, "binary.md").message
    assert "binary" not in library.articles


def test_empty_file(library: Library) -> None:
    d = _one(library, "empty.md")
    assert (d.severity, d.message) == (Severity.WARNING, "empty file")
    rendered = render_article(library, "empty")
    assert rendered.title == "Empty" and "<h1" in rendered.html


@pytest.mark.slow
def test_20mb_article(tmp_path: Path) -> None:
    paragraph = "Spinal manipulation is a manual therapy; the thrust is quick and small. " * 10
    chunks = ["---\ntitle: Huge\n---\n"]
    size, i = 0, 0
    while size < 20 * 2**20:
        chunk = f"\n## Section {i}\n\n{paragraph} marker{i}\n\n- item **two** [[small]]\n"
        chunks.append(chunk)
        size, i = size + len(chunk), i + 1
    root = write_content(tmp_path / "c", {"small.md": "# Small\n\nAbout cavitation.\n"})
    (root / "huge.md").write_text("".join(chunks), encoding="utf-8")

    start = time.perf_counter()
    library = load_library(root)
    loaded = time.perf_counter()
    rendered = render_article(library, "huge")
    rendered_at = time.perf_counter()
    index = SearchIndex.in_memory(library)
    indexed = time.perf_counter()
    print(
        f"20 MB article: load {loaded - start:.2f} s, render {rendered_at - loaded:.2f} s, "
        f"index {indexed - rendered_at:.2f} s"
    )
    assert library.diagnostics == ()
    assert "The rest of this very long article is not shown" in rendered.html
    assert f"marker{i - 1}" not in rendered.html
    assert [h.slug for h in index.search("marker7").hits] == ["huge"]
    assert [h.slug for h in index.search("cavitation").hits] == ["small"]


def test_lists_and_quotes_nested_thousands_deep(
    library: Library, expect_warnings: pytest.LogCaptureFixture
) -> None:
    rendered = render_article(library, "deep-nesting")
    assert "<pre>" in rendered.body_html and "deep item" in rendered.body_html
    assert rendered.title == "Deep nesting"
    assert any("nested too deeply" in r.getMessage() for r in expect_warnings.records)
    diagnostics = [d for d in check_content(library) if d.path.name == "deep-nesting.md"]
    assert [d.message for d in diagnostics] == ["nested too deeply to render: shown as plain text"]


def test_malformed_yaml(library: Library) -> None:
    d = _one(library, "bad-yaml.md")
    assert d.line == 3 and "invalid YAML" in d.message
    assert "The body survives" in render_article(library, "bad-yaml").body_html


def test_yaml_alias_bomb(library: Library) -> None:
    d = _one(library, "yaml-bomb.md")
    assert d.line == 2 and "anchors are not allowed" in d.message
    assert "The body of a bomb" in library.read_body("yaml-bomb")


def test_yaml_alias_bomb_in_content_files(tmp_path: Path) -> None:
    bomb = "a: &a [x, x, x]\nb: &b [*a, *a, *a]\nc: [*b, *b, *b]\n"
    root = write_content(
        tmp_path / "c",
        {
            "atlas.yaml": bomb,
            "bibliography.yaml": bomb,
            "thesaurus.yaml": "groups:\n  - " + bomb.replace("\n", "\n    "),
            "fine.md": "# Fine\n\nStill here.\n",
        },
    )
    library = load_library(root)
    assert set(library.articles) == {"fine"}
    named = {d.path.name: d for d in library.diagnostics}
    assert set(named) == {"atlas.yaml", "bibliography.yaml", "thesaurus.yaml"}
    assert all("not allowed" in d.message and d.line > 0 for d in named.values())


def test_yaml_nested_thousands_deep(library: Library) -> None:
    d = _one(library, "yaml-nested.md")
    assert d.line == 2 and "nested more than" in d.message


def test_same_named_files_are_two_articles(library: Library) -> None:
    assert not [d for d in library.diagnostics if d.path.name == "dup.md"]
    assert library.articles["good/dup"].title == "The first dup"
    assert "more/dup" in library.articles
    assert "more" in [topic.slug for topic in library.root.topics]


@pytest.mark.parametrize("slug", ["escape-link", "escape-image", "absolute-image"])
def test_links_and_images_outside_the_content_root(
    library: Library, checked: Library, slug: str
) -> None:
    rendered = render_article(library, slug)
    assert not [url for url in _urls(rendered.html) if "passwd" in url]
    assert "root:" not in rendered.html
    d = _one(checked, f"{slug}.md")
    assert d.line == 1 and "passwd" in d.message


@pytest.mark.parametrize("slug", ["remote-image", "remote-html-image", "iframe"])
def test_remote_images_and_iframes(library: Library, checked: Library, slug: str) -> None:
    rendered = render_article(library, slug)
    assert not [url for url in _urls(rendered.html) if "example.com" in url]
    assert "<iframe" not in rendered.html
    assert len(_about(checked, f"{slug}.md")) == 1


@pytest.mark.parametrize("slug", ["script", "event-handler", "javascript-link"])
def test_script_and_event_handler_attributes(library: Library, checked: Library, slug: str) -> None:
    html = render_article(library, slug).html
    assert "<script" not in html and "onclick" not in html and "javascript:" not in html
    assert "fetch(" not in html
    assert len(_about(checked, f"{slug}.md")) == 1


def test_event_handler_in_attribute_list(tmp_path: Path) -> None:
    root = write_content(
        tmp_path / "c",
        {"a.md": '# A\n\nFirst line.\n\nClick here\n{: onmouseover="steal()" }\n'},
    )
    library = load_library(root)
    html = render_article(library, "a").html
    assert "onmouseover" not in html and "steal" not in html
    [d] = check_content(library)
    assert (d.line, d.severity) == (6, Severity.WARNING)
    assert "onmouseover" in d.message


def test_symlink_loop(library: Library) -> None:
    assert "symlink loop" in _one(library, "loop/back").message
    assert library.articles["inside"].path.parent.name == "loop"
    assert "Too many levels" in _one(library, "self-loop.md").message


def test_unreadable_file(library: Library) -> None:
    d = _one(library, "unreadable.md")
    assert d.severity is Severity.ERROR and "Permission denied" in d.message
    assert "unreadable" not in library.articles


def test_named_pipe_is_not_read(library: Library) -> None:
    assert "not a regular file" in _one(library, "pipe.md").message


def test_file_name_not_utf8(library: Library) -> None:
    d = _one(library, LATIN1_SHOWN)
    assert "not valid UTF-8" in d.message
    assert not [slug for slug in library.articles if "caf" in slug]


def test_folders_nested_too_deep(library: Library) -> None:
    d = _one(library, "/".join(["deep"] * 32))
    assert "nested more than 32 deep" in d.message
    assert "bottom" not in library.articles


def test_file_names_with_spaces_and_non_ascii(
    hostile: Hostile, library: Library, checked: Library
) -> None:
    on_disk = [p.name for p in (hostile.root / "good").iterdir()]
    assert unicodedata.normalize("NFD", f"{SPACED}.md") in on_disk  # as macOS writes it
    assert library.articles[SPACED].title == "Wirbelsäule"
    alpha = render_article(library, "alpha")
    assert 'href="atlas:Wirbel%20s%C3%A4ule"' in alpha.html
    assert ">Wirbelsäule</a>" in alpha.html
    assert 'href="atlas:%CE%A9mega%20notes"' in alpha.html
    assert alpha.broken_links == ()
    assert "Lendenwirbelsäule" in render_article(library, SPACED).html
    assert "atlanto-occipital" in render_article(library, GREEK).html
    assert not [d for d in checked.diagnostics if d.path.name in ("alpha.md", f"{GREEK}.md")]
    index = SearchIndex.in_memory(library)
    assert [h.slug for h in index.search("lendenwirbelsäule").hits] == [SPACED]
    assert [h.slug for h in index.search("Ωmega").hits + index.search("omega").hits][:1] == [GREEK]


@pytest.mark.parametrize(
    "body",
    [
        "\n" * 200_000,
        " " * 200_000,
        " \n" * 100_000,
        "[" * 200_000,
        "![" * 100_000,
        "{#" * 100_000,
        "```a\n" * 40_000,
        "# " + " " * 200_000 + "x",
        "---" + " " * 200_000 + "x",
    ],
    ids=["newlines", "spaces", "blank-lines", "brackets", "images", "attrs", "fences", "h", "hr"],
)
def test_pathological_markdown_indexes_in_linear_time(body: str) -> None:
    start = time.perf_counter()
    text = markdown_to_text(body)
    print(f"plain text of {len(body):,} pathological chars in {time.perf_counter() - start:.3f} s")
    assert "\n\n" not in text


def test_strip_fences_keeps_text_outside_closed_fences() -> None:
    body = "before\n```py\ncode inside\n```\nafter\n~~~\nunclosed tilde\n```a\n"
    stripped = strip_fences(body)
    assert "code inside" not in stripped
    assert stripped.startswith("before\n \nafter")
    assert "unclosed tilde" in stripped
