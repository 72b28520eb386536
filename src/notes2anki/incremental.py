"""Rebuilding a deck from the last build's state, looking only at the notes that changed.

A full rebuild touches every card once in each stage (restoring it from the
cache, matching it with the ledger, packaging it, writing its ledger line): with
tens of thousands of cards that is most of a second, for a one-note edit.

So every full build leaves a *state* in the deck's cache folder: per note, how
to tell it is unchanged, the GUIDs of its cards, their count by kind, its
problems and its share of the package digest; per note path in the ledger (the
ledger is sorted by path, so each path's cards form one block of lines), the
block's size and its removed cards. The next build compares notes with it, and
when only a few changed it:

- reads the changed notes (and restores from the cache the notes holding a
  renamed card, whose GUID is matched anew in every build, if a card read
  now could compete for it);
- matches just their cards with just their blocks of the ledger, with the very
  function a full build uses (``reconcile``), given the rest's latest time;
- updates just their rows of the kept collection, moving the rest's positions
  in bulk, and splices their blocks into the ledger file.

It gives exactly what a full build gives, or it is not used. The full build's
matching is global: a card may take over any vanished card's GUID, and the
first of two cards with one GUID wins. So the rebuild refuses (and the build
runs in full) whenever a GUID of the notes it reads also belongs to a note or
ledger block it does not read, when the ledger or the kept collection is not
the one the state describes, and for anything it does not handle (``--prune``,
two notes with one path, many changes). A note that exists but cannot be read
(emptied mid-edit, say) has its lines held as they are, unpackaged, as a full
build holds them. ``tests/test_incremental.py``
holds it to the full build's ledger, package rows and report over random edits.
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import os
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, NamedTuple

from . import ledger as ledger_module
from .cache import Cache, FileResult, file_digest, still_valid
from .cards import Card, drop_duplicates
from .diagnostics import Diagnostic, Severity
from .ledger import Entry, Ledger
from .media import Shared
from .package import Patch, PatchFailed, digest_part, kept_record, package_digest, write_package, written_digest
from .reconcile import Change, Reconciliation, loose, many_removed, reconcile, removed_card
from .sources import FileRef

FORMAT = 4

MOST_CHANGED = 64
"""More changed notes than this, and than half of them all, and a full build is about as quick."""


class NoteState(NamedTuple):
    """What the state keeps of one note (stored as a plain tuple)."""

    key: str
    """Its absolute path: the cache's key."""
    check: tuple[Any, ...] | None
    """What says it is unchanged, as the cache has it (see ``cache.still_valid``); None: read it every time."""
    read: bool
    naturals: tuple[str, ...]
    """The GUIDs its cards were made with, before duplicates were dropped."""
    finals: tuple[str, ...] | None
    """The GUIDs it has in the package, if not just ``naturals`` (a renamed card kept its old one)."""
    kinds: tuple[tuple[str, int], ...]
    """Its packaged cards by kind, in order of first appearance."""
    diagnostics: tuple[tuple[Any, ...], ...]
    duplicates: tuple[tuple[Any, ...], ...]
    """Warnings about its cards dropped as duplicates."""
    media: tuple[tuple[str, str], ...]
    part: bytes
    """Its share of the package digest."""
    renamed: tuple[tuple[str, str, str, tuple[str, ...]], ...]
    """Its cards that kept a GUID other than their own (renamed ones): kind, question as matched
    (``reconcile.loose``), answer digest, heading trail. Each build matches them with their lines anew."""

    @property
    def live(self) -> int:
        return sum(n for _, n in self.kinds)


class Block(NamedTuple):
    """One note path's lines in the ledger file (stored as a plain tuple)."""

    path: str
    size: int
    """Bytes, newlines included."""
    removed: tuple[str, ...]
    """Ids of its removed cards, in file order."""
    part: bytes
    """Its removed cards' share of the package digest."""
    held: tuple[str, ...] = ()
    """Ids of all its lines, if its note exists but could not be read (emptied, say): a full build keeps
    them as they are and packages none of them (``removed`` is then empty)."""
    held_live: int = 0
    """How many of those are not removed cards."""


