"""Which items a session draws from: a topic (heading trail or tag prefix), a kind.

A topic is matched the way people name one: case-insensitively, ``_`` and
spaces alike, without the root levels (``--topic 推理`` finds
``AI Infra 学习笔记 › Inference 推理``), and segment by segment when the query
has several (``Inference › 大模型``, or a tag ``notes2anki::hpc::RDMA``). A
query segment matches a trail segment that contains it on word boundaries:
``kv`` matches ``KV Cache`` but not ``kvm``; CJK has no spaces, so any run of
CJK characters matches inside a CJK segment. Diagram cards also match a node
named in their question or answer.

When nothing matches, :func:`suggest` names the nearest topics that exist.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath

from ..cards import Card
from ..topics import join_trail
from .items import Item

_SEPARATOR = re.compile(r"\s*(?:›|»|::|\s>\s)\s*")
_SPACE = re.compile(r"[\s_]+")
_WORDS = re.compile(r"[0-9a-z]+|[^\s0-9a-z]+")


def normalise(text: str) -> str:
    """Case-folded, NFKC, ``_`` and runs of spaces as one space (full-width letters become ASCII)."""
    return _SPACE.sub(" ", unicodedata.normalize("NFKC", text).casefold()).strip()


def split_query(query: str) -> list[str]:
    """``"A › B"``, ``"A > B"`` or ``"A::B"`` → normalised segments (empty ones dropped)."""
    return [s for s in (normalise(p) for p in _SEPARATOR.split(query.strip())) if s]


def _contains(haystack: str, needle: str) -> bool:
    """``needle`` inside ``haystack`` (both normalised), not cutting an ASCII word or number."""
    pattern = r"(?<![0-9a-z])" + re.escape(needle) + r"(?![0-9a-z])"
    return re.search(pattern, haystack) is not None


def _matches_run(segments: Sequence[str], query: Sequence[str]) -> bool:
    """Whether ``query`` matches a contiguous run of ``segments``."""
    k = len(query)
    return any(all(_contains(segments[i + j], query[j]) for j in range(k))
               for i in range(len(segments) - k + 1))


def trail(card: Card) -> tuple[str, ...]:
    """The card's full topic trail: its context and, for a heading card, the heading itself."""
    return (*card.context, card.question) if card.kind == "section" else card.context


def topic(card: Card) -> tuple[str, ...]:
    """The topic a card is filed under in summaries: its context, else its own heading or file."""
    if card.context:
        return card.context
    if card.kind == "section" and card.question:
        return (card.question,)
    return (str(PurePosixPath(card.path).with_suffix("")),)


def _sequences(card: Card) -> Iterable[list[str]]:
    yield [normalise(s) for s in trail(card)]
    for tag in card.tags:
        yield [normalise(s) for s in tag.split("::")]


def card_matches(card: Card, query: str) -> bool:
    """Whether ``card`` lies under the topic ``query`` (see the module docstring)."""
    segments = split_query(query)
    if not segments:
        return True
    if any(_matches_run(seq, segments) for seq in _sequences(card)):
        return True
    if card.kind.startswith("diagram") and len(segments) == 1:
        return _contains(normalise(card.question), segments[0]) or _contains(normalise(card.answer), segments[0])
    return False


@dataclass(frozen=True)
class Scope:
    """What a session may ask: items under any of ``topics`` and of any of ``kinds`` (empty: all)."""

    topics: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()

    def admits(self, item: Item) -> bool:
        card = item.card
        if self.kinds and card.kind not in self.kinds:
            return False
        return not self.topics or any(card_matches(card, t) for t in self.topics)

    def select(self, items: Iterable[Item]) -> list[Item]:
        return [item for item in items if self.admits(item)]

    def describe(self) -> str:
        """The scope in words, for messages: ``topic 'X', kind section``."""
        parts = []
        if self.topics:
            parts.append("topic " + " or ".join(f"'{t}'" for t in self.topics))
        if self.kinds:
            parts.append("kind " + " or ".join(self.kinds))
        return ", ".join(parts) or "all cards"


def topics_of(items: Iterable[Item]) -> list[tuple[str, ...]]:
    """Every topic trail and each of its prefixes, in note order, without repeats."""
    seen: dict[tuple[str, ...], None] = {}
    for item in items:
        path = trail(item.card)
        for depth in range(1, len(path) + 1):
            seen.setdefault(path[:depth], None)
    return list(seen)


def _score(query: str, candidate: tuple[str, ...]) -> float:
    """How close ``query`` is to a topic: to its last level, to one word of it, or to the whole trail."""
    last = normalise(candidate[-1])
    texts = [last, normalise(" ".join(candidate)), *_WORDS.findall(last)]
    return max(difflib.SequenceMatcher(None, query, t).ratio() for t in texts)


def suggest(items: Sequence[Item], query: str, n: int = 5, cutoff: float = 0.5) -> list[str]:
    """The ``n`` existing topics nearest to ``query``, best first (``A › B`` form)."""
    wanted = " ".join(split_query(query))
    if not wanted:
        return []
    scored = [(_score(wanted, t), -i, t) for i, t in enumerate(topics_of(items))]
    best = sorted((s for s in scored if s[0] >= cutoff), reverse=True)[:n]
    return [join_trail(t) for _, _, t in best]


def top_topics(items: Sequence[Item], n: int = 8) -> list[str]:
    """The first levels of the trails, for when no topic is near: what there is to choose from."""
    firsts: dict[str, None] = {}
    for t in topics_of(items):
        if len(t) <= 2:
            firsts.setdefault(join_trail(t), None)
    return list(firsts)[:n]
