import subprocess
import sys

from tests.conftest import ROOT


def run_python(code: str) -> None:
    """Run ``code`` in a fresh interpreter (this one has imported everything); fail if it fails."""
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)


def test_core_never_imports_qt() -> None:
    code = (
        "import sys, pkgutil, importlib, desktop_app.core as c\n"
        "names = [m.name for m in pkgutil.walk_packages(c.__path__, 'desktop_app.core.')]\n"
        "for name in names:\n"
        "    importlib.import_module(name)\n"
        "assert 'desktop_app.core.search.store' in names, names  # the rooms' modules too\n"
        "import desktop_app.cli\n"
        "bad = [m for m in sys.modules if m.startswith(('PySide6', 'shiboken6'))]\n"
        "assert not bad, bad\n"
    )
    run_python(code)


def test_searching_loads_no_network_or_asyncio_module() -> None:
    # Whoosh's imports would pull in urllib.request (http, ssl, socket) and asyncio; the app is
    # offline, so core/search/whoosh_import.py keeps them out (and a later real import still works).
    code = (
        "import sys\n"
        "from desktop_app.core.content.library import load_library\n"
        "from desktop_app.core.search import SearchIndex\n"
        "index = SearchIndex.in_memory(load_library('content'))\n"
        "assert index.search('manipulation AND neck', limit=3).hits\n"
        "assert index.search('manipulaton', limit=3).hits  # spelling\n"
        "hits = index.search('cervical manipulation', limit=3).hits\n"
        "assert hits[0].slug.startswith('cervical'), hits\n"
        "bad = [m for m in ('urllib.request', 'http.client', 'ssl', 'socket', 'asyncio',\n"
        "       'cached_property') if m in sys.modules]\n"
        "assert not bad, bad\n"
        "import urllib.request\n"
        "assert callable(urllib.request.urlopen)\n"
    )
    run_python(code)


def test_rendering_never_imports_pygments() -> None:
    # Installed or not (pytest brings it), Pygments stays out: the app highlights no code.
    code = (
        "import sys\n"
        "from desktop_app.core.content.library import load_library\n"
        "from desktop_app.core.render.render import render_body\n"
        "library = load_library('content')\n"
        "html, _, _ = render_body(library, '```python\\nx = 1\\n```\\n', library.root_dir)\n"
        "assert '<pre><code' in html and 'x = 1' in html, html\n"
        "assert not [m for m in sys.modules if m.startswith('pygments')]\n"
    )
    run_python(code)
