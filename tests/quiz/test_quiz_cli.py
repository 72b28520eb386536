"""``notes2anki quiz`` driven through its input, as a script or a test would (stdin is not a terminal)."""

from __future__ import annotations

import re
import sqlite3

import pytest
from click.testing import CliRunner
from quiz_helpers import write_notes

from notes2anki.cli import cli
from notes2anki.quiz.state import SCHEMA_VERSION, open_store


def quiz(*args: str, input: str = ""):
    return CliRunner().invoke(cli, ["quiz", *args], input=input, catch_exceptions=False)


@pytest.fixture
def notes(tmp_path):
    return write_notes(tmp_path)


@pytest.fixture
def state(tmp_path):
    return tmp_path / "state.sqlite3"


def reviews(path):
    with open_store(path) as store:
        return store.reviews()


def test_a_scripted_session_asks_reveals_grades_and_summarises(notes, state):
    result = quiz(str(notes), "--state", str(state), "--topic", "inference", "--kind", "section",
                  input="\n3\nenter\n1\nq\n")
    assert result.exit_code == 0, result.output
    out = result.output
    assert "AI Infra 学习笔记 › Inference 推理" in out and "大模型推理" in out
    assert "分为 prefill 和 decode 两个阶段" in out           # the answer, bold markers laid out
    assert "$2 \\times n_{layers} \\times d$" in out          # math as LaTeX source
    assert "Summary" in out and "Seen 2 cards (2 answers)" in out
    assert "Again 1 · Hard 0 · Good 1 · Easy 0" in out
    assert "Weakest cards:" in out and "KV Cache 显存估算" in out
    assert "Due: 2 within an hour" in out
    assert "Progress saved in" in out
    assert [r.rating for r in reviews(state)] == [3, 1]
    assert not re.search(r"</?(?:p|div|strong|table|td|br)\b", out), "no raw HTML"


def test_progress_survives_editing_the_answer_in_the_notes(notes, state):
    assert quiz(str(notes), "--state", str(state), "--topic", "ZeRO", input="4\n").exit_code == 0
    note = notes / "infra.md"
    note.write_text(note.read_text(encoding="utf-8").replace("切分到各个 rank 上", "切分到所有 rank"), encoding="utf-8")
    result = quiz(str(notes), "--state", str(state), "--topic", "ZeRO")
    assert result.exit_code == 0
    assert "Nothing due now (topic 'ZeRO', 1 card)." in result.output
    assert "Due: 1 later" in result.output and "--mode cram" in result.output


def test_progress_survives_renaming_a_heading_once_the_deck_was_built(tmp_path, chdir):
    notes = write_notes(tmp_path)
    state = tmp_path / "state.sqlite3"
    assert CliRunner().invoke(cli, ["build", str(notes), "--out", "deck.apkg"]).exit_code == 0   # writes the ledger
    assert quiz(str(notes), "--state", str(state), "--topic", "ZeRO", input="4\n").exit_code == 0
    note = notes / "infra.md"
    note.write_text(note.read_text(encoding="utf-8").replace("### ZeRO", "### ZeRO 显存优化"), encoding="utf-8")
    result = quiz(str(notes), "--state", str(state), "--topic", "ZeRO 显存优化")
    assert "Nothing due now" in result.output, "the ledger gives the renamed card its old id"


def test_cram_drills_what_is_not_due(notes, state):
    quiz(str(notes), "--state", str(state), "--topic", "ZeRO", input="4\n")
    result = quiz(str(notes), "--state", str(state), "--topic", "ZeRO", "--mode", "cram", input="3\n")
    assert result.exit_code == 0 and "把优化器状态" in result.output
    assert [r.mode for r in reviews(state)] == ["due", "cram"]


