"""The ledger file: round trips, stays diff-friendly, and is never silently replaced."""

from __future__ import annotations

import multiprocessing
import time
from pathlib import Path

import pytest

from notes2anki import ledger
from notes2anki.errors import LedgerError
from notes2anki.ledger import Entry, Ledger


def _entry(i: int, **kw) -> Entry:
    base = dict(id=f"{i:016x}", kind="section", question=f"问题 {i}: \"quoted\"\ttab", context=("T", "子"),
                answer="a" * 12, content="c" * 16, tags=("notes2anki::T",), source=f"dir/a b.md:{i}",
                changed=1_795_000_000 + i)
    base.update(kw)
    return Entry(**base)


def test_round_trip(tmp_path):
    book = Ledger("AI 笔记", (_entry(2), _entry(1, removed=1_795_100_000)))
    path = tmp_path / "cards" / "AI 笔记.yaml"
    assert ledger.save(book, path)
    loaded = ledger.load(path)
    assert loaded is not None and loaded.deck == "AI 笔记"
    assert sorted(loaded.entries, key=lambda e: e.id) == sorted(book.entries, key=lambda e: e.id)


def test_one_card_per_line_in_a_stable_order(tmp_path):
    path = tmp_path / "d.yaml"
    ledger.save(Ledger("D", (_entry(3), _entry(1), _entry(2))), path)
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line.startswith("- ")]
    assert len(lines) == 3
    assert [line.split('"source": "')[1].split('"')[0] for line in lines] == ["dir/a b.md:1", "dir/a b.md:2",
                                                                              "dir/a b.md:3"]
    first = path.read_text(encoding="utf-8")
    ledger.save(Ledger("D", (_entry(2), _entry(3), _entry(1))), path)
    assert path.read_text(encoding="utf-8") == first


def test_the_file_is_plain_yaml(tmp_path):
    import yaml

    path = tmp_path / "d.yaml"
    ledger.save(Ledger("D", (_entry(1),)), path)
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert data["version"] == 1 and data["cards"][0]["question"] == _entry(1).question


def test_hand_edited_block_style_yaml_still_loads(tmp_path):
    path = tmp_path / "d.yaml"
    path.write_text("version: 1\ndeck: D\ncards:\n  - id: abc\n    kind: section\n    question: Q\n"
                    "    answer: h\n    changed: 2026-01-01T00:00:00Z\n", encoding="utf-8")
    loaded = ledger.load(path)
    assert loaded is not None and loaded.entries[0].id == "abc"


def test_missing_ledger_is_none(tmp_path):
    assert ledger.load(tmp_path / "none.yaml") is None


@pytest.mark.parametrize(("text", "code"), [
    ("version: 1\ncards: [unclosed\n", "ledger-yaml"),
    ("just a string\n", "ledger-shape"),
    ("version: 1\ncards:\n- {\"id\": \"x\"}\n", "ledger-entry"),
    ("version: 99\ncards: []\n", "ledger-version"),
    ('version: 1\ncards:\n- {"id": "x", "kind": "k", "question": "q", "answer": "a", "changed": '
     '"2026-01-01T00:00:00Z"}\n- {"id": "x", "kind": "k", "question": "q2", "answer": "a", "changed": '
     '"2026-01-01T00:00:00Z"}\n', "ledger-duplicate"),
])
def test_corrupt_ledger_is_a_clear_error(tmp_path, text, code):
    path = tmp_path / "d.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(LedgerError) as info:
        ledger.load(path)
    (d,) = info.value.diagnostics
    assert d.code == code and d.path == str(path)
    assert path.read_text(encoding="utf-8") == text, "never replaced"


def test_save_is_atomic_and_skips_unchanged(tmp_path, monkeypatch):
    path = tmp_path / "d.yaml"
    ledger.save(Ledger("D", (_entry(1),)), path)
    before = path.read_text(encoding="utf-8")
    assert not ledger.save(Ledger("D", (_entry(1),)), path)

    def boom(*a, **k):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("notes2anki.ledger.os.replace", boom)
    with pytest.raises(LedgerError, match="No space left on device"):
        ledger.save(Ledger("D", (_entry(1), _entry(2))), path)
    assert path.read_text(encoding="utf-8") == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["d.yaml"]


def _hold_lock(path: str, ready, release) -> None:
    with ledger.locked(Path(path)):
        ready.set()
        release.wait(10)


def test_a_second_build_waits_then_fails_clearly(tmp_path):
    path = tmp_path / "cards" / "d.yaml"
    ctx = multiprocessing.get_context("fork")
    ready, release = ctx.Event(), ctx.Event()
    holder = ctx.Process(target=_hold_lock, args=(str(path), ready, release))
    holder.start()
    try:
        assert ready.wait(10)
        start = time.monotonic()
        with pytest.raises(LedgerError) as info, ledger.locked(path, wait=0.3):
            pass
        assert time.monotonic() - start >= 0.3
        assert info.value.diagnostics[0].code == "ledger-locked"
    finally:
        release.set()
        holder.join(10)
    with ledger.locked(path, wait=1):
        pass


def test_a_snapshot_stands_in_for_parsing_only_while_the_file_is_unchanged(tmp_path, monkeypatch):
    path, snap = tmp_path / "d.yaml", tmp_path / "cache" / "ledger.snapshot"
    book = Ledger("D", tuple(_entry(i) for i in range(50)))
    ledger.save(book, path, snap)
    parsed = ledger.load(path)
    with monkeypatch.context() as m:
        m.setattr(ledger, "_fast_parse", lambda text: pytest.fail("parsed although the snapshot matched"))
        kept = ledger.load(path, snap)
    assert kept is not None and parsed is not None
    assert (kept.deck, kept.entries, kept.lines) == (parsed.deck, parsed.entries, parsed.lines)
    # Edited by hand (or checked out from git): the file wins, and the snapshot follows it.
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('"问题 7:', '"changed by hand:'), encoding="utf-8")
    edited = ledger.load(path, snap)
    assert edited is not None and sum(e.question.startswith("changed by hand") for e in edited.entries) == 1
    assert edited == ledger.load(path) and ledger.dumps(edited) == path.read_text(encoding="utf-8")
    # A damaged snapshot is no snapshot.
    snap.write_bytes(b"\x00\x01 not marshal")
    assert ledger.load(path, snap) == edited


def test_a_snapshot_survives_an_unwritable_cache(tmp_path):
    path = tmp_path / "d.yaml"
    blocker = tmp_path / "file"
    blocker.write_text("x")
    book = Ledger("D", (_entry(1),))
    assert ledger.save(book, path, blocker / "ledger.snapshot")
    assert ledger.load(path, blocker / "ledger.snapshot") == ledger.load(path)
