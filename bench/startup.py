"""Start-up benchmark: process start to the article pane's first paint, beside a bare-Qt floor.

Each run is a fresh process started with ``SPINE_ATLAS_STARTUP_PROBE`` set; the app (see
``desktop_app/ui/selftest.py``) writes ``first-paint <seconds since SPINE_ATLAS_STARTUP_T0>`` on
stderr once the pane has painted its article, then quits. The "floor" is a bare PySide6 script that
converts the same article with python-markdown and shows it in a QTextBrowser in a window, timed the
same way. Commands are interleaved run by run, so all of them see the same machine load.

Each run of the app is paired with the floor's run of the same round (their order alternates):
the median of those ratios is the figure to compare on a machine whose speed drifts. The app also
reports when each start-up phase ended (``desktop_app.timing``) and which heavy modules were loaded
at the first paint (none, when it started from its snapshot).

Memory: per command, a first start (empty cache) and then a start with the index and snapshot
cached, in ``search`` mode: the first paint, RSS at the first paint, when the search index was
ready, and RSS after 20 searches.

    python bench/startup.py                      # offscreen and Xvfb, median of 5
    python bench/startup.py --frozen dist/spine-atlas/spine-atlas --platform offscreen
    python bench/startup.py --checkout ../other-branch --runs 9   # compare two checkouts

Prints figures; never asserts.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ARTICLE_SLUG = "spinal-manipulation-overview"
ARTICLE = ROOT / "content" / "overview-history" / f"{ARTICLE_SLUG}.md"
RUN_TIMEOUT_S = 120

FLOOR = r"""
import os, sys, time
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow, QTextBrowser
import markdown

t0 = float(os.environ["SPINE_ATLAS_STARTUP_T0"])
app = QApplication(sys.argv[:1])
text = open(sys.argv[1], encoding="utf-8").read()
if text.startswith("---"):
    text = text.split("\n---", 2)[-1]
html = markdown.markdown(text, extensions=[
    "tables", "footnotes", "toc", "attr_list", "admonition", "sane_lists", "fenced_code",
    "abbr", "def_list"])
window = QMainWindow()
view = QTextBrowser()
window.setCentralWidget(view)
window.resize(1120, 760)
view.setHtml(html)

def rss():
    out = {}
    for line in open("/proc/self/status"):
        key, _, value = line.partition(":")
        out[key] = int(value.split()[0]) / 1024 if value.strip().endswith("kB") else 0
    return (f"{out['VmRSS']:.1f} anon={out['RssAnon']:.1f} file={out['RssFile']:.1f}"
            f" hwm={out['VmHWM']:.1f}")

def report():
    sys.stderr.write(f"first-paint {time.time() - t0:.4f}\ncpu-paint {time.process_time():.4f}\n"
                     f"rss-start {rss()}\n")
    sys.stderr.flush()
    app.quit()

class Probe(QObject):
    done = False
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint and not self.done:
            self.done = True
            QTimer.singleShot(0, report)
        return False

probe = Probe()
view.viewport().installEventFilter(probe)
window.show()
app.exec()
"""


@dataclass
class Command:
    """One thing to start: the app from source, the frozen bundle, or the floor."""

    label: str
    argv: list[str]
    cwd: Path = ROOT
    paints: list[float] = field(default_factory=list)
    cpus: list[float] = field(default_factory=list)
    marks: dict[str, list[float]] = field(default_factory=dict)
    by_run: list[float | None] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)


def parse_probe(stderr: str) -> dict[str, str]:
    """Return the probe's ``name value`` lines as a dict."""
    out: dict[str, str] = {}
    for line in stderr.splitlines():
        name, _, value = line.partition(" ")
        if name.startswith("mark-") or name in (
            "first-paint",
            "cpu-paint",
            "rss-start",
            "index-ready",
            "rss-searches",
        ):
            out[name] = value.strip()
    return out


def make_dirs(base: Path) -> tuple[Path, Path]:
    """Return (config, cache) folders; the settings open the benchmark article at start."""
    config, cache = base / "config", base / "cache"
    config.mkdir(parents=True, exist_ok=True)
    cache.mkdir(parents=True, exist_ok=True)
    (config / "settings.ini").write_text(f"[article]\nlast={ARTICLE_SLUG}\n", encoding="utf-8")
    return config, cache


