"""The loop that joins keys, session and screen: asks, reveals, grades, undoes, quits.

It decides nothing about scheduling; it maps keys to session actions and shows
the result. Ctrl-C, ``q`` and the end of input all end the session the same
way: the grades given so far are already saved, and the summary follows.
"""

from __future__ import annotations

from .keys import Keys
from .scheduler import Grade
from .session import Mode, Phase, Session
from .terminal import Screen, short_interval

QUIT = {"q", "quit", "exit", "ctrl-c", "esc"}
UNDO = {"u", "undo"}
REVEAL = {"enter", "space", "s", "show"}
GRADES = {str(int(g)): g for g in Grade} | {g.name.lower(): g for g in Grade}

KEY_HELP = "space/enter: show answer · 1-4: Again/Hard/Good/Easy · u: undo · q: quit"
INTERVIEW_HELP = "space/enter: next question (answers and grading come at the end) · q: quit"


class _Quit(Exception):
    pass


def run(session: Session, screen: Screen, keys: Keys) -> None:
    """Quiz until the session is done or the user quits; every grade is saved as it is given."""
    interview = session.plan.mode is Mode.INTERVIEW
    screen.hint(INTERVIEW_HELP if interview else KEY_HELP)
    grading_announced = False
    try:
        while session.phase is not Phase.DONE:
            step = session.step
            if step.grading and not grading_announced:
                screen.hint("Time to grade: each question with its answer and how long you took.")
                grading_announced = True
            if step.phase is Phase.QUESTION:
                if interview:
                    screen.question(step, label="question")
                    _ask_timed(session, screen, keys)
                else:
                    screen.question(step)
                    _question(session, screen, keys)
            else:
                screen.answer(step, show_question=step.grading)
                _answer(session, screen, keys)
    except (_Quit, KeyboardInterrupt, EOFError):
        session.quit()


def _undo(session: Session, screen: Screen) -> None:
    undone = session.undo()
    if undone is None:
        screen.hint("Nothing to undo.")
    else:
        screen.hint(f"Undone: {undone.grade.label} on “{undone.item.label}”.")


def _grade(session: Session, screen: Screen, grade: Grade) -> None:
    graded = session.grade(grade)
    wait = short_interval(graded.after.due - graded.at)
    screen.hint(f"{grade.label} · back in {wait}")


def _question(session: Session, screen: Screen, keys: Keys) -> None:
    """Wait on the question side until something changes."""
    while True:
        key = keys.read()
        if key in QUIT:
            raise _Quit
        if key in REVEAL:
            session.reveal()
            return
        if key in UNDO:
            _undo(session, screen)
            return
        if keys.line_mode and key in GRADES:  # a script may send just the grades
            session.reveal()
            screen.answer(session.step)
            _grade(session, screen, GRADES[key])
            return
        screen.hint(KEY_HELP)


def _answer(session: Session, screen: Screen, keys: Keys) -> None:
    while True:
        key = keys.read()
        if key in QUIT:
            raise _Quit
        if key in UNDO:
            _undo(session, screen)
            return
        if key in GRADES or key in REVEAL:  # space/enter on the answer side is Good, as in Anki
            _grade(session, screen, GRADES.get(key or "", Grade.GOOD))
            return
        screen.hint("1: Again · 2: Hard · 3: Good · 4: Easy · u: undo · q: quit")


def _ask_timed(session: Session, screen: Screen, keys: Keys) -> None:
    """An interview question: wait for the answer or the end of the time box, then move on."""
    box = session.plan.time_box
    if keys.line_mode:
        screen.hint(f"Answer aloud or on paper, then press Enter (time box {round(box)}s).")
        key = keys.read()
        if key in QUIT:
            raise _Quit
        session.reveal()
        return
    try:
        while True:
            remaining = box - session.elapsed_on_question().total_seconds()
            if remaining <= 0:
                screen.write_raw("\r\x1b[K")
                screen.hint("Time's up.")
                session.reveal()
                return
            screen.write_raw(f"\r\x1b[K⏱  {int(remaining + 0.999)}s left")
            key = keys.read(timeout=min(1.0, remaining))
            if key in QUIT:
                raise _Quit
            if key in REVEAL:
                session.reveal()
                return
    finally:
        screen.write_raw("\r\x1b[K")  # the countdown line goes, however the question ends
