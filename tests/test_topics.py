"""Headings become topics, and topics become Anki tags."""

from __future__ import annotations

import pytest

from notes2anki.markdown import parse
from notes2anki.topics import clean_topic, inline_text, make_tag, tag_component


@pytest.mark.parametrize(("heading", "topic"), [
    ("1.2 什么是 KV Cache", "什么是 KV Cache"),
    ("1.2.3. Deep", "Deep"),
    ("06.Deploy", "Deploy"),
    ("五、Training 训练", "Training 训练"),
    ("（一）概述", "概述"),
    ("(3) Results", "Results"),
    ("第二章 推理", "推理"),
    ("Chapter 4: Memory", "Memory"),
    ("1 Introduction", "Introduction"),
    ("IV. Results", "Results"),
    ("🚀 Quick start ✅", "Quick start"),
    ("HPC 高性能计算", "HPC 高性能计算"),
    ("3D Parallelism", "3D Parallelism"),
    ("2.5D layout", "2.5D layout"),
    ("1.5x faster decode", "1.5x faster decode"),
    ("100 个问题", "100 个问题"),
    ("Overview {#overview}", "Overview"),
    ("Notes:", "Notes"),
    ("2.", "2."),
    ("🚀", "🚀"),
])
def test_clean_topic(heading, topic):
    assert clean_topic(heading) == topic


def test_inline_text_drops_formatting_links_and_anchors():
    tokens = parse('## <a name="x"></a>[CUDA](https://nvidia.com) **编程** `nvcc` $O(n)$\n')
    assert inline_text(tokens[1]) == "CUDA 编程 nvcc $O(n)$"


@pytest.mark.parametrize(("topic", "component"), [
    ("Inference 推理", "Inference_推理"),
    ("AI  学习笔记", "AI_学习笔记"),
    ("key: value", "key_value"),
    ("a::b", "a_b"),
    ('say "hi"', "say_hi"),
    ("全角\u3000空格", "全角_空格"),
    ("zero\u200bwidth", "zerowidth"),
    ("Llama.cpp", "Llama.cpp"),
])
def test_tag_component(topic, component):
    assert tag_component(topic) == component


def test_make_tag_joins_levels_and_drops_empty_ones():
    assert make_tag("notes2anki", ["AI 学习笔记", "", "Inference 推理", "大模型推理"]) == (
        "notes2anki::AI_学习笔记::Inference_推理::大模型推理")
