"""The state file: round trip, one commit per grade, and refusing (never wiping) files it cannot trust."""

from __future__ import annotations

import sqlite3
from datetime import timedelta

import pytest
from quiz_helpers import START

from notes2anki.errors import StateError
from notes2anki.quiz import state
from notes2anki.quiz.state import SCHEMA_VERSION, Memory, Review, Store, default_path, open_store

KEY = ("0123456789abcdef", "")
MEMORY = Memory(state=2, step=None, stability=3.5, difficulty=5.25, due=START + timedelta(days=3),
                last_review=START, reps=2, lapses=1, last_rating=3)


def review(key=KEY, rating=3):
    return Review(key, rating, START, 1500, "due")


def test_round_trip(tmp_path):
    path = tmp_path / "q.sqlite3"
    with open_store(path) as store:
        assert store.load() == {}
        store.record(MEMORY, review())
        store.record(Memory(1, 0, None, None, START, None), review(("fedcba9876543210", "c2"), 1))
    with open_store(path) as store:
        loaded = store.load()
        assert loaded[KEY] == MEMORY
        assert loaded[("fedcba9876543210", "c2")].stability is None
        assert store.load([KEY]) == {KEY: MEMORY}
        assert [(r.key, r.rating, r.duration_ms, r.mode) for r in store.reviews()] == [
            (KEY, 3, 1500, "due"), (("fedcba9876543210", "c2"), 1, 1500, "due")]


def test_each_grade_is_committed_before_record_returns(tmp_path):
    path = tmp_path / "q.sqlite3"
    store = Store(path)
    store.record(MEMORY, review())
    # A second connection (another process, or this one after a crash) already sees it.
    other = sqlite3.connect(path)
    assert other.execute("SELECT count(*) FROM review").fetchone()[0] == 1
    assert other.execute("SELECT stability FROM memory").fetchone()[0] == 3.5
    other.close()
    store.close()


def test_undo_restores_the_previous_memory_and_drops_the_log_row(tmp_path):
    with open_store(tmp_path / "q.sqlite3") as store:
        first = store.record(MEMORY, review())
        later = Memory(**{**MEMORY.__dict__, "reps": 3, "stability": 9.0})
        second = store.record(later, review(rating=4))
        store.undo(KEY, MEMORY, second)
        assert store.load() == {KEY: MEMORY}
        store.undo(KEY, None, first)
        assert store.load() == {} and store.reviews() == []


def test_a_new_file_and_its_folder_are_created(tmp_path):
    path = tmp_path / "deep" / "er" / "q.sqlite3"
    with open_store(path):
        pass
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA application_id").fetchone()[0] == state.APPLICATION_ID
    assert db.execute("SELECT value FROM meta WHERE name='schema_version'").fetchone()[0] == str(SCHEMA_VERSION)
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def _refused(path, code):
    before = path.read_bytes()
    with pytest.raises(StateError) as info:
        Store(path)
    assert [d.code for d in info.value.diagnostics] == [code]
    assert path.read_bytes() == before, "the file must be left exactly as it was"
    return info.value.diagnostics[0]


def test_a_corrupt_file_is_refused_and_left_alone(tmp_path):
    path = tmp_path / "q.sqlite3"
    path.write_bytes(b"this is not sqlite at all\x00" * 200)
    d = _refused(path, "state-corrupt")
    assert "corrupt" in d.message and "move q.sqlite3 aside" in d.hint


def test_a_file_from_a_newer_version_is_refused(tmp_path):
    path = tmp_path / "q.sqlite3"
    with open_store(path):
        pass
    db = sqlite3.connect(path)
    db.execute("UPDATE meta SET value = ? WHERE name = 'schema_version'", (str(SCHEMA_VERSION + 1),))
    db.commit()
    db.close()
    d = _refused(path, "state-newer")
    assert f"schema {SCHEMA_VERSION + 1}" in d.message and "upgrade notes2anki" in d.hint


def test_a_missing_version_is_corruption(tmp_path):
    path = tmp_path / "q.sqlite3"
    with open_store(path):
        pass
    db = sqlite3.connect(path)
    db.execute("DELETE FROM meta")
    db.commit()
    db.close()
    _refused(path, "state-corrupt")


def test_another_sqlite_database_is_not_taken_over(tmp_path):
    path = tmp_path / "other.db"
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE notes (x)")
    db.execute("INSERT INTO notes VALUES (1)")
    db.commit()
    db.close()
    _refused(path, "state-foreign")


def test_a_bad_row_is_reported_not_guessed(tmp_path):
    path = tmp_path / "q.sqlite3"
    with open_store(path) as store:
        store.record(MEMORY, review())
    db = sqlite3.connect(path)
    db.execute("UPDATE memory SET due = 'yesterday'")
    db.commit()
    db.close()
    with open_store(path) as store, pytest.raises(StateError, match="bad row for card 0123456789abcdef"):
        store.load()


def test_a_folder_is_not_a_state_file(tmp_path):
    with pytest.raises(StateError, match="not a file"):
        Store(tmp_path)


def test_the_default_file_is_in_the_user_data_folder(monkeypatch, tmp_path):
    monkeypatch.setattr(state.platformdirs, "user_data_path", lambda app, appauthor: tmp_path / app)
    assert default_path() == tmp_path / "notes2anki" / "quiz.sqlite3"
