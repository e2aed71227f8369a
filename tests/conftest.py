"""Shared fixtures: offscreen Qt, isolated config/cache dirs, content builders, no network."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import logging
import socket
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"
SHARED = ROOT.parent / "shared"


@pytest.fixture(autouse=True)
def isolated_dirs(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Point the app's config and cache folders at temporary folders."""
    base = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("SPINE_ATLAS_CONFIG_DIR", str(base / "config"))
    monkeypatch.setenv("SPINE_ATLAS_CACHE_DIR", str(base / "cache"))
    monkeypatch.setenv("SPINE_ATLAS_DATA_DIR", str(base / "data"))


class _NoNetwork(socket.socket):
    def connect(self, *args: object) -> None:  # type: ignore[override]
        raise AssertionError(f"network connection attempted: {args}")

    def connect_ex(self, *args: object) -> int:  # type: ignore[override]
        raise AssertionError(f"network connection attempted: {args}")


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail any test that tries to open an internet connection."""
    monkeypatch.setattr(socket, "socket", _NoNetwork)
    monkeypatch.setattr(
        socket,
        "create_connection",
        lambda *a, **k: (_ for _ in ()).throw(AssertionError(f"network: {a}")),
    )


@pytest.fixture(autouse=True)
def fail_on_unexpected_warnings(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    """Fail a test that logs a WARNING it did not expect (mark it with ``expect_warnings``)."""
    yield
    if getattr(caplog, "_expected", False):
        return
    bad = [r for r in caplog.get_records("call") if r.levelno >= logging.WARNING]
    if bad:
        pytest.fail("unexpected warnings logged: " + "; ".join(r.getMessage() for r in bad))


@pytest.fixture
def expect_warnings(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    """Allow (and let the test assert on) warnings."""
    caplog._expected = True  # type: ignore[attr-defined]
    return caplog


def run_cli(
    *args: str, stdin: str | None = None, env: dict[str, str] | None = None, timeout: int = 120
) -> subprocess.CompletedProcess[str]:
    """Run ``python -m desktop_app`` from the checkout (config and cache isolated above)."""
    return subprocess.run(
        [sys.executable, "-m", "desktop_app", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        input=stdin,
        env=env,
        timeout=timeout,
    )


def write_content(root: Path, files: dict[str, str | bytes]) -> Path:
    """Create a content folder from a dict of relative paths to text (dedented) or bytes."""
    for name, data in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(textwrap.dedent(data).lstrip("\n"), encoding="utf-8")
    return root


SMALL = {
    "techniques/_index.md": """
        ---
        title: Techniques
        order: 1
        ---
    """,
    "techniques/hvla.md": """
        ---
        title: HVLA thrust manipulation
        summary: A quick, short thrust.
        tags: [technique, thrust]
        aliases: [high-velocity low-amplitude, HVLA]
        related: [mobilisation]
        order: 1
        ---
        The thrust is fast [@Smith2003]. See [[mobilisation]] and [grades](mobilisation#grades).

        ## Cavitation

        A popping sound may be heard [@Smith2003; @Jones2010].
    """,
    "techniques/mobilisation.md": """
        ---
        title: Mobilisation
        summary: Slow oscillations.
        order: 2
        ---
        Slow movements within range [@Jones2010]. Compare [[hvla|thrust]].

        ## Grades {#grades}

        Grades I to IV.
    """,
    "safety/_index.md": """
        ---
        title: Safety
        order: 2
        ---
    """,
    "safety/stroke.md": """
        ---
        title: Stroke and neck manipulation
        summary: The causality debate.
        ---
        Cervical artery dissection is rare; see [[hvla]].
    """,
    "bibliography.yaml": """
        Smith2003:
          authors: Smith WS
          title: Spinal manipulative therapy is an independent risk factor
          container: Neurology
          year: 2003
          doi: 10.1212/01.wnl.0000069924.69078.c4
        Jones2010:
          authors: Jones A
          title: A made-up test reference
          container: Test Journal
          year: 2010
    """,
    "thesaurus.yaml": """
        groups:
          - [mobilisation, mobilization]
          - [cervical artery dissection, CAD]
    """,
}


@pytest.fixture
def small_content(tmp_path: Path) -> Path:
    """A small valid content folder."""
    return write_content(tmp_path / "content", SMALL)
