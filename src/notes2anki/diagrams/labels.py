"""From the label text Mermaid stores to the text a reader of the rendered diagram sees.

Parsers keep labels raw, as Mermaid's databases hold them (entity codes as Mermaid's
placeholders, ``<br/>`` tags, markdown markers), and call :func:`display` once at the
end. The rules, in order: entity placeholders back to entities; for markdown strings,
``**bold**``/``__bold__``/``*em*``/``_em_`` markers dropped and each line's indentation
removed; ``<br>``, ``<br/>``, ``</br>`` become newlines; other tags are dropped (their
text stays, as the browser shows it); HTML entities decoded; runs of spaces collapsed and
every line trimmed.
"""

from __future__ import annotations

import html
import re

from notes2anki.diagrams.chars import JS_SPACE_STR
from notes2anki.diagrams.source import ENTITY_CLOSE, ENTITY_NUM_OPEN, ENTITY_OPEN

_BREAK = re.compile(r"<\/?br\s*\/?>", re.IGNORECASE)  # Mermaid's lineBreakRegex
_TAG = re.compile(r"<[A-Za-z/!?][^<>]*>")
_SPACES = re.compile(r"[^\S\n]+")


def display(raw: str, markdown: bool = False, html_label: bool = True) -> str:
    """Display text for a label stored as ``raw`` (``markdown``: it was a markdown string).

    ``html_label``: the label is HTML that Mermaid sanitises (flowcharts), where an
    unclosed ``<x`` swallows the rest; elsewhere (sequence messages, states) it stays text.
    """
    text = decode_placeholders(raw)
    if markdown:
        text = "\n".join(line.strip(JS_SPACE_STR) for line in strip_emphasis(text).split("\n"))
    if "<" in text:
        text = html_to_text(text) if html_label else strip_tags(_BREAK.sub("\n", text))
    if "&" in text:
        text = html.unescape(text)
    lines = (_SPACES.sub(" ", line).strip(JS_SPACE_STR) for line in text.split("\n"))
    return "\n".join(lines).strip(JS_SPACE_STR)


def html_to_text(text: str) -> str:
    """What a browser shows for a fragment of label HTML (as Mermaid's DOMPurify keeps it).

    ``<`` + letter, ``</`` + letter, ``<!`` or ``<?`` opens a tag that runs to the next
    ``>``, or swallows the rest when there is none; a ``br`` tag (``<br>``, ``<br/>``,
    ``</br>``) is a line break; other tags vanish and leave their text; any other ``<``
    is a literal character. The tag name runs to a space, ``/`` or ``>`` (``<b<br>`` is
    one tag named ``b<br``), as in the HTML tokenizer.
    """
    out: list[str] = []
    cursor = 0
    pos = text.find("<")
    while pos != -1:
        if text.startswith("</>", pos):  # an empty end tag is dropped
            out.append(text[cursor:pos])
            cursor = pos + 3
            pos = text.find("<", cursor)
            continue
        start = pos + 2 if text.startswith("</", pos) else pos + 1
        first = text[start : start + 1]
        if not (first.isascii() and first.isalpha()) and text[pos + 1 : pos + 2] not in ("!", "?"):
            pos = text.find("<", pos + 1)
            continue
        out.append(text[cursor:pos])
        close = text.find(">", pos + 1)
        if close == -1:
            return "".join(out)
        name_end = start
        while name_end < close and text[name_end] not in " \t\n\f\r/":
            name_end += 1
        if text[start:name_end].lower() == "br":
            out.append("\n")
        cursor = close + 1
        pos = text.find("<", cursor)
    out.append(text[cursor:])
    return "".join(out)


def strip_tags(text: str) -> str:
    """Drop complete tags (``<x ...>``) from text that is not HTML; a lone ``<`` stays."""
    return _TAG.sub("", text)


def decode_placeholders(text: str) -> str:
    """Mermaid's ``decodeEntities``: its ``#name;`` placeholders back to ``&name;``."""
    if ENTITY_OPEN not in text:
        return text
    return text.replace(ENTITY_NUM_OPEN, "&#").replace(ENTITY_OPEN, "&").replace(ENTITY_CLOSE, ";")


def strip_emphasis(text: str) -> str:
    """Drop paired ``**``, ``__``, ``*`` and ``_`` emphasis markers (linear, no regex)."""
    for marker in ("**", "__", "*", "_"):
        if marker in text:
            text = _strip_marker(text, marker)
    return text


def _strip_marker(text: str, marker: str) -> str:
    width = len(marker)
    intraword_ok = marker[0] == "*"  # `snake_case_name` keeps its underscores
    out: list[str] = []
    cursor = 0
    search = 0
    while True:
        start = text.find(marker, search)
        if start == -1:
            break
        after = start + width
        opens = after < len(text) and not text[after].isspace()
        if opens and not intraword_ok and start > 0 and text[start - 1].isalnum():
            opens = False
        if not opens:
            search = start + 1
            continue
        close = text.find(marker, after + 1)
        while close != -1:
            closes = not text[close - 1].isspace()
            end = close + width
            if closes and not intraword_ok and end < len(text) and text[end].isalnum():
                closes = False
            if closes:
                break
            close = text.find(marker, close + 1)
        if close == -1:
            break
        out.append(text[cursor:start])
        out.append(text[after:close])
        cursor = search = close + width
    out.append(text[cursor:])
    return "".join(out)
