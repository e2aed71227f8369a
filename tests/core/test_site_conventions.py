"""What a notes vault, an MkDocs site and a Hugo site revealed (issue 14, second round)."""

from __future__ import annotations

from pathlib import Path

from desktop_app.core.content import load_library
from desktop_app.core.render import check_content, render_article
from tests.conftest import write_content


def _found(root: Path) -> list[tuple[str, str]]:
    return [(d.severity.value, d.message) for d in check_content(load_library(root))]


def _errors(root: Path) -> list[str]:
    return [m for s, m in _found(root) if s == "error"]


def test_template_placeholders_in_front_matter_are_text(tmp_path: Path) -> None:
    root = write_content(
        tmp_path,
        {
            "Templates/Book.md": '---\ncategories:\n  - "[[Books]]"\ncreated: {{date}}\n'
            "tags:\n  - {{title}}\n---\n\nBody.\n",
            "Books.md": "# Books\n",
        },
    )
    library = load_library(root)
    assert library.diagnostics == ()
    assert library.articles["Book"].tags == ("{{title}}",)
    assert _errors(root) == []


def test_a_related_property_written_as_a_wiki_link_names_the_note(tmp_path: Path) -> None:
    root = write_content(
        tmp_path,
        {
            "Categories/Podcasts.md": '---\nrelated: "[[Podcast episodes|episodes]]"\n---\n\nA.\n',
            "Categories/Podcast episodes.md": "# Podcast episodes\n",
        },
    )
    library = load_library(root)
    assert library.articles["Podcasts"].related == ("Podcast episodes",)
    assert 'href="atlas:Podcast episodes"' in render_article(library, "Podcasts").html
    assert _errors(root) == []


def test_hugo_code_shortcodes_are_code_and_hold_no_links(tmp_path: Path) -> None:
    root = write_content(
        tmp_path,
        {
            "menus.md": (
                "Configure it:\n\n{{< code-toggle file=hugo >}}\n[[menus.main]]\nname = 'About'\n"
                '{{< /code-toggle >}}\n\n{{< highlight go "linenos=true" >}}\nx := [a](b)\n'
                '{{< /highlight >}}\n\n```go-html-template {file="layouts/x.html"}\n'
                '<a href="{{ .RelPermalink }}">{{ .Title }}</a>\n```\n'
            ),
        },
    )
    body = render_article(load_library(root), "menus").body_html
    assert "<pre><code>[[menus.main]]" in body
    assert '<pre><code class="language-go">x := [a](b)' in body
    assert '&lt;a href="{{ .RelPermalink }}"&gt;' in body  # the fence is code
    assert _found(root) == []


def test_a_link_to_a_section_without_a_page_opens_its_first_page(tmp_path: Path) -> None:
    root = write_content(
        tmp_path,
        {
            "functions/_index.md": "---\ntitle: Functions\n---\n",
            "functions/time/_index.md": "---\ntitle: time\n---\n",
            "functions/time/b.md": "---\ntitle: B\nweight: 2\n---\n\nB.",
            "functions/time/a.md": "---\ntitle: A\nweight: 1\n---\n\nA.",
            "guide.md": "See [time functions](/functions/time/) and [[time]].\n",
        },
    )
    library = load_library(root)
    html = render_article(library, "guide").body_html
    assert 'href="atlas:a"' in html  # Markdown links to a folder: its first page
    assert _errors(root) == ["broken link: no article 'time'"]  # a wiki link names a note


def test_a_site_hook_word_links_the_page_its_text_names(tmp_path: Path) -> None:
    root = write_content(
        tmp_path,
        {
            "glossary/template-action.md": "---\ntitle: template action\n---\n\nAn action.",
            "glossary/identifier.md": "---\ntitle: identifier\n---\n\nA name.",
            "methods/Identifier.md": "---\ntitle: Identifier\n---\n\nThe method.",
            "intro.md": ("A [_template action_](g) with [identifiers](g) and a [`float`](g).\n"),
        },
    )
    html = render_article(load_library(root), "intro").body_html
    assert 'href="atlas:template-action"' in html
    assert 'href="atlas:identifier"' in html  # the glossary's page, not the method
    # 'float' names no page: only the site's hook (outside the folder) knows what it makes
    assert _errors(root) == []
    severity, message = next((sev, m) for sev, m in _found(root) if "float" in m)
    assert severity == "warning"
    assert message.startswith("link not checked: '[`float`](g)' is made by the site's link hook")


