"""A card's question and answer HTML as Anki renders them from our note types.

The preview page shows each card the way Anki would, without Anki: this module
implements the part of Anki's template language our templates use —
``{{Field}}``, ``{{#Field}}…{{/Field}}``, ``{{^Field}}…{{/Field}}``,
``{{cloze:Field}}``, ``{{Tags}}`` and ``{{FrontSide}}`` — and Anki's cloze
rendering (active blank ``[…]`` or hint on the question, the text on the
answer, other clozes shown as text). A test renders the same cards through
real Anki and compares the HTML.

Templates are scanned with ``str.find`` (no regular expressions), so any field
text renders in linear time.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from dataclasses import dataclass

from .cards import Card
from .notetypes import NoteType, note_fields, note_type_of


@dataclass(frozen=True)
class RenderedCard:
    """One Anki card of a note: which template, and both sides."""

    template: str
    """The template's name (``Card 1``, ``Reverse``, ``Cloze``)."""
    ordinal: int
    """1-based: the template's position, or the cloze number."""
    question: str
    answer: str


def _nonempty(value: str) -> bool:
    return bool(value.strip())


def _render(fmt: str, fields: Mapping[str, str], tags: str, cloze: int, answer: bool, front_side: str) -> str:
    out: list[str] = []
    pos = 0
    while True:
        start = fmt.find("{{", pos)
        if start == -1:
            out.append(fmt[pos:])
            break
        end = fmt.find("}}", start + 2)
        if end == -1:
            out.append(fmt[pos:])
            break
        out.append(fmt[pos:start])
        tag = fmt[start + 2 : end].strip()
        pos = end + 2
        if tag[:1] in ("#", "^"):
            name = tag[1:].strip()
            close_at = _find_close(fmt, pos, name)
            inner = fmt[pos:close_at] if close_at != -1 else fmt[pos:]
            pos = fmt.find("}}", close_at) + 2 if close_at != -1 else len(fmt)
            shown = _nonempty(fields.get(name, ""))
            if shown == (tag[0] == "#"):
                out.append(_render(inner, fields, tags, cloze, answer, front_side))
        elif tag == "Tags":
            out.append(html.escape(tags, quote=False))
        elif tag == "FrontSide":
            out.append(front_side)
        elif tag.startswith("cloze:"):
            out.append(render_cloze(fields.get(tag[6:], ""), cloze, answer))
        else:
            out.append(fields.get(tag.rsplit(":", 1)[-1], ""))
    return "".join(out)


def _find_close(fmt: str, pos: int, name: str) -> int:
    """Where the section opened before ``pos`` closes, nested sections of the same name skipped."""
    depth = 0
    while True:
        start = fmt.find("{{", pos)
        if start == -1:
            return -1
        end = fmt.find("}}", start + 2)
        if end == -1:
            return -1
        tag = fmt[start + 2 : end].strip()
        if tag[:1] in ("#", "^") and tag[1:].strip() == name:
            depth += 1
        elif tag[:1] == "/" and tag[1:].strip() == name:
            if depth == 0:
                return start
            depth -= 1
        pos = end + 2


def cloze_numbers(text: str) -> list[int]:
    """The cloze numbers used in ``text`` (``{{c1::…}}``), sorted."""
    found: set[int] = set()
    pos = text.find("{{c")
    while pos != -1:
        digits = _digits(text, pos + 3)
        if digits and text.startswith("::", pos + 3 + len(digits)):
            found.add(int(digits))
        pos = text.find("{{c", pos + 3)
    return sorted(found)


def _digits(text: str, pos: int) -> str:
    end = pos
    while end < len(text) and text[end].isdigit() and end - pos < 4:
        end += 1
    return text[pos:end]


def render_cloze(text: str, active: int, answer: bool) -> str:
    """Anki's rendering of cloze ``active`` in ``text`` (other clozes show their text)."""
    out: list[str] = []
    pos = 0
    while True:
        start = text.find("{{c", pos)
        if start == -1:
            break
        digits = _digits(text, start + 3)
        body = start + 3 + len(digits) + 2
        if not digits or not text.startswith("::", body - 2):
            out.append(text[pos : start + 3])
            pos = start + 3
            continue
        end = text.find("}}", body)
        if end == -1:
            break  # no closer anywhere after this: the rest is plain text
        out.append(text[pos:start])
        content, _, hint = text[body:end].partition("::")
        number = int(digits)
        if number != active:
            out.append(f'<span class="cloze-inactive" data-ordinal="{number}">{content}</span>')
        elif answer:
            out.append(f'<span class="cloze" data-ordinal="{number}">{content}</span>')
        else:
            out.append(f'<span class="cloze" data-cloze="{_attribute(content)}" data-ordinal="{number}">'
                       f"[{hint or '...'}]</span>")
        pos = end + 2
    out.append(text[pos:])
    return "".join(out)


_NAMED = {'"': "&quot;", "&": "&amp;", "<": "&lt;", ">": "&gt;"}


def _attribute(text: str) -> str:
    """Escaped as Anki escapes attribute values (``htmlescape::encode_attribute``).

    Every character below U+0100 that is not an ASCII letter or digit becomes an
    entity; the rest (CJK included) stays as is.
    """
    return "".join(
        _NAMED.get(ch) or f"&#x{ord(ch):02X};" if ord(ch) < 256 and not (ch.isascii() and ch.isalnum()) else ch
        for ch in text
    )


def render_card(card: Card) -> list[RenderedCard]:
    """Every Anki card the note for ``card`` makes, with both sides as Anki renders them."""
    note_type: NoteType = note_type_of(card)
    fields = note_fields(card)
    tags = " ".join(card.tags)
    rendered: list[RenderedCard] = []
    if note_type.cloze:
        template = note_type.templates[0]
        for number in cloze_numbers(fields[note_type.fields[0]]) or [1]:
            question = _render(template.qfmt, fields, tags, number, False, "")
            answer = _render(template.afmt, fields, tags, number, True, question)
            rendered.append(RenderedCard(template.name, number, question, answer))
        return rendered
    for ordinal, template in enumerate(note_type.templates, 1):
        question = _render(template.qfmt, fields, tags, 0, False, "")
        if not _nonempty(question):
            continue  # Anki makes no card from a template whose question is empty
        answer = _render(template.afmt, fields, tags, 0, True, question)
        rendered.append(RenderedCard(template.name, ordinal, question, answer))
    return rendered
