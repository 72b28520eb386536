"""Markdown to the HTML that goes into Anki fields.

Anki shows fields as HTML and typesets math with MathJax between ``\\(…\\)`` and
``\\[…\\]``, so math tokens are written with those delimiters (escaped, never
touched by Markdown). Mermaid blocks render to nothing here: diagrams get cards
of their own and are never pasted into an answer as code. Other fenced code is
highlighted with CSS classes (``highlight.py``).

Every fragment leaves this module sanitised (``sanitize.py``): raw HTML in notes
keeps its formatting and loses anything that could run code inside Anki. With a
:class:`RenderEnv`, local images are resolved and packed on the way
(``media.py``), each problem reported at the line the image is written on.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass

from markdown_it.renderer import RendererHTML, RendererProtocol
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict

from .footnotes import CONTENT, REFERS
from .highlight import code_block_html
from .markdown import is_mermaid, parser
from .media import MediaCollector
from .sanitize import ImageSource, clean_html, url_allowed

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

    def fence(self: RendererProtocol, tokens: Sequence[Token], idx: int, options: OptionsDict,
              env: EnvType) -> str:
        if is_mermaid(tokens[idx]):
            return ""
        return code_block_html(tokens[idx].content, html.unescape(tokens[idx].info))

    default_image = renderer.rules["image"]

    def image(self: RendererProtocol, tokens: Sequence[Token], idx: int, options: OptionsDict,
              env: EnvType) -> str:
        resolve: ImageSource | None = env.get("n2a_images")
        token = tokens[idx]
        if resolve is None:
            if url_allowed(str(token.attrs.get("src", ""))):
                return str(default_image(tokens, idx, options, env))
            resolve = _refuse
        out = "<img"
        for name, value in token.attrs.items():
            if name == "src":
                src = resolve(str(value))
                if src is None:
                    continue  # refused or missing: the warning is out, the reference goes
                value = src
            elif name == "alt":
                continue
            out += f' {name}="{html.escape(str(value))}"'
        alt = html.escape(self.renderInlineAsText(token.children or [], options, env))  # type: ignore[attr-defined]
        return out + f' alt="{alt}">'

    def link_open(self: RendererProtocol, tokens: Sequence[Token], idx: int, options: OptionsDict,
                  env: EnvType) -> str:
        # Markdown links skip the sanitiser: hold them to its schemes (the text stays, the target goes).
        token = tokens[idx]
        if not url_allowed(str(token.attrs.get("href", ""))):
            token = token.copy()
            token.attrs = {k: v for k, v in token.attrs.items() if k != "href"}
        return str(self.renderToken([token], 0, options, env))  # type: ignore[attr-defined]

    md.add_render_rule("fence", fence)
    md.add_render_rule("link_open", link_open)
    md.add_render_rule("image", image)
    md.add_render_rule("math_inline", _math_inline)
    md.add_render_rule("math_inline_double", _math_display)
    md.add_render_rule("math_block", _math_block)
    md.add_render_rule("math_block_label", _math_block)
    md.add_render_rule("front_matter", lambda *args: "")
    md.add_render_rule("footnote_ref", _footnote_ref)
    renderer._notes2anki = True  # type: ignore[attr-defined]


def _footnote_ref(self: RendererProtocol, tokens: Sequence[Token], idx: int, options: OptionsDict,
                  env: EnvType) -> str:
    return f'<sup class="footnote-ref">[{_number(tokens[idx])}]</sup>'


def _number(ref: Token) -> int:
    return int(ref.meta.get("id", 0)) + 1


def _footnotes(tokens: Sequence[Token]) -> dict[int, Sequence[Token]]:
    """The footnotes ``tokens`` refer to, by number, in the order first referred to."""
    found: dict[int, Sequence[Token]] = {}
    for token in tokens:
        refs = token.children or () if token.meta and token.meta.get(REFERS) else (token,)
        for ref in refs:
            if ref.type == "footnote_ref" and ref.meta.get(CONTENT):
                found.setdefault(_number(ref), ref.meta[CONTENT])
    return found


def _footnotes_html(notes: dict[int, Sequence[Token]], renderer: RendererHTML, options: OptionsDict,
                    env: EnvType) -> str:
    """The footnotes under a card's text, each opening with its number (its first paragraph runs on from it)."""
    out = []
    for number, content in notes.items():
        body = ""
        if len(content) >= 3 and content[0].type == "paragraph_open" and content[1].type == "inline":
            body = renderer.renderInline(content[1].children or [], options, env)
            content = content[3:]
        rest = renderer.render(content, options, env).strip() if content else ""
        body = f"{body}\n{rest}" if body and rest else body or rest
        out.append(f'<div class="footnote">[{number}] {body}</div>')
    return '\n<div class="footnotes">\n' + "\n".join(out) + "\n</div>"


def _refuse(src: str) -> str | None:
    """The image source policy without a media collector: unsafe schemes are dropped."""
    return None