@dataclass(frozen=True)
class State:
    key: str
    ledger: bytes
    """SHA-1 of the ledger file the last build left."""
    package: str
    """Digest of the package it left (in the package's zip comment)."""
    latest: int
    """The latest modification time in the ledger."""
    latest_removal: int
    notes: dict[str, NoteState]
    """By path as shown (``rel``), in build order."""
    blocks: list[Block]
    """In ledger order (sorted by path)."""


@dataclass(frozen=True)
class Report:
    """What a build did, as the change report shows it (from a full build or an incremental one)."""

    files: tuple[str, ...]
    skipped: tuple[str, ...]
    counts: dict[str, int]
    """Cards by kind, in order of first appearance."""
    diagnostics: tuple[Diagnostic, ...]
    changes: tuple[Change, ...]
    removed: int
    """Removed cards still in the deck."""
    output: Path
    written: bool
    incremental: bool = False
    """Whether only the changed notes were looked at."""

    @property
    def cards(self) -> int:
        return sum(self.counts.values())


def _diag_row(d: Diagnostic) -> tuple[Any, ...]:
    return (d.path, d.line, d.severity.value, d.message, d.hint, d.code)


def _diag(row: Sequence[Any]) -> Diagnostic:
    path, line, severity, message, hint, code = row
    return Diagnostic(path, line, Severity(severity), message, hint, code)


def _kinds(cards: Iterable[Card]) -> tuple[tuple[str, int], ...]:
    return tuple(Counter(c.kind for c in cards).items())


# --- the state a build leaves -----------------------------------------------------------------------


class NoteRead(NamedTuple):
    """One note as a full build read it."""

    key: str
    result: FileResult
    check: tuple[Any, ...] | None


def capture(key: str, reads: Sequence[NoteRead], cards: Sequence[Card], duplicates: Sequence[Diagnostic],
            rec: Reconciliation, entries: Sequence[Entry], sizes: Sequence[int], ledger_sha1: bytes,
            package: str) -> State | None:
    """The state a full build leaves (``cards`` with their final GUIDs; the ledger as written: its entries
    in file order, the size in bytes of each one's line, its hash); None if the build had something an
    incremental one cannot start from."""
    rels = [r.result.rel for r in reads]
    if len(set(rels)) != len(rels) or not entries:
        return None
    runs: dict[str, list[Card]] = {}
    for card in cards:
        runs.setdefault(card.path, []).append(card)
    dups: dict[str, list[Diagnostic]] = {}
    for d in duplicates:
        dups.setdefault(d.path, []).append(d)
    if not set(runs) <= set(rels) or not set(dups) <= set(rels):
        return None
    blocks = _group(entries, sizes, rec, {r.result.rel for r in reads if not r.result.read})
    if [i for b in blocks for i in b.removed] != [e.id for e in rec.removed]:
        return None  # the package's removed cards are not in ledger order (a hand-sorted ledger)
    notes: dict[str, NoteState] = {}
    for key_, result, check in reads:
        if any(c.path != result.rel for c in result.cards):
            return None
        notes[result.rel] = _note(key_, check, result, runs.get(result.rel, []), dups.get(result.rel, []), rec)
    removals = [e.removed for e in entries if e.removed is not None]
    return State(key, ledger_sha1, package, max(e.changed for e in entries), max(removals, default=0), notes,
                 blocks)


def _note(key: str, check: tuple[Any, ...] | None, result: FileResult, packaged: Sequence[Card],
          duplicates: Sequence[Diagnostic], rec: Reconciliation) -> NoteState:
    """The state of a note as read (``result``), whose cards in the package are ``packaged``."""
    naturals = tuple(c.guid for c in result.cards)
    finals = tuple(c.guid for c in packaged)
    own = set(naturals)
    renamed = tuple((c.kind, loose(c.question), c.answer_digest, c.context) for c in packaged if c.guid not in own)
    return NoteState(key, check, result.read, naturals, None if finals == naturals else finals, _kinds(packaged),
                     tuple(map(_diag_row, result.diagnostics)), tuple(map(_diag_row, duplicates)),
                     tuple(m for c in packaged for m in c.media), _part(packaged, rec), renamed)


