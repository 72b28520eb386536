"""Fenced code as highlighted HTML that reads well in light and dark mode.

Pygments marks tokens with short CSS classes (``k`` keyword, ``s`` string, …)
rather than inline colours, so the note type's CSS (``notetypes.py``) decides
the colours and can switch them for Anki's night mode. A block in a language
Pygments does not know, or without one, is shown as plain code: guessing a
language is slow and often wrong.

Pygments lexers are regular expressions, and many are quadratic on the wrong
input (thousands of blank lines in C, ``'\\`` runs in JavaScript) or worse (a
LilyPond line of letters; one schema lexer never stops). So a block is lexed in
pieces of about :data:`CHUNK` characters cut at blank lines, which keeps
quadratic lexers linear; a lexer that emits more tokens than there are
characters is stopped; and a block whose lexing takes more than its time budget
(:data:`BUDGET_BASE` plus :data:`BUDGET_PER_CHAR` a character, ten times what
real code needs) is shown plain, and so is every later block in that language
in the same process (a vault of hostile blocks costs one budget, not one per
block). Only such hostile blocks can come out differently from one build to the
next. Very long blocks are not highlighted at all.
"""

from __future__ import annotations

import html
import time
from collections.abc import Iterator
from functools import lru_cache

from pygments import format as format_tokens
from pygments.formatters import HtmlFormatter
from pygments.lexer import Lexer
from pygments.lexers import get_lexer_by_name
from pygments.token import _TokenType
from pygments.util import ClassNotFound

CODE_CLASS = "n2a-code"
"""Class of every code block's ``<pre>``; the CSS scopes token colours under it."""
MAX_HIGHLIGHTED = 50_000
"""Characters above which a block is shown without highlighting."""
CHUNK = 4_000
"""Characters lexed at a time (cut at a blank line where there is one)."""
BUDGET_BASE = 0.2
BUDGET_PER_CHAR = 10e-6
"""Seconds a block may spend in its lexer before it is shown plain: real code needs about 1 µs a character."""
_STRUCK: set[str] = set()
"""Languages whose lexer ran out of its budget in this process: not tried again."""

_FORMATTER = HtmlFormatter(nowrap=True)
NEWLINE = "\n"


def language_of(info: str) -> str:
    """The language word of a fence's info string (``python title="x"`` → ``python``)."""
    word = info.strip().split(maxsplit=1)[0] if info.strip() else ""
    word = word.strip("{}.").lower()
    return word if word and all(c.isalnum() or c in "+-_#." for c in word) else ""


@lru_cache(maxsize=256)
def _lexer(language: str) -> Lexer | None:
    """A lexer per language, made once: looking one up by name is costly, using it again is not."""
    try:
        return get_lexer_by_name(language, stripnl=False, ensurenl=False)
    except ClassNotFound:
        return None


def code_block_html(code: str, info: str = "") -> str:
    """``<pre class="n2a-code"><code class="language-x">…</code></pre>`` for a fenced block."""
    language = language_of(info)
    body = None
    if language and len(code) <= MAX_HIGHLIGHTED and language not in _STRUCK:
        lexer = _lexer(language)
        if lexer is not None:
            body = _highlight(code, lexer)
            if body is None:
                _STRUCK.add(language)
    if body is None:
        body = html.escape(code, quote=False)
    attr = f' class="language-{html.escape(language)}"' if language else ""
    return f'<pre class="{CODE_CLASS}"><code{attr}>{body.rstrip(NEWLINE)}</code></pre>\n'


def chunks(code: str, size: int = CHUNK) -> Iterator[str]:
    """``code`` in consecutive pieces of at most ``size`` characters, cut after a blank line if possible."""
    start = 0
    while len(code) - start > size:
        window = start + size
        cut = code.rfind("\n\n", start + size // 2, window)
        if cut != -1:
            cut += 2
        else:
            cut = code.rfind("\n", start + size // 2, window)
            cut = cut + 1 if cut != -1 else window
        yield code[start:cut]
        start = cut
    yield code[start:]


def _highlight(code: str, lexer: Lexer) -> str | None:
    """Highlighted HTML for ``code``, or ``None`` if the lexer misbehaves or runs out of time."""
    deadline = time.perf_counter() + BUDGET_BASE + BUDGET_PER_CHAR * len(code)
    tokens: list[tuple[_TokenType, str]] = []
    for piece in chunks(code):
        limit = len(tokens) + len(piece) + 16
        for token in lexer.get_tokens(piece):
            tokens.append(token)
            if len(tokens) > limit or time.perf_counter() > deadline:
                return None
    return str(format_tokens(tokens, _FORMATTER))
