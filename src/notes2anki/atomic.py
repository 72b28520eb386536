"""Files replaced whole: written beside their target under a hidden temporary name, then renamed.

A build killed mid-write (Ctrl-C, ``kill -9``, power loss) leaves the old file
untouched and, at worst, a hidden ``.<name>.<random>.tmp`` beside it; the next
build of the same file removes those while it holds the build lock.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from functools import lru_cache
from pathlib import Path


def temp_beside(path: Path) -> tuple[int, str]:
    """An open, new temporary file in ``path``'s folder, named so :func:`remove_leftovers` finds it.

    It gets the mode ``path`` has, or a new file's usual mode (``0666`` less the umask), not the
    ``0600`` of a temporary file: the renamed deck or ledger is an ordinary file others may read.
    """
    fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        mode = stat.S_IMODE(os.stat(path).st_mode)
    except OSError:
        mode = 0o666 & ~_umask()
    with contextlib.suppress(OSError):
        os.chmod(name, mode)
    return fd, name


def write_cache_file(path: Path, data: bytes) -> None:
    """Replace a cache file whole, best effort: a cache that cannot be written is rebuilt next time.

    Not synced to disk: a cache file lost in a crash only costs the work it saved.
    """
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = temp_beside(path)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.replace(tmp, path)
        finally:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


@lru_cache(maxsize=1)
def _umask() -> int:
    mask = os.umask(0o022)  # reading the umask means setting it: put it straight back
    os.umask(mask)
    return mask


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
