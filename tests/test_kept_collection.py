"""A collection kept between builds and updated in place must hold what a fresh one holds."""

from __future__ import annotations

import io
import random
import sqlite3
import zlib
from dataclasses import replace
from pathlib import Path

from anki_helpers import import_apkg, new_collection, notes_by_guid
from anki_helpers import package_rows as _rows
from notes2anki.cards import Card
from notes2anki.deflate import CHUNK, ChunkStore
from notes2anki.package import write_package


def _card(i: int, **kw) -> Card:
    base = dict(kind="section", guid=f"g{i:015d}", question=f"Q{i}", answer=f"A{i}", front=f"Q{i}",
                back=f"<p>A{i} {'long text ' * (i % 40)}</p>", context=("T",), path="a.md", line=i,
                tags=(f"notes2anki::T{i % 3}",))
    base.update(kw)
    return Card(**base)


def _kept_and_fresh(tmp_path: Path, keep: Path, cards: list[Card], deck: str = "D", **kw) -> tuple:
    """Package ``cards`` through the kept collection and afresh; both packages' rows must be equal."""
    kept = write_package(cards, deck, tmp_path / "kept.apkg", keep=keep, **kw)
    fresh = write_package(cards, deck, tmp_path / "fresh.apkg", **kw)
    assert _rows(tmp_path / "kept.apkg") == _rows(tmp_path / "fresh.apkg")
    return kept, fresh


def _edit(rng: random.Random, cards: list[Card], times: dict[str, int], step: int, fresh_ids: list[int]) -> None:
    """One random change of the kind a rebuild sees: add, drop, edit, move, reorder, retag, cloze, reverse."""
    for _ in range(rng.randint(1, 6)):
        op = rng.choice(["add", "drop", "edit", "move", "swap", "tags", "cloze", "reverse", "time"])
        i = rng.randrange(len(cards))
        c = cards[i]
        if op == "add":
            fresh_ids[0] += 1
            cards.insert(i, _card(fresh_ids[0], line=rng.randint(1, 500)))
        elif op == "drop" and len(cards) > 3:
            del cards[i]
        elif op == "edit":
            cards[i] = replace(c, back=f"<p>edited {step} {'x' * rng.randint(0, 3000)}</p>")
            times[c.guid] = 1_800_000_000 + step
        elif op == "move":
            cards[i] = replace(c, line=c.line + 7)
        elif op == "swap":
            j = rng.randrange(len(cards))
            cards[i], cards[j] = cards[j], cards[i]
        elif op == "tags":
            cards[i] = replace(c, tags=(f"notes2anki::moved{step}",))
        elif op == "cloze":
            n = rng.randint(1, 3)
            cards[i] = replace(c, cloze=True, front=" ".join(f"{{{{c{k}::x{k}}}}}" for k in range(1, n + 1)))
        elif op == "reverse":
            cards[i] = replace(c, reverse=not c.reverse)
        elif op == "time":
            times[c.guid] = 1_800_000_000 + 1000 + step


def test_updated_collection_has_the_rows_a_fresh_one_has(tmp_path):
    rng = random.Random(7)
    cards = [_card(i) for i in range(300)]
    times: dict[str, int] = {}
    keep = tmp_path / "keep"
    fresh_ids = [1000]
    before: list[Card] = []
    old_times: dict[str, int] = {}
    for step in range(25):
        kept, fresh = _kept_and_fresh(tmp_path, keep, cards, mtimes=dict(times), default_mtime=1_800_000_000)
        assert fresh is not None and kept is not None and fresh.notes == len(cards)
        if step:
            # Only the notes that changed were written again (an edit or a new time is one note).
            changed = {c.guid for c in cards} ^ {c.guid for c in before} | {
                c.guid for c in cards if c not in before or times.get(c.guid) != old_times.get(c.guid)}
            assert kept.notes <= len(changed) < len(cards) // 4, f"step {step}"
        before, old_times = list(cards), dict(times)
        _edit(rng, cards, times, step, fresh_ids)


def test_a_one_note_edit_compresses_a_few_chunks_again(tmp_path):
    rng = random.Random(3)
    cards = [_card(i, back=f"<p>{rng.randbytes(600).hex()}</p>") for i in range(3000)]
    keep = tmp_path / "keep"
    first = write_package(cards, "D", tmp_path / "d.apkg", keep=keep, default_mtime=1_800_000_000)
    cards[1500] = replace(cards[1500], back="<p>edited</p>")
    second = write_package(cards, "D", tmp_path / "d.apkg", keep=keep, default_mtime=1_800_000_000,
                           mtimes={cards[1500].guid: 1_800_000_001})
    assert first and second and first.chunks == first.of_chunks > 15
    assert (second.notes, second.of_chunks) == (1, first.of_chunks) and second.chunks <= 6
    write_package(cards, "D", tmp_path / "fresh.apkg", default_mtime=1_800_000_000,
                  mtimes={cards[1500].guid: 1_800_000_001})
    assert _rows(tmp_path / "d.apkg") == _rows(tmp_path / "fresh.apkg")


