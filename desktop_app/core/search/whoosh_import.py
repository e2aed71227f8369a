"""Import Whoosh without the network and asyncio modules it never needs here.

Whoosh-Reloaded's ``whoosh.compat`` imports ``urllib.request`` (for a download helper) and its
``fields`` and ``reading`` modules import the ``cached_property`` backport, which imports
``asyncio``. Between them they pull in ``http.client``, ``ssl``, ``socket``, ``email`` and
``asyncio``: about 5 MB of resident memory and 50 ms before the index opens, in an app that
never opens a connection. While those three Whoosh modules are imported, ``urllib.request`` is a
stand-in without a working ``urlretrieve`` and ``cached_property`` is the standard library's
``functools.cached_property`` (same semantics for the plain properties Whoosh declares). Both
stand-ins are removed from ``sys.modules`` afterwards, so a later real import is unaffected.

Import this module before any other Whoosh import (``core.search`` does, first thing).
"""

from __future__ import annotations

import functools
import sys
import types
from collections.abc import Iterator
from contextlib import contextmanager


def _no_download(*_args: object, **_kwargs: object) -> None:
    raise OSError("Spine Atlas works offline: Whoosh's download helper is disabled")


@contextmanager
def _stand_ins() -> Iterator[None]:
    added = []
    if "urllib.request" not in sys.modules:
        request = types.ModuleType("urllib.request")
        request.urlretrieve = _no_download  # type: ignore[attr-defined]
        sys.modules["urllib.request"] = request
        added.append("urllib.request")
    if "cached_property" not in sys.modules:
        backport = types.ModuleType("cached_property")
        backport.cached_property = functools.cached_property  # type: ignore[attr-defined]
        sys.modules["cached_property"] = backport
        added.append("cached_property")
    try:
        yield
    finally:
        for name in added:
            sys.modules.pop(name, None)


if "whoosh.compat" not in sys.modules:
    with _stand_ins():
        import whoosh.compat
        import whoosh.fields
        import whoosh.reading  # noqa: F401
