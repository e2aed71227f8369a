import subprocess
import sys

from tests.conftest import ROOT


def test_core_never_imports_qt() -> None:
    code = (
        "import sys, pkgutil, importlib, desktop_app.core as c\n"
        "for m in pkgutil.iter_modules(c.__path__):\n"
        "    importlib.import_module('desktop_app.core.' + m.name)\n"
        "import desktop_app.cli\n"
        "bad = [m for m in sys.modules if m.startswith(('PySide6', 'shiboken6'))]\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)
