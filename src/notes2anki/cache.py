"""Extraction results kept between builds, so a rebuild re-reads only the notes that changed.

One folder per deck in the user's cache folder (``platformdirs``), safe to
delete at any time. An entry is reused while its note's size and modification
time are unchanged (or its bytes hash the same), the images its cards pack are
unchanged, and its image references would still resolve as they did (a missing
image may have appeared since, see ``media.Lookups``). The whole cache is
ignored when notes2anki's code, version or the extraction settings change.

It is stored with :mod:`marshal` as plain tuples of strings and numbers —
nothing in it can run code when loaded, and a damaged file just means a cold
build.
"""

from __future__ import annotations

import hashlib
import marshal
import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, fields
from functools import lru_cache
from operator import attrgetter
from pathlib import Path
from typing import Any

from . import __version__
from .atomic import write_cache_file
from .cards import Card
from .diagnostics import Diagnostic, Severity
from .media import Lookups, Shared

FORMAT = 3


@dataclass(frozen=True)
class FileResult:
    """What one note gave: its cards and problems (``cards`` is empty if it could not be read)."""

    rel: str
    read: bool
    cards: tuple[Card, ...]
    diagnostics: tuple[Diagnostic, ...]
    digest: str = ""
    lookups: Lookups | None = None
    """Its image references whose outcome could change while the note does not (asked again before the
    result is reused)."""


@lru_cache(maxsize=1)
def code_digest() -> str:
    """Hash of notes2anki's own source: a code change (even without a version bump) voids the cache."""
    h = hashlib.sha256(__version__.encode())
    package = Path(__file__).parent
    for path in sorted(package.rglob("*.py")):
        h.update(path.relative_to(package).as_posix().encode())
        h.update(path.read_bytes())
    return h.hexdigest()[:16]


def default_folder() -> Path:
    override = os.environ.get("NOTES2ANKI_CACHE_DIR")
    if override:
        return Path(override)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("notes2anki", appauthor=False))


_CARD_ATTRS = (*(f.name for f in fields(Card)), "answer_digest", "content_digest")
"""What the cache stores of a card, in order: its fields, then its two digests (cached properties)."""
_card_row: Callable[[Card], tuple[Any, ...]] = attrgetter(*_CARD_ATTRS)


def _card(row: tuple[Any, ...]) -> Card:
    # Restored straight into the instance dict: the fields (saved from a Card, so already valid), and the
    # digests rather than hashing every card again. A rebuild restores every card; this is 3× quicker
    # than calling the frozen dataclass's __init__.
    card: Card = object.__new__(Card)
    card.__dict__.update(zip(_CARD_ATTRS, row))
    return card


def _diag_row(d: Diagnostic) -> tuple[Any, ...]:
    return (d.path, d.line, d.severity.value, d.message, d.hint, d.code)


def _stat(path: str) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_size, st.st_mtime_ns


def still_valid(check: tuple[Any, ...], path: Path, read_digest: Callable[[Path], str] | None,
                shared: Shared) -> tuple[int, int] | None:
    """The note's size and time now if what the cache noted of it (``check``: size and time, digest,
    images, image lookups) still holds, else None: its size and time are unchanged (or its bytes hash
    the same, if ``read_digest`` is given), and so are those of the images its cards pack; its image
    references would still resolve as they did (``media.Lookups``; ``shared``: what the checks of one
    build share)."""
    stat, digest, media, lookups = check
    now = _stat(str(path))
    if now is None:
        return None
    if now != stat and (read_digest is None or read_digest(path) != digest):
        return None
    if any(_stat(p) != s for p, s in media):
        return None
    if lookups is not None and not Lookups._make(lookups).same(shared):
        return None
    return now


def file_digest(path: Path) -> str:
    """What the cache keeps of a note's bytes (SHA-256), or "" if it cannot be read."""
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return ""


def _result(row: tuple[Any, ...]) -> FileResult:
    _, digest, _, lookups, rel, read, cards, diags = row
    return FileResult(rel, read, tuple(_card(c) for c in cards),
                      tuple(Diagnostic(p, ln, Severity(sv), m, h, code) for p, ln, sv, m, h, code in diags), digest,
                      None if lookups is None else Lookups._make(lookups))


SHARDS = 64
"""The cache is split by note path into this many files, so a one-note edit rewrites one small file."""


def _shard(key: str) -> int:
    return int(hashlib.md5(key.encode(), usedforsecurity=False).hexdigest()[:4], 16) % SHARDS


def deck_folder(folder: Path, key: str) -> Path:
    """The folder, inside the cache folder, of one deck (``key`` names the deck and where it is written)."""
    return folder / hashlib.sha256(key.encode()).hexdigest()[:20]


