"""The heading extractor, case by case (tests/fixtures/sections.yaml)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from notes2anki.document import parse_document
from notes2anki.extractors import ExtractOptions, extract
from notes2anki.sources import FileRef, SourceFile

CASES = yaml.safe_load((Path(__file__).parent / "fixtures" / "sections.yaml").read_text(encoding="utf-8"))


def cards_of(text: str, rel: str = "note.md"):
    doc = parse_document(SourceFile(FileRef(Path("/n") / rel, rel, ()), text, "0"))
    cards = extract(doc, ExtractOptions(deck="Test", disabled=frozenset())).cards
    return [c for c in cards if c.kind == "section"]


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_section_cards(case):
    cards = cards_of(case["note"], case.get("file", "note.md"))
    expected = case["cards"]
    assert [(c.question, list(c.context), c.line) for c in cards] == [
        (e["question"], e["context"], e["line"]) for e in expected]
    for card, e in zip(cards, expected):
        for text in e.get("back_has", []):
            assert text in card.back
        for text in e.get("back_lacks", []):
            assert text not in card.back


def test_section_card_is_tagged_with_its_full_trail():
    (card,) = cards_of("# AI 学习笔记\n## Inference 推理\n### 大模型推理\n两个阶段。\n")
    assert card.tags == ("notes2anki::AI_学习笔记::Inference_推理::大模型推理",)
