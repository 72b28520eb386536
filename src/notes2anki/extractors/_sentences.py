"""Definition sentences: a bounded term at the start of a sentence, then a copula or a gloss.

``I2C（Inter-Integrated Circuit）是一种…``, ```` `Scheduler` 是决定…的组件 ````,
``QPC全称是…``, ``所谓的"隐藏延迟"，就是…``, ``Speculative decoding is a technique…``.
A *bounded* term is one a reader can see the edges of: Latin script in a Chinese
sentence, a code span, bold, quotes, math or a gloss. A plain Chinese subject
(``整体的遍历顺序就是…``) has no edge and is never a term, except after 所谓
(``所谓零拷贝，就是…``), which marks one.

Where a sentence may start decides how much it takes to define:

* at the opening of a paragraph or after a sentence end, a bounded term with a
  copula, or a glossed term whatever its verb (``RT Core（Ray Tracing Core）提供…``);
* after a comma (a clause: ``其中，$G_t$ 是…，$\\gamma$ 是折扣因子``), a copula only,
  and a bare 是/为/is needs a subject that is plainly a name (code, math, a gloss, an
  acronym or identifier).

Several terms may share one predicate (```` `A`和`B`是… ````, ``$A_1$ 和 $A_2$ 分别是…``):
each is defined. Every check looks at a short window after the sentence start,
and a start is only read at all if a copula or a gloss can follow it within its
first two clauses, so cost stays linear in the paragraph.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from . import Context
from ._inline import Flat
from ._terms import (
    CN_ADVERBS,
    CN_DEFINING,
    CN_PRONOUN_START,
    CN_WEAK_COPULAS,
    EN_COPULAS,
    EN_IS_ADVERBS,
    EN_IS_NEXT,
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
    is_strong_term,
    looks_like_path,
    noun_tail,
    skip_spaces,
    strip_lead_ordinal,
    term_shape_ok,
)

OPEN, SENTENCE, CLAUSE = 0, 1, 2
"""How a start was reached: the paragraph's opening, after a sentence end, after a comma."""

_RUN_BREAKERS = frozenset(("the", "a", "an", "this", "that", "its", "their", "is", "are", "was", "were", "for", "with",
                           "by", "into", "specifically", "mainly", "also"))
"""Words that make a run of Latin words a clause rather than a name."""


@dataclass(frozen=True)
class Subject:
    """A sentence's bounded subject and what makes it a definition."""

    rule: str
    term: str
    start: int
    others: tuple[str, ...] = ()
    """More terms sharing the predicate (```` `A`和`B`是… ````): each gets its own card."""

    @property
    def terms(self) -> tuple[str, ...]:
        return (self.term, *self.others)


_EXAMPLE_LEADS = ("比如", "例如", "譬如", "e.g.", "E.g.", "For example", "for example", "For instance")
_CLAUSE_OPENERS = ("而",)
"""After a comma these open a clause that defines as freely as a sentence (``…，而PSN是本端发送的第一个包序号``)."""
_CONJUNCTIONS = ("因为", "由于", "但是", "但", "所以", "因此", "并且", "而且", "且", "那么", "不过", "也就是说", "即",
                 "because ", "since ", "but ", "so ", "and ", "while ", "whereas ")
"""Words a clause may open with before its subject (``…，因为 PCIe 是一种…``)."""
_JOINERS = ("以及", "或者", "和", "与", "及", "、", "或", "&", "and ", "or ")
"""What joins several terms that share one predicate."""
_APPOSITIVE = re.compile(r"\s*(?:该|这个|此)(?:类|函数|方法|对象|结构体|参数|变量|字段|模块|接口|组件|宏)\s*")
"""``` `TpModelWorkerClient` 该类对应着… ```: a code name, then a word naming what it is."""
_DETERMINER = re.compile(r"(?:This|The|These)\s+")
_PROPER = re.compile(r"[A-Z][\w.+-]*(?: [A-Z][\w.+-]*){0,2}")
"""Up to three capitalised words: a name after a determiner (``The Talker``), not a common noun."""
_CALL_ARGS = re.compile(r"\([a-z0-9_]+(?:\s*[,|]\s*[a-z0-9_]+){0,3}\)")
"""``Q(s, a)``, ``V(s)``: a function's arguments are part of its name."""
_EN_COPULA = (r"(?:(?:is|are) +(?:(?:" + "|".join(sorted(EN_IS_ADVERBS)) + r") +)?(?i:"
              + "|".join(sorted(EN_IS_NEXT)) + r"),?(?=\s|$)|(?:"
              + "|".join(w for w in EN_COPULAS if w not in ("is", "are")) + r")(?= |$))")
