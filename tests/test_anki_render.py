"""Cards as real Anki renders them: math for MathJax, highlighted code, safe HTML, images that resolve."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from anki_helpers import import_apkg, new_collection, notes_by_guid
from notes2anki.config import Config, resolve
from notes2anki.pipeline import build

NOTE = """\
# 渲染 Rendering

## Math 数学
Inline $\\frac{a_1}{b_2} * c$, LaTeX style \\(x^2\\), prices $5 and $10, $HOME stays.

$$
\\text{中文} = \\sum_{i=1}^{n} x_i
$$

## Code 代码
```python
def f(x):
    return x * 2  # 注释
```

## HTML
<details><summary>展开 more</summary>

| a | b |
|---|---|
| 1 | 2 |

</details>

<script>alert('boom')</script>
<iframe src="https://evil.example/"></iframe>
<a href="javascript:alert(1)">bad link</a> <a href="https://ok.example/">good link</a>
<img src="pic.png" onerror="alert(2)"> line<br>break

## Parent with `<i>` tag
### Child
text
"""


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    """Every card's question and answer as Anki renders them, by question."""
    tmp = tmp_path_factory.mktemp("render")
    root = tmp / "notes"
    root.mkdir()
    (root / "r.md").write_text(NOTE, encoding="utf-8")
    (root / "pic.png").write_bytes(b"\x89PNG\r\n\x1a\npic")
    settings, _ = resolve(Config(), notes=[root], deck="Render", out_dir=tmp / "decks")
    # Module-scoped: runs before the per-test chdir, so keep the ledger in the temporary folder too.
    result = build(replace(settings, ledger_dir=tmp / "cards"), now=1_800_000_000)
    col = new_collection(tmp / "anki")
    try:
        import_apkg(col, result.output)
        seen = notes_by_guid(col)
        out = {}
        for card in result.extraction.cards:
            anki_card = col.get_note(seen[card.guid]["id"]).cards()[0]
            out[card.question] = (card, anki_card.question(), anki_card.answer(), Path(col.media.dir()))
        yield out
    finally:
        col.close()


def test_math_reaches_mathjax_delimiters_intact(rendered):
    _, _, answer, _ = rendered["Math 数学"]
    assert "\\(\\frac{a_1}{b_2} * c\\)" in answer
    assert "\\(x^2\\)" in answer
    assert "\\[\\text{中文} = \\sum_{i=1}^{n} x_i\\]" in answer
    assert "prices $5 and $10, $HOME stays." in answer
    assert "<em>" not in answer


def test_code_is_highlighted_with_classes(rendered):
    _, _, answer, _ = rendered["Code 代码"]
    assert '<pre class="n2a-code"><code class="language-python">' in answer
    assert '<span class="k">def</span>' in answer and '<span class="c1"># 注释</span>' in answer


def test_html_is_sanitised_but_formatting_is_kept(rendered):
    card, _, answer, media_dir = rendered["HTML"]
    body = answer.split('<div class="n2a-back">', 1)[1]
    for gone in ("<script", "alert", "<iframe", "evil.example", "javascript:", "onerror"):
        assert gone not in body
    for kept in ("<details><summary>展开 more</summary>", "<table>", "<td>1</td>", "line<br>break",
                 'href="https://ok.example/"'):
        assert kept in body
    (name, _), = card.media
    assert f'<img src="{name}">' in body
    assert (media_dir / name).is_file()


def test_context_and_source_are_text_not_markup(rendered):
    # The parent heading's `<i>` is code: in the context line it must show as text, not italicise.
    card, question, answer, _ = rendered["Child"]
    assert card.context[-1] == "Parent with <i> tag"
    assert '<div class="n2a-context">渲染 Rendering › Parent with &lt;i&gt; tag</div>' in question
    assert "<i>" not in question
    assert '<div class="n2a-source">r.md:31</div>' in answer
