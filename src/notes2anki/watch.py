"""Rebuilding a deck whenever its notes change (``notes2anki watch``).

The loop waits on file-system events (the ``watchfiles`` package, which
batches a burst of saves into one change set), rebuilds as ``notes2anki build``
does (reading only the notes that changed, see ``incremental.py``), and hands
each report to the caller. Nothing here prints.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

from .config import Settings
from .errors import Notes2AnkiError
from .incremental import Report
from .pipeline import rebuild
from .sources import MARKDOWN_SUFFIXES


def relevant(path: str, settings: Settings) -> bool:
    """A change worth a rebuild: a note, an image it may show, or the ledger edited by hand."""
    p = Path(path)
    if any(part.startswith(".") for part in p.parts[-4:-1]) or "node_modules" in p.parts:
        return False
    if p.name.startswith(".") or p.name.endswith((".tmp", "~")):
        return False
    return p.suffix.lower() in (*MARKDOWN_SUFFIXES, ".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp") or (
        p == settings.ledger_path.absolute())


def rebuilds(settings: Settings, changes: Iterator[set[str]],
             on_error: Callable[[Notes2AnkiError], None]) -> Iterator[Report]:
    """One build now, then one per batch of relevant ``changes``; errors are reported and the loop goes on."""
    first = True
    for batch in _start(changes):
        if not first and not any(relevant(p, settings) for p in batch):
            continue
        first = False
        try:
            yield rebuild(settings)
        except Notes2AnkiError as exc:
            on_error(exc)


def _start(changes: Iterator[set[str]]) -> Iterator[set[str]]:
    yield set()
    yield from changes


def watch_changes(settings: Settings) -> Iterator[set[str]]:
    """Batches of changed paths under the notes folders (blocks until something changes)."""
    from watchfiles import watch

    roots = [str(p) for p in settings.inputs] + [str(base) for base, _ in settings.globs]
    for batch in watch(*roots, debounce=150, step=50, rust_timeout=0, yield_on_timeout=False):
        yield {path for _, path in batch}