_EN_TRIGGER = re.compile(r"(?<=[ \ufffc)）*])" + _EN_COPULA)
"""An English copula as :func:`en_copula` reads one ("is a", "refers to"), after the subject's last character."""
_CN_TRIGGER = re.compile(r"[是即指为称叫（(]|全名|意为|意思|代表|对应|表示|译为")
"""A Chinese copula (是, 即, 全称, 代表, 表示…, as :func:`cn_copula` reads them) or a gloss's parenthesis."""
_CN_FIRST = re.compile(r"[是即指为称叫全意代对表译（(]")
"""Their first characters: one class a scan skips to fast, before the exact pattern is tried."""
_STOPS = re.compile(r"[\n。！？；;，,]")
_BREAKS = re.compile(r"[\n。！？；，：]|[.!?;,:](?=[ \n])|\((?=[A-Z])")


_SOURCE_FIRST = re.compile(r"[是即指为称叫全意代对表译（(：:—–\-&\\]")
_SOURCE_EXACT = re.compile(r"[是即指为称叫（：—&\\]|(?<!\])\(|:(?![/A-Za-z0-9])|[–-][ \u3000]"
                           r"|全名|意为|意思|代表|对应|表示|译为")
"""A copula, a gloss's parenthesis (not a link's), a key's colon (not a URL's) or dash (not a
hyphen), an entity or an escape."""
_EN_COPULA_AT = re.compile(_EN_COPULA)


def may_hold(source: str) -> bool:
    """Whether a paragraph's Markdown could hold a definition: a key's colon or dash, a copula or a gloss.

    Read on the source before the paragraph is laid out: most paragraphs of prose hold none
    and are passed over at the cost of one scan. Entities and escapes are let through.
    """
    first = _SOURCE_FIRST.search(source)
    if first is not None and _SOURCE_EXACT.search(source, first.start()) is not None:
        return True
    for word in ("is ", "are "):  # "is a", "are the": found by a plain scan, then checked
        at = source.find(word)
        while at != -1:
            if _EN_COPULA_AT.match(source, at) is not None:
                return True
            at = source.find(word, at + 1)
    return ("refers to" in source or "means" in source or "describes" in source or "denotes" in source
            or "represents" in source or "stands for" in source or "defined as" in source or "known as" in source)


def may_define(prose: str) -> bool:
    """Whether a paragraph holds anything a definition sentence needs: a copula or a gloss."""
    first = _CN_FIRST.search(prose)
    return (first is not None and _CN_TRIGGER.search(prose, first.start()) is not None) or (
        _EN_TRIGGER.search(prose) is not None)


