"""The ledger in ``cards/``: every card a deck has ever had, and its identity.

One YAML file per deck, meant to be committed next to the notes. Each card is
one line — a flow mapping in JSON syntax, which is valid YAML — so a diff shows
exactly which cards changed, and the file loads in milliseconds even with tens
of thousands of cards (a hand-edited file in any other YAML style still loads,
through the slower YAML parser).

A ledger that cannot be read stops the build: replacing it would give every
card a new identity and cost the user their review history.

Parsing tens of thousands of lines is a fifth of a second, on every build. So a
build may keep a snapshot of the parsed ledger (in the deck's cache folder),
used only while the file hashes exactly as it did when the snapshot was taken.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import marshal
import os
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple

from .atomic import temp_beside, write_cache_file
from .diagnostics import error
from .errors import LedgerError

VERSION = 1


class Entry(NamedTuple):
    """What the ledger remembers of one card.

    A named tuple rather than a dataclass: ledgers hold tens of thousands of
    entries and are read on every build, and tuples are several times cheaper
    to make, compare and hash.
    """

    id: str
    """The card's Anki GUID."""
    kind: str
    question: str
    context: tuple[str, ...]
    answer: str
    """Hash of the answer text: the evidence that a reworded question is the same card."""
    content: str
    """Hash of everything the note shows (not its source line): a change means Anki must update it."""
    tags: tuple[str, ...]
    source: str
    """``path:line`` where the card was last seen."""
    changed: int
    """Unix time its content last changed: the note's modification time in the package."""
    removed: int | None = None
    """Unix time its source disappeared from the notes, if it did."""

    @property
    def path(self) -> str:
        return self.source.rsplit(":", 1)[0]

    @property
    def line(self) -> int:
        tail = self.source.rsplit(":", 1)[-1]
        return int(tail) if tail.isdigit() else 0


@dataclass(frozen=True)
class Ledger:
    deck: str
    entries: tuple[Entry, ...]
    lines: Mapping[str, str] = field(default_factory=dict, compare=False, repr=False)
    """Each entry's line as read from the file, by id: an unchanged entry is written back as it was read."""

    def by_id(self) -> dict[str, Entry]:
        return {e.id: e for e in self.entries}


def ledger_path(folder: Path, deck_file: str) -> Path:
    return folder / f"{deck_file}.yaml"


@lru_cache(maxsize=4096)
def iso(ts: int) -> str:
    return datetime.fromtimestamp(ts, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


@lru_cache(maxsize=4096)
def _from_iso_text(value: str) -> int:
    return int(datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc).timestamp())


def _from_iso(value: Any) -> int:
    if isinstance(value, datetime):
        return int(value.replace(tzinfo=value.tzinfo or timezone.utc).timestamp())
    if isinstance(value, int):
        return value
    return _from_iso_text(str(value))


def dumps(ledger: Ledger) -> str:
    """The ledger file's text: a header, then one card per line in a stable order."""
    return _dumps(ledger)[0]


def _dumps(ledger: Ledger) -> tuple[str, list[Entry], list[str]]:
    """The file's text, and its entries in file order with their lines."""
    entries = sorted(ledger.entries, key=_order)
    kept = ledger.lines
    card_lines = [kept.get(e.id) or _line(e) for e in entries]
    # One join, the final newline included: a big ledger's text is tens of MB, so no copies of it.
    return "\n".join([*_header_lines(ledger.deck, bool(entries)), *card_lines, ""]), entries, card_lines


def _header_lines(deck: str, cards: bool) -> list[str]:
    name = json.dumps(deck, ensure_ascii=False)
    return [
        f"# notes2anki ledger for the deck {name}.",
        "# Commit it next to your notes: it keeps each card's Anki identity (and so its review",
        "# history) across edits. One card per line; written by `notes2anki build`.",
        f"version: {VERSION}",
        f"deck: {name}",
        "cards:" if cards else "cards: []",
    ]


def lines_of(ledger: Ledger) -> tuple[list[Entry], list[str]]:
    """The entries in file order, with the line each is written as."""
    return _dumps(ledger)[1:]


def _line(e: Entry) -> str:
    record: dict[str, object] = {"id": e.id, "kind": e.kind, "question": e.question, "context": e.context,
                                 "answer": e.answer, "content": e.content, "tags": e.tags, "source": e.source,
                                 "changed": iso(e.changed)}
    if e.removed is not None:
        record["removed"] = iso(e.removed)
    return "- " + json.dumps(record, ensure_ascii=False)


def entry_path(entry: Entry) -> str:
    """The note an entry's card was last seen in (the ledger is sorted by it first)."""
    return _order(entry)[0]


