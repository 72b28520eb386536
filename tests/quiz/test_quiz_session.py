"""The session state machine with a fixed clock and seed: queues per mode, learning steps, undo, quit, resume."""

from __future__ import annotations

from datetime import timedelta

import pytest
from quiz_helpers import START, Clock, card, deck, session

from notes2anki.quiz.items import items_for
from notes2anki.quiz.scheduler import Grade, Scheduler
from notes2anki.quiz.session import INTERVIEW_QUESTIONS, Mode, Phase
from notes2anki.quiz.state import Review, open_store


@pytest.fixture
def store(tmp_path):
    with open_store(tmp_path / "state.sqlite3") as s:
        yield s


def answer_all(s, grade=Grade.GOOD, limit=100):
    """Reveal and grade everything shown; return the questions in the order asked."""
    asked = []
    while s.phase is not Phase.DONE and len(asked) < limit:
        asked.append(s.step.item.card.question)
        s.reveal()
        if s.phase is Phase.ANSWER:
            s.grade(grade)
    return asked


def seed_memory(store, item, grade, at):
    """Put ``item`` in the store as if it had been answered ``grade`` at ``at``."""
    memory = Scheduler().review(None, grade, at)
    store.record(memory, Review(item.key, int(grade), at, None, "due"))
    return memory


# -- due mode ----------------------------------------------------------------

def test_new_items_come_in_note_order_up_to_the_new_limit(store):
    items = deck(6)
    s = session(items, store, Clock(), new=4)
    assert s.step.phase is Phase.QUESTION and s.step.number == 1 and s.step.left == 3
    assert answer_all(s, Grade.EASY) == ["Q0", "Q1", "Q2", "Q3"]
    assert s.summary().left == 0


def test_due_items_come_first_most_overdue_first_and_not_due_ones_stay_away(store):
    items = deck(5)
    clock = Clock()
    seed_memory(store, items[3], Grade.EASY, START - timedelta(days=30))   # long overdue
    seed_memory(store, items[1], Grade.EASY, START - timedelta(days=10))   # overdue
    seed_memory(store, items[2], Grade.EASY, START)                         # due in days: stays away
    s = session(items, store, clock, new=1)
    assert answer_all(s, Grade.EASY) == ["Q3", "Q1", "Q0"]


def test_again_brings_an_item_back_when_its_learning_step_is_due(store):
    clock = Clock()
    s = session(deck(3), store, clock)
    s.reveal()
    s.grade(Grade.AGAIN)            # Q0 back in 1 minute
    assert s.step.item.card.question == "Q1"
    clock.advance(minutes=2)
    s.reveal()
    s.grade(Grade.GOOD)
    assert s.step.item.card.question == "Q0", "a due learning step comes before the rest of the queue"


def test_learning_steps_are_shown_early_only_when_nothing_else_is_left(store):
    s = session(deck(2), store, Clock())    # the clock never moves
    assert answer_all(s, Grade.GOOD) == ["Q0", "Q1", "Q0", "Q1"]    # 10-minute step, within learn-ahead
    assert all(m.state == 2 for m in s.memories.values())


def test_limit_caps_the_distinct_items(store):
    s = session(deck(10), store, Clock(), limit=3)
    assert answer_all(s, Grade.EASY) == ["Q0", "Q1", "Q2"]


def test_items_in_learning_from_an_earlier_session_come_back(store):
    items = deck(3)
    clock = Clock()
    seed_memory(store, items[2], Grade.AGAIN, START - timedelta(seconds=30))  # due in 30 s
    s = session(items, store, clock, new=0)
    assert s.step.item.card.question == "Q2", "nothing else to do: learn ahead"


def test_siblings_are_not_asked_back_to_back(store):
    items = items_for([card("T1", "d1", kind="definition", reverse=True),
                       card("T2", "d2", kind="definition", reverse=True)])
    s = session(items, store, Clock())
    order = []
    while s.phase is not Phase.DONE:
        order.append(s.step.item.key)
        s.reveal()
        s.grade(Grade.EASY)
    assert [o for _, o in order] == ["", "", "reverse", "reverse"]


def test_nothing_due_is_an_empty_session(store):
    items = deck(2)
    for item in items:
        seed_memory(store, item, Grade.EASY, START)
    s = session(items, store, Clock())
    assert s.empty and s.step.phase is Phase.DONE


# -- cram --------------------------------------------------------------------

def test_cram_asks_everything_weakest_first_ignoring_the_schedule(store):
    items = deck(4)
    seed_memory(store, items[0], Grade.EASY, START)                          # known
    seed_memory(store, items[2], Grade.AGAIN, START - timedelta(hours=1))    # likely forgotten by tomorrow
    s = session(items, store, Clock(), mode=Mode.CRAM)
    assert s.step.left == 3
    order = answer_all(s, Grade.EASY)
    assert order == ["Q2", "Q1", "Q3", "Q0"]   # weak, then never seen (note order), then known


# -- interview ---------------------------------------------------------------

def test_interview_asks_a_sample_spread_over_topics_then_grades_it(store):
    topics = (("A",), ("B",), ("C",))
    items = deck(12, topics)
    clock = Clock()
    s = session(items, store, clock, mode=Mode.INTERVIEW, limit=3, time_box=60)
    asked = []
    while not s.step.grading:
        step = s.step
        assert step.phase is Phase.QUESTION
        asked.append(step.item)
        clock.advance(seconds=30 if len(asked) != 2 else 75)   # the second answer overruns the box
        s.reveal()
    assert {i.card.context for i in asked} == set(topics), "one question from each topic"
    assert store.load() == {}, "nothing is graded while asking"
    graded = []
    while s.phase is not Phase.DONE:
        step = s.step
        assert step.phase is Phase.ANSWER and step.grading
        graded.append((step.item, step.answer_time.total_seconds(), step.over_time))
        s.grade(Grade.GOOD)
    assert [(g[1], g[2]) for g in graded] == [(30, False), (75, True), (30, False)]
    assert [g[0] for g in graded] == asked
    assert [r.duration_ms for r in store.reviews()] == [30000, 75000, 30000]
    summary = s.summary()
    assert (summary.asked, summary.over_time, summary.seen, summary.left) == (3, 1, 3, 0)