@lru_cache(maxsize=4)
def _marks(prose: str) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Positions of copula or gloss triggers, and of clause stops, in a paragraph (found once)."""
    first = _CN_FIRST.search(prose)
    chinese = [m.start() for m in _CN_TRIGGER.finditer(prose, first.start())] if first is not None else []
    triggers = sorted(chinese + [m.start() for m in _EN_TRIGGER.finditer(prose)])
    return tuple(triggers), tuple(m.start() for m in _STOPS.finditer(prose))


def _defines_ahead(prose: str, pos: int) -> bool:
    """Whether a copula or a gloss occurs within the first two clauses after ``pos``.

    Every subject read here has its copula or gloss there (``X，是…`` and ``所谓 X，就是…``
    reach into the second clause), so a start that fails this cannot define anything.
    """
    triggers, stops = _marks(prose)
    at = bisect_left(triggers, pos)
    if at == len(triggers):
        return False
    stop = bisect_left(stops, pos)
    for _ in range(2):
        if stop == len(stops) or triggers[at] < stops[stop]:
            return True
        if prose[stops[stop]] not in "，,":
            return False
        stop += 1
    return False


def sentence_starts(prose: str) -> list[tuple[int, int]]:
    """Where sentences and clauses start that a copula or a gloss follows closely enough to define.

    Each start comes with how it was reached (:data:`OPEN`, :data:`SENTENCE`, :data:`CLAUSE`).
    Only starts with a copula or a gloss in their first two clauses are kept (see
    :func:`_defines_ahead`): found from the triggers backwards, so a paragraph whose only
    copula is in ``需要注意的是`` costs its one or two starts, not one per clause.
    """
    triggers, stops = _marks(prose)
    # The span of starts each trigger can serve: back to the last full stop, or across one comma.
    ranges: list[tuple[int, int]] = []
    for trigger in triggers:
        before = bisect_left(stops, trigger)
        if before == 0:
            low = -1
        elif prose[stops[before - 1]] in "，,":
            low = stops[before - 2] if before >= 2 else -1
        else:
            low = stops[before - 1]
        if ranges and low <= ranges[-1][1]:
            ranges[-1] = (ranges[-1][0], trigger)
        else:
            ranges.append((low, trigger))
    kept: list[tuple[int, int]] = []
    for low, high in ranges:
        if low < 0:
            kept.append((0, OPEN))
        # A start follows its break by one or two characters.
        kept.extend(start for start in _all_starts(prose, max(0, low - 1), high + 1) if low < start[0] <= high)
    return kept


def _all_starts(prose: str, begin: int, end: int) -> Iterator[tuple[int, int]]:
    for match in _BREAKS.finditer(prose, begin, end):
        i = match.start()
        ch = prose[i]
        if ch in "\n。！？；：":
            yield i + 1, SENTENCE
        elif ch == "，":
            yield i + 1, SENTENCE if prose.startswith(_CLAUSE_OPENERS, skip_spaces(prose, i + 1)) else CLAUSE
        elif ch == ",":
            yield i + 2, CLAUSE
        elif ch == ":":
            yield i + 2, SENTENCE
        elif ch == "(":
            yield i + 1, CLAUSE  # "(PSI is a Linux kernel pressure metric…)"
        elif prose[i + 2 : i + 3] != "\n":
            yield i + 2, SENTENCE


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
    for match in re.finditer(r"[。！？\n]|[.!?](?=[ \n]|$)", prose):
        i = match.start()
        stops.append(i)
        ends.append(i + (prose[i] != "\n"))
    return tuple(stops), tuple(ends)


def _latin_run(text: str, pos: int, limit: int = 80) -> int:
    """End of a run of Latin words starting at ``pos`` (at most ``limit`` characters: terms are short)."""
    i = _LATIN_RUN.match(text, pos, min(len(text), pos + limit)).end()  # type: ignore[union-attr]
    while i > pos and text[i - 1] in ".-/&":
        i -= 1
    if text[i : i + 1] == "(":
        args = _CALL_ARGS.match(text, i)
        if args is not None:
            return args.end()
    return i


def _alternatives(words: tuple[str, ...]) -> re.Pattern[str]:
    """One pattern for "which of ``words`` starts here", tried in their order (longest first where it matters)."""
    return re.compile("|".join(re.escape(w) for w in words))


_SKIP = _alternatives(SKIP_PREFIXES)
_CONJ = _alternatives(_CONJUNCTIONS)
_EXAMPLE = _alternatives(_EXAMPLE_LEADS)
_JOINER = _alternatives(_JOINERS)
_ADVERB = _alternatives(CN_ADVERBS)
_LATIN_RUN = re.compile(r"(?:[A-Za-z0-9_+#/&-]|[. ](?=[A-Za-z0-9_])| & (?=[A-Za-z0-9_]))*")
_FIRST_WORD = re.compile(r"[A-Za-z0-9_+#/&.-]+")
_DETERMINERS = frozenset(("this", "the", "these"))


def _lead(flat: Flat, pos: int, kind: int) -> tuple[int, str, int] | None:
    """Where the subject starts after ordinals, lead-ins and conjunctions, the lead-in skipped, and the kind.

    A subject after a conjunction (``因为 KV 是…``) is read as a clause's: it only defines with a copula.
    """
    text = flat.text
    pos = strip_lead_ordinal(text, skip_spaces(text, pos))
    found = _SKIP.match(text, pos)
    lead = found.group() if found else ""
    if lead:
        pos = skip_spaces(text, pos + len(lead))
    found = _CONJ.match(text, pos)
    conj = found.group() if found else None
    if conj and (kind == CLAUSE or not conj.isascii()):
        pos, kind = skip_spaces(text, pos + len(conj)), CLAUSE
    elif kind == CLAUSE and text[max(0, pos - 14) : pos].rstrip(" ，,").endswith(_EXAMPLE_LEADS) and flat.span_at(
            pos, ("math",)) is None:
        return None  # "例如，AlphaGo 就是…": an example, not a definition
    if pos >= len(text) or text.startswith(CN_PRONOUN_START, pos):
        return None  # "这是…": a pronoun, not a term
    found = _EXAMPLE.match(text, pos)
    example = found.group() if found else None
    if example:
        # "比如 `send(t, 1)` 表示…" shows an example; "例如，$V(s)$ 是状态 $s$ 的价值" still defines a symbol.
        after = skip_spaces(text, pos + len(example))
        after = skip_spaces(text, after + 1) if text[after : after + 1] in ("，", ",") else after
        if flat.span_at(after, ("math",)) is None:
            return None
        pos = after
    return pos, lead, kind


def subject_at(flat: Flat, pos: int, ctx: Context, kind: int) -> Subject | None:
    """A definition sentence starting at ``pos``: bounded term(s), then a copula or a gloss.

    A gloss without a copula (``控制单元（CU，Control Unit）负责…``) counts at the start of a
    sentence, not after a comma. A sentence set in bold (``**AH全称为Address Handle**``) is
    read inside its bold when the bold as a whole is no term.
    """
    text, prose = flat.text, flat.prose
    if not _defines_ahead(prose, pos):
        return None
    if (_NOT_A_TERM_CLAUSE if kind == CLAUSE else _NOT_A_TERM).match(prose, pos) is not None and flat.span_at(
            skip_spaces(text, pos), ("strong", "em", "link")) is None:
        return None  # "which is…", "with X the system…": no term starts with a function word (`first` may)
    found = _lead(flat, pos, kind)
    if found is None:
        return None
    start, lead, kind = found
    if flat.span_at(start, ("strong", "em", "link")) is not None:
        subject = _subject(flat, start, ctx, kind, lead, spans=True)
        if subject is not None:
            return subject
    elif flat.span_at(start, ("code", "math")) is None:
        word = _FIRST_WORD.match(text, start)
        first = word.group().rstrip(".-/&").lower() if word is not None else ""
        if first in EN_NON_SUBJECT and first not in _DETERMINERS:
            return None
        if is_cjk_char(text[start]) and not lead.startswith("所谓") and "（" not in text[start : start + 17] and (
                "(" not in text[start : start + 17]):
            return None  # a Chinese subject needs its gloss right after it (or 所谓 before it)
    return _subject(flat, start, ctx, kind, lead, spans=False)


def _function_words(clause: bool) -> re.Pattern[str]:
    """A start that is a function word and no lead-in the sentence reader skips (``with``, ``which``)."""
    leads = SKIP_PREFIXES + _EXAMPLE_LEADS + tuple(c for c in _CONJUNCTIONS if c.isascii() and clause)
    words = sorted(EN_NON_SUBJECT - _DETERMINERS, key=len, reverse=True)
    return re.compile(r"[ \t\u3000]*(?!" + "|".join(re.escape(w) for w in leads) + r")(?i:"
                      + "|".join(re.escape(w) for w in words) + r")(?![A-Za-z0-9_+#/&.-])")


_NOT_A_TERM = _function_words(clause=False)
_NOT_A_TERM_CLAUSE = _function_words(clause=True)


def _term_at(flat: Flat, pos: int, spans: bool) -> tuple[str, int] | None:
    """``(shape, end)`` of a bounded term at ``pos``: a span, quotes, a Latin run, or Chinese with a gloss."""
    text = flat.text
    span = flat.span_at(pos, ("strong", "em", "code", "math", "link") if spans else ("code", "math"))
    if span is not None:
        return span.kind, span.end
    ch = text[pos : pos + 1]
    if not ch:
        return None
    if ch in QUOTES:
        close = text.find(QUOTES[ch], pos + 1, pos + 40)
        if close == -1 or "\n" in text[pos:close]:
            return None
        return "quote", close + 1
    if is_latin_char(ch):
        return "latin", _latin_run(text, pos)
    if is_cjk_char(ch):
        end = pos
        while end < min(len(text), pos + 16) and (is_cjk_char(text[end]) or is_latin_char(text[end])
                                                    or text[end] in " -/"):
            end += 1
        return "cjk", end
    return None


def _subject(flat: Flat, pos: int, ctx: Context, kind: int, lead: str, spans: bool) -> Subject | None:
    text, prose = flat.text, flat.prose
    found = _term_at(flat, pos, spans)
    if found is None:
        return None
    shape, end = found
    if shape in ("strong", "em") and not term_shape_ok(text[pos:end], False):
        return None
    named = lead.startswith("所谓")
    if shape == "latin":
        if not any(c.isalpha() for c in text[pos:end]):
            return None
        english = _english_subject(text, pos, end, kind)
        if english is not None:
            return english if ctx.rule_on("definition.copula") else None
        first = text[pos:end].split(" ")[0]
        if first.lower() in EN_NON_SUBJECT:
            det = _DETERMINER.match(text, pos)
            return _determined(flat, det.end(), ctx) if det is not None and kind != CLAUSE else None
        if any(w.lower() in _RUN_BREAKERS or (w.islower() and w.endswith("s") and n)
               for n, w in enumerate(text[pos:end].split())):
            return None  # "AReaL uses the FFD (…)": a clause, not a name
    if text[end : end + 2] in ("'s", "’s"):
        return None  # "slime's strategy is…": the subject is something of the term's
    if shape == "cjk":
        return _cjk_subject(flat, pos, end, ctx, kind, named)
    term_end, glossed = _glossed(text, pos, end)
    terms = [(pos, term_end)]
    strong = shape in ("code", "math") or glossed or is_strong_term(text[pos:end])
    # `A`和`B`是…, $A_1$ 和 $A_2$ 分别是…, Q-Learning、REINFORCE 或 DQN 都是…
    while len(terms) < 6:
        j = skip_spaces(text, term_end)
        found_joiner = _JOINER.match(text, j)
        joiner = found_joiner.group() if found_joiner else None
        if joiner is None:
            break
        k = skip_spaces(text, j + len(joiner))
        nxt = _term_at(flat, k, spans)
        if nxt is None or nxt[0] == "cjk" or text[k : nxt[1]].split(" ")[0].lower() in EN_NON_SUBJECT:
            break
        more_end, more_glossed = _glossed(text, k, nxt[1])
        terms.append((k, more_end))
        strong = strong and (nxt[0] in ("code", "math") or more_glossed or is_strong_term(text[k : nxt[1]]))
        term_end = more_end
    copula = _copula_after(text, prose, term_end, shape, lenient=shape == "math",
                           strict=kind == CLAUSE and shape != "math")
    figure = lead in _FIGURE_LEADS or (kind == CLAUSE and prose[max(0, pos - 8) : pos].rstrip(
        " ，,").endswith(_FIGURE_LEADS))
    if copula is not None and figure and prose.startswith(("表示", "代表"), skip_spaces(prose, copula[0])):
        return None  # "图中，“（编号）”表示…": a label of a figure, not a term
    if copula is not None and len(terms) > 1 and (copula[0] != term_end or any(
            w in prose[term_end : term_end + 24] for w in _COMPARED)):
        copula = None  # "A 和 B 接口是…" is about neither alone; "A 和 B 是不同的…" compares them
    if copula is not None:
        if kind == CLAUSE and copula[1] and not strong:
            return None  # "…，GPU 是瓶颈": a bare 是 after a comma needs a plain name
        terms[-1] = (terms[-1][0], copula[0])
        rule = "copula"
    elif glossed and len(terms) == 1 and kind != CLAUSE and _gloss_sentence_ok(prose, term_end, kind):
        rule = "gloss"
    else:
        return None
    if not ctx.rule_on(f"definition.{rule}"):
        return None
    if looks_like_path(text[pos:end]):
        return None  # files are listed, not defined
    names = [_unquote(text[a:b].strip(), shape) for a, b in terms]
    return Subject(rule, names[0], pos, tuple(names[1:]))


def _unquote(term: str, shape: str) -> str:
    if shape == "quote" and term and term[0] in QUOTES:
        return term[1:].replace(QUOTES[term[0]], "", 1).strip()
    return term


def _glossed(text: str, start: int, end: int) -> tuple[int, bool]:
    """The term's end with its gloss (``RDMA（远程直接内存访问）``), and whether it has one."""
    gloss = gloss_end(text, end)
    if gloss is not None and is_gloss(text[skip_spaces(text, end) + 1 : gloss - 1], text[start:end]):
        return gloss, True
    return end, False


