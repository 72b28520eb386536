"""Markdown to field HTML: math, code, sanitised HTML (tests/fixtures/render.yaml), diagram helpers."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
import yaml

from notes2anki.highlight import MAX_HIGHLIGHTED, code_block_html, language_of
from notes2anki.markdown import parse
from notes2anki.render import render_blocks, render_markdown
from notes2anki.render_diagram import EdgeView, diagram_context_html, diagram_source_html, neighbourhood_html
from notes2anki.sanitize import clean_html

CASES = yaml.safe_load((Path(__file__).parent / "fixtures" / "render.yaml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_render(case):
    out = render_markdown(case["md"])
    for text in case.get("has", []):
        assert text in out, out
    for text in case.get("lacks", []):
        assert text.lower() not in out.lower(), out


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_cleaning_is_idempotent(case):
    out = render_markdown(case["md"])
    assert clean_html(out) == out


def test_render_blocks_and_markdown_agree():
    text = "# T\n\n$x$ and `y`\n\n```python\npass\n```\n"
    assert render_blocks(parse(text)) == render_markdown(text)


def test_math_tokens_come_from_both_spellings():
    kinds = [t.type for t in parse("\\[\nx\n\\]\n\n$$\ny\n$$\n")]
    assert kinds == ["math_block", "math_block"]


@pytest.mark.parametrize("text", [
    "\\[ x \\] trailing",  # closer not at the end: a paragraph, the inline rule takes the math
    "\\[\nx\n\\] trailing",
])
def test_bracket_block_needs_the_closer_at_a_line_end(text):
    assert parse(text)[0].type == "paragraph_open"


@pytest.mark.parametrize("text", [
    "$" * 10_000,
    "\\(" * 10_000,
    "\\( " * 10_000 + "\\)",
    "\\[\n" * 10_000,
    "\\[\n" * 5_000 + "x \\] y\n",
    "- a\n  \\[\n" * 3_000,
    "![[" * 10_000,
    "![[" + "a" * 1_000_000,
    "a \\(b " * 100_000,
])
def test_pathological_input_renders_fast(text):
    start = time.perf_counter()
    render_markdown(text)
    assert time.perf_counter() - start < 5


def test_language_of_fence_info():
    assert language_of("python title='x'") == "python"
    assert language_of("{.cpp}") == "cpp"
    assert language_of("") == ""
    assert language_of("<script>") == ""


def test_huge_code_is_not_highlighted():
    code = "x = 1\n" * (MAX_HIGHLIGHTED // 6 + 1)
    assert "<span" not in code_block_html(code, "python")


# -- diagram helpers ------------------------------------------------------------------------------


def test_diagram_context_is_an_ordered_path_with_the_node_marked():
    out = diagram_context_html(["AI Infra", "推理框架", "vLLM"])
    assert out == ('<ol class="n2a-path"><li>AI Infra</li><li>推理框架</li>'
                   '<li class="n2a-here">vLLM</li></ol>')
    assert diagram_context_html(["A", "B", "C"], highlight="B").count("n2a-here") == 1
    assert diagram_context_html([]) == ""


def test_neighbourhood_marks_the_edge_and_hides_the_answer():
    asked = EdgeView("NVCC", "Device JIT", ".ptx")
    out = neighbourhood_html([EdgeView(".cu", "NVCC"), asked, EdgeView("Device JIT", "GPU", "SASS")],
                             highlight=asked, hidden="Device JIT")
    assert out.startswith('<ul class="n2a-edges">')
    assert out.count("<li") == 3
    assert '<li class="n2a-here-edge"><span class="n2a-here">NVCC</span>' in out
    assert "Device JIT" not in out and out.count('<span class="n2a-blank">?</span>') == 2
    assert '<span class="n2a-edge-label">.ptx</span>' in out
    assert neighbourhood_html([]) == ""


def test_diagram_source_is_collapsed_and_escaped():
    out = diagram_source_html("graph TD\nA[<b>x</b>] --> B\n", summary="图源码")
    assert out.startswith('<details class="n2a-diagram-source"><summary>图源码</summary>')
    assert "A[&lt;b&gt;x&lt;/b&gt;] --&gt; B" in out
    assert "<details open" not in out


def test_diagram_helpers_escape_labels_and_survive_the_sanitiser():
    pieces = [
        diagram_context_html(["<script>alert(1)</script>", "b"]),
        neighbourhood_html([EdgeView("<img src=x onerror=alert(1)>", "b", "<i>l</i>")]),
        diagram_source_html("<script>"),
    ]
    for piece in pieces:
        assert "<script" not in piece and "<img" not in piece and "<i>" not in piece
        assert clean_html(piece) == piece