def _order(entry: Entry) -> tuple[str, int, str, str]:
    # ``(entry.path, entry.line, …)``, splitting the source once: a ledger is sorted on every write.
    head, colon, tail = entry.source.rpartition(":")
    return (head if colon else tail, int(tail) if tail.isdigit() else 0, entry.kind, entry.id)


def _fast_parse(text: str) -> dict[str, Any] | None:
    """Parse the format :func:`dumps` writes without a YAML parser; ``None`` if the text is not in it."""
    data: dict[str, Any] = {"cards": []}
    records: list[str] = []
    in_cards = False
    for line in text.split("\n"):
        if not line.strip() or line.startswith("#"):
            continue
        if in_cards and line.startswith("- {"):
            records.append(line[2:])
        elif line.startswith("version: "):
            data["version"] = int(line[9:])
        elif line.startswith("deck: "):
            data["deck"] = json.loads(line[6:])
        elif line.rstrip() in ("cards:", "cards: []"):
            in_cards = True
        else:
            return None
    data["cards"] = _json_records(records)
    data["lines"] = records
    return data


_JSON_BATCH = 2_000
"""Cards parsed per call into the C JSON parser: far fewer calls than one per card, and only a
batch of dicts alive at a time (all of a big ledger's at once cost more memory than its entries)."""


def _json_records(lines: list[str]) -> Iterator[Any]:
    """The records on ``lines`` (one JSON object each), parsed a batch at a time; ValueError if one is bad."""
    for start in range(0, len(lines), _JSON_BATCH):
        yield from json.loads("[" + ",".join(lines[start:start + _JSON_BATCH]) + "]")


def parse_lines(where: str, lines: list[str]) -> Ledger:
    """The entries on some card lines of a ledger written by :func:`dumps` (without ``- ``); LedgerError if bad."""
    hint = "fix the file by hand or restore it from version control (e.g. git checkout -- the file)"
    try:
        return _validate(where, {"cards": _json_records(lines), "lines": lines}, "", hint)
    except ValueError as exc:
        raise LedgerError([error(where, None, f"the card ledger is malformed ({exc!s})", hint, "ledger-entry")]) \
            from None


def load(path: Path, snapshot: Path | None = None) -> Ledger | None:
    """The ledger at ``path``, ``None`` if there is none yet; :class:`LedgerError` if it is unusable.

    ``snapshot``: where a parsed copy may be kept (see the module's docstring).
    """
    if not path.exists():
        return None
    where = str(path)
    hint = "fix the file by hand or restore it from version control (e.g. git checkout -- the file)"
    try:
        data = path.read_bytes()
        if snapshot is not None and (kept := _load_snapshot(snapshot, data)) is not None:
            return kept
        text = data.decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise LedgerError([error(where, None, f"cannot read the card ledger: {exc}", hint, "ledger-unreadable")]) \
            from None
    try:
        fast = _fast_parse(text)
        if fast is not None:
            book = _validate(where, fast, text, hint)
            if snapshot is not None:
                _save_snapshot(snapshot, data, book.deck, list(book.entries))
            return book
    except ValueError:  # not quite the format dumps() writes (a line that is not JSON): let YAML say where
        pass
    import yaml  # only for a ledger edited by hand into another YAML style: spare its import otherwise

    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise LedgerError([error(where, mark.line + 1 if mark else None,
                                 f"the card ledger is not valid YAML: {getattr(exc, 'problem', exc)}", hint,
                                 "ledger-yaml")]) from None
    return _validate(where, data, text, hint)


