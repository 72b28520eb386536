"""Definitions written as prose: a term and what it means become a "What is X?" card.

The rules, in the order they are tried (each can be switched off as
``definition.<rule>`` in the config):

``bold``       ``**Term**: …`` / ``**Term：** …`` at the start of a line or list item
``code``       ```` `name`: … ```` / ```` `name` — … ````
``bullet``     ``- Term：…`` (a plain key that opens a list item)
``paragraph``  ``Term：…`` (a plain key that opens a paragraph outside a list)
``dash``       any of the keys above followed by ``—``/``——``/`` – ``/`` - `` instead of a colon
``copula``     a sentence or clause that opens with bounded term(s) and a copula: ``I2C（…）是一种…``,
               ```` `Scheduler` 是决定…的 ````, ``QPC全称是…``, ``Quorum is a …``, ``其中，$G_t$ 是…，$d$ 是…``,
               ```` `A`和`B`是… ```` (a card per term)
``gloss``      a sentence that opens with a glossed term and a verb: ``控制单元（CU，Control Unit）负责…``
``table``      a row of a 2–4 column term table (``术语 | 说明``, ``Term | Definition``)
``deflist``    a Markdown definition list (``Term`` / ``: definition``)

A *bounded* term is one a reader can see the edges of: Latin script in a
Chinese sentence, a code span, bold, quotes, math or a gloss. Keys that are
field labels (``返回值：``, ``Example:``), ordinal steps (``第一步：``) or whose
value is only a link, a path or a number are look-alikes and make no card
(``_terms.py`` holds those word lists; ``_sentences.py`` reads definition sentences).

A key must *name* something and its value must say what that is or does. Keys that
state something (``延迟低``, ``Better compatibility``, ``X vs. Y``, ``生成时``) and values
that ask, set, measure, advise or only say what more of the term does are not
definitions. A list is also judged as a whole: when most of its keys are claims or
steps, its other plain-word keys are points too; only names (code, glosses,
acronyms) in it still make cards. A plain or bold key repeated across a note is a
template's field.
"""

from __future__ import annotations

import html
import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from markdown_it.token import Token

from ..cards import Card
from ..diagnostics import Diagnostic
from ..document import Document, Section
from ..topics import inline_text
from . import Context, Extractor
from ._inline import OPAQUE, Flat
from ._sentences import SENTENCE, Subject, may_define, may_hold, sentence_end, sentence_starts, subject_at
from ._tables import term_table_rows
from ._terms import (
    core,
    gloss_end,
    has_gloss,
    is_cjk_char,
    is_claim,
    is_label,
    is_lead_in,
    is_points_heading,
    is_step,
    is_strong_term,
    looks_like_path,
    opens_with_lead_in,
    separator,
    skip_spaces,
    strip_lead_ordinal,
    term_shape_ok,
    value_defines,
    value_ok,
)
from .questions import is_definition_question, is_question_text

RULES = ("bold", "code", "bullet", "paragraph", "dash", "copula", "gloss", "table", "deflist")

_READ_BLOCKS = frozenset(("paragraph_open", "table_open", "dt_open"))
_LIST_OPENS = frozenset(("bullet_list_open", "ordered_list_open"))
_SEPARATOR_CHAR = re.compile(r"[：:—–-]")
_SEPARATOR_SOURCE = re.compile(r"[：:—–\-&\\]")
"""A separator in Markdown source, or an entity or escape that could make one."""
_IGNORABLE = "  .。;；,，"
"""Characters around a value that say nothing (for "is the value only a link?")."""
_KEY_SPANS = ("strong", "em")
_LONGEST_SENTENCE = 2000
"""A "sentence" longer than this (a paragraph with no full stop) is no definition a learner could use."""
_SLOT_REPEATS = 3
"""A plain or bold key written this many times in one note is a template's field (``**设备**:``), not a term."""


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
    if _SEPARATOR_CHAR.search(prose, pos) is None:
        return None  # every key is followed by a colon or a dash
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
    # "**`--chat-template-kwargs '{…}'`**": bold around a code name is shaped like code.
    coded = rule == "code" or (span is not None and (inner_code := flat.span_at(span.start, ("code",))) is not None
                               and inner_code.end >= span.end - 1)
    if not term_shape_ok(term, plain=rule in ("bullet", "paragraph"), code=coded):
        return None
    if rule == "paragraph" and _letter(term):
        return None  # "C: DataLoader" on a line of its own labels a node or a step; in a list it may be a variable
    if _reading_list_key(flat, pos, term):
        return None
    return Key(rule, term, pos, skip_spaces(text, value))


