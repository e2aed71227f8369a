"""When the window's screen-reader support (``accessibility``) is wired.

A window built by the test suite, or opened later for another folder, is wired at once. The
first window of a start without an assistive technology is wired right after its first paint:
``accessibility`` and its helper classes cost some 20 ms to import and install, time the reader
would otherwise wait for the article. With a screen reader already running it is wired at once.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from desktop_app.ui.main_window import MainWindow

_state = {"defer": False}
_waiting: list[MainWindow] = []


def defer_until_painted() -> None:
    """Let the next window wait for ``install_waiting`` (the start-up path calls this)."""
    _state["defer"] = True


def install_soon(window: MainWindow) -> None:
    """Wire ``window`` now, or once the first paint is done (see the module's note)."""
    from PySide6.QtGui import QAccessible

    if _state["defer"] and not QAccessible.isActive():
        _waiting.append(window)
        return
    from desktop_app.ui import accessibility

    accessibility.install(window)


def install_waiting() -> None:
    """Wire the windows that waited; from now on every window is wired at once."""
    _state["defer"] = False
    while _waiting:
        install_soon(_waiting.pop())
