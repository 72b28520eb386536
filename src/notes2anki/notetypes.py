"""The Anki note types notes2anki writes: ids, fields, templates and CSS.

Field lists are a compatibility promise. Anki refuses to update notes whose
note type gained or lost a field, so once released the lists below never
change (a test pins them). Templates and CSS may evolve: Anki takes the new
ones when the note type's modification time increases, so ``MTIME`` must be
raised whenever they change (a test compares ``TEMPLATE_DIGEST``).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

BASIC_ID = 1_738_405_231
CLOZE_ID = 1_738_405_232

BASIC_FIELDS = ("Front", "Back", "Context", "Source", "Extra", "Kind", "Reverse")
CLOZE_FIELDS = ("Text", "Back", "Context", "Source", "Extra", "Kind")

RELEASES: tuple[tuple[str, int], ...] = (
    ("991147a85e958b04", 1_795_600_000),
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


_CONTEXT = '<div class="n2a-context">{{Context}}</div>'
_SOURCE = '<div class="n2a-source">{{Source}}</div>'
_EXTRA = '{{#Extra}}<div class="n2a-extra">{{Extra}}</div>{{/Extra}}'
_REMOVED = '<div class="n2a-tags" data-tags="{{Tags}}"></div>'

CSS = """\
.card {
  font-family: -apple-system, "Segoe UI", "Helvetica Neue", Arial, "PingFang SC", "Hiragino Sans GB",
    "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC", sans-serif;
  font-size: 18px; line-height: 1.6; text-align: left; color: #1f2328; background: #ffffff;
  max-width: 46em; margin: 0 auto; padding: 0 0.6em; word-wrap: break-word; overflow-wrap: anywhere;
}
.nightMode.card, .night_mode .card { color: #e6edf3; background: #1e1e1e; }
.n2a-context { font-size: 0.72em; color: #656d76; margin-bottom: 0.4em; }
.nightMode .n2a-context { color: #9198a1; }
.n2a-front { font-size: 1.15em; font-weight: 600; }
.n2a-source { font-size: 0.7em; color: #8c959f; margin-top: 1.2em; }
.n2a-extra { margin-top: 1em; font-size: 0.9em; }
.n2a-tags[data-tags*="notes2anki::removed"]::before {
  content: "This card was removed from the notes. Find all such cards with tag:notes2anki::removed";
  display: block; color: #cf222e; font-size: 0.8em; margin-top: 1em;
}
table { border-collapse: collapse; }
th, td { border: 1px solid #d0d7de; padding: 0.2em 0.5em; }
.nightMode th, .nightMode td { border-color: #3d444d; }
pre { overflow-x: auto; padding: 0.6em; background: #f6f8fa; border-radius: 6px; font-size: 0.85em; }
.nightMode pre { background: #161b22; }
code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace; }
img { max-width: 100%; height: auto; }
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
