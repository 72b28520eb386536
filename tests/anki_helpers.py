"""Importing packages into a real, headless Anki collection (the ``anki`` package)."""

from __future__ import annotations

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