def _letter(term: str) -> bool:
    return len(term) == 1 and term.isascii() and term.isalpha()


def _reading_list_key(flat: Flat, pos: int, term: str) -> bool:
    """``- [Article title](./other.md): what it covers``: a key that is a link to a document is a reading list.

    A linked code name (``[`InfoActor`](…)``, a pointer to its source) or a linked acronym or
    identifier pointing off-site (``[RDMA](https://…wiki/RDMA)``) still names a term.
    """
    inner = flat.span_at(pos, _KEY_SPANS)
    start = inner.start if inner is not None else pos
    link = flat.span_at(start, ("link",))
    if link is None or link.end < start + len(term.rstrip(":： ")):
        return False
    if flat.span_at(link.start, ("code",)) is not None:
        return False
    href = ""
    for child, at in zip(flat.token.children or (), flat.starts):
        if at == link.start and child.type == "link_open":
            href = str(child.attrs.get("href", ""))
            break
    return not (href.startswith(("http://", "https://")) and is_strong_term(flat.text[link.start : link.end]))


def _plain_separator(prose: str, pos: int, limit: int = 36) -> tuple[int, tuple[str, int]] | None:
    """The first separator after an unmarked key: ``(key end, separator)``.

    ``limit`` counts characters outside parentheses (a gloss may be long); the
    scan never goes further than three times that.
    """
    depth = 0
    outside = 0
    stop = min(len(prose), pos + 3 * limit)
    if _SEPARATOR_CHAR.search(prose, pos, stop) is None:
        return None
    i = pos
    while i < stop and outside <= limit:
        ch = prose[i]
        if ch == "\n":
            return None
        if ch in "（(「『“《":
            depth += 1
        elif ch in "）)」』”》":
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
        self.english = ctx.note_language() == "en"
        """The note's own language (not the wording's): what counts as a name differs."""
        self.slots: dict[tuple[int, str], str] = {}
        """``(line, term)`` of cards made from plain or bold keys -> the key, to spot repeated slots."""
        self.blocks: list[int] = []
        """Indices of the blocks definitions are read from (paragraphs, tables, definition lists)."""
        self.lists: list[int] = []
        """Indices of the lists, judged as a whole."""
        for i, tok in enumerate(ctx.doc.tokens):
            if tok.type in _READ_BLOCKS:
                self.blocks.append(i)
            elif tok.type in _LIST_OPENS:
                self.lists.append(i)
        self.item_keys: dict[int, Key | None] = {}
        """The key opening each list item's first paragraph (by its inline token), read once."""
        self.shared: list[tuple[str, int, str, str]] = []
        """Terms defined together (``A、B 和 C 是三种…``), kept until the section ends: a definition
        of one of them on its own (``- A 是最早的…``) is the better card."""

    def wants(self, section: Section, term: str, line: int) -> bool:
        """Whether a card for ``term`` could still be made here (checked before rendering its answer)."""
        return (section.trail, core(" ".join(term.split()))) not in self.seen and not self.ctx.is_claimed(line)

    def card(self, section: Section, term: str, line: int, back: str, answer: str,
             slot: bool = False, checked: bool = False) -> Card | None:
        """``checked``: ``value_ok`` already passed for this answer."""
        term = " ".join(term.split())
        key = (section.trail, core(term))
        if not term or key in self.seen or self.ctx.is_claimed(line) or not (checked or value_ok(answer, term)):
            return None
        self.seen.add(key)
        if slot:
            self.slots[(line, term)] = core(term)
        front = self.ctx.phrase("definition", term=term)
        return self.ctx.card("definition", question=term, answer=answer, back=back, context=section.trail,
                             line=line, front=html.escape(front, quote=False))


    def share(self, term: str, line: int, back: str, answer: str) -> None:
        self.shared.append((term, line, back, answer))

    def flush(self, section: Section) -> Iterator[Card]:
        """The cards of terms defined together that the section did not define on their own."""
        shared, self.shared = self.shared, []
        for term, line, back, answer in shared:
            made = self.card(section, term, line, back, answer)
            if made:
                yield made


