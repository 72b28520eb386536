"""Counts over a scope: new, learning, learned, due and weak items per topic, and what comes due when."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from .items import Item, Key
from .scheduler import Scheduler
from .scope import topic
from .state import Memory

_HOUR = timedelta(hours=1)
_DAY = timedelta(days=1)
_WEEK = timedelta(days=7)


@dataclass(frozen=True)
class TopicStats:
    """One row of ``notes2anki quiz --stats``."""

    topic: tuple[str, ...]
    """The trail, cut to the first levels (empty for the total row)."""
    items: int = 0
    new: int = 0
    """Never graded."""
    learning: int = 0
    """Graded, still in (re)learning steps."""
    learned: int = 0
    """Graduated to FSRS review."""
    due: int = 0
    """Graded and due now."""
    weak: int = 0
    """Graded and likely to be forgotten within a day (see :meth:`Scheduler.is_weak`)."""


@dataclass(frozen=True)
class Forecast:
    """When the items of a scope come due, counted in widening windows from now."""

    now: int = 0
    hour: int = 0
    """Within the next hour (not due yet)."""
    day: int = 0
    """Within a day, after the first hour."""
    week: int = 0
    """Within a week, after the first day."""
    later: int = 0
    new: int = 0
    next_due: datetime | None = None
    """The earliest moment something not yet due comes due."""


def _add(row: TopicStats, memory: Memory | None, scheduler: Scheduler, now: datetime) -> TopicStats:
    return TopicStats(
        topic=row.topic,
        items=row.items + 1,
        new=row.new + (memory is None),
        learning=row.learning + (memory is not None and not scheduler.is_learned(memory)),
        learned=row.learned + scheduler.is_learned(memory),
        due=row.due + scheduler.is_due(memory, now),
        weak=row.weak + scheduler.is_weak(memory, now),
    )


def topic_stats(items: Sequence[Item], memories: Mapping[Key, Memory], scheduler: Scheduler, now: datetime,
                depth: int = 2) -> tuple[TopicStats, list[TopicStats]]:
    """The total and one row per topic (trails cut to ``depth`` levels), topics in note order."""
    total = TopicStats(())
    rows: dict[tuple[str, ...], TopicStats] = {}
    for item in items:
        memory = memories.get(item.key)
        name = topic(item.card)[:depth]
        rows[name] = _add(rows.get(name, TopicStats(name)), memory, scheduler, now)
        total = _add(total, memory, scheduler, now)
    return total, list(rows.values())


def forecast(items: Sequence[Item], memories: Mapping[Key, Memory], now: datetime) -> Forecast:
    """How many of ``items`` are due now, within the hour, the day, the week, or later."""
    buckets = {"now": 0, "hour": 0, "day": 0, "week": 0, "later": 0, "new": 0}
    next_due: datetime | None = None
    for item in items:
        memory = memories.get(item.key)
        if memory is None:
            buckets["new"] += 1
            continue
        wait = memory.due - now
        if wait <= timedelta(0):
            buckets["now"] += 1
            continue
        next_due = memory.due if next_due is None else min(next_due, memory.due)
        bucket = "hour" if wait <= _HOUR else "day" if wait <= _DAY else "week" if wait <= _WEEK else "later"
        buckets[bucket] += 1
    return Forecast(**buckets, next_due=next_due)
