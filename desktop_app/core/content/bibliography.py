"""The corpus bibliography: one YAML file of references that articles cite by key."""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from pathlib import Path

from desktop_app.core.content.frontmatter import FrontMatterError, parse_yaml
from desktop_app.diagnostics import Diagnostic, error

BIBLIOGRAPHY_FILE = "bibliography.yaml"
_FIELDS = (
    "authors",
    "title",
    "container",
    "year",
    "details",
    "doi",
    "pmid",
    "pmcid",
    "isbn",
    "url",
    "note",
)


@dataclass(frozen=True, slots=True)
class Reference:
    """One bibliography entry."""

    key: str
    authors: str = ""
    title: str = ""
    container: str = ""
    year: str = ""
    details: str = ""
    doi: str = ""
    pmid: str = ""
    pmcid: str = ""
    isbn: str = ""
    url: str = ""
    note: str = ""
    line: int = 0

    @property
    def has_identifier(self) -> bool:
        """True when a reader can find the source: a DOI, PMID, PMCID, ISBN or stable URL."""
        return bool(self.doi or self.pmid or self.pmcid or self.isbn or self.url)

    def to_text(self) -> str:
        """Format as a plain-text citation (Vancouver-like)."""
        parts = [p for p in (self.authors, self.title) if p]
        text = ". ".join(p.rstrip(".") for p in parts)
        source = self.container.rstrip(".")
        if self.year:
            source = f"{source}. {self.year}" if source else self.year
        if self.details:
            source = f"{source};{self.details}" if self.year else f"{source}. {self.details}"
        if source:
            text = f"{text}. {source}" if text else source
        text += "."
        ids = []
        if self.doi:
            ids.append(f"doi:{self.doi}")
        if self.pmid:
            ids.append(f"PMID {self.pmid}")
        if self.pmcid:
            ids.append(self.pmcid)
        if self.isbn:
            ids.append(f"ISBN {self.isbn}")
        if ids:
            text += " " + "; ".join(ids) + "."
        return text

    def to_html(self) -> str:
        """Format as HTML with the DOI as an external link."""
        text = html.escape(self.to_text())
        if self.doi:
            doi = html.escape(self.doi)
            text = text.replace(f"doi:{doi}", f'doi:<a href="https://doi.org/{doi}">{doi}</a>', 1)
        if self.url and not self.doi:
            url = html.escape(self.url)
            text += f' <a href="{url}">{url}</a>'
        return text


@dataclass(frozen=True)
class Bibliography:
    """References by key, and the file they came from."""

    entries: dict[str, Reference] = field(default_factory=dict)
    path: Path | None = None

    def __contains__(self, key: object) -> bool:
        return key in self.entries

    def get(self, key: str) -> Reference | None:
        """Return the reference with this key, or None."""
        return self.entries.get(key)


def load_bibliography(root_dir: Path) -> tuple[Bibliography, list[Diagnostic]]:
    """Load ``bibliography.yaml`` from the content root (absent file: empty bibliography)."""
    path = root_dir / BIBLIOGRAPHY_FILE
    diagnostics: list[Diagnostic] = []
    try:
        if not path.is_file():  # a folder or a named pipe would hang or fail
            raise FileNotFoundError(path)
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Bibliography(), diagnostics
    except (OSError, UnicodeDecodeError) as exc:
        return Bibliography(path=path), [error(path, 0, f"cannot read bibliography: {exc}")]
    try:
        data = parse_yaml(text)
    except FrontMatterError as exc:
        return Bibliography(path=path), [error(path, exc.line, str(exc))]
    if not isinstance(data, dict):
        return Bibliography(path=path), [error(path, 1, "bibliography must map keys to entries")]
    lines = _key_lines(text)
    entries: dict[str, Reference] = {}
    for key, value in data.items():
        line = lines.get(str(key), 0)
        if not isinstance(value, dict):
            diagnostics.append(error(path, line, f"reference '{key}' must be a mapping"))
            continue
        values = {name: _field(value.get(name)) for name in _FIELDS}
        if not values["title"] and not values["container"]:
            diagnostics.append(error(path, line, f"reference '{key}' has no title"))
        entries[str(key)] = Reference(key=str(key), line=line, **values)
    return Bibliography(entries, path), diagnostics


def _field(value: object) -> str:
    return "" if value is None else " ".join(str(value).split())


def _key_lines(text: str) -> dict[str, int]:
    out = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if line and not line[0].isspace() and ":" in line and not line.startswith("#"):
            out[line.split(":", 1)[0].strip().strip("'\"")] = number
    return out
