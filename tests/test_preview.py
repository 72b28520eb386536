"""The preview page: cards rendered as Anki renders them, media beside the page, the command."""

from __future__ import annotations

import html
from pathlib import Path

import pytest
from click.testing import CliRunner

from anki_helpers import import_apkg, new_collection, notes_by_guid
from notes2anki.card_html import cloze_numbers, render_card, render_cloze
from notes2anki.cards import Card
from notes2anki.cli import cli
from notes2anki.config import Config, resolve
from notes2anki.notetypes import CSS
from notes2anki.package import write_package
from notes2anki.pipeline import extract_cards
from notes2anki.preview import media_folder, preview_page, write_preview


def _card(guid: str, **kw) -> Card:
    base = dict(kind="section", guid=guid, question="Q", answer="A", front="Q", back="<p>A</p>",
                context=("T",), path="a.md", line=1, tags=("notes2anki::T",))
    base.update(kw)
    return Card(**base)


CARDS = [
    _card("g1", front="KV <b>Cache</b> &amp; co", back="<p>\\(x^2\\) <code>a</code></p>", context=("A", "B<c>")),
    _card("g2", reverse=True, back="<ul><li>one</li></ul>", extra="<details><summary>s</summary>x</details>"),
    _card("g3", context=(), tags=("notes2anki::removed", "notes2anki::T")),
    _card("g4", kind="cloze", cloze=True, front="The {{c1::capital::city}} of {{c2::France}} is {{c1::Paris}}",
          back="<p>extra</p>"),
    _card("g5", kind="cloze", cloze=True, front="Only {{c3::<b>bold</b>}} here", back=""),
    _card("g6", kind="cloze", cloze=True, front="{{c1::it's \"a\" &amp; b=c; 中文 é/ü\t}}", back="",
          context=("x", "y")),
]


def test_preview_renders_every_card_exactly_as_anki_does(tmp_path):
    write_package(CARDS, "P", tmp_path / "p.apkg", default_mtime=1_800_000_000)
    col = new_collection(tmp_path / "anki")
    try:
        import_apkg(col, tmp_path / "p.apkg")
        seen = notes_by_guid(col)
        for card in CARDS:
            ours = render_card(card)
            theirs = sorted(col.get_note(seen[card.guid]["id"]).cards(), key=lambda c: c.ord)
            assert len(ours) == len(theirs), card.guid
            for mine, anki in zip(ours, theirs):
                out = anki.render_output()
                assert mine.question == out.question_text, card.guid
                assert mine.answer == out.answer_text, card.guid
    finally:
        col.close()


def test_cloze_helpers():
    assert cloze_numbers("{{c2::a}} {{c1::b::h}} {{c2::c}} {{cx::d}} {{c::e}}") == [1, 2]
    assert render_cloze("a {{c1::b", 1, False) == "a {{c1::b"
    assert render_cloze("{{c1::x::hint}}", 1, False) == (
        '<span class="cloze" data-cloze="x" data-ordinal="1">[hint]</span>')


def test_preview_page_shows_front_back_css_and_filters():
    page = preview_page(CARDS, "My <Deck>")
    assert page.startswith("<!DOCTYPE html>")
    assert "<title>My &lt;Deck&gt; · notes2anki preview</title>" in page
    assert CSS in page
    assert page.count('<article class="pv-item"') == 1 + 2 + 1 + 2 + 1 + 1  # reverse adds one, clozes one each
    assert 'data-tags="notes2anki::removed notes2anki::T"' in page
    assert '<div class="card card1"><div class="n2a n2a-section"><div class="n2a-context">A › B&lt;c&gt;</div>' in page
    assert 'id="pv-q"' in page and "window.MathJax" in page
    assert "<base " not in page  # no media, no base


def test_preview_page_lists_problems_and_dark_mode():
    from notes2anki.diagnostics import warning

    page = preview_page(CARDS[:1], "D", diagnostics=[warning("a.md", 3, "image 'x.png' not found")], dark=True)
    assert "1 problem found while reading the notes" in page
    assert html.escape("a.md:3: warning: image 'x.png' not found") in page
    assert '<body class="nightMode night_mode" data-dark="on">' in page


def test_write_preview_copies_media_next_to_the_page(tmp_path):
    image = tmp_path / "x.png"
    image.write_bytes(b"png")
    card = _card("g9", back='<p><img src="n2a-0123456789abcdef.png"></p>',
                 media=(("n2a-0123456789abcdef.png", str(image)),))
    out = write_preview([card], "D", tmp_path / "out" / "my deck.preview.html")
    folder = media_folder(out)
    assert folder.name == "my deck.preview-media"
    assert (folder / "n2a-0123456789abcdef.png").read_bytes() == b"png"
    assert '<base href="my%20deck.preview-media/">' in out.read_text(encoding="utf-8")


def test_example_preview_has_every_card(tmp_path):
    settings, _ = resolve(Config())
    extraction = extract_cards(settings)
    out = write_preview(extraction.cards, settings.deck, tmp_path / "p.html")
    page = out.read_text(encoding="utf-8")
    expected = sum(len(render_card(c)) for c in extraction.cards)
    assert page.count('<article class="pv-item"') == expected
    assert '<pre class="n2a-code"><code class="language-python">' in page


@pytest.mark.parametrize("args", [[], ["--dark"], ["--light", "--deck", "X"]])
def test_preview_command_writes_the_page(tmp_path, notes, chdir, args):
    root = notes({"n.md": "# T\n## A\n![x](x.png)\n", "x.png": b"png"})
    result = CliRunner().invoke(cli, ["preview", str(root), *args])
    assert result.exit_code == 0, result.output
    deck = "X" if "X" in args else "notes"
    page = Path("decks") / f"{deck}.preview.html"
    assert f"Wrote {page}" in result.output
    assert page.is_file() and any(media_folder(page).iterdir())


def test_preview_command_reports_problems_and_rejects_a_bad_out(tmp_path, notes, chdir):
    root = notes({"n.md": "# T\n## A\n![x](gone.png)\n"})
    result = CliRunner().invoke(cli, ["preview", str(root), "--out", "p.html"])
    assert result.exit_code == 0
    assert "n.md:3: warning: image 'gone.png' not found" in result.output
    assert CliRunner().invoke(cli, ["preview", str(root), "--out", "p.txt"]).exit_code == 2


def test_preview_command_help():
    result = CliRunner().invoke(cli, ["preview", "--help"])
    assert result.exit_code == 0
    for option in ("--out", "--open", "--dark", "--mathjax", "--deck", "--config"):
        assert option in result.output
