"""The question extractor, case by case (tests/fixtures/questions.yaml), and its switches."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from extract_helpers import cards_of, check
from notes2anki.extractors.questions import is_question_text

CASES = yaml.safe_load((Path(__file__).parent / "fixtures" / "questions.yaml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_question_cards(case):
    check(cards_of(case["note"], "question"), case["cards"])


def test_a_question_heading_is_not_also_a_section_card():
    cards = cards_of("# OS\n## What is a page fault?\nA trap raised on access to an unmapped page.\n")
    assert [c.kind for c in cards] == ["question"]


def test_rules_switch_off_by_name():
    note = "# FAQ\n## 为什么要分块？\n为了减少碎片。\n\nQ: Why pin memory?\nA: So DMA can copy it.\n"
    assert [c.line for c in cards_of(note, "question")] == [2, 5]
    no_headings = cards_of(note, disabled_rules=frozenset({"question.heading"}))
    assert [(c.kind, c.line) for c in no_headings] == [("question", 5), ("section", 2)]
    assert cards_of(note, "question", disabled_rules=frozenset({"question.pair", "question.heading"})) == []


def test_identity_is_the_question_not_the_answer():
    first = cards_of("# T\n## Why pin memory?\nSo DMA can copy it.\n", "question")[0]
    edited = cards_of("# T\n## Why pin memory?\nBecause pages must not move.\n", "question")[0]
    assert first.guid == edited.guid and first.answer != edited.answer


@pytest.mark.parametrize(("text", "asks"), [
    ("什么是 KV Cache", True), ("为什么要有MW", True), ("推理时都有哪些步骤", True), ("Why is it slow?", True),
    ("What is NCCL", True), ("How does a ring all-reduce work", True),
    ("How NCCL Works", False), ("How to build", False), ("什么都不做", False), ("KV Cache 显存估算", False),
])
def test_is_question_text(text, asks):
    assert is_question_text(text) is asks
