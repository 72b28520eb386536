"""Cards into an .apkg: the only module that imports genanki.

The package is written deterministically (fixed zip timestamps, per-note
modification times supplied by the caller, ids derived from them), so the same
cards and times give the same bytes, and atomically (a temporary file renamed
over the old one), so a failed or interrupted build leaves the previous deck
intact.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
import sqlite3
import tempfile
import zipfile
from collections.abc import Iterator, Mapping, Sequence
from itertools import count
from pathlib import Path
from typing import Any

import genanki

from .atomic import temp_beside
from .cards import Card
from .diagnostics import error
from .errors import OutputError
from .identity import deck_id
from .notetypes import BASIC, CLOZE, MTIME, NoteType, note_fields, template_digest

_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
PACKAGE_FORMAT = 1
"""Raise when the package layout changes, so an old package is never taken for an up-to-date one."""


class _Model(genanki.Model):  # type: ignore[misc]
    """A genanki model whose modification time is ours, not the build's."""

    def to_json(self, timestamp: float, deck_id: int) -> dict[str, Any]:
        data: dict[str, Any] = super().to_json(timestamp, deck_id)
        data["mod"] = MTIME
        return data


_CLOZE_NUMBER = re.compile(r"\{\{c(\d+)::")


def _ords(card: Card) -> list[int]:
    """Which of a note's templates make cards (as Anki decides it)."""
    if card.cloze:
        return sorted({int(n) - 1 for n in _CLOZE_NUMBER.findall(card.front) if int(n) > 0}) or [0]
    return [0, 1] if card.reverse else [0]


def _model(nt: NoteType) -> _Model:
    return _Model(
        nt.id,
        nt.name,
        fields=[{"name": f} for f in nt.fields],
        templates=[{"name": t.name, "qfmt": t.qfmt, "afmt": t.afmt} for t in nt.templates],
        css=nt.css,
        model_type=genanki.Model.CLOZE if nt.cloze else genanki.Model.FRONT_BACK,
    )


def _fields(card: Card) -> list[str]:
    return list(note_fields(card).values())


def write_package(
    cards: Sequence[Card],
    deck_name: str,
    out_path: Path,
    *,
    mtimes: Mapping[str, int] | None = None,
    default_mtime: int,
    media: Mapping[str, Path] | None = None,
) -> None:
    """Write ``cards`` as one deck to ``out_path`` (atomically).

    ``mtimes`` gives each card's modification time by GUID; cards not in it get
    ``default_mtime``. ``media`` maps the file names cards refer to onto the
    files to pack. Raises :class:`OutputError` if the file cannot be written.
    """
    times = mtimes or {}
    stamp = max([*times.values(), default_mtime, MTIME])
    files = dict(sorted((media or {}).items()))
    digest = _digest(cards, deck_name, times, default_mtime, files)
    if _written_digest(out_path) == digest:
        return  # the file there is already exactly this package
    deck = genanki.Deck(deck_id(deck_name), deck_name)
    deck.add_model(_model(BASIC))
    deck.add_model(_model(CLOZE))
    try:
        out_path.parent.mkdir(parents=True, exist_ok=True)
        _write_atomic(genanki.Package(deck), cards, times, default_mtime, files, out_path, stamp, digest)
    except OSError as exc:
        raise OutputError([error(str(out_path), None, f"cannot write deck: {exc.strerror or exc}",
                                 "check the output folder exists and is writable, and the disk is not full",
                                 "output-unwritable")]) from None
    except sqlite3.Error as exc:  # the scratch database, in the temp folder (full, or a file size limit)
        raise OutputError([error(str(out_path), None, f"cannot write deck: {exc}",
                                 f"check the temp folder ({tempfile.gettempdir()}) has space and is writable",
                                 "output-unwritable")]) from None


def _insert_notes(cursor: Any, cards: Sequence[Card], times: Mapping[str, int], default_mtime: int, deck: int,
                  ids: Iterator[int]) -> None:
    """The notes and cards tables, filled in bulk with the rows genanki's ``Note.write_to_db`` writes.

    genanki builds an object per note and runs two statements per note with
    per-field checks we do not need (tags and HTML are already valid here);
    at tens of thousands of cards that is most of a rebuild's time. Ids come
    from the same sequence genanki uses (note, then its cards).
    """
    card_rows: list[tuple[Any, ...]] = []

    def note_rows() -> Iterator[tuple[Any, ...]]:
        # A generator: sqlite takes each row as it is made, so the notes' text is never all held twice.
        for position, card in enumerate(cards):
            fields = _fields(card)
            mod = times.get(card.guid, default_mtime)
            nid = next(ids)
            yield (nid, card.guid, CLOZE.id if card.cloze else BASIC.id, mod, -1,
                   " " + " ".join(card.tags) + " ", "\x1f".join(fields), fields[0], 0, 0, "")
            for ord_ in _ords(card):
                card_rows.append((next(ids), nid, deck, ord_, mod, -1, 0, 0, position, 0, 0, 0, 0, 0, 0, 0, 0, ""))

    cursor.executemany("INSERT INTO notes VALUES(?,?,?,?,?,?,?,?,?,?,?);", note_rows())
    cursor.executemany("INSERT INTO cards VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?);", card_rows)