def _cjk_subject(flat: Flat, pos: int, end: int, ctx: Context, kind: int, named: bool) -> Subject | None:
    """A Chinese subject: glossed (``控制单元（CU）负责…``), or marked by 所谓 (``所谓零拷贝，就是…``)."""
    text, prose = flat.text, flat.prose
    if named:
        for i in range(pos + 1, min(end + 1, pos + 12)):
            at = skip_spaces(prose, i + 1) if prose[i : i + 1] in ("，", ",") else i
            if cn_copula(prose, at) is not None and "的" not in text[pos:i]:
                return Subject("copula", text[pos:i].strip(), pos) if ctx.rule_on("definition.copula") else None
            if prose[i : i + 1] in ("，", ","):
                break
    if text[end : end + 1] not in "（(" or "的" in text[pos:end] or not cjk_name_ok(text[pos:end]):
        return None
    term_end, glossed = _glossed(text, pos, end)
    if not glossed:
        return None
    if _copula_after(text, prose, term_end, "cjk", strict=kind == CLAUSE) is not None:
        rule = "copula"
    elif kind != CLAUSE and _gloss_sentence_ok(prose, term_end, kind):
        rule = "gloss"
    else:
        return None
    if not ctx.rule_on(f"definition.{rule}"):
        return None
    return Subject(rule, text[pos:term_end].strip(), pos)


