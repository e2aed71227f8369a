"""Give freed heap memory back to the system (glibc keeps it otherwise).

A search allocates and frees a few megabytes of small Python objects (postings, token maps,
spelling candidates). glibc's allocator keeps the freed pages for later, so the process's
resident size only grows; ``malloc_trim`` hands them back. It takes about a millisecond, and is
called on the search thread once a query's answer is ready and no newer query is waiting.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import cache


@cache
def _malloc_trim() -> Callable[[int], int] | None:
    if not sys.platform.startswith("linux"):
        return None
    import ctypes

    try:
        trim: Callable[[int], int] = ctypes.CDLL("libc.so.6").malloc_trim
    except (OSError, AttributeError):  # not glibc (musl has no malloc_trim)
        return None
    return trim


def trim_heap() -> bool:
    """Return freed heap pages to the system; False where the C library cannot."""
    trim = _malloc_trim()
    if trim is None:
        return False
    trim(0)
    return True
