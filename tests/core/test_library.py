from __future__ import annotations

import textwrap
from pathlib import Path

from desktop_app.core.content import load_library
from desktop_app.diagnostics import Severity
from tests.conftest import write_content


def test_tree_order_titles_and_topics(small_content: Path) -> None:
    library = load_library(small_content)
    assert str(library.root) == textwrap.dedent("""\
        [Contents]
          [Techniques]
            hvla
            mobilisation
          [Safety]
            stroke""")
    hvla = library.articles["hvla"]
    assert hvla.title == "HVLA thrust manipulation"
    assert hvla.aliases == ("high-velocity low-amplitude", "HVLA")
    assert hvla.related == ("mobilisation",)
    assert library.topic_path("hvla") == "Techniques"
    assert library.diagnostics == ()


def test_body_is_read_on_demand(small_content: Path) -> None:
    library = load_library(small_content)
    body = library.read_body("hvla")
    assert body.startswith("The thrust is fast")
    assert "title:" not in body


def test_plain_markdown_folder_loads(tmp_path: Path) -> None:
    root = write_content(
        tmp_path,
        {
            "notes/first.md": "# A heading title\n\nText.",
            "second-note.md": "No heading here.",
        },
    )
    library = load_library(root)
    assert library.articles["first"].title == "A heading title"
    assert library.articles["second-note"].title == "Second note"
    assert library.diagnostics == ()


def test_bad_files_give_diagnostics_and_others_load(tmp_path: Path) -> None:
    root = write_content(
        tmp_path,
        {
            "good.md": "---\ntitle: Good\n---\nFine.",
            "bad-yaml.md": "---\ntitle: [unclosed\n---\nBody survives.",
            "latin1.md": b"caf\xe9 au lait",
            "binary.md": b"\x00\x01\x02PNG",
            "a/dup.md": "one",
            "b/dup.md": "two",
            "bomb.md": "---\na: &a [x, x]\nb: [*a, *a]\n---\nbody",
        },
    )
    library = load_library(root)
    assert "good" in library.articles
    assert "bad-yaml" in library.articles  # loaded without its front matter
    assert "Body survives" in library.read_body("bad-yaml")
    assert "latin1" not in library.articles
    assert "binary" not in library.articles
    messages = {d.path.name: (d.line, d.message) for d in library.diagnostics}
    assert messages["bad-yaml.md"][0] == 3
    assert "invalid YAML" in messages["bad-yaml.md"][1]
    assert "UTF-8" in messages["latin1.md"][1]
    assert "binary" in messages["binary.md"][1]
    assert "dup.md" not in messages  # two files named alike are two articles
    assert {"a/dup", "b/dup"} <= set(library.articles)
    assert "anchors are not allowed" in messages["bomb.md"][1]
    assert all(d.severity is Severity.ERROR for d in library.diagnostics)


def test_missing_folder_is_a_diagnostic(tmp_path: Path) -> None:
    library = load_library(tmp_path / "nope")
    assert library.articles == {}
    assert "does not exist" in library.diagnostics[0].message


def test_code_spans_and_fenced_code_never_hold_links(tmp_path: Path) -> None:
    from desktop_app.core.content import find_links

    body = (
        "Use `[[ -z $x ]]` in shell and ``[[not a link]]`` and `[see](nowhere)`; "
        "[[real-link]] is a link.\n\n```sh\n[[ -f file ]]\n```\n"
    )
    assert [link.target.slug for link in find_links(body)] == ["real-link"]


def test_toml_front_matter_is_read_and_its_errors_name_the_line(tmp_path: Path) -> None:
    from desktop_app.core.content import FrontMatterError
    from desktop_app.core.content.frontmatter import split_front_matter

    split = split_front_matter(
        '+++\ntitle = "Hugo page"\nweight = 3\ntags = ["a", "b"]\n+++\nBody\n'
    )
    assert split.meta == {"title": "Hugo page", "weight": 3, "tags": ["a", "b"]}
    assert split.body == "Body\n" and split.body_line == 6
    try:
        split_front_matter('+++\ntitle = "ok"\nweight = = 3\n+++\nBody\n')
    except FrontMatterError as exc:
        assert exc.line == 3 and "TOML" in str(exc)
    else:
        raise AssertionError("bad TOML was accepted")


def test_a_hugo_page_with_toml_front_matter_and_weight_is_ordered(tmp_path: Path) -> None:
    (tmp_path / "b.md").write_text('+++\ntitle = "Second"\nweight = 2\n+++\nB body\n', "utf-8")
    (tmp_path / "a.md").write_text('+++\ntitle = "First"\nweight = 1\n+++\nA body\n', "utf-8")
    library = load_library(tmp_path)
    assert [library.articles[s].title for s in library.ordered_slugs()] == ["First", "Second"]
    assert library.read_body("a").strip() == "A body"
