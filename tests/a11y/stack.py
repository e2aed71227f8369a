"""A private accessibility stack for the AT-SPI tests: D-Bus, the AT-SPI bus, Xvfb, the app.

Everything runs in child processes with their own addresses, so nothing touches the desktop
session of the machine running the tests. ``probe.py`` (run by Debian's python3, which has
pyatspi) then reads and drives the app as a screen reader would.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
PROBE = Path(__file__).with_name("probe.py")
SYSTEM_PYTHON = "/usr/bin/python3"
BUS_LAUNCHER = "/usr/libexec/at-spi-bus-launcher"
REGISTRYD = "/usr/libexec/at-spi2-registryd"


def missing() -> str:
    """Return why the stack cannot run here ('' when it can)."""
    for tool in ("dbus-daemon", "Xvfb"):
        if shutil.which(tool) is None:
            return f"{tool} is not installed (apt-get install dbus xvfb)"
    for path in (BUS_LAUNCHER, REGISTRYD):
        if not Path(path).exists():
            return f"{path} is missing (apt-get install at-spi2-core)"
    if not Path(SYSTEM_PYTHON).exists():
        return f"{SYSTEM_PYTHON} is missing (apt-get install python3-pyatspi)"
    probe = subprocess.run(
        [SYSTEM_PYTHON, "-c", "import pyatspi"], capture_output=True, text=True, check=False
    )
    if probe.returncode:
        return "pyatspi is not importable by /usr/bin/python3 (apt-get install python3-pyatspi)"
    return ""


class Stack:
    """Start with ``start()``, stop with ``stop()``; ``probe(...)`` runs a probe command."""

    def __init__(self) -> None:
        self.tmp = Path(tempfile.mkdtemp(prefix="atlas-a11y-"))
        self.procs: list[subprocess.Popen[bytes]] = []
        self.env: dict[str, str] = {}
        self.app: subprocess.Popen[bytes] | None = None

    def _spawn(self, args: list[str], log: str, **kw: Any) -> subprocess.Popen[bytes]:
        out = (self.tmp / log).open("wb")
        proc = subprocess.Popen(args, stdout=out, stderr=subprocess.STDOUT, **kw)
        self.procs.append(proc)
        return proc

    def start(self, display: int = 0) -> None:
        """Start the bus, Xvfb, the AT-SPI bus and registry, then the app."""
        env = {k: v for k, v in os.environ.items() if not k.startswith(("QT_", "DBUS_"))}
        env.pop("DISPLAY", None)
        env.pop("AT_SPI_BUS_ADDRESS", None)
        env["XDG_RUNTIME_DIR"] = str(self.tmp / "run")
        (self.tmp / "run").mkdir(mode=0o700)
        bus = subprocess.Popen(
            ["dbus-daemon", "--session", "--nofork", "--print-address=1", "--nopidfile"],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=env,
        )
        self.procs.append(bus)  # type: ignore[arg-type]
        assert bus.stdout is not None
        env["DBUS_SESSION_BUS_ADDRESS"] = bus.stdout.readline().decode().strip()
        display = display or 90 + os.getpid() % 400
        self._spawn(
            ["Xvfb", f":{display}", "-screen", "0", "1280x1024x24", "-nolisten", "tcp"],
            "xvfb.log",
            env=env,
        )
        env["DISPLAY"] = f":{display}"
        deadline = time.monotonic() + 10
        while not Path(f"/tmp/.X11-unix/X{display}").exists():
            if time.monotonic() > deadline:
                raise RuntimeError("Xvfb did not start")
            time.sleep(0.05)
        self._spawn([BUS_LAUNCHER, "--launch-immediately"], "at-spi-bus.log", env=env)
        self._spawn([REGISTRYD], "registryd.log", env=env)
        self.env = env
        self.wait_for(["ping"], timeout=15)
        app_env = dict(env)
        app_env.update(
            QT_LINUX_ACCESSIBILITY_ALWAYS_ON="1",
            QT_ACCESSIBILITY="1",
            QT_QPA_PLATFORM="xcb",
            SPINE_ATLAS_CONFIG_DIR=str(self.tmp / "config"),
            SPINE_ATLAS_CACHE_DIR=str(self.tmp / "cache"),
            SPINE_ATLAS_DATA_DIR=str(self.tmp / "data"),
        )
        self.app = self._spawn(
            [sys.executable, "-m", "desktop_app"], "app.log", env=app_env, cwd=ROOT
        )
        self.wait_for(["wait-app"], timeout=60)

    def probe(self, *args: str, timeout: float = 30) -> Any:
        """Run ``probe.py args`` against the app; return its JSON answer."""
        done = subprocess.run(
            [SYSTEM_PYTHON, str(PROBE), *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        if done.returncode:
            raise RuntimeError(f"probe {args} failed ({done.returncode}):\n{done.stderr}")
        return json.loads(done.stdout)

    def wait_for(self, args: list[str], timeout: float) -> Any:
        """Retry a probe command until it succeeds."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                return self.probe(*args, timeout=timeout)
            except (RuntimeError, subprocess.TimeoutExpired, json.JSONDecodeError):
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.3)

    def app_log(self) -> str:
        """Return what the app wrote to stdout and stderr."""
        path = self.tmp / "app.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def stop(self) -> None:
        """Stop every process this stack started (by its own handle), newest first."""
        for proc in reversed(self.procs):
            if proc.poll() is None:
                proc.terminate()
        for proc in reversed(self.procs):
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        keep = os.environ.get("SPINE_ATLAS_A11Y_LOG")  # where to keep the app's log
        if keep and (self.tmp / "app.log").exists():
            shutil.copyfile(self.tmp / "app.log", keep)
        shutil.rmtree(self.tmp, ignore_errors=True)


def main() -> int:
    """Start the stack, run one probe command from argv, print it, stop (for a closing note)."""
    reason = missing()
    if reason:
        print(reason, file=sys.stderr)
        return 1
    stack = Stack()
    try:
        stack.start()
        for command in sys.argv[1:]:
            print(f"$ probe.py {command}")
            print(json.dumps(stack.probe(*command.split("|")), indent=1, ensure_ascii=False))
    finally:
        stack.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
