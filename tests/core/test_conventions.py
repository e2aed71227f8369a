"""Other people's collections: Obsidian vaults, MkDocs/GitHub docs, Hugo sites (issue 14)."""

from __future__ import annotations

from pathlib import Path

from desktop_app.core.content import load_library
from desktop_app.core.render import check_content, render_article
from tests.conftest import write_content

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x08"
    b"\x08\x02\x00\x00\x00\x00\x00\x00\x00"
)


def _errors(root: Path) -> list[str]:
    library = load_library(root)
    return [
        f"{d.path.relative_to(root).as_posix()}:{d.line}: {d.message}"
        for d in check_content(library)
        if d.severity.value == "error"
    ]


def test_same_file_name_in_two_folders_is_two_articles(tmp_path: Path) -> None:
    root = write_content(
        tmp_path,
        {
            "linux/ls.md": "# ls (Linux)\n\nList files.",
            "osx/ls.md": "# ls (macOS)\n\nList files, BSD style.",
            "common/tar.md": "# tar\n\nSee [ls](../linux/ls.md) and [[osx/ls]].",
        },
    )
    library = load_library(root)
    assert set(library.articles) == {"linux/ls", "osx/ls", "tar"}  # unique stems stay short
    assert library.diagnostics == ()
    assert library.get("common/tar") is library.articles["tar"]  # the path names it too
    html = render_article(library, "tar").html
    assert 'href="atlas:linux/ls"' in html and 'href="atlas:osx/ls"' in html
    assert _errors(root) == []


def test_ambiguous_short_link_is_reported_once_with_candidates(tmp_path: Path) -> None:
    root = write_content(
        tmp_path,
        {
            "a/index.md": "# A\n\nText.",
            "b/index.md": "# B\n\nText.",
            "note.md": "# Note\n\n[[index]] and again [[index]].",
        },
    )
    errors = _errors(root)
    assert len(errors) == 1
    assert "ambiguous link 'index'" in errors[0] and "a/index" in errors[0]
    assert "b/index" in errors[0] and errors[0].startswith("note.md:3:")


def test_index_pages_are_their_folders_pages(tmp_path: Path) -> None:
    root = write_content(
        tmp_path,
        {
            "README.md": "# Home\n\nGo to [the guide](guide/) or [/blog/](/blog/).",
            "guide/index.md": "# Guide\n\nStart [here](setup.md).",
            "guide/setup.md": "# Setup\n\nBack to [the guide](./index.md), [home](../README.md).",
            "blog/_index.md": "---\ntitle: Blog\nweight: 1\n---\nAll posts.",
            "blog/first.md": "+++\ntitle = 'First post'\nweight = 2\n+++\nHello.",
            "blog/second.md": "+++\ntitle = 'Second post'\nweight = 1\n+++\nHi.",
            "docs/_index.md": "---\ntitle: Docs\n---\n",  # metadata only: no page
            "docs/page.md": "# Page\n\nText.",
        },
    )
    library = load_library(root)
    assert library.topics["guide"].articles == ("guide/index", "setup")
    assert library.topics["blog"].articles == ("blog/_index", "second", "first")  # weight
    assert library.topics["docs"].articles == ("page",)
    assert library.topics["blog"].title == "Blog"
    assert library.links.resolve("/guide/").slug == "guide/index"
    assert _errors(root) == []


def test_obsidian_links_case_heading_text_alias_and_embeds(tmp_path: Path) -> None:
    root = write_content(
        tmp_path,
        {
            "Notes/Formulas.md": "# Formulas\n\n## Some heading\n\nText. ^block-1\n",
            "Views/views.md": "# Views\n\n## Filters\n\nText.",
            "Attachments/diagram.png": PNG,
            "Start.md": (
                "# Start\n\n"
                "[[formulas]], [[Views#filters]], [[Formulas#Some heading|the heading]],\n"
                "[[Formulas#^block-1]], [[Notes/Formulas]] and ![[diagram.png|8]].\n\n"
                "![[Formulas]]\n\n"
                "| a | [[Formulas\\|in a table]] |\n|---|---|\n"
            ),
        },
    )
    assert _errors(root) == []
    library = load_library(root)
    html = render_article(library, "Start").body_html
    assert 'href="atlas:Formulas#some-heading"' in html  # heading text → heading id
    assert 'href="atlas:views#filters"' in html
    assert "atlas-res:Attachments/diagram.png" in html and 'width="8"' in html
    assert 'class="admonition embed"' in html and ">in a table<" in html  # the note, shown
    assert "broken-link" not in html


def test_really_broken_links_are_still_reported(tmp_path: Path) -> None:
    root = write_content(
        tmp_path,
        {
            "a.md": "# A\n\n[[Missing]], [x](b.md#nowhere), ![[gone.png]], [y](b.md#real)",
            "b.md": "# B\n\n## Real\n",
        },
    )
    errors = _errors(root)
    assert len(errors) == 3, errors
    assert any("no article 'Missing'" in e for e in errors)
    assert any("broken anchor: 'b#nowhere'" in e for e in errors)
    assert any("gone.png" in e for e in errors)


def test_code_never_holds_links_and_shortcodes_vanish(tmp_path: Path) -> None:
    root = write_content(
        tmp_path,
        {
            "a.md": (
                "# A\n\nRun `[[ -z $x ]]` here.\n\n```sh\n[[ -n $y ]] && [z](nowhere.md)\n```\n"
                "\n{{< hint info >}}Inner text{{< /hint >}}\n\n"
                '<script>\nvar a = [["x"]];\n</script>\n'
            ),
        },
    )
    assert _errors(root) == []
    html = render_article(load_library(root), "a").html
    assert "Inner text" in html and "{{" not in html


