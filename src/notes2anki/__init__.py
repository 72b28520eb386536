"""notes2anki: turn Markdown study notes into Anki decks.

The pipeline is a plain function, :func:`notes2anki.pipeline.build`; the CLI
(``notes2anki.cli``) is a thin skin over it.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("notes2anki")
except PackageNotFoundError:  # running from a source tree without installing
    __version__ = "0.0.0"

__all__ = ["__version__"]
