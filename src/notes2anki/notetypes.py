"""The Anki note types notes2anki writes: ids, fields, templates and CSS.

Field lists are a compatibility promise. Anki refuses to update notes whose
note type gained or lost a field, so once released the lists below never
change (a test pins them). Templates and CSS may evolve: Anki takes the new
ones when the note type's modification time increases, so ``MTIME`` must be
raised whenever they change (a test compares ``TEMPLATE_DIGEST``).
"""

from __future__ import annotations

import hashlib
import html
from dataclasses import dataclass

from .cards import Card
from .topics import join_trail

BASIC_ID = 1_738_405_231
CLOZE_ID = 1_738_405_232

BASIC_FIELDS = ("Front", "Back", "Context", "Source", "Extra", "Kind", "Reverse")
CLOZE_FIELDS = ("Text", "Back", "Context", "Source", "Extra", "Kind")

RELEASES: tuple[tuple[str, int], ...] = (
    ("991147a85e958b04", 1_795_600_000),
    ("7a91dfb1a0fcd313", 1_795_700_000),  # code colours, dark mode variables, phone layout, diagram styles
    ("4e0b640df57b6154", 1_795_800_000),  # callouts, footnotes
)
"""Each released look of the note types: (template digest, modification time).

When templates or CSS change, append the new :func:`template_digest` with a
later time, so Anki replaces the old templates on import (a test checks it)."""

MTIME = RELEASES[-1][1]


@dataclass(frozen=True)
class Template:
    name: str
    qfmt: str
    afmt: str


@dataclass(frozen=True)
class NoteType:
    id: int
    name: str
    fields: tuple[str, ...]
    templates: tuple[Template, ...]
    css: str
    cloze: bool = False


_CONTEXT = '{{#Context}}<div class="n2a-context">{{Context}}</div>{{/Context}}'
_SOURCE = '{{#Source}}<div class="n2a-source">{{Source}}</div>{{/Source}}'
_EXTRA = '{{#Extra}}<div class="n2a-extra">{{Extra}}</div>{{/Extra}}'
_REMOVED = '<div class="n2a-tags" data-tags="{{Tags}}"></div>'

_DARK = ".card.nightMode, .nightMode .card, .card.night_mode, .night_mode .card"
"""Anki desktop and AnkiMobile mark night mode with ``nightMode``, AnkiDroid with ``night_mode``."""

# Code token classes written by Pygments (see highlight.py), grouped by colour.
_HL_GROUPS = {
    "comment": "c ch cm cp cpf c1 cs",
    "keyword": "k kc kd kn kp kr kt ow",
    "string": "s sa sb sc dl sd s2 se sh si sx sr s1 ss",
    "number": "m mb mf mh mi mo il",
    "name": "nf fm nc nn ne nd",
    "builtin": "nb bp nv vc vg vi vm no",
    "tag": "nt",
    "attr": "na",
}
_HL = "\n".join(
    ", ".join(f".n2a-code .{c}" for c in classes.split()) + f" {{ color: var(--n2a-hl-{group}); }}"
    for group, classes in _HL_GROUPS.items()
)

