"""Definition sentences: a bounded term at the start of a sentence, then a copula or a gloss.

``I2C（Inter-Integrated Circuit）是一种…``, ```` `Scheduler` 是决定…的组件 ````,
``QPC全称是…``, ``所谓的"隐藏延迟"，就是…``, ``Speculative decoding is a technique…``.
A *bounded* term is one a reader can see the edges of: Latin script in a Chinese
sentence, a code span, bold, quotes, math or a gloss. A plain Chinese subject
(``整体的遍历顺序就是…``) has no edge and is never a term. Every check looks at a
short window after the sentence start, so cost stays linear in the paragraph.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from . import Context
from ._inline import Flat
from ._terms import (
    CN_ADVERBS,
    CN_PRONOUN_START,
    EN_NON_SUBJECT,
    QUOTES,
    SKIP_PREFIXES,
    cjk_name_ok,
    cn_copula,
    en_copula,
    gloss_end,
    is_cjk_char,
    is_claim,
    is_gloss,
    is_label,
    is_latin_char,
    looks_like_path,
    noun_tail,
    skip_spaces,
    strip_lead_ordinal,
    term_shape_ok,
)

_RUN_BREAKERS = frozenset(("the", "a", "an", "this", "that", "its", "their", "is", "are", "was", "were", "for", "with",
                           "by", "into", "specifically", "mainly", "also"))
"""Words that make a run of Latin words a clause rather than a name."""


@dataclass(frozen=True)
class Subject:
    """A sentence's bounded subject and what makes it a definition."""

    rule: str
    term: str
    start: int


_EXAMPLE_LEADS = ("比如", "例如", "譬如", "e.g.", "E.g.", "For example", "for example", "For instance")
_CLAUSE_OPENERS = ("而",)
"""After a comma these open a clause that can define on its own (``…，而PSN是本端发送的第一个包序号``)."""


def sentence_starts(prose: str) -> Iterator[int]:
    yield 0
    for i, ch in enumerate(prose):
        opens_clause = ch == "，" and prose.startswith(_CLAUSE_OPENERS, skip_spaces(prose, i + 1))
        if ch == "\n" or ch in "。！？；" or opens_clause:
            yield i + 1
        elif ch in ".!?;" and prose[i + 1 : i + 2] in (" ", "\n") and prose[i + 2 : i + 3] != "\n":
            yield i + 2


def sentence_end(prose: str, start: int) -> int:
    """End of the sentence that ``start`` is in (after its 。/!/?, or at the line break)."""
    stops, ends = _sentence_stops(prose)
    at = bisect_left(stops, start)
    return ends[at] if at < len(stops) else len(prose)


