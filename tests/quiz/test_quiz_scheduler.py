"""The FSRS layer: Anki's learning steps, lapses, previews, recall and weakness, all at given times."""

from __future__ import annotations

from datetime import timedelta

from quiz_helpers import START

from notes2anki.quiz.scheduler import Grade, Scheduler

S = Scheduler()


def test_a_new_item_goes_through_the_learning_steps():
    again = S.review(None, Grade.AGAIN, START)
    good = S.review(None, Grade.GOOD, START)
    assert (again.state, again.due - START) == (1, timedelta(minutes=1))
    assert (good.state, good.step, good.due - START) == (1, 1, timedelta(minutes=10))
    graduated = S.review(good, Grade.GOOD, START + timedelta(minutes=10))
    assert graduated.state == 2 and graduated.step is None
    assert graduated.due - graduated.last_review >= timedelta(days=1)
    assert (graduated.reps, graduated.lapses, graduated.last_rating) == (2, 0, 3)


def test_easy_graduates_at_once_and_again_on_a_learned_item_is_a_lapse():
    easy = S.review(None, Grade.EASY, START)
    assert easy.state == 2 and easy.due - START >= timedelta(days=2)
    later = easy.due
    lapsed = S.review(easy, Grade.AGAIN, later)
    assert lapsed.state == 3 and lapsed.lapses == 1
    assert lapsed.due - later == timedelta(minutes=10)
    assert lapsed.stability < easy.stability


def test_the_same_answers_at_the_same_times_give_the_same_schedule():
    assert S.review(None, Grade.EASY, START) == Scheduler().review(None, Grade.EASY, START)


def test_preview_is_what_each_button_would_do():
    preview = S.preview(None, START)
    assert preview[Grade.AGAIN] == timedelta(minutes=1)
    assert preview[Grade.GOOD] == timedelta(minutes=10)
    assert preview[Grade.AGAIN] < preview[Grade.HARD] < preview[Grade.GOOD] < preview[Grade.EASY]


def test_recall_due_learned_and_weak():
    assert S.recall(None, START) == 0.0 and not S.is_due(None, START) and not S.is_weak(None, START)
    easy = S.review(None, Grade.EASY, START)
    assert S.recall(easy, START) > 0.99
    assert S.is_learned(easy) and not S.is_due(easy, START) and S.is_due(easy, easy.due)
    assert not S.is_weak(easy, START)
    failed = S.review(None, Grade.AGAIN, START)
    assert not S.is_learned(failed) and S.is_weak(failed, START)