@dataclass(frozen=True)
class RenderEnv:
    """What rendering needs besides the tokens: where the note's images are, and a fallback line."""

    media: MediaCollector | None = None
    """Resolves and collects local images; without it image sources stay as written."""
    line: int | None = None
    """Line reported for images whose own line is unknown (snippets without a source map)."""


class _ImageLines:
    """The source line of each image ``src`` in a run of tokens, found only when asked."""

    def __init__(self, tokens: Sequence[Token], fallback: int | None) -> None:
        self.tokens = tokens
        self.fallback = fallback
        self.lines: dict[str, int] | None = None

    def line(self, src: str) -> int | None:
        if self.lines is None:
            self.lines = {}
            for token in self.tokens:
                self._scan(token)
        return self.lines.get(src, self.fallback)

    def _scan(self, token: Token) -> None:
        assert self.lines is not None
        if token.map is None:
            return
        first = token.map[0] + 1
        if token.type == "html_block":
            self._scan_html(token.content, first)
        offset = 0
        for child in token.children or ():
            if child.type in ("softbreak", "hardbreak"):
                offset += 1
            elif child.type == "image":
                self.lines.setdefault(str(child.attrs.get("src", "")), first + offset)
            elif child.type == "html_inline":
                self._scan_html(child.content, first + offset)
                offset += child.content.count("\n")

    def _scan_html(self, content: str, first: int) -> None:
        # Raw HTML: the line of each ``src="…"`` value (exact lookup, not a sanitiser).
        assert self.lines is not None
        pos = content.find("src=")
        counted, line = 0, first
        while pos != -1:
            line += content.count("\n", counted, pos)
            counted = pos
            start = pos + 4
            quote = content[start : start + 1]
            if quote in ("'", '"'):
                end = content.find(quote, start + 1)
                value = content[start + 1 : end] if end != -1 else ""
            else:
                end = start
                while end < len(content) and not content[end].isspace() and content[end] != ">":
                    end += 1
                value = content[start:end]
            self.lines.setdefault(html.unescape(value), line)
            pos = content.find("src=", start)


def has_raw_html(tokens: Sequence[Token]) -> bool:
    """Whether any token (or inline child) is raw HTML written in the note."""
    for token in tokens:
        if token.type in ("html_block", "html_inline"):
            return True
        if token.children and any(child.type == "html_inline" for child in token.children):
            return True
    return False


def _images(tokens: Sequence[Token], env: RenderEnv | None) -> ImageSource | None:
    if env is None or env.media is None:
        return None
    media = env.media
    lines = _ImageLines(tokens, env.line)
    return lambda src: media.resolve(src, lines.line(src))


def _render(tokens: Sequence[Token], env: RenderEnv | None, inline: bool = False) -> str:
    """HTML for ``tokens``, safe to put in a card.

    markdown-it escapes every text and attribute it writes and refuses unsafe
    link schemes, so HTML rendered from Markdown alone is safe as it stands
    (a test checks the sanitiser leaves it unchanged); only output that carries
    raw HTML from the note goes through the sanitiser. Images written in
    Markdown are resolved by the ``image`` render rule, images in raw HTML by
    the sanitiser's attribute filter.
    """
    _install_rules()
    md = parser()
    renderer = md.renderer
    assert isinstance(renderer, RendererHTML)
    notes = _footnotes(tokens)
    every = [*tokens, *(t for content in notes.values() for t in content)] if notes else tokens
    images = _images(every, env)
    render_env = {"n2a_images": images} if images is not None else {}
    if inline:
        raw = str(renderer.renderInline(tokens, md.options, render_env))
    else:
        raw = str(renderer.render(tokens, md.options, render_env))
    raw = raw.strip()
    if notes:
        raw += _footnotes_html(notes, renderer, md.options, render_env)
    if has_raw_html(every):
        return clean_html(raw, images).strip()
    return raw


def render_blocks(tokens: Sequence[Token], env: RenderEnv | None = None) -> str:
    """Safe HTML for a run of block tokens (a section's own content)."""
    return _render(tokens, env)


def render_inline(token: Token, env: RenderEnv | None = None) -> str:
    """Safe HTML for one inline token (a heading's text with its formatting)."""
    return _render(token.children or [], env, inline=True) if token.children else ""


def render_markdown(text: str, inline: bool = False, env: RenderEnv | None = None) -> str:
    """Safe HTML for a Markdown snippet; ``inline`` drops the enclosing paragraph.

    A snippet has no lines of its own in the note, so images in it are reported
    at ``env.line``.
    """
    md = parser()
    if inline:
        tokens = md.parseInline(text, {})
        return _render(tokens[0].children or [], env, inline=True) if tokens else ""
    return _render(md.parse(text, {}), env)


def html_to_text(fragment: str) -> str:
    """Visible text of an HTML fragment, whitespace collapsed (for tables and hashes)."""
    text = _TAG.sub("", _BLOCK_TAG.sub(" ", fragment))
    return _SPACE.sub(" ", html.unescape(text)).strip()
