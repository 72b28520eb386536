"""Files replaced whole: written beside their target under a hidden temporary name, then renamed.

A build killed mid-write (Ctrl-C, ``kill -9``, power loss) leaves the old file
untouched and, at worst, a hidden ``.<name>.<random>.tmp`` beside it; the next
build of the same file removes those while it holds the build lock.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path


def temp_beside(path: Path) -> tuple[int, str]:
    """An open, new temporary file in ``path``'s folder, named so :func:`remove_leftovers` finds it."""
    return tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")


def remove_leftovers(path: Path) -> int:
    """Delete the temporaries an interrupted write of ``path`` left; call it only under the build lock.

    Returns how many were removed. Never raises: a file that cannot be removed stays, harmless.
    """
    removed = 0
    with contextlib.suppress(OSError):
        for stray in path.parent.glob(f".{glob_escape(path.name)}.*.tmp"):
            with contextlib.suppress(OSError):
                os.unlink(stray)
                removed += 1
    return removed


def glob_escape(name: str) -> str:
    """``name`` with glob's special characters made literal (``[`` → ``[[]``)."""
    return "".join(f"[{c}]" if c in "*?[" else c for c in name)
