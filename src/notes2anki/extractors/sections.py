"""Heading cards: a section with content of its own becomes a card.

Front: the heading's topic (numbering and emoji removed), with the trail of
parent headings as context. Back: the section's own content, up to its first
sub-heading, rendered to HTML. A heading followed directly by a sub-heading
makes no card, and neither does a section whose only content is a diagram
(diagrams make cards of their own) or a rule. A note without headings is one
section named after its file.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from markdown_it.token import Token

from ..cards import Card
from ..diagnostics import Diagnostic
from ..document import Document
from ..markdown import is_mermaid
from . import Context, Extractor

# HTML that shows nothing: comments, named anchors, line breaks, empty paragraphs.
_EMPTY_HTML = re.compile(
    r"^\s*(?:<!--(?:[^-]|-(?!->))*-->\s*|<a\s+(?:name|id)=[^>]*>\s*|</a>\s*|<br\s*/?>\s*|</?p>\s*)*$",
    re.IGNORECASE,
)


def _inline_has_content(inline: Token) -> bool:
    for child in inline.children or ():
        if child.type == "html_inline":
            if not _EMPTY_HTML.match(child.content):
                return True
        elif child.type not in ("softbreak", "hardbreak") and (child.content.strip() or child.type == "image"):
            return True
    return False


def _only_a_link(inline: Token) -> bool:
    """A paragraph that is nothing but a reference link (``https://…`` or ``[docs](…)``)."""
    children = [c for c in inline.children or () if c.type not in ("softbreak", "hardbreak")]
    inside = False
    for child in children:
        if child.type == "link_open":
            inside = True
        elif child.type == "link_close":
            inside = False
        elif child.type == "text" and not inside:
            text = child.content.strip()
            if text and not (text.startswith(("http://", "https://")) and " " not in text):
                return False
        elif child.type != "text":
            return False
    return bool(children)


def _meaningful(tokens: Sequence[Token], start: int, end: int) -> bool:
    """Whether a top-level block is content a learner would read."""
    token = tokens[start]
    if token.type in ("hr", "front_matter") or is_mermaid(token):
        return False
    if token.type == "html_block":
        return not _EMPTY_HTML.match(token.content)
    if token.type == "paragraph_open" and end - start == 3:
        return _inline_has_content(tokens[start + 1])
    return token.nesting >= 0


def _top_level(tokens: Sequence[Token]) -> Iterator[tuple[int, int]]:
    """``(start, end)`` token ranges of each top-level block."""
    i = 0
    while i < len(tokens):
        start = i
        if tokens[i].nesting == 1:
            depth = 0
            while i < len(tokens):
                depth += tokens[i].nesting
                i += 1
                if depth == 0:
                    break
        else:
            i += 1
        yield start, i


def section_content(doc: Document, tokens: Sequence[Token]) -> tuple[list[Token], str]:
    """A section's blocks a learner reads, and their Markdown source text."""
    kept: list[Token] = []
    text: list[str] = []
    blocks = list(_top_level(tokens))
    has_diagram = any(is_mermaid(tokens[start]) for start, _ in blocks)
    for start, end in blocks:
        head = tokens[start]
        if has_diagram and head.type == "paragraph_open" and end - start == 3 and _only_a_link(tokens[start + 1]):
            continue  # a diagram's reference link: the diagram makes the cards
        if not _meaningful(tokens, start, end):
            continue
        kept.extend(tokens[start:end])
        if head.map:
            text.append("\n".join(doc.lines[head.map[0] : head.map[1]]).strip("\n"))
    return kept, "\n\n".join(text)


def extract_sections(doc: Document, ctx: Context) -> Iterator[Card | Diagnostic]:
    yield from doc.problems  # what the parse kept as plain text: the section cards show it so
    headingless = len(doc.sections) == 1
    for section in doc.sections:
        if section.heading is None and not headingless:
            continue
        if ctx.is_claimed(section.line) and section.heading is not None:
            continue
        blocks, text = section_content(doc, doc.own_blocks(section))
        if not blocks:
            continue
        question = section.heading.topic if section.heading else doc.topic
        yield ctx.card(
            "section",
            question=question,
            answer=text,
            back=ctx.render_blocks(blocks),
            context=section.trail[:-1],
            tag_trail=section.trail,
            line=section.line,
        )


EXTRACTOR = Extractor("section", "a heading with content of its own → its content", extract_sections)
