"""Headings and folder names turned into topics, and topics into Anki tags.

A topic is what a person would call a section: ``1.2 什么是 KV Cache 🚀`` is
the topic ``什么是 KV Cache``. Topics make the context shown on a card and the
hierarchical tag (``notes2anki::AI学习笔记::Inference_推理``) that files it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence

from markdown_it.token import Token

# Outline numbering at the start of a heading: "1.", "1.2", "1.2.3 ", "06.", "五、",
# "（一）", "(3)", "第二章", "Part 2:". Requires a terminator (dot, 、, bracket or
# space) so "3D Parallelism" and "2.5D" keep their numbers.
_CN_NUM = "〇零一二三四五六七八九十百千两"
_NUMBERING = re.compile(
    r"^\s*(?:"
    rf"第[0-9{_CN_NUM}]{{1,6}}[章节篇部讲课回期步][、.．:：\s]*"
    rf"|[(（][0-9{_CN_NUM}]{{1,4}}[)）]\s*"
    rf"|[{_CN_NUM}]{{1,4}}[、.．]\s*"
    r"|(?:part|chapter|section|step|lesson|lecture)\s+[0-9]{1,3}\s*[.:：)-]?\s+"
    r"|[0-9]{1,3}(?:[.．][0-9]{1,3})+(?![0-9])(?:[.．、)）]\s*|\s+|(?=[^\x00-\x7f]))"
    r"|[0-9]{1,3}[.．、)）](?![0-9])\s*"
    r"|[0-9]{1,2}\s+(?=\S)"
    r"|[A-Za-z][.)]\s+(?=\S)"
    r"|[IVX]{1,4}[.)]\s+"
    r")",
    re.IGNORECASE,
)
_ATTRS = re.compile(r"\{#[^{}]*\}\s*$")  # no leading \s*: searched at every position, it would be quadratic
_SPACE = re.compile(r"\s+")
_TAG_DROP = re.compile(r'["\u200b-\u200f\u2060\ufeff\x00-\x1f\x7f]')
_TAG_SPACE = re.compile(r"[\s_:：]+")


def _is_emoji(ch: str) -> bool:
    cp = ord(ch)
    return (
        unicodedata.category(ch) == "So"
        or 0x1F000 <= cp <= 0x1FAFF
        or cp in (0xFE0F, 0xFE0E, 0x200D, 0x20E3)
        or 0x1F3FB <= cp <= 0x1F3FF
    )


def strip_emoji(text: str) -> str:
    return "".join(ch for ch in text if not _is_emoji(ch))


def inline_text(token: Token) -> str:
    """The plain text of an inline token: formatting, links and HTML removed.

    ``[CUDA](url) **编程**<a name="x"></a>`` → ``CUDA 编程``. Math keeps its source.
    """
    parts: list[str] = []
    for child in token.children or ():
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif child.type.startswith("math_inline"):
            parts.append(f"${child.content}$")
        elif child.type == "image":
            parts.append(inline_text(child))
    return _SPACE.sub(" ", "".join(parts)).strip()


def clean_topic(text: str) -> str:
    """A heading's topic: numbering, emoji, anchors and trailing colons removed.

    Falls back to the text as written if cleaning would leave nothing (a heading
    that is only "2." or only an emoji still names its section).
    """
    raw = _SPACE.sub(" ", text).strip()
    cleaned = _ATTRS.sub("", strip_emoji(raw))
    cleaned = _NUMBERING.sub("", cleaned, count=1)
    cleaned = cleaned.strip().rstrip(":：").strip()
    cleaned = _SPACE.sub(" ", cleaned)
    return cleaned or raw


def tag_component(topic: str) -> str:
    """One level of an Anki tag: spaces and colons become ``_``, unsafe characters go.

    Anki splits tags on whitespace (ASCII and U+3000) and uses ``::`` for
    hierarchy, and ``"`` breaks its search syntax; CJK is kept as is.
    """
    text = _TAG_DROP.sub("", unicodedata.normalize("NFC", topic))
    return _TAG_SPACE.sub("_", text).strip("_")


def make_tag(root: str, trail: Iterable[str]) -> str:
    """``root::a::b`` from a topic trail; empty levels are left out."""
    parts = [p for p in (tag_component(t) for t in (root, *trail)) if p]
    return "::".join(parts)


def join_trail(trail: Sequence[str]) -> str:
    """The trail as people read it, for a card's context line."""
    return " › ".join(trail)
