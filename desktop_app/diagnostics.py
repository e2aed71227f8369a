"""Problems found in content, reported as data with a file and a line."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path


class Severity(StrEnum):
    """How bad a diagnostic is."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One problem in one file; ``line`` is 1-based, 0 when it concerns the whole file."""

    path: Path
    line: int
    severity: Severity
    message: str

    def format(self, relative_to: Path | None = None) -> str:
        """Format as ``path:line: severity: message``."""
        path = self.path
        if relative_to is not None:
            with contextlib.suppress(ValueError):
                path = path.relative_to(relative_to)
        return f"{path}:{self.line}: {self.severity.value}: {self.message}"


def error(path: Path, line: int, message: str) -> Diagnostic:
    """Make an error diagnostic."""
    return Diagnostic(path, line, Severity.ERROR, message)


def warning(path: Path, line: int, message: str) -> Diagnostic:
    """Make a warning diagnostic."""
    return Diagnostic(path, line, Severity.WARNING, message)


def count(diagnostics: list[Diagnostic] | tuple[Diagnostic, ...]) -> tuple[int, int]:
    """Return (errors, warnings)."""
    errors = sum(1 for d in diagnostics if d.severity is Severity.ERROR)
    return errors, len(diagnostics) - errors
