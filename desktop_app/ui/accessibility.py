"""Screen-reader support (issue 12): announcements, heading and link navigation, names.

Everything here is wired onto the finished window by ``install(window)``, so the widgets'
own modules stay as they are. Orca (or any AT-SPI client) hears:

- live information: the result count, the find bar's "n of m", status-bar messages (index
  status), "Did you mean …?", the opened article's title, heading and link jumps;
- names on every focusable control (the search field's clear button, the toolbar's overflow
  button, combo-box popups, popup menus);
- expand/collapse of topics in the tree (a state-change event and an announcement).

The article pane keeps Qt's Text interface (caret browsing, line by line). Qt's AT-SPI bridge
has no Hypertext interface, so the pane's viewport carries the article's structure as accessible
objects instead (``article_structure``): each heading (role heading, with its level) and each
link (role link, with a press action). From the keyboard, H / Shift+H (or Alt+Down / Alt+Up)
jump to the next / previous heading and announce "Heading level n, title"; Tab / Shift+Tab move
between links, which are announced ("Link, text"), and Enter follows one.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from typing import TYPE_CHECKING
from urllib.parse import unquote

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt, QTimer, QUrl
from PySide6.QtGui import (
    QAccessible,
    QKeyEvent,
    QKeySequence,
    QShortcut,
    QTextBlock,
    QTextCursor,
)
from PySide6.QtWidgets import (
    QComboBox,
    QLabel,
    QLineEdit,
    QMenu,
    QMenuBar,
    QToolButton,
    QWidget,
)

from desktop_app.core.content import APP_SCHEME
from desktop_app.ui.structure_factory import install_structure

if TYPE_CHECKING:
    from PySide6.QtGui import QAccessibleInterface
    from PySide6.QtWidgets import QTextBrowser, QTreeView

    from desktop_app.ui.main_window import MainWindow

NEXT_HEADING_KEYS = ("H", "Alt+Down")
PREVIOUS_HEADING_KEYS = ("Shift+H", "Alt+Up")
OUTLINE_KEYS = ("Ctrl+Shift+O",)
_TAGS = re.compile(r"<[^>]+>")


def announce(widget: QObject, message: str, *, assertive: bool = False) -> None:
    """Make a screen reader say ``message`` (an AT-SPI ``object:announcement``)."""
    if not message or not QAccessible.isActive():
        return
    from PySide6.QtGui import QAccessibleAnnouncementEvent

    event = QAccessibleAnnouncementEvent(widget, message)
    if assertive:
        event.setPoliteness(QAccessible.AnnouncementPoliteness.Assertive)
    QAccessible.updateAccessibility(event)


def plain(rich: str) -> str:
    """Return the text of a bit of rich text (a snippet with <b> marks)."""
    return html.unescape(_TAGS.sub("", rich)).strip()


def menu_name(menu: QMenu) -> str:
    """Return the name a popup menu should carry: its title without the & mnemonic."""
    return menu.title().replace("&&", "\0").replace("&", "").replace("\0", "&")


# -- the article: headings and links ------------------------------------------------------------
def heading_level(block: QTextBlock) -> int:
    """Return the block's heading level (1-6), 0 for body text."""
    return block.blockFormat().headingLevel()


def heading_text(block: QTextBlock) -> str:
    """Return a heading's words (without the pilcrow anchors some renderers add)."""
    return block.text().replace("\u2029", " ").strip()


def jump_to_heading(view: QTextBrowser, forward: bool = True) -> QTextBlock | None:
    """Move the caret to the next (or previous) heading, announce it; None at the end."""
    block = view.textCursor().block()
    block = block.next() if forward else block.previous()
    while block.isValid() and not heading_level(block):
        block = block.next() if forward else block.previous()
    if not block.isValid():
        announce(view, "No more headings" if forward else "No previous heading")
        return None
    place_caret(view, block.position())
    announce_heading(view, block)
    return block


def announce_heading(view: QTextBrowser, block: QTextBlock) -> None:
    """Say "Heading level n, title"."""
    announce(view, f"Heading level {heading_level(block)}, {heading_text(block)}", assertive=True)


def place_caret(view: QTextBrowser, position: int) -> None:
    """Put the reading caret at ``position`` (no selection) and show it."""
    cursor = QTextCursor(view.document())
    cursor.setPosition(position)
    view.setTextCursor(cursor)
    view.ensureCursorVisible()


def anchor_block(view: QTextBrowser, anchor: str) -> QTextBlock | None:
    """Return the block that carries the HTML anchor ``anchor`` (a heading's id)."""
    block = view.document().begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            if anchor in it.fragment().charFormat().anchorNames():
                return block
            it += 1
        block = block.next()
    return None


