"""Obsidian image embeds: ``![[diagram.png]]``, ``![[img/x.png|300]]``.

Obsidian writes local images as wiki embeds, which CommonMark reads as plain
text. This rule turns an embed of an image file into the same ``image`` token
``![](diagram.png)`` makes, so packing and rendering treat both alike. Embeds
of other notes (``![[Other note]]``) are left as text: a card does not inline
another note. An optional ``|300`` or ``|300x200`` after the name sets the
size, as in Obsidian.
"""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token

IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".avif", ".bmp", ".ico", ".tif",
                            ".tiff"})
_MAX_TARGET = 1024
"""Longest embed looked for: a file path, never a paragraph (keeps scanning linear)."""


def _size(option: str) -> tuple[str, str]:
    width, _, height = option.strip().partition("x")
    if width.isdigit() and (not height or height.isdigit()):
        return width, height
    return "", ""


def _embed(state: StateInline, silent: bool) -> bool:
    src, pos = state.src, state.pos
    if not src.startswith("![[", pos):
        return False
    end = src.find("]]", pos + 3, min(state.posMax, pos + 3 + _MAX_TARGET))
    if end == -1:
        return False
    inner = src[pos + 3 : end]
    if "\n" in inner or "[" in inner:
        return False
    target, _, option = inner.partition("|")
    target = target.split("#", 1)[0].strip()
    dot = target.rfind(".")
    if dot == -1 or target[dot:].lower() not in IMAGE_SUFFIXES:
        return False
    if not silent:
        name = target.rsplit("/", 1)[-1]
        token = state.push("image", "img", 0)
        token.attrs = {"src": state.md.normalizeLink(target), "alt": ""}
        width, height = _size(option)
        if width:
            token.attrs["width"] = width
        if height:
            token.attrs["height"] = height
        alt = Token("text", "", 0)
        alt.content = name
        token.children = [alt]
        token.content = name
        token.markup = "![["
    state.pos = end + 2
    return True


def embeds_plugin(md: MarkdownIt) -> None:
    """Use as ``MarkdownIt().use(embeds_plugin)``."""
    md.inline.ruler.before("image", "obsidian_embed", _embed)
