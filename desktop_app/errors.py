"""Expected errors: each carries a message a user can act on. Anything else is a bug."""

from __future__ import annotations


class AppError(Exception):
    """An expected failure with a user-facing message and an optional detail."""

    def __init__(self, message: str, detail: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.detail = detail

    def __str__(self) -> str:
        return f"{self.message}: {self.detail}" if self.detail else self.message


class ContentError(AppError):
    """The content folder cannot be used at all."""


class IndexUnavailable(AppError):
    """The search index cannot be opened or built."""


class ExportError(AppError):
    """A document could not be printed or exported."""


class UnknownArticle(AppError):
    """No article or topic has that slug."""