def extract_definitions(doc: Document, ctx: Context) -> Iterator[Card | Diagnostic]:
    maker = _Maker(ctx)
    ends = ctx.closers()
    cards = [card for section in doc.sections for card in _section(doc, ctx, maker, section, ends)]
    # "**设备**: CPU" under every stage of a pipeline: a key the note repeats is a field of its template.
    counts = Counter(maker.slots.values())
    for card in cards:
        slot = maker.slots.get((card.line, card.question))
        if slot is None or counts[slot] < _SLOT_REPEATS:
            yield card


def _section(doc: Document, ctx: Context, maker: _Maker, section: Section,
             ends: dict[int, int]) -> Iterator[Card]:
    tokens = doc.tokens
    lead_in = False
    # Under "Why CUDA Graphs are used" or "优缺点", bold keys are reasons and points, not terms.
    points = section.heading is not None and (is_points_heading(section.heading.text) or (
        is_question_text(section.heading.text) and not is_definition_question(section.heading.text)))
    lettered: set[int] = set()
    listed = _points_lists(doc, ctx, maker, section, ends, lettered)
    blocks = maker.blocks
    at = bisect_left(blocks, section.start)
    past = section.start  # the end of the last table read: nothing inside it is read again
    while at < len(blocks) and blocks[at] < section.end:
        i = blocks[at]
        at += 1
        if i < past:
            continue
        tok = tokens[i]
        if tok.type == "paragraph_open" and i + 1 < len(tokens) and tokens[i + 1].type == "inline":
            if not may_hold(tokens[i + 1].content):
                lead_in = lead_in and tok.level != 0  # a lead-in ends with a colon: this paragraph has none
                continue
            item_end = ends.get(i - 1) if tokens[i - 1].type == "list_item_open" else None
            flat = ctx.flat(tokens[i + 1])
            # Points are the section's own list; a nested list under a point can hold real terms.
            opened = tok.level == 0 and opens_with_lead_in(flat.text)
            under = lead_in or opened or (points and tok.level <= 2) or i in listed
            yield from _paragraph(doc, ctx, maker, section, flat, ends.get(i, i + 2), item_end, under,
                                  numbered=i in lettered)
            if tok.level == 0:
                # Points go on in the paragraphs after a lead-in while each opens with a key.
                lead_in = is_lead_in(flat.text) or opened or (
                    lead_in and _key_at(flat, 0, "paragraph", ctx) is not None)
        elif tok.type == "table_open" and ctx.rule_on("definition.table"):
            for row in term_table_rows(tokens, i, ends.get(i, i)):
                if not value_defines(row.answer, row.term, code=True):
                    continue  # "| Architecture | `MossForConditionalGeneration` |": a setting, not a meaning
                parts = [(head, ctx.render_inline(cell)) for head, cell in row.cells]
                back = parts[0][1] if len(parts) == 1 else "<br>\n".join(
                    f"<strong>{html.escape(head, quote=False)}</strong>：{cell}" if head else cell
                    for head, cell in parts)
                card = maker.card(section, row.term, row.line, back, row.answer)
                if card:
                    yield card
            past = ends.get(i, i) + 1
        elif tok.type == "dt_open" and ctx.rule_on("definition.deflist"):
            yield from _deflist(ctx, maker, section, tokens, i, ends)
    yield from maker.flush(section)


