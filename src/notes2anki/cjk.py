"""CJK-friendly Markdown: emphasis next to CJK punctuation, and soft breaks.

CommonMark's flanking rules were written for languages that separate words
with spaces, so ``使用**计算密集程度(arithmetic intensity)**预估`` keeps its
asterisks and a line break inside a Chinese sentence renders as a stray space.
This module implements the CommonMark "CJK-friendly amendments"
(github.com/tats-u/markdown-cjk-friendly, specification.md) for markdown-it-py
as a plugin that replaces the ``emphasis`` tokenizer *of one parser instance*:
no global patching, other MarkdownIt instances keep upstream behaviour.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.common.utils import isMdAsciiPunct, isPunctChar, isWhiteSpace
from markdown_it.renderer import RendererProtocol
from markdown_it.rules_inline.state_inline import Delimiter, StateInline
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict


@lru_cache(maxsize=4096)
def is_cjk(ch: str) -> bool:
    """A CJK character per the amendment: wide/fullwidth/halfwidth and not an emoji, or Hangul."""
    if not ch:
        return False
    cp = ord(ch[0])
    if 0x1F000 <= cp <= 0x1FAFF:  # emoji and pictographs are wide but not CJK
        return False
    if unicodedata.east_asian_width(ch[0]) in ("W", "F", "H"):
        return True
    return 0x1100 <= cp <= 0x11FF or 0xAC00 <= cp <= 0xD7AF or 0x3130 <= cp <= 0x318F


def _is_punct(ch: str) -> bool:
    return isMdAsciiPunct(ord(ch)) or isPunctChar(ch)


def _flanking(last: str, nxt: str) -> tuple[bool, bool]:
    """Left/right flanking with CJK characters treated as the amendment says."""
    last_ws, next_ws = isWhiteSpace(ord(last)), isWhiteSpace(ord(nxt))
    last_noncjk_punct = _is_punct(last) and not is_cjk(last)
    next_noncjk_punct = _is_punct(nxt) and not is_cjk(nxt)
    left = not next_ws and (not next_noncjk_punct or last_ws or last_noncjk_punct or is_cjk(last))
    right = not last_ws and (not last_noncjk_punct or next_ws or next_noncjk_punct or is_cjk(nxt))
    return left, right


def _emphasis(state: StateInline, silent: bool) -> bool:
    """markdown-it-py's emphasis tokenizer with CJK-aware delimiter scanning."""
    start = state.pos
    marker = state.src[start]
    if silent or marker not in ("_", "*"):
        return False
    pos = start
    while pos < state.posMax and state.src[pos] == marker:
        pos += 1
    length = pos - start
    last = state.src[start - 1] if start > 0 else " "
    nxt = state.src[pos] if pos < state.posMax else " "
    if is_cjk(last) or is_cjk(nxt):
        left, right = _flanking(last, nxt)
        if marker == "*":
            can_open, can_close = left, right
        else:
            can_open = left and (not right or _is_punct(last))
            can_close = right and (not left or _is_punct(nxt))
    else:
        scanned = state.scanDelims(start, marker == "*")
        can_open, can_close = scanned.can_open, scanned.can_close
    for _ in range(length):
        token = state.push("text", "", 0)
        token.content = marker
        state.delimiters.append(
            Delimiter(marker=ord(marker), length=length, token=len(state.tokens) - 1,
                      end=-1, open=can_open, close=can_close)
        )
    state.pos += length
    return True


def _softbreak(
    self: RendererProtocol, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    """A line break between two CJK characters joins them (no stray space)."""
    before = tokens[idx - 1].content[-1:] if idx > 0 else ""
    after = tokens[idx + 1].content[:1] if idx + 1 < len(tokens) else ""
    if is_cjk(before) and is_cjk(after):
        return ""
    return "<br />\n" if options.breaks else "\n"


def cjk_friendly_plugin(md: MarkdownIt) -> None:
    """Use as ``MarkdownIt().use(cjk_friendly_plugin)``."""
    md.inline.ruler.at("emphasis", _emphasis)
    md.add_render_rule("softbreak", _softbreak)
