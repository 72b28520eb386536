"""Review state on disk: a small SQLite file, one row per item, one commit per grade.

Keyed by ``(card GUID, ord)``, so progress survives edits to the notes and
rebuilds exactly as Anki's does. Every grade is its own transaction (WAL,
``synchronous=FULL``): a crash, Ctrl-C or ``kill -9`` in the middle of a
session loses nothing that was answered. The file records its schema version;
a file from a newer notes2anki, a corrupt file or some other SQLite database is
refused with a :class:`~notes2anki.errors.StateError` and left untouched,
never wiped and recreated.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import platformdirs

from ..diagnostics import error
from ..errors import StateError
from .items import Key

SCHEMA_VERSION = 1
APPLICATION_ID = 0x6E32_6171
"""``PRAGMA application_id`` of a quiz state file ("n2aq"): tells ours from other SQLite files."""

_SCHEMA = """
CREATE TABLE meta (
    name  TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE memory (
    guid        TEXT NOT NULL,
    ord         TEXT NOT NULL DEFAULT '',
    state       INTEGER NOT NULL,
    step        INTEGER,
    stability   REAL,
    difficulty  REAL,
    due         TEXT NOT NULL,
    last_review TEXT,
    reps        INTEGER NOT NULL DEFAULT 0,
    lapses      INTEGER NOT NULL DEFAULT 0,
    last_rating INTEGER,
    PRIMARY KEY (guid, ord)
);
CREATE TABLE review (
    id          INTEGER PRIMARY KEY,
    guid        TEXT NOT NULL,
    ord         TEXT NOT NULL DEFAULT '',
    rating      INTEGER NOT NULL,
    reviewed_at TEXT NOT NULL,
    duration_ms INTEGER,
    mode        TEXT NOT NULL
);
CREATE INDEX review_item ON review (guid, ord);
"""

_COLUMNS = "guid, ord, state, step, stability, difficulty, due, last_review, reps, lapses, last_rating"


@dataclass(frozen=True)
class Memory:
    """What is known about one item: its FSRS state and a little history."""

    state: int
    """FSRS state: 1 learning, 2 review, 3 relearning."""
    step: int | None
    """Learning or relearning step; ``None`` in review."""
    stability: float | None
    """Days until recall probability falls to 90% (FSRS); ``None`` before the first grade."""
    difficulty: float | None
    """FSRS difficulty, 1 (easy) to 10 (hard)."""
    due: datetime
    last_review: datetime | None
    reps: int = 0
    """Times graded."""
    lapses: int = 0
    """Times forgotten after being learned (Again on a card in review)."""
    last_rating: int | None = None


@dataclass(frozen=True)
class Review:
    """One grade, as logged."""

    key: Key
    rating: int
    at: datetime
    duration_ms: int | None
    mode: str


def default_path() -> Path:
    """``quiz.sqlite3`` in the user's data folder (``~/.local/share/notes2anki`` on Linux)."""
    return platformdirs.user_data_path("notes2anki", appauthor=False) / "quiz.sqlite3"


def _iso(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).isoformat()


def _when(text: str) -> datetime:
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def _problem(path: Path, message: str, hint: str, code: str) -> StateError:
    return StateError([error(str(path), None, message, hint, code)])


class Store:
    """An open state file. Use :func:`open_store` (a context manager) or call :meth:`close`."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._db = _connect(path)
        try:
            self._check_or_create()
        except BaseException:
            self._db.close()
            raise

    # -- opening ---------------------------------------------------------
    def _check_or_create(self) -> None:
        path = self.path
        corrupt_hint = (f"move {path.name} aside to start over, or pass --state with another file; "
                        "it was left as it is")
        try:
            self._db.execute("PRAGMA synchronous = FULL")  # a commit is on disk before record() returns
            tables = {r[0] for r in self._db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            app_id = self._db.execute("PRAGMA application_id").fetchone()[0]
            if not tables and app_id == 0:
                self._create()
                return
            if app_id != APPLICATION_ID or not {"meta", "memory", "review"} <= tables:
                raise _problem(path, "not a notes2anki quiz state file", corrupt_hint, "state-foreign")
            row = self._db.execute("SELECT value FROM meta WHERE name = 'schema_version'").fetchone()
            version = int(row[0]) if row and str(row[0]).isdigit() else None
            if version is None:
                raise _problem(path, "quiz state file has no valid schema version (corrupt)", corrupt_hint,
                               "state-corrupt")
            if version > SCHEMA_VERSION:
                raise _problem(path, f"quiz state file is from a newer notes2anki (schema {version}; "
                               f"this version reads up to {SCHEMA_VERSION})",
                               "upgrade notes2anki, or pass --state with another file", "state-newer")
            check = self._db.execute("PRAGMA quick_check").fetchone()[0]
            if check != "ok":
                raise _problem(path, f"quiz state file is corrupt ({check})", corrupt_hint, "state-corrupt")
            self._db.execute("PRAGMA journal_mode = WAL")
        except sqlite3.DatabaseError as exc:
            raise _problem(path, f"quiz state file is corrupt or not a database ({exc})", corrupt_hint,
                           "state-corrupt") from None

    def _create(self) -> None:
        self._db.execute("PRAGMA journal_mode = WAL")
        with self._transaction() as db:
            db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            for statement in _SCHEMA.split(";"):
                if statement.strip():
                    db.execute(statement)
            db.execute("INSERT INTO meta (name, value) VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        try:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")
        except sqlite3.DatabaseError as exc:
            raise _problem(self.path, f"cannot write the quiz state file ({exc})",
                           "check the disk and the file's permissions", "state-write") from None

    # -- reading ---------------------------------------------------------
    def load(self, keys: Iterable[Key] | None = None) -> dict[Key, Memory]:
        """Memories of ``keys`` (all when ``None``); items never graded are absent."""
        wanted = None if keys is None else set(keys)
        found: dict[Key, Memory] = {}
        try:
            rows = self._db.execute(f"SELECT {_COLUMNS} FROM memory").fetchall()
        except sqlite3.DatabaseError as exc:
            raise _problem(self.path, f"cannot read the quiz state file ({exc})",
                           "move it aside to start over; it was left as it is", "state-corrupt") from None
        for row in rows:
            key = (str(row[0]), str(row[1]))
            if wanted is None or key in wanted:
                found[key] = self._memory(key, row[2:])
        return found

    def _memory(self, key: Key, row: tuple[Any, ...]) -> Memory:
        try:
            state, step, stability, difficulty, due, last_review, reps, lapses, last_rating = row
            if state not in (1, 2, 3):
                raise ValueError(f"state {state!r}")
            return Memory(
                state=int(state),
                step=None if step is None else int(step),
                stability=None if stability is None else float(stability),
                difficulty=None if difficulty is None else float(difficulty),
                due=_when(str(due)),
                last_review=None if last_review is None else _when(str(last_review)),
                reps=int(reps),
                lapses=int(lapses),
                last_rating=None if last_rating is None else int(last_rating),
            )
        except (TypeError, ValueError) as exc:
            raise _problem(self.path, f"quiz state file has a bad row for card {key[0]} ({exc})",
                           "move it aside to start over; it was left as it is", "state-corrupt") from None

    def reviews(self) -> list[Review]:
        """Every logged grade, oldest first."""
        rows = self._db.execute(
            "SELECT guid, ord, rating, reviewed_at, duration_ms, mode FROM review ORDER BY id").fetchall()
        return [Review((r[0], r[1]), int(r[2]), _when(r[3]), r[4], r[5]) for r in rows]

    # -- writing ---------------------------------------------------------
    def record(self, memory: Memory, review: Review) -> int:
        """Save an item's new memory and log the grade, in one commit; returns the log row id."""
        guid, ord_ = review.key
        with self._transaction() as db:
            self._put(db, review.key, memory)
            cursor = db.execute(
                "INSERT INTO review (guid, ord, rating, reviewed_at, duration_ms, mode) VALUES (?, ?, ?, ?, ?, ?)",
                (guid, ord_, review.rating, _iso(review.at), review.duration_ms, review.mode))
            return int(cursor.lastrowid or 0)

    def undo(self, key: Key, previous: Memory | None, review_id: int) -> None:
        """Put an item back as it was before a grade and drop that grade from the log, in one commit."""
        with self._transaction() as db:
            if previous is None:
                db.execute("DELETE FROM memory WHERE guid = ? AND ord = ?", key)
            else:
                self._put(db, key, previous)
            db.execute("DELETE FROM review WHERE id = ?", (review_id,))

    @staticmethod
    def _put(db: sqlite3.Connection, key: Key, m: Memory) -> None:
        db.execute(
            f"INSERT OR REPLACE INTO memory ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (key[0], key[1], m.state, m.step, m.stability, m.difficulty, _iso(m.due),
             None if m.last_review is None else _iso(m.last_review), m.reps, m.lapses, m.last_rating))

    def close(self) -> None:
        self._db.close()


def _connect(path: Path) -> sqlite3.Connection:
    if path.exists() and not path.is_file():
        raise _problem(path, "quiz state path is not a file", "pass --state with a file name", "state-path")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(path, isolation_level=None, timeout=5.0)
    except (OSError, sqlite3.Error) as exc:
        raise _problem(path, f"cannot open the quiz state file ({exc})",
                       "check the folder exists and is writable, or pass --state", "state-open") from None
    return db


@contextmanager
def open_store(path: Path) -> Iterator[Store]:
    """Open (creating if new) the state file at ``path``; closes it on the way out."""
    store = Store(path)
    try:
        yield store
    finally:
        store.close()
