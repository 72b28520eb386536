"""The definition extractor, case by case (tests/fixtures/definitions.yaml), and its switches."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from extract_helpers import cards_of, check
from notes2anki.extractors import rule_names

CASES = yaml.safe_load((Path(__file__).parent / "fixtures" / "definitions.yaml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_definition_cards(case):
    check(cards_of(case["note"], "definition"), case["cards"])


def test_every_rule_can_be_switched_off():
    note = "# T\n| 术语 | 说明 |\n| --- | --- |\n| QP | 队列对 |\n\n- **KV Cache**：缓存 key 和 value。\n"
    assert [c.question for c in cards_of(note, "definition")] == ["QP", "KV Cache"]
    only_bold = cards_of(note, "definition", disabled_rules=frozenset({"definition.table"}))
    assert [c.question for c in only_bold] == ["KV Cache"]
    assert "definition.table" in rule_names() and "definition.copula" in rule_names()


def test_dash_rule_switches_off_dashes_only():
    note = "# T\n- `a_b` — 一个参数。\n- `c_d`：另一个参数。\n"
    cards = cards_of(note, "definition", disabled_rules=frozenset({"definition.dash"}))
    assert [c.question for c in cards] == ["c_d"]


def test_wording_follows_the_note_and_the_config():
    zh = cards_of("# 网络\n- RoCE：在以太网上承载 RDMA 的协议。\n", "definition")
    assert zh[0].front == "什么是 RoCE？"
    en = cards_of("# Networks\n- RoCE: RDMA carried over Ethernet networks.\n", "definition")
    assert en[0].front == "What is RoCE?"
    fixed = cards_of("# 网络\n- RoCE：在以太网上承载 RDMA 的协议。\n", "definition", language="en")
    assert fixed[0].front == "What is RoCE?"
    custom = cards_of("# 网络\n- RoCE：在以太网上承载 RDMA 的协议。\n", "definition",
                      wording={"definition.zh": "解释 {term}"})
    assert custom[0].front == "解释 RoCE"


def test_identity_is_the_term_not_the_wording_or_the_answer():
    first = cards_of("# 网络\n- RoCE：在以太网上承载 RDMA 的协议。\n", "definition")[0]
    edited = cards_of("# 网络\n\n- RoCE：以太网上的 RDMA。\n", "definition", language="en")[0]
    assert first.guid == edited.guid
    assert first.answer == "在以太网上承载 RDMA 的协议。"


def test_a_claimed_line_makes_no_definition():
    cards = [c for c in cards_of("# T\nRoCE :: 以太网上的 RDMA 协议\n") if c.kind != "section"]
    assert [(c.kind, c.question) for c in cards] == [("definition", "RoCE")]
    assert cards[0].front == "RoCE"  # from the flashcard extractor, not "什么是 RoCE？"


NASTY = [
    "**" * 10000,
    "- " + "**a**：" * 2000,
    "a. " * 20000,
    "`a`, " * 5000 + ": def",
    "（" * 5000 + "：x",
    "所谓" * 5000,
    "“" * 5000 + "是",
    "$a$ 是" * 5000,
    "| a | b |\n|---|---|\n" + "| `x` | y |\n" * 2000,
    "Term\n: " + "def " * 5000,
    "- " * 200 + "x：y",
    "> " * 50 + "问：x？",
    "==a " * 5000 + "{{c1::" * 2000 + ":: " * 2000,
    "\x00\ufffc\u200b**：**\n:::\n==\n{{c}}",
    # Many clause starts in one long paragraph: each must cost its own sentence, not the paragraph.
    "X 是一种东西" + "".join(f"，而 `Y{i}` 是一个" for i in range(6000)),
    "".join(f"`Y{i}` 是一个东西。" for i in range(6000)),
    "".join(f"- **延迟低{i}**：a\n- 实现复杂：b\n\n" for i in range(1000)),
]


@pytest.mark.parametrize("text", NASTY, ids=range(len(NASTY)))
def test_odd_input_never_raises(text):
    for body in (text, f"# T\n{text}\n", f"# T\n- {text}\n"):
        cards_of(body)
