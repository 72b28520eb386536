"""Footnotes: ``text[^1]`` with ``[^1]: the note`` anywhere in the file, and inline ``^[a note]``.

mdit-py-plugins' footnote plugin finds them. A card is cut from the middle of
a note, so its definitions at the end of the file would never reach it: this
core rule takes the definitions out of the block stream (they are not content
of the section they happen to stand in) and hangs each one on the references
to it, under :data:`CONTENT`. Rendering then writes a reference as its number
and puts the footnotes a card refers to under it (``render.py``).
"""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from mdit_py_plugins.footnote import footnote_plugin

CONTENT = "n2a_footnote"
"""``meta`` key of a ``footnote_ref`` token: the block tokens of the footnote it refers to."""
REFERS = "n2a_refers"
"""``meta`` key set on an inline token with a footnote reference among its children (spares renders a scan)."""


def _definitions(tokens: list[Token]) -> tuple[list[Token], dict[str, list[Token]]]:
    """The tokens without footnote definitions, and each definition's blocks by label (the first one wins)."""
    kept: list[Token] = []
    found: dict[str, list[Token]] = {}
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if tok.type != "footnote_reference_open":
            kept.append(tok)
            i += 1
            continue
        depth, j = 1, i + 1
        while j < len(tokens) and depth:
            if tokens[j].type == "footnote_reference_open":
                depth += 1
            elif tokens[j].type == "footnote_reference_close":
                depth -= 1
            j += 1
        found.setdefault(str(tok.meta.get("label", "")), tokens[i + 1 : j - 1])
        i = j
    return kept, found


def _inline_note(children: list[Token], content: str) -> list[Token]:
    inline = Token("inline", "", 0, content=content, children=children)
    return [Token("paragraph_open", "p", 1, block=True), inline, Token("paragraph_close", "p", -1, block=True)]


def _attach(state: StateCore) -> None:
    if "footnotes" not in state.env:
        return
    state.tokens, definitions = _definitions(state.tokens)
    notes = state.env["footnotes"].get("list", {})
    for tok in state.tokens:
        for child in tok.children or ():
            if child.type != "footnote_ref":
                continue
            tok.meta[REFERS] = True
            note = notes.get(child.meta.get("id"), {})
            if "tokens" in note:
                child.meta[CONTENT] = _inline_note(note["tokens"], note.get("content", ""))
            else:
                child.meta[CONTENT] = definitions.get(str(note.get("label", "")), [])


def footnotes_plugin(md: MarkdownIt) -> None:
    md.use(footnote_plugin, inline=True, move_to_end=False)
    md.core.ruler.after("inline", "n2a_footnotes", _attach)
