"""A static HTML page of every card, front and back, for checking a deck before importing.

Each card is rendered from the note type's own templates and CSS
(``card_html.py``, ``notetypes.py``), so the page shows what Anki will show:
math typeset by MathJax, highlighted code, packed images (copied next to the
page), in light or dark mode. A search box filters by text, ``tag:…`` or
``kind:…``; clicking a tag filters by it. The page's small script is for the
page only — cards themselves never contain scripts.
"""

from __future__ import annotations

import html
import json
import shutil
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import quote

from .card_html import RenderedCard, render_card
from .cards import Card
from .diagnostics import Diagnostic, error
from .errors import OutputError
from .notetypes import CSS
from .render import html_to_text

DEFAULT_MATHJAX = "https://cdn.jsdelivr.net/npm/mathjax@3/es5/tex-chtml.js"
"""MathJax 3, as Anki uses; any MathJax 2 or 3 build works (``--mathjax``)."""

_PAGE_CSS = """\
body { margin: 0; background: #eef1f5; color: #1f2328; color-scheme: light;
  font: 15px/1.5 -apple-system, BlinkMacSystemFont, "Segoe UI", Helvetica, Arial, "PingFang SC",
    "Noto Sans CJK SC", "Microsoft YaHei", sans-serif; }
body.nightMode { background: #111317; color: #e6edf3; color-scheme: dark; }
.pv-top { position: sticky; top: 0; z-index: 2; display: flex; flex-wrap: wrap; align-items: center;
  gap: 0.5em 1em; padding: 0.75em 1.4em; background: rgba(255, 255, 255, 0.94); border-bottom: 1px solid #d1d9e0; }
.nightMode .pv-top { background: rgba(24, 26, 31, 0.94); border-color: #30363d; }
.pv-title { font-size: 1.15em; font-weight: 650; }
.pv-count { color: #59636e; font-size: 0.9em; }
.nightMode .pv-count, .nightMode .pv-meta, .nightMode .pv-diags { color: #9aa4b1; }
.pv-search { flex: 1 1 18em; max-width: 34em; padding: 0.45em 0.75em; border: 1px solid #d1d9e0; border-radius: 8px;
  font: inherit; color: inherit; background: #ffffff; }
.nightMode .pv-search { background: #0d1117; border-color: #3a414b; }
.pv-button { font: inherit; font-size: 0.9em; padding: 0.4em 0.8em; border-radius: 8px; cursor: pointer;
  border: 1px solid #d1d9e0; background: #f6f8fa; color: inherit; }
.nightMode .pv-button { background: #21262d; border-color: #3a414b; }
.pv-chips { display: flex; flex-wrap: wrap; gap: 0.4em; max-width: 1500px; margin: 0 auto; padding: 0.9em 1.4em 0; }
.pv-chip { font: inherit; font-size: 0.8em; padding: 0.15em 0.75em; border-radius: 999px; cursor: pointer;
  border: 1px solid #d1d9e0; background: #ffffff; color: inherit; }
.nightMode .pv-chip { background: #1d1f23; border-color: #3a414b; }
.pv-chip span { color: #818b98; margin-left: 0.35em; }
.pv-diags { max-width: 1500px; margin: 0 auto; padding: 0.8em 1.4em 0; font-size: 0.85em; color: #59636e; }
.pv-diags ul { margin: 0.4em 0; padding-left: 1.2em; font-family: ui-monospace, Menlo, Consolas, monospace; }
.pv-list { display: grid; gap: 1.1em; max-width: 1500px; margin: 0 auto; padding: 1em 1.4em 3em; }
.pv-item { background: #ffffff; border: 1px solid #d1d9e0; border-radius: 12px; overflow: hidden;
  box-shadow: 0 1px 2px rgba(31, 35, 40, 0.06); }
.nightMode .pv-item { background: #1d1f23; border-color: #30363d; box-shadow: none; }
.pv-item[hidden] { display: none; }
.pv-meta { display: flex; flex-wrap: wrap; align-items: center; gap: 0.3em 0.9em; padding: 0.5em 1em;
  font-size: 0.78em; color: #59636e; border-bottom: 1px solid #d1d9e0; }
.nightMode .pv-meta { border-color: #30363d; }
.pv-kind { font-weight: 650; color: #0969da; background: #ddf4ff; border-radius: 5px; padding: 0.05em 0.5em; }
.nightMode .pv-kind { color: #79c0ff; background: #102a44; }
.pv-source { font-family: ui-monospace, Menlo, Consolas, monospace; }
.pv-tag { font: inherit; color: inherit; background: none; border: none; padding: 0; cursor: pointer;
  text-decoration: underline dotted; text-align: left; }
.pv-sides { display: grid; grid-template-columns: minmax(0, 2fr) minmax(0, 3fr); }
.pv-side { min-width: 0; }
.pv-side + .pv-side { border-left: 1px solid #d1d9e0; }
.nightMode .pv-side + .pv-side { border-color: #30363d; }
.pv-label { margin: 0.7em 1.2em 0; font-size: 0.68em; font-weight: 650; letter-spacing: 0.08em;
  text-transform: uppercase; color: #818b98; }
.pv-side > .card { background: transparent; }
.pv-empty { padding: 2em; text-align: center; color: #818b98; }
@media (max-width: 820px) {
  .pv-sides { grid-template-columns: 1fr; }
  .pv-side + .pv-side { border-left: none; border-top: 1px solid #d1d9e0; }
  .pv-top, .pv-list, .pv-chips, .pv-diags { padding-left: 0.7em; padding-right: 0.7em; }
}
"""

