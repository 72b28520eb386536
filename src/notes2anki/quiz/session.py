"""A quiz session as a plain state machine: no terminal, no keys, no system clock.

The driver asks :attr:`Session.step` what to show and calls :meth:`reveal`,
:meth:`grade`, :meth:`undo` and :meth:`quit`; given the same items, stored
state, clock and seed, a session makes the same decisions, which is what the
tests rely on. Every grade is saved (one commit) before :meth:`grade` returns,
so quitting, a crash or Ctrl-C at any moment loses nothing that was answered.

Modes:

``due``        what FSRS says is due, most overdue first, then up to ``new`` items never seen, in note
               order. Items answered Again (or still in their learning steps) come back in the same
               session when due, or early once nothing else is left (Anki's 20-minute "learn ahead").
``cram``       everything in scope regardless of the schedule, weakest first: items likely to be
               forgotten by tomorrow, then items never seen, then the rest by recall probability.
               Answers still update the schedule (FSRS allows for early reviews).
``interview``  a random sample spread across topics, asked one question at a time with a time box
               and no answers shown; then a grading round shows each answer with the time it took.
"""

from __future__ import annotations

import enum
import random
from collections import Counter, deque
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from statistics import fmean

from .items import Item, Key
from .scheduler import Grade, Scheduler
from .scope import topic
from .state import Memory, Review, Store
from .stats import Forecast, forecast

Clock = Callable[[], datetime]
"""Returns the current time, timezone-aware; tests pass a fixed or stepping clock."""

INTERVIEW_QUESTIONS = 10
"""Questions in an interview when no ``limit`` is given."""


def system_clock() -> datetime:
    return datetime.now(timezone.utc)


class Mode(str, enum.Enum):
    DUE = "due"
    CRAM = "cram"
    INTERVIEW = "interview"


class Phase(str, enum.Enum):
    QUESTION = "question"
    ANSWER = "answer"
    DONE = "done"


@dataclass(frozen=True)
class Plan:
    """How a session picks and orders its items."""

    mode: Mode = Mode.DUE
    limit: int | None = None
    """At most this many distinct items (interview: questions; default 10)."""
    new: int = 20
    """At most this many items never seen before (``due`` mode)."""
    seed: int | None = None
    """Seed for shuffles and samples; ``None`` for a fresh one each time."""
    time_box: float = 90.0
    """Seconds per interview question; an answer that takes this long or longer is over time."""
    learn_ahead: timedelta = timedelta(minutes=20)
    """Items in learning steps due within this long are shown early when nothing else is left."""


@dataclass(frozen=True)
class Step:
    """What to show now."""

    phase: Phase
    item: Item | None = None
    number: int = 0
    """Position of this card in the session, from 1."""
    left: int = 0
    """Items still waiting after this one (not counting ones coming back from learning)."""
    grading: bool = False
    """Interview: the grading round (question and answer shown together)."""
    answer_time: timedelta | None = None
    """Interview grading round: how long the answer took."""
    over_time: bool = False
    intervals: Mapping[Grade, timedelta] = field(default_factory=dict)
    """On the answer side: when each grade would bring the item back."""


@dataclass(frozen=True)
class Graded:
    """One grade given in this session, with what it replaced (for undo)."""

    item: Item
    grade: Grade
    at: datetime
    duration: timedelta
    before: Memory | None
    after: Memory
    review_id: int


@dataclass(frozen=True)
class TopicScore:
    topic: tuple[str, ...]
    seen: int
    mean: float
    """Mean of each item's first grade this session (1 Again … 4 Easy)."""


@dataclass(frozen=True)
class Summary:
    """The end of a session, as values the report turns into text."""

    mode: Mode
    started: datetime
    ended: datetime
    seen: int
    """Distinct items answered."""
    answers: int
    """Grades given (an item answered Again and then Good counts twice)."""
    grades: Mapping[Grade, int]
    weakest_topics: tuple[TopicScore, ...]
    weakest_items: tuple[tuple[Item, Grade], ...]
    """Items whose first grade was Again or Hard, worst first."""
    forecast: Forecast
    left: int
    """Items of the session never reached (quit early)."""
    asked: int = 0
    """Interview: questions asked."""
    over_time: int = 0
    """Interview: answers that took longer than the time box."""

    @property
    def elapsed(self) -> timedelta:
        return self.ended - self.started


def _spread_siblings(queue: Sequence[Item]) -> list[Item]:
    """Siblings (a card's reverse, its other clozes) after every first item, so no answer is given away."""
    seen: set[str] = set()
    first: list[Item] = []
    later: list[Item] = []
    for item in queue:
        (later if item.card.guid in seen else first).append(item)
        seen.add(item.card.guid)
    return first + later