def run_once(
    cmd: Command, env: dict[str, str], dirs: tuple[Path, Path], mode: str
) -> dict[str, str]:
    """Start the command once; return the probe's figures (empty on failure)."""
    env = dict(env)
    env["SPINE_ATLAS_CONFIG_DIR"], env["SPINE_ATLAS_CACHE_DIR"] = map(str, dirs)
    env["SPINE_ATLAS_STARTUP_PROBE"] = mode
    env["SPINE_ATLAS_STARTUP_T0"] = repr(time.time())
    try:
        proc = subprocess.run(
            cmd.argv, env=env, cwd=cmd.cwd, capture_output=True, text=True, timeout=RUN_TIMEOUT_S
        )
    except subprocess.TimeoutExpired:
        cmd.failures.append(f"timeout after {RUN_TIMEOUT_S} s")
        return {}
    figures = parse_probe(proc.stderr)
    if "first-paint" not in figures:
        cmd.failures.append(f"rc={proc.returncode}: {proc.stderr.strip()[-300:]}")
    return figures


def start_xvfb() -> tuple[subprocess.Popen[bytes], str] | None:
    """Start Xvfb on a free display; return (process, display) or None if unavailable."""
    if not shutil.which("Xvfb"):
        return None
    read, write = os.pipe()
    proc = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write), "-screen", "0", "1280x1024x24", "-nolisten", "tcp"],
        pass_fds=(write,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write)
    with os.fdopen(read) as pipe:
        number = pipe.readline().strip()
    if not number:
        proc.kill()
        return None
    return proc, f":{number}"


def platform_env(platform: str, display: str | None, pycache: Path) -> dict[str, str]:
    """Return the environment for a Qt platform ("offscreen" or "xcb" on ``display``).

    Bytecode is cached (outside the work tree) even where PYTHONDONTWRITEBYTECODE is set, as it
    is for an installed or frozen app: otherwise every start would recompile desktop_app.
    """
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SPINE_ATLAS_", "QT_"))}
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "PYTHONDONTWRITEBYTECODE"):
        env.pop(name, None)
    env["PYTHONPYCACHEPREFIX"] = str(pycache)
    env["QT_QPA_PLATFORM"] = platform
    if display:
        env["DISPLAY"] = display
    return env


def bench_platform(commands: list[Command], env: dict[str, str], runs: int, base: Path) -> None:
    """Warm up each command once, then run them interleaved ``runs`` times."""
    dirs = {c.label: make_dirs(base / c.label) for c in commands}
    for cmd in commands:  # warm-up: page cache, and the app builds or seeds its index
        run_once(cmd, env, dirs[cmd.label], "search")
        cmd.failures.clear()
    for number in range(runs):
        # Alternate the order, so neither command always runs right after the other.
        for cmd in commands if number % 2 == 0 else commands[::-1]:
            figures = run_once(cmd, env, dirs[cmd.label], "1")
            cmd.by_run.append(float(figures["first-paint"]) if "first-paint" in figures else None)
            if "first-paint" in figures:
                cmd.paints.append(float(figures["first-paint"]))
                cmd.cpus.append(float(figures.get("cpu-paint", "nan")))
                for name, value in figures.items():
                    if name.startswith("mark-"):
                        cmd.marks.setdefault(name[5:], []).append(float(value))


def report_paints(platform: str, commands: list[Command]) -> None:
    """Print median [min-max] wall and CPU time of each command, and the ratios to the floor."""
    floor = next((c for c in commands if c.label == "floor"), None)
    print(f"\n[{platform}] process start -> first paint of the article: wall, then process CPU")
    print("  (median [min-max], n; CPU time is user+sys of all threads, less sensitive to load)")
    for cmd in commands:
        if not cmd.paints:
            print(f"  {cmd.label:8} no figures; {cmd.failures[:1]}")
            continue
        print(
            f"  {cmd.label:8} wall {_figure(cmd.paints, floor.paints if floor else [])}"
            f"   cpu {_figure(cmd.cpus, floor.cpus if floor else [])}"
        )
        if floor is not None and cmd is not floor:
            # Each run of a command is paired with the floor's run of the same round: the
            # machine's load drifts between rounds, far less within one.
            ratios = [
                mine / base
                for mine, base in zip(cmd.by_run, floor.by_run, strict=True)
                if mine is not None and base is not None
            ]
            if ratios:
                print(
                    f"           paired ratio to the floor: median {statistics.median(ratios):.2f}"
                    f" [{min(ratios):.2f}-{max(ratios):.2f}] n={len(ratios)};"
                    f" fastest vs fastest {min(cmd.paints) / min(floor.paints):.2f}"
                )
        if cmd.marks:  # where the time went: the end of each start-up phase (median)
            phases = ", ".join(
                f"{name} {statistics.median(times):.3f}" for name, times in cmd.marks.items()
            )
            paint = statistics.median(cmd.paints)
            print(f"           phases ended at (s): {phases}, paint {paint:.3f}")
        for failure in cmd.failures[:2]:
            print(f"           failure: {failure}")


