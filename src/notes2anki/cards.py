"""The card: what every extractor makes and every later stage consumes.

Kinds are a small, documented vocabulary (see ``KINDS``); the README lists them
with examples. A card carries both the HTML that goes into Anki's fields and
plain text of its question and answer, which identity, the ledger and the
terminal quiz use so that a change in HTML rendering never changes a card's
identity.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property

from .diagnostics import Diagnostic, warning
from .identity import normalise

KINDS: dict[str, str] = {
    "section": "a heading whose section has content of its own; the content is the answer",
    "definition": "a term and what it means (bold term, bullet term, table row, definition list)",
    "question": "a question in the notes (heading, list item, Q:/A: pair) and its answer",
    "cloze": "a fill-in-the-blank note ({{c1::…}} or ==highlight==) on the Cloze note type",
    "diagram-children": "a diagram node and the nodes it leads to, in diagram order",
    "diagram-parent": "a diagram node and the node it belongs to",
    "diagram-edge": "a labelled diagram edge: source and label, answered with the target",
    "diagram-chain": "an ordered pipeline of three or more steps in a diagram",
    "diagram-sequence": "who sends what to whom in a sequence diagram",
    "diagram-state": "which event leads from one state to another in a state diagram",
}


@dataclass(frozen=True)
class Card:
    """One flashcard, ready to package."""

    kind: str
    """One of :data:`KINDS`."""
    guid: str
    """Anki note GUID: decides update-versus-new on re-import (see ``identity.py``)."""
    question: str
    """The question as plain text; with the kind and context it is the card's identity."""
    answer: str
    """The answer as plain text or Markdown source (for hashing and the terminal)."""
    front: str
    """HTML of the question side."""
    back: str
    """HTML of the answer side."""
    context: tuple[str, ...]
    """Topic trail shown above the question (headings, diagram path)."""
    path: str
    """Note file, relative to the NOTES argument it came from."""
    line: int
    """1-based line where the question (heading, term, diagram edge) stands."""
    tags: tuple[str, ...]
    """Anki tags, hierarchical with ``::``."""
    extra: str = ""
    """HTML shown under the answer (a diagram's source, notes)."""
    cloze: bool = False
    """Whether the card goes on the Cloze note type (``front`` holds the cloze text)."""
    reverse: bool = False
    """Whether Anki should also ask the reverse direction (answer → question)."""
    media: tuple[tuple[str, str], ...] = ()
    """Files the card's HTML refers to: ``(name in the package, absolute path on disk)``."""

    @property
    def source(self) -> str:
        """``path:line`` as shown to users."""
        return f"{self.path}:{self.line}"

    @cached_property
    def answer_digest(self) -> str:
        """Hash of the answer text (whitespace-insensitive): the ledger's evidence for renamed questions."""
        return hashlib.sha256(normalise(self.answer).encode()).hexdigest()[:12]

    @cached_property
    def content_digest(self) -> str:
        """Hash of everything Anki shows of the note except its source line, which moves with every edit
        above it: when it changes, the note must reach Anki as newer."""
        shown = "\x1e".join((self.kind, self.front, self.back, "\x1f".join(self.context), self.extra,
                             "\x1f".join(sorted(self.tags)), "r" if self.reverse else "", "c" if self.cloze else ""))
        return hashlib.sha256(shown.encode()).hexdigest()[:16]


def drop_duplicates(cards: Iterable[Card]) -> tuple[list[Card], list[Diagnostic]]:
    """Keep the first of cards that share a GUID (the same question), warning with both places."""
    first: dict[str, Card] = {}
    kept: list[Card] = []
    diags: list[Diagnostic] = []
    for card in cards:
        seen = first.get(card.guid)
        if seen is None:
            first[card.guid] = card
            kept.append(card)
        else:
            diags.append(warning(card.path, card.line,
                                 f"duplicate {card.kind} card '{_short(card.question)}' "
                                 f"(also at {seen.source}); kept the first",
                                 "reword one of the two, or put them under different headings",
                                 "duplicate-card"))
    return kept, diags


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
