"""Callouts: ``> [!NOTE]`` (GitHub alerts) and ``> [!tip] Title`` (Obsidian callouts).

CommonMark reads the marker as text, so a card would show ``[!TIP]`` at the top
of a quote. This core rule runs between the block and inline passes: a quote
whose first line is a marker gets ``class="callout callout-<type>"``, and the
marker line becomes a title paragraph (``class="callout-title"``) holding the
title written after it, or the type's name (``Tip``). Obsidian's fold marks
(``[!faq]-``, ``[!faq]+``) are accepted and ignored: a card shows the whole
callout. The rest of the quote is untouched, with its source lines.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

_MARKER = re.compile(r"\[!([A-Za-z][\w-]{0,30})\][+-]?(?:[ \t]+(.*))?")
"""The first line of a callout: ``[!type]``, a fold mark, and an optional title."""
TITLE_CLASS = "callout-title"


def _title(opener: Token, inline: Token, kind: str, title: str) -> list[Token]:
    line = inline.map[0] if inline.map else 0
    p_open = Token("paragraph_open", "p", 1, attrs={"class": TITLE_CLASS}, map=[line, line + 1],
                   level=opener.level, block=True)
    text = Token("inline", "", 0, map=[line, line + 1], level=inline.level, content=title or kind.capitalize(),
                 children=[])
    p_close = Token("paragraph_close", "p", -1, level=opener.level, block=True)
    return [p_open, text, p_close]


def _callouts(state: StateCore) -> None:
    tokens = state.tokens
    out: list[Token] = []
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        out.append(tok)
        i += 1
        if not (tok.type == "blockquote_open" and i + 2 < len(tokens) and tokens[i].type == "paragraph_open"
                and tokens[i + 1].type == "inline" and not tokens[i + 1].meta):
            continue
        opener, inline = tokens[i], tokens[i + 1]
        first, newline, rest = inline.content.partition("\n")
        match = _MARKER.fullmatch(first.rstrip())
        if match is None:
            continue
        kind = match.group(1).lower()
        tok.attrSet("class", f"callout callout-{kind}")
        out.extend(_title(opener, inline, kind, (match.group(2) or "").strip()))
        if not (newline and rest.strip()):
            i += 3  # the marker was the whole paragraph
            continue
        inline.content = rest
        if opener.map:
            opener.map = [opener.map[0] + 1, opener.map[1]]
        if inline.map:
            inline.map = [inline.map[0] + 1, inline.map[1]]
    state.tokens = out


def callouts_plugin(md: MarkdownIt) -> None:
    md.core.ruler.after("block", "n2a_callouts", _callouts)
