"""Diagram cards, case by case (tests/fixtures/diagram_cards.yaml)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from notes2anki.document import parse_document
from notes2anki.extractors import ExtractOptions, extract
from notes2anki.sources import FileRef, SourceFile

CASES = yaml.safe_load((Path(__file__).parent / "fixtures" / "diagram_cards.yaml").read_text(encoding="utf-8"))


def extract_note(text: str, **options):
    doc = parse_document(SourceFile(FileRef(Path("/n/note.md"), "note.md", ()), text, "0"))
    return extract(doc, ExtractOptions(deck="Test", **options))[:2]


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_diagram_cards(case):
    cards, diags = extract_note(case["note"])
    got = [c for c in cards if c.kind.startswith("diagram-")]
    assert [(c.kind, c.question, c.answer) for c in got] == [
        (e["kind"], e["question"], e["answer"]) for e in case["cards"]]
    for card, e in zip(got, case["cards"]):
        if "context" in e:
            assert list(card.context) == e["context"]
    if "warning_line" in case:
        assert [(d.line, d.code) for d in diags] == [(case["warning_line"], "diagram-syntax")]
    else:
        assert diags == []


def test_cards_carry_the_diagram_source_and_node_tags():
    cards, _ = extract_note(CASES[0]["note"])
    vllm = next(c for c in cards if c.question == "vLLM 属于？")
    assert "<details" in vllm.extra and "LLMInfer --&gt; vLLM" in vllm.extra
    assert vllm.tags == ("notes2anki::AI_笔记::思维导图::AI_Infra::推理框架::大模型推理::vLLM",)
    assert vllm.line == 9


def test_rules_can_be_switched_off():
    cards, _ = extract_note(CASES[0]["note"], disabled_rules=frozenset({"diagram.parent"}))
    assert {c.kind for c in cards if c.kind.startswith("diagram")} == {"diagram-children"}


def test_wording_follows_config():
    cards, _ = extract_note(CASES[0]["note"], language="en", wording={"diagram-parent.en": "Where does {node} sit?"})
    assert "Where does vLLM sit?" in {c.question for c in cards}


def test_section_with_only_a_diagram_makes_diagram_cards_but_no_section_card():
    cards, _ = extract_note(CASES[0]["note"])
    assert not [c for c in cards if c.kind == "section"]
