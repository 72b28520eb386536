"""Cards into an .apkg: the only module that imports genanki.

The package is written deterministically (fixed zip timestamps, per-note
modification times supplied by the caller, ids derived from them), so the same
cards and times written afresh give the same bytes, and atomically (a temporary
file renamed over the old one), so a failed or interrupted build leaves the
previous deck intact. Given a folder to keep things in, a build keeps the
collection and its compressed chunks there and the next one updates only the
rows and chunks that changed (``collection.py``, ``deflate.py``): the same rows
as a fresh write, not the same bytes.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import sqlite3
import tempfile
import zipfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import count
from pathlib import Path
from typing import Any

from . import collection
from .atomic import temp_beside
from .cache import code_digest
from .cards import Card
from .deflate import LEVEL, ChunkStore, Precompressed
from .diagnostics import error
from .errors import OutputError
from .identity import deck_id
from .notetypes import BASIC, CLOZE, MTIME, NoteType, template_digest

_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
PACKAGE_FORMAT = 1
"""Raise when the package layout changes, so an old package is never taken for an up-to-date one."""


def _model(nt: NoteType) -> Any:
    """A genanki model whose modification time is ours, not the build's."""
    import genanki  # only a fresh collection needs it (a rebuild updates the kept one): spare its import

    class _Model(genanki.Model):  # type: ignore[misc]
        def to_json(self, timestamp: float, deck_id: int) -> dict[str, Any]:
            data: dict[str, Any] = super().to_json(timestamp, deck_id)
            data["mod"] = MTIME
            return data

    return _Model(
        nt.id,
        nt.name,
        fields=[{"name": f} for f in nt.fields],
        templates=[{"name": t.name, "qfmt": t.qfmt, "afmt": t.afmt} for t in nt.templates],
        css=nt.css,
        model_type=genanki.Model.CLOZE if nt.cloze else genanki.Model.FRONT_BACK,
    )


def write_package(
    cards: Sequence[Card],
    deck_name: str,
    out_path: Path,
    *,
    mtimes: Mapping[str, int] | None = None,
    default_mtime: int,
    media: Mapping[str, Path] | None = None,
    keep: Path | None = None,
    digest: str | None = None,
    patch: Patch | None = None,
) -> Written | None:
    """Write ``cards`` as one deck to ``out_path`` (atomically); ``None`` if the file there already is it.

    ``mtimes`` gives each card's modification time by GUID; cards not in it get
    ``default_mtime``. ``media`` maps the file names cards refer to onto the
    files to pack. ``keep`` is a folder (the deck's cache) where the collection
    and its compressed chunks stay between builds, so the next build rewrites
    only what changed; without it everything is written afresh. Raises
    :class:`OutputError` if the file cannot be written.

    ``digest`` (see :func:`package_digest`) is what the package is made of, if
    the caller has it. ``patch`` says how to update the kept collection when
    ``cards`` are only the notes that changed (:class:`Patch`).
    """
    times = mtimes or {}
    stamp = max([*times.values(), default_mtime, MTIME] if patch is None else [*times.values(), patch.stamp, MTIME])
    files = dict(sorted((media or {}).items()))
    if digest is None:
        digest = package_digest(deck_name, len(cards), [digest_part(cards, times, default_mtime)], files)
    if written_digest(out_path) == digest:
        return None  # the file there is already exactly this package
    coll = _Collection(cards, deck_name, times, default_mtime, stamp, keep, patch)
    try:
        out_path.parent.mkdir(parents=True, exist_ok=True)
        chunks = _write_atomic(coll, files, out_path, digest)
    except OSError as exc:
        raise OutputError([error(str(out_path), None, f"cannot write deck: {exc.strerror or exc}",
                                 "check the output folder exists and is writable, and the disk is not full",
                                 "output-unwritable")]) from None
    except sqlite3.Error as exc:  # the collection, in the cache or temp folder (full, or a file size limit)
        where = keep if keep is not None else tempfile.gettempdir()
        raise OutputError([error(str(out_path), None, f"cannot write deck: {exc}",
                                 f"check the folder {where} has space and is writable",
                                 "output-unwritable")]) from None
    return Written(coll.rewritten, chunks.compressed, len(chunks.used))


@dataclass(frozen=True)
class Patch:
    """How to bring the kept collection up to date when only some notes changed (``collection.patch``).

    The cards given to :func:`write_package` are then only those notes' cards,
    at ``positions`` (one per card); ``old`` is the collection's record, read
    before anything was written.
    """

    old: Mapping[str, collection.Kept]
    positions: Sequence[int]
    gone: frozenset[str]
    shifts: Sequence[tuple[int, int, int]]
    stamp: int
    """The latest modification time in the whole package (ids of new notes start above it)."""


