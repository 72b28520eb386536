"""The one Markdown dialect notes2anki reads, built once per process.

CommonMark plus what study notes use: GFM tables and strikethrough, ``$``/``$$``
and ``\\(…\\)``/``\\[…\\]`` math, Obsidian image embeds (``![[x.png]]``),
definition lists, YAML front matter, callouts (``> [!NOTE]``), footnotes, raw HTML (sanitised later, when
cards are rendered) and the CJK-friendly emphasis rules. Parsing never fails:
markdown-it-py turns any text into tokens.

Nesting is bounded: markdown-it-py recurses once per level of lists and
quotes and silently drops whatever lies deeper than its ``maxNesting``. Here
the text below :data:`FLATTEN_AT` levels is kept, as one plain paragraph, and
marked so the document can warn about it (``too_deep``).
"""

from __future__ import annotations

from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.token import Token
from mdit_py_plugins.deflist import deflist_plugin
from mdit_py_plugins.dollarmath import dollarmath_plugin
from mdit_py_plugins.front_matter import front_matter_plugin

from .callouts import callouts_plugin
from .cjk import cjk_friendly_plugin
from .embeds import embeds_plugin
from .footnotes import footnotes_plugin
from .texbrackets import texbrackets_plugin

MAX_NESTING = 64
"""markdown-it-py's ``maxNesting``: a list level counts two (list and item), a quote one."""
FLATTEN_AT = MAX_NESTING - 4
"""Block nesting from which the rest of a container is kept as plain text (below markdown-it-py's limit)."""
TOO_DEEP = "n2a_too_deep"
"""``meta`` key of the inline token that holds text nested too deeply to parse."""


def _flatten_deep(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    """Past :data:`FLATTEN_AT` levels, the rest of the container as one paragraph of plain text."""
    if state.level < FLATTEN_AT or silent:
        return False
    line = start_line
    while line < end_line and (state.isEmpty(line) or state.sCount[line] >= state.blkIndent):
        line += 1
    opener = state.push("paragraph_open", "p", 1)
    opener.map = [start_line, line]
    inline = state.push("inline", "", 0)
    inline.content = state.getLines(start_line, line, state.blkIndent, False).strip()
    inline.map = [start_line, line]
    inline.children = []
    inline.meta = {TOO_DEEP: True}
    state.push("paragraph_close", "p", -1)
    state.line = line
    return True


def too_deep(tokens: list[Token]) -> int | None:
    """The 1-based line of the first text kept flat because it was nested too deeply, if any."""
    for token in tokens:
        if token.type == "inline" and token.meta.get(TOO_DEEP) and token.map:
            return token.map[0] + 1
    return None


@lru_cache(maxsize=1)
def parser() -> MarkdownIt:
    """The shared parser (markdown-it-py instances are reusable across documents)."""
    md = MarkdownIt("commonmark", {"html": True, "typographer": False, "maxNesting": MAX_NESTING})
    md.block.ruler.before(md.block.ruler.get_all_rules()[0], "n2a_flatten_deep", _flatten_deep)
    md.enable(["table", "strikethrough"])
    md.use(front_matter_plugin)
    # ``allow_digits=False`` keeps prices and shell variables ("$5 and $10") as text.
    md.use(dollarmath_plugin, allow_space=False, allow_digits=False, double_inline=True)
    md.use(texbrackets_plugin)
    md.use(embeds_plugin)
    md.use(deflist_plugin)
    md.use(footnotes_plugin)
    md.use(cjk_friendly_plugin)
    md.use(callouts_plugin)
    return md


def is_mermaid(token: Token) -> bool:
    """A fenced block of Mermaid source (```` ```mermaid ````)."""
    return token.type == "fence" and token.info.strip().lower().startswith("mermaid")


def parse(text: str) -> list[Token]:
    """Block and inline tokens for ``text``, each block with its source ``map``."""
    return parser().parse(text, {})
