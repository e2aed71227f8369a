"""The layers of docs/architecture.md, enforced on the source (every import, at any depth)."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.conftest import ROOT

PACKAGE = ROOT / "desktop_app"
ROOMS = ("content", "render", "search", "notes")
MAX_LINES = 400


def _modules() -> dict[str, Path]:
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        out[name] = path
    return out


def _imports(path: Path, module: str) -> set[str]:
    """Every module named by an import in ``path`` (relative imports made absolute)."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{anchor}.{base}" if base else anchor
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names)
    return {n for n in names if n.startswith("desktop_app")}


def _violations() -> list[str]:
    found = []
    modules = _modules()
    for module, path in modules.items():
        targets = {t for t in _imports(path, module) if t in modules}  # a name is not a module
        for target in targets:
            rule = _broken_rule(module, target)
            if rule:
                found.append(f"{module} imports {target}: {rule}")
    return sorted(found)


def _broken_rule(module: str, target: str) -> str:
    def under(name: str, prefix: str) -> bool:
        return name == prefix or name.startswith(prefix + ".")

    if under(module, "desktop_app.core") and any(
        under(target, f"desktop_app.{layer}") for layer in ("ui", "cli", "workspace")
    ):
        return "the core imports nothing above it"
    if under(module, "desktop_app.ui") and under(target, "desktop_app.cli"):
        return "the window does not import the command line"
    if under(module, "desktop_app.core.notes") and any(
        under(target, f"desktop_app.core.{room}") for room in ("content", "render", "search")
    ):
        return "notes import no other core room"
    if under(module, "desktop_app.core.content") and (
        under(target, "desktop_app.core.search") or under(target, "desktop_app.core.render")
    ):
        return "content does not import search or render"
    for room in ROOMS:
        face = f"desktop_app.core.{room}"
        inside = under(module, face)
        if not inside and under(target, face) and target != face:
            return f"outside {face}, only its public face (its __init__) is imported"
    return ""


def test_layers_hold() -> None:
    assert _violations() == []


def test_the_layer_rules_catch_a_violation() -> None:
    assert _broken_rule("desktop_app.core.content.links", "desktop_app.core.render.render")
    assert _broken_rule("desktop_app.core.snapshot", "desktop_app.workspace")
    assert _broken_rule("desktop_app.ui.app", "desktop_app.cli")
    assert _broken_rule("desktop_app.cli", "desktop_app.core.search.store")
    assert not _broken_rule("desktop_app.cli", "desktop_app.core.search")
    assert not _broken_rule("desktop_app.core.render.mdext", "desktop_app.core.content")


def test_every_module_is_under_400_lines() -> None:
    long = {
        str(path.relative_to(ROOT)): n
        for path in _modules().values()
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}
