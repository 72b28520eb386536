"""Importing packages into a real, headless Anki collection (the ``anki`` package)."""

from __future__ import annotations

import sqlite3
import zipfile
from dataclasses import dataclass
from pathlib import Path

from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest


@dataclass
class ImportLog:
    new: int
    updated: int
    duplicate: int
    conflicting: int
    first_field_match: int


def new_collection(folder: Path) -> Collection:
    folder.mkdir(parents=True, exist_ok=True)
    return Collection(str(folder / "collection.anki2"))


def import_apkg(col: Collection, apkg: Path) -> ImportLog:
    """Import as Anki desktop does by default (update notes when the incoming copy is newer)."""
    request = ImportAnkiPackageRequest(package_path=str(apkg), options=ImportAnkiPackageOptions(with_scheduling=True))
    log = col.import_anki_package(request).log
    return ImportLog(len(log.new), len(log.updated), len(log.duplicate), len(log.conflicting),
                     len(log.first_field_match))


def notes_by_guid(col: Collection) -> dict[str, dict[str, object]]:
    """Every note as Anki sees it: fields by name, tags, note type, deck of its cards."""
    out: dict[str, dict[str, object]] = {}
    for nid in col.find_notes(""):
        note = col.get_note(nid)
        cards = note.cards()
        out[note.guid] = {
            "id": note.id,
            "fields": dict(note.items()),
            "tags": list(note.tags),
            "notetype": note.note_type()["name"] if note.note_type() else None,
            "decks": sorted({col.decks.name(c.did) for c in cards}),
            "cards": len(cards),
            "mod": note.mod,
        }
    return out


def package_rows(apkg: Path) -> tuple[dict[str, tuple], list[tuple]]:
    """What Anki reads of each note and card, by GUID (ids are only required to be unique)."""
    with zipfile.ZipFile(apkg) as zf:
        assert zf.testzip() is None, "every member's CRC checks out"
        data = zf.read("collection.anki2")
    db = apkg.with_suffix(".read.anki2")
    db.write_bytes(data)
    con = sqlite3.connect(db)
    try:
        notes = {g: (mid, mod, tags, flds, sfld) for g, mid, mod, tags, flds, sfld in
                 con.execute("SELECT guid, mid, mod, tags, flds, sfld FROM notes")}
        cards = sorted(con.execute("SELECT n.guid, c.did, c.ord, c.mod, c.due, c.type, c.queue "
                                   "FROM cards c JOIN notes n ON c.nid = n.id"))
        ids = [i for (i,) in con.execute("SELECT id FROM notes UNION ALL SELECT id FROM cards")]
        assert len(ids) == len(set(ids)), "note and card ids are unique"
        orphans = con.execute("SELECT count(*) FROM cards WHERE nid NOT IN (SELECT id FROM notes)").fetchone()[0]
        assert orphans == 0, "no card is left without its note"
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        con.close()
        db.unlink()
    return notes, cards
