"""FSRS, the scheduler modern Anki uses, between stored memories and due dates.

A thin layer over the ``fsrs`` package (open-spaced-repetition/py-fsrs): it
turns a :class:`~notes2anki.quiz.state.Memory` into an ``fsrs.Card`` and back,
counts reviews and lapses, and answers the questions the session asks (what is
due, how likely is recall, what would each grade schedule). Times are always
passed in, never read from the system clock, so tests decide what "now" is.

Interval fuzzing is off: the same answers at the same times give the same
schedule, which keeps sessions reproducible; fuzz only spreads reviews of large
collections learned on one day.
"""

from __future__ import annotations

import enum
from datetime import datetime, timedelta, timezone

import fsrs

from .state import Memory

DESIRED_RETENTION = 0.9
"""Anki's default: cards come due when recall probability has fallen to 90%."""
WEAK_HORIZON = timedelta(days=1)
"""A card is weak when it is likely to be forgotten within this long (say, by tomorrow's interview)."""


class Grade(enum.IntEnum):
    """Anki's four answer buttons, keyed 1-4 as in Anki."""

    AGAIN = 1
    HARD = 2
    GOOD = 3
    EASY = 4

    @property
    def label(self) -> str:
        return self.name.capitalize()


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(timezone.utc)


class Scheduler:
    """FSRS with Anki's default parameters and learning steps (1 min, 10 min; relearning 10 min)."""

    def __init__(self, retention: float = DESIRED_RETENTION) -> None:
        self.retention = retention
        self._fsrs = fsrs.Scheduler(desired_retention=retention, enable_fuzzing=False)

    @staticmethod
    def _card(memory: Memory | None, now: datetime) -> fsrs.Card:
        if memory is None:
            return fsrs.Card(card_id=0, due=_utc(now))
        return fsrs.Card(card_id=0, state=fsrs.State(memory.state), step=memory.step, stability=memory.stability,
                         difficulty=memory.difficulty, due=_utc(memory.due),
                         last_review=None if memory.last_review is None else _utc(memory.last_review))

    def review(self, memory: Memory | None, grade: Grade, at: datetime) -> Memory:
        """The memory after answering ``grade`` at ``at``."""
        before = self._card(memory, at)
        after, _log = self._fsrs.review_card(before, fsrs.Rating(int(grade)), review_datetime=_utc(at))
        lapsed = before.state is fsrs.State.Review and grade is Grade.AGAIN
        return Memory(
            state=int(after.state),
            step=after.step,
            stability=after.stability,
            difficulty=after.difficulty,
            due=after.due,
            last_review=after.last_review,
            reps=(memory.reps if memory else 0) + 1,
            lapses=(memory.lapses if memory else 0) + int(lapsed),
            last_rating=int(grade),
        )

    def preview(self, memory: Memory | None, at: datetime) -> dict[Grade, timedelta]:
        """How long each grade would put the item away for, as Anki shows on its buttons."""
        return {g: self.review(memory, g, at).due - _utc(at) for g in Grade}

    def recall(self, memory: Memory | None, at: datetime) -> float:
        """Probability of recalling the item at ``at`` (0 for an item never graded)."""
        if memory is None:
            return 0.0
        return float(self._fsrs.get_card_retrievability(self._card(memory, at), _utc(at)))

    def is_due(self, memory: Memory | None, at: datetime) -> bool:
        """New items are not "due": they are introduced separately, up to a limit."""
        return memory is not None and memory.due <= at

    def is_weak(self, memory: Memory | None, at: datetime) -> bool:
        """Graded before and likely (below the retention target) to be forgotten within a day."""
        return memory is not None and self.recall(memory, at + WEAK_HORIZON) < self.retention

    @staticmethod
    def is_learned(memory: Memory | None) -> bool:
        """Graduated from the learning steps (FSRS review state)."""
        return memory is not None and memory.state == int(fsrs.State.Review)
