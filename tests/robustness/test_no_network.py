"""Loading, rendering, searching and printing hostile content open no network connection."""

from __future__ import annotations

import socket
import sys
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from desktop_app.core.content import Library, load_library
from desktop_app.core.render import render_article
from desktop_app.core.search import SearchIndex
from tests.robustness.hostile import Hostile

REMOTE = ["remote-image", "remote-html-image", "iframe", "script", "event-handler", "alpha"]


class _Attempts:
    """Records every attempt to create a socket or resolve a name."""

    def __init__(self) -> None:
        self.calls: list[str] = []

    def recorder(self, name: str, real: Callable[..., Any]) -> Callable[..., Any]:
        def record(*args: Any, **kwargs: Any) -> Any:
            self.calls.append(f"{name}{args[1:] if name == 'socket' else args}")
            return real(*args, **kwargs)

        return record


def _inet_sockets() -> set[str]:
    """Return the inodes of this process's open TCP/UDP sockets (made by C code too)."""
    fds = Path("/proc/self/fd")
    if not fds.is_dir():
        return set()
    mine = set()
    for fd in fds.iterdir():
        try:
            target = fd.readlink().name
        except OSError:
            continue
        if target.startswith("socket:["):
            mine.add(target[8:-1])
    inet = set()
    for table in ("tcp", "tcp6", "udp", "udp6"):
        try:
            rows = Path(f"/proc/net/{table}").read_text().splitlines()[1:]
        except OSError:
            continue
        inet.update(row.split()[9] for row in rows if len(row.split()) > 9)
    return mine & inet


@pytest.fixture
def attempts(monkeypatch: pytest.MonkeyPatch) -> _Attempts:
    seen = _Attempts()
    monkeypatch.setattr(socket.socket, "__init__", seen.recorder("socket", socket.socket.__init__))
    for name in ("getaddrinfo", "gethostbyname", "gethostbyname_ex", "create_connection"):
        monkeypatch.setattr(socket, name, seen.recorder(name, getattr(socket, name)))
    monkeypatch.setattr(urllib.request, "urlopen", seen.recorder("urlopen", urllib.request.urlopen))
    return seen


def test_no_network_while_loading_rendering_searching_and_printing(
    qtbot: QtBot,
    hostile: Hostile,
    unreadable: str,
    tmp_path: Path,
    attempts: _Attempts,
) -> None:
    from desktop_app.ui.article_view import ArticleView
    from desktop_app.ui.printing import export_pdf

    sockets_before = _inet_sockets()
    library: Library = load_library(hostile.root)
    assert attempts.calls == [], "loading"

    view = ArticleView(library.root_dir)
    qtbot.addWidget(view)
    view.show()
    for slug in REMOTE:
        rendered = render_article(library, slug)
        view.show_html(slug, rendered.html)
    assert attempts.calls == [], "rendering"

    index = SearchIndex.in_memory(library)
    for query in ["https://example.com/pixel.png", "example.com", "steal", "zygapophyseal"]:
        index.search(query)
        index.search(query, as_you_type=True)
    assert attempts.calls == [], "searching"

    for slug in REMOTE:
        assert export_pdf(library, slug, tmp_path / f"{slug}.pdf") >= 1
    assert attempts.calls == [], "printing"

    assert _inet_sockets() <= sockets_before
    assert "PySide6.QtNetwork" not in sys.modules


def test_the_recorder_would_see_an_attempt(attempts: _Attempts) -> None:
    with pytest.raises(AssertionError, match="network"):  # conftest refuses to connect
        socket.socket().connect(("example.com", 80))
    assert attempts.calls and attempts.calls[0].startswith("socket")