def _points_lists(doc: Document, ctx: Context, maker: _Maker, section: Section, ends: dict[int, int],
                  lettered: set[int]) -> set[int]:
    """Paragraphs that open the items of a list of points, judged by the list as a whole.

    A list whose keys are mostly claims (``延迟低``, ``实现复杂``, ``Better compatibility``,
    ``X 比 Y 快``) or steps (``查询端口信息``, ``Format the prompt``) lists traits, pros and
    cons, findings or a procedure: its other plain-word keys (``负载均衡``, ``切换模式``) are
    points or steps of the same kind, not terms. Names (code, glosses, acronyms) in such a
    list are still terms (see :func:`_named`). Items keyed by letters in sequence (``a``,
    ``b``) are added to ``lettered``: those letters number them.
    """
    tokens = doc.tokens
    out: set[int] = set()
    lists = maker.lists
    for n in range(bisect_left(lists, section.start), bisect_left(lists, section.end)):
        i = lists[n]
        paragraphs: list[int] = []
        letters: dict[int, str] = {}
        claims = 0
        j = i + 1
        close = ends.get(i, i)
        while j < close:
            if tokens[j].type == "list_item_open" and tokens[j + 1].type == "paragraph_open" and (
                    tokens[j + 2].type == "inline") and _SEPARATOR_SOURCE.search(tokens[j + 2].content):
                flat = ctx.flat(tokens[j + 2])
                key = maker.item_keys[id(flat.token)] = _key_at(flat, 0, "bullet", ctx)
                if key is not None and _letter(key.term):
                    letters[j + 1] = key.term.lower()
                step = key is not None and key.rule != "code" and is_step(key.term)
                if key is not None and (step or not is_label(key.term)):
                    paragraphs.append(j + 1)
                    claims += step or (key.rule != "code" and is_claim(key.term))
                elif key is None:
                    # "加载新的驱动程序：…" is no key by its shape, but it is a step all the same.
                    start = strip_lead_ordinal(flat.text, 0)
                    found = _plain_separator(flat.prose, start)
                    raw = flat.text[start : found[0]] if found is not None else ""
                    if _letter(raw.strip()):
                        letters[j + 1] = raw.strip().lower()  # "a：…" is no key ("a" is an article) but numbers one
                    if raw and (is_step(raw) or is_claim(raw)):
                        claims += 1
                        paragraphs.append(j + 1)
            j = ends.get(j, j) + 1 if tokens[j].type == "list_item_open" else j + 1
        if claims >= 2 and claims * 2 >= len(paragraphs):
            out.update(paragraphs)
        # "- a：…", "- b：…": letters in order number the items; "- n：…", "- p：…" are variables.
        names = set(letters.values())
        if any(chr(ord(c) + 1) in names for c in names):
            lettered.update(letters)
    return out


