"""A note is cut into sections whose trails say where each sits in the notes tree."""

from __future__ import annotations

from pathlib import Path

from notes2anki.document import parse_document
from notes2anki.sources import FileRef, SourceFile


def _doc(text: str, rel: str = "note.md", folders: tuple[str, ...] = ()):
    return parse_document(SourceFile(FileRef(Path("/x") / rel, rel, folders), text, "0"))


def _trails(doc):
    return [(s.heading.text if s.heading else None, s.trail) for s in doc.sections]


def test_single_h1_titles_the_file():
    doc = _doc("# AI 学习笔记\nintro\n## 1. Inference 推理\n### 大模型推理\n")
    assert doc.topic == "AI 学习笔记"
    assert _trails(doc)[1:] == [
        ("AI 学习笔记", ("AI 学习笔记",)),
        ("1. Inference 推理", ("AI 学习笔记", "Inference 推理")),
        ("大模型推理", ("AI 学习笔记", "Inference 推理", "大模型推理")),
    ]


def test_without_a_title_the_file_name_is_the_topic():
    doc = _doc("## A\n## B\n", rel="paged-attention.md")
    assert doc.topic == "paged attention"
    assert [t for _, t in _trails(doc)[1:]] == [("paged attention", "A"), ("paged attention", "B")]


def test_folders_add_to_the_trail_and_readme_takes_the_folder_name():
    doc = _doc("## Setup\n", rel="AI/vLLM/README.md", folders=("AI", "vLLM"))
    assert doc.sections[1].trail == ("AI", "vLLM", "Setup")
    doc = _doc("# vLLM 笔记\n## Setup\n", rel="AI/vllm.md", folders=("AI",))
    assert doc.sections[2].trail == ("AI", "vLLM 笔记", "Setup")


def test_heading_levels_that_skip_still_nest():
    doc = _doc("# T\n### deep\n## mid\n#### deeper\n")
    assert [s.trail for s in doc.sections[2:]] == [("T", "deep"), ("T", "mid"), ("T", "mid", "deeper")]


def test_own_content_stops_at_the_next_heading_of_any_level():
    doc = _doc("# T\npara\n## Sub\nsub para\n")
    own = [t.type for t in doc.own_blocks(doc.sections[1])]
    assert own == ["paragraph_open", "inline", "paragraph_close"]


def test_line_numbers_are_one_based_source_lines():
    doc = _doc("\n\n# T\n\ntext\n\n## S\n")
    assert [s.line for s in doc.sections[1:]] == [3, 7]
