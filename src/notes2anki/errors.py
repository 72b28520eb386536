"""The few problems a build cannot survive.

Everything else is a :class:`~notes2anki.diagnostics.Diagnostic`. These
exceptions carry diagnostics too, so the CLI prints fatal problems in the same
``path:line: error: message (hint)`` form, then exits 1. They are raised by
the library and converted to output in exactly one place (``cli.py``).
"""

from __future__ import annotations

from collections.abc import Sequence

from .diagnostics import Diagnostic


class Notes2AnkiError(Exception):
    """Base of every error a user (not a bug) can cause."""

    def __init__(self, diagnostics: Sequence[Diagnostic], outcome: str = "nothing was written") -> None:
        self.diagnostics = tuple(diagnostics)
        self.outcome = outcome
        """What the failed command left behind, for the closing line ("stopped; <outcome>.")."""
        super().__init__("; ".join(d.format() for d in self.diagnostics))


class ConfigError(Notes2AnkiError):
    """The config file is missing, unreadable or invalid (all problems at once)."""


class InputError(Notes2AnkiError):
    """The notes to build cannot be found at all (a path that does not exist, nothing to read)."""


class OutputError(Notes2AnkiError):
    """The deck (or ledger) cannot be written; the previous one is left as it was."""


class LedgerError(Notes2AnkiError):
    """The card ledger cannot be read or written; it is never silently replaced."""


class StateError(Notes2AnkiError):
    """The quiz's review-state file is corrupt, from a newer version or unusable; it is never wiped."""
