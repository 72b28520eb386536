"""Stable identities: card GUIDs and deck ids.

Anki decides whether an imported note updates an existing one or is new by its
GUID, so a GUID must survive everything except a change of meaning. It is
derived from the deck, the card kind, the heading trail and the normalised
question, and never from the answer, the file path or the line: editing an
answer or moving a file keeps the card (and its review history) in place.
Renames that change the question itself are matched by the ledger instead.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Sequence


def normalise(text: str) -> str:
    """Unicode NFC with runs of whitespace collapsed to one space."""
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    return " ".join(text.split())


def card_key(kind: str, context: Sequence[str], question: str) -> str:
    """The text a card's identity is computed from (shown in tests and debugging)."""
    return "\x1f".join((kind, " › ".join(normalise(c) for c in context), normalise(question)))


def card_guid(deck: str, kind: str, context: Sequence[str], question: str) -> str:
    """A 16-hex-digit GUID: 64 bits of SHA-256 over deck and card key."""
    data = normalise(deck) + "\x1e" + card_key(kind, context, question)
    return hashlib.sha256(data.encode("utf-8")).hexdigest()[:16]


def deck_id(name: str) -> int:
    """A fixed deck id for a deck name, in the range genanki recommends (2**30..2**31)."""
    digest = hashlib.sha256(("notes2anki-deck\x1e" + normalise(name)).encode("utf-8")).digest()
    return (1 << 30) + int.from_bytes(digest[:4], "big") % (1 << 30)