def _determined(flat: Flat, pos: int, ctx: Context) -> Subject | None:
    """``This `FlatParameter` is…``, ``The Talker is…``: a determiner before a name, not before a common noun."""
    text = flat.text
    span = flat.span_at(pos, ("code", "math"))
    if span is not None:
        end = span.end
    else:
        name = _PROPER.match(text, pos)
        if name is None:
            return None
        end = name.end()
    term = text[pos:end].strip()
    if not term or term.lower() in EN_NON_SUBJECT or not ctx.rule_on("definition.copula"):
        return None
    if en_copula(flat.prose, skip_spaces(text, end)) is None:
        return None
    return Subject("copula", term, pos)


def _gloss_sentence_ok(prose: str, after: int, kind: int) -> bool:
    """A glossed subject must be followed by a statement about it, not by more of a longer subject.

    Inside a paragraph (not at its opening) the statement must say what the term does
    (``SFU（…）执行超越函数``, ``RT Core（…）提供…``), not what happened to it or what it affects
    (``VIA（台湾威盛）曾获得…``, ``缓存层次结构（…）会极大地影响…``).
    """
    end = sentence_end(prose, after)
    rest = prose[after:end].strip()
    if len(rest) < 6 or rest.endswith((":", "：")) or rest[:1] in "，,、&和与或及→":
        return False  # a lead-in, or a list of names ("A（X），B（Y）")
    if rest.startswith(_DOES) or _EN_DOES.match(rest):
        return True
    if kind != OPEN:
        return False
    # "X（Y）阶段，…", "X（Y）带宽的计算…", "X（Y）数量与…关系：": the gloss is inside a longer subject.
    if rest.startswith("的"):
        # "北桥（Northbridge）的作用：…" and "控制单元（CU）的主要工作…" are about the term;
        # "精简指令集（RISC）的处理器架构：…" heads a longer subject.
        colon = next((i for i, ch in enumerate(rest[:10]) if ch in "：:"), None)
        return colon is None or is_label(rest[1:colon])
    return not any(mark in rest[1:6] for mark in ("的", "，", ",")) and "：" not in rest[:14] and ":" not in rest[:14]


