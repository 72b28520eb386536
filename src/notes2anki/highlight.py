"""Fenced code as highlighted HTML that reads well in light and dark mode.

Pygments marks tokens with short CSS classes (``k`` keyword, ``s`` string, …)
rather than inline colours, so the note type's CSS (``notetypes.py``) decides
the colours and can switch them for Anki's night mode. A block in a language
Pygments does not know, or without one, is shown as plain code: guessing a
language is slow and often wrong. Very long blocks are not highlighted, so a
pathological note cannot make a regex lexer crawl.
"""

from __future__ import annotations

import html
from functools import lru_cache

from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexer import Lexer
from pygments.lexers import get_lexer_by_name
from pygments.util import ClassNotFound

CODE_CLASS = "n2a-code"
"""Class of every code block's ``<pre>``; the CSS scopes token colours under it."""
MAX_HIGHLIGHTED = 50_000
"""Characters above which a block is shown without highlighting."""

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
    if language and len(code) <= MAX_HIGHLIGHTED:
        lexer = _lexer(language)
        if lexer is not None:
            body = highlight(code, lexer, _FORMATTER)
    if body is None:
        body = html.escape(code, quote=False)
    attr = f' class="language-{html.escape(language)}"' if language else ""
    return f'<pre class="{CODE_CLASS}"><code{attr}>{body.rstrip(NEWLINE)}</code></pre>\n'
