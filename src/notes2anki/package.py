"""Cards into an .apkg: the only module that imports genanki.

The package is written deterministically (fixed zip timestamps, per-note
modification times supplied by the caller, ids derived from them), so the same
cards and times give the same bytes, and atomically (a temporary file renamed
over the old one), so a failed or interrupted build leaves the previous deck
intact.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import tempfile
import warnings
import zipfile
from collections.abc import Mapping, Sequence
from itertools import count
from pathlib import Path
from typing import Any

import genanki

from .cards import Card
from .diagnostics import error
from .errors import OutputError
from .identity import deck_id
from .notetypes import BASIC, CLOZE, MTIME, NoteType, note_fields

_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


class _Model(genanki.Model):  # type: ignore[misc]
    """A genanki model whose modification time is ours, not the build's."""

    def to_json(self, timestamp: float, deck_id: int) -> dict[str, Any]:
        data: dict[str, Any] = super().to_json(timestamp, deck_id)
        data["mod"] = MTIME
        return data


class _Note(genanki.Note):  # type: ignore[misc]
    """A genanki note with its own modification time.

    Anki updates a note on import only if the incoming copy is newer, so an
    unchanged card must keep the time it last changed (from the ledger).
    """

    def __init__(self, *args: Any, mtime: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.mtime = mtime

    def write_to_db(self, cursor: Any, timestamp: float, deck_id: int, id_gen: Any) -> None:
        super().write_to_db(cursor, self.mtime, deck_id, id_gen)


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
    basic, cloze = _model(BASIC), _model(CLOZE)
    deck = genanki.Deck(deck_id(deck_name), deck_name)
    times = mtimes or {}
    for position, card in enumerate(cards):
        deck.add_note(_Note(
            model=cloze if card.cloze else basic,
            fields=_fields(card),
            tags=list(card.tags),
            guid=card.guid,
            due=position,
            mtime=times.get(card.guid, default_mtime),
        ))
    stamp = max([*times.values(), default_mtime, MTIME])
    try:
        out_path.parent.mkdir(parents=True, exist_ok=True)
        _write_atomic(genanki.Package(deck), dict(sorted((media or {}).items())), out_path, stamp)
    except OSError as exc:
        raise OutputError([error(str(out_path), None, f"cannot write deck: {exc.strerror or exc}",
                                 "check the output folder exists and is writable, and the disk is not full",
                                 "output-unwritable")]) from None


def _write_atomic(package: Any, media: Mapping[str, Path], out_path: Path, stamp: int) -> None:
    fd, db_path = tempfile.mkstemp(suffix=".anki2")
    os.close(fd)
    tmp_out: str | None = None
    try:
        conn = sqlite3.connect(db_path)
        try:
            with warnings.catch_warnings():
                # genanki warns about HTML it does not know; fields are already checked HTML.
                warnings.simplefilter("ignore")
                package.write_to_db(conn.cursor(), stamp, count(stamp * 1000))
            conn.commit()
        finally:
            conn.close()
        fd, tmp_out = tempfile.mkstemp(dir=out_path.parent, prefix=f".{out_path.name}.", suffix=".tmp")
        with os.fdopen(fd, "wb") as raw, zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as zf:
            _add(zf, "collection.anki2", Path(db_path).read_bytes())
            names = {str(i): name for i, name in enumerate(media)}
            _add(zf, "media", json.dumps(names, ensure_ascii=False).encode())
            for i, path in enumerate(media.values()):
                _add(zf, str(i), path.read_bytes())
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


def _add(zf: zipfile.ZipFile, name: str, data: bytes) -> None:
    info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    zf.writestr(info, data)
