"""Markdown to the HTML that goes into Anki fields.

Anki shows fields as HTML and typesets math with MathJax between ``\\(…\\)`` and
``\\[…\\]``, so math tokens are written with those delimiters (escaped, never
touched by Markdown). Mermaid blocks render to nothing here: diagrams get cards
of their own and are never pasted into an answer as code.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence

from markdown_it.renderer import RendererHTML, RendererProtocol
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict

from .markdown import is_mermaid, parser

_BLOCK_TAG = re.compile(
    r"</?(?:p|div|li|ul|ol|tr|td|th|table|thead|tbody|br|hr|h[1-6]|pre|blockquote|dl|dt|dd)\b[^>]*>", re.IGNORECASE
)
_TAG = re.compile(r"<[^>]*>")
_SPACE = re.compile(r"\s+")


def _math_inline(self: RendererProtocol, tokens: Sequence[Token], idx: int, options: OptionsDict,
                 env: EnvType) -> str:
    return "\\(" + html.escape(tokens[idx].content, quote=False) + "\\)"


def _math_display(self: RendererProtocol, tokens: Sequence[Token], idx: int, options: OptionsDict,
                  env: EnvType) -> str:
    return "\\[" + html.escape(tokens[idx].content.strip(), quote=False) + "\\]"


def _math_block(self: RendererProtocol, tokens: Sequence[Token], idx: int, options: OptionsDict,
                env: EnvType) -> str:
    return '<div class="math">\\[' + html.escape(tokens[idx].content.strip(), quote=False) + "\\]</div>\n"


def _install_rules() -> None:
    md = parser()
    renderer = md.renderer
    if getattr(renderer, "_notes2anki", False):
        return
    assert isinstance(renderer, RendererHTML)
    default_fence = renderer.rules["fence"]

    def fence(self: RendererProtocol, tokens: Sequence[Token], idx: int, options: OptionsDict,
              env: EnvType) -> str:
        if is_mermaid(tokens[idx]):
            return ""
        return str(default_fence(tokens, idx, options, env))

    md.add_render_rule("fence", fence)
    md.add_render_rule("math_inline", _math_inline)
    md.add_render_rule("math_inline_double", _math_display)
    md.add_render_rule("math_block", _math_block)
    md.add_render_rule("math_block_label", _math_block)
    md.add_render_rule("front_matter", lambda *args: "")
    renderer._notes2anki = True  # type: ignore[attr-defined]


def render_blocks(tokens: Sequence[Token]) -> str:
    """HTML for a run of block tokens (a section's own content)."""
    _install_rules()
    md = parser()
    return str(md.renderer.render(tokens, md.options, {})).strip()


def render_inline(token: Token) -> str:
    """HTML for one inline token (a heading's text with its formatting)."""
    _install_rules()
    md = parser()
    assert isinstance(md.renderer, RendererHTML)
    return str(md.renderer.renderInline(token.children or [], md.options, {})).strip()


def render_markdown(text: str, inline: bool = False) -> str:
    """HTML for a Markdown snippet; ``inline`` drops the enclosing paragraph."""
    _install_rules()
    md = parser()
    return str(md.renderInline(text) if inline else md.render(text)).strip()


def html_to_text(fragment: str) -> str:
    """Visible text of an HTML fragment, whitespace collapsed (for tables and hashes)."""
    text = _TAG.sub("", _BLOCK_TAG.sub(" ", fragment))
    return _SPACE.sub(" ", html.unescape(text)).strip()