def _digest(cards: Sequence[Card], deck_name: str, times: Mapping[str, int], default_mtime: int,
            media: Mapping[str, Path]) -> str:
    """What the package's bytes depend on, hashed: equal digests mean byte-identical packages.

    Media are named by their content hash, so their names stand for their bytes.
    """
    h = hashlib.sha256(f"{PACKAGE_FORMAT}\x1e{deck_name}\x1e{MTIME}\x1e{template_digest()}".encode())
    for card in cards:
        h.update(f"\x1e{card.guid}\x1f{card.content_digest}\x1f{card.source}\x1f"
                 f"{times.get(card.guid, default_mtime)}".encode())
    h.update("\x1e".join(media).encode())
    return h.hexdigest()


def _written_digest(path: Path) -> str | None:
    """The digest stored in an existing package's zip comment, if it is one of ours."""
    try:
        with zipfile.ZipFile(path) as zf:
            comment = zf.comment.decode("ascii", "replace")
    except (OSError, zipfile.BadZipFile, ValueError):
        return None
    prefix = "notes2anki:"
    return comment[len(prefix):] if comment.startswith(prefix) else None


def _write_atomic(package: Any, cards: Sequence[Card], times: Mapping[str, int], default_mtime: int,
                  media: Mapping[str, Path], out_path: Path, stamp: int, digest: str) -> None:
    fd, db_path = tempfile.mkstemp(suffix=".anki2")
    os.close(fd)
    tmp_out: str | None = None
    try:
        conn = sqlite3.connect(db_path)
        try:
            cursor = conn.cursor()
            # A scratch file zipped and deleted: no journal or syncing needed (they do not change its bytes).
            cursor.execute("PRAGMA journal_mode=OFF")
            cursor.execute("PRAGMA synchronous=OFF")
            # Big pages: notes of a kilobyte or two leave a fifth of 4 KB pages empty; 64 KB pages make the
            # collection ~7% smaller, so quicker to write and to compress (any SQLite, Anki too, reads them).
            cursor.execute("PRAGMA page_size=65536")
            ids = count(stamp * 1000)
            package.write_to_db(cursor, stamp, ids)  # collection, note types and deck
            _insert_notes(cursor, cards, times, default_mtime, package.decks[0].deck_id, ids)
            conn.commit()
        finally:
            conn.close()
        fd, tmp_out = temp_beside(out_path)
        with os.fdopen(fd, "wb") as raw, zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as zf:
            zf.comment = f"notes2anki:{digest}".encode("ascii")
            _add_file(zf, "collection.anki2", Path(db_path))
            names = {str(i): name for i, name in enumerate(media)}
            _add(zf, "media", json.dumps(names, ensure_ascii=False).encode())
            for i, path in enumerate(media.values()):
                _add_file(zf, str(i), path)
        with open(tmp_out, "rb") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp_out, out_path)
        tmp_out = None
    finally:
        with contextlib.suppress(OSError):
            os.unlink(db_path)
        if tmp_out is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp_out)


ZIP_LEVEL = 1
"""Deflate level: 1 compresses card text nearly as well as 6 (HTML is repetitive) at several times the speed."""


def _info(name: str) -> zipfile.ZipInfo:
    """A member with a fixed time and mode (so equal content makes equal bytes), deflated at :data:`ZIP_LEVEL`."""
    info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    # What ``writestr(..., compresslevel=)`` sets, for members written through ``open``; public from Python 3.13.
    setattr(info, "compress_level" if hasattr(info, "compress_level") else "_compresslevel", ZIP_LEVEL)
    return info


def _add(zf: zipfile.ZipFile, name: str, data: bytes) -> None:
    zf.writestr(_info(name), data)


def _add_file(zf: zipfile.ZipFile, name: str, path: Path) -> None:
    """``path`` streamed in as ``name``: the collection (tens of MB for a big vault) and images are never held whole."""
    with open(path, "rb") as src, zf.open(_info(name), "w") as entry:
        shutil.copyfileobj(src, entry, 1 << 20)