CSS = f"""\
.card {{
  --n2a-fg: #1f2328; --n2a-bg: #ffffff; --n2a-muted: #59636e; --n2a-faint: #818b98;
  --n2a-border: #d1d9e0; --n2a-soft: #f6f8fa; --n2a-accent: #0969da; --n2a-mark: #fff1b8;
  --n2a-danger: #cf222e;
  --n2a-hl-comment: #6e7781; --n2a-hl-keyword: #cf222e; --n2a-hl-string: #0a3069; --n2a-hl-number: #0550ae;
  --n2a-hl-name: #8250df; --n2a-hl-builtin: #953800; --n2a-hl-tag: #116329; --n2a-hl-attr: #0550ae;
  --n2a-hl-del: #82071e; --n2a-hl-del-bg: #ffebe9; --n2a-hl-ins: #116329; --n2a-hl-ins-bg: #dafbe1;
  font-family: -apple-system, BlinkMacSystemFont, "Segoe UI", "Helvetica Neue", Helvetica, Arial,
    "PingFang SC", "Hiragino Sans GB", "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei",
    "WenQuanYi Micro Hei", sans-serif;
  font-size: 19px; line-height: 1.65; text-align: left; color: var(--n2a-fg); background-color: var(--n2a-bg);
  max-width: 40em; margin: 0 auto; padding: 0.9em 1.1em 1.6em;
  overflow-wrap: break-word; -webkit-text-size-adjust: 100%; text-size-adjust: 100%;
}}
{_DARK} {{
  --n2a-fg: #e6edf3; --n2a-bg: #1d1f23; --n2a-muted: #9aa4b1; --n2a-faint: #7d8794;
  --n2a-border: #3a414b; --n2a-soft: #272b31; --n2a-accent: #58a6ff; --n2a-mark: #5c4a12;
  --n2a-danger: #ff7b72;
  --n2a-hl-comment: #8b949e; --n2a-hl-keyword: #ff7b72; --n2a-hl-string: #a5d6ff; --n2a-hl-number: #79c0ff;
  --n2a-hl-name: #d2a8ff; --n2a-hl-builtin: #ffa657; --n2a-hl-tag: #7ee787; --n2a-hl-attr: #79c0ff;
  --n2a-hl-del: #ffa198; --n2a-hl-del-bg: #490202; --n2a-hl-ins: #aff5b4; --n2a-hl-ins-bg: #033a16;
}}
.n2a-context {{ font-size: 0.74em; line-height: 1.4; color: var(--n2a-muted); margin-bottom: 0.55em; }}
.n2a-front {{ font-size: 1.18em; font-weight: 600; line-height: 1.45; }}
.n2a hr#answer {{ border: none; border-top: 1px solid var(--n2a-border); margin: 0.9em 0 0.7em; }}
.n2a-source {{
  font-size: 0.68em; color: var(--n2a-faint); margin-top: 1.6em;
  font-family: ui-monospace, "SF Mono", SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace;
}}
.n2a-extra {{ margin-top: 1em; font-size: 0.9em; }}
.n2a-tags[data-tags*="notes2anki::removed"]::before {{
  content: "This card was removed from the notes. Find all such cards with tag:notes2anki::removed";
  display: block; color: var(--n2a-danger); font-size: 0.8em; margin-top: 1em;
}}
.n2a p {{ margin: 0.45em 0; }}
.n2a ul, .n2a ol {{ margin: 0.45em 0; padding-left: 1.4em; }}
.n2a li {{ margin: 0.18em 0; }}
.n2a li > p {{ margin: 0.2em 0; }}
.n2a h1, .n2a h2, .n2a h3, .n2a h4, .n2a h5, .n2a h6 {{ font-size: 1.05em; margin: 0.9em 0 0.3em; }}
.n2a a {{ color: var(--n2a-accent); text-decoration: none; }}
.n2a a:hover {{ text-decoration: underline; }}
.n2a strong, .n2a b {{ font-weight: 650; }}
.n2a mark {{ background: var(--n2a-mark); color: inherit; padding: 0 0.15em; border-radius: 3px; }}
.n2a blockquote {{
  margin: 0.6em 0; padding: 0.1em 0.9em; border-left: 0.25em solid var(--n2a-border); color: var(--n2a-muted);
}}
.n2a blockquote.callout {{
  color: inherit; background: var(--n2a-soft); border-left-color: var(--n2a-accent); border-radius: 0 6px 6px 0;
}}
.n2a blockquote.callout-warning, .n2a blockquote.callout-caution, .n2a blockquote.callout-danger,
.n2a blockquote.callout-error, .n2a blockquote.callout-bug, .n2a blockquote.callout-failure {{
  border-left-color: var(--n2a-danger);
}}
.n2a .callout-title {{ font-weight: 600; }}
.n2a sup.footnote-ref {{ font-size: 0.7em; color: var(--n2a-muted); }}
.n2a .footnotes {{
  margin-top: 0.9em; padding-top: 0.3em; border-top: 1px solid var(--n2a-border); font-size: 0.85em;
  color: var(--n2a-muted);
}}
.n2a .footnote {{ margin: 0.2em 0; }}
.n2a dt {{ font-weight: 600; margin-top: 0.4em; }}
.n2a dd {{ margin: 0.1em 0 0.3em 1.2em; }}
.n2a hr {{ border: none; border-top: 1px solid var(--n2a-border); }}
.n2a table {{
  display: block; max-width: 100%; overflow-x: auto; border-collapse: collapse; margin: 0.6em 0;
  font-size: 0.9em; line-height: 1.5; -webkit-overflow-scrolling: touch;
}}
.n2a th, .n2a td {{ border: 1px solid var(--n2a-border); padding: 0.3em 0.7em; vertical-align: top; }}
.n2a th {{ background: var(--n2a-soft); font-weight: 600; text-align: left; }}
.n2a code, .n2a kbd, .n2a samp {{
  font-family: ui-monospace, "SF Mono", SFMono-Regular, Menlo, Consolas, "Liberation Mono", "Noto Sans Mono CJK SC",
    monospace;
  font-size: 0.86em; background: var(--n2a-soft); padding: 0.1em 0.35em; border-radius: 4px;
}}
.n2a pre {{
  background: var(--n2a-soft); border: 1px solid var(--n2a-border); border-radius: 6px; margin: 0.6em 0;
  padding: 0.7em 0.9em; overflow-x: auto; white-space: pre; line-height: 1.5; font-size: 0.84em;
  -webkit-overflow-scrolling: touch;
}}
.n2a pre code {{ background: none; padding: 0; border-radius: 0; font-size: 1em; }}
{_HL}
.n2a-code .gd {{ color: var(--n2a-hl-del); background: var(--n2a-hl-del-bg); }}
.n2a-code .gi {{ color: var(--n2a-hl-ins); background: var(--n2a-hl-ins-bg); }}
.n2a-code .gh, .n2a-code .gu, .n2a-code .gs {{ font-weight: 600; }}
.n2a-code .ge, .n2a-code .c, .n2a-code .c1, .n2a-code .cm, .n2a-code .sd {{ font-style: italic; }}
.n2a-code .err, .n2a-code .gr, .n2a-code .gt {{ color: var(--n2a-danger); }}
.n2a img {{ max-width: 100%; height: auto; border-radius: 4px; }}
.nightMode .n2a img, .night_mode .n2a img {{ background: #f6f8fa; }}
.n2a .math {{ overflow-x: auto; overflow-y: hidden; margin: 0.5em 0; }}
.n2a details {{ margin: 0.6em 0; }}
.n2a summary {{ cursor: pointer; color: var(--n2a-muted); font-size: 0.85em; }}
.n2a details[open] > summary {{ margin-bottom: 0.3em; }}
.n2a .cloze {{ font-weight: 650; color: var(--n2a-accent); }}
.n2a-hint {{ font-size: 0.64em; font-weight: 400; color: var(--n2a-muted); margin-top: 0.3em; }}
.n2a-path {{ list-style: none; padding: 0; margin: 0.3em 0; font-size: 0.9em; }}
.n2a-path li {{ display: inline; margin: 0; }}
.n2a-path li + li::before {{ content: "\\2192"; color: var(--n2a-faint); margin: 0 0.4em; }}
.n2a-here {{ background: var(--n2a-mark); border-radius: 4px; padding: 0.05em 0.3em; font-weight: 600; }}
.n2a-edges {{ list-style: none; padding: 0; margin: 0.3em 0; font-size: 0.9em; }}
.n2a-edges li {{ margin: 0.15em 0; }}
.n2a-edge-label {{ color: var(--n2a-muted); font-size: 0.88em; }}
.n2a-arrow {{ color: var(--n2a-faint); margin: 0 0.3em; }}
.n2a-blank {{
  display: inline-block; min-width: 2.2em; text-align: center; color: var(--n2a-accent);
  border-bottom: 2px solid var(--n2a-accent); line-height: 1.2;
}}
@media (max-width: 600px) {{
  .card {{ font-size: 17px; padding: 0.6em 0.8em 1.3em; }}
  .n2a pre {{ font-size: 0.8em; padding: 0.6em 0.7em; }}
  .n2a table {{ font-size: 0.86em; }}
}}
"""