class PatchFailed(Exception):
    """The kept collection could not be updated in place; nothing of the package was written."""


def kept_record(keep: Path, deck_name: str) -> dict[str, collection.Kept] | None:
    """The kept collection's record, if it can be trusted (see ``collection.load_record``)."""
    return collection.load_record(keep / "collection.anki2", keep / "collection.record", _key(deck_name))


@dataclass(frozen=True)
class Written:
    """How much of a package had to be made anew (the rest came from the last build's)."""

    notes: int
    """Notes whose rows were written."""
    chunks: int
    """Chunks of the collection that were compressed."""
    of_chunks: int
    """Chunks in the collection."""


class _Collection:
    """The package's SQLite collection: kept and updated in ``keep`` if given, else a scratch file."""

    def __init__(self, cards: Sequence[Card], deck_name: str, times: Mapping[str, int], default_mtime: int,
                 stamp: int, keep: Path | None, patch: Patch | None = None) -> None:
        self.cards, self.deck_name, self.stamp, self.keep, self.patch = cards, deck_name, stamp, keep, patch
        self.mod_of = lambda card: times.get(card.guid, default_mtime)
        self.kept: dict[str, collection.Kept] = {}
        self.rewritten = 0
        """How many notes' rows this build wrote (all of them unless a kept collection was updated)."""

    @contextlib.contextmanager
    def written(self) -> Iterator[tuple[Path, ChunkStore]]:
        """The collection file, up to date, and the chunk store to compress it with."""
        if self.keep is not None:
            try:
                db = self._kept(self.keep)
            except (OSError, sqlite3.Error):
                if self.patch is not None:
                    raise PatchFailed from None  # only some notes' cards are here: the caller builds in full
                pass  # a cache that cannot be used is no reason to fail: write afresh, as without one
            else:
                yield db, ChunkStore(self.keep / "collection.chunks")
                return
        fd, name = tempfile.mkstemp(suffix=".anki2")
        os.close(fd)
        try:
            self._fresh(Path(name))
            yield Path(name), ChunkStore(None)
        finally:
            with contextlib.suppress(OSError):
                os.unlink(name)

    def _kept(self, folder: Path) -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        db, record = folder / "collection.anki2", folder / "collection.record"
        if self.patch is not None:
            collection.forget(record)
            self._patch(db, self.patch)
        else:
            old = collection.load_record(db, record, _key(self.deck_name))
            collection.forget(record)
            if old is None or not self._update(db, old):
                with contextlib.suppress(FileNotFoundError):
                    db.unlink()
                self._fresh(db)
        collection.save_record(db, record, _key(self.deck_name), self.kept)
        return db

    def _patch(self, path: Path, patch: Patch) -> None:
        conn = self._connect(path)
        try:
            ids = collection.next_id(patch.old, self.stamp * 1000)
            self.kept, self.rewritten = collection.patch(
                conn.cursor(), list(zip(patch.positions, self.cards, strict=True)), self.mod_of,
                deck_id(self.deck_name), ids, patch.old, patch.gone, patch.shifts)
            conn.commit()
        finally:
            conn.close()

    def _connect(self, path: Path) -> sqlite3.Connection:
        conn = sqlite3.connect(path)
        # Rebuilt from the notes when lost or damaged: no journal or syncing needed (they do not change its bytes).
        conn.execute("PRAGMA journal_mode=OFF")
        conn.execute("PRAGMA synchronous=OFF")
        return conn

    def _fresh(self, path: Path) -> None:
        conn = self._connect(path)
        try:
            # Big pages: notes of a kilobyte or two leave a fifth of 4 KB pages empty; 64 KB pages make the
            # collection ~7% smaller, so quicker to write and to compress (any SQLite, Anki too, reads them).
            conn.execute("PRAGMA page_size=65536")
            cursor = conn.cursor()
            import genanki

            deck = genanki.Deck(deck_id(self.deck_name), self.deck_name)
            deck.add_model(_model(BASIC))
            deck.add_model(_model(CLOZE))
            ids = count(self.stamp * 1000)
            genanki.Package(deck).write_to_db(cursor, self.stamp, ids)  # collection, note types and deck
            self.kept = collection.fill(cursor, self.cards, self.mod_of, deck.deck_id, ids)
            self.rewritten = len(self.cards)
            conn.commit()
        finally:
            conn.close()

    def _update(self, path: Path, old: Mapping[str, collection.Kept]) -> bool:
        """Update the kept collection in place; False if it is better written afresh."""
        conn = self._connect(path)
        try:
            pages, free = (conn.execute(f"PRAGMA {p}").fetchone()[0] for p in ("page_count", "freelist_count"))
            if free * 4 > pages:  # mostly holes after many deletions: a fresh file is smaller
                return False
            ids = collection.next_id(old, self.stamp * 1000)
            self.kept, self.rewritten = collection.update(conn.cursor(), self.cards, self.mod_of,
                                                          deck_id(self.deck_name), ids, old)
            conn.commit()
            return True
        finally:
            conn.close()


