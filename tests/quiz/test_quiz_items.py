"""Items: what the quiz asks of each card (front, reverse, each cloze), and HTML fields back to Markdown."""

from __future__ import annotations

import pytest
from quiz_helpers import card

from notes2anki.quiz.htmltext import escape_markdown, html_to_markdown
from notes2anki.quiz.items import CLOZE_CLOSE, CLOZE_OPEN, blank, cloze_numbers, items_for_card, reveal


def test_a_basic_card_is_one_item_keyed_by_its_guid():
    c = card("What is ZeRO?", "切分 **优化器状态**")
    [item] = items_for_card(c)
    assert item.key == (c.guid, "")
    assert item.question == "What is ZeRO?"
    assert item.answer == "切分 **优化器状态**"


def test_the_question_is_the_front_anki_shows_not_the_bare_term():
    c = card("micro-batch", "更小的批次", kind="definition", front="什么是 micro-batch？")
    [item] = items_for_card(c)
    assert item.question == "什么是 micro-batch？"
    assert item.label == "什么是 micro-batch？"


def test_a_hint_under_the_question_is_shown_but_not_in_the_label():
    c = card("AI Infra → ？", "- a\n- b", kind="diagram-children",
             front='AI Infra → ？<div class="n2a-hint">按图中顺序，共 2 项</div>')
    [item] = items_for_card(c)
    assert "按图中顺序" in item.question
    assert item.label == "AI Infra → ？"


def test_a_reversible_card_is_also_asked_backwards():
    c = card("Tensor Parallelism", "splits each layer across GPUs", kind="definition", reverse=True)
    _, backward = items_for_card(c)
    assert backward.key == (c.guid, "reverse")
    assert backward.question == "splits each layer across GPUs"
    assert backward.answer == "Tensor Parallelism"
    assert backward.label.endswith("(reverse)")


def test_a_cloze_note_is_one_item_per_cloze_number():
    front = "KV cache 保存 {{c1::key 和 value::两样东西}}，占用 {{c2::<strong>显存</strong>}}。"
    c = card("KV cache 保存 key 和 value，占用 显存。", "", kind="cloze", front=front, back="", cloze=True)
    c1, c2 = items_for_card(c)
    assert (c1.ord, c2.ord) == ("c1", "c2")
    assert c1.question == f"KV cache 保存 {CLOZE_OPEN}&#91;两样东西&#93;{CLOZE_CLOSE}，占用 **显存**。"
    assert c1.answer == f"KV cache 保存 {CLOZE_OPEN}&#91;key 和 value&#93;{CLOZE_CLOSE}，占用 **显存**。"
    assert c2.question == f"KV cache 保存 key 和 value，占用 {CLOZE_OPEN}&#91;…&#93;{CLOZE_CLOSE}。"
    assert c1.label == c.question


def test_cloze_helpers_follow_anki():
    text = "{{c1::a}} {{c2::b::hint}} {{c1::c}}"
    assert cloze_numbers(text) == [1, 2]
    assert blank(text, 1) == f"{CLOZE_OPEN}&#91;…&#93;{CLOZE_CLOSE} b {CLOZE_OPEN}&#91;…&#93;{CLOZE_CLOSE}"
    assert reveal(text, 2) == f"a {CLOZE_OPEN}&#91;b&#93;{CLOZE_CLOSE} c"


def test_a_cloze_card_without_markup_falls_back_to_question_and_answer():
    [item] = items_for_card(card("plain", "text", kind="cloze", cloze=True))
    assert item.ord == "" and item.answer == "text"


def test_extra_is_shown_without_what_anki_keeps_folded():
    c = card("Q", "A", extra='<details><summary>Mermaid</summary><pre><code>graph TD</code></pre></details>'
                              "<p>see also <b>B</b></p>")
    [item] = items_for_card(c)
    assert item.extra == "see also **B**"


def test_an_answer_only_in_html_is_converted():
    [item] = items_for_card(card("Q", "", back="<ul><li>one</li><li>two <code>x</code></li></ul>"))
    assert item.answer == "- one\n- two `x`"


@pytest.mark.parametrize(("html", "markdown"), [
    ("a<br>b", "a\nb"),
    ("<p>x</p><p>y</p>", "x\n\ny"),
    ("<ol><li>one</li><li>two</li></ol>", "1. one\n2. two"),
    ("面积 \\(a^2\\) 与 \\[b\\]", "面积 $a^2$ 与 $$b$$"),
    ("<pre><code class=\"language-python\">x = 1\n</code></pre>", "```python\nx = 1\n```"),
    ("<table><tr><th>框架</th><th>说明</th></tr><tr><td>vLLM</td><td>引擎</td></tr></table>",
     "| 框架 | 说明 |\n|---|---|\n| vLLM | 引擎 |"),
    ("<em>a</em> &amp; <s>b</s> <span class=x>c</span>", "*a* \\& ~~b~~ c"),
    ("<script>alert(1)</script>safe", "safe"),
    ("", ""),
])
def test_html_to_markdown(html, markdown):
    assert html_to_markdown(html) == markdown


def test_escape_markdown_keeps_text_literal_but_math_as_math():
    assert escape_markdown("a_b *c* [1] $x$") == "a\\_b \\*c\\* &#91;1&#93; $x$"
    assert escape_markdown("1. not a list\n- nor this") == "1\\. not a list\n\\- nor this"
