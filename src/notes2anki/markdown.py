"""The one Markdown dialect notes2anki reads, built once per process.

CommonMark plus what study notes use: GFM tables and strikethrough, ``$``/``$$``
and ``\\(…\\)``/``\\[…\\]`` math, Obsidian image embeds (``![[x.png]]``),
definition lists, YAML front matter, raw HTML (sanitised later, when
cards are rendered) and the CJK-friendly emphasis rules. Parsing never fails:
markdown-it-py turns any text into tokens.
"""

from __future__ import annotations

from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.deflist import deflist_plugin
from mdit_py_plugins.dollarmath import dollarmath_plugin
from mdit_py_plugins.front_matter import front_matter_plugin

from .cjk import cjk_friendly_plugin
from .embeds import embeds_plugin
from .texbrackets import texbrackets_plugin


@lru_cache(maxsize=1)
def parser() -> MarkdownIt:
    """The shared parser (markdown-it-py instances are reusable across documents)."""
    md = MarkdownIt("commonmark", {"html": True, "typographer": False})
    md.enable(["table", "strikethrough"])
    md.use(front_matter_plugin)
    # ``allow_digits=False`` keeps prices and shell variables ("$5 and $10") as text.
    md.use(dollarmath_plugin, allow_space=False, allow_digits=False, double_inline=True)
    md.use(texbrackets_plugin)
    md.use(embeds_plugin)
    md.use(deflist_plugin)
    md.use(cjk_friendly_plugin)
    return md


def is_mermaid(token: Token) -> bool:
    """A fenced block of Mermaid source (```` ```mermaid ````)."""
    return token.type == "fence" and token.info.strip().lower().startswith("mermaid")


def parse(text: str) -> list[Token]:
    """Block and inline tokens for ``text``, each block with its source ``map``."""
    return parser().parse(text, {})
