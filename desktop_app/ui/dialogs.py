"""The main window's small dialogs: an external link, the shortcut list, About."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from desktop_app.ui.navigation import APP_TITLE

if TYPE_CHECKING:
    from desktop_app.core.content import Manifest


def ask_external_link(parent: QWidget, url: str) -> QMessageBox:
    """Ask before leaving the app for a web address: open it, copy it, or cancel."""
    box = QMessageBox(parent)
    box.setWindowTitle("External link")
    box.setText("This link leaves Spine Atlas and needs an internet connection:")
    box.setInformativeText(url)
    open_button = box.addButton("Open in browser", QMessageBox.ButtonRole.AcceptRole)
    copy_button = box.addButton("Copy address", QMessageBox.ButtonRole.ActionRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.open()

    def chosen(button: object) -> None:
        if button is open_button:
            QDesktopServices.openUrl(QUrl(url))
        elif button is copy_button:
            QApplication.clipboard().setText(url)

    box.buttonClicked.connect(chosen)
    return box


def show_shortcuts(parent: QWidget, rows: list[tuple[str, str]]) -> None:
    """List the keyboard shortcuts."""
    table = "".join(
        f"<tr><td>{html.escape(name)}</td><td><b>{html.escape(keys_text)}</b></td></tr>"
        for name, keys_text in rows
    )
    extra = (
        "<tr><td>In the search field</td><td><b>Down</b> results, <b>Enter</b> open, "
        "<b>Esc</b> topics</td></tr><tr><td>History</td><td>mouse back/forward "
        "buttons</td></tr>"
    )
    QMessageBox.information(
        parent, "Keyboard shortcuts", f"<table cellspacing='6'>{table}{extra}</table>"
    )


def show_about(parent: QWidget, m: Manifest, articles: int) -> None:
    """Show the About box: the content's title, edition, scope and sources."""
    edition = f"<p>Content edition {html.escape(m.edition)}</p>" if m.edition else ""
    notice = f"<b>{html.escape(m.notice_title)}</b> " if m.notice_title else ""
    QMessageBox.about(
        parent,
        f"About {APP_TITLE}",
        f"<h3>{html.escape(m.title)}</h3>{edition}"
        f"<p>{html.escape(m.description)}</p><p>{html.escape(m.scope)}</p>"
        f"<p>{html.escape(m.sources)}</p>"
        f"<p>{notice}{articles} articles.</p>",
    )
