"""The fast paths must give exactly what the slow ones give: cache, parallel workers, watch, skipped writes."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import pytest

import notes2anki.cache as cache_module
from notes2anki.config import Config, resolve
from notes2anki.pipeline import PARALLEL_MIN_BYTES, build, extract_cards
from notes2anki.watch import rebuilds

sys.path.insert(0, str(Path(__file__).parent.parent / "benchmarks"))
import vault


def settings_for(root: Path, tmp_path: Path, **kw):
    settings, _ = resolve(Config(), notes=[root], deck="D")
    return replace(settings, out_dir=tmp_path / "decks", ledger_dir=tmp_path / "cards",
                   cache_dir=tmp_path / "cache", **kw)


def test_second_build_reads_nothing_again_and_gives_the_same_cards(tmp_path, notes):
    root = notes({"a.md": "# A\n## S\nbody\n", "b.md": "# B\n## T\nmore\n"})
    s = settings_for(root, tmp_path)
    first = extract_cards(s)
    second = extract_cards(s)
    assert (first.cached, second.cached) == (0, 2)
    assert second.cards == first.cards and second.diagnostics == first.diagnostics


def test_an_edited_note_is_read_again(tmp_path, notes):
    root = notes({"a.md": "# A\n## S\nbody\n", "b.md": "# B\n## T\nmore\n"})
    s = settings_for(root, tmp_path)
    extract_cards(s)
    (root / "a.md").write_text("# A\n## S\nnew body\n", encoding="utf-8")
    again = extract_cards(s)
    assert again.cached == 1
    assert "new body" in next(c.back for c in again.cards if c.question == "S")


def test_touched_but_unchanged_note_is_not_read_again(tmp_path, notes):
    root = notes({"a.md": "# A\n## S\nbody\n"})
    s = settings_for(root, tmp_path)
    extract_cards(s)
    os.utime(root / "a.md", (1, 1))
    assert extract_cards(s).cached == 1


def test_code_or_settings_changes_void_the_cache(tmp_path, notes, monkeypatch):
    root = notes({"a.md": "# A\n## S\nbody\n"})
    s = settings_for(root, tmp_path)
    extract_cards(s)
    assert extract_cards(replace(s, language="en")).cached == 0, "other settings, other results"
    monkeypatch.setattr(cache_module, "code_digest", lambda: "another version")
    assert extract_cards(s).cached == 0


def test_a_changed_image_voids_the_notes_entry(tmp_path, notes):
    root = notes({"a.md": "# A\n## S\n![x](x.png)\n", "x.png": b"\x89PNG one"})
    s = settings_for(root, tmp_path)
    first = extract_cards(s)
    (root / "x.png").write_bytes(b"\x89PNG two, longer")
    second = extract_cards(s)
    assert second.cached == 0
    assert first.cards[0].media != second.cards[0].media


@pytest.mark.parametrize("where", ["x.png", "deep/er/x.png"], ids=["beside the note", "found by name"])
def test_a_missing_image_is_looked_for_again(tmp_path, notes, where):
    root = notes({"a.md": "# A\n## S\n![x](x.png)\n", "b.md": "# B\n## T\n![[x.png]]\n", "c.md": "# C\n## U\nno\n"})
    s = settings_for(root, tmp_path)
    first = extract_cards(s)
    assert sum(d.code == "image-missing" for d in first.diagnostics) == 2
    again = extract_cards(s)
    assert again.cached == 3, "notes whose images are still missing are not read again"
    assert again.diagnostics == first.diagnostics
    (root / where).parent.mkdir(parents=True, exist_ok=True)
    (root / where).write_bytes(b"\x89PNG now here")
    fixed = extract_cards(s)
    assert fixed.cached == 1, "notes whose missing image turned up are read again"
    assert not any(d.code == "image-missing" for d in fixed.diagnostics)
    assert all(card.media for card in fixed.cards if card.path != "c.md")


def test_a_damaged_cache_is_a_cold_build_not_a_crash(tmp_path, notes):
    root = notes({"a.md": "# A\n## S\nbody\n"})
    s = settings_for(root, tmp_path)
    extract_cards(s)
    for f in (tmp_path / "cache").rglob("*.cache"):
        f.write_bytes(b"\x00garbage")
    again = extract_cards(s)
    assert again.cached == 0 and again.cards


def test_parallel_and_serial_builds_write_the_same_bytes(tmp_path):
    root = tmp_path / "vault"
    vault.generate(root, 80, seed=3)
    assert sum(p.stat().st_size for p in root.rglob("*.md")) > PARALLEL_MIN_BYTES, "enough for workers to start"
    serial = build(replace(settings_for(root, tmp_path / "s"), jobs=1, cache_dir=None), now=1_800_000_000)
    parallel = build(replace(settings_for(root, tmp_path / "p"), jobs=2, cache_dir=None), now=1_800_000_000)
    assert serial.output.read_bytes() == parallel.output.read_bytes()
    assert serial.extraction.cards == parallel.extraction.cards


def test_an_unchanged_deck_is_not_rewritten(tmp_path, notes):
    root = notes({"a.md": "# A\n## S\nbody\n"})
    s = settings_for(root, tmp_path)
    build(s, now=1_800_000_000)
    os.utime(s.out_path, (1, 1))
    build(s, now=1_800_000_100)
    assert s.out_path.stat().st_mtime == 1, "same bytes: not written again"
    (root / "a.md").write_text("# A\n## S\nchanged\n", encoding="utf-8")
    build(s, now=1_800_000_200)
    assert s.out_path.stat().st_mtime > 1


def test_watch_rebuilds_on_relevant_changes_only(tmp_path, notes):
    root = notes({"a.md": "# A\n## S\nbody\n"})
    s = settings_for(root, tmp_path)

    def changes():
        (root / "a.md").write_text("# A\n## S\nedited\n", encoding="utf-8")
        yield {str(root / "a.md")}
        yield {str(root / "notes.txt"), str(root / ".hidden" / "x.md")}
        (root / "b.md").write_text("# B\n## New\nfresh\n", encoding="utf-8")
        yield {str(root / "b.md")}

    results = list(rebuilds(s, changes(), on_error=pytest.fail))
    assert len(results) == 3, "the first build, then one per relevant batch"
    reports = [{(c.what, c.question) for c in r.changes} for r in results]
    assert [r.incremental for r in results] == [False, True, True]
    assert reports[1] == {("updated", "S")}
    assert reports[2] == {("added", "New")}


@pytest.mark.skipif(sys.platform == "win32", reason="watch test uses POSIX signals")
def test_watch_command_shows_a_new_deck_after_a_save(tmp_path, notes):
    root = notes({"a.md": "# A\n## S\nbody\n"})
    log = tmp_path / "watch.log"
    env = {**os.environ, "NOTES2ANKI_CACHE_DIR": str(tmp_path / "cache")}
    with open(log, "w") as fh:
        proc = subprocess.Popen([sys.executable, "-m", "notes2anki", "watch", str(root), "--out",
                                 str(tmp_path / "d.apkg")], cwd=tmp_path, stdout=fh, stderr=subprocess.STDOUT, env=env)
    try:
        deadline = time.time() + 30
        while log.read_text(encoding="utf-8").count("→") < 1 and time.time() < deadline:
            time.sleep(0.05)
        time.sleep(0.5)
        (root / "a.md").write_text("# A\n## S\nsaved again\n## T\nnew\n", encoding="utf-8")
        deadline = time.time() + 30
        while log.read_text(encoding="utf-8").count("→") < 2 and time.time() < deadline:
            time.sleep(0.05)
        text = log.read_text(encoding="utf-8")
        assert text.count("→") >= 2, text
        assert "added" in text and "T" in text
    finally:
        proc.terminate()
        proc.wait(10)
