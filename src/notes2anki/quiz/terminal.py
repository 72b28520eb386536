"""Cards laid out for a terminal, with ``rich``.

Why rich: it is MIT-licensed and actively maintained, measures CJK characters
as two columns, lays out Markdown lists, tables and code blocks, and is built
on markdown-it-py, so it can render *our* parse of the notes (dollar math,
CJK-friendly emphasis, definition lists) rather than a second dialect. It
cannot read keys; :mod:`.keys` does that with the standard library.

Before rich sees the tokens they are made safe for a terminal: math keeps its
LaTeX source (inline as ``$…$`` in its own style, display math as a ``latex``
block), raw HTML is reduced to its text (``<br>`` to a line break), definition
lists become a bold term over its definition, front matter is dropped.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from datetime import timedelta

from markdown_it.token import Token
from rich.console import Console, Group, RenderableType
from rich.markdown import Markdown
from rich.rule import Rule
from rich.text import Text
from rich.theme import Theme

from ..markdown import parse
from ..topics import join_trail
from .htmltext import html_to_markdown
from .items import CLOZE_CLOSE, CLOZE_OPEN
from .scheduler import Grade
from .session import Step

THEME = Theme({
    "markdown.math": "italic cyan",
    "markdown.cloze": "bold yellow",
    "quiz.context": "dim",
    "quiz.question": "bold",
    "quiz.hint": "dim",
    "quiz.rule": "blue",
    "grade.1": "red",
    "grade.2": "yellow",
    "grade.3": "green",
    "grade.4": "cyan",
})
_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07")
_CLOZE_MARK = re.compile(f"([{CLOZE_OPEN}{CLOZE_CLOSE}])")
CODE_THEME = "ansi_dark"
"""Pygments colours from the terminal's own palette, readable on dark and light backgrounds."""


class _Markdown(Markdown):
    """rich's Markdown renderer fed with tokens from notes2anki's own parser."""

    inlines = {"em", "strong", "code", "s", "math", "cloze"}  # noqa: RUF012 - rich reads it per class

    def __init__(self, tokens: list[Token]) -> None:
        super().__init__("", code_theme=CODE_THEME, hyperlinks=False)
        self.parsed = tokens


def _cloze_marks(text: str) -> list[Token]:
    """A text token split at the cloze markers, the cloze in between styled as ``markdown.cloze``."""
    out: list[Token] = []
    for piece in _CLOZE_MARK.split(text):
        if piece == CLOZE_OPEN:
            out.append(Token("cloze_open", "cloze", 1))
        elif piece == CLOZE_CLOSE:
            out.append(Token("cloze_close", "cloze", -1))
        elif piece:
            out.append(Token("text", "", 0, content=piece))
    return out


def _inline(children: Sequence[Token]) -> list[Token]:
    out: list[Token] = []
    for child in children:
        if child.type == "text" and _CLOZE_MARK.search(child.content):
            out.extend(_cloze_marks(child.content))
        elif child.type == "code_inline":
            out.append(Token("code_inline", "code", 0, content=_CLOZE_MARK.sub("", child.content)))
        elif child.type in ("math_inline", "math_inline_double"):
            fence = "$$" if child.type == "math_inline_double" else "$"
            source = _CLOZE_MARK.sub("", child.content)
            out.append(Token("math_inline", "math", 0, content=f"{fence}{source}{fence}"))
        elif child.type == "html_inline":
            if child.content.lower().replace(" ", "").startswith("<br"):
                out.append(Token("hardbreak", "br", 0))
        else:
            out.append(child)
    return out


def terminal_tokens(tokens: Sequence[Token]) -> list[Token]:
    """Our parser's tokens made safe for rich: math as source, no HTML, no front matter."""
    out: list[Token] = []
    in_term = False
    for token in tokens:
        kind = token.type
        if kind in ("front_matter", "dl_open", "dl_close", "dd_open", "dd_close"):
            continue
        if kind in ("math_block", "math_block_label"):
            out.append(Token("fence", "code", 0, content=f"$$\n{token.content.strip()}\n$$\n", info="latex"))
        elif kind == "html_block":
            text = html_to_markdown(token.content)
            if text:
                out.extend(terminal_tokens(parse(text)))
        elif kind == "dt_open":
            out.append(Token("paragraph_open", "p", 1))
            in_term = True
        elif kind == "dt_close":
            out.append(Token("paragraph_close", "p", -1))
            in_term = False
        elif kind == "inline":
            children = _inline(token.children or [])
            if in_term:
                children = [Token("strong_open", "strong", 1), *children, Token("strong_close", "strong", -1)]
            copy = Token("inline", "", 0, content=token.content, map=token.map, children=children)
            out.append(copy)
        else:
            out.append(token)
    return out


