"""LaTeX's own math delimiters in Markdown: ``\\(…\\)`` inline and ``\\[…\\]`` display.

Notes exported from Typora, Notion or LaTeX use these instead of ``$``. In
CommonMark ``\\(`` is just an escaped parenthesis, so without these rules the
backslashes vanish and MathJax never sees the formula. The rules make the same
tokens as ``mdit_py_plugins.dollarmath`` (``math_inline``,
``math_inline_double``, ``math_block``), so everything downstream treats both
spellings alike.

Both rules scan forward with ``str.find`` and remember, per parse, where the
next closing delimiter is (or that there is none), so a note with thousands of
unmatched openers still parses in linear time — there are no regular
expressions to backtrack.
"""

from __future__ import annotations

import weakref

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.rules_inline import StateInline

_INLINE = {"\\(": ("\\)", "math_inline"), "\\[": ("\\]", "math_inline_double")}


class _Next:
    """A scan from ``start`` that stopped at ``until`` and found the closer at ``at`` (``-1``: none).

    Any later scan starting in ``[start, until]`` would find the same, so it is not repeated.
    """

    __slots__ = ("at", "start", "until")

    def __init__(self, start: int, until: int, at: int) -> None:
        self.start, self.until, self.at = start, until, at

    def covers(self, pos: int) -> bool:
        return self.start <= pos <= self.until


# One memo per parser state, keyed by what bounds a scan (the state's limits change
# while markdown-it parses link labels and nested containers).
_inline_memo: weakref.WeakKeyDictionary[StateInline, dict[tuple[str, int], _Next]] = weakref.WeakKeyDictionary()
_block_memo: weakref.WeakKeyDictionary[StateBlock, dict[tuple[int, int], _Next]] = weakref.WeakKeyDictionary()


def _math_inline(state: StateInline, silent: bool) -> bool:
    src, pos = state.src, state.pos
    opener = src[pos : pos + 2]
    if opener not in _INLINE:
        return False
    closer, kind = _INLINE[opener]
    memo = _inline_memo.setdefault(state, {})
    key = (closer, state.posMax)
    start = pos + 2
    known = memo.get(key)
    if known is not None and known.covers(start):
        end = known.at
    else:
        end = src.find(closer, start, state.posMax)
        memo[key] = _Next(start, state.posMax if end == -1 else end, end)
    if end == -1 or not src[start:end].strip():
        return False
    if not silent:
        token = state.push(kind, "math", 0)
        token.content = src[start:end]
        token.markup = opener
    state.pos = end + 2
    return True


def _math_block(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    if state.is_code_block(start_line):
        return False
    begin = state.bMarks[start_line] + state.tShift[start_line]
    first = state.src[begin : state.eMarks[start_line]].rstrip()
    if not first.startswith("\\["):
        return False
    close_at = first.find("\\]", 2)
    if close_at != -1:  # on one line: only if nothing follows the closer
        if close_at != len(first) - 2:
            return False
        last_line, content = start_line, first[2:close_at]
    else:
        last_line = _closing_line(state, start_line + 1, end_line)
        if last_line == -1:
            return False
        closing = state.src[state.bMarks[last_line] + state.tShift[last_line] : state.eMarks[last_line]].rstrip()
        if closing.find("\\]") != len(closing) - 2:
            return False
        lines = [first[2:], state.getLines(start_line + 1, last_line, state.tShift[start_line], False),
                 closing[:-2]]
        content = "\n".join(part for part in lines if part.strip())
    if not content.strip():
        return False
    if silent:
        return True
    token = state.push("math_block", "math", 0)
    token.block = True
    token.content = content
    token.markup = "\\["
    token.map = [start_line, last_line + 1]
    state.line = last_line + 1
    return True


def _closing_line(state: StateBlock, line: int, end_line: int) -> int:
    """The first line from ``line`` that contains ``\\]`` (within this container), or ``-1``."""
    memo = _block_memo.setdefault(state, {})
    key = (end_line, state.blkIndent)
    known = memo.get(key)
    if known is not None and known.covers(line):
        return known.at
    start = line
    found = -1
    while line < end_line:
        begin = state.bMarks[line] + state.tShift[line]
        if begin < state.eMarks[line] and state.sCount[line] < state.blkIndent:
            break
        if state.src.find("\\]", begin, state.eMarks[line]) != -1:
            found = line
            break
        line += 1
    memo[key] = _Next(start, line, found)
    return found


def texbrackets_plugin(md: MarkdownIt) -> None:
    """Use as ``MarkdownIt().use(texbrackets_plugin)``; renders through the ``math_*`` rules."""
    md.inline.ruler.before("escape", "math_brackets", _math_inline)
    md.block.ruler.before("fence", "math_block_brackets", _math_block,
                          {"alt": ["paragraph", "reference", "blockquote", "list"]})
