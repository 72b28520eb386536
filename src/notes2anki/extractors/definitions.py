"""Definitions written as prose: a term and what it means become a "What is X?" card.

The rules, in the order they are tried (each can be switched off as
``definition.<rule>`` in the config):

``bold``       ``**Term**: …`` / ``**Term：** …`` at the start of a line or list item
``code``       ```` `name`: … ```` / ```` `name` — … ````
``bullet``     ``- Term：…`` (a plain key that opens a list item)
``paragraph``  ``Term：…`` (a plain key that opens a paragraph outside a list)
``dash``       any of the keys above followed by ``—``/``——``/`` – ``/`` - `` instead of a colon
``copula``     a sentence that opens with a bounded term and a copula: ``I2C（…）是一种…``,
               ```` `Scheduler` 是决定…的 ````, ``QPC全称是…``, ``Quorum is a …``
``gloss``      a sentence that opens with a glossed term, whatever its verb: ``控制单元（CU，Control Unit）负责…``
``table``      a row of a 2–4 column term table (``术语 | 说明``, ``Term | Definition``)
``deflist``    a Markdown definition list (``Term`` / ``: definition``)

A *bounded* term is one a reader can see the edges of: Latin script in a
Chinese sentence, a code span, bold, quotes, math or a gloss. Keys that are
field labels (``返回值：``, ``Example:``), ordinal steps (``第一步：``) or whose
value is only a link, a path or a number are look-alikes and make no card
(``_terms.py`` holds those word lists; ``_sentences.py`` reads definition sentences).
"""

from __future__ import annotations

import html
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from markdown_it.token import Token

from ..cards import Card
from ..diagnostics import Diagnostic
from ..document import Document, Section
from ..topics import inline_text
from . import Context, Extractor
from ._inline import OPAQUE, Flat, closers, flatten
from ._sentences import sentence_end, sentence_starts, subject_at
from ._tables import term_table_rows
from ._terms import (
    core,
    gloss_end,
    is_gloss,
    is_label,
    is_lead_in,
    is_points_heading,
    looks_like_path,
    separator,
    skip_spaces,
    strip_lead_ordinal,
    term_shape_ok,
    value_ok,
)
from .questions import is_definition_question, is_question_text

RULES = ("bold", "code", "bullet", "paragraph", "dash", "copula", "gloss", "table", "deflist")

_IGNORABLE = "  .。;；,，"
"""Characters around a value that say nothing (for "is the value only a link?")."""
_KEY_SPANS = ("strong", "em")


@dataclass(frozen=True)
class Key:
    """``Term: value`` found at the start of a line."""

    rule: str
    term: str
    start: int
    """Where the term starts in the flat text."""
    value: int
    """Where the value starts."""


def _key_at(flat: Flat, pos: int, plain_rule: str | None, ctx: Context) -> Key | None:
    """A ``Term: value`` key starting at ``pos``; ``plain_rule`` allows unmarked keys under that rule."""
    text, prose = flat.text, flat.prose
    pos = strip_lead_ordinal(text, skip_spaces(text, pos))
    span = flat.span_at(pos, _KEY_SPANS)
    code = flat.span_at(pos, ("code",)) if span is None else None
    sep: tuple[str, int] | None
    if span is not None:
        rule, inner = "bold", text[span.start : span.end].strip()
        if inner.endswith((":", "：")) and len(inner) > 1:
            term, end = inner[:-1].strip(), span.end
            sep = ("colon", span.end)
        else:
            term, end = inner, span.end
            gloss = gloss_end(text, end)
            if gloss is not None:
                term, end = text[span.start : gloss].strip(), gloss
            sep = separator(prose, end)
    elif code is not None:
        rule, end = "code", code.end
        # `a`, `b` and `c`: several names sharing one description.
        while True:
            nxt = skip_spaces(text, end)
            joiner = next((j for j in (",", "、", "/", "和", "&", "and") if text.startswith(j, nxt)), None)
            follow = flat.span_at(skip_spaces(text, nxt + len(joiner)), ("code",)) if joiner else None
            if follow is None:
                break
            end = follow.end
        gloss = gloss_end(text, end)
        end = gloss if gloss is not None else end
        term = text[pos:end].strip()
        sep = separator(prose, end)
    elif plain_rule is not None:
        rule = plain_rule
        found = _plain_separator(prose, pos)
        if found is None or flat.inside(found[0], ("link",)):
            return None
        term, sep = text[pos : found[0]].strip(), found[1]
        if prose[skip_spaces(prose, sep[1]) : skip_spaces(prose, sep[1]) + 1] in ("\n", ""):
            return None  # "编译命令：" with the list on the next lines is a lead-in
    else:
        return None
    if sep is None or not ctx.rule_on(f"definition.{rule}"):
        return None
    kind, value = sep
    if kind == "dash" and not ctx.rule_on("definition.dash"):
        return None
    if not term_shape_ok(term, plain=rule in ("bullet", "paragraph"), code=rule == "code"):
        return None
    return Key(rule, term, pos, skip_spaces(text, value))