def test_interview_is_asked_first_and_graded_at_the_end(notes, state):
    result = quiz(str(notes), "--state", str(state), "--mode", "interview", "--limit", "2", "--seed", "1",
                  "--time-box", "30", input="\n\n3\n2\n")
    out = result.output
    assert result.exit_code == 0, out
    assert out.count("time box 30s") == 2
    assert out.index("Time to grade") > out.rindex("time box 30s")
    assert "Interview: 2 questions asked" in out
    assert [r.rating for r in reviews(state)] == [3, 2]


def test_stats_counts_per_topic_without_quizzing(notes, state):
    assert not quiz(str(notes), "--state", str(state), "--stats").exit_code
    assert not state.exists(), "--stats never creates a state file"
    quiz(str(notes), "--state", str(state), "--topic", "Training", input="1\n4\n")
    result = quiz(str(notes), "--state", str(state), "--stats")
    assert result.exit_code == 0
    rows = {" ".join(line.split()[:-6]): line.split()[-6:]
            for line in result.output.splitlines() if len(line.split()) > 6}
    assert next(iter(rows)) == "topic"   # cards new learning learned due weak
    # Training: Again on one (still learning, weak), Easy on the other (learned).
    assert rows["AI Infra 学习笔记 › Training 训练"] == ["2", "0", "1", "1", "0", "1"]
    assert rows["AI Infra 学习笔记 › Inference 推理"] == ["3", "3", "0", "0", "0", "0"]
    assert rows["total"] == ["5", "3", "1", "1", "0", "1"]
    assert "weak: graded before" in result.output


def test_no_cards_in_scope_suggests_the_nearest_topics(notes, state):
    result = quiz(str(notes), "--state", str(state), "--topic", "Infernce")
    assert result.exit_code == 1
    assert "no cards in scope (topic 'Infernce')" in result.output
    assert "nearest topics to 'Infernce': 'AI Infra 学习笔记 › Inference 推理'" in result.output
    assert not state.exists()


def test_no_near_topic_lists_the_topics_there_are(notes, state):
    result = quiz(str(notes), "--state", str(state), "--topic", "xyzzy", "--kind", "cloze")
    assert result.exit_code == 1
    assert "topics in these notes: 'AI Infra 学习笔记'" in result.output
    assert "kinds in these notes: definition, section" in result.output


def test_a_corrupt_state_file_is_an_error_and_is_kept(notes, state):
    state.write_bytes(b"garbage" * 100)
    result = quiz(str(notes), "--state", str(state), input="3\n")
    assert result.exit_code == 1
    assert "state.sqlite3: error: quiz state file is corrupt" in result.output
    assert "move state.sqlite3 aside" in result.output
    assert state.read_bytes() == b"garbage" * 100


def test_a_newer_state_file_is_an_error(notes, state):
    with open_store(state):
        pass
    db = sqlite3.connect(state)
    db.execute("UPDATE meta SET value = ? WHERE name = 'schema_version'", (str(SCHEMA_VERSION + 5),))
    db.commit()
    db.close()
    result = quiz(str(notes), "--state", str(state), "--stats")
    assert result.exit_code == 1 and "from a newer notes2anki" in result.output


def test_usage_errors_exit_2(notes, state):
    assert quiz(str(notes), "--mode", "sprint").exit_code == 2
    assert quiz(str(notes), "--limit", "0").exit_code == 2
    assert quiz(str(notes), "--kind", "nope").exit_code == 2


def test_help_lists_every_option():
    out = quiz("--help").output
    for option in ("--tag", "--topic", "--kind", "--limit", "--new", "--mode", "--time-box", "--seed", "--state",
                   "--stats", "--config", "--deck"):
        assert option in out


def test_the_bundled_examples_render_without_html_or_markup_leaks(tmp_path, chdir):
    """Every card the examples make, both sides, through the real renderer."""
    result = quiz("--state", str(tmp_path / "s.sqlite3"), "--mode", "cram", input="3\n" * 400)
    assert result.exit_code == 0, result.output
    out = result.output
    assert "Seen" in out
    assert not re.search(r"</?[a-z][a-z0-9]*[\s>/]", out), "no raw HTML"
    assert "{{c" not in out and "\ue000" not in out
