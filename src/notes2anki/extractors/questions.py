"""Questions the notes ask and answer: the question is the front, the answer the back.

The rules, in the order they run (``question.<rule>`` in the config):

``pair``     explicit pairs: ``Q:``/``A:``, ``Q：``/``A：``, ``问：``/``答：``, ``Question:``/``Answer:``,
             in one paragraph or in consecutive ones (a quoted ``> 问：`` takes the rest of the quote)
``heading``  a heading that asks (``### 1.1 什么是 RadixAttention?``, ``## What is a page fault``):
             the section is the answer (its own text, else its sub-sections)
``item``     a list item that asks, answered in the same item (inline, nested list, more paragraphs)
``line``     a line ending in ``?``/``？`` answered by the rest of its paragraph or by the block after it,
             or a definition-list term that asks, answered by its ``: …`` descriptions

A question with nothing after it is an open question and makes no card, and so
is a run of questions (a review checklist, a table of contents). Headings and
pair lines are claimed, so the heading makes no ``section`` card and no
definition is read out of ``Q: X 是什么？``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from markdown_it.token import Token

from ..cards import Card
from ..diagnostics import Diagnostic
from ..document import Document, Section
from ..topics import clean_topic
from . import Context, Extractor
from ._inline import Flat, is_blank
from ._terms import words
from .sections import section_content

RULES = ("pair", "heading", "item", "line")

_Q = re.compile(r"^\s*(?:Q(?:\s*\d{1,3})?|问|Question(?:\s*\d{1,3})?)\s*[:：.．]\s*", re.IGNORECASE)
_A = re.compile(r"^\s*(?:A(?:\s*\d{1,3})?|答|答案|回答|Answer(?:\s*\d{1,3})?)\s*[:：.．]\s*", re.IGNORECASE)
"""``Q:``, ``Q1.``, ``问：``: a space before a number belongs to the number, so none is read two ways."""
_ZH_ASKING = ("什么", "为什么", "为何", "如何", "怎么", "怎样", "哪", "是否", "多少", "有何", "何时", "能否", "可否",
              "是不是", "有没有")
_ZH_NOT_ASKING = ("什么都", "什么也", "哪怕")
"""Question words in a statement: "什么都不做", "哪怕只有一个"."""
_ZH_PARTICLES = ("吗", "呢", "么")
_EN_WH = words("what why how when where which who whom whose")
_EN_AUX = words("is are was were does do did can could should would will shall may might must has have had makes "
                "make happens")
_EN_NOT_VERB = words("this that these those the a an it its their our my your we i you they he she")
_MARKS = ("?", "？")


def is_question_text(text: str) -> bool:
    """Whether a heading asks something: ends with ``?``, or reads as a question without one."""
    text = text.strip()
    if not text:
        return False
    if text.endswith(_MARKS):
        return True
    if any(w in text for w in _ZH_ASKING) and not any(w in text for w in _ZH_NOT_ASKING):
        return True
    if text.endswith(_ZH_PARTICLES):
        return True
    raw = text.split()
    words = [w.lower() for w in raw]
    # "What is NCCL" asks; "How NCCL Works" and "How to build" are titles.
    if len(words) >= 2 and words[0] in _EN_WH and words[1] in _EN_AUX:
        return True
    # "Why Split Thinker and Talker" asks why we do it; "Why CUDA Graphs are Used" and "Why This Matters"
    # are titles: a subject of their own (an acronym, a plural, a determiner) and a verb.
    return len(words) >= 2 and words[0] == "why" and raw[1].isalpha() and not raw[1].isupper() and (
        words[1] not in _EN_NOT_VERB and not words[1].endswith("s") and not any(w in _EN_AUX for w in words[2:]))


def is_definition_question(text: str) -> bool:
    """"什么是 X" / "What is X": a question whose answer defines its subject."""
    low = text.strip().lower()
    return low.startswith(("什么是", "what is", "what are", "what's")) or low.rstrip("?？ ").endswith(
        ("是什么", "是啥"))


def extract_questions(doc: Document, ctx: Context) -> Iterator[Card | Diagnostic]:
    ends = ctx.closers()
    for n, section in enumerate(doc.sections):
        if section.heading is not None and ctx.rule_on("question.heading"):
            card = _heading(doc, ctx, n, section)
            if card is not None:
                yield card
        yield from _container(doc, ctx, section, section.start, section.end, ends, quoted=False)


def _heading(doc: Document, ctx: Context, n: int, section: Section) -> Card | None:
    heading = section.heading
    assert heading is not None
    if not is_question_text(heading.text) or ctx.is_claimed(heading.line):
        return None
    blocks, text = section_content(doc, doc.own_blocks(section))
    if not blocks:
        # "### 什么是 RDMA" followed straight by sub-sections: they are the answer.
        for sub in doc.sections[n + 1 :]:
            if sub.heading is None or sub.heading.level <= heading.level:
                break
            own, own_text = section_content(doc, doc.own_blocks(sub))
            if own:
                blocks.extend(doc.tokens[sub.start - 3 : sub.start])
                blocks.extend(own)
                text += f"\n\n{'#' * sub.heading.level} {sub.heading.text}\n\n{own_text}"
    if not blocks:
        return None
    ctx.claim(heading.line)
    question = heading.topic
    return ctx.card("question", question=question, answer=text.strip(), back=ctx.render_blocks(blocks),
                    context=section.trail[:-1], tag_trail=section.trail, line=heading.line)


def _siblings(tokens: Sequence[Token], start: int, end: int, ends: dict[int, int]) -> list[tuple[int, int]]:
    """``(first, past)`` token ranges of the blocks directly inside ``[start, end)``."""
    out: list[tuple[int, int]] = []
    i = start
    while i < end:
        past = ends.get(i, i) + 1 if tokens[i].nesting == 1 else i + 1
        out.append((i, past))
        i = past
    return out


def _container(doc: Document, ctx: Context, section: Section, start: int, end: int, ends: dict[int, int],
               quoted: bool, after: Sequence[tuple[int, int]] = ()) -> Iterator[Card]:
    """The blocks of one container (a section, a list item, a quote) in order, descending into lists and quotes.

    ``after``: the blocks after a quote, which answer a question that ends it
    (``> …which patterns can be unified?`` and then a table).
    """
    tokens = doc.tokens
    blocks = _siblings(tokens, start, end, ends)
    skip = -1
    for n, (first, past) in enumerate(blocks):
        tok = tokens[first]
        following = blocks[n + 1 :] or after
        if tok.type == "paragraph_open" and n > skip:
            if not _may_ask(tokens[first + 1].content):
                continue
            flat = ctx.flat(tokens[first + 1])
            made, used = _paragraph(doc, ctx, section, flat, following, quoted and bool(blocks[n + 1 :]))
            yield from made
            skip = n + used
        elif tok.type in ("bullet_list_open", "ordered_list_open"):
            for item_first, item_past in _siblings(tokens, first + 1, past - 1, ends):
                if item_past - item_first == 5 and not _may_ask(tokens[item_first + 2].content):
                    continue  # "- a plain item": one paragraph that asks nothing
                card = _item(doc, ctx, section, item_first, item_past, ends) if ctx.rule_on("question.item") else None
                if card is not None:
                    yield card
                    continue
                yield from _container(doc, ctx, section, item_first + 1, item_past - 1, ends, quoted)
        elif tok.type == "blockquote_open":
            yield from _container(doc, ctx, section, first + 1, past - 1, ends, quoted=True, after=blocks[n + 1 :])
        elif tok.type == "dl_open" and ctx.rule_on("question.line"):
            yield from _deflist(doc, ctx, section, first, past, ends)


def _deflist(doc: Document, ctx: Context, section: Section, first: int, past: int,
             ends: dict[int, int]) -> Iterator[Card]:
    """A definition list's terms that ask (``Why …?`` then ``: …``), each answered by its descriptions."""
    tokens = doc.tokens
    parts = _siblings(tokens, first + 1, past - 1, ends)
    for n, (term_first, _) in enumerate(parts):
        if tokens[term_first].type != "dt_open":
            continue
        flat = ctx.flat(tokens[term_first + 1])
        if not flat.prose.rstrip().endswith(_MARKS):
            continue
        question = _question_text(flat, 0, len(flat.text))
        descriptions = []
        for dd_first, dd_past in parts[n + 1 :]:
            if tokens[dd_first].type != "dd_open":
                break
            descriptions.append((dd_first, dd_past))
        blocks, texts = [], []
        for f, p in descriptions:
            own, own_text = section_content(doc, tokens[f + 1 : p - 1])
            blocks.extend(own)
            texts.append(_DD_MARK.sub("", own_text, count=1))
        if not blocks or not _asks(question):
            continue
        text = "\n\n".join(t for t in texts if t)
        if len(descriptions) > 1:  # each description its own block, as the note shows them
            blocks = [tokens[first], *(t for f, p in descriptions for t in tokens[f:p]), tokens[past - 1]]
        card = _card(ctx, section, question, flat, 0, len(flat.text), text, ctx.render_blocks(blocks))
        if card is not None:
            yield card