def _plain_separator(prose: str, pos: int, limit: int = 36) -> tuple[int, tuple[str, int]] | None:
    """The first separator after an unmarked key: ``(key end, separator)``.

    ``limit`` counts characters outside parentheses (a gloss may be long); the
    scan never goes further than three times that.
    """
    depth = 0
    outside = 0
    stop = min(len(prose), pos + 3 * limit)
    i = pos
    while i < stop and outside <= limit:
        ch = prose[i]
        if ch == "\n":
            return None
        if ch in "（(":
            depth += 1
        elif ch in "）)":
            depth = max(0, depth - 1)
        elif depth == 0:
            outside += 1
            if ch in "，。；,;！？!?":
                return None
            if ch in "：:—–-" or (ch == " " and prose[i + 1 : i + 2] in ("-", "–")):
                sep = separator(prose, i)
                if sep is not None and i > pos:
                    return i, sep
        i += 1
    return None


class _Maker:
    """Builds the cards of one document, one per term and section.

    Notes often define a term twice under one heading (a glossary line, then a
    sentence); the first definition is the card, and the repeat is dropped here
    rather than reported as a duplicate.
    """

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.seen: set[tuple[tuple[str, ...], str]] = set()

    def card(self, section: Section, term: str, line: int, back: str, answer: str) -> Card | None:
        term = " ".join(term.split())
        key = (section.trail, core(term))
        if not term or key in self.seen or self.ctx.is_claimed(line) or not value_ok(answer, term):
            return None
        self.seen.add(key)
        front = self.ctx.phrase("definition", term=term)
        return self.ctx.card("definition", question=term, answer=answer, back=back, context=section.trail,
                             line=line, front=html.escape(front, quote=False))


def extract_definitions(doc: Document, ctx: Context) -> Iterator[Card | Diagnostic]:
    maker = _Maker(ctx)
    ends = closers(doc.tokens)
    for section in doc.sections:
        yield from _section(doc, ctx, maker, section, ends)


def _section(doc: Document, ctx: Context, maker: _Maker, section: Section,
             ends: dict[int, int]) -> Iterator[Card]:
    tokens = doc.tokens
    lead_in = False
    # Under "Why CUDA Graphs are used" or "优缺点", bold keys are reasons and points, not terms.
    points = section.heading is not None and (is_points_heading(section.heading.text) or (
        is_question_text(section.heading.text) and not is_definition_question(section.heading.text)))
    i = section.start
    while i < section.end:
        tok = tokens[i]
        if tok.type == "paragraph_open" and i + 1 < len(tokens) and tokens[i + 1].type == "inline":
            item_end = ends.get(i - 1) if tokens[i - 1].type == "list_item_open" else None
            flat = flatten(tokens[i + 1])
            # Points are the section's own list; a nested list under a point can hold real terms.
            under = lead_in or (points and tok.level <= 2)
            yield from _paragraph(doc, ctx, maker, section, flat, ends.get(i, i + 2), item_end, under)
            if tok.level == 0:
                lead_in = is_lead_in(flat.text) or (lead_in and _key_at(flat, 0, "paragraph", ctx) is not None)
        elif tok.type == "table_open" and ctx.rule_on("definition.table"):
            for row in term_table_rows(tokens, i, ends.get(i, i)):
                parts = [(head, ctx.render_inline(cell)) for head, cell in row.cells]
                back = parts[0][1] if len(parts) == 1 else "<br>\n".join(
                    f"<strong>{html.escape(head, quote=False)}</strong>：{cell}" if head else cell
                    for head, cell in parts)
                card = maker.card(section, row.term, row.line, back, row.answer)
                if card:
                    yield card
            i = ends.get(i, i)
        elif tok.type == "dt_open" and ctx.rule_on("definition.deflist"):
            yield from _deflist(ctx, maker, section, tokens, i, ends)
        i += 1


