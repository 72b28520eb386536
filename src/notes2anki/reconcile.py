"""Matching this build's cards with the ledger's, so identities survive edits.

A card's natural GUID (``identity.py``) changes when its question or heading
trail changes. Here those cards are matched with the ledger entries that
vanished in the same build, and take over their GUIDs, so Anki updates the old
note (and keeps its reviews) instead of adding a new one. Matching is
conservative and explained by tiers, strongest first, always within one kind
and one-to-one:

1. same question up to case, punctuation, width and spaces, same trail
   (``KV cache?`` → ``KV Cache？``);
2. same question, same answer, different trail (a section moved to another
   parent or file, a file renamed);
3. same question, different trail and answer, and unique on both sides (moved
   *and* edited);
4. same answer, similar question (≥ 50 % alike, or the shorter one mostly
   inside the longer), same trail or same file (a heading reworded in place);
5. same answer and a very similar question (≥ 80 %) anywhere.

Anything else is new. A rewritten question with a new answer is therefore a
new card, and the old one is reported removed.
"""

from __future__ import annotations

import difflib
import html
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from operator import attrgetter
from pathlib import Path

from .cards import Card
from .diagnostics import Diagnostic, warning
from .identity import normalise
from .ledger import Entry, Ledger

REMOVED_TAG = "notes2anki::removed"
REMOVED_MARKER = "Removed from the notes: delete it in Anki (search tag:notes2anki::removed)."


@dataclass(frozen=True)
class Change:
    """One line of the change report."""

    what: str
    """``added``, ``updated``, ``renamed``, ``moved``, ``removed`` or ``revived``."""
    kind: str
    question: str
    source: str
    before: str = ""
    """For renamed/moved: the old question or ``path:line``."""


@dataclass(frozen=True)
class Reconciliation:
    cards: tuple[Card, ...]
    """This build's cards with their final GUIDs."""
    removed: tuple[Entry, ...]
    """Cards no longer in the notes, still packaged (tagged) until pruned."""
    ledger: Ledger
    changes: tuple[Change, ...]
    mtimes: dict[str, int]
    """Modification time of every packaged note by GUID."""
    ledger_changed: bool = True
    """Whether the ledger differs from the one read (if not, it need not be written)."""

    def count(self, what: str) -> int:
        return sum(1 for c in self.changes if c.what == what)


def loose(text: str) -> str:
    """Text compared for identity: width-folded, case-folded, letters and digits only."""
    return "".join(ch for ch in unicodedata.normalize("NFKC", text).casefold() if ch.isalnum())


def _similar(a: str, b: str) -> tuple[float, float]:
    """(ratio, overlap): how alike two questions are overall, and how much of the shorter is in the longer.

    Overlap catches a heading that gained a gloss (``数据并行`` → ``数据并行 Data Parallelism``).
    """
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    shared = sum(block.size for block in matcher.get_matching_blocks())
    shorter = min(len(a), len(b))
    return matcher.ratio(), (shared / shorter if shorter >= 2 else 0.0)


COMMON_ANSWER = 8
"""An answer shared by more vanished cards than this is no evidence of a rename (``AI Infra`` as the
parent of a whole mind map); comparing against all of them would also make matching quadratic."""


def _pairs(cards: Sequence[Card], entries: Sequence[Entry]) -> list[tuple[int, float, int, int]]:
    """Candidate (tier, -score, card index, entry index) pairs, found by lookups rather than all pairs.

    Each card is compared with at most :data:`COMMON_ANSWER` entries by text
    similarity, so matching stays linear in the number of cards.
    """
    if not cards or not entries:
        return []  # nothing to pair (a first build): spare folding every question
    by_question: dict[tuple[str, str], list[int]] = defaultdict(list)
    by_answer: dict[tuple[str, str], list[int]] = defaultdict(list)
    entry_questions = [loose(e.question) for e in entries]
    for j, e in enumerate(entries):
        by_question[(e.kind, entry_questions[j])].append(j)
        by_answer[(e.kind, e.answer)].append(j)
    card_questions: dict[tuple[str, str], int] = defaultdict(int)
    loose_cards = [loose(c.question) for c in cards]
    for c, q in zip(cards, loose_cards):
        card_questions[(c.kind, q)] += 1

    pairs: list[tuple[int, float, int, int]] = []
    for i, card in enumerate(cards):
        q = loose_cards[i]
        a = card.answer_digest
        same_q = by_question.get((card.kind, q), [])
        for j in same_q:
            e = entries[j]
            if e.context == card.context:
                pairs.append((1, -1.0, i, j))
            elif e.answer == a:
                pairs.append((2, -1.0, i, j))
            elif len(same_q) == 1 and card_questions[(card.kind, q)] == 1:
                pairs.append((3, -1.0, i, j))
        same_a = by_answer.get((card.kind, a), [])
        if len(same_a) > COMMON_ANSWER or not normalise(card.answer):
            continue
        for j in same_a:
            e = entries[j]
            eq = entry_questions[j]
            if eq == q:
                continue
            ratio, overlap = _similar(q, eq)
            if max(ratio, overlap) >= 0.5 and (e.context == card.context or e.path == card.path):
                pairs.append((4, -max(ratio, overlap), i, j))
            elif ratio >= 0.8:
                pairs.append((5, -ratio, i, j))
    pairs.sort()
    return pairs


