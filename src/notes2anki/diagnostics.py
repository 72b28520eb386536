"""Problems a build survives, as values.

The pipeline never prints: every stage returns the diagnostics it found next to
its result, and the CLI prints them all at the end the way a compiler does
(``path:line: severity: message``). That keeps the stages testable and lets
``--strict`` decide, in one place, whether warnings fail the build.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass


class Severity(enum.Enum):
    """How bad a problem is; ordered so ``max()`` picks the worst."""

    INFO = 0
    WARNING = 1
    ERROR = 2

    def __str__(self) -> str:
        return self.name.lower()


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem with where it is and what the user can do about it."""

    path: str
    """File the problem is in, as the user named it (relative where possible); ``""`` if none."""
    line: int | None
    """1-based line number, or ``None`` when the problem concerns a whole file."""
    severity: Severity
    message: str
    """What is wrong, in one sentence."""
    hint: str = ""
    """What to do about it; may be empty when the message says it all."""
    code: str = ""
    """A short stable name (``config-unknown-key``) that tests and filters can rely on."""

    def where(self) -> str:
        """``path:line`` (or just ``path``), the prefix compilers print."""
        if not self.path:
            return "notes2anki"
        return f"{self.path}:{self.line}" if self.line is not None else self.path

    def format(self) -> str:
        """The one-line form the CLI prints."""
        text = f"{self.where()}: {self.severity}: {self.message}"
        return f"{text} ({self.hint})" if self.hint else text


def warning(path: str, line: int | None, message: str, hint: str = "", code: str = "") -> Diagnostic:
    """Shorthand for the common case."""
    return Diagnostic(path, line, Severity.WARNING, message, hint, code)


def error(path: str, line: int | None, message: str, hint: str = "", code: str = "") -> Diagnostic:
    """Shorthand for a problem that makes part of the input unusable."""
    return Diagnostic(path, line, Severity.ERROR, message, hint, code)


def worst(diagnostics: Iterable[Diagnostic]) -> Severity | None:
    """The most severe level among ``diagnostics``, or ``None`` if there are none."""
    levels = [d.severity for d in diagnostics]
    return max(levels, key=lambda s: s.value) if levels else None
