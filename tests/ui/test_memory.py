"""Freed heap memory goes back to the system after a search (ui/memory.py)."""

from __future__ import annotations

import ctypes
import sys
from pathlib import Path

import pytest

from desktop_app.ui.memory import trim_heap


def _anon_kb() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("RssAnon:"):
            return int(line.split()[1])
    raise AssertionError("no RssAnon")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc only")
def test_trim_returns_freed_heap_pages() -> None:
    libc = ctypes.CDLL("libc.so.6")
    libc.malloc.restype = ctypes.c_void_p
    libc.free.argtypes = [ctypes.c_void_p]
    libc.memset.argtypes = [ctypes.c_void_p, ctypes.c_int, ctypes.c_size_t]
    blocks = []
    for _ in range(40_000):  # ~40 MB of 1 kB blocks, each touched
        block = libc.malloc(1000)
        libc.memset(block, 1, 1000)
        blocks.append(block)
    keeper = libc.malloc(1000)  # above them: the heap's top stays in use
    for block in blocks:
        libc.free(block)
    before = _anon_kb()
    assert trim_heap() is True
    after = _anon_kb()
    libc.free(keeper)
    assert after < before - 20_000, (before, after)
