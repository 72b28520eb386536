"""Run the extractors over a note written in a test, and compare cards with fixture expectations."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from notes2anki.cards import Card
from notes2anki.document import parse_document
from notes2anki.extractors import ExtractOptions, extract
from notes2anki.sources import FileRef, SourceFile


def cards_of(text: str, kind: str | None = None, rel: str = "note.md", **options: Any) -> list[Card]:
    doc = parse_document(SourceFile(FileRef(Path("/n") / rel, rel, ()), text, "0"))
    cards = extract(doc, ExtractOptions(deck="Test", **options)).cards
    return [c for c in cards if kind is None or c.kind == kind]


def check(cards: list[Card], expected: list[dict[str, Any]]) -> None:
    """Cards match ``expected`` in order: question and line always, the rest when given."""
    assert [(c.question, c.line) for c in cards] == [(e["question"], e["line"]) for e in expected]
    for card, e in zip(cards, expected):
        if "front" in e:
            assert card.front == e["front"]
        if "context" in e:
            assert list(card.context) == e["context"]
        for text in e.get("back_has", []):
            assert text in card.back, (text, card.back)
        for text in e.get("back_lacks", []):
            assert text not in card.back, (text, card.back)
        for key in ("reverse", "cloze"):
            if key in e:
                assert getattr(card, key) is e[key]
