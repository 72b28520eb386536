"""The quiz as a real process: killed mid-session, interrupted with Ctrl-C, and driven in a pseudo-terminal."""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
import time

import pytest
from quiz_helpers import write_notes

from notes2anki.quiz.state import open_store

pexpect = pytest.importorskip("pexpect")
pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals and pseudo-terminals")


def env() -> dict[str, str]:
    return {**os.environ, "NO_COLOR": "1", "COLUMNS": "100", "PYTHONUNBUFFERED": "1"}


def start(tmp_path, *args: str) -> subprocess.Popen[bytes]:
    notes = write_notes(tmp_path)
    return subprocess.Popen([sys.executable, "-m", "notes2anki", "quiz", str(notes), *args],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            env=env(), cwd=tmp_path)


def read_until(proc: subprocess.Popen[bytes], text: str, timeout: float = 15.0) -> str:
    """Output so far, once ``text`` has appeared in it."""
    assert proc.stdout is not None
    fd = proc.stdout.fileno()
    seen = b""
    deadline = time.monotonic() + timeout
    while text.encode() not in seen:
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([fd], [], [], left)[0]:
            raise AssertionError(f"timed out waiting for {text!r}; got:\n{seen.decode(errors='replace')}")
        chunk = os.read(fd, 65536)
        if not chunk:
            raise AssertionError(f"process ended before {text!r}; got:\n{seen.decode(errors='replace')}")
        seen += chunk
    return seen.decode()


def send(proc: subprocess.Popen[bytes], line: str) -> None:
    assert proc.stdin is not None
    proc.stdin.write(line.encode() + b"\n")
    proc.stdin.flush()


def test_a_killed_session_keeps_every_graded_answer(tmp_path):
    state = tmp_path / "state.sqlite3"
    proc = start(tmp_path, "--state", str(state), "--kind", "section")
    try:
        read_until(proc, "card 1 ")
        send(proc, "3")
        read_until(proc, "card 2 ")
        send(proc, "1")
        read_until(proc, "card 3 ")       # waiting on the third question: the second grade is saved
        proc.kill()                        # SIGKILL: no cleanup, no summary
        proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
    with open_store(state) as store:
        assert [r.rating for r in store.reviews()] == [3, 1]
        assert len(store.load()) == 2


def test_ctrl_c_ends_with_a_summary_and_keeps_the_grades(tmp_path):
    state = tmp_path / "state.sqlite3"
    proc = start(tmp_path, "--state", str(state), "--kind", "section")
    try:
        read_until(proc, "card 1 ")
        send(proc, "4")
        read_until(proc, "card 2 ")
        proc.send_signal(signal.SIGINT)
        rest = read_until(proc, "Progress saved in")
        assert proc.wait(timeout=10) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
    assert "Seen 1 card (1 answer)" in rest
    with open_store(state) as store:
        assert [r.rating for r in store.reviews()] == [4]


def test_a_person_at_a_terminal(tmp_path):
    """Space to reveal, a digit to grade, u to undo, q to quit: single keys, no Enter."""
    notes = write_notes(tmp_path)
    state = tmp_path / "state.sqlite3"
    child = pexpect.spawn(sys.executable, ["-m", "notes2anki", "quiz", str(notes), "--state", str(state),
                                           "--topic", "Training", "--kind", "section"],
                          env=env(), cwd=str(tmp_path), encoding="utf-8", timeout=15, dimensions=(40, 100))
    try:
        child.expect("数据并行 Data Parallelism")
        child.send(" ")
        child.expect("完整的模型副本")
        child.expect("Easy")
        child.send("1")
        child.expect("Again · back in 1m")
        child.expect("ZeRO")
        child.send(" ")
        child.expect("切分到各个 rank 上")
        child.send("u")                        # undo Again on the first card: it is asked again
        child.expect("Undone: Again")
        child.expect("数据并行 Data Parallelism")
        child.send(" ")
        child.expect("完整的模型副本")
        child.send("4")
        child.expect("Easy · back in")
        child.expect("ZeRO")
        child.send("q")
        child.expect("Seen 1 card")
        child.expect("Progress saved in")
        child.expect(pexpect.EOF)
    finally:
        child.close(force=True)
    assert child.exitstatus == 0
    with open_store(state) as store:
        assert [r.rating for r in store.reviews()] == [4]


def test_an_interview_question_times_out_at_a_terminal(tmp_path):
    notes = write_notes(tmp_path)
    child = pexpect.spawn(sys.executable, ["-m", "notes2anki", "quiz", str(notes), "--state",
                                           str(tmp_path / "s.sqlite3"), "--mode", "interview", "--limit", "1",
                                           "--time-box", "1"],
                          env=env(), cwd=str(tmp_path), encoding="utf-8", timeout=15, dimensions=(40, 100))
    try:
        child.expect("1s left")
        child.expect("Time's up.")
        child.expect("over the time box")
        child.send("3")
        child.expect("Interview: 1 question asked, 1 over the time box")
        child.expect(pexpect.EOF)
    finally:
        child.close(force=True)
    assert child.exitstatus == 0