_SCRIPT = """\
(function () {
  var q = document.getElementById("pv-q"), count = document.getElementById("pv-count");
  var items = Array.prototype.slice.call(document.querySelectorAll(".pv-item"));
  var empty = document.getElementById("pv-empty");
  function tagMatch(tags, want) {
    var star = want.slice(-1) === "*", stem = star ? want.slice(0, -1) : want;
    return tags.some(function (t) {
      return star ? t.indexOf(stem) === 0 : t === stem || t.indexOf(stem + "::") === 0;
    });
  }
  function apply() {
    var terms = q.value.toLowerCase().split(/\\s+/).filter(Boolean), shown = 0;
    items.forEach(function (item) {
      var tags = item.getAttribute("data-tags").toLowerCase().split(" ");
      var kind = item.getAttribute("data-kind"), text = item.getAttribute("data-text");
      var ok = terms.every(function (t) {
        if (t.indexOf("tag:") === 0) { return tagMatch(tags, t.slice(4)); }
        if (t.indexOf("kind:") === 0) { return kind.indexOf(t.slice(5)) === 0; }
        return text.indexOf(t) !== -1 || tags.some(function (g) { return g.indexOf(t) !== -1; });
      });
      item.hidden = !ok;
      if (ok) { shown += 1; }
    });
    var total = items.length + (items.length === 1 ? " card" : " cards");
    count.textContent = shown === items.length ? total : shown + " of " + total;
    empty.hidden = shown !== 0;
  }
  function setDark(on) {
    document.body.classList.toggle("nightMode", on);
    document.body.classList.toggle("night_mode", on);
  }
  q.addEventListener("input", apply);
  document.addEventListener("click", function (e) {
    var el = e.target.closest ? e.target.closest("[data-tag]") : null;
    if (el) { q.value = "tag:" + el.getAttribute("data-tag"); apply(); window.scrollTo(0, 0); }
  });
  document.getElementById("pv-dark").addEventListener("click", function () {
    setDark(!document.body.classList.contains("nightMode"));
  });
  var hash = decodeURIComponent(location.hash.slice(1));
  if (hash === "dark" || hash === "light") { setDark(hash === "dark"); }
  else if (document.body.getAttribute("data-dark") === "auto" && window.matchMedia) {
    setDark(window.matchMedia("(prefers-color-scheme: dark)").matches);
  }
  var qs = new URLSearchParams(location.search).get("q");
  if (qs) { q.value = qs; }
  apply();
})();
"""


def _attr(value: str) -> str:
    return html.escape(value, quote=True)


def _topic_chips(cards: Sequence[Card], depth: int = 2) -> str:
    """One chip per topic (tags cut to ``depth`` levels), with how many cards it files."""
    counts: Counter[str] = Counter()
    for card in cards:
        for tag in {"::".join(t.split("::")[:depth]) for t in card.tags}:
            counts[tag] += 1
    chips = [f'<button class="pv-chip" data-tag="{_attr(tag)}" title="tag:{_attr(tag)}">'
             f'{html.escape(tag.split("::")[-1].replace("_", " "))}<span>{n}</span></button>'
             for tag, n in sorted(counts.items())]
    return f'<nav class="pv-chips">{"".join(chips)}</nav>' if len(chips) > 1 else ""