BASIC = NoteType(
    BASIC_ID,
    "notes2anki Basic",
    BASIC_FIELDS,
    (
        Template(
            "Card 1",
            f'<div class="n2a n2a-{{{{Kind}}}}">{_CONTEXT}<div class="n2a-front">{{{{Front}}}}</div></div>',
            f'<div class="n2a n2a-{{{{Kind}}}}">{_CONTEXT}<div class="n2a-front">{{{{Front}}}}</div>'
            f'<hr id="answer"><div class="n2a-back">{{{{Back}}}}</div>{_EXTRA}{_SOURCE}{_REMOVED}</div>',
        ),
        Template(
            "Reverse",
            f'{{{{#Reverse}}}}<div class="n2a n2a-{{{{Kind}}}}">{_CONTEXT}'
            f'<div class="n2a-front">{{{{Back}}}}</div></div>{{{{/Reverse}}}}',
            f'<div class="n2a n2a-{{{{Kind}}}}">{_CONTEXT}<div class="n2a-front">{{{{Back}}}}</div>'
            f'<hr id="answer"><div class="n2a-back">{{{{Front}}}}</div>{_SOURCE}{_REMOVED}</div>',
        ),
    ),
    CSS,
)

CLOZE = NoteType(
    CLOZE_ID,
    "notes2anki Cloze",
    CLOZE_FIELDS,
    (
        Template(
            "Cloze",
            f'<div class="n2a n2a-{{{{Kind}}}}">{_CONTEXT}<div class="n2a-front">{{{{cloze:Text}}}}</div></div>',
            f'<div class="n2a n2a-{{{{Kind}}}}">{_CONTEXT}<div class="n2a-front">{{{{cloze:Text}}}}</div>'
            f'{{{{#Back}}}}<hr id="answer"><div class="n2a-back">{{{{Back}}}}</div>{{{{/Back}}}}'
            f"{_EXTRA}{_SOURCE}{_REMOVED}</div>",
        ),
    ),
    CSS,
    cloze=True,
)


def template_digest() -> str:
    """Hash of every template and the CSS: a test checks ``MTIME`` moves when this does."""
    h = hashlib.sha256()
    for nt in (BASIC, CLOZE):
        for t in nt.templates:
            h.update(f"{nt.name}\x1f{t.name}\x1f{t.qfmt}\x1f{t.afmt}\x1e".encode())
        h.update(nt.css.encode())
    return h.hexdigest()[:16]


def note_type_of(card: Card) -> NoteType:
    """The note type a card goes on."""
    return CLOZE if card.cloze else BASIC


def note_fields(card: Card) -> dict[str, str]:
    """The card's fields by name, in the note type's order, exactly as they go into Anki.

    Every field is HTML to Anki. ``Front``/``Back``/``Extra`` are already safe
    HTML (sanitised when rendered); the context trail and the source are plain
    text, so they are escaped here: a heading like ``解析 `<details>` 标签`` or a
    file named ``<b>.md`` must show as written, not become markup.
    """
    context = html.escape(join_trail(card.context), quote=False)
    source = html.escape(card.source, quote=False)
    values = [card.front, card.back, context, source, card.extra, card.kind]
    if not card.cloze:
        values.append("y" if card.reverse else "")
    return dict(zip(note_type_of(card).fields, values))
