"""Generated questions follow the note's language; config can override any template."""

from __future__ import annotations

import pytest

from notes2anki.wording import language_of, phrase


@pytest.mark.parametrize(("text", "language"), [
    ("PagedAttention 把 KV cache 分成固定大小的块", "zh"),
    ("大模型推理分为 prefill 和 decode 两个阶段", "zh"),
    ("PagedAttention stores the KV cache in fixed-size blocks", "en"),
    ("Serving LLMs: the 调度 scheduler decides which requests run each step", "en"),
    ("", "en"),
])
def test_language_of(text, language):
    assert language_of(text) == language


def test_phrase_uses_overrides_and_survives_broken_ones():
    assert phrase("definition", "zh", term="KV Cache") == "什么是 KV Cache？"
    assert phrase("definition", "en", {"definition.en": "Define {term}."}, term="RoCE") == "Define RoCE."
    assert phrase("definition", "en", {"definition.en": "Define {trem}."}, term="RoCE") == "What is RoCE?"
