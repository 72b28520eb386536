"""Flashcard syntax people already write in their notes (Obsidian plugins and Anki itself).

The rules (``flashcard.<rule>`` in the config):

``inline``     ``term :: definition`` on one line → a ``definition`` card, front as written
``reversed``   ``term ::: definition`` → the same, also asked the other way round (``reverse``)
``cloze``      ``{{c1::…}}`` (Anki's own syntax, hints allowed) anywhere in a paragraph
``highlight``  ``==text==``: each highlight becomes a cloze ``{{c1::text}}``, ``{{c2::…}}``…

A paragraph with clozes is one note on the Cloze note type, its text in
``front``. Its identity is the paragraph with the cloze markup removed, so
renumbering clozes or turning a highlight into a ``{{c1::}}`` keeps the note
(and its reviews). ``::`` between two identifiers (``std::vector``) and any
``::``/``==`` inside code is left alone. Lines used here are claimed, so no
other extractor reads a definition or a question out of them again.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterator

from markdown_it.token import Token

from ..cards import Card
from ..diagnostics import Diagnostic
from ..document import Document, Section
from . import Context, Extractor
from ._inline import Flat, is_blank

RULES = ("inline", "reversed", "cloze", "highlight")


def extract_flashcards(doc: Document, ctx: Context) -> Iterator[Card | Diagnostic]:
    for section in doc.sections:
        tokens = doc.tokens
        for i in range(section.start, section.end):
            if tokens[i].type == "inline" and tokens[i - 1].type == "paragraph_open" and _may_mark(tokens[i].content):
                yield from _paragraph(ctx, section, ctx.flat(tokens[i]))


def _may_mark(source: str) -> bool:
    """Whether a paragraph's Markdown could hold ``::`` or ``==`` (entities and escapes are let through)."""
    return source.count(":") >= 2 or source.count("=") >= 2 or "&" in source or "\\" in source


def _paragraph(ctx: Context, section: Section, flat: Flat) -> Iterator[Card]:
    if "::" not in flat.prose and "==" not in flat.prose:
        return
    card = _cloze(ctx, section, flat)
    if card is not None:
        yield card
        return
    for start, end in flat.lines():
        card = _inline(ctx, section, flat, start, end)
        if card is not None:
            yield card


# --- term :: definition ---------------------------------------------------------------------


def _word_char(ch: str) -> bool:
    return ch.isascii() and (ch.isalnum() or ch == "_")


def _address(prose: str, at: int, run: int, start: int, end: int) -> bool:
    """Whether the ``::`` is part of an address (``::ffff:10.0.0.1``, ``fe80::1:2``): more colons in its word.

    Looks only at the word around it (up to 64 characters each side), so the
    cost per separator stays constant.
    """
    left = at
    while left > max(start, at - 64) and not prose[left - 1].isspace():
        left -= 1
    right = run
    while right < min(end, run + 64) and not prose[right].isspace():
        right += 1
    return ":" in prose[left:at] + prose[run:right]


def _separator(prose: str, start: int, end: int) -> tuple[int, int] | None:
    """``(at, length)`` of the first ``::``/``:::`` in ``prose[start:end]`` that separates a card."""
    at = prose.find("::", start, end)
    while at != -1:
        run = at
        while run < end and prose[run] == ":":
            run += 1
        length = run - at
        before = prose[at - 1] if at > start else " "
        after = prose[run] if run < end else " "
        if length in (2, 3) and not (_word_char(before) and _word_char(after)) and before != "{" \
                and not _address(prose, at, run, start, end):
            return at, length
        at = prose.find("::", run, end)
    return None


def _inline(ctx: Context, section: Section, flat: Flat, start: int, end: int) -> Card | None:
    found = _separator(flat.prose, start, end)
    if found is None:
        return None
    at, length = found
    reverse = length == 3
    if not ctx.rule_on("flashcard.reversed" if reverse else "flashcard.inline"):
        return None
    left = flat.text[start:at].strip()
    right_start = at + length
    if is_blank(left) or is_blank(flat.prose[right_start:end]) or "{{c" in flat.prose[start:end]:
        return None
    line = flat.line_at(start)
    if ctx.is_claimed(line):
        return None
    ctx.claim(line)
    return ctx.card(
        "definition",
        question=left,
        answer=flat.markdown(right_start, end),
        front=ctx.render_inline(flat.slice(start, at)),
        back=ctx.render_inline(flat.slice(right_start, end)),
        context=section.trail,
        line=line,
        reverse=reverse,
    )


# --- clozes ---------------------------------------------------------------------------------