class Session:
    """One sitting of the quiz over ``items`` (already filtered to the scope)."""

    def __init__(self, items: Sequence[Item], store: Store, scheduler: Scheduler, plan: Plan,
                 clock: Clock = system_clock) -> None:
        self.items = list(items)
        self.store = store
        self.scheduler = scheduler
        self.plan = plan
        self.clock = clock
        self.memories: dict[Key, Memory] = store.load(item.key for item in self.items)
        self.history: list[Graded] = []
        self.started = clock()
        self._ended: datetime | None = None
        self._rng = random.Random(plan.seed)
        self._queue: deque[Item] = deque()
        self._learning: dict[Key, Item] = {}
        self._planned: set[Key] = set()
        self._asked: list[tuple[Item, timedelta]] = []
        self._grading = False
        self._current: Item | None = None
        self._phase = Phase.DONE
        self._shown_at = self.started
        self._number = 0
        self._build_queue()
        self._advance()

    # -- building the queue --------------------------------------------------
    def _build_queue(self) -> None:
        now = self.started
        mode = self.plan.mode
        if mode is Mode.DUE:
            queue = self._due_queue(now)
        elif mode is Mode.CRAM:
            queue = self._cram_queue(now)
        else:
            queue = self._interview_sample()
        limit = self.plan.limit if self.plan.limit is not None else (
            INTERVIEW_QUESTIONS if mode is Mode.INTERVIEW else None)
        self._queue = deque(queue if limit is None else queue[: max(0, limit)])
        self._planned = {item.key for item in self._queue} | self._learning.keys()

    def _due_queue(self, now: datetime) -> list[Item]:
        tiebreak = {item.key: self._rng.random() for item in self.items}
        due = [i for i in self.items if self.scheduler.is_due(self.memories.get(i.key), now)]
        due.sort(key=lambda i: (self.memories[i.key].due, tiebreak[i.key]))
        new = _spread_siblings([i for i in self.items if i.key not in self.memories])[: max(0, self.plan.new)]
        soon = now + self.plan.learn_ahead
        for item in self.items:  # learning steps from an earlier session coming due during this one
            memory = self.memories.get(item.key)
            if memory is not None and not self.scheduler.is_learned(memory) and now < memory.due <= soon:
                self._learning[item.key] = item
        return due + new

    def _cram_queue(self, now: datetime) -> list[Item]:
        tomorrow = now + timedelta(days=1)

        def weakness(indexed: tuple[int, Item]) -> tuple[int, float, int]:
            index, item = indexed
            memory = self.memories.get(item.key)
            if memory is None:
                return (1, 0.0, index)
            recall = self.scheduler.recall(memory, tomorrow)
            return (0 if recall < self.scheduler.retention else 2, recall, index)

        return _spread_siblings([item for _, item in sorted(enumerate(self.items), key=weakness)])

    def _interview_sample(self) -> list[Item]:
        """A shuffle that takes one item from each topic in turn, so the sample spans the scope."""
        one_per_card: dict[str, Item] = {}
        for item in self._rng.sample(self.items, len(self.items)):
            one_per_card.setdefault(item.card.guid, item)  # a card's reverse would give its answer away
        groups: dict[tuple[str, ...], list[Item]] = {}
        for item in self.items:
            if one_per_card[item.card.guid] is item:
                groups.setdefault(topic(item.card)[:2], []).append(item)
        order = list(groups.values())
        self._rng.shuffle(order)
        for group in order:
            self._rng.shuffle(group)
        sample: list[Item] = []
        while any(order):
            for group in order:
                if group:
                    sample.append(group.pop())
        return sample

    # -- moving on -----------------------------------------------------------
    def _advance(self) -> None:
        """Pick the next item to ask, or finish."""
        now = self.clock()
        item = self._next_item(now)
        if item is None:
            self._current = None
            self._phase = Phase.DONE
            self._ended = now
            return
        self._current = item
        self._phase = Phase.ANSWER if self._grading else Phase.QUESTION
        self._shown_at = now
        self._number += 1

    def _next_item(self, now: datetime) -> Item | None:
        if self._grading:
            return self._queue.popleft() if self._queue else None
        if self._learning:
            soonest = min(self._learning.values(), key=lambda i: (self.memories[i.key].due, i.key))
            due = self.memories[soonest.key].due
            # Learning steps come first when due; early (learn ahead) only when nothing else is left.
            if due <= now or (not self._queue and due <= now + self.plan.learn_ahead):
                return self._learning.pop(soonest.key)
        return self._queue.popleft() if self._queue else None

    # -- what the driver sees ------------------------------------------------
    @property
    def phase(self) -> Phase:
        return self._phase

    @property
    def step(self) -> Step:
        if self._current is None:
            return Step(Phase.DONE, number=self._number)
        item = self._current
        intervals: dict[Grade, timedelta] = {}
        answer_time = None
        if self._phase is Phase.ANSWER:
            intervals = self.scheduler.preview(self.memories.get(item.key), self.clock())
        if self._grading:
            answer_time = self._answer_time(item)
        return Step(self._phase, item, self._number, len(self._queue), self._grading, answer_time,
                    answer_time is not None and answer_time.total_seconds() >= self.plan.time_box, intervals)

    def _answer_time(self, item: Item) -> timedelta | None:
        for asked, took in self._asked:
            if asked.key == item.key:
                return took
        return None

    def elapsed_on_question(self) -> timedelta:
        """How long the current question has been shown (the interview time box counts this)."""
        return self.clock() - self._shown_at

    # -- actions -------------------------------------------------------------
    def reveal(self) -> None:
        """Show the answer; in an interview, close this question and ask the next (grading comes last)."""
        if self._phase is not Phase.QUESTION or self._current is None:
            return
        if self.plan.mode is Mode.INTERVIEW:
            self._asked.append((self._current, self.clock() - self._shown_at))
            if not self._queue:
                self._grading = True
                self._queue = deque(item for item, _ in self._asked)
                self._number = 0
            self._advance()
        else:
            self._phase = Phase.ANSWER

    def grade(self, grade: Grade) -> Graded:
        """Grade the item on show (its answer must be showing), save it, and move on."""
        item = self._current
        if item is None or self._phase is not Phase.ANSWER:
            raise RuntimeError("grade() needs an answer on show")
        now = self.clock()
        before = self.memories.get(item.key)
        after = self.scheduler.review(before, grade, now)
        duration = self._answer_time(item) if self._grading else None
        duration = now - self._shown_at if duration is None else duration
        review = Review(item.key, int(grade), now, int(duration.total_seconds() * 1000), self.plan.mode.value)
        review_id = self.store.record(after, review)
        self.memories[item.key] = after
        graded = Graded(item, grade, now, duration, before, after, review_id)
        self.history.append(graded)
        if not self._grading and self.plan.mode is not Mode.INTERVIEW and after.due <= now + self.plan.learn_ahead:
            self._learning[item.key] = item
        self._advance()
        return graded

    def undo(self) -> Graded | None:
        """Take back the last grade: restore the item's state (on disk too) and ask it again."""
        if not self.history:
            return None
        last = self.history.pop()
        key = last.item.key
        self.store.undo(key, last.before, last.review_id)
        if last.before is None:
            self.memories.pop(key, None)
        else:
            self.memories[key] = last.before
        self._learning.pop(key, None)
        current = self._current
        if current is not None:
            self._number -= 1
            if current.key != key:
                self._queue.appendleft(current)
        self._current = last.item
        self._phase = Phase.ANSWER if self._grading else Phase.QUESTION
        self._shown_at = self.clock()
        self._ended = None
        return last

    def quit(self) -> None:
        """End now; everything graded is already saved."""
        if self._phase is not Phase.DONE:
            self._ended = self.clock()
            self._phase = Phase.DONE

    # -- the end -------------------------------------------------------------
    def summary(self) -> Summary:
        ended = self._ended or self.clock()
        first: dict[Key, Graded] = {}
        for graded in self.history:
            first.setdefault(graded.item.key, graded)
        by_topic: dict[tuple[str, ...], list[int]] = {}
        for graded in first.values():
            by_topic.setdefault(topic(graded.item.card), []).append(int(graded.grade))
        scores = sorted((TopicScore(t, len(g), fmean(g)) for t, g in by_topic.items() if fmean(g) < Grade.GOOD),
                        key=lambda s: (s.mean, -s.seen))
        weak_items = sorted(((g.item, g.grade) for g in first.values() if g.grade <= Grade.HARD),
                            key=lambda pair: int(pair[1]))
        return Summary(
            mode=self.plan.mode,
            started=self.started,
            ended=ended,
            seen=len(first),
            answers=len(self.history),
            grades=Counter(g.grade for g in self.history),
            weakest_topics=tuple(scores[:3]),
            weakest_items=tuple(weak_items[:5]),
            forecast=forecast(self.items, self.memories, ended),
            left=len(self._planned - first.keys()),
            asked=len(self._asked),
            over_time=sum(took.total_seconds() >= self.plan.time_box for _, took in self._asked),
        )

    @property
    def empty(self) -> bool:
        """Whether there was nothing to ask from the start."""
        return self._phase is Phase.DONE and not self.history and self._number == 0