def markdown(text: str) -> RenderableType:
    """A Markdown snippet (a card side) as a rich renderable."""
    return _Markdown(terminal_tokens(parse(text)))


def short_interval(span: timedelta) -> str:
    """``<1m``, ``10m``, ``5h``, ``3d``, ``2.1mo``, ``1.5y``: how Anki labels its buttons."""
    seconds = span.total_seconds()
    if seconds < 60:
        return "<1m"
    if seconds < 3600:
        return f"{round(seconds / 60)}m"
    if seconds < 86400:
        return f"{round(seconds / 3600)}h"
    days = seconds / 86400
    if days < 30:
        return f"{round(days)}d"
    if days < 365:
        return f"{days / 30:.1f}mo"
    return f"{days / 365:.1f}y"


def grade_buttons(intervals: Mapping[Grade, timedelta]) -> Text:
    """``1 Again <1m · 2 Hard 6m · 3 Good 10m · 4 Easy 2d``."""
    text = Text()
    for i, grade in enumerate(Grade):
        if i:
            text.append(" · ", style="quiz.hint")
        text.append(f"{int(grade)} {grade.label}", style=f"grade.{int(grade)}")
        if grade in intervals:
            text.append(f" {short_interval(intervals[grade])}", style="quiz.hint")
    return text


class Screen:
    """What the quiz prints, on a terminal or into a pipe (where trailing padding is trimmed)."""

    def __init__(self, console: Console) -> None:
        self.console = console

    def print(self, *renderables: RenderableType) -> None:
        """Lay out and print, trimming line-end padding and the blank lines rich puts around blocks."""
        with self.console.capture() as capture:
            self.console.print(*renderables)
        lines: list[str] = []
        for line in capture.get().split("\n"):
            line = line.rstrip()
            if not _ANSI.sub("", line).strip() and (not lines or not _ANSI.sub("", lines[-1]).strip()):
                continue  # no blank line first or twice in a row
            lines.append(line)
        self.console.file.write("\n".join(lines).rstrip("\n") + "\n")
        self.console.file.flush()

    def write_raw(self, text: str) -> None:
        """Text straight to the terminal (a ``\\r`` countdown), bypassing layout."""
        self.console.file.write(text)
        self.console.file.flush()

    def hint(self, text: str) -> None:
        self.print(Text(text, style="quiz.hint"))

    def _header(self, step: Step, label: str) -> Iterator[RenderableType]:
        item = step.item
        assert item is not None
        card = item.card
        left = f" · {step.left} left" if step.left else ""
        yield Rule(Text(f"{label} {step.number}{left} · {card.kind} · {card.source}", style="quiz.rule"),
                   style="quiz.rule")
        if card.context:
            yield Text(join_trail(card.context), style="quiz.context")

    def question(self, step: Step, label: str = "card") -> None:
        item = step.item
        assert item is not None
        self.print(Group(*self._header(step, label), markdown(item.question)))

    def answer(self, step: Step, show_question: bool = False) -> None:
        item = step.item
        assert item is not None
        parts: list[RenderableType] = []
        if show_question:
            parts.extend(self._header(step, "grade"))
            parts.append(markdown(item.question))
            if step.answer_time is not None:
                took = f"answered in {round(step.answer_time.total_seconds())}s"
                parts.append(Text(took + (" (over the time box)" if step.over_time else ""),
                                  style="yellow" if step.over_time else "quiz.hint"))
        parts.append(Rule(style="quiz.hint"))
        parts.append(markdown(item.answer))
        if item.extra:
            parts.append(Text(""))
            parts.append(markdown(item.extra))
        parts.append(Text(""))
        parts.append(grade_buttons(step.intervals))
        self.print(Group(*parts))
