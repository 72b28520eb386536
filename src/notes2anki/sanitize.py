"""Safe HTML for Anki fields: formatting kept, anything that could run code dropped.

Anki shows fields as HTML in a web view on desktop, AnkiDroid and AnkiMobile,
so a ``<script>``, an ``onerror`` handler or a ``javascript:`` link in a note
would run there. Notes may contain raw HTML (``<details>``, ``<br>``, tables,
coloured spans), so every field passes through one allow-list policy, applied
by `nh3 <https://nh3.readthedocs.io>`_ (Python bindings to the Rust *ammonia*
sanitiser, which parses HTML the way browsers do). Nothing here uses regular
expressions: a sanitiser that pattern-matches HTML is one odd quote away from
a hole.

The policy is data (:data:`TAGS`, :data:`ATTRIBUTES`, :data:`URL_SCHEMES`,
:data:`STYLE_PROPERTIES`, :data:`DROPPED_WITH_CONTENT`) so tests and the README
can show it. Images get one extra step: a callback decides what each
``<img src>`` becomes (a media name, a remote URL, or nothing), which is how
local images are packed into the deck (see ``media.py``).
"""

from __future__ import annotations

import html
from collections.abc import Callable

import nh3

ImageSource = Callable[[str], "str | None"]
"""Maps an ``<img src>`` as written to the ``src`` the card uses; ``None`` drops it."""

TAGS: frozenset[str] = frozenset({
    # text and structure
    "a", "abbr", "b", "bdi", "bdo", "blockquote", "br", "center", "cite", "code", "dd", "del", "details",
    "dfn", "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i",
    "img", "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "rp", "rt", "ruby", "s", "samp", "small",
    "span", "strike", "strong", "sub", "summary", "sup", "u", "ul", "var", "wbr",
    # tables
    "caption", "col", "colgroup", "table", "tbody", "td", "tfoot", "th", "thead", "tr",
})
"""Elements kept. Unknown elements are unwrapped: their text stays, the tag goes."""

DROPPED_WITH_CONTENT: frozenset[str] = frozenset({
    "script", "style", "iframe", "frame", "frameset", "object", "embed", "applet", "noscript", "noembed",
    "noframes", "template", "textarea", "select", "button", "form", "canvas", "audio", "video", "svg", "math",
    "title", "head", "link", "meta", "base",
})
"""Elements removed together with everything inside them (code, embedded pages, fallback text)."""

ATTRIBUTES: dict[str, set[str]] = {
    "*": {"class", "title", "lang", "dir", "style"},
    "a": {"href"},
    "img": {"src", "alt", "width", "height"},
    "ol": {"start", "type", "reversed"},
    "li": {"value"},
    "td": {"colspan", "rowspan", "align"},
    "th": {"colspan", "rowspan", "align", "scope"},
    "col": {"span"},
    "colgroup": {"span"},
    "details": {"open"},
    "abbr": {"title"},
}
"""Attributes kept, by element (``*``: on every element). No ``on*`` handlers, no ``id``
(it could clash with the ``id="answer"`` Anki scrolls to), no ``target``."""

URL_SCHEMES: frozenset[str] = frozenset({"http", "https", "mailto"})
"""Schemes allowed in ``href`` and ``src``; relative URLs are allowed too (see ``media.py`` for images)."""


def url_allowed(url: str) -> bool:
    """Whether ``url`` is relative or uses one of :data:`URL_SCHEMES`, as the sanitiser decides it.

    Markdown links and images are rendered without the sanitiser, so the
    renderer asks this too: an ``obsidian:``, ``ms-msdt:`` or ``file:`` link would
    otherwise reach Anki, which hands unknown schemes to the operating system.
    Browsers ignore tabs and line breaks inside a scheme, so they are ignored here.
    """
    text = url.strip(" \t\n\r\f\x00").replace("\t", "").replace("\n", "").replace("\r", "")
    colon = text.find(":")
    if colon == -1:
        return True
    scheme = text[:colon]
    if any(c in "/?#" for c in scheme):
        return True  # a colon in the path or query of a relative URL
    return scheme.lower() in URL_SCHEMES

STYLE_PROPERTIES: frozenset[str] = frozenset({
    "color", "background-color", "font-weight", "font-style", "font-size", "font-family", "text-decoration",
    "text-align", "vertical-align", "white-space", "width", "height", "max-width", "margin", "margin-left",
    "margin-right", "padding", "border", "border-collapse",
})
"""Inline ``style`` properties kept (table alignment, colours); no ``position``, no ``url(...)``."""


MAX_NESTING = 5_000
"""Deepest element nesting handed to nh3. Its HTML tree builder takes time quadratic in the depth of
``<div>``-like elements (40,000 nested ``<div>`` take 2 s); a deeper fragment is shown as text instead."""
_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
                   "track", "wbr"})


def nesting(fragment: str) -> int:
    """An upper bound on how deeply elements nest in ``fragment``, from a linear scan of its tags.

    Start tags count one level down and end tags one up; void elements and
    anything that is not a tag count nothing. Not a parser (unclosed ``<p>``
    count as nested): only a bound on the work the real parser will do.
    """
    depth = peak = 0
    end = len(fragment)
    pos = fragment.find("<")
    while pos != -1:
        start = pos + 1
        closing = fragment.startswith("/", start)
        start += closing
        stop = start
        while stop < end and fragment[stop].isascii() and fragment[stop].isalnum():
            stop += 1
        name = fragment[start:stop].lower()
        if name[:1].isalpha() and name not in _VOID:
            depth = max(depth - 1, 0) if closing else depth + 1
            peak = max(peak, depth)
        pos = fragment.find("<", stop)
    return peak


def clean_html(fragment: str, images: ImageSource | None = None) -> str:
    """``fragment`` with only :data:`TAGS`, :data:`ATTRIBUTES` and safe URLs left.

    ``images`` rewrites each ``<img src>`` (already checked against
    :data:`URL_SCHEMES`); without it, sources stay as written. Cleaning is
    idempotent: cleaning clean HTML gives it back unchanged. A fragment nested
    more than :data:`MAX_NESTING` deep comes back escaped, as text.
    """
    if not fragment:
        return ""
    if fragment.count("<") > MAX_NESTING and nesting(fragment) > MAX_NESTING:
        return html.escape(fragment, quote=False)

    def attribute_filter(tag: str, attr: str, value: str) -> str | None:
        if images is not None and tag == "img" and attr == "src":
            try:
                return images(value)
            except Exception:  # a failing callback drops the image, never keeps it unchecked
                return None
        return value

    return str(nh3.clean(
        fragment,
        tags=set(TAGS),
        clean_content_tags=set(DROPPED_WITH_CONTENT),
        attributes={k: set(v) for k, v in ATTRIBUTES.items()},
        attribute_filter=attribute_filter,
        strip_comments=True,
        link_rel=None,
        url_schemes=set(URL_SCHEMES),
        filter_style_properties=set(STYLE_PROPERTIES),
    ))
