from __future__ import annotations

import json
from pathlib import Path

from desktop_app.cli import main
from tests.conftest import run_cli, write_content


def test_search_json(small_content: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    code = main(
        [
            "search",
            "thrust",
            "--json",
            "--limit",
            "2",
            "--content",
            str(small_content),
            "--index-dir",
            str(tmp_path / "ix"),
        ]
    )
    assert code == 0
    data = json.loads(capsys.readouterr().out)
    assert data["query"] == "thrust"
    assert data["total"] >= 1
    assert data["suggestion"] is None
    hit = data["hits"][0]
    assert set(hit) == {"slug", "title", "topic", "score", "snippet", "section", "anchor", "path"}
    assert hit["path"] == "techniques/hvla.md"
    assert data["hits"][0]["slug"] == "hvla"


def test_search_stdin_one_line_per_query(small_content: Path, tmp_path: Path) -> None:
    result = run_cli(
        "search",
        "--stdin",
        "--json",
        "--content",
        str(small_content),
        "--index-dir",
        str(tmp_path / "ix"),
        stdin="thrust\ncavitaton\n",
    )
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["query"] for line in lines] == ["thrust", "cavitaton"]
    assert lines[1]["suggestion"] == "cavitation"


def test_check_reports_file_and_line(tmp_path: Path) -> None:
    root = write_content(
        tmp_path / "c",
        {
            "a.md": "---\ntitle: A\n---\nSee [[nowhere]].\n",
            "b.md": "---\ntitle: [oops\n---\n",
        },
    )
    result = run_cli("check", "--content", str(root))
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert any(line.endswith("a.md:4: error: broken link: no article 'nowhere'") for line in lines)
    assert any("b.md:3: error: invalid YAML" in line for line in lines)
    assert lines[-1] == "2 errors, 0 warnings"
    assert "Traceback" not in result.stderr


def test_content_given_before_the_subcommand_is_used(tmp_path: Path) -> None:
    # argparse lets a subcommand's defaults overwrite options given before it; they must not
    root = write_content(tmp_path / "c", {"a.md": "---\ntitle: A\n---\nSee [[nowhere]].\n"})
    before = run_cli("--content", str(root), "check")
    after = run_cli("check", "--content", str(root))
    assert before.returncode == 1
    assert before.stdout == after.stdout
    assert "a.md:4: error: broken link" in before.stdout


def test_check_bundled_content_has_no_errors() -> None:
    result = run_cli("check")
    assert result.stdout.splitlines()[-1] == "0 errors, 0 warnings", result.stdout[-3000:]
    assert result.returncode == 0


def test_render_prints_html() -> None:
    result = run_cli("render", "spinal-manipulation-overview")
    assert result.returncode == 0
    assert "<h1" in result.stdout and "Spinal manipulation: overview" in result.stdout
    assert 'id="references"' in result.stdout


def test_render_unknown_slug_is_a_clear_error() -> None:
    result = run_cli("render", "no-such-article")
    assert result.returncode == 2
    assert "no-such-article" in result.stderr and "Traceback" not in result.stderr


def test_index_command(small_content: Path, tmp_path: Path) -> None:
    result = run_cli("index", "--content", str(small_content), "--index-dir", str(tmp_path / "ix"))
    assert result.returncode == 0
    assert result.stdout.startswith("3 articles indexed")
    result = run_cli(
        "index", "--rebuild", "--content", str(small_content), "--index-dir", str(tmp_path / "ix")
    )
    assert result.returncode == 0


def test_bare_start_parses_like_the_parser() -> None:
    from desktop_app.cli import build_parser, parse_args

    assert parse_args([]) == build_parser().parse_args([])  # the no-parser fast path
    assert parse_args(["--self-test"]).self_test


def test_child_build_reports_progress_and_leaves_an_index_to_open(
    small_content: Path, tmp_path: Path
) -> None:
    from desktop_app.core.content import load_library
    from desktop_app.core.search import SearchIndex
    from desktop_app.workspace import ChildBuild

    index_dir = tmp_path / "index"
    assert not SearchIndex.exists(index_dir)
    seen: list[tuple[int, int]] = []

    def progress(done: int, total: int) -> None:
        seen.append((done, total))

    assert ChildBuild().run(small_content, index_dir, progress)
    assert seen and seen[-1] == (3, 3)
    assert [done for done, _ in seen] == sorted(done for done, _ in seen)
    assert SearchIndex.exists(index_dir)
    rebuilt: list[int] = []
    index = SearchIndex.open_or_build(
        load_library(small_content), index_dir, lambda done, _total: rebuilt.append(done)
    )
    try:
        assert index.doc_count == 3 and index.location is not None
        assert not rebuilt  # opened as the child left it, not built again
        assert index.search("thrust", limit=3).hits[0].slug == "hvla"
    finally:
        index.close()


def test_child_build_that_cannot_write_or_was_cancelled_says_so(
    small_content: Path, tmp_path: Path
) -> None:
    from desktop_app.core.search import SearchIndex
    from desktop_app.workspace import ChildBuild

    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    # The child falls back to an index in memory: nothing on disk, so the caller builds itself.
    assert not ChildBuild().run(small_content, blocker / "index", lambda done, total: None)
    cancelled = ChildBuild()
    cancelled.cancel()
    assert not cancelled.run(small_content, tmp_path / "index", lambda done, total: None)
    assert not SearchIndex.exists(tmp_path / "index")


def test_list_names_every_article_and_folder_page(tmp_path: Path) -> None:
    root = write_content(
        tmp_path / "c",
        {"a/index.md": "# A\n\nx", "a/same.md": "# One", "b/same.md": "# Two", "c.md": "# C"},
    )
    result = run_cli("list", "--json", "--content", str(root))
    assert result.returncode == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert {r["path"]: (r["slug"], r["kind"]) for r in rows} == {
        "c.md": ("c", "article"),
        "a/index.md": ("a/index", "page"),
        "a/same.md": ("a/same", "article"),
        "b/same.md": ("b/same", "article"),
    }
    assert {r["title"] for r in rows} == {"A", "One", "Two", "C"}