def test_relative_and_site_absolute_markdown_links(tmp_path: Path) -> None:
    root = write_content(
        tmp_path,
        {
            "user-guide/configuration.md": "# Configuration\n\n## Site name\n",
            "user-guide/writing.md": (
                "# Writing\n\n[c](configuration.md#site-name), "
                "[c2](../user-guide/configuration.md), [c3](/user-guide/configuration/), "
                "[c4](../configuration/#site-name)\n"
            ),
        },
    )
    assert _errors(root) == []


def test_mkdocs_nav_orders_and_titles_pages(tmp_path: Path) -> None:
    write_content(
        tmp_path,
        {
            "mkdocs.yml": (
                "site_name: X\n"
                "markdown_extensions:\n  - pymdownx.emoji:\n"
                "      emoji_index: !!python/name:material.extensions.emoji.twemoji\n"
                "nav:\n  - Home: index.md\n  - Guide:\n    - zeta.md\n"
                "    - Alpha page: guide/alpha.md\n"
                "  - About: about.md\n"
            ),
            "docs/index.md": "# Welcome\n",
            "docs/about.md": "# About\n",
            "docs/zeta.md": "# Zeta\n",
            "docs/extra.md": "# Extra\n",
            "docs/guide/alpha.md": "# A\n",
        },
    )
    library = load_library(tmp_path / "docs")
    assert library.root.articles == ("index", "zeta", "about", "extra")
    assert library.articles["alpha"].title == "Alpha page"
    assert library.articles["index"].title == "Home"
    assert library.diagnostics == ()


def test_reference_style_definitions_are_checked(tmp_path: Path) -> None:
    root = write_content(
        tmp_path,
        {
            "a.md": (
                "# A\n\nSee [b][b-page], [gone][gone] and [search][q].\n\n"
                "  [b-page]: b.md#real\n  [gone]: ../nowhere.md\n  [q]: ?q=term\n"
                "[^1]: A footnote, not a link.\n"
            ),
            "b.md": "# B\n\n## Real\n",
        },
    )
    errors = _errors(root)
    assert len(errors) == 1 and "no article '../nowhere'" in errors[0], errors


def test_anchors_the_source_names_but_our_renderer_cannot_show(tmp_path: Path) -> None:
    root = write_content(
        tmp_path,
        {
            "plugins/blog.md": (
                "# Blog\n\n#### <!-- md:setting config.draft -->\n\nDrafts.\n\n"
                '<a name="legacy-anchor"></a>\n\n### Custom { #my-id }\n\nText.\n\n'
                '<div class="result" markdown>\n\n### Inside a block\n\n</div>\n\n'
                "```python\n# Not a heading\n```\n"
            ),
            "guide.md": (
                "# Guide\n\n[a](plugins/blog.md#config.draft) [b](plugins/blog.md#+config.draft) "
                "[c](plugins/blog.md#legacy-anchor) [d](plugins/blog.md#my-id) "
                "[e](plugins/blog.md#inside-a-block) [f](plugins/blog.md#not-a-heading) "
                "[g](plugins/blog.md#nowhere)\n"
            ),
        },
    )
    assert _errors(root) == [  # a "# comment" in code is no heading; #nowhere is nowhere
        "guide.md:3: broken anchor: 'blog#not-a-heading'",
        "guide.md:3: broken anchor: 'blog#nowhere'",
    ]


def test_anchor_into_a_page_that_includes_outside_text_is_a_warning(tmp_path: Path) -> None:
    root = write_content(
        tmp_path,
        {
            "contributing.md": '--8<-- "CONTRIBUTING.md"\n',
            "dev.md": "# Dev\n\nSee [how](contributing.md#submitting-pull-requests).\n",
        },
    )
    library = load_library(root)
    found = [(d.severity.value, d.message) for d in check_content(library)]
    assert any(s == "warning" and m.startswith("anchor not checked") for s, m in found), found
    assert _errors(root) == []


def test_note_embeds_show_the_note_or_its_section_never_round_a_cycle(tmp_path: Path) -> None:
    root = write_content(
        tmp_path,
        {
            "A.md": "# A\n\nIntro.\n\n![[B]]\n\n![[B#Second part]]\n\n```\n![[B]]\n```\n",
            "notes/B.md": (
                "# B\n\nB text.\n\n## First\n\nOne.\n\n![[A]]\n\n"
                "## Second part\n\nTwo **bold**.\n\n```py\n# code\n```\n"
            ),
        },
    )
    library = load_library(root)
    html = render_article(library, "A").html
    body = html.split("<body>", 1)[1]
    assert body.count('class="admonition embed"') == 2
    assert '<p class="admonition-title">B</p>' in body
    assert '<p class="admonition-title">B › Second part</p>' in body
    assert body.count("B text.") == 1  # the whole note once; the section box has Two only
    assert body.count("Two <strong>bold</strong>.") == 2
    assert "Intro." in body and body.count("Intro.") == 1  # B's embed of A is a link here
    assert "<pre><code># code" in body and '<h1 id="code"' not in body  # code stays code
    assert "<pre><code>![[B]]" in body  # an embed in fenced code is not expanded
    assert 'href="atlas:B#second-part"' in body
    assert _errors(root) == []
