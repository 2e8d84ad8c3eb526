"""A problem found in a template file, with where it is."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One problem, at a 1-based line and column of ``path``."""

    path: str
    line: int
    column: int
    message: str

    def __str__(self) -> str:
        """Return ``path:line:column: message``, the form editors and CI logs understand."""
        return f"{self.path}:{self.line}:{self.column}: {self.message}"
