"""Packaging: the --self-test, the start-up probe, the desktop entry, AppStream data, build.spec.

The frozen bundle itself is built and self-tested by packaging/build.sh (CI), never in pytest.
"""

from __future__ import annotations

import ast
import configparser
import os
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from desktop_app import __version__
from desktop_app.core.render.render import EXTENSIONS
from tests.conftest import ROOT, run_cli

PACKAGING = ROOT / "packaging"
DESKTOP = PACKAGING / "spine-atlas.desktop"
METAINFO = PACKAGING / "io.github.spineatlas.SpineAtlas.metainfo.xml"
SPEC = ROOT / "build.spec"
ICONS = ROOT / "resources" / "icons"


def headless_env(**extra: str) -> dict[str, str]:
    """The environment with no display and no Qt platform chosen: the CLI must cope alone."""
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env.pop("QT_QPA_PLATFORM", None)
    env.update(extra)
    return env


@pytest.mark.slow
def test_self_test_passes_from_checkout_without_display() -> None:
    result = run_cli("--self-test", env=headless_env(), timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    steps = [line.split()[1] for line in lines[:-1]]
    assert steps == ["window", "content", "index", "search", "render", "notes", "pdf"]
    assert all(line.startswith("ok   ") for line in lines[:-1]), result.stdout
    assert "platform offscreen" in lines[0]
    assert "spinal-manipulation-overview at #" in result.stdout
    assert lines[-1].startswith("self-test passed: 7 steps")
    # It ran with throw-away settings: the user's own settings file was never written.
    assert not (Path(os.environ["SPINE_ATLAS_CONFIG_DIR"]) / "settings.ini").exists()


@pytest.mark.slow
def test_self_test_reports_each_failed_step_and_exits_1(small_content: Path) -> None:
    # The small library has no overview article: search and render fail, the rest passes.
    result = run_cli(
        "--self-test", "--content", str(small_content), env=headless_env(), timeout=300
    )
    assert result.returncode == 1, result.stdout + result.stderr
    status = {line.split()[1].rstrip(":"): line.split()[0] for line in result.stdout.splitlines()}
    assert status["content"] == "ok"
    assert status["index"] == "ok"
    assert status["search"] == "FAIL"
    assert status["render"] == "FAIL"
    assert status["notes"] == "ok"
    assert status["pdf"] == "ok"
    assert result.stdout.splitlines()[-1].startswith("self-test FAILED: 2 of 7 steps")


@pytest.mark.slow
def test_startup_probe_reports_first_paint_and_memory_then_quits() -> None:
    result = run_cli(
        env=headless_env(SPINE_ATLAS_STARTUP_PROBE="1", QT_QPA_PLATFORM="offscreen"), timeout=300
    )
    assert result.returncode == 0, result.stderr
    figures = dict(line.split(" ", 1) for line in result.stderr.splitlines() if " " in line)
    assert float(figures["first-paint"]) > 0
    assert float(figures["cpu-paint"]) > 0
    assert float(figures["rss-start"].split()[0]) > 0


def test_version_flag() -> None:
    result = run_cli("--version", env=headless_env(), timeout=300)
    assert result.returncode == 0
    assert result.stdout.strip() == f"Spine Atlas {__version__}"


# -- desktop entry and AppStream ------------------------------------------------------------------
def read_desktop_entry() -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
    parser.read_string(DESKTOP.read_text(encoding="utf-8"))
    assert parser.sections() == ["Desktop Entry"]
    return parser["Desktop Entry"]


def test_desktop_entry_is_well_formed() -> None:
    entry = read_desktop_entry()
    assert entry["Type"] == "Application"
    assert entry["Name"] == "Spine Atlas"
    assert entry["Exec"].split()[0] == "spine-atlas"
    assert entry["Terminal"] == "false"
    assert entry["Categories"].endswith(";")
    assert "Education" in entry["Categories"].split(";")
    assert (ICONS / f"{entry['Icon']}.svg").is_file()


def test_desktop_entry_passes_desktop_file_validate() -> None:
    if not shutil.which("desktop-file-validate"):
        pytest.skip("desktop-file-validate is not installed")
    result = subprocess.run(
        ["desktop-file-validate", str(DESKTOP)], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "error" not in result.stdout


def test_metainfo_is_well_formed_and_matches_the_app() -> None:
    root = ET.parse(METAINFO).getroot()
    assert root.tag == "component"
    assert root.get("type") == "desktop-application"
    assert root.findtext("id") == METAINFO.name.removesuffix(".metainfo.xml")
    assert root.findtext("name") == read_desktop_entry()["Name"]
    assert root.findtext("launchable") == DESKTOP.name
    assert root.findtext("provides/binary") == "spine-atlas"
    assert root.findtext("icon") == read_desktop_entry()["Icon"]
    releases = [r.get("version") for r in root.iterfind("releases/release")]
    assert __version__ in releases


def test_metainfo_passes_appstreamcli() -> None:
    if not shutil.which("appstreamcli"):
        pytest.skip("appstreamcli is not installed")
    result = subprocess.run(
        ["appstreamcli", "validate", "--no-net", str(METAINFO)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_png_icons_are_rendered_at_their_named_sizes() -> None:
    pngs = sorted(ICONS.glob("spine-atlas-*.png"))
    sizes = {int(p.stem.rsplit("-", 1)[1]) for p in pngs}
    assert {16, 32, 48, 64, 128, 256} <= sizes
    for png in pngs:
        image = QImage(str(png))
        size = int(png.stem.rsplit("-", 1)[1])
        assert (image.width(), image.height()) == (size, size), png.name


# -- build.spec -----------------------------------------------------------------------------------
def spec_tree() -> ast.Module:
    return ast.parse(SPEC.read_text(encoding="utf-8"), filename=str(SPEC))


def spec_constant(name: str) -> object:
    for node in spec_tree().body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == name for t in node.targets
        ):
            return ast.literal_eval(node.value)
    raise AssertionError(f"{name} not assigned in build.spec")


def test_spec_ships_content_resources_and_a_prebuilt_index() -> None:
    text = SPEC.read_text(encoding="utf-8")
    for folder in ("content", "resources", "index"):
        assert f'"{folder}")' in text, folder
    assert "prebuilt_index()" in text
    assert 'name="spine-atlas"' in text
    assert "desktop_app" in text and "__main__.py" in text


def test_spec_bundles_every_markdown_extension_the_renderer_uses() -> None:
    bundled = spec_constant("MARKDOWN_EXTENSIONS")
    assert isinstance(bundled, list)
    named = [ext for ext in EXTENSIONS if isinstance(ext, str)]
    assert set(named) <= set(bundled)


@pytest.mark.slow
def test_second_start_paints_from_the_snapshot_without_yaml_or_markdown(
    small_content: Path,
) -> None:
    when = 1_700_000_000  # content at rest: an old modification time on every file
    for path in [small_content, *small_content.rglob("*")]:
        os.utime(path, (when, when))
    env = headless_env(SPINE_ATLAS_STARTUP_PROBE="1", QT_QPA_PLATFORM="offscreen")

    def start() -> dict[str, str]:
        result = run_cli("--content", str(small_content), env=env, timeout=300)
        assert result.returncode == 0, result.stderr
        return dict(line.split(" ", 1) for line in result.stderr.splitlines() if " " in line)

    first = start()  # renders with python-markdown, reads YAML; saves the snapshot on quit
    assert {"markdown", "yaml"} <= set(first["imported-at-paint"].split(","))
    second = start()
    assert second["imported-at-paint"] == "none"
    assert float(second["first-paint"]) > float(second["mark-article"]) > 0
    # A changed article means a normal load again.
    hvla = small_content / "techniques" / "hvla.md"
    hvla.write_text(hvla.read_text(encoding="utf-8") + "\nMore.\n", encoding="utf-8")
    assert "markdown" in start()["imported-at-paint"]


def test_toolbar_icons_are_bundled_small_monochrome_svgs() -> None:
    from desktop_app.ui.icons import ICONS

    for name in {*ICONS.values(), "outline", "topics"}:
        data = (ICONS_DIR := ROOT / "resources" / "icons" / f"{name}.svg").read_bytes()
        assert len(data) < 2000, ICONS_DIR
        assert b"#000000" in data and b"http" not in data.replace(
            b"http://www.w3.org/2000/svg", b""
        )
        for scale in (1, 2):
            assert (ROOT / "resources" / "icons" / "png" / f"{name}@{scale}x.png").is_file()
    assert '"PySide6.QtSvg"' in (ROOT / "build.spec").read_text()
