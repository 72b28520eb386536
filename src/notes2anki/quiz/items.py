"""What the quiz asks: one item for each thing Anki would ask of a card.

Anki asks a Basic note front → back, and back → front as well when the note
asks for its reverse; it asks a Cloze note once per cloze number, with that
number blanked and the others shown. The quiz asks the same things, so an item
is a card plus an *ord*: ``""`` (the front), ``"reverse"`` or ``"c1"``,
``"c2"``… Review state is keyed by ``(card GUID, ord)``: the GUID survives
edits to the answer and rebuilds, and adding a ``c2`` to a note leaves the
history of its ``c1`` alone.

Both sides are Markdown. The question is the card's ``front`` (what Anki shows:
a definition card's plain ``question`` is only its term), converted back from
HTML; the answer is the Markdown source from the notes; ``extra`` is shown as
Anki shows it, without what Anki keeps folded (a diagram's source).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ..cards import Card
from ..render import html_to_text
from .htmltext import escape_markdown, html_to_markdown

Key = tuple[str, str]
"""``(card GUID, ord)``: what review state is stored under."""

CLOZE_OPEN = "\ue000"
CLOZE_CLOSE = "\ue001"
"""Private-use characters around a cloze in an item's Markdown; the terminal styles what they enclose.
(Markdown's own ``**`` would break on a cloze that is itself bold.)"""

# Anki's own cloze syntax: {{c1::answer}} or {{c1::answer::hint}}, up to the first "}}".
_CLOZE = re.compile(r"\{\{c(\d+)::(.*?)(?:::(.*?))?\}\}", re.DOTALL)
_FIRST_BLOCK = re.compile(r"<(?:div|p|br|ul|ol|table|hr)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Item:
    """One question the quiz can ask, with what answers it."""

    card: Card
    ord: str
    """``""`` for the front, ``"reverse"`` for back → front, ``"c<n>"`` for cloze number n."""
    question: str
    """Markdown shown first."""
    answer: str
    """Markdown shown on reveal (for a cloze: the text with this cloze filled in)."""
    extra: str = ""
    """Markdown shown under the answer (a diagram's source, notes)."""

    @property
    def key(self) -> Key:
        return (self.card.guid, self.ord)

    @property
    def label(self) -> str:
        """A one-line name for summaries: the question as plain text."""
        card = self.card
        first_block = _FIRST_BLOCK.split(card.front, maxsplit=1)[0]  # not the hint under a question
        text = card.question if card.cloze else html_to_text(first_block) or html_to_text(card.front)
        text = text or card.question
        if self.ord == "reverse":
            text = f"{text} (reverse)"
        elif self.ord.startswith("c") and self.ord != "c1":
            text = f"{text} ({self.ord})"
        return " ".join(text.split())


def cloze_numbers(text: str) -> list[int]:
    """The distinct cloze numbers in ``text``, in ascending order."""
    return sorted({int(m.group(1)) for m in _CLOZE.finditer(text)})


def blank(text: str, number: int) -> str:
    """``text`` with cloze ``number`` hidden (``[…]`` or ``[hint]``) and every other cloze shown."""

    def sub(m: re.Match[str]) -> str:
        if int(m.group(1)) != number:
            return m.group(2)
        hint = (m.group(3) or "").strip()
        return f"{CLOZE_OPEN}&#91;{hint or '…'}&#93;{CLOZE_CLOSE}"

    return _CLOZE.sub(sub, text)


def reveal(text: str, number: int) -> str:
    """``text`` with cloze ``number`` filled in and marked, every other cloze shown plainly."""

    def sub(m: re.Match[str]) -> str:
        return f"{CLOZE_OPEN}&#91;{m.group(2)}&#93;{CLOZE_CLOSE}" if int(m.group(1)) == number else m.group(2)

    return _CLOZE.sub(sub, text)


def _answer(card: Card) -> str:
    if card.answer.strip():
        return card.answer
    return html_to_markdown(card.back)


def items_for_card(card: Card) -> list[Item]:
    """Every item Anki would make of ``card``."""
    extra = html_to_markdown(card.extra, collapsed=False)
    if card.cloze:
        text = html_to_markdown(card.front)
        numbers = cloze_numbers(text)
        if numbers:
            back = html_to_markdown(card.back)
            return [Item(card, f"c{n}", blank(text, n), reveal(text, n) + (f"\n\n{back}" if back else ""), extra)
                    for n in numbers]
    # The front is what Anki asks ("什么是 KV Cache？"); the plain question may be just the term.
    question = html_to_markdown(card.front) or escape_markdown(card.question)
    items = [Item(card, "", question, _answer(card), extra)]
    if card.reverse:
        items.append(Item(card, "reverse", _answer(card), question))
    return items


def items_for(cards: Iterable[Card]) -> list[Item]:
    """Items for every card, in note order."""
    return [item for card in cards for item in items_for_card(card)]


def by_key(items: Sequence[Item]) -> dict[Key, Item]:
    return {item.key: item for item in items}