def _item(card: Card, side: RenderedCard) -> str:
    text = " ".join(html_to_text(x) for x in (card.front, card.back, " ".join(card.context), card.source))
    tags = "".join(f'<button class="pv-tag" data-tag="{_attr(t)}">{html.escape(t)}</button>' for t in card.tags)
    template = f"<span>{html.escape(side.template)}</span>" if side.template not in ("Card 1", "Cloze") else ""
    if card.cloze:
        template = f"<span>c{side.ordinal}</span>"
    return (
        f'<article class="pv-item" data-kind="{_attr(card.kind)}" data-tags="{_attr(" ".join(card.tags))}" '
        f'data-text="{_attr(text.lower())}">'
        f'<header class="pv-meta"><span class="pv-kind">{html.escape(card.kind)}</span>{template}'
        f'<span class="pv-source">{html.escape(card.source)}</span>{tags}</header>'
        '<div class="pv-sides">'
        f'<section class="pv-side"><h3 class="pv-label">Front</h3><div class="card card{side.ordinal}">'
        f"{side.question}</div></section>"
        f'<section class="pv-side"><h3 class="pv-label">Back</h3><div class="card card{side.ordinal}">'
        f"{side.answer}</div></section>"
        "</div></article>"
    )


def _diagnostics(diagnostics: Sequence[Diagnostic]) -> str:
    if not diagnostics:
        return ""
    rows = "".join(f"<li>{html.escape(d.format())}</li>"
                   for d in sorted(diagnostics, key=lambda d: (d.path, d.line or 0)))
    n = len(diagnostics)
    return (f'<details class="pv-diags"><summary>{n} problem{"s" if n != 1 else ""} found while reading the notes'
            f"</summary><ul>{rows}</ul></details>")


def preview_page(cards: Sequence[Card], deck: str, *, diagnostics: Sequence[Diagnostic] = (),
                 media_href: str = "", mathjax: str = DEFAULT_MATHJAX, dark: bool | None = None) -> str:
    """The whole preview page as one HTML string.

    ``media_href`` is the folder (relative URL, ending in ``/``) the cards'
    media files are in; ``dark`` starts the page in dark (``True``) or light
    (``False``) mode, or follows the system (``None``). ``#dark``/``#light``
    in the page's address override it.
    """
    items = [_item(card, side) for card in cards for side in render_card(card)]
    base = f'<base href="{_attr(media_href)}">' if media_href else ""
    mathjax_config = json.dumps({"tex": {"inlineMath": [["\\(", "\\)"]], "displayMath": [["\\[", "\\]"]]}})
    body_class = ' class="nightMode night_mode"' if dark else ""
    data_dark = "auto" if dark is None else ("on" if dark else "off")
    title = html.escape(deck)
    count = f"{len(items)} card" + ("s" if len(items) != 1 else "")
    return (
        "<!DOCTYPE html>\n"
        '<html lang="zh-Hans"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{title} · notes2anki preview</title>{base}"
        f"<style>\n{_PAGE_CSS}</style>\n<style>\n{CSS}</style>\n"
        f"<script>window.MathJax = {mathjax_config};</script>\n"
        f'<script async src="{_attr(mathjax)}"></script>\n'
        f'</head><body{body_class} data-dark="{data_dark}">'
        '<header class="pv-top">'
        f'<div class="pv-title">{title}</div><div class="pv-count" id="pv-count">{count}</div>'
        '<input class="pv-search" id="pv-q" type="search" placeholder="Search text, tag:topic or kind:section" '
        'aria-label="Filter cards">'
        '<button class="pv-button" id="pv-dark" type="button">Light / dark</button>'
        "</header>"
        f"{_topic_chips(cards)}{_diagnostics(diagnostics)}"
        f'<main class="pv-list">{"".join(items)}'
        '<p class="pv-empty" id="pv-empty" hidden>No card matches.</p></main>'
        f"<script>\n{_SCRIPT}</script>\n</body></html>\n"
    )


def media_folder(out: Path) -> Path:
    """Where the media of the preview page ``out`` are copied: ``<page name>-media/`` next to it."""
    return out.with_name(out.stem + "-media")


def write_preview(cards: Sequence[Card], deck: str, out: Path, *, diagnostics: Sequence[Diagnostic] = (),
                  mathjax: str = DEFAULT_MATHJAX, dark: bool | None = None) -> Path:
    """Write the preview page to ``out``, with the cards' media copied beside it; returns ``out``.

    Raises :class:`OutputError` if the page or its media cannot be written.
    """
    media = {name: Path(path) for card in cards for name, path in card.media}
    href = quote(media_folder(out).name) + "/" if media else ""
    page = preview_page(cards, deck, diagnostics=diagnostics, media_href=href, mathjax=mathjax, dark=dark)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        if media:
            folder = media_folder(out)
            folder.mkdir(exist_ok=True)
            for name, path in sorted(media.items()):
                target = folder / name
                if not target.exists():  # names are content hashes: an existing file is the same file
                    shutil.copyfile(path, target)
        out.write_text(page, encoding="utf-8")
    except OSError as exc:
        raise OutputError([error(str(out), None, f"cannot write the preview: {exc.strerror or exc}",
                                 "check the output folder exists and is writable", "output-unwritable")]) from None
    return out
