"""``spine-atlas notes``: add by path or slug, list with state, export, import; edits re-anchor."""

from __future__ import annotations

import json
from pathlib import Path

from desktop_app.cli import main
from tests.conftest import run_cli


def _run(capsys, *args: str) -> tuple[int, str, str]:  # type: ignore[no-untyped-def]
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_add_list_export_import(small_content: Path, tmp_path: Path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    c = ("--content", str(small_content))
    hvla = next(small_content.rglob("hvla.md"))
    rel = hvla.relative_to(small_content).as_posix()
    text = hvla.read_text(encoding="utf-8")
    body_words = text.split("---", 2)[2].split()
    passage = " ".join(body_words[:4]).strip("*_#[]")
    code, out, _ = _run(capsys, "notes", "add", rel, "--quote", passage, "--note", "mine", *c)
    assert code == 0 and out.startswith("urn:uuid:")
    code, _, err = _run(capsys, "notes", "add", "hvla", "--quote", "not in it at all", *c)
    assert code == 2 and "not in the article" in err

    code, out, _ = _run(capsys, "notes", "list", "--json", *c)
    [row] = [json.loads(line) for line in out.splitlines()]
    assert row["path"] == rel and row["state"] == "anchored" and row["note"] == "mine"
    assert set(row) >= {"id", "path", "quote", "note", "state", "current"}

    # A new edition rewrites the article: the note is detached, shown, never dropped.
    hvla.write_text(text.split("---", 2)[0] + "---" + text.split("---", 2)[1] + "---\nNew text.\n")
    code, out, _ = _run(capsys, "notes", "list", "--json", *c)
    assert json.loads(out)["state"] == "detached"

    target = tmp_path / "notes.jsonld"
    assert _run(capsys, "notes", "export", "--format", "jsonld", "-o", str(target), *c)[0] == 0
    code, out, _ = _run(capsys, "notes", "export", "--format", "md", *c)
    assert "detached" in out and "mine" in out
    monkeypatch.setenv("SPINE_ATLAS_DATA_DIR", str(tmp_path / "elsewhere"))
    assert _run(capsys, "notes", "import", str(target), *c)[1].startswith("1 added")
    assert _run(capsys, "notes", "import", str(target), *c)[1].startswith("0 added")


def test_pdf_export_with_notes_marks_them_and_lists_them(
    small_content: Path, tmp_path: Path, capsys
) -> None:  # type: ignore[no-untyped-def]
    import shutil
    import subprocess

    import pytest

    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) is not installed")
    c = ("--content", str(small_content))
    assert (
        _run(capsys, "notes", "add", "hvla", "--quote", "thrust", "--note", "Exam point", *c)[0]
        == 0
    )
    out = tmp_path / "hvla.pdf"
    # In a child process: export makes a QGuiApplication, which would outlive this test.
    assert run_cli("export", "hvla", "-o", str(out), "--with-notes", *c).returncode == 0
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True).stdout
    assert "My notes" in text and "Exam point" in text
    plain = tmp_path / "plain.pdf"
    assert run_cli("export", "hvla", "-o", str(plain), *c).returncode == 0
    text = subprocess.run(["pdftotext", str(plain), "-"], capture_output=True, text=True).stdout
    assert "My notes" not in text


def test_an_unusable_notes_folder_is_named_not_a_traceback(
    small_content: Path, tmp_path: Path, capsys, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    monkeypatch.setenv("SPINE_ATLAS_DATA_DIR", str(blocker / "data"))
    code, _, err = _run(capsys, "notes", "list", "--content", str(small_content))
    assert code == 2 and "not-a-folder" in err