_DD_MARK = re.compile(r"^\s*[:~][ \t]*")
"""The ``: `` (or ``~ ``) that opens a description's first line."""
_PAIR_HINT = re.compile(r"[\s*_`\[]*(?:Q|问|Question)", re.IGNORECASE)


def _may_ask(source: str) -> bool:
    """Whether a paragraph's Markdown could hold a question: a question mark, or a ``Q:``/``问：`` start.

    Entities and escapes (``&#63;``) are let through to be read properly. The check
    spares laying out the many paragraphs that ask nothing.
    """
    return "?" in source or "？" in source or "&" in source or _PAIR_HINT.match(source) is not None


def _question_span(flat: Flat, mark: int, start: int = 0) -> tuple[int, int]:
    """The sentence that ends with the question mark at ``mark``."""
    i = mark
    depth = 0
    while i > start:
        ch = flat.prose[i - 1]
        if ch in "）)":
            depth += 1
        elif ch in "（(":
            depth = max(0, depth - 1)
        elif depth == 0 and (ch in "。！!\n" or (ch in ".?？" and flat.prose[i : i + 1] == " ")):
            break
        i -= 1
    return i, mark + 1


def _question_text(flat: Flat, start: int, end: int) -> str:
    return clean_topic(flat.text[start:end])