def _group(entries: Sequence[Entry], sizes: Sequence[int], rec: Reconciliation, unread: set[str]) -> list[Block]:
    """The ledger's blocks, from its entries in file order and the bytes of each one's line (``unread``:
    paths of notes that exist but could not be read, whose lines are held as they are)."""
    blocks: list[Block] = []
    path, size = "", 0
    block: list[Entry] = []

    def close() -> None:
        if not size:
            return
        if path in unread:
            blocks.append(Block(path, size, (), b"", tuple(e.id for e in block),
                                sum(e.removed is None for e in block)))
            return
        removed = [e for e in block if e.removed is not None]
        blocks.append(Block(path, size, tuple(e.id for e in removed), _part(list(map(removed_card, removed)), rec)))

    for entry, nbytes in zip(entries, sizes, strict=True):
        here = ledger_module.entry_path(entry)
        if here != path:
            close()
            path, size, block = here, 0, []
        size += nbytes
        block.append(entry)
    close()
    return blocks


def save(path: Path, state: State) -> None:
    from .atomic import write_cache_file

    write_cache_file(path, marshal.dumps((FORMAT, state.key, state.ledger, state.package, state.latest,
                                          state.latest_removal, {k: tuple(v) for k, v in state.notes.items()},
                                          [tuple(b) for b in state.blocks])))


def load(path: Path, key: str) -> State | None:
    try:
        data = marshal.loads(path.read_bytes())
        fmt, key_, ledger_sha, package, latest, latest_removal, notes, blocks = data
        if fmt != FORMAT or key_ != key:
            return None
        return State(key_, ledger_sha, package, latest, latest_removal,
                     {k: NoteState._make(v) for k, v in notes.items()}, [Block._make(b) for b in blocks])
    except (OSError, EOFError, ValueError, TypeError):
        return None


def forget(path: Path) -> None:
    with contextlib.suppress(OSError):
        os.unlink(path)


# --- the incremental rebuild ------------------------------------------------------------------------


def _unchanged(note: NoteState, ref: FileRef, shared: Shared) -> tuple[bool, bool]:
    """(unchanged, and only its time changed), judged as the cache judges its entries."""
    if note.check is None or note.key != str(ref.path):
        return False, False
    now = still_valid(note.check, ref.path, file_digest, shared)
    return now is not None, now is not None and now != note.check[0]


@dataclass(frozen=True)
class Deck:
    """Where one deck's build reads and writes (what :func:`rebuild` needs of the settings)."""

    name: str
    out: Path
    ledger: Path
    keep: Path
    """The deck's cache folder."""
    key: str
    """What the state must have been made for: notes2anki's code, the settings, the deck."""


