"""A collection's own table of contents: the ``nav`` of an MkDocs ``mkdocs.yml``.

When the content folder is an MkDocs ``docs_dir`` (``mkdocs.yml`` beside it or inside it), the
pages listed in its ``nav`` keep that order and the titles given there; pages the nav leaves
out follow in the usual order. A ``mkdocs.yml`` that cannot be read is a warning, never a stop.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from desktop_app.core.content.identity import nfc
from desktop_app.diagnostics import Diagnostic, warning

NAV_FILE = "mkdocs.yml"
MAX_NAV_BYTES = 1024 * 1024
_PAGE_RE = re.compile(r"\.md$", re.I)
_HEADING_RE = re.compile(r"^#\s+(.+?)\s*#*\s*$")

Nav = dict[str, tuple[float, str]]
"""An article's identity → (its position in the nav, the title the nav gives it or '')."""


def load_nav(root: Path, diagnostics: list[Diagnostic]) -> Nav:
    """Return the nav of the ``mkdocs.yml`` whose docs folder is ``root`` (empty if none)."""
    for config in (root.parent / NAV_FILE, root / NAV_FILE):
        if config.is_file():
            data = _read(config, diagnostics)
            docs = root.parent / str(data.get("docs_dir", "docs")) if data else None
            if data and (config.parent == root or (docs and docs.resolve() == root)):
                out: Nav = {}
                _walk(data.get("nav"), out)
                return out
    return {}


def _read(config: Path, diagnostics: list[Diagnostic]) -> dict[str, Any]:
    import yaml

    class Loose(yaml.SafeLoader):
        """Safe, but tags such as ``!ENV`` or ``!!python/name:`` read as nothing."""

    def nothing(_loader: Any, _suffix: str, _node: Any) -> None:
        return None

    Loose.add_multi_constructor("!", nothing)
    Loose.add_multi_constructor("tag:yaml.org,2002:python/", nothing)
    try:
        if config.stat().st_size > MAX_NAV_BYTES:
            raise ValueError("larger than 1 MiB")
        data = yaml.load(config.read_text(encoding="utf-8"), Loader=Loose)
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else 0
        diagnostics.append(warning(config, line, f"nav not used: invalid YAML: {exc.problem}"))
        return {}
    except (OSError, ValueError, yaml.YAMLError) as exc:
        diagnostics.append(warning(config, 0, f"nav not used: {exc}"))
        return {}
    return data if isinstance(data, dict) else {}


def _walk(items: Any, out: Nav) -> None:
    if not isinstance(items, list):
        return
    for item in items:
        if isinstance(item, str):
            _add(item, "", out)
        elif isinstance(item, dict):
            for title, value in item.items():
                if isinstance(value, str):
                    _add(value, str(title), out)
                else:
                    _walk(value, out)


def _add(path: str, title: str, out: Nav) -> None:
    """A page (``a/b.md``) or a folder (``a/``: its topic) at the next place in the nav."""
    if (_PAGE_RE.search(path) or path.endswith("/")) and "://" not in path:
        out.setdefault(nfc(_PAGE_RE.sub("", path.strip("/"))), (float(len(out)), title))


def first_heading(body: str) -> str:
    """Return the text of the body's first ``# heading`` in its first 200 lines ('' if none)."""
    for count, line in enumerate(body.splitlines()):
        if count > 200:
            break
        match = _HEADING_RE.match(line)
        if match:
            return match.group(1).strip()
    return ""


def title_from_name(name: str) -> str:
    """A title from a file or folder name: ``low-back_pain`` → ``Low back pain``."""
    words = re.sub(r"[-_]+", " ", name).strip()
    return words[:1].upper() + words[1:] if words else name
