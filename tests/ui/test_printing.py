from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from desktop_app.core.content import load_library
from desktop_app.ui.printing import export_pdf
from tests.conftest import CONTENT

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")


def pdf_text(path: Path, *, layout: bool = True) -> list[str]:
    """Return the text of each page (in reading layout, or in drawing order)."""
    args = ["pdftotext", *(["-layout"] if layout else []), str(path), "-"]
    out = subprocess.run(args, capture_output=True, text=True, check=True).stdout
    return out.split("\f")[:-1]


def test_article_pdf_has_header_footer_and_references(qtbot: QtBot, tmp_path: Path) -> None:
    library = load_library(CONTENT)
    pdf = tmp_path / "hvla.pdf"
    pages = export_pdf(library, "hvla-thrust-manipulation", pdf, "A4")
    text = pdf_text(pdf)
    assert len(text) == pages >= 2
    title = library.articles["hvla-thrust-manipulation"].title
    for page in pdf_text(pdf, layout=False):
        # The running header comes first: no line of the previous page is painted (clipped,
        # invisible, but extractable) above it.
        assert page.splitlines()[0] == title
    for number, page in enumerate(text, 1):
        assert f"page {number} of {pages}" in page
        assert "Spine Atlas · content edition" in page
    whole = "\n".join(text)
    assert "Reference, not medical advice." in whole
    assert "References" in whole and "Pickar" in whole


def test_letter_and_a4_page_sizes(qtbot: QtBot, tmp_path: Path) -> None:
    library = load_library(CONTENT)
    for size, points in (("A4", "595"), ("Letter", "612")):
        pdf = tmp_path / f"{size}.pdf"
        export_pdf(library, "neck-pain", pdf, size)
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
        assert re.search(rf"Page size:\s+{points}(\.\d+)? x", info), info


def test_topic_booklet_in_tree_order_with_correct_contents(qtbot: QtBot, tmp_path: Path) -> None:
    library = load_library(CONTENT)
    pdf = tmp_path / "techniques.pdf"
    export_pdf(library, "techniques", pdf, "A4")
    pages = pdf_text(pdf)
    slugs = library.ordered_slugs(library.topics["techniques"])
    titles = [library.articles[s].title for s in slugs]
    contents = next(p for p in pages if "Contents" in p)
    listed = {}
    for title in titles:
        match = re.search(re.escape(title[:40]) + r".*?(\d+)\s*$", contents, re.M | re.S)
        assert match, title
        listed[title] = int(match.group(1))
    assert list(listed.values()) == sorted(listed.values())
    for title, number in listed.items():
        # The article's title appears, as a heading, on the page the contents names.
        body = pages[number - 1]
        assert title.split(" (")[0][:30] in body.replace("\n", " ")
    assert pages[0].count("Reference, not medical advice") == 1


def test_export_to_missing_folder_is_a_clear_error(qtbot: QtBot, tmp_path: Path) -> None:
    from desktop_app.errors import ExportError

    with pytest.raises(ExportError, match="does not exist"):
        export_pdf(load_library(CONTENT), "neck-pain", tmp_path / "no" / "x.pdf")


def _largest_topic(library) -> str:  # type: ignore[no-untyped-def]
    def words(topic: str) -> int:
        slugs = library.ordered_slugs(library.topics[topic])
        return sum(len(library.read_body(s).split()) for s in slugs)

    return max((t for t in library.topics if t), key=words)


def test_headings_end_no_page_and_figures_and_tables_are_whole(qtbot: QtBot) -> None:
    from PySide6.QtGui import QTextDocument

    from desktop_app.core.render import job_for
    from desktop_app.ui.printing import layout_for, make_pdf_printer

    library = load_library(CONTENT)
    job = job_for(library, _largest_topic(library))
    layout = layout_for(job, CONTENT, make_pdf_printer(Path("unused.pdf"), "A4"))
    height = layout.body.height()

    def page(y: float) -> int:
        return int(y // height)

    def blocks(doc: QTextDocument):  # type: ignore[no-untyped-def]
        block = doc.begin()
        while block.isValid():
            yield block
            block = block.next()

    headings = figures = tables = 0
    for doc in layout.documents:
        lay = doc.documentLayout()
        for block in blocks(doc):
            rect = lay.blockBoundingRect(block)
            if block.blockFormat().headingLevel() > 0:
                headings += 1
                following = block.next()
                while following.isValid() and not following.text().strip():
                    following = following.next()
                if following.isValid():
                    assert page(lay.blockBoundingRect(following).top()) == page(rect.top()), (
                        f"heading {block.text()!r} is the last line of a page"
                    )
            if "\ufffc" in block.text():  # an image
                figures += 1
                assert page(rect.top()) == page(rect.bottom() - 1), "a figure is split"
        for frame in doc.rootFrame().childFrames():
            tables += 1
            rect = lay.frameBoundingRect(frame)
            if rect.height() < height:
                assert page(rect.top()) == page(rect.bottom() - 1), "a table or callout is split"
    assert headings > 20 and tables > 5