def move_to_anchor(view: QTextBrowser, anchor: str) -> None:
    """Move the caret (the reading point) to an anchor's heading, focus the article, announce."""
    block = anchor_block(view, anchor)
    if block is None:
        return
    place_caret(view, block.position())
    view.scrollToAnchor(anchor)
    view.setFocus(Qt.FocusReason.OtherFocusReason)
    announce_heading(view, block)


def announce_link(view: QTextBrowser) -> None:
    """Say which link Tab / Shift+Tab selected ("Link, text"; "Reference 3" for a citation)."""
    cursor = view.textCursor()
    text = cursor.selectedText().strip()
    if not text or not view.hasFocus():
        return
    probe = QTextCursor(cursor)
    probe.setPosition(cursor.selectionStart() + 1)
    fmt = probe.charFormat()
    if not fmt.isAnchor():
        return
    href = fmt.anchorHref()
    announce(view, f"Reference {text}" if href.startswith("#ref-") else f"Link, {text}")


class LinkAnnouncer(QObject):
    """Announce the link Tab / Shift+Tab selects (Qt moves to it without any signal)."""

    def __init__(self, view: QTextBrowser) -> None:
        super().__init__(view)
        self._view = view
        view.installEventFilter(self)

    def eventFilter(self, _watched: QObject, event: QEvent) -> bool:
        """After a Tab or Shift+Tab has been handled, say where it landed."""
        pressed = event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent)
        if pressed and event.key() in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab):  # type: ignore[attr-defined]
            QTimer.singleShot(0, self, lambda: announce_link(self._view))
        return False


def follow_first_link(label: QLabel) -> None:
    """Activate a label's first link, as a click on it would ("Did you mean …?")."""
    found = re.search(r'href="([^"]+)"', label.text())
    if found and label.isVisible():
        label.linkActivated.emit(html.unescape(found.group(1)))


class ActivateOnKeys(QObject):
    """Run ``action`` when Enter, Return or Space is pressed on a widget (a label's link)."""

    KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space)

    def __init__(self, widget: QWidget, action: Callable[[], None]) -> None:
        super().__init__(widget)
        self._action = action
        widget.installEventFilter(self)

    def eventFilter(self, _watched: QObject, event: QEvent) -> bool:
        """Swallow the key and act."""
        pressed = event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent)
        if pressed and event.key() in self.KEYS:  # type: ignore[attr-defined]
            self._action()
            return True
        return False


def link_label(window: MainWindow, href: str) -> str:
    """Say where a link goes: an article's title, a section, a note or a web address."""
    url = QUrl(href)
    if url.scheme() == APP_SCHEME:
        slug = unquote(url.path()) or (window.article_view.slug or "")
        article = window.library.get(slug)
        title = article.title if article else slug
        return f"article {title}" if url.path() else "a section of this article"
    if href.startswith("#"):
        return "a section of this article"
    if url.scheme() == "note":
        return "your note"
    return href


# -- names ---------------------------------------------------------------------------------------
def name_controls(window: QWidget) -> None:
    """Give a name to the focusable controls Qt leaves unnamed, and to every popup menu."""
    for line_edit in window.findChildren(QLineEdit):
        for button in line_edit.findChildren(QToolButton):
            if not button.accessibleName():
                button.setAccessibleName("Clear")
                button.setToolTip("Clear")
    for object_name, name in (
        ("qt_toolbar_ext_button", "More tools"),
        ("qt_menubar_ext_button", "More menus"),
    ):
        for button in window.findChildren(QToolButton, object_name):
            if not button.accessibleName():
                button.setAccessibleName(name)
    for combo in window.findChildren(QComboBox):
        if not combo.view().accessibleName():
            combo.view().setAccessibleName(combo.accessibleName() or "Choices")
    for menu in window.findChildren(QMenu):
        name_menu(menu)


def name_menu(menu: QMenu) -> None:
    """Name a popup menu after its title, now and whenever the title changes before a show."""
    if menu.accessibleName():
        return
    fallback = "More menus" if isinstance(menu.parent(), QMenuBar) else "Menu"
    menu.setAccessibleName(menu_name(menu) or fallback)
    if not menu.title():  # titled later (a context menu): name it when it opens
        menu.aboutToShow.connect(lambda m=menu: m.setAccessibleName(menu_name(m) or fallback))


# -- live information ----------------------------------------------------------------------------
class LiveLabel(QObject):
    """Keep a label's accessible name equal to what it shows, and announce each change."""

    def __init__(self, label: QLabel, prefix: str = "") -> None:
        super().__init__(label)
        self.label = label
        self.prefix = prefix
        self._said = ""
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(300)  # one announcement per burst of typing
        self._timer.timeout.connect(self._say)

    def update(self) -> None:
        """Call after the label's text changed."""
        text = plain(self.label.text())
        self.label.setAccessibleName(f"{self.prefix}{text}" if text else self.prefix.rstrip(": "))
        if text and self.label.isVisible():
            self._timer.start()

    def _say(self) -> None:
        text = plain(self.label.text())
        if text and text != self._said and self.label.isVisible():
            self._said = text
            announce(self.label, text)

    def forget(self) -> None:
        """Let the same text be announced again (a new search)."""
        self._said = ""


