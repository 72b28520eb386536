"""notes2anki: turn Markdown study notes into Anki decks.

The pipeline is a plain function, :func:`notes2anki.pipeline.build`; the CLI
(``notes2anki.cli``) is a thin skin over it.
"""

from __future__ import annotations

__version__ = "0.1.0"
"""The one place the version is written (``pyproject.toml`` reads it from here): no package metadata
lookup at start-up, which costs a command more time than parsing its options."""

__all__ = ["__version__"]
