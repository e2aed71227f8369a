from __future__ import annotations

from pathlib import Path

import pytest

from desktop_app.core.content import load_library
from desktop_app.core.render import render_article
from desktop_app.errors import UnknownArticle
from tests.conftest import write_content


def test_links_citations_and_references(small_content: Path) -> None:
    library = load_library(small_content)
    page = render_article(library, "hvla")
    assert '<a href="atlas:mobilisation">Mobilisation</a>' in page.html
    assert '<a href="atlas:mobilisation#grades">grades</a>' in page.html
    assert 'href="#ref-Smith2003"' in page.html
    assert page.citations == ("Smith2003", "Jones2010")
    refs = page.html[page.html.index('id="references"') :]
    assert refs.index("Smith WS") < refs.index("Jones A")
    assert "doi.org/10.1212" in refs
    assert 'class="notice"' not in page.html  # a folder without atlas.yaml carries no notice
    assert [t.anchor for t in page.toc] == ["cavitation"]
    assert page.broken_links == ()


def test_unknown_slug_raises(small_content: Path) -> None:
    with pytest.raises(UnknownArticle):
        render_article(load_library(small_content), "nope")


def test_hostile_html_and_paths_are_neutralised(tmp_path: Path) -> None:
    root = write_content(
        tmp_path / "c",
        {
            "evil.md": """
            # Evil
            <script>alert(1)</script>
            <iframe src="https://example.com"></iframe>
            <p onclick="steal()">para</p>
            ![remote](https://example.com/x.png)
            ![escape](../../etc/passwd)
            ![abs](/etc/passwd)
            [js](javascript:alert(1)) [[missing-page]]
            ## Heading {onmouseover="x()"}
        """,
        },
    )
    (tmp_path / "secret.png").write_bytes(b"\x89PNG")
    page = render_article(load_library(root), "evil").body_html
    assert "<script" not in page and "alert(1)</script>" not in page
    assert "<iframe" not in page
    assert "onclick" not in page and "onmouseover" not in page
    assert "example.com/x.png" not in page
    assert 'etc/passwd"' not in page and 'src="/etc' not in page
    assert "javascript:" not in page
    assert "broken-link" in page


def test_figure_gets_caption_width_and_confined_src(tmp_path: Path) -> None:
    svg = '<svg xmlns="http://www.w3.org/2000/svg" width="1280" height="640"></svg>'
    root = write_content(
        tmp_path / "c",
        {
            "t/a.md": '![Alt text](../figures/f.svg "Figure: A caption.")',
            "figures/f.svg": svg,
        },
    )
    page = render_article(load_library(root), "a").body_html
    assert 'src="atlas-res:figures/f.svg"' in page
    assert 'width="640"' in page and 'height="320"' in page
    assert '<p class="caption">Figure: A caption.</p>' in page


def test_citations_numbered_in_reading_order_including_callouts(tmp_path: Path) -> None:
    root = write_content(
        tmp_path / "c",
        {
            "a.md": """
            !!! keypoints "Key points"
                - First [@B2000].

            Then [@A1999] and again [@B2000].
        """,
            "bibliography.yaml": """
            A1999: {authors: A, title: Alpha, container: J, year: 1999}
            B2000: {authors: B, title: Beta, container: J, year: 2000}
        """,
        },
    )
    page = render_article(load_library(root), "a")
    assert page.citations == ("B2000", "A1999")
    assert '<a href="#ref-B2000" title="B2000">1</a>' in page.body_html
    assert '<a href="#ref-A1999" title="A1999">2</a>' in page.body_html


def test_booklet_links_between_its_articles_stay_inside(small_content: Path) -> None:
    from desktop_app.core.render import anchor_for, topic_job

    job = topic_job(load_library(small_content), "techniques")
    assert job.slugs == ("hvla", "mobilisation")
    assert f'href="#{anchor_for("mobilisation")}"' in job.html
    assert f'id="{anchor_for("hvla")}"' in job.html
    assert "{{page:hvla}}" in job.html  # filled in by the printer after layout


def test_callouts_become_boxes_and_shortcodes_vanish_outside_code(tmp_path: Path) -> None:
    from desktop_app.core.render import markdown_to_text

    body = (
        'Intro {{< figure src="x.png" >}} and {{% notice %}}kept text{{% /notice %}}.\n\n'
        "> [!warning] Mind the artery\n> Screen first.\n\n> [!note]\n> Untitled.\n\n"
        "> A plain quote.\n\n```\n> [!note] in code\n{{< in code >}}\n```\n"
    )
    (tmp_path / "v.md").write_text("---\ntitle: V\n---\n" + body, encoding="utf-8")
    html = render_article(load_library(tmp_path), "v").body_html
    assert '<td class="admonition warning">' in html and ">Mind the artery<" in html
    assert '<td class="admonition note">' in html and ">Note<" in html
    assert "<blockquote>" in html and "A plain quote." in html
    assert "figure src" not in html.split("<pre>")[0] and "kept text" in html
    assert "[!note] in code" in html and "{{&lt; in code &gt;}}" in html
    text = markdown_to_text(body)
    assert "[!warning]" not in text and "{{<" not in text.split("in code")[0]
    assert "Mind the artery" in text and "kept text" in text


def test_notice_comes_from_atlas_yaml_only(tmp_path: Path) -> None:
    files = {"a.md": "# Alpha\n\nText.\n"}
    bare_library = load_library(write_content(tmp_path / "bare", files))
    assert bare_library.manifest.title == "bare"  # named after its folder, not "Spine Atlas"
    bare = render_article(bare_library, "a")
    assert 'class="notice"' not in bare.html
    assert "medical advice" not in bare.html
    with_notice = write_content(
        tmp_path / "with",
        {**files, "atlas.yaml": "notice_title: Mind this.\nnotice: Ask a clinician.\n"},
    )
    page = render_article(load_library(with_notice), "a")
    assert "<b>Mind this.</b> Ask a clinician." in page.html


def test_bundled_atlas_carries_its_notice() -> None:
    from desktop_app.paths import content_dir

    library = load_library(content_dir())
    slug = next(iter(library.articles))
    assert "Reference, not medical advice." in render_article(library, slug).html


def test_body_starting_with_its_own_title_gets_one_title(tmp_path: Path) -> None:
    root = write_content(
        tmp_path / "notes",
        {
            "own.md": "# My Note\n\nBody text.\n\n## Part\n",
            "other.md": "---\ntitle: Front Title\n---\n# A different heading\n\nText.\n",
        },
    )
    library = load_library(root)
    own = render_article(library, "own")
    assert own.html.count("My Note</h1>") == 1
    other = render_article(library, "other")
    assert "Front Title</h1>" in other.html
    assert "A different heading</h1>" in other.html