def _asks(text: str) -> bool:
    """Enough words to be a question on its own ("为什么？" alone is not)."""
    letters = sum(1 for ch in text if ch.isalnum())
    return letters >= 4 and len(text.split()) >= (1 if any(ord(c) > 0x2E80 for c in text) else 3)


def _paragraph(doc: Document, ctx: Context, section: Section, flat: Flat, following: Sequence[tuple[int, int]],
               quoted: bool) -> tuple[list[Card], int]:
    """Cards from a paragraph: Q/A pairs, else a line that asks. Returns how many following blocks it used."""
    if _Q.match(flat.text):
        return _pair(doc, ctx, section, flat, following, quoted) if ctx.rule_on("question.pair") else ([], 0)
    if not ctx.rule_on("question.line"):
        return [], 0
    cards: list[Card] = []
    lines = list(flat.lines())
    for n, (start, end) in enumerate(lines):
        stripped = flat.prose[start:end].rstrip()
        if not stripped.endswith(_MARKS):
            continue
        mark = start + len(stripped) - 1
        if flat.inside(mark, ("link",)):
            continue
        q_start, q_end = _question_span(flat, mark, start)
        question = _question_text(flat, q_start, q_end)
        if not _asks(question) or any(mark in question for mark in ("; ", "；")):
            continue  # "…: what kinds…; where…; which…?" lists the questions a text will answer
        if n + 1 < len(lines):
            rest_start = lines[n + 1][0]
            # A run of question lines is a list of open questions.
            if flat.prose[rest_start : lines[n + 1][1]].rstrip().endswith(_MARKS):
                continue
            answer_md = flat.markdown(rest_start, len(flat.text))
            back = ctx.render_inline(flat.slice(rest_start, len(flat.text)))
        else:
            answer = _next_block(ctx, doc, following)
            if answer is None:
                continue
            back, answer_md = answer
        card = _card(ctx, section, question, flat, q_start, q_end, answer_md, back)
        if card is not None:
            cards.append(card)
            break
    return cards, 0