def test_interview_defaults_to_ten_questions_and_never_asks_both_sides_of_a_card(store):
    items = items_for(card(f"T{i}", f"d{i}", kind="definition", reverse=True) for i in range(20))
    s = session(items, store, Clock(), mode=Mode.INTERVIEW)
    assert s.step.left == INTERVIEW_QUESTIONS - 1
    guids = []
    while not s.step.grading:
        guids.append(s.step.item.card.guid)
        s.reveal()
    assert len(guids) == len(set(guids)) == INTERVIEW_QUESTIONS


def test_the_same_seed_gives_the_same_interview(tmp_path):
    orders = []
    for run in range(3):
        with open_store(tmp_path / f"{run}.sqlite3") as st:
            s = session(deck(30, (("A",), ("B",))), st, Clock(), mode=Mode.INTERVIEW, seed=11 if run < 2 else 12)
            order = []
            while not s.step.grading:
                order.append(s.step.item.card.question)
                s.reveal()
            orders.append(order)
    assert orders[0] == orders[1] != orders[2]


# -- undo, quit, resume --------------------------------------------------------

def test_undo_restores_the_state_and_asks_the_item_again(store):
    clock = Clock()
    items = deck(3)
    s = session(items, store, clock)
    s.reveal()
    s.grade(Grade.EASY)
    s.reveal()
    s.grade(Grade.AGAIN)
    assert s.step.item.card.question == "Q2"
    undone = s.undo()
    assert undone.grade is Grade.AGAIN and undone.item.card.question == "Q1"
    step = s.step
    assert step.phase is Phase.QUESTION and step.item.card.question == "Q1" and step.number == 2
    assert items[1].key not in store.load() and len(store.reviews()) == 1
    assert s.undo().item.card.question == "Q0"      # and again, back to the start
    assert store.load() == {} and s.step.number == 1
    assert s.undo() is None
    assert answer_all(s, Grade.EASY) == ["Q0", "Q1", "Q2"]


def test_undo_after_the_last_card_reopens_the_session(store):
    s = session(deck(1), store, Clock())
    s.reveal()
    s.grade(Grade.EASY)
    assert s.phase is Phase.DONE
    s.undo()
    assert s.phase is Phase.QUESTION and s.step.item.card.question == "Q0"


def test_undo_of_an_item_that_came_straight_back(store):
    s = session(deck(1), store, Clock())
    s.reveal()
    s.grade(Grade.AGAIN)
    assert s.step.item.card.question == "Q0"      # back at once: nothing else left
    s.undo()
    assert s.step.number == 1 and s.step.left == 0 and store.load() == {}


def test_quit_keeps_every_grade_and_summarises(store):
    clock = Clock()
    items = deck(6, (("A",), ("B",)))
    s = session(items, store, clock)
    for grade in (Grade.AGAIN, Grade.HARD, Grade.EASY):
        clock.advance(seconds=20)
        s.reveal()
        s.grade(grade)
    clock.advance(seconds=20)
    s.quit()
    assert s.phase is Phase.DONE
    summary = s.summary()
    assert (summary.seen, summary.answers, summary.left) == (3, 3, 3)
    assert summary.elapsed == timedelta(seconds=80)
    assert dict(summary.grades) == {Grade.AGAIN: 1, Grade.HARD: 1, Grade.EASY: 1}
    assert [(i.card.question, g) for i, g in summary.weakest_items] == [("Q0", Grade.AGAIN), ("Q1", Grade.HARD)]
    assert [(t.topic, t.mean) for t in summary.weakest_topics] == [(("B",), 2.0), (("A",), 2.5)]
    fc = summary.forecast
    # Q0 (Again, 1 min) is due again by the end; Q1 (Hard, 5.5 min) within the hour; Q2 (Easy) in 8 days.
    assert (fc.now, fc.hour, fc.day, fc.week, fc.later, fc.new) == (1, 1, 0, 0, 1, 3)
    assert fc.next_due == START + timedelta(seconds=40, minutes=5.5)
    assert len(store.load()) == 3


def test_resume_after_an_interrupted_session(tmp_path):
    path = tmp_path / "state.sqlite3"
    clock = Clock()
    items = deck(5)
    with open_store(path) as first:
        s = session(items, first, clock)
        s.reveal()
        s.grade(Grade.GOOD)
        s.reveal()
        s.grade(Grade.EASY)
        s.reveal()             # interrupted with an answer on show: not graded, not saved
    # no quit(), no summary: as if the process had died here
    clock.advance(hours=1)
    with open_store(path) as second:
        s = session(items, second, clock)
        assert s.memories.keys() == {items[0].key, items[1].key}
        # Q0's 10-minute learning step is due again; Q1 (Easy) is days away; Q2.. are still new.
        assert answer_all(s, Grade.EASY) == ["Q0", "Q2", "Q3", "Q4"]


def test_grade_needs_an_answer_on_show(store):
    s = session(deck(1), store, Clock())
    with pytest.raises(RuntimeError):
        s.grade(Grade.GOOD)


def test_answer_side_previews_each_grade(store):
    s = session(deck(1), store, Clock())
    assert s.step.intervals == {}
    s.reveal()
    assert s.step.intervals[Grade.GOOD] == timedelta(minutes=10)