@lru_cache(maxsize=4)
def _sentence_stops(prose: str) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Where the sentences of a paragraph stop, found once: every clause start looks its end up by bisection.

    Scanning forward from each start would cost the rest of the paragraph per start (a
    1 MB line of ``，而 X 是…`` clauses is quadratic); this keeps it linear.
    """
    stops: list[int] = []
    ends: list[int] = []
    for i, ch in enumerate(prose):
        if ch in "。！？\n":
            stops.append(i)
            ends.append(i + (ch != "\n"))
        elif ch in ".!?" and prose[i + 1 : i + 2] in (" ", "\n", ""):
            stops.append(i)
            ends.append(i + 1)
    return tuple(stops), tuple(ends)


def _latin_run(text: str, pos: int, limit: int = 80) -> int:
    """End of a run of Latin words starting at ``pos`` (at most ``limit`` characters: terms are short)."""
    i = pos
    stop = min(len(text), pos + limit)
    while i < stop:
        ch = text[i]
        nxt = text[i + 1 : i + 2]
        if is_latin_char(ch) or ch in "-+#/&" or (ch in ". " and is_latin_char(nxt)):
            i += 1
        elif text.startswith(" & ", i) and is_latin_char(text[i + 3 : i + 4]):
            i += 3
        else:
            break
    while i > pos and text[i - 1] in ".-/&":
        i -= 1
    return i


def subject_at(flat: Flat, pos: int, ctx: Context, opening: bool) -> Subject | None:
    """A definition sentence starting at ``pos``: bounded term, then a copula or a gloss.

    A gloss without a copula (``控制单元（CU，Control Unit）负责…``) counts only when it
    ``opening`` a paragraph or list item: mid-paragraph glosses are mostly asides. A
    sentence set in bold (``**AH全称为Address Handle**``) is read inside its bold.
    """
    found = _subject(flat, pos, ctx, opening, spans=True)
    return found if found is not None else _subject(flat, pos, ctx, opening, spans=False)


def _subject(flat: Flat, pos: int, ctx: Context, opening: bool, spans: bool) -> Subject | None:
    text, prose = flat.text, flat.prose
    pos = strip_lead_ordinal(text, skip_spaces(text, pos))
    lead = next((p for p in SKIP_PREFIXES if text.startswith(p, pos)), None)
    if lead:
        pos = skip_spaces(text, pos + len(lead))
    if pos >= len(text) or text.startswith(CN_PRONOUN_START + _EXAMPLE_LEADS, pos):
        return None  # "这是…", "比如 `send(t, 1)` 表示…": a pronoun or an example, not a term
    ch = text[pos]
    span = flat.span_at(pos, ("strong", "em", "code", "math", "link") if spans else ("code", "math"))
    if span is not None and span.kind in ("strong", "em") and not term_shape_ok(text[span.start : span.end], False):
        return None
    start, shape = pos, "span"
    if span is not None:
        end = span.end
    elif ch in QUOTES:
        close = text.find(QUOTES[ch], pos + 1, pos + 40)
        if close == -1 or "\n" in text[pos:close]:
            return None
        end, shape = close + 1, "quote"
    elif is_latin_char(ch):
        end, shape = _latin_run(text, pos), "latin"
    elif is_cjk_char(ch):
        end = pos
        while end < min(len(text), pos + 16) and (is_cjk_char(text[end]) or is_latin_char(text[end])
                                                    or text[end] in " -"):
            end += 1
        if text[end : end + 1] not in "（(" or "的" in text[pos:end] or not cjk_name_ok(text[pos:end]):
            return None
        shape = "cjk"
    else:
        return None
    if shape == "latin":
        if not any(c.isalpha() for c in text[pos:end]):
            return None
        english = _english_subject(text, pos, end)
        if english is not None:
            return english if ctx.rule_on("definition.copula") else None
        if text[pos:end].split(" ")[0].lower() in EN_NON_SUBJECT:
            return None
    if text[end : end + 2] in ("'s", "’s"):
        return None  # "slime's strategy is…": the subject is something of the term's
    if shape == "latin" and any(w.lower() in _RUN_BREAKERS or (w.islower() and w.endswith("s") and n)
                                for n, w in enumerate(text[pos:end].split())):
        return None  # "AReaL uses the FFD (…)": a clause, not a name
    term_end = end
    glossed = False
    gloss = gloss_end(text, end)
    if gloss is not None and is_gloss(text[skip_spaces(text, end) + 1 : gloss - 1], text[pos:end]):
        term_end, glossed = gloss, True
    elif shape == "cjk":
        return None
    copula = _copula_after(text, prose, term_end, shape)
    if copula is not None:
        term_end = max(term_end, copula)
        rule = "copula"
    elif glossed and opening and _gloss_sentence_ok(prose, term_end):
        rule = "gloss"
    else:
        return None
    if not ctx.rule_on(f"definition.{rule}"):
        return None
    term = text[start:term_end].strip()
    if looks_like_path(text[start:end]):
        return None  # files are listed, not defined
    if shape == "quote":
        term = term[1:].replace(QUOTES[ch], "", 1) if term else term
    return Subject(rule, term.strip(), start)


def _gloss_sentence_ok(prose: str, after: int) -> bool:
    """A glossed subject must be followed by a statement about it, not by more of a longer subject."""
    end = sentence_end(prose, after)
    rest = prose[after:end].strip()
    if len(rest) < 6 or rest.endswith((":", "：")) or rest[:1] in "，,、&":
        return False  # a lead-in, or a list of names ("A（X），B（Y）")
    # "X（Y）阶段，…", "X（Y）带宽的计算…", "X（Y）数量与…关系：": the gloss is inside a longer subject.
    if rest.startswith("的"):
        # "北桥（Northbridge）的作用：…" and "控制单元（CU）的主要工作…" are about the term;
        # "精简指令集（RISC）的处理器架构：…" heads a longer subject.
        colon = next((i for i, ch in enumerate(rest[:10]) if ch in "：:"), None)
        return colon is None or is_label(rest[1:colon])
    return not any(mark in rest[1:6] for mark in ("的", "，", ",")) and "：" not in rest[:14] and ":" not in rest[:14]


def _copula_after(text: str, prose: str, end: int, shape: str) -> int | None:
    """Where the subject ends if a copula follows it (the term may take a short Chinese tail: ``Doorbell寄存器``)."""
    at = skip_spaces(prose, end)
    if prose[at : at + 1] in ("，", ","):
        at = skip_spaces(prose, at + 1)
    adverb = next((a for a in CN_ADVERBS if prose.startswith(a, at)), None)
    if adverb and cn_copula(prose, at + len(adverb)) is not None:
        return end
    if cn_copula(prose, at) is not None:
        return end
    if shape == "latin":
        for tail in range(1, 4):
            ch = prose[at + tail - 1 : at + tail]
            if not ch or not is_cjk_char(ch) or ch in "的是为即指":
                break
            if noun_tail(prose[at : at + tail]) and cn_copula(prose, at + tail) is not None:
                return at + tail
    if shape != "cjk" and en_copula(prose, at) is not None:
        return end
    return None


def _english_subject(text: str, pos: int, end: int) -> Subject | None:
    """``Speculative decoding is a …``: up to five words, then an English copula."""
    words: list[tuple[int, int]] = []
    i = pos
    while i < end and len(words) < 7:
        j = text.find(" ", i, end)
        j = end if j == -1 else j
        words.append((i, j))
        i = j + 1
    for n in range(1, min(len(words), 6)):
        at = words[n][0]
        if en_copula(text, at) is not None:
            first = text[words[0][0] : words[0][1]].lower()
            if first in EN_NON_SUBJECT or any(text[a:b].lower() in _RUN_BREAKERS for a, b in words[1:n]):
                return None  # "Trimming the earlier reasoning means…": a clause, not a name
            if is_claim(text[pos : words[n - 1][1]]):
                return None  # "Higher hit ratio means…": what more of something does
            return Subject("copula", text[pos : words[n - 1][1]].strip(), pos)
    return None