def reconcile(
    old: Ledger | None,
    cards: Sequence[Card],
    deck: str,
    now: int,
    *,
    unreadable: Iterable[str] = (),
    prune: bool = False,
    floor: int = 0,
) -> Reconciliation:
    """Give each card its lasting GUID and modification time, and say what changed.

    ``unreadable``: paths of notes that exist but could not be read this time;
    their cards are kept in the ledger untouched rather than reported removed.
    ``floor``: the least time a change may get (an incremental rebuild matches
    only part of the ledger, and passes the rest's latest time plus one).
    """
    entries = list(old.entries) if old else []
    by_id = {e.id: e for e in entries}
    skipped_paths = set(unreadable)

    matched: dict[int, Entry] = {}
    used: set[str] = set()
    for i, card in enumerate(cards):
        entry = by_id.get(card.guid)
        if entry is not None:
            matched[i] = entry
            used.add(entry.id)
    loose_cards = [i for i in range(len(cards)) if i not in matched]
    # Cards removed in an earlier build come back only by their exact identity.
    loose_entries = [e for e in entries if e.id not in used and e.path not in skipped_paths and e.removed is None]
    for _, _, ci, ej in _pairs([cards[i] for i in loose_cards], loose_entries):
        i, entry = loose_cards[ci], loose_entries[ej]
        if i not in matched and entry.id not in used:
            matched[i] = entry
            used.add(entry.id)

    # A change must look newer to Anki than anything before it, even if the clock went back.
    stamp = max(now, floor, max(map(attrgetter("changed"), entries), default=0) + 1,
                max(filter(None, map(attrgetter("removed"), entries)), default=0) + 1)
    final: list[Card] = []
    new_entries: list[Entry] = []
    changes: list[Change] = []
    mtimes: dict[str, int] = {}
    for i, card in enumerate(cards):
        entry = matched.get(i)
        if entry is not None and entry.id != card.guid:
            card = replace(card, guid=entry.id)
        content = card.content_digest
        if entry is None:
            changed = stamp
            changes.append(Change("added", card.kind, card.question, card.source))
        else:
            changed = entry.changed if entry.content == content and entry.removed is None else stamp
            if entry.removed is not None:
                changes.append(Change("revived", card.kind, card.question, card.source))
            elif entry.question != card.question and loose(entry.question) != loose(card.question):
                changes.append(Change("renamed", card.kind, card.question, card.source, entry.question))
            elif entry.path != card.path or entry.context != card.context:
                changes.append(Change("moved", card.kind, card.question, card.source, entry.source))
            elif changed != entry.changed:
                changes.append(Change("updated", card.kind, card.question, card.source))
        final.append(card)
        mtimes[card.guid] = changed
        now_entry = (card.guid, card.kind, card.question, card.context, card.answer_digest, content, card.tags,
                     card.source, changed, None)
        # Most cards are as the ledger has them: keep that very entry (and so its line, below).
        as_read = entry is not None and entry == now_entry
        new_entries.append(entry if as_read and entry is not None else Entry(*now_entry))

    removed: list[Entry] = []
    for entry in entries:
        if entry.id in used:
            continue
        if entry.path in skipped_paths:
            new_entries.append(entry)  # its note could not be read: keep it as it was, don't package it
            continue
        if entry.removed is None:
            entry = entry._replace(removed=stamp, changed=stamp)
            changes.append(Change("removed", entry.kind, entry.question, entry.source))
        elif prune:
            continue
        removed.append(entry)
        mtimes[entry.id] = entry.changed
        new_entries.append(entry)

    # Entries as they were read are written back from their lines (most entries, in most builds).
    kept = {e.id: old.lines[e.id] for e in new_entries if by_id.get(e.id) is e and e.id in old.lines} if old else {}
    ledger = Ledger(deck, tuple(new_entries), kept)
    unchanged = old is not None and old.deck == deck and len(kept) == len(new_entries) == len(old.entries)
    return Reconciliation(tuple(final), tuple(removed), ledger, tuple(changes), mtimes, not unchanged)


def many_removed(ledger_path: Path, live: int, removed_now: int) -> list[Diagnostic]:
    """A warning when a build removes most of a deck's cards (most likely, only part of the notes was built)."""
    if live >= 10 and removed_now * 2 > live:
        return [warning(str(ledger_path), None,
                        f"{removed_now} of the deck's {live} cards are no longer in the notes read",
                        "if you built only part of your notes, build them all; check with --dry-run", "many-removed")]
    return []


def removed_card(entry: Entry, marker: str = REMOVED_MARKER) -> Card:
    """The note that replaces a removed card in Anki: marked, tagged, easy to find and delete."""
    cloze = entry.kind == "cloze"
    question = html.escape(entry.question, quote=False)
    return Card(
        kind=entry.kind,
        guid=entry.id,
        question=entry.question,
        answer="",
        # A cloze note needs a cloze to keep its card; the text is struck through either way.
        front=f"<s>{question}</s> {{{{c1::{html.escape(marker, quote=False)}}}}}" if cloze else f"<s>{question}</s>",
        back=f'<div class="n2a-removed">{html.escape(marker, quote=False)}</div>',
        context=entry.context,
        path=entry.path,
        line=entry.line,
        tags=(*(t for t in entry.tags if t != REMOVED_TAG), REMOVED_TAG),
        cloze=cloze,
    )