def _validate(where: str, data: Any, text: str, hint: str) -> Ledger:
    if not isinstance(data, dict) or not isinstance(data.get("cards"), (list, Iterator)):
        raise LedgerError([error(where, 1, "the card ledger has no 'cards' list", hint, "ledger-shape")])
    version = data.get("version")
    if isinstance(version, int) and version > VERSION:
        raise LedgerError([error(where, None, f"the card ledger is version {version}, newer than this "
                                 f"notes2anki understands ({VERSION})", "upgrade notes2anki", "ledger-version")])
    entries: list[Entry] = []
    seen: set[str] = set()
    raw_lines = data.get("lines")
    lines: dict[str, str] = {}
    for n, record in enumerate(data["cards"]):
        try:
            removed = record.get("removed")
            entry = Entry(
                str(record["id"]),
                str(record["kind"]),
                str(record["question"]),
                tuple(map(str, record.get("context") or ())),
                str(record["answer"]),
                str(record.get("content", "")),
                tuple(map(str, record.get("tags") or ())),
                str(record.get("source", "")),
                _from_iso(record["changed"]),
                _from_iso(removed) if removed else None,
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise LedgerError([error(where, _line_of(text, n), f"card {n + 1} in the ledger is malformed ({exc!s})",
                                     hint, "ledger-entry")]) from None
        if entry.id in seen:
            raise LedgerError([error(where, _line_of(text, n), f"card id {entry.id} appears twice in the ledger",
                                     hint, "ledger-duplicate")])
        seen.add(entry.id)
        entries.append(entry)
        if raw_lines is not None:
            lines[entry.id] = "- " + raw_lines[n]
    return Ledger(str(data.get("deck", "")), tuple(entries), lines)


def _line_of(text: str, n: int) -> int | None:
    """Best-effort line of the n-th card (one-line format); None if unknown."""
    count = -1
    for i, line in enumerate(text.split("\n"), 1):
        if line.startswith("- "):
            count += 1
            if count == n:
                return i
    return None


SNAPSHOT_FORMAT = 1


def _load_snapshot(snapshot: Path, data: bytes) -> Ledger | None:
    """The parsed ledger kept for exactly these bytes, if there is one (each entry's line is read from them)."""
    try:
        fmt, digest, deck, rows = marshal.loads(snapshot.read_bytes())
        if fmt != SNAPSHOT_FORMAT or digest != hashlib.sha1(data, usedforsecurity=False).digest():
            return None
        entries = tuple(map(Entry._make, rows))
        lines = [line for line in data.decode("utf-8").split("\n") if line.startswith("- {")]
        return Ledger(deck, entries, dict(zip([e.id for e in entries], lines, strict=True)))
    except (OSError, EOFError, ValueError, TypeError):
        return None


def _save_snapshot(snapshot: Path, data: bytes, deck: str, entries: list[Entry]) -> None:
    """Keep the parsed ledger for the next build (best effort: without it the file is parsed again).

    ``entries`` are in file order, one per card line of ``data``.
    """
    write_cache_file(snapshot, marshal.dumps((SNAPSHOT_FORMAT, hashlib.sha1(data, usedforsecurity=False).digest(),
                                              deck, list(map(tuple, entries)))))


def layout(ledger: Ledger) -> tuple[bytes, list[Entry], list[int]]:
    """The file's bytes, its entries in file order, and the bytes of each one's line (newline included)."""
    text, entries, lines = _dumps(ledger)
    sizes = [len(line.encode()) + 1 for line in lines]
    del lines  # not held while the text is encoded: a big ledger's lines are tens of MB
    return text.encode("utf-8"), entries, sizes


def save(ledger: Ledger, path: Path, snapshot: Path | None = None,
         laid_out: tuple[bytes, list[Entry], list[int]] | None = None) -> bool:
    """Write the ledger atomically; returns False (and leaves the file alone) if nothing changed.

    ``snapshot``: where to keep the parsed ledger for the next build's :func:`load`;
    ``laid_out``: its :func:`layout`, if the caller has it.
    """
    data, entries, _ = laid_out or layout(ledger)
    if snapshot is not None:
        _save_snapshot(snapshot, data, ledger.deck, entries)
    return write(path, data)


def write(path: Path, data: bytes) -> bool:
    """Replace the ledger file with ``data`` atomically; False (and the file left alone) if it already is that."""
    with contextlib.suppress(OSError):
        if path.stat().st_size == len(data) and path.read_bytes() == data:
            return False
    tmp = ""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = temp_beside(path)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
        tmp = ""
    except OSError as exc:
        raise LedgerError([error(str(path), None, f"cannot write the card ledger: {exc.strerror or exc}",
                                 "free some disk space or make the folder writable, then build again "
                                 "(the previous ledger is intact)", "ledger-unwritable")],
                          outcome="the deck was written, the ledger was not; build again to record it") from None
    finally:
        if tmp:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
    return True


@contextlib.contextmanager
def locked(path: Path, wait: float = 30.0) -> Iterator[None]:
    """Hold an exclusive lock for one deck's build, so two builds never interleave their writes.

    A second build waits up to ``wait`` seconds, then fails with a clear message.
    """
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: no advisory locks; builds are rarely concurrent there
        yield
        return
    lock_path = path.with_name(f".{path.name}.lock")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fh = open(lock_path, "a+")  # noqa: SIM115 - closed by the with below
    except OSError as exc:
        raise LedgerError([error(str(path), None, f"cannot write the card ledger's folder: {exc.strerror or exc}",
                                 "make the folder writable, or set 'ledger:' in the config to a writable place",
                                 "ledger-unwritable")]) from None
    with fh:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise LedgerError([error(str(path), None, "another notes2anki build of this deck is running",
                                             "wait for it to finish, then build again", "ledger-locked")]) from None
                time.sleep(0.1)
        try:
            yield
        finally:
            fcntl.flock(fh.fileno(), fcntl.LOCK_UN)