def tree_state_changes(tree: QTreeView) -> None:
    """Send expanded/collapsed state changes (and an announcement) when a topic opens or closes."""

    def changed(index: QModelIndex, expanded: bool) -> None:
        from PySide6.QtGui import QAccessibleStateChangeEvent

        title = str(index.data() or "")
        state = QAccessible.State()
        state.expanded = True
        state.collapsed = True

        cell = _tree_cell(tree, title)
        QAccessible.updateAccessibility(QAccessibleStateChangeEvent(cell or tree, state))
        announce(tree, f"{title} expanded" if expanded else f"{title} collapsed")

    tree.expanded.connect(lambda index: changed(index, True))
    tree.collapsed.connect(lambda index: changed(index, False))


def _tree_cell(tree: QTreeView, title: str) -> QAccessibleInterface | None:
    """Return the accessible cell of the expandable row called ``title``."""
    iface = QAccessible.queryAccessibleInterface(tree)
    if iface is None:
        return None
    for number in range(iface.childCount()):
        cell = iface.child(number)
        if (
            cell is not None
            and cell.state().expandable
            and cell.text(QAccessible.Text.Name) == title
        ):
            return cell
    return None


# -- wiring --------------------------------------------------------------------------------------
def install(window: MainWindow) -> None:
    """Wire screen-reader support onto a built main window."""
    view = window.article_view
    panel = window.panel

    for keys, forward in ((NEXT_HEADING_KEYS, True), (PREVIOUS_HEADING_KEYS, False)):
        for key in keys:
            shortcut = QShortcut(QKeySequence(key), view)
            shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
            shortcut.activated.connect(lambda f=forward: jump_to_heading(view, f))
    for key in OUTLINE_KEYS:
        shortcut = QShortcut(QKeySequence(key), window)
        shortcut.activated.connect(lambda: focus_outline(window))
    LinkAnnouncer(view)
    install_structure(view, lambda href: link_label(window, href))
    window.outline.anchor_requested.connect(lambda anchor: move_to_anchor(view, anchor))
    view.setAccessibleDescription(
        "Arrow keys read line by line; H and Shift+H: next and previous heading; "
        "Tab: next link, Enter: follow it; Ctrl+Shift+O: the page's outline"
    )

    # The opened article's title is the pane's name; opening a search result moves focus to it.
    def on_article_shown(slug: str) -> None:
        article = window.library.get(slug)
        title = article.title if article else slug
        view.setAccessibleName(f"Article: {title}")

    window.article_shown.connect(on_article_shown)
    if view.slug:
        on_article_shown(view.slug)

    def on_result_opened(slug: str, _words: list[str]) -> None:
        if window.article_view.slug != slug:
            return
        view.setFocus(Qt.FocusReason.OtherFocusReason)
        announce(view, f"Opened {view.accessibleName().removeprefix('Article: ')}")

    panel.article_requested.connect(on_result_opened)

    # Live labels: the result count, the spelling suggestion, the find bar's count.
    count = LiveLabel(panel.count_label)
    suggestion = LiveLabel(panel.suggestion_label)
    matches = LiveLabel(window.find_bar.count, "Matches: ")
    panel.suggestion_label.setTextInteractionFlags(
        Qt.TextInteractionFlag.LinksAccessibleByKeyboard
        | Qt.TextInteractionFlag.LinksAccessibleByMouse
    )
    panel.suggestion_label.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
    ActivateOnKeys(panel.suggestion_label, lambda: follow_first_link(panel.suggestion_label))
    window.setTabOrder(panel.search_field, panel.suggestion_label)

    def after_results(_results: object) -> None:
        count.forget()
        count.update()
        suggestion.update()

    window.search.results_ready.connect(after_results)
    panel.search_field.textChanged.connect(lambda _text: count.update())
    window.find_bar.count_changed.connect(lambda _text: matches.update())
    window.statusBar().messageChanged.connect(lambda text: announce(window.statusBar(), text))

    tree_state_changes(window.tree)
    name_controls(window)
    # Qt makes some parts (the menu bar's overflow menu) when the window is first laid out.
    QTimer.singleShot(0, window, lambda: name_controls(window))


def focus_outline(window: MainWindow) -> None:
    """Show the "On this page" outline and put the keyboard in it."""
    window.outline_dock.show()
    window.outline_dock.raise_()
    window.outline.setFocus(Qt.FocusReason.ShortcutFocusReason)
    if window.outline.currentRow() < 0 and window.outline.count():
        window.outline.setCurrentRow(0)