class Cache:
    """The per-deck cache, in :data:`SHARDS` files; ``None`` folder means caching is off."""

    def __init__(self, folder: Path | None, key: str, settings_digest: str, *, lazy: bool = False) -> None:
        self.folder = deck_folder(folder, key) if folder else None
        self.stamp = f"{FORMAT}:{code_digest()}:{settings_digest}"
        self.entries: dict[str, tuple[Any, ...]] = {}
        self.fresh: dict[str, tuple[Any, ...]] = {}
        self.dirty: set[int] = set()
        """Shards that must be written: an entry in them was added, changed or dropped."""
        self.hits = 0
        self.shared = Shared()
        """What this build's checks of image lookups share (the tree is walked at most once)."""
        self._loaded: set[int] = set()
        """Shards read so far (all of them, unless ``lazy``: then each when first needed)."""
        if self.folder is not None and not lazy:
            for shard in range(SHARDS):
                self._load(shard)

    def _file(self, shard: int) -> Path:
        assert self.folder is not None
        return self.folder / f"{shard:02d}.cache"

    def _load(self, shard: int) -> None:
        if shard in self._loaded or self.folder is None:
            return
        self._loaded.add(shard)
        try:
            data = marshal.loads(self._file(shard).read_bytes())
        except (OSError, EOFError, ValueError, TypeError):
            return
        if isinstance(data, tuple) and len(data) == 2 and data[0] == self.stamp and isinstance(data[1], dict):
            self.entries.update(data[1])

    def cached(self, path: Path) -> FileResult | None:
        """The stored result for ``path``, unchecked: for a caller that has checked the note is unchanged."""
        key = str(path)
        self._load(_shard(key))
        row = self.entries.get(key)
        return None if row is None else _result(row)

    def index(self, path: Path) -> tuple[Any, ...] | None:
        """What says whether the entry for ``path`` is still valid (see :func:`still_valid`); None if not cached."""
        row = self.entries.get(str(path))
        return None if row is None else row[:4]

    def patch(self, results: Mapping[Path, FileResult], dropped: Iterable[str], restat: Iterable[str]) -> None:
        """Store a few notes' results, forget deleted notes and refresh touched notes' times, reading and
        writing only the shards they are in (an incremental rebuild); never fails the build."""
        if self.folder is None:
            return
        dropped, restat = list(dropped), list(restat)
        shards = {_shard(str(p)) for p in results} | {_shard(k) for k in (*dropped, *restat)}
        for shard in shards:
            self._load(shard)
        for key in (*dropped, *map(str, results)):
            self.entries.pop(key, None)
        for key in restat:
            row, now = self.entries.get(key), _stat(key)
            if row is not None and now is not None:
                self.entries[key] = (now, *row[1:])
        self.fresh = {}
        for path, result in results.items():
            self.put(path, result)
        self.entries.update(self.fresh)
        self.fresh, self.dirty = {}, set()
        for shard in shards:
            rows = {k: row for k, row in self.entries.items() if _shard(k) == shard}
            write_cache_file(self._file(shard), marshal.dumps((self.stamp, rows)))

    def get(self, path: Path, read_digest: Callable[[Path], str] | None = None) -> FileResult | None:
        """The cached result for the note at ``path`` if it is still valid."""
        key = str(path)
        row = self.entries.get(key)
        if row is None:
            return None
        now = still_valid(row[:4], path, read_digest, self.shared)
        if now is None:
            return None
        if now != row[0]:
            self.dirty.add(_shard(key))
        self.fresh[key] = (now, *row[1:])
        self.hits += 1
        return _result(row)

    def put(self, path: Path, result: FileResult) -> None:
        if self.folder is None or not result.read:
            return  # a note that could not be read is tried again: a change of permissions keeps its time
        key = str(path)
        stat = _stat(key)
        if stat is None:
            return
        media = sorted({(p, _stat(p)) for c in result.cards for _, p in c.media})
        self.dirty.add(_shard(key))
        lookups = None if result.lookups is None else tuple(result.lookups)
        self.fresh[key] = (stat, result.digest, tuple(media), lookups, result.rel, result.read,
                           tuple(_card_row(c) for c in result.cards),
                           tuple(_diag_row(d) for d in result.diagnostics))

    def roll(self) -> None:
        """Start the next build from what this one saw (a long-running process builds again and again)."""
        self.entries, self.fresh, self.dirty, self.hits, self.shared = self.fresh, {}, set(), 0, Shared()

    def save(self) -> None:
        """Write the shards this build changed (notes no longer read are dropped); never fails the build."""
        if self.folder is None:
            return
        dirty = self.dirty | {_shard(k) for k in self.entries.keys() - self.fresh.keys()}
        if not dirty:
            return
        shards: dict[int, dict[str, tuple[Any, ...]]] = {n: {} for n in dirty}
        for key, row in self.fresh.items():
            shard = shards.get(_shard(key))
            if shard is not None:
                shard[key] = row
        for number, rows in shards.items():
            write_cache_file(self._file(number), marshal.dumps((self.stamp, rows)))