def _next_block(ctx: Context, doc: Document, following: Sequence[tuple[int, int]]) -> tuple[str, str] | None:
    """The block after a question, if it answers it: not a heading, not another question."""
    if not following:
        return None
    first, past = following[0]
    tokens = doc.tokens
    tok = tokens[first]
    if tok.type not in ("paragraph_open", "bullet_list_open", "ordered_list_open", "blockquote_open", "table_open",
                        "fence", "code_block", "math_block"):
        return None
    texts = [ctx.flat(t).prose.strip() for t in tokens[first:past] if t.type == "inline"]
    if tok.type == "paragraph_open" and texts and (texts[0].endswith(_MARKS) or _Q.match(texts[0])):
        return None
    if tok.type.endswith("list_open") and texts and all(t.endswith(_MARKS) for t in texts if t):
        return None
    blocks, text = section_content(doc, tokens[first:past])
    if not blocks or (texts and all(is_blank(t) for t in texts)):
        return None
    return ctx.render_blocks(blocks), text


def _card(ctx: Context, section: Section, question: str, flat: Flat, q_start: int, q_end: int, answer: str,
          back: str) -> Card | None:
    front_start = q_start + (len(flat.text[q_start:q_end]) - len(flat.text[q_start:q_end].lstrip()))
    if is_blank(answer) or _same(answer, question) or ctx.is_claimed(flat.line_at(front_start)):
        return None
    front = ctx.render_inline(flat.slice(front_start, q_end)) if question == flat.text[front_start:q_end].strip() \
        else None
    return ctx.card("question", question=question, answer=answer, back=back, context=section.trail,
                    line=flat.line_at(front_start), front=front)


def _not_an_answer(text: str) -> bool:
    """Text after a question that does not answer it: a parenthetical aside, or more questions."""
    text = text.strip()
    if text.endswith(_MARKS):
        return True
    return text[:1] in "（(" and text[-1:] in "）)" and text.count("（") + text.count("(") == 1


def _same(answer: str, question: str) -> bool:
    def norm(text: str) -> str:
        return "".join(ch for ch in text.lower() if ch.isalnum())

    return norm(answer) == norm(question)