_NOT_NAME_WORDS = ("大致", "大概", "无非", "往往", "推荐", "可能", "基本", "只", "仅", "才", "又", "再", "还", "将",
                   "会", "能", "要", "应", "不", "很", "更", "太", "立", "正")
"""Adverbs and modals: Chinese holding one is a predicate, not the end of a name (``VLM 推荐可能就是…``)."""
_COMPARED = ("不同", "同一", "相同", "一样", "相反", "正交", "区别", "一体两面")
"""Predicates that compare the terms of a compound subject rather than define each (``A 和 B 是两个不同的事件``)."""
_FIGURE_LEADS = ("图中", "图中的", "上图中的")
_DOES = ("执行", "提供", "负责", "用于", "允许", "支持", "实现", "完成", "包含", "包括", "采用", "能够", "可以", "管理",
         "控制", "处理", "存储", "保存", "记录", "描述", "定义", "决定", "确保", "保证", "维护", "连接", "加速", "使",
         "让", "将", "把", "通过", "由", "用来", "主要", "专门", "旨在", "可", "能", "作为", "代表", "表示", "指")
"""Verbs that say what a term does or is for (``SFU（…）执行超越函数``)."""
_EN_DOES = re.compile(r"(?:lets|allows|provides|enables|handles|manages|performs|executes|stores|keeps|maintains|"
                      r"controls|implements|supports|consists|contains|describes|defines|determines|is used|"
                      r"is responsible|serves|acts)\b")