def _key(deck_name: str) -> str:
    """What a kept collection must have been made for to be updated rather than written afresh."""
    return f"{PACKAGE_FORMAT}\x1f{deck_name}\x1f{template_digest()}\x1f{code_digest()}"


def digest_part(cards: Iterable[Card], times: Mapping[str, int], default_mtime: int) -> bytes:
    """Hash of what some of a package's cards put in it (one note's, say); see :func:`package_digest`."""
    h = hashlib.sha256()
    for card in cards:
        h.update(f"\x1e{card.guid}\x1f{card.content_digest}\x1f{card.source}\x1f"
                 f"{times.get(card.guid, default_mtime)}".encode())
    return h.digest()


def package_digest(deck_name: str, cards: int, parts: Iterable[bytes], media: Iterable[str]) -> str:
    """What a package's bytes depend on, hashed: equal digests mean byte-identical packages.

    ``parts`` are :func:`digest_part` of its cards, in order, in runs that the
    caller keeps the same from build to build (one per note, say), so a build
    can reuse the parts of notes that did not change. Media are named by their
    content hash, so their names stand for their bytes.
    """
    h = hashlib.sha256(f"{PACKAGE_FORMAT}\x1e{deck_name}\x1e{MTIME}\x1e{template_digest()}\x1e{cards}".encode())
    for part in parts:
        h.update(part)
    h.update("\x1e".join(media).encode())
    return h.hexdigest()


def written_digest(path: Path) -> str | None:
    """The digest stored in an existing package's zip comment, if it is one of ours."""
    try:
        with zipfile.ZipFile(path) as zf:
            comment = zf.comment.decode("ascii", "replace")
    except (OSError, zipfile.BadZipFile, ValueError):
        return None
    prefix = "notes2anki:"
    return comment[len(prefix):] if comment.startswith(prefix) else None


def _write_atomic(coll: _Collection, media: Mapping[str, Path], out_path: Path, digest: str) -> ChunkStore:
    tmp_out: str | None = None
    try:
        with coll.written() as (db, chunks):
            fd, tmp_out = temp_beside(out_path)
            with os.fdopen(fd, "wb") as raw, zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as zf:
                zf.comment = f"notes2anki:{digest}".encode("ascii")
                _add_chunked(zf, "collection.anki2", db, chunks)
                names = {str(i): name for i, name in enumerate(media)}
                _add(zf, "media", json.dumps(names, ensure_ascii=False).encode())
                for i, path in enumerate(media.values()):
                    _add_file(zf, str(i), path)
            chunks.save()
        with open(tmp_out, "rb") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp_out, out_path)
        tmp_out = None
        return chunks
    finally:
        if tmp_out is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp_out)


def _info(name: str) -> zipfile.ZipInfo:
    """A member with a fixed time and mode (so equal content makes equal bytes), deflated at :data:`deflate.LEVEL`."""
    info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    # What ``writestr(..., compresslevel=)`` sets, for members written through ``open``; public from Python 3.13.
    setattr(info, "compress_level" if hasattr(info, "compress_level") else "_compresslevel", LEVEL)
    return info


def _add(zf: zipfile.ZipFile, name: str, data: bytes) -> None:
    zf.writestr(_info(name), data)


def _add_file(zf: zipfile.ZipFile, name: str, path: Path) -> None:
    """``path`` streamed in as ``name``: the collection (tens of MB for a big vault) and images are never held whole."""
    with open(path, "rb") as src, zf.open(_info(name), "w") as entry:
        shutil.copyfileobj(src, entry, 1 << 20)


def _add_chunked(zf: zipfile.ZipFile, name: str, path: Path, chunks: ChunkStore) -> None:
    """``path`` as ``name``, deflated chunk by chunk through ``chunks`` (only changed chunks are compressed)."""
    with open(path, "rb") as src, zf.open(_info(name), "w") as entry:
        # zipfile takes each chunk's CRC and size from the raw bytes and stores what its compressor returns.
        # Were that attribute ever renamed, zipfile would compress the raw bytes itself: slower, still right.
        pre = Precompressed()
        entry._compressor = pre  # type: ignore[attr-defined]
        for raw, deflated in chunks.chunks(src):
            pre.next = deflated
            entry.write(raw)
