"""Cards in a terminal: Markdown laid out, CJK widths right, math as LaTeX source, never a raw HTML tag."""

from __future__ import annotations

import io
import re

import pytest
from quiz_helpers import card
from rich.console import Console

from notes2anki.quiz.items import items_for_card
from notes2anki.quiz.terminal import THEME, Screen, markdown, short_interval
from notes2anki.textwidth import width


def render(text: str, columns: int = 60, color: bool = False) -> str:
    out = io.StringIO()
    console = Console(file=out, width=columns, theme=THEME, highlight=False, force_terminal=color,
                      color_system="standard" if color else None)
    Screen(console).print(markdown(text))
    return out.getvalue()


def test_a_cjk_table_lines_up_by_display_width():
    out = render("| 框架 | 说明 |\n| --- | --- |\n| vLLM | 以 PagedAttention 为核心 |\n| 推理引擎 | 高吞吐 |")
    rows = [line for line in out.splitlines() if "说明" in line or "PagedAttention" in line or "高吞吐" in line]
    starts = {width(line[: line.index(word)]) for line, word in zip(rows, ("说明", "以", "高吞吐"))}
    assert len(rows) == 3 and len(starts) == 1, out


def test_long_mixed_text_wraps_within_the_width():
    out = render("每个 token 的 KV Cache 大小取决于层数、头数和每个头的维度，" * 4, columns=40)
    assert max(width(line) for line in out.splitlines()) <= 40


def test_math_is_shown_as_its_latex_source():
    out = render("大小为 $2 \\times n_{layers}$ 字节。\n\n$$\n\\text{KV} = 2 \\cdot L\n$$\n\n另有 \\(a_i\\)。")
    assert "$2 \\times n_{layers}$" in out
    assert "\\text{KV} = 2 \\cdot L" in out and "$$" in out
    assert "$a_i$" in out


def test_raw_html_never_shows_as_tags():
    out = render('第一行<br>第二行 <span class="x">内联</span>\n\n<div align="center">\n块 <b>级</b>\n</div>\n\n'
                 '<a name="anchor"></a>')
    assert not re.search(r"</?[a-z]", out), out
    assert "第一行\n第二行 内联" in out and "块 级" in out


def test_lists_code_and_definition_lists_are_laid_out():
    out = render("- 优点：简单\n- 缺点：显存\n\n```python\nx = 1\n```\n\nZeRO\n: 切分优化器状态\n")
    assert "• 优点：简单" in out and "• 缺点：显存" in out
    assert "x = 1" in out and "```" not in out
    assert "ZeRO" in out and "切分优化器状态" in out and ": 切分" not in out


def test_no_padding_and_no_leading_or_doubled_blank_lines():
    out = render("para\n\n- item\n\n| a | b |\n|---|---|\n| 1 | 2 |")
    lines = out.split("\n")
    assert lines[0] and all(line == line.rstrip() for line in lines)
    assert "\n\n\n" not in out


def test_a_cloze_blank_is_styled_and_its_answer_revealed():
    c = card("KV cache 保存 key。", "", kind="cloze", front="KV cache 保存 {{c1::key}}。", back="", cloze=True)
    [item] = items_for_card(c)
    assert render(item.question).strip() == "KV cache 保存 […]。"
    assert render(item.answer).strip() == "KV cache 保存 [key]。"
    coloured = render(item.answer, color=True)
    assert "\x1b[1;33m[key]" in coloured   # bold yellow


@pytest.mark.parametrize(("seconds", "label"), [
    (20, "<1m"), (60, "1m"), (330, "6m"), (600, "10m"), (7200, "2h"), (86400 * 3, "3d"),
    (86400 * 45, "1.5mo"), (86400 * 500, "1.4y"),
])
def test_short_interval_labels_like_anki(seconds, label):
    from datetime import timedelta
    assert short_interval(timedelta(seconds=seconds)) == label