def _paragraph(doc: Document, ctx: Context, maker: _Maker, section: Section, flat: Flat, close: int,
               item_end: int | None, points: bool, numbered: bool = False) -> Iterator[Card]:
    """Keys at line starts, then definition sentences, in one paragraph.

    ``item_end`` is the end of the list item the paragraph opens (its nested blocks
    belong to the last definition). ``points``: the paragraph follows "优点：" or sits
    under "Why …" — its keys name points of a list (``**语义明确**：…``), not terms.
    """
    keys: list[Key] = []
    starts: dict[int, int] = {}
    sentences = may_define(flat.prose)
    if not sentences and _SEPARATOR_CHAR.search(flat.prose) is None:
        return  # neither a key (it needs a colon or a dash) nor a copula or a gloss
    for pos, kind in sentence_starts(flat.prose) if sentences else ():
        starts[pos] = min(kind, starts.get(pos, kind))
    for n, (start, _end) in enumerate(flat.lines()):
        plain = None
        if n == 0 or (keys and keys[0].start == 0 and keys[-1].rule in ("bullet", "paragraph")):
            plain = "bullet" if item_end is not None else "paragraph"
        if n == 0 and plain == "bullet" and id(flat.token) in maker.item_keys:
            key = maker.item_keys.pop(id(flat.token))
        else:
            key = _key_at(flat, start, plain, ctx)
        if key is not None:
            # After a label ("**用途：** `waiting_queue` 是…") a definition sentence may start.
            if sentences:
                starts[key.value] = min(SENTENCE, starts.get(key.value, SENTENCE))
            if key.rule == "code" or not (is_label(key.term) or is_claim(key.term) or (
                    numbered and _letter(key.term))):
                keys.append(key)
    for n, key in enumerate(keys):
        last = n + 1 == len(keys)
        stop = keys[n + 1].start - 1 if not last else len(flat.text)
        value = flat.slice(key.value, stop)
        answer = flat.markdown(key.value, stop)
        if not value_ok(answer, key.term):
            continue  # "**Term**:" with only a nested list under it names a group, not a definition
        if not value_defines(answer, key.term, code=key.rule == "code"):
            continue  # a question, a bare setting, or what a bigger or smaller X does
        if _only_link(value) or (points and not _named(maker, key)):
            continue
        line = flat.line_at(key.start)
        if not maker.wants(section, key.term, line):
            continue
        back = ctx.render_inline(value)
        checked = True
        if last and item_end is not None and close + 1 < item_end:
            # The rest of the list item (nested list, more paragraphs) belongs to the definition.
            rest = doc.tokens[close + 1 : item_end]
            blocks = ctx.render_blocks(rest)
            back = f"<p>{back}</p>\n{blocks}" if back else blocks
            answer, checked = (answer + "\n" + _source(doc, rest)).strip(), False
        made = maker.card(section, key.term, line, back, answer, checked=checked,
                          slot=key.rule != "code" and not is_strong_term(key.term))
        if made:
            yield made
    subjects: list[Subject] = []
    for start in sorted(starts):
        if start >= len(flat.text) or (flat.prose[start : start + 1] == OPAQUE and not flat.span_at(
                skip_spaces(flat.text, start), ("code", "math"))):
            continue
        subject = subject_at(flat, start, ctx, starts[start])
        if subject is not None and not (subjects and subjects[-1].start == subject.start):
            subjects.append(subject)
    for n, subject in enumerate(subjects):
        end = sentence_end(flat.prose, subject.start)
        line = flat.line_at(subject.start)
        if flat.prose[end - 1 : end] in ("？", "?") or end - subject.start > _LONGEST_SENTENCE:
            continue
        link = flat.inside(subject.start, ("link",))
        if link is not None and end <= link.end:
            continue  # "[**1. SP（流处理器）与寄存器文件**](…)": the title of a linked page, not a definition
        if n + 1 < len(subjects) and subjects[n + 1].start < end:
            # "$G_t$ 是…，$R$ 是…": each clause defines its own term.
            end = _clause_end(flat.prose, subject.start, subjects[n + 1].start)
        rendered: tuple[str, str] | None = None
        for term in subject.terms:
            if not maker.wants(section, term, line):
                continue
            if rendered is None:
                rendered = ctx.render_inline(flat.slice(subject.start, end)), flat.markdown(subject.start, end)
            back, answer = rendered
            if subject.others:
                maker.share(term, line, back, answer)
                continue
            made = maker.card(section, term, line, back, answer)
            if made:
                yield made


_JOINING = ("而", "and", "while", "whereas", "but")


def _clause_end(prose: str, start: int, following: int) -> int:
    """Where a clause ends before the next definition at ``following`` (``…，而 Y 是`` keeps neither ``，`` nor 而)."""
    end = following
    while end > start and prose[end - 1] in " \t\n，,;；":
        end -= 1
    word = next((w for w in _JOINING if prose.endswith(w, start, end)), None)
    if word is not None:
        end -= len(word)
        while end > start and prose[end - 1] in " \t\n，,;；":
            end -= 1
    return end


def _named(maker: _Maker, key: Key) -> bool:
    """A key that is clearly a name even in a list of points.

    Code, a gloss, a symbol (``α``, ``N``), Latin in a Chinese note, and in an English note a key made
    only of acronyms and identifiers (``EPLB``, ``DeepEP``; not ``Inference-side FP4``).
    """
    latin = not any(is_cjk_char(c) for c in key.term)
    return key.rule == "code" or has_gloss(key.term) or (latin and (not maker.english or len(key.term) <= 3)) or (
        is_strong_term(key.term) and all(is_strong_term(w) for w in key.term.split()))


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