def test_a_bare_word_no_link_resolves_stays_a_broken_link(tmp_path: Path) -> None:
    root = write_content(tmp_path, {"a.md": "See [the intro](intro) and [[intro]].\n"})
    assert sorted(_errors(root)) == [
        "broken link: no article 'intro'",
        "broken link: no article 'intro' (link text 'the intro')",
    ]


def test_definition_terms_and_numbered_repeats_are_anchors(tmp_path: Path) -> None:
    root = write_content(
        tmp_path,
        {
            "formats.md": (
                "## Targets\n\nOne.\n\n## Targets\n\nTwo.\n\n`permalinkable`\n: Whether to.\n\n"
                "Step 2\n: Then.\n"
            ),
            "use.md": (
                "[a](formats.md#permalinkable), [b](formats.md#step-2), "
                "[c](formats.md#targets-1), [d](formats.md#nowhere)\n"
            ),
        },
    )
    body = render_article(load_library(root), "formats").body_html
    assert '<dt id="permalinkable">' in body and '<dt id="step-2">' in body
    assert _errors(root) == ["broken anchor: 'formats#nowhere'"]


def test_headings_in_markdown_html_blocks_and_tabs_are_found(tmp_path: Path) -> None:
    root = write_content(
        tmp_path,
        {
            "grids.md": (
                '<div class="grid" markdown>\n\n## Using card grids\n\n*Cards*\n\n</div>\n\n'
                '## Tabs\n\n=== "Open me"\n\n    One.\n\n=== "... or even me"\n\n    Two.\n'
            ),
            "plugins/index.md": "## Multiple instances\n\nYes.\n",
            "plugins/social.md": (
                "[a](../grids.md#using-card-grids), [b](index.md#multiple-instances), "
                "[c](../grids.md#tabs--or-even-me), [d](../grids.md#using-grids)\n"
            ),
            "index.md": "# Home\n",
        },
    )
    body = render_article(load_library(root), "grids").body_html
    assert '<h2 id="using-card-grids">' in body and "<em>Cards</em>" in body  # md_in_html
    assert _errors(root) == ["broken anchor: 'grids#using-grids'"]


def test_an_anchor_into_a_page_a_macro_builds_is_a_warning(tmp_path: Path) -> None:
    root = write_content(
        tmp_path,
        {
            "ref.md": "# Ref\n\n{{ render_options('ref') }}\n\n```\n{{ not this }}\n```\n",
            "plain.md": "# Plain\n\n```\n{% in code %}\n```\n",
            "use.md": "[a](ref.md#some-option) and [b](plain.md#some-option)\n",
        },
    )
    found = _found(root)
    assert ("error", "broken anchor: 'plain#some-option'") in found  # templates only in code
    assert any(s == "warning" and m.startswith("anchor not checked: 'ref#") for s, m in found)
    assert len(found) == 2


def test_simple_front_matter_is_read_as_pyyaml_reads_it() -> None:
    import yaml

    from desktop_app.core.content.frontmatter import _locate, _simple_yaml

    samples = [
        'title: "A \\"quoted\\" title"\norder: 3',
        "on: x",
        "a: yes",
        "a: [yes, b]",
        "a: 1.5",
        "a: 2023-01-01",
        "a: b # c",
        "a: 012",
        "t: don't stop",
        "a: []",
        "title: [unclosed",
        "a: [b, c",
        "a: Null",
        'title: "Plain"\ntags: [a b, "c d", e-f]\norder: 12\nsummary: Words, more words.',
    ]
    root = Path(__file__).resolve().parents[2] / "content"
    for path in sorted(root.rglob("*.md")):
        text, fenced, end = _locate(path.read_text(encoding="utf-8"))
        if fenced and end is not None:
            samples.append(text[end[0] : end[1]])
    fast = 0
    for raw in samples:
        simple = _simple_yaml(raw)
        if simple is not None:
            fast += 1
            assert simple == yaml.safe_load(raw), raw  # invalid YAML never takes this path
    assert fast > len(samples) // 2  # the bundled articles take the fast path


def test_a_missing_embed_or_section_is_a_clear_diagnostic(tmp_path: Path) -> None:
    root = write_content(
        tmp_path,
        {
            "A.md": "# A\n\n![[Nowhere]]\n\n![[B#Missing part]]\n\n![[B#Part]]\n",
            "B.md": "# B\n\n## Part\n\nShown.\n",
        },
    )
    html = render_article(load_library(root), "A").body_html
    assert "No section 'Missing part' in this note." in html and "Shown." in html
    assert sorted(_errors(root)) == [
        "broken embed: no article 'Nowhere'",
        "broken embed: no such section 'B#Missing part'",
    ]
