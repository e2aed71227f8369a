"""What ``check`` says about folders of Markdown written by others: one row per folder.

For each folder: Markdown files on disk (pages), articles the library lists, links checked
(internal links and images, not web addresses), errors and warnings ``check`` reports, and the
errors by kind. Runs against whichever ``desktop_app`` is importable, so the same script
measures an older checkout (``PYTHONPATH=/tmp/w-before python bench/check_collections.py ...``).

    python bench/check_collections.py /tmp/coll/mkdocs/docs /tmp/coll/material/docs
    python bench/check_collections.py --show 'broken anchor' /tmp/coll/material/docs

Prints figures; never asserts.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections import Counter
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    """Print one row per folder, and the reports matching ``--show``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", type=Path, nargs="+")
    parser.add_argument("--show", default=None, help="print the reports starting with this text")
    args = parser.parse_args(argv)
    from desktop_app.core.content import find_links, load_library
    from desktop_app.core.content.links import LinkKind
    from desktop_app.core.render import check_content

    print("folder | pages | listed | links | errors | warnings | errors by kind")
    for folder in args.folders:
        pages = sum(
            1
            for top, dirs, files in os.walk(folder)
            for name in files
            if name.lower().endswith(".md")
            and not any(part.startswith(".") for part in Path(top).relative_to(folder).parts)
        )
        library = load_library(folder)
        links = 0
        for slug in library.articles:
            try:
                body = library.read_body(slug)
            except OSError:
                continue
            links += sum(1 for x in find_links(body) if x.target.kind is not LinkKind.EXTERNAL)
        found = check_content(library)
        errors = [d for d in found if d.severity.value == "error"]
        kinds = Counter(d.message.split(":")[0].split(" '")[0] for d in errors)
        shown = ", ".join(f"{k} {n}" for k, n in kinds.most_common())
        warnings = len(found) - len(errors)
        print(f"{folder} | {pages} | {len(library.articles)} | {links} | {len(errors)} | "
              f"{warnings} | {shown}")  # fmt: skip
        if args.show is not None:
            for d in found:
                if d.message.startswith(args.show):
                    rel = os.path.relpath(d.path, folder) if d.path else ""
                    print(f"    {d.severity.value}: {rel}:{d.line}: {d.message}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
