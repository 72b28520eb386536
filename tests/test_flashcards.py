"""Flashcard syntax (tests/fixtures/flashcards.yaml): ``::``, ``:::``, ``{{c1::}}`` and ``==x==``, through real Anki."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from anki_helpers import import_apkg, new_collection, notes_by_guid
from extract_helpers import cards_of, check
from notes2anki.config import Config, resolve
from notes2anki.notetypes import BASIC, CLOZE
from notes2anki.pipeline import build

CASES = yaml.safe_load((Path(__file__).parent / "fixtures" / "flashcards.yaml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_flashcards(case):
    cards = [c for c in cards_of(case["note"]) if c.kind != "section"]
    assert [c.kind for c in cards] == [e["kind"] for e in case["cards"]]
    check(cards, case["cards"])


def test_cloze_identity_ignores_cloze_markup():
    highlighted = cards_of("# T\nThe ==prefill== phase reads the prompt.\n", "cloze")[0]
    explicit = cards_of("# T\nThe {{c1::prefill::hint}} phase reads the prompt.\n", "cloze")[0]
    assert highlighted.guid == explicit.guid


def test_rules_switch_off_by_name():
    note = "# T\nA :: B\n\nC ::: D\n\nThe ==x== value.\n\nThe {{c1::y}} value.\n"
    assert len([c for c in cards_of(note) if c.kind != "section"]) == 4
    off = frozenset({"flashcard.inline", "flashcard.reversed", "flashcard.highlight", "flashcard.cloze"})
    assert [c for c in cards_of(note, disabled_rules=off) if c.kind in ("cloze", "definition")] == []


def test_cloze_and_reverse_cards_survive_a_round_trip_through_anki(tmp_path, notes):
    root = notes({"n.md": "# T\nPagedAttention ::: 把 KV cache 分块存放\n\n"
                          "The ==prefill== phase reads the prompt; ==decode== emits tokens.\n"})
    settings, _ = resolve(Config(), notes=[root], deck="D", out_dir=tmp_path / "decks")
    result = build(settings, now=1_800_000_000)
    by_kind = {c.kind: c for c in result.extraction.cards}
    col = new_collection(tmp_path / "anki")
    try:
        import_apkg(col, result.output)
        seen = notes_by_guid(col)
        cloze = seen[by_kind["cloze"].guid]
        assert cloze["notetype"] == CLOZE.name
        assert cloze["fields"]["Text"] == by_kind["cloze"].front
        assert cloze["cards"] == 2  # one card per cloze number
        reverse = seen[by_kind["definition"].guid]
        assert reverse["notetype"] == BASIC.name and reverse["fields"]["Reverse"] == "y"
        assert reverse["cards"] == 2  # forward and reverse
    finally:
        col.close()