def _copula_at(prose: str, at: int, lenient: bool = False, strict: bool = False) -> tuple[int, str] | None:
    """``(end, copula)`` of a copula at ``at``, after an optional adverb (``其实就是``, ``分别是``)."""
    found = _ADVERB.match(prose, at)
    adverb = found.group() if found else ""
    begin = at + len(adverb)
    end = cn_copula(prose, begin, lenient, strict)
    if end is None and adverb:
        begin, end = at, cn_copula(prose, at, lenient, strict)
    if end is not None:
        return end, prose[begin:end]
    if prose.startswith("不是", begin):
        stop = sentence_end(prose, begin)
        if prose.find("而是", begin + 2, stop) != -1:
            return begin + 2, "不是"  # "X 不是 A，而是 B" says what X is
    return None


def _copula_after(text: str, prose: str, end: int, shape: str, lenient: bool = False,
                  strict: bool = False) -> tuple[int, bool] | None:
    """``(term end, weak)`` if a copula follows the subject; ``weak`` for a bare 是/为/is/are.

    The term may take a short Chinese tail (``Doorbell寄存器是…``, ``GPU控制通信其实就是…``),
    and a code name an appositive (``` `X` 该类对应着… ```).
    """
    at = skip_spaces(prose, end)
    if prose[at : at + 1] in ("，", ","):
        at = skip_spaces(prose, at + 1)
    if shape == "code":
        appositive = _APPOSITIVE.match(prose, at)
        if appositive is not None:
            at = appositive.end()
    found = _copula_at(prose, at, lenient, strict)
    if found is not None:
        return end, found[1] in CN_WEAK_COPULAS
    if shape in ("latin", "code"):
        for tail in range(1, 5):
            ch = prose[at + tail - 1 : at + tail]
            if not ch or not is_cjk_char(ch) or ch in "的是为即指":
                break
            found = _copula_at(prose, at + tail, strict=strict)
            if found is None:
                continue
            words = prose[at : at + tail]
            if noun_tail(words) or (found[1] in CN_DEFINING and tail >= 2 and cjk_name_ok(words)
                                    and not any(w in words for w in _NOT_NAME_WORDS)):
                return at + tail, found[1] in CN_WEAK_COPULAS
    if shape != "cjk":
        copula = en_copula(prose, at)
        if copula is not None:
            return end, prose[at:copula] in ("is", "are")
    return None


def _english_subject(text: str, pos: int, end: int, kind: int) -> Subject | None:
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
        copula = en_copula(text, at)
        if copula is not None:
            first = text[words[0][0] : words[0][1]].lower()
            if first in EN_NON_SUBJECT or any(text[a:b].lower() in _RUN_BREAKERS for a, b in words[1:n]):
                return None  # "Trimming the earlier reasoning means…": a clause, not a name
            term = text[pos : words[n - 1][1]]
            if is_claim(term):
                return None  # "Higher hit ratio means…": what more of something does
            if kind == CLAUSE and text[at:copula] in ("is", "are") and not (
                    is_strong_term(term) and text[copula:].split(" ", 2)[1:2] in (["a"], ["an"], ["one"])):
                return None  # "…, GPU compute is the bottleneck": after a comma only "Name is a …" defines
            return Subject("copula", term.strip(), pos)
    return None
