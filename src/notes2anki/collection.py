"""The notes and cards tables of a package's SQLite collection: written whole, or brought up to date.

Writing 35,000 notes afresh takes a third of a second; a one-note edit changes
a handful of rows. So a build may keep the collection it packed (in the deck's
cache folder) with a record of what each note's rows were made from, and the
next build deletes, updates and inserts only the rows that differ. The record
is removed before the file is touched and written again after, so a build
killed in between leaves no record, and the next build writes afresh.

Anki matches notes by GUID on import, so ids only need to be unique: a kept
note keeps its ids, a new one gets the next free ones. Everything Anki reads
from a row (fields, tags, modification time, note type, card templates, new-card
position) is the same as in a collection written afresh.
"""

from __future__ import annotations

import contextlib
import marshal
import os
import re
import sqlite3
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from itertools import chain, count
from pathlib import Path
from typing import Any, NamedTuple

from .atomic import write_cache_file
from .cards import Card
from .notetypes import BASIC, CLOZE, note_fields

STATE_FORMAT = 1

_CLOZE_NUMBER = re.compile(r"\{\{c(\d+)::")


def ords(card: Card) -> tuple[int, ...]:
    """Which of a note's templates make cards (as Anki decides it)."""
    if card.cloze:
        return tuple(sorted({int(n) - 1 for n in _CLOZE_NUMBER.findall(card.front) if int(n) > 0})) or (0,)
    return (0, 1) if card.reverse else (0,)


def note_row(card: Card, mod: int) -> tuple[Any, ...]:
    """The notes-table row genanki's ``Note.write_to_db`` writes, without the id."""
    fields = list(note_fields(card).values())
    return (card.guid, CLOZE.id if card.cloze else BASIC.id, mod, -1,
            " " + " ".join(card.tags) + " ", "\x1f".join(fields), fields[0], 0, 0, "")


def _card_row(cid: int, nid: int, deck: int, ord_: int, mod: int, position: int) -> tuple[Any, ...]:
    return (cid, nid, deck, ord_, mod, -1, 0, 0, position, 0, 0, 0, 0, 0, 0, 0, 0, "")


_INSERT_NOTE = "INSERT INTO notes VALUES(?,?,?,?,?,?,?,?,?,?,?)"
_INSERT_CARD = "INSERT INTO cards VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"


class Kept(NamedTuple):
    """What the last build packed for one note: its ids, what its rows were made from, its position.

    A named tuple: a build makes one per note, tens of thousands, and must stay quick.
    """

    nid: int
    made_from: tuple[str, str, int]
    """The card's content digest, its source and the note's modification time: equal means equal rows."""
    cids: tuple[int, ...]
    ords: tuple[int, ...]
    position: int


def _made_from(card: Card, mod: int) -> tuple[str, str, int]:
    return (card.content_digest, card.source, mod)


def fill(cursor: sqlite3.Cursor, cards: Sequence[Card], mod_of: Callable[[Card], int], deck: int,
         ids: Iterator[int]) -> dict[str, Kept]:
    """The notes and cards tables of a new collection, filled in bulk; returns what was packed.

    genanki would build an object per note and run two statements per note with
    per-field checks we do not need (tags and HTML are already valid here).
    Ids come from the same sequence genanki uses (note, then its cards).
    """
    card_rows: list[tuple[Any, ...]] = []
    kept: dict[str, Kept] = {}

    def note_rows() -> Iterator[tuple[Any, ...]]:
        # A generator: sqlite takes each row as it is made, so the notes' text is never all held twice.
        for position, card in enumerate(cards):
            mod = mod_of(card)
            nid = next(ids)
            yield (nid, *note_row(card, mod))
            card_ords = ords(card)
            cids = tuple(next(ids) for _ in card_ords)
            card_rows.extend(_card_row(cid, nid, deck, o, mod, position) for cid, o in zip(cids, card_ords))
            kept[card.guid] = Kept(nid, _made_from(card, mod), cids, card_ords, position)

    cursor.executemany(_INSERT_NOTE, note_rows())
    cursor.executemany(_INSERT_CARD, card_rows)
    return kept


def update(cursor: sqlite3.Cursor, cards: Sequence[Card], mod_of: Callable[[Card], int], deck: int,
           ids: Iterator[int], old: Mapping[str, Kept]) -> tuple[dict[str, Kept], int]:
    """Bring a kept collection's tables to what :func:`fill` would write for ``cards``.

    Returns what is packed now and how many notes' rows were written.
    """
    kept: dict[str, Kept] = {}
    written = _place(cursor, enumerate(cards), mod_of, deck, ids, old, kept)
    dropped = [(k.nid,) for guid, k in old.items() if guid not in kept]
    cursor.executemany("DELETE FROM notes WHERE id=?", dropped)
    cursor.executemany("DELETE FROM cards WHERE nid=?", dropped)
    return kept, written + len(dropped)