def _figure(values: list[float], floor: list[float]) -> str:
    median = statistics.median(values)
    ratio = f" = {median / statistics.median(floor):.2f}x floor" if floor else ""
    return f"{median:.3f} s [{min(values):.3f}-{max(values):.3f}] n={len(values)}{ratio}"


def report_memory(platform: str, commands: list[Command], env: dict[str, str], base: Path) -> None:
    """Per command in search mode: a first start (empty cache), then a start with the cache.

    Each prints the first paint (a first start renders with python-markdown: no snapshot yet),
    RSS at the first paint, when the index was ready and RSS after 20 searches.
    """
    for start in ("first start (empty cache)", "next start (index and snapshot cached)"):
        print(f"[{platform}] {start}: RSS at first paint, index ready, 20 searches")
        for cmd in commands:
            dirs = make_dirs(base / f"{cmd.label}-memory")
            figures = run_once(cmd, env, dirs, "search")
            parts = [
                f"paint at {figures.get('first-paint', '?')} s",
                f"rss at paint {figures.get('rss-start', '?')} MB",
            ]
            if cmd.label != "floor":
                parts.append(f"index ready at {figures.get('index-ready', '?')} s")
                parts.append(f"rss after searches {figures.get('rss-searches', '?')} MB")
            print(f"  {cmd.label:8} " + "; ".join(parts))


def make_commands(args: argparse.Namespace) -> list[Command]:
    """Return the commands to compare: source, frozen (if given) and the floor."""
    commands = [Command("source", [args.python, "-m", "desktop_app"])]
    if args.frozen:
        commands.append(Command("frozen", [str(Path(args.frozen).resolve())]))
    for other in args.checkout:
        folder = Path(other).resolve()
        commands.append(Command(folder.name[:8], [args.python, "-m", "desktop_app"], folder))
    commands.append(Command("floor", [args.python, "-c", FLOOR, str(ARTICLE)]))
    return commands


def load() -> str:
    """Return the 1-minute load average as text."""
    try:
        return f"{os.getloadavg()[0]:.2f}"
    except OSError:
        return "?"


def main() -> int:
    """Parse the options and run the benchmark."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--platform", choices=["offscreen", "xcb", "both"], default="both")
    parser.add_argument("--frozen", help="also start this frozen executable")
    parser.add_argument("--python", default=sys.executable, help="interpreter for source+floor")
    parser.add_argument(
        "--checkout", action="append", default=[], help="also start the app from this checkout"
    )
    args = parser.parse_args()
    platforms = ["offscreen", "xcb"] if args.platform == "both" else [args.platform]
    print(f"python {args.python}; {os.cpu_count()} cpus; load {load()} at start")
    with tempfile.TemporaryDirectory(prefix="spine-atlas-bench-") as tmp:
        for platform in platforms:
            xvfb = start_xvfb() if platform == "xcb" else None
            if platform == "xcb" and xvfb is None:
                print("\n[xcb] skipped: Xvfb not available")
                continue
            try:
                env = platform_env(platform, xvfb[1] if xvfb else None, Path(tmp) / "pycache")
                commands = make_commands(args)
                bench_platform(commands, env, args.runs, Path(tmp) / platform)
                report_paints(platform, commands)
                report_memory(platform, commands, env, Path(tmp) / platform)
            finally:
                if xvfb:
                    xvfb[0].terminate()
                    xvfb[0].wait(10)
    print(f"\nload {load()} at end")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
