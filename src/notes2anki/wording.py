"""How generated questions are worded, in the note's own language.

Every question notes2anki writes (as opposed to one copied from the notes)
comes from a template here, keyed ``<phrase>.<language>``. A note's language is
guessed from its text (Chinese if CJK characters dominate), can be fixed with
``language:`` in the config, and any template can be overridden with
``wording:``; unknown template keys are config warnings.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

LANGUAGES = ("zh", "en")

DEFAULTS: dict[str, str] = {
    "definition.zh": "什么是 {term}？",
    "definition.en": "What is {term}?",
    "reverse.zh": "哪个术语的意思是：{definition}",
    "reverse.en": "Which term means: {definition}",
    "diagram-children.zh": "{node} → ？",
    "diagram-children.en": "{node} → ?",
    "diagram-children-hint.zh": "按图中顺序，共 {count} 项",
    "diagram-children-hint.en": "{count}, in diagram order",
    "diagram-parent.zh": "{node} 属于？",
    "diagram-parent.en": "{node} belongs to ?",
    "diagram-edge.zh": "{src} —{label}→ ？",
    "diagram-edge.en": "{src} —{label}→ ?",
    "diagram-edge-reverse.zh": "？ —{label}→ {dst}",
    "diagram-edge-reverse.en": "? —{label}→ {dst}",
    "diagram-chain.zh": "从 {start} 到 {end} 依次经过哪些步骤？",
    "diagram-chain.en": "What are the steps from {start} to {end}, in order?",
    "diagram-chain-hint.zh": "共 {count} 步",
    "diagram-chain-hint.en": "{count} steps",
    "diagram-group.zh": "{group} 包含哪些？",
    "diagram-group.en": "What does {group} contain?",
    "diagram-message.zh": "{src} → {dst}：发送什么？",
    "diagram-message.en": "{src} → {dst}: what is sent?",
    "diagram-sequence.zh": "{participants} 之间的消息顺序？",
    "diagram-sequence.en": "In what order do {participants} exchange messages?",
    "diagram-state.zh": "从 {src} 到 {dst} 的事件是？",
    "diagram-state.en": "What event leads from {src} to {dst}?",
    "diagram-start.zh": "开始",
    "diagram-start.en": "start",
    "diagram-end.zh": "结束",
    "diagram-end.en": "end",
}
"""Template key -> text with ``{placeholders}``. Extractors add their phrases here."""

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3040-\u30ff\uac00-\ud7af]+")
_LETTERS = bytes(0x61 if chr(b).isascii() and chr(b).isalpha() else 0x20 for b in range(256))
"""Every ASCII letter to ``a``, every other byte to a space: Latin words become runs of ``a``."""


def language_of(text: str) -> str:
    """``zh`` when CJK characters make up a real share of the text, else ``en``.

    Mixed notes ("PagedAttention 把 KV cache 分块") count as Chinese: one CJK
    character carries about a word's meaning, so CJK characters are weighed
    against Latin *words*, not letters.
    """
    cjk = sum(map(len, _HAN.findall(text)))
    # A word starts where a letter follows anything else: counted on bytes, without a list of words.
    words = (" " + text).encode("utf-8", "surrogatepass").translate(_LETTERS).count(b" a")
    return "zh" if cjk and cjk >= words * 0.5 else "en"


def phrase(key: str, language: str, overrides: Mapping[str, str] | None = None, **fields: str) -> str:
    """The template ``key`` in ``language`` (config overrides first), filled with ``fields``."""
    full = f"{key}.{language}"
    template = (overrides or {}).get(full) or DEFAULTS.get(full) or DEFAULTS[f"{key}.en"]
    try:
        return template.format(**fields)
    except (KeyError, IndexError, ValueError):
        # A broken override ("{trem}") must not stop the build: fall back to ours.
        return (DEFAULTS.get(full) or DEFAULTS[f"{key}.en"]).format(**fields)
