"""Files an article may show: paths confined to the content folder, and image sizes."""

from __future__ import annotations

import re
from pathlib import Path

from desktop_app.core.content.links import RESOURCE_SCHEME


def resolve_resource(src: str, article_dir: Path, content_root: Path) -> Path | None:
    """Resolve an image path; None if it is remote, absolute, missing or outside the root."""
    if not src or re.match(r"^[a-zA-Z][a-zA-Z0-9+.\-]*:", src) or src.startswith(("/", "\\")):
        if not src.startswith(f"{RESOURCE_SCHEME}:"):
            return None
        src = src[len(RESOURCE_SCHEME) + 1 :]
        article_dir = content_root
    try:
        from urllib.parse import unquote

        candidate = (article_dir / unquote(src)).resolve()
        candidate.relative_to(content_root)
    except (ValueError, OSError, RuntimeError):
        return None
    return candidate if candidate.is_file() else None


def image_size(path: Path) -> tuple[int, int]:
    """Return (width, height) in px of an SVG or PNG, or (0, 0) if unknown."""
    try:
        with path.open("rb") as fh:
            head = fh.read(4096)
    except OSError:
        return 0, 0
    if head.startswith(b"\x89PNG") and len(head) >= 24:
        return int.from_bytes(head[16:20], "big"), int.from_bytes(head[20:24], "big")
    if path.suffix.lower() == ".svg":
        text = head.decode("utf-8", "replace")
        tag = re.search(r"<svg\b[^>]*>", text, re.S)
        if tag:
            w = re.search(r'\bwidth="([\d.]+)(px)?"', tag.group(0))
            h = re.search(r'\bheight="([\d.]+)(px)?"', tag.group(0))
            if w and h:
                return round(float(w.group(1))), round(float(h.group(1)))
            box = re.search(
                r'viewBox="[\d.\-]+[ ,]+[\d.\-]+[ ,]+([\d.]+)[ ,]+([\d.]+)"', tag.group(0)
            )
            if box:
                return round(float(box.group(1))), round(float(box.group(2)))
    return 0, 0
