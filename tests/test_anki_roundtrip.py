"""Decks as real Anki sees them: built, imported into a fresh headless collection, read back."""

from __future__ import annotations

from pathlib import Path

from anki_helpers import import_apkg, new_collection, notes_by_guid
from notes2anki.config import Config, resolve
from notes2anki.notetypes import BASIC
from notes2anki.pipeline import build
from notes2anki.topics import join_trail


def _build(tmp_path: Path, notes: list[Path] | None = None, deck: str | None = None, now: int = 1_800_000_000):
    settings, _ = resolve(Config(), notes=notes or [], deck=deck, out_dir=tmp_path / "decks")
    return build(settings, now=now)


def test_example_deck_imports_with_every_card_field_and_tag(tmp_path):
    result = _build(tmp_path)
    cards = result.extraction.cards
    assert len(cards) >= 10
    col = new_collection(tmp_path / "anki")
    try:
        log = import_apkg(col, result.output)
        assert log.new == len(cards) and log.conflicting == 0
        seen = notes_by_guid(col)
        assert set(seen) == {c.guid for c in cards}
        for card in cards:
            note = seen[card.guid]
            assert note["notetype"] == BASIC.name
            assert note["decks"] == ["notes2anki examples"]
            assert note["tags"] == list(card.tags)
            fields = note["fields"]
            assert fields["Front"] == card.front
            assert fields["Back"] == card.back
            assert fields["Context"] == join_trail(card.context)
            assert fields["Source"] == card.source
            assert fields["Kind"] == card.kind
        # Hierarchical topic tags, CJK kept, spaces turned into underscores.
        assert "notes2anki::AI_Infra_学习笔记::Inference_推理::大模型推理" in col.tags.all()
        # Anki renders the card from our templates: context above, answer below.
        some = next(c for c in cards if c.kind == "section")
        card = col.get_note(seen[some.guid]["id"]).cards()[0]
        assert some.front in card.question()
        assert some.back in card.answer() and some.source in card.answer()
    finally:
        col.close()


def test_importing_the_same_package_again_adds_nothing(tmp_path):
    result = _build(tmp_path)
    col = new_collection(tmp_path / "anki")
    try:
        import_apkg(col, result.output)
        count = col.note_count()
        log = import_apkg(col, result.output)
        assert log.new == 0 and log.updated == 0 and log.conflicting == 0
        assert col.note_count() == count
    finally:
        col.close()


def test_rebuilding_after_an_edit_updates_in_place(tmp_path, notes):
    root = notes({"n.md": "# T\n## KV Cache\nold answer\n"})
    first = _build(tmp_path, [root], deck="D", now=1_800_000_000)
    col = new_collection(tmp_path / "anki")
    try:
        import_apkg(col, first.output)
        (root / "n.md").write_text("# T\n## KV Cache\nnew answer\n", encoding="utf-8")
        second = _build(tmp_path, [root], deck="D", now=1_800_000_100)
        log = import_apkg(col, second.output)
        assert (log.new, log.updated) == (0, 1)
        (note,) = notes_by_guid(col).values()
        assert "new answer" in note["fields"]["Back"]
    finally:
        col.close()