def test_an_interrupted_or_tampered_kept_collection_is_written_afresh(tmp_path):
    keep = tmp_path / "keep"
    cards = [_card(i) for i in range(50)]
    write_package(cards, "D", tmp_path / "a.apkg", keep=keep, default_mtime=1_800_000_000)
    db = keep / "collection.anki2"
    # A build killed while updating: the record is gone and the file half-written.
    (keep / "collection.record").unlink()
    with open(db, "r+b") as fh:
        fh.seek(70_000)
        fh.write(b"\xff" * 5000)
    changed = [*cards[:10], _card(99)]
    _kept_and_fresh(tmp_path, keep, changed, default_mtime=1_800_000_001)
    # Someone else wrote to the kept file: its record no longer matches, so it is not trusted.
    con = sqlite3.connect(db)
    con.execute("DELETE FROM notes")
    con.commit()
    con.close()
    _kept_and_fresh(tmp_path, keep, cards, default_mtime=1_800_000_002)


def test_another_deck_name_is_never_updated_from_a_kept_collection(tmp_path):
    keep = tmp_path / "keep"
    cards = [_card(i) for i in range(5)]
    write_package(cards, "D", tmp_path / "a.apkg", keep=keep, default_mtime=1_800_000_000)
    _kept_and_fresh(tmp_path, keep, cards, "E", default_mtime=1_800_000_000)


def test_kept_package_imports_into_anki_as_a_fresh_one_does(tmp_path):
    keep = tmp_path / "keep"
    first = [_card(i) for i in range(40)]
    write_package(first, "D", tmp_path / "v1.apkg", keep=keep, default_mtime=1_800_000_000)
    second = [replace(c, back="<p>new answer</p>") if i % 5 == 0 else c for i, c in enumerate(first[5:])]
    second.append(_card(77, cloze=True, front="{{c1::a}} and {{c2::b}}"))
    times = {c.guid: 1_800_000_100 for c in second if c.back == "<p>new answer</p>" or c.cloze}
    _kept_and_fresh(tmp_path, keep, second, mtimes=times, default_mtime=1_800_000_000)
    seen = []
    for name in ("kept", "fresh"):
        col = new_collection(tmp_path / f"anki-{name}")
        try:
            import_apkg(col, tmp_path / "v1.apkg")
            log = import_apkg(col, tmp_path / f"{name}.apkg")
            notes = {g: {k: v for k, v in n.items() if k != "id"} for g, n in notes_by_guid(col).items()}
            seen.append((log, notes))
        finally:
            col.close()
    (kept_log, kept_notes), (fresh_log, fresh_notes) = seen
    assert kept_log == fresh_log and kept_log.updated == 7 and kept_log.new == 1
    assert kept_notes == fresh_notes
    assert kept_notes[_card(77).guid]["cards"] == 2


def test_only_changed_chunks_are_compressed_again(tmp_path):
    text = "".join(f"note {i} " for i in range(60_000)).encode()
    data = bytearray(random.Random(1).randbytes(3 * CHUNK) + text[:2 * CHUNK - 100])
    path = tmp_path / "f.bin"
    store_path = tmp_path / "chunks"

    def deflate() -> tuple[bytes, int]:
        path.write_bytes(data)
        store = ChunkStore(store_path)
        with open(path, "rb") as src:
            out = b"".join(d for _, d in store.chunks(src)) + b"\x03\x00"
        store.save()
        return out, store.compressed

    out, compressed = deflate()
    assert zlib.decompress(out, -15) == data and compressed == 5
    data[CHUNK + 10] ^= 1
    out, compressed = deflate()
    assert zlib.decompress(out, -15) == data and compressed == 1
    store_path.write_bytes(b"\x00damaged")
    out, compressed = deflate()
    assert zlib.decompress(out, -15) == data and compressed == 5
    assert list(ChunkStore(None).chunks(io.BytesIO(b""))) == []


def test_an_unusable_cache_folder_means_a_fresh_write_not_a_failure(tmp_path):
    cards = [_card(i) for i in range(5)]
    blocker = tmp_path / "file"
    blocker.write_text("x")
    write_package(cards, "D", tmp_path / "a.apkg", keep=blocker / "keep", default_mtime=1_800_000_000)
    keep = tmp_path / "keep"
    (keep / "collection.anki2").mkdir(parents=True)  # not a file SQLite can open
    write_package(cards, "D", tmp_path / "b.apkg", keep=keep, default_mtime=1_800_000_000)
    write_package(cards, "D", tmp_path / "c.apkg", default_mtime=1_800_000_000)
    assert _rows(tmp_path / "a.apkg") == _rows(tmp_path / "b.apkg") == _rows(tmp_path / "c.apkg")
