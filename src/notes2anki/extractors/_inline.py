"""Inline tokens as text with positions: what the prose extractors read.

markdown-it gives a paragraph as a list of child tokens (text, bold, code…)
without source offsets. The definition, question and flashcard extractors
need to ask "does a bold term start this line, and is it followed by a
colon?", then render only the part after the colon. :class:`Flat` lays the
children end to end as plain text, remembers where each child and each
formatting span sits in it and on which source line, and cuts token slices
back out for rendering, so nothing is parsed twice and no regex ever runs
over raw Markdown.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property

from markdown_it.token import Token

OPAQUE = "\ufffc"
"""Stands in (in :attr:`Flat.prose`) for characters of code, math and HTML."""

_NEWLINE = re.compile("\n")
_OPAQUE_KINDS = frozenset({"code_inline", "math_inline", "math_inline_double", "html_inline"})
_OPAQUE_NAMES = {"code_inline": "code", "html_inline": "html", "math_inline": "math", "math_inline_double": "math"}


@dataclass(frozen=True)
class Span:
    """A formatting run in a :class:`Flat` text: ``text[start:end]`` is inside it."""

    kind: str
    """``strong``, ``em``, ``s``, ``link``, ``code``, ``math`` or ``html``."""
    start: int
    end: int


@dataclass(frozen=True)
class Flat:
    """An inline token laid out as plain text."""

    token: Token
    """The inline token (its children are what gets sliced and rendered)."""
    text: str
    """Visible text: code and math keep their content (math with ``$``), line breaks are ``\\n``."""
    prose: str
    """``text`` with code, math and HTML characters replaced by :data:`OPAQUE` (same length)."""
    starts: tuple[int, ...]
    """Where each child begins in ``text``."""
    ends: tuple[int, ...]
    """Where each child ends in ``text``."""
    spans: tuple[Span, ...]
    """Formatting runs, ordered by start."""
    line: int
    """1-based source line of the first character."""
    breaks: tuple[int, ...]
    """Positions of the ``\\n`` characters (line breaks of the source, and ``<br>``)."""
    html_breaks: tuple[int, ...] = ()
    """Those of :attr:`breaks` that stand for an inline ``<br>``: a new line to read, not a new source line."""

    def line_at(self, pos: int) -> int:
        """Source line of ``text[pos]``."""
        return self.line + bisect_right(self.breaks, pos - 1) - bisect_right(self.html_breaks, pos - 1)

    def span_at(self, pos: int, kinds: Sequence[str]) -> Span | None:
        """The first span of one of ``kinds`` that starts exactly at ``pos``."""
        i = bisect_left(self.span_starts, pos)
        while i < len(self.spans) and self.spans[i].start == pos:
            span = self.spans[i]
            if span.kind in kinds and span.end > span.start:
                return span
            i += 1
        return None

    def inside(self, pos: int, kinds: Sequence[str]) -> Span | None:
        """The innermost-starting span of one of ``kinds`` that contains ``pos``, if any.

        Looks only at the nearest span of each kind that starts at or before
        ``pos`` (spans of one kind do not overlap), so the cost does not grow
        with the length of the paragraph.
        """
        for kind in kinds:
            starts = self.kind_starts.get(kind)
            if not starts:
                continue
            i = bisect_right(starts, pos) - 1
            if i >= 0:
                span = self.by_kind[kind][i]
                if span.start <= pos < span.end:
                    return span
        return None

    @cached_property
    def span_starts(self) -> tuple[int, ...]:
        return tuple(s.start for s in self.spans)

    @cached_property
    def by_kind(self) -> dict[str, tuple[Span, ...]]:
        out: dict[str, list[Span]] = {}
        for span in self.spans:
            out.setdefault(span.kind, []).append(span)
        return {kind: tuple(spans) for kind, spans in out.items()}

    @cached_property
    def kind_starts(self) -> dict[str, tuple[int, ...]]:
        return {kind: tuple(s.start for s in spans) for kind, spans in self.by_kind.items()}

    def lines(self) -> Iterator[tuple[int, int]]:
        """``(start, end)`` of each source line of the text (without the ``\\n``)."""
        start = 0
        for brk in self.breaks:
            yield start, brk
            start = brk + 1
        yield start, len(self.text)

    def slice(self, start: int, end: int) -> Token:
        """An inline token holding the children between ``start`` and ``end``, ready to render.

        Text is cut at the boundaries; code, math and HTML are kept whole if they
        overlap; formatting opened before ``start`` is reopened and formatting left
        open at ``end`` is closed, so the HTML is always balanced.
        """
        children = self.token.children or []
        out: list[Token] = []
        pre = self._open_at(start)
        # Only the children around [start, end] can be kept: find them by bisection, so a
        # paragraph with many keys or sentences costs the size of each slice, not of the paragraph.
        first = max(0, bisect_left(self.starts, start) - 1)
        last = bisect_right(self.starts, end)
        for k in range(first, last):
            child, cs, ce = children[k], self.starts[k], self.ends[k]
            if child.nesting == 1:
                keep = start <= cs < end
            elif child.nesting == -1:
                keep = start < cs <= end
            elif ce == cs:
                keep = start <= cs < end
            else:
                keep = ce > start and cs < end
            if not keep:
                continue
            if child.type == "text" and (cs < start or ce > end):
                piece = _copy(child)
                piece.content = child.content[max(0, start - cs) : min(end, ce) - cs]
                out.append(piece)
            else:
                out.append(child)
        # Reopen formatting that encloses ``start``; close what is open at ``end``.
        balanced: list[Token] = []
        stack: list[Token] = []
        for child in [*(_copy(t) for t in pre), *out]:
            if child.nesting == 1:
                stack.append(child)
            elif child.nesting == -1:
                if not stack or stack[-1].type != child.type.replace("_close", "_open"):
                    continue
                stack.pop()
            balanced.append(child)
        balanced.extend(_closer(opener) for opener in reversed(stack))
        out = balanced
        token = Token("inline", "", 0)
        token.children = out
        token.content = self.text[start:end]
        return token

    def _open_at(self, start: int) -> list[Token]:
        """Formatting opened before ``start`` and not closed by then (closers at ``start`` count as closed)."""
        tops, below = self._open_stacks
        children = self.token.children or []
        top = tops[bisect_left(self.starts, start)]
        for k in range(bisect_left(self.starts, start), bisect_right(self.starts, start)):
            if children[k].nesting == -1 and top != -1:
                top = below[top]
        opened: list[Token] = []
        while top != -1:
            opened.append(children[top])
            top = below[top]
        return opened[::-1]

    @cached_property
    def _open_stacks(self) -> tuple[tuple[int, ...], dict[int, int]]:
        """The open formatting after each prefix of the children, as shared linked stacks.

        ``tops[k]`` is the innermost opener still open before child ``k`` (-1 for none);
        ``below[i]`` is the opener that was innermost when opener ``i`` opened.
        """
        tops: list[int] = []
        below: dict[int, int] = {}
        top = -1
        for k, child in enumerate(self.token.children or ()):
            tops.append(top)
            if child.nesting == 1:
                below[k] = top
                top = k
            elif child.nesting == -1 and top != -1:
                top = below[top]
        tops.append(top)
        return tuple(tops), below

    def markdown(self, start: int, end: int) -> str:
        """Markdown source for ``text[start:end]`` (for card answers and hashing)."""
        return to_markdown(self.slice(start, end).children or [])


def closers(tokens: Sequence[Token]) -> dict[int, int]:
    """Index of each block opener -> index of its closer."""
    out: dict[int, int] = {}
    stack: list[int] = []
    for i, tok in enumerate(tokens):
        if tok.nesting == 1:
            stack.append(i)
        elif tok.nesting == -1 and stack:
            out[stack.pop()] = i
    return out


def _copy(token: Token) -> Token:
    clone = Token(token.type, token.tag, token.nesting, attrs=dict(token.attrs), markup=token.markup,
                  info=token.info, content=token.content)
    clone.children = token.children
    return clone


def _closer(opener: Token) -> Token:
    return Token(opener.type.replace("_open", "_close"), opener.tag, -1, markup=opener.markup)


def _child_text(child: Token) -> str:
    kind = child.type
    if kind in ("text", "code_inline"):
        return child.content
    if kind == "math_inline":
        return f"${child.content}$"
    if kind == "math_inline_double":
        return f"$${child.content}$$"
    if kind in ("softbreak", "hardbreak"):
        return "\n"
    if kind == "html_inline" and child.content.lower().startswith("<br"):
        return "\n"
    return ""


def flatten(inline: Token, line: int | None = None) -> Flat:
    """Lay out ``inline`` as text; ``line`` overrides the 1-based line of its first character."""
    children = inline.children or ()
    parts: list[str] = []
    starts: list[int] = []
    spans: list[Span] = []
    stack: list[tuple[str, int]] = []
    html_breaks: list[int] = []
    opaque = False
    pos = 0
    for child in children:
        kind = child.type
        starts.append(pos)
        if kind == "text":
            piece = child.content
        elif child.nesting == 1:
            stack.append((kind.removesuffix("_open"), pos))
            parts.append("")
            continue
        elif child.nesting == -1:
            if stack:
                name, begin = stack.pop()
                spans.append(Span(name, begin, pos))
            parts.append("")
            continue
        else:
            piece = _child_text(child)
            if kind in _OPAQUE_KINDS and piece != "\n":
                opaque = True
                spans.append(Span(_OPAQUE_NAMES[kind], pos, pos + len(piece)))
            elif kind == "html_inline" and piece == "\n":
                html_breaks.append(pos)
        parts.append(piece)
        pos += len(piece)
    text = "".join(parts)
    ends = (*starts[1:], pos) if starts else ()
    if opaque:
        # Code, math and HTML stand in ``prose`` as OPAQUE characters, so no pattern reads into them.
        prose = "".join(OPAQUE * len(piece) if child.type in _OPAQUE_KINDS and piece != "\n" else piece
                        for child, piece in zip(children, parts))
    else:
        prose = text
    if len(spans) > 1:
        spans.sort(key=_span_order)
    first = line if line is not None else (inline.map[0] + 1 if inline.map else 1)
    breaks = tuple(m.start() for m in _NEWLINE.finditer(text)) if "\n" in text else ()
    return Flat(inline, text, prose, tuple(starts), ends, tuple(spans), first, breaks, tuple(html_breaks))


def _span_order(span: Span) -> tuple[int, int]:
    return span.start, -span.end


def to_markdown(children: Sequence[Token]) -> str:
    """Markdown for inline children, close to what was written."""
    out: list[str] = []
    hrefs: list[str] = []
    for child in children:
        kind = child.type
        if kind == "text":
            out.append(child.content)
        elif kind == "code_inline":
            fence = "``" if "`" in child.content else "`"
            out.append(f"{fence}{child.content}{fence}")
        elif kind == "math_inline":
            out.append(f"${child.content}$")
        elif kind == "math_inline_double":
            out.append(f"$${child.content}$$")
        elif kind in ("softbreak", "hardbreak"):
            out.append("\n")
        elif kind == "html_inline":
            out.append(child.content)
        elif kind == "link_open":
            hrefs.append(str(child.attrs.get("href", "")))
            out.append("[")
        elif kind == "link_close":
            out.append(f"]({hrefs.pop()})" if hrefs else "]")
        elif kind == "image":
            out.append(f"![{child.content}]({child.attrs.get('src', '')})")
        else:
            out.append(child.markup)
    return "".join(out).strip()


def is_blank(text: str) -> bool:
    """Whether ``text`` has nothing a learner would read (whitespace and punctuation only)."""
    return not any(ch.isalnum() or ch == OPAQUE for ch in text)
