"""The window's actions in one registry: menus, toolbar, context menus and the F1 list read it.

To add a window action: add an ``ActionSpec`` to ``ACTIONS`` (its slot is a method name of the
main window), then place its name in ``MENUS``, ``TOOLBAR`` or a context menu below.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QAction, QActionGroup, QKeySequence

from desktop_app.ui.theme import MODES

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMenu

    from desktop_app.ui.main_window import MainWindow

StandardKey = QKeySequence.StandardKey


@dataclass(frozen=True, slots=True)
class ActionSpec:
    """One action: its window attribute, label, keys, slot (a method name) and tooltip."""

    name: str
    text: str
    keys: tuple[str | QKeySequence.StandardKey, ...] = ()
    slot: str = ""
    tip: str = ""
    checkable: bool = False


ACTIONS: tuple[ActionSpec, ...] = (
    ActionSpec("back_action", "&Back", (StandardKey.Back, "Alt+Left"), "go_back"),
    ActionSpec("forward_action", "&Forward", (StandardKey.Forward, "Alt+Right"), "go_forward"),
    ActionSpec("home_action", "&Home", ("Alt+Home",), "go_home", "Overview article"),
    ActionSpec("search_action", "&Search articles", ("Ctrl+K", "Ctrl+L"), "focus_search"),
    ActionSpec(
        "print_action", "&Print…", (StandardKey.Print,), "print_article", "Print this article"
    ),
    ActionSpec(
        "preview_action",
        "Print pre&view…",
        ("Ctrl+Shift+P",),
        "preview_article",
        "Print preview of this article",
    ),
    ActionSpec(
        "pdf_action", "&Export to PDF…", ("Ctrl+E",), "export_article", "Export this article to PDF"
    ),
    ActionSpec(
        "print_topic_action",
        "Print &topic…",
        (),
        "print_topic",
        "Print the selected topic as a booklet",
    ),
    ActionSpec("preview_topic_action", "Preview t&opic…", (), "preview_topic"),
    ActionSpec(
        "pdf_topic_action",
        "Export topic to P&DF…",
        ("Ctrl+Shift+E",),
        "export_topic",
        "Export the selected topic as a PDF booklet",
    ),
    ActionSpec(
        "open_folder_action",
        "&Open Folder…",
        (StandardKey.Open, "Ctrl+O"),
        "open_folder_dialog",
        "Open a folder of Markdown articles",
    ),
    ActionSpec(
        "bundled_action", "Spine Atlas (&bundled)", (), "open_bundled", "Back to the bundled atlas"
    ),
    ActionSpec("quit_action", "&Quit", (StandardKey.Quit, "Ctrl+Q"), "close"),
    ActionSpec("find_action", "&Find in article…", (StandardKey.Find,), "open_find"),
    ActionSpec("find_next_action", "Find &next", ("F3",), "find_next"),
    ActionSpec("find_previous_action", "Find pre&vious", ("Shift+F3",), "find_previous"),
    ActionSpec("copy_link_action", "Copy &link to this section", ("Ctrl+Shift+C",), "copy_link"),
    ActionSpec("zoom_in_action", "Zoom &in", (StandardKey.ZoomIn, "Ctrl+="), "zoom_in"),
    ActionSpec("zoom_out_action", "Zoom &out", (StandardKey.ZoomOut,), "zoom_out"),
    ActionSpec("zoom_reset_action", "&Actual size", ("Ctrl+0",), "zoom_reset"),
    ActionSpec("dark_action", "&Dark theme", ("Ctrl+Shift+D",), "toggle_dark", checkable=True),
    ActionSpec(
        "bookmark_action",
        "&Bookmark this article",
        ("Ctrl+D",),
        "toggle_bookmark",
        checkable=True,
    ),
    ActionSpec(
        "shortcuts_action", "&Keyboard shortcuts", (StandardKey.HelpContents,), "show_shortcuts"
    ),
    ActionSpec("about_action", "&About Spine Atlas", (), "show_about"),
    ActionSpec(
        "highlight_action",
        "&Highlight selection",
        ("Ctrl+Shift+H",),
        "notes.highlight",
        "Highlight the selected passage",
    ),
    ActionSpec(
        "note_action",
        "Add &note to selection…",
        ("Ctrl+Shift+M",),
        "notes.annotate",
        "Highlight the selected passage and write a note on it",
    ),
    ActionSpec("export_notes_action", "Export my &notes…", (), "notes.export"),
    ActionSpec("import_notes_action", "&Import notes…", (), "notes.import_"),
    ActionSpec(
        "print_notes_action",
        "Print my notes",
        (),
        "notes.toggle_print",
        "Print and PDF show my highlights, and my notes at the end",
        checkable=True,
    ),
)

# Menus by title; None is a separator, "@..." a part the window builds (a submenu, a dock toggle).
MENUS: tuple[tuple[str, tuple[str | None, ...]], ...] = (
    (
        "&File",
        (
            "open_folder_action",
            "@folders",
            "bundled_action",
            None,
            "print_action",
            "preview_action",
            "pdf_action",
            None,
            "print_topic_action",
            "preview_topic_action",
            "pdf_topic_action",
            None,
            "export_notes_action",
            "import_notes_action",
            "print_notes_action",
            None,
            "quit_action",
        ),
    ),
    (
        "&Edit",
        (
            "@undo",
            None,
            "highlight_action",
            "note_action",
            None,
            "find_action",
            "find_next_action",
            "find_previous_action",
            None,
            "search_action",
            "copy_link_action",
        ),
    ),
    (
        "&View",
        (
            "zoom_in_action",
            "zoom_out_action",
            "zoom_reset_action",
            None,
            "@outline",
            "@notes",
            "@theme",
            "dark_action",
        ),
    ),
    ("&Go", ("back_action", "forward_action", "home_action", "@recent")),
    ("&Bookmarks", ("@bookmarks",)),
    ("&Help", ("shortcuts_action", "about_action")),
)
TOOLBAR: tuple[str | None, ...] = (
    "back_action",
    "forward_action",
    "home_action",
    None,
    "print_action",
    "pdf_action",
    None,
    "bookmark_action",
    "find_action",
    "dark_action",
)
TOPIC_CONTEXT: tuple[str, ...] = ("print_topic_action", "preview_topic_action", "pdf_topic_action")
ARTICLE_CONTEXT: tuple[str, ...] = (
    "print_action",
    "preview_action",
    "pdf_action",
    "bookmark_action",
)


def create_actions(window: MainWindow) -> dict[str, QAction]:
    """Create every action of the registry on ``window`` (also as ``window.<name>``)."""
    made = {}
    for spec in ACTIONS:
        action = QAction(spec.text, window)
        label = spec.tip or spec.text.replace("&", "").rstrip("…")
        unique: dict[str, QKeySequence] = {}
        for item in spec.keys:  # a standard key may equal an explicit one, or be empty
            sequence = QKeySequence(item)
            if not sequence.isEmpty():
                unique.setdefault(sequence.toString(), sequence)
        if unique:
            action.setShortcuts(list(unique.values()))
            action.setToolTip(f"{label} ({_keys_text(action)})")
        else:
            action.setToolTip(label)
        action.setCheckable(spec.checkable)
        action.triggered.connect(_slot(window, spec.slot))
        window.addAction(action)
        setattr(window, spec.name, action)
        made[spec.name] = action
    return made


def _slot(window: MainWindow, name: str) -> Callable[[], Any]:
    target: Any = window.find_bar if name in ("find_next", "find_previous") else window
    owner, _, name = name.rpartition(".")  # "notes.highlight": a method of window.notes
    if owner:
        target = getattr(window, owner)
    method: Callable[[], Any] = getattr(target, name)
    return lambda *_: method()


def _keys_text(action: QAction) -> str:
    return ", ".join(s.toString(QKeySequence.SequenceFormat.NativeText) for s in action.shortcuts())


def build_menus(window: MainWindow, actions: dict[str, QAction]) -> None:
    """Fill the menu bar and the toolbar from the registry."""
    for title, items in MENUS:
        menu = window.menuBar().addMenu(title)
        for item in items:
            if item is None:
                menu.addSeparator()
            elif item.startswith("@"):
                _special(window, menu, item)
            else:
                menu.addAction(actions[item])
    toolbar = window.addToolBar("Navigation")
    toolbar.setObjectName("navigation")
    toolbar.setMovable(False)
    for name in TOOLBAR:
        toolbar.addSeparator() if name is None else toolbar.addAction(actions[name])
    window.toolbar = toolbar


def _special(window: MainWindow, menu: QMenu, item: str) -> None:
    if item == "@outline":
        menu.addAction(window.outline_dock.toggleViewAction())
    elif item == "@notes":
        menu.addAction(window.notes_dock.toggleViewAction())
    elif item == "@undo":
        undo = window.notes.undo_stack.createUndoAction(window, "&Undo")
        undo.setShortcuts(QKeySequence.keyBindings(StandardKey.Undo))
        redo = window.notes.undo_stack.createRedoAction(window, "&Redo")
        redo.setShortcuts(QKeySequence.keyBindings(StandardKey.Redo))
        menu.addActions([undo, redo])
        window.undo_action, window.redo_action = undo, redo
    elif item == "@theme":
        theme_menu = menu.addMenu("&Theme")
        window.theme_group = QActionGroup(window)
        for mode in MODES:
            label = mode.capitalize() if mode != "system" else "Follow the system"
            action = theme_menu.addAction(label)
            action.setCheckable(True)
            action.setData(mode)
            window.theme_group.addAction(action)
        window.theme_group.triggered.connect(lambda act: window.set_theme(act.data()))
    elif item == "@recent":
        window.recent_menu = menu.addMenu("&Recently viewed")
        window.recent_menu.aboutToShow.connect(window.fill_recent_menu)
    elif item == "@folders":
        window.folders_menu = menu.addMenu("Recent &Folders")
        window.folders_menu.aboutToShow.connect(window.fill_folders_menu)
    elif item == "@bookmarks":
        window.bookmarks_menu = menu
        menu.aboutToShow.connect(window.fill_bookmarks_menu)


def fill_context_menu(menu: QMenu, actions: dict[str, QAction], names: tuple[str, ...]) -> None:
    """Add the named actions to a context menu."""
    for name in names:
        menu.addAction(actions[name])


# Keys of the article pane that are not actions (ui/accessibility.py binds the heading keys).
READING_KEYS = (
    ("Read the article line by line; select a passage", "Arrows; Shift+Arrows"),
    ("Next / previous heading in the article", "H or Alt+Down / Shift+H or Alt+Up"),
    ("Next / previous link in the article; follow it", "Tab / Shift+Tab; Enter"),
    ("The article's outline (On this page)", "Ctrl+Shift+O"),
    ("Use the spelling suggestion (Did you mean …?)", "Tab from the search field; Enter"),
)


def shortcut_rows(actions: dict[str, QAction]) -> list[tuple[str, str]]:
    """Return (action, keys) for every action with a shortcut, then the reading keys."""
    rows = []
    for spec in ACTIONS:
        action = actions[spec.name]
        if action.shortcuts():
            rows.append((action.text().replace("&", "").rstrip("…"), _keys_text(action)))
    known = {keys for _, keys in rows}
    rows.extend(row for row in READING_KEYS if row[1] not in known)
    return rows
