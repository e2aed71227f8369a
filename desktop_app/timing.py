"""Start-up marks: when each phase of a start ended, for the start-up probe to report.

``bench/startup.py`` prints them beside the first paint, so a slower start says which phase grew.
"""

from __future__ import annotations

import time

MARKS: list[tuple[str, float]] = []


def mark(name: str) -> None:
    """Record that the phase ``name`` ended now (wall-clock time, like the probe's zero)."""
    MARKS.append((name, time.time()))
