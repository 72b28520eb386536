"""Scope: topics by heading trail or tag prefix (CJK, any case, without the root), kinds, near misses."""

from __future__ import annotations

import pytest
from quiz_helpers import card

from notes2anki.quiz.items import items_for
from notes2anki.quiz.scope import Scope, card_matches, split_query, suggest, top_topics, topic

ROOT = "AI Infra 学习笔记"
CARDS = [
    card("数据并行 Data Parallelism", context=(ROOT, "Training 训练")),
    card("ZeRO", context=(ROOT, "Training 训练")),
    card("大模型推理", context=(ROOT, "Inference 推理")),
    card("KV Cache 显存估算", context=(ROOT, "Inference 推理", "大模型推理")),
    card("vLLM → ？", "- PagedAttention", kind="diagram-children", context=(ROOT, "思维导图 Mind Map", "推理框架")),
    card("什么是 KVM？", kind="definition", context=("虚拟化",)),
]
ITEMS = items_for(CARDS)


def selected(*topics: str, kinds: tuple[str, ...] = ()) -> list[str]:
    return [i.card.question for i in Scope(topics, kinds).select(ITEMS)]


@pytest.mark.parametrize(("query", "expected"), [
    ("Inference 推理", ["大模型推理", "KV Cache 显存估算"]),
    ("inference", ["大模型推理", "KV Cache 显存估算"]),          # one word of a level, any case
    ("推理", ["大模型推理", "KV Cache 显存估算", "vLLM → ？"]),   # CJK inside a level
    ("ai infra 学习笔记 › training 训练", ["数据并行 Data Parallelism", "ZeRO"]),
    ("AI_Infra_学习笔记::Training_训练", ["数据并行 Data Parallelism", "ZeRO"]),  # tag form
    ("notes2anki::AI_Infra_学习笔记::Inference_推理::大模型推理",
     ["大模型推理", "KV Cache 显存估算"]),
    ("Training > ZeRO", ["ZeRO"]),                               # a heading card is under its own heading
    ("ＺＥＲＯ", ["ZeRO"]),                                        # full-width letters
    ("kv", ["KV Cache 显存估算"]),                                # whole words: not "KVM"
    ("PagedAttention", ["vLLM → ？"]),                            # a diagram node named in the answer
    ("推理框架", ["vLLM → ？"]),                                    # a diagram node on the trail
    ("Trainin", []),
])
def test_topic_matching(query, expected):
    assert selected(query) == expected


def test_several_topics_are_a_union_and_kinds_narrow_it():
    assert selected("ZeRO", "虚拟化") == ["ZeRO", "什么是 KVM？"]
    assert selected("ZeRO", "虚拟化", kinds=("definition",)) == ["什么是 KVM？"]
    assert selected(kinds=("diagram-children",)) == ["vLLM → ？"]
    assert len(selected()) == len(CARDS)


def test_split_query_accepts_the_separators_people_type():
    assert split_query(" A  ›B:: c_d > E ") == ["a", "b", "c d", "e"]
    assert split_query("TCP/IP") == ["tcp/ip"]
    assert card_matches(CARDS[0], "  ")


def test_describe_names_the_scope():
    assert Scope(("推理",), ("section",)).describe() == "topic '推理', kind section"
    assert Scope().describe() == "all cards"


def test_suggestions_for_a_typo_name_the_nearest_topics():
    assert suggest(ITEMS, "Infernce")[0] == f"{ROOT} › Inference 推理"
    assert suggest(ITEMS, "训炼")[0] == f"{ROOT} › Training 训练"
    assert suggest(ITEMS, "zer0") == [f"{ROOT} › Training 训练 › ZeRO"]
    assert suggest(ITEMS, "qqqqqq") == []


def test_top_topics_lists_the_first_levels():
    assert top_topics(ITEMS)[:3] == [ROOT, f"{ROOT} › Training 训练", f"{ROOT} › Inference 推理"]


def test_topic_of_a_card_falls_back_to_its_heading_or_file():
    assert topic(CARDS[3]) == (ROOT, "Inference 推理", "大模型推理")
    assert topic(card("Title", context=())) == ("Title",)
    assert topic(card("Q?", kind="question", context=(), path="dir/note.md")) == ("dir/note",)
