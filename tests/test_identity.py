"""A card's GUID changes only when its meaning does."""

from __future__ import annotations

from pathlib import Path

from notes2anki.document import parse_document
from notes2anki.extractors import ExtractOptions, extract
from notes2anki.identity import card_guid, deck_id
from notes2anki.sources import FileRef, SourceFile


def _guids(text: str, rel: str = "a.md", deck: str = "D") -> dict[str, str]:
    doc = parse_document(SourceFile(FileRef(Path("/n") / rel, rel, ()), text, "0"))
    cards = extract(doc, ExtractOptions(deck=deck)).cards
    return {c.question: c.guid for c in cards}


NOTE = "# T\n## KV Cache\nCaches keys.\n## Other\nx\n"


def test_editing_the_answer_keeps_the_guid():
    assert _guids(NOTE)["KV Cache"] == _guids(NOTE.replace("Caches keys.", "Caches keys and values."))["KV Cache"]


def test_moving_lines_or_renaming_the_file_keeps_the_guid():
    moved = "\n\n\n# T\n## Other\nx\n## KV Cache\nCaches keys.\n"
    assert _guids(NOTE)["KV Cache"] == _guids(moved, rel="renamed.md")["KV Cache"]


def test_whitespace_and_unicode_normalisation_keep_the_guid():
    decomposed = "Cafe\u0301"
    assert card_guid("D", "section", ["T"], "Café  x") == card_guid("D", "section", ["T"], f"{decomposed} x")


def test_same_heading_under_different_parents_are_different_cards():
    guids = _guids("# T\n## A\n### Overview\nx\n## B\n### Overview\ny\n")
    assert len(set(guids.values())) == len(guids)
    assert card_guid("D", "section", ["T", "A"], "Overview") != card_guid("D", "section", ["T", "B"], "Overview")


def test_kind_and_deck_are_part_of_identity():
    assert card_guid("D", "section", ["T"], "Q") != card_guid("D", "question", ["T"], "Q")
    assert card_guid("D", "section", ["T"], "Q") != card_guid("E", "section", ["T"], "Q")


def test_deck_id_is_fixed_per_name_and_in_range():
    assert deck_id("AI Notes") == deck_id("AI Notes")
    assert deck_id("AI Notes") != deck_id("AI notes 2")
    assert 1 << 30 <= deck_id("x") < 1 << 31
