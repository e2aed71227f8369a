"""The Qt binding the project runs on keeps Python's reference counts straight.

PySide6 6.12.0 under Python 3.11 releases a reference to None on every call of a Qt method that
returns void; a reading session makes thousands of such calls and the process then aborts
("deallocating None"). pyproject.toml excludes that release; this test catches any other.
"""

from __future__ import annotations

import subprocess
import sys

CALLS = 30_000  # far more than None's reference count at start-up (~5,000 under 3.11)

SCRIPT = f"""
import sys
from PySide6.QtCore import QObject
obj = QObject()
before = sys.getrefcount(None)
for _ in range({CALLS}):
    obj.setObjectName("x")   # returns void
    obj.blockSignals(False)  # returns bool
print(sys.getrefcount(None) - before)
"""


def test_void_qt_calls_do_not_drain_none_references() -> None:
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr[-500:]
    assert abs(int(done.stdout.strip())) < 100