def rebuild(deck: Deck, refs: Sequence[FileRef], found: Sequence[Diagnostic], cache: Cache,
            extract: Callable[[list[FileRef]], Iterable[FileResult]], now: int, strict: bool) -> Report | None:
    """Rebuild from the last build's state if that gives what a full build gives; None (nothing written)
    if a full build is needed. ``extract(refs)`` reads notes (in parallel when there are many); ``found``:
    the diagnostics of finding notes."""
    state_path = deck.keep / "build.state"
    state = load(state_path, deck.key)
    if state is None:
        return None
    rels = [r.rel for r in refs]
    if len(set(rels)) != len(rels):
        return None
    try:
        ledger_data = deck.ledger.read_bytes()
    except OSError:
        return None
    if hashlib.sha1(ledger_data, usedforsecurity=False).digest() != state.ledger:
        return None  # edited by hand, or restored from version control: only a full build can tell

    # Which notes changed, and which must be read again with them.
    changed: list[FileRef] = []
    restat: list[str] = []
    shared = Shared()
    for ref in refs:
        note = state.notes.get(ref.rel)
        same, touched = _unchanged(note, ref, shared) if note is not None else (False, False)
        if not same:
            changed.append(ref)
        elif touched:
            restat.append(str(ref.path))
    current = set(rels)
    deleted = [rel for rel in state.notes if rel not in current]
    if len(changed) + len(deleted) > max(MOST_CHANGED, len(refs) // 2):
        return None
    results: dict[str, FileResult] = dict(zip([ref.rel for ref in changed], extract(changed), strict=True))
    blocks = {b.path: b for b in state.blocks}
    header = len(ledger_data) - sum(b.size for b in state.blocks)
    offsets: dict[str, tuple[int, int]] = {}
    at = header
    for block in state.blocks:
        offsets[block.path] = (at, at + block.size)
        at += block.size

    def ledger_part(paths: set[str]) -> Ledger:
        lines = [line[2:] for p in blocks if p in paths
                 for line in ledger_data[slice(*offsets[p])].decode("utf-8").split("\n") if line]
        parsed = ledger_module.parse_lines(str(deck.ledger), lines)
        return Ledger(deck.name, parsed.entries, parsed.lines)

    # Renamed cards are matched with their ledger lines anew in every build; unless a card or line read
    # now could compete with them (a full build would see them all at once), their notes are left alone.
    renamed = [ref for ref in refs if ref.rel not in results and ref.rel in state.notes
               and state.notes[ref.rel].renamed]
    parsed = set(results) | set(deleted)
    old_part = ledger_part(parsed)
    if renamed and _compete([state.notes[ref.rel] for ref in renamed], results.values(), old_part.entries):
        for ref in renamed:
            cached = cache.cached(ref.path)
            if cached is None:
                return None
            results[ref.rel] = cached
    for rel, result in results.items():
        if any(c.path != rel for c in result.cards):
            return None
    # Every GUID the rebuild deals with must be unknown to the notes and blocks it leaves alone.
    touched_paths = set(results) | set(deleted)
    guids: set[str] = set()
    for rel in touched_paths:
        old = state.notes.get(rel)
        if old is not None:
            guids.update(old.naturals, old.finals or ())
        if rel in blocks:
            guids.update(blocks[rel].removed, blocks[rel].held)
    for result in results.values():
        guids.update(c.guid for c in result.cards)
    for rel, note in state.notes.items():
        if rel not in touched_paths and not (guids.isdisjoint(note.naturals) and guids.isdisjoint(note.finals or ())):
            return None
    for block in state.blocks:
        if block.path not in touched_paths and not (guids.isdisjoint(block.removed) and guids.isdisjoint(block.held)):
            return None
    # Untouched notes must keep their order (notes are found in a stable order, so they do).
    order = [rel for rel in rels if rel not in touched_paths]
    if order != [rel for rel in state.notes if rel not in touched_paths and rel in current]:
        return None

    # Their cards, duplicates dropped as a full build drops them (the first of a GUID stays).
    cards, dup_list = drop_duplicates([c for rel in rels if rel in results for c in results[rel].cards])
    dup_diags: dict[str, list[Diagnostic]] = {}
    for d in dup_list:
        dup_diags.setdefault(d.path, []).append(d)

    # Their blocks of the ledger, matched with their cards by the full build's own function.
    if touched_paths != parsed:  # renamed cards' notes joined: their blocks too
        old_part = ledger_part(touched_paths)
    unread = {rel for rel, result in results.items() if not result.read}
    rec = reconcile(old_part, cards, deck.name, now, unreadable=unread,
                    floor=max(state.latest, state.latest_removal) + 1)

    final: dict[str, list[Card]] = {}
    for card in rec.cards:
        final.setdefault(card.path, []).append(card)
    entries, new_lines = ledger_module.lines_of(rec.ledger)
    new_blocks = {b.path: b for b in _group(entries, [len(line.encode()) + 1 for line in new_lines], rec, unread)}
    block_lines: dict[str, list[str]] = {}
    for entry, line in zip(entries, new_lines, strict=True):
        block_lines.setdefault(ledger_module.entry_path(entry), []).append(line)
    if not set(new_blocks) <= touched_paths:
        return None
    merged = sorted([*(b for b in state.blocks if b.path not in touched_paths), *new_blocks.values()])

    # What the report shows, as a full build would show it.
    notes: dict[str, NoteState] = {}
    for rel in rels:
        if rel not in results:
            notes[rel] = state.notes[rel]
    read = {rel: results[rel].read if rel in results else state.notes[rel].read for rel in rels}
    files = tuple(rel for rel in rels if read[rel])
    skipped = tuple(rel for rel in rels if not read[rel])
    counts: Counter[str] = Counter()
    diags: list[Diagnostic] = list(found)
    dups: list[Diagnostic] = []
    for rel in rels:
        if rel in results:
            counts.update(dict(_kinds(final.get(rel, ()))))
            diags.extend(results[rel].diagnostics)
            dups.extend(dup_diags.get(rel, ()))
        else:
            counts.update(dict(state.notes[rel].kinds))
            diags.extend(map(_diag, state.notes[rel].diagnostics))
            dups.extend(map(_diag, state.notes[rel].duplicates))
    live = sum(note.live for note in state.notes.values()) + sum(b.held_live for b in state.blocks)
    plan_diags = many_removed(deck.ledger, live, rec.count("removed"))
    report = Report(files, skipped, dict(counts), (*diags, *dups, *plan_diags), rec.changes,
                    sum(len(b.removed) for b in merged), deck.out, False, True)
    if strict and any(d.severity is not Severity.INFO for d in report.diagnostics):
        return report

    # The package: the changed notes' rows at their new positions, every other note's moved in bulk.
    def starts(sizes: Iterable[tuple[str, int]]) -> dict[str, tuple[int, int]]:
        out, at = {}, 0
        for name, n in sizes:
            out[name] = (at, n)
            at += n
        return out

    old_live = starts((rel, note.live) for rel, note in state.notes.items())
    new_live = starts((rel, len(final.get(rel, ())) if rel in results else state.notes[rel].live) for rel in rels)
    old_total, new_total = sum(n for _, n in old_live.values()), sum(n for _, n in new_live.values())
    old_removed = starts((b.path, len(b.removed)) for b in state.blocks)
    new_removed = starts((b.path, len(b.removed)) for b in merged)
    shifts: list[tuple[int, int, int]] = []
    for rel, note in notes.items():
        _shift(shifts, old_live[rel][0], new_live[rel][0], note.live)
    for block in merged:
        if block.path not in touched_paths:
            _shift(shifts, old_total + old_removed[block.path][0], new_total + new_removed[block.path][0],
                   len(block.removed))
    if len(shifts) > MOST_SHIFTS:
        return None
    placed: list[Card] = []
    positions: list[int] = []
    for rel in rels:
        if rel in results:
            placed.extend(final.get(rel, ()))
            positions.extend(range(new_live[rel][0], new_live[rel][0] + len(final.get(rel, ()))))
    by_id = {e.id: e for e in rec.removed}
    for block in merged:
        if block.path in touched_paths:
            placed.extend(removed_card(by_id[i]) for i in block.removed)
            start = new_total + new_removed[block.path][0]
            positions.extend(range(start, start + len(block.removed)))
    gone: set[str] = set()
    for rel in touched_paths:
        if rel in state.notes:
            gone.update(state.notes[rel].finals or state.notes[rel].naturals)
        if rel in blocks:
            gone.update(blocks[rel].removed)
    parts = [_part(final.get(rel, ()), rec) if rel in results else state.notes[rel].part for rel in rels]
    parts += [new_blocks[b.path].part if b.path in touched_paths else b.part for b in merged]
    media: dict[str, str] = {}
    for rel in rels:
        media.update((m for c in final.get(rel, ()) for m in c.media) if rel in results else state.notes[rel].media)
    files_in = {name: Path(path) for name, path in sorted(media.items())}
    digest = package_digest(deck.name, new_total + sum(len(b.removed) for b in merged), parts, files_in)
    latest = max(state.latest, max((e.changed for e in rec.ledger.entries), default=0))
    latest_removal = max(state.latest_removal, max((e.removed or 0 for e in rec.ledger.entries), default=0))

    record = None
    if written_digest(deck.out) != digest:
        record = kept_record(deck.keep, deck.name)
        if record is None:
            return None

    forget(state_path)  # whatever happens from here, the next build starts from scratch unless this one ends
    if record is not None:
        try:
            write_package(placed, deck.name, deck.out, mtimes=rec.mtimes, default_mtime=0, media=files_in,
                          keep=deck.keep, digest=digest,
                          patch=Patch(record, positions, frozenset(gone), shifts, latest))
        except PatchFailed:
            return None
    data = ledger_data
    if rec.ledger_changed:
        # The ledger's bytes, block by block: the rebuilt blocks' lines, the others' bytes as they were.
        data = b"".join([ledger_data[:header], *(
            "".join(f"{line}\n" for line in block_lines[b.path]).encode() if b.path in touched_paths
            else ledger_data[slice(*offsets[b.path])] for b in merged)])
        ledger_module.write(deck.ledger, data)
        forget(deck.keep / "ledger.snapshot")  # (the parsed copy a full build keeps: of the old file)
    cache.patch({ref.path: results[ref.rel] for ref in changed}, [state.notes[rel].key for rel in deleted], restat)
    for ref in refs:
        if ref.rel in results:
            notes[ref.rel] = _note(str(ref.path), cache.index(ref.path), results[ref.rel], final.get(ref.rel, []),
                                   dup_diags.get(ref.rel, []), rec)
        elif str(ref.path) in restat:
            notes[ref.rel] = notes[ref.rel]._replace(check=cache.index(ref.path))
    notes = {rel: notes[rel] for rel in rels}
    save(state_path, State(state.key, hashlib.sha1(data, usedforsecurity=False).digest(), digest, latest,
                           latest_removal, notes, merged))
    return replace(report, written=True)


def _compete(notes: Sequence[NoteState], results: Iterable[FileResult], entries: Iterable[Entry]) -> bool:
    """Whether the renamed cards of ``notes`` might be matched otherwise than last time, given the cards and
    ledger lines a rebuild reads (see ``reconcile``). Each such card finds its line again by its question
    and trail (tier 1) as long as no card read takes that line's GUID, no other renamed card shares its
    question and trail, and no card or line read shares its question or its answer (a full build would
    count their lines among those cards' candidates)."""
    trails = [(kind, question, tuple(trail)) for note in notes for kind, question, _, trail in note.renamed]
    if len(set(trails)) != len(trails):
        return True  # two of them would each find both lines by question and trail (tier 1)
    questions = {(kind, question) for kind, question, _ in trails}
    answers = {(kind, answer) for note in notes for kind, _, answer, _ in note.renamed}
    cards = [c for r in results for c in r.cards]
    if any(not {c.guid for c in cards}.isdisjoint(note.finals or ()) for note in notes):
        return True  # a card read now has one of their GUIDs: it takes it (exact matches come first)
    theirs = {(c.kind, loose(c.question)) for c in cards} | {(e.kind, loose(e.question)) for e in entries}
    their_answers = {(c.kind, c.answer_digest) for c in cards} | {(e.kind, e.answer) for e in entries}
    return not (theirs.isdisjoint(questions) and their_answers.isdisjoint(answers))


MOST_SHIFTS = 300
"""Position moves in one statement at most (each is three SQL parameters)."""


def _shift(shifts: list[tuple[int, int, int]], old: int, new: int, n: int) -> None:
    """Add a move of ``n`` positions from ``old`` to ``new``, joined to the last one when it continues it."""
    if n == 0 or old == new:
        return
    by = new - old
    if shifts and shifts[-1][2] == by and shifts[-1][1] + 1 == old:
        shifts[-1] = (shifts[-1][0], old + n - 1, by)
    else:
        shifts.append((old, old + n - 1, by))


def _part(cards: Sequence[Card], rec: Reconciliation) -> bytes:
    return digest_part(cards, rec.mtimes, 0) if cards else b""
