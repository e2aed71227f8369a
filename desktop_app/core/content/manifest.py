"""The content folder's own metadata: ``atlas.yaml`` (title, edition, scope) and the thesaurus."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from desktop_app.core.content.frontmatter import FrontMatterError, parse_yaml
from desktop_app.diagnostics import Diagnostic, error, warning

MANIFEST_FILE = "atlas.yaml"
THESAURUS_FILE = "thesaurus.yaml"


@dataclass(frozen=True, slots=True)
class Manifest:
    """What ``atlas.yaml`` says about the content as a whole."""

    title: str = "Spine Atlas"
    edition: str = ""
    description: str = ""
    scope: str = ""
    sources: str = ""
    # The notice every page of this content carries (``notice_title`` in bold, then ``notice``);
    # a folder without them shows none.
    notice_title: str = ""
    notice: str = ""
    is_reference: bool = False
    # The editorial bar of a finished edition: no hedge phrases, every reference identified, no
    # open editor's notes. Off while an edition is being revised (``check --editorial`` forces it).
    editorial: bool = False


def _read_yaml_file(path: Path, diagnostics: list[Diagnostic]) -> Any:
    if path.exists() and not path.is_file():
        diagnostics.append(error(path, 0, "not a regular file: skipped"))
        return None
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        diagnostics.append(error(path, 0, f"cannot read file: {exc}"))
        return None
    try:
        return parse_yaml(text)
    except FrontMatterError as exc:
        diagnostics.append(error(path, exc.line, str(exc)))
        return None


def load_manifest(root_dir: Path, diagnostics: list[Diagnostic]) -> Manifest:
    """Read ``atlas.yaml`` (absent: an empty manifest); problems go to ``diagnostics``."""
    path = root_dir / MANIFEST_FILE
    data = _read_yaml_file(path, diagnostics)
    if not isinstance(data, dict):
        if data is not None:
            diagnostics.append(error(path, 1, "atlas.yaml must be a mapping"))
        # A folder without atlas.yaml is someone's notes: named after the folder, no notice.
        return Manifest(title=root_dir.name) if root_dir.name else Manifest()
    return Manifest(
        title=_text(data.get("title")) or "Spine Atlas",
        edition=_text(data.get("edition")),
        description=_text(data.get("description")),
        scope=_text(data.get("scope")),
        sources=_text(data.get("sources")),
        notice_title=_text(data.get("notice_title")),
        notice=_text(data.get("notice")),
        is_reference=bool(data.get("reference_checks", False)),
        editorial=bool(data.get("editorial_checks", False)),
    )


def load_thesaurus(root_dir: Path, diagnostics: list[Diagnostic]) -> tuple[tuple[str, ...], ...]:
    """Read the synonym groups of ``thesaurus.yaml`` (absent: none)."""
    path = root_dir / THESAURUS_FILE
    data = _read_yaml_file(path, diagnostics)
    if data is None:
        return ()
    groups = data.get("groups") if isinstance(data, dict) else None
    if not isinstance(groups, list):
        diagnostics.append(error(path, 1, "thesaurus.yaml needs a 'groups' list"))
        return ()
    out = []
    for group in groups:
        if isinstance(group, list) and len(group) >= 2:
            out.append(tuple(str(term).strip() for term in group if str(term).strip()))
        else:
            diagnostics.append(warning(path, 0, f"thesaurus group ignored: {group!r}"))
    return tuple(out)


def _text(value: Any) -> str:
    if value is None or isinstance(value, dict | list):
        return ""
    return " ".join(str(value).split())