def _pair(doc: Document, ctx: Context, section: Section, flat: Flat, following: Sequence[tuple[int, int]],
          quoted: bool) -> tuple[list[Card], int]:
    """``Q: …`` lines with their ``A: …`` in the same paragraph, the next one, or the rest of a quote."""
    cards: list[Card] = []
    lines = list(flat.lines())
    used = 0
    n = 0
    while n < len(lines):
        start, end = lines[n]
        match = _Q.match(flat.text[start:end])
        if not match:
            n += 1
            continue
        q_start = start + match.end()
        # The question runs until the answer line (questions may wrap).
        m = n + 1
        while m < len(lines) and not _A.match(flat.text[lines[m][0] : lines[m][1]]) \
                and not _Q.match(flat.text[lines[m][0] : lines[m][1]]):
            m += 1
        q_end = lines[m - 1][1]
        question = " ".join(flat.text[q_start:q_end].split())
        back = answer = ""
        if m < len(lines) and _A.match(flat.text[lines[m][0] : lines[m][1]]):
            a_start = lines[m][0] + _A.match(flat.text[lines[m][0] : lines[m][1]]).end()  # type: ignore[union-attr]
            k = m + 1
            while k < len(lines) and not _Q.match(flat.text[lines[k][0] : lines[k][1]]):
                k += 1
            a_end = lines[k - 1][1]
            back, answer = ctx.render_inline(flat.slice(a_start, a_end)), flat.markdown(a_start, a_end)
            ctx.claim(flat.line_at(lines[m][0]))
            n = k
        else:
            n = m
            if m == len(lines) and used < len(following):
                found = _answer_after(ctx, doc, following[used:], quoted)
                if found is not None:
                    back, answer, taken = found
                    used += taken
        if question and answer:
            card = _card(ctx, section, question, flat, q_start, q_end, answer, back)
            ctx.claim(flat.line_at(start))
            if card is not None:
                cards.append(card)
    return cards, used


def _answer_after(ctx: Context, doc: Document, following: Sequence[tuple[int, int]],
                  quoted: bool) -> tuple[str, str, int] | None:
    """The answer to a ``Q:`` paragraph: an ``A:`` paragraph, or in a quote everything after it."""
    tokens = doc.tokens
    first = following[0][0]
    if tokens[first].type == "paragraph_open":
        flat = ctx.flat(tokens[first + 1])
        match = _A.match(flat.text)
        if match:
            ctx.claim(flat.line)
            end = len(flat.text)
            return ctx.render_inline(flat.slice(match.end(), end)), flat.markdown(match.end(), end), 1
        if _Q.match(flat.text):
            return None
    if not quoted:
        found = _next_block(ctx, doc, following)
        return (*found, 1) if found else None
    taken = 0
    for f, _ in following:
        if tokens[f].type == "paragraph_open" and _Q.match(ctx.flat(tokens[f + 1]).text):
            break
        taken += 1
    blocks, text = section_content(doc, [t for f, p in following[:taken] for t in tokens[f:p]])
    return (ctx.render_blocks(blocks), text, taken) if blocks else None


def _item(doc: Document, ctx: Context, section: Section, first: int, past: int, ends: dict[int, int]) -> Card | None:
    """``- 什么是 X？ X 是…`` or ``- Why …?`` with a nested answer."""
    tokens = doc.tokens
    if first + 2 >= past or tokens[first + 1].type != "paragraph_open" or not _may_ask(tokens[first + 2].content):
        return None
    flat = ctx.flat(tokens[first + 2])
    if _Q.match(flat.text):
        return None
    line_end = flat.breaks[0] if flat.breaks else len(flat.text)
    mark = next((i for i in range(line_end) if flat.prose[i] in _MARKS), -1)
    if mark < 0 or flat.inside(mark, ("link",)):
        return None
    q_start, q_end = _question_span(flat, mark)
    question = _question_text(flat, q_start, q_end)
    if q_start > 0 or not _asks(question):
        return None
    rest = tokens[ends.get(first + 1, first + 3) + 1 : past - 1]
    inline_answer = flat.text[q_end:].strip()
    if _not_an_answer(inline_answer):
        return None
    parts: list[str] = []
    answer = ""
    if inline_answer:
        parts.append(ctx.render_inline(flat.slice(q_end, len(flat.text))))
        answer = flat.markdown(q_end, len(flat.text))
    blocks, text = section_content(doc, rest)
    if blocks:
        parts.append(ctx.render_blocks(blocks))
        answer = f"{answer}\n\n{text}".strip()
    if not answer:
        return None
    back = parts[0] if len(parts) == 1 else f"<p>{parts[0]}</p>\n{parts[1]}"
    return _card(ctx, section, question, flat, q_start, q_end, answer, back)


EXTRACTOR = Extractor("question", "a question in the notes → its answer", extract_questions, RULES)
