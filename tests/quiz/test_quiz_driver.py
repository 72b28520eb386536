"""The key loop, with scripted keypresses (as on a terminal) and a clock the keys move."""

from __future__ import annotations

import io

import pytest
from quiz_helpers import Clock, deck, session
from rich.console import Console

from notes2anki.quiz import driver
from notes2anki.quiz.scheduler import Grade
from notes2anki.quiz.session import Mode, Phase
from notes2anki.quiz.state import open_store
from notes2anki.quiz.terminal import THEME, Screen


class ScriptedKeys:
    """Keypresses from a list; ``None`` is a second passing with no key; a callable is called."""

    def __init__(self, keys, clock: Clock, line_mode: bool = False) -> None:
        self.keys = list(keys)
        self.clock = clock
        self.line_mode = line_mode

    def read(self, timeout=None):
        if not self.keys:
            raise EOFError
        key = self.keys.pop(0)
        if callable(key):
            key = key()
        if key is None:
            assert timeout is not None, "only a timed read may time out"
            self.clock.advance(seconds=timeout)
        return key


@pytest.fixture
def store(tmp_path):
    with open_store(tmp_path / "state.sqlite3") as s:
        yield s


def play(s, keys, clock, line_mode=False):
    out = io.StringIO()
    driver.run(s, Screen(Console(file=out, width=80, theme=THEME, color_system=None)),
               ScriptedKeys(keys, clock, line_mode))
    return out.getvalue()


def grades(store):
    return [r.rating for r in store.reviews()]


def test_space_reveals_digits_grade_enter_is_good_and_u_undoes(store):
    clock = Clock()
    s = session(deck(3), store, clock)
    out = play(s, ["space", "4", "enter", "enter", "u", "space", "1", "x", "q"], clock)
    assert grades(store) == [4, 1]
    assert "Undone: Good on “Q1”." in out
    assert "space/enter: show answer" in out   # after the unknown key "x"
    assert s.phase is Phase.DONE
    assert "1 Again 1m · 2 Hard 6m · 3 Good 10m · 4 Easy 8d" in out


def test_digits_on_the_question_side_only_grade_in_line_mode(store):
    clock = Clock()
    s = session(deck(2), store, clock)
    play(s, ["3", "space", "3"], clock)            # a keypress "3" before revealing does nothing
    assert grades(store) == [3]
    s2 = session(deck(2)[1:], store, clock)
    out = play(s2, ["2"], clock, line_mode=True)    # a script may send just the grade
    assert grades(store) == [3, 2] and "answer 1" in out


def test_end_of_input_and_ctrl_c_end_the_session_keeping_grades(store):
    clock = Clock()
    s = session(deck(3), store, clock)
    play(s, ["space", "3"], clock)                 # then EOF
    assert s.phase is Phase.DONE and grades(store) == [3]

    def interrupt():
        raise KeyboardInterrupt

    s = session(deck(3), store, clock)
    play(s, ["space", "3", interrupt], clock)
    assert s.phase is Phase.DONE and grades(store) == [3, 3]


def test_interview_time_box_runs_out_then_grading_shows_the_time(store):
    clock = Clock()
    s = session(deck(2), store, clock, mode=Mode.INTERVIEW, time_box=3)
    keys = [None, None, None,                  # question 1: three silent seconds, time is up
            None, "space",                     # question 2: answered after one second
            "4", "3"]                          # grading round
    out = play(s, keys, clock)
    assert "3s left" in out and "Time's up." in out
    assert "answered in 3s (over the time box)" in out and "answered in 1s" in out
    assert "Time to grade" in out
    assert grades(store) == [4, 3]


def test_interview_in_line_mode_moves_on_with_enter(store):
    clock = Clock()
    s = session(deck(2), store, clock, mode=Mode.INTERVIEW)
    out = play(s, ["enter", "my answer", "easy", "again"], clock, line_mode=True)
    assert out.count("press Enter (time box 90s)") == 2
    assert grades(store) == [int(Grade.EASY), int(Grade.AGAIN)]
