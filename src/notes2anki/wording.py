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
}
"""Template key -> text with ``{placeholders}``. Extractors add their phrases here."""

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3040-\u30ff\uac00-\ud7af]")
_LATIN_WORD = re.compile(r"[A-Za-z]+")


def language_of(text: str) -> str:
    """``zh`` when CJK characters make up a real share of the text, else ``en``.

    Mixed notes ("PagedAttention 把 KV cache 分块") count as Chinese: one CJK
    character carries about a word's meaning, so CJK characters are weighed
    against Latin *words*, not letters.
    """
    cjk = len(_HAN.findall(text))
    words = len(_LATIN_WORD.findall(text))
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
