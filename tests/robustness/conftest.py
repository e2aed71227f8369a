"""Fixtures for the robustness tests: the hostile folder and a simulated unreadable file."""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.robustness.hostile import FIFO, UNREADABLE, Hostile, build_hostile


def _release_fifo(path: Path) -> threading.Thread:
    """Open the FIFO's write end in a thread: a reader that wrongly opens it sees EOF, no hang."""

    def writer() -> None:
        with contextlib.suppress(OSError):
            os.close(os.open(path, os.O_WRONLY))

    thread = threading.Thread(target=writer, daemon=True)
    thread.start()
    return thread


@pytest.fixture
def hostile(tmp_path: Path) -> Iterator[Hostile]:
    """The hostile content folder (its named pipe cannot block a test that regresses)."""
    built = build_hostile(tmp_path / "hostile")
    fifo = built.root / FIFO
    thread = _release_fifo(fifo)
    yield built
    if thread.is_alive():  # nobody opened the pipe, as it should be: let the writer go
        with contextlib.suppress(OSError):
            os.close(os.open(fifo, os.O_RDONLY | os.O_NONBLOCK))
    thread.join(timeout=5)


@pytest.fixture
def unreadable(monkeypatch: pytest.MonkeyPatch) -> str:
    """Make reading any file named ``unreadable.md`` fail as it would without permission."""
    read_bytes = Path.read_bytes
    read_text = Path.read_text

    def deny(path: Path) -> None:
        if path.name == UNREADABLE:
            raise PermissionError(13, "Permission denied", str(path))

    def guarded_bytes(self: Path) -> bytes:
        deny(self)
        return read_bytes(self)

    def guarded_text(self: Path, *args: object, **kwargs: object) -> str:
        deny(self)
        return read_text(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "read_bytes", guarded_bytes)
    monkeypatch.setattr(Path, "read_text", guarded_text)
    return UNREADABLE