def _cloze_spans(prose: str) -> list[tuple[int, int, int, int]]:
    """``{{cN::answer::hint}}`` spans as ``(start, answer start, answer end, end)``, scanned left to right."""
    spans: list[tuple[int, int, int, int]] = []
    pos = prose.find("{{c")
    while pos != -1:
        digits = pos + 3
        while digits < len(prose) and prose[digits].isdigit():
            digits += 1
        if digits > pos + 3 and prose.startswith("::", digits):
            close = prose.find("}}", digits + 2)
            if close == -1:
                break  # no closer anywhere after: nothing further can close either
            body_start = digits + 2
            hint = prose.find("::", body_start, close)
            spans.append((pos, body_start, hint if hint != -1 else close, close + 2))
            pos = prose.find("{{c", close + 2)
        else:
            pos = prose.find("{{c", pos + 3)
    return spans


def _highlights(flat: Flat) -> list[tuple[int, int]]:
    """``==text==`` pairs as flat positions of their opening and closing ``==`` (outside code and math)."""
    prose = flat.prose
    marks: list[int] = []
    pos = prose.find("==")
    while pos != -1:
        run = pos
        while run < len(prose) and prose[run] == "=":
            run += 1
        if run - pos == 2 and not flat.inside(pos, ("link",)):
            marks.append(pos)
        pos = prose.find("==", run)
    pairs: list[tuple[int, int]] = []
    opened: int | None = None
    for mark in marks:
        before = prose[mark - 1 : mark]
        after = prose[mark + 2 : mark + 3]
        can_open = bool(after) and not after.isspace()
        can_close = bool(before) and not before.isspace()
        if opened is not None and can_close and mark > opened + 2:
            pairs.append((opened, mark))
            opened = None
        elif can_open:
            opened = mark
    return pairs


def _cloze(ctx: Context, section: Section, flat: Flat) -> Card | None:
    explicit = _cloze_spans(flat.prose) if ctx.rule_on("flashcard.cloze") else []
    highlights = _highlights(flat) if ctx.rule_on("flashcard.highlight") else []
    if not explicit and not highlights:
        return None
    lines = {flat.line_at(s) for s, _ in flat.lines()}
    if any(ctx.is_claimed(line) for line in lines):
        return None
    numbers = [int(flat.prose[s + 3 : b - 2]) for s, b, _, _ in explicit]
    following = max(numbers, default=0) + 1
    # Replace each highlight's == markers by {{cN:: and }} in the token stream.
    marks: dict[int, str] = {}
    for n, (open_at, close_at) in enumerate(highlights):
        marks[open_at] = f"{{{{c{following + n}::"
        marks[close_at] = "}}"
    text = ctx.render_inline(_with_marks(flat, marks))
    for line in lines:
        ctx.claim(line)
    return ctx.card(
        "cloze",
        question=_plain(flat.text, explicit, highlights),
        answer=flat.markdown(0, len(flat.text)),
        front=text,
        back="",
        context=section.trail,
        line=flat.line,
        cloze=True,
    )


def _with_marks(flat: Flat, marks: dict[int, str]) -> Token:
    """The paragraph's inline token with the ``==`` at each mark replaced by cloze markup.

    Marks are visited in order alongside the children (not searched per child),
    so a one-line paragraph with thousands of highlights stays linear.
    """
    children: list[Token] = []
    positions = sorted(marks)
    for child, start in zip(flat.token.children or [], flat.starts):
        end = start + len(child.content)
        i = bisect_left(positions, start)
        if child.type != "text" or i == len(positions) or positions[i] >= end:
            children.append(child)
            continue
        content = child.content
        cut = 0
        while i < len(positions) and positions[i] < end:
            offset = positions[i] - start
            children.append(_text(content[cut:offset]))
            children.append(_text(marks[positions[i]]))
            cut = offset + 2
            i += 1
        children.append(_text(content[cut:]))
    token = Token("inline", "", 0)
    token.children = children
    return token


def _text(content: str) -> Token:
    token = Token("text", "", 0)
    token.content = content
    return token


def _plain(text: str, explicit: list[tuple[int, int, int, int]], highlights: list[tuple[int, int]]) -> str:
    """The paragraph with cloze markup removed: its identity."""
    drop: list[tuple[int, int]] = []
    for start, body, body_end, end in explicit:
        drop.append((start, body))
        drop.append((body_end, end))
    for open_at, close_at in highlights:
        drop.append((open_at, open_at + 2))
        drop.append((close_at, close_at + 2))
    out: list[str] = []
    pos = 0
    for start, end in sorted(drop):
        if start >= pos:
            out.append(text[pos:start])
            pos = end
    out.append(text[pos:])
    return "".join(out)


EXTRACTOR = Extractor("flashcard", "term :: definition, {{c1::cloze}} and ==highlight== → cards",
                      extract_flashcards, RULES)