def patch(cursor: sqlite3.Cursor, placed: Sequence[tuple[int, Card]], mod_of: Callable[[Card], int], deck: int,
          ids: Iterator[int], old: Mapping[str, Kept], gone: Iterable[str],
          shifts: Sequence[tuple[int, int, int]]) -> tuple[dict[str, Kept], int]:
    """What :func:`update` does, when only some notes changed: the rest are not looked at one by one.

    ``placed``: the changed notes' cards with their positions now; ``gone``: the
    GUIDs those notes held before; ``shifts``: ``(first, last, by)`` moves every
    other note's position from first to last (inclusive) by ``by``.
    """
    kept = dict(old)
    if shifts:
        params = [n for shift in shifts for n in shift]
        ranges = [(first, last) for first, last, _ in shifts]
        cursor.execute("UPDATE cards SET due = due + CASE "
                       + " ".join("WHEN due BETWEEN ? AND ? THEN ?" for _ in shifts) + " END WHERE "
                       + " OR ".join("due BETWEEN ? AND ?" for _ in shifts), [*params, *chain(*ranges)])
        firsts = [first for first, _ in ranges]
        for guid, k in old.items():
            i = bisect_right(firsts, k.position) - 1
            if i >= 0 and k.position <= shifts[i][1]:
                kept[guid] = k._replace(position=k.position + shifts[i][2])
    now = {card.guid for _, card in placed}
    dropped = [(kept.pop(guid).nid,) for guid in set(gone) - now if guid in kept]
    written = _place(cursor, placed, mod_of, deck, ids, old, kept)
    cursor.executemany("DELETE FROM notes WHERE id=?", dropped)
    cursor.executemany("DELETE FROM cards WHERE nid=?", dropped)
    return kept, written + len(dropped)


def _place(cursor: sqlite3.Cursor, placed: Iterable[tuple[int, Card]], mod_of: Callable[[Card], int], deck: int,
           ids: Iterator[int], old: Mapping[str, Kept], kept: dict[str, Kept]) -> int:
    """Write the rows of cards at their positions that differ from ``old``'s; returns how many notes' rows."""
    new_notes: list[tuple[Any, ...]] = []
    new_cards: list[tuple[Any, ...]] = []
    changed_notes: list[tuple[Any, ...]] = []
    changed_cards: list[tuple[Any, ...]] = []
    moved_cards: list[tuple[int, int]] = []
    gone_notes: list[tuple[int]] = []
    for position, card in placed:
        mod = mod_of(card)
        made_from = _made_from(card, mod)
        before = old.get(card.guid)
        if before is not None and before.made_from == made_from:
            if before.position != position:
                moved_cards.append((position, before.nid))
                before = before._replace(position=position)
            kept[card.guid] = before
            continue
        card_ords = ords(card)
        if before is None:
            nid = next(ids)
            new_notes.append((nid, *note_row(card, mod)))
        else:
            nid = before.nid
            changed_notes.append((*note_row(card, mod)[1:7], nid))
            if before.ords == card_ords:
                changed_cards.append((mod, position, nid))
                kept[card.guid] = Kept(nid, made_from, before.cids, card_ords, position)
                continue
            gone_notes.append((nid,))  # its cards only: the templates that make cards changed
        cids = tuple(next(ids) for _ in card_ords)
        new_cards.extend(_card_row(cid, nid, deck, o, mod, position) for cid, o in zip(cids, card_ords))
        kept[card.guid] = Kept(nid, made_from, cids, card_ords, position)
    cursor.executemany("DELETE FROM cards WHERE nid=?", gone_notes)
    cursor.executemany(_INSERT_NOTE, new_notes)
    cursor.executemany("UPDATE notes SET mid=?, mod=?, usn=?, tags=?, flds=?, sfld=? WHERE id=?", changed_notes)
    cursor.executemany("UPDATE cards SET mod=?, due=? WHERE nid=?", changed_cards)
    cursor.executemany("UPDATE cards SET due=? WHERE nid=?", moved_cards)
    cursor.executemany(_INSERT_CARD, new_cards)
    return len(new_notes) + len(changed_notes)


def next_id(kept: Mapping[str, Kept], floor: int) -> Iterator[int]:
    """Ids after every id in ``kept`` (and not below ``floor``)."""
    top = max((max(k.nid, *k.cids) for k in kept.values()), default=0)
    return count(max(top + 1, floor))


# --- the record kept next to the collection -------------------------------------------------------


def _stat(path: Path) -> tuple[int, int, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_size, st.st_mtime_ns, st.st_ino


def load_record(db: Path, record: Path, key: str) -> dict[str, Kept] | None:
    """What the kept collection at ``db`` holds, if its record is for ``key`` and the file is as it was left."""
    try:
        data = marshal.loads(record.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        return None
    if not (isinstance(data, tuple) and len(data) == 4 and data[0] == STATE_FORMAT and data[1] == key):
        return None
    if data[2] != _stat(db):
        return None
    try:
        return dict(zip(data[3].keys(), map(Kept._make, data[3].values()), strict=True))
    except (TypeError, ValueError):
        return None


def forget(record: Path) -> None:
    """Drop the record before the collection is touched: a build killed now leaves none to trust."""
    with contextlib.suppress(FileNotFoundError):
        os.unlink(record)


def save_record(db: Path, record: Path, key: str, kept: Mapping[str, Kept]) -> None:
    """Record what the collection at ``db`` now holds (best effort: without it the next build writes afresh)."""
    rows = dict(zip(kept.keys(), map(tuple, kept.values()), strict=True))  # marshal takes plain tuples only
    write_cache_file(record, marshal.dumps((STATE_FORMAT, key, _stat(db), rows)))