def _paragraph(doc: Document, ctx: Context, maker: _Maker, section: Section, flat: Flat, close: int,
               item_end: int | None, points: bool) -> Iterator[Card]:
    """Keys at line starts, then definition sentences, in one paragraph.

    ``item_end`` is the end of the list item the paragraph opens (its nested blocks
    belong to the last definition). ``points``: the paragraph follows "优点：" or sits
    under "Why …" — its keys name points of a list (``**语义明确**：…``), not terms.
    """
    keys: list[Key] = []
    starts: set[int] = set(sentence_starts(flat.prose))
    for n, (start, _end) in enumerate(flat.lines()):
        plain = None
        if n == 0 or (keys and keys[0].start == 0 and keys[-1].rule in ("bullet", "paragraph")):
            plain = "bullet" if item_end is not None else "paragraph"
        key = _key_at(flat, start, plain, ctx)
        if key is not None:
            # After a label ("**用途：** `waiting_queue` 是…") a definition sentence may start.
            starts.add(key.value)
            if not is_label(key.term):
                keys.append(key)
    for n, key in enumerate(keys):
        last = n + 1 == len(keys)
        stop = keys[n + 1].start - 1 if not last else len(flat.text)
        value = flat.slice(key.value, stop)
        back = ctx.render_inline(value)
        answer = flat.markdown(key.value, stop)
        if not value_ok(answer, key.term):
            continue  # "**Term**:" with only a nested list under it names a group, not a definition
        if last and item_end is not None and close + 1 < item_end:
            # The rest of the list item (nested list, more paragraphs) belongs to the definition.
            rest = doc.tokens[close + 1 : item_end]
            blocks = ctx.render_blocks(rest)
            back = f"<p>{back}</p>\n{blocks}" if back else blocks
            answer = (answer + "\n" + _source(doc, rest)).strip()
        if _only_link(value) or (points and not _named(ctx, key)):
            continue
        made = maker.card(section, key.term, flat.line_at(key.start), back, answer)
        if made:
            yield made
    for start in sorted(starts):
        if start >= len(flat.text) or (flat.prose[start : start + 1] == OPAQUE and not flat.span_at(
                skip_spaces(flat.text, start), ("code", "math"))):
            continue
        subject = subject_at(flat, start, ctx, opening=start == 0)
        if subject is None:
            continue
        end = sentence_end(flat.prose, subject.start)
        if flat.prose[end - 1 : end] in ("？", "?"):
            continue
        made = maker.card(section, subject.term, flat.line_at(subject.start),
                          ctx.render_inline(flat.slice(subject.start, end)), flat.markdown(subject.start, end))
        if made:
            yield made


def _named(ctx: Context, key: Key) -> bool:
    """A key that is clearly a name even in a list of points: code, a gloss, Latin in a Chinese note."""
    return key.rule == "code" or _has_gloss(key.term) or (ctx.language() == "zh" and key.term.isascii())


def _has_gloss(term: str) -> bool:
    """``OOV（Out-of-Vocabulary）``: a term that names itself twice is a term even in a list of points."""
    for opener in "（(":
        at = term.find(opener)
        if at > 0:
            end = gloss_end(term, at)
            if end is not None and is_gloss(term[at + 1 : end - 1], term[:at]):
                return True
    return False


def _only_link(value: Token) -> bool:
    """A value that is nothing but a link, an image or a path."""
    meaningful = [c for c in value.children or () if not (c.type == "text" and not c.content.strip(_IGNORABLE))
                  and c.type not in ("strong_open", "strong_close", "em_open", "em_close")]
    if not meaningful:
        return False
    kinds = {c.type for c in meaningful}
    if kinds <= {"link_open", "link_close", "text", "image"} and meaningful[0].type in ("link_open", "image"):
        depth = 0
        for c in meaningful:
            if c.type == "link_open":
                depth += 1
            elif c.type == "link_close":
                depth -= 1
            elif depth == 0 and c.type == "text":
                return False
        return True
    return len(meaningful) == 1 and meaningful[0].type == "code_inline" and looks_like_path(meaningful[0].content)


def _source(doc: Document, blocks: Sequence[Token]) -> str:
    lines = [t.map for t in blocks if t.map and t.nesting >= 0 and t.level == blocks[0].level]
    if not lines:
        return ""
    first, last = lines[0][0], max(m[1] for m in lines)
    return "\n".join(line.strip() for line in doc.lines[first:last]).strip()


def _deflist(ctx: Context, maker: _Maker, section: Section, tokens: Sequence[Token], i: int,
             ends: dict[int, int]) -> Iterator[Card]:
    """One ``dt`` and the ``dd`` blocks after it."""
    inline = tokens[i + 1]
    term = inline_text(inline)
    j = ends.get(i, i) + 1
    blocks: list[Token] = []
    while j < len(tokens) and tokens[j].type == "dd_open":
        close = ends.get(j, j)
        blocks.extend(tokens[j + 1 : close])
        j = close + 1
    if not blocks or is_label(term) or not term_shape_ok(term, plain=False):
        return
    answer = "\n".join(inline_text(t) for t in blocks if t.type == "inline")
    line = (inline.map[0] if inline.map else (tokens[i].map or [0])[0]) + 1
    made = maker.card(section, term, line, ctx.render_blocks(blocks), answer)
    if made:
        yield made


EXTRACTOR = Extractor("definition", "a term and what it means → what is the term?", extract_definitions, RULES)
