"""The public API as the card extractor and the CLI use it: lines, diagnostics, labels, dicts."""

from __future__ import annotations

import dataclasses
import json
from typing import cast

import pytest

from notes2anki.diagnostics import Severity
from notes2anki.diagrams import Diagram, DiagramResult, Edge, Node, diagram_to_dict, parse


def _diagram(source: str, line: int = 1) -> Diagram:
    result = parse(source, path="n.md", line=line)
    assert result.diagnostics == (), result.diagnostics
    assert result.diagram is not None
    return result.diagram


def _edges(d: Diagram) -> list[tuple[str, str, str]]:
    return [(d.label_of(e.src), d.label_of(e.dst), e.label) for e in d.edges]


def test_flowchart_model_and_absolute_lines() -> None:
    source = "flowchart LR\n%% a comment line\n  A[Start] --> B\n\n  B -- next step --> C{Done?}\n  B[Middle]"
    d = _diagram(source, line=40)
    assert (d.kind, d.direction, d.line) == ("flowchart", "LR", 40)
    assert [(n.id, n.label, n.shape, n.line) for n in d.nodes] == [
        ("A", "Start", "square", 42),
        ("B", "Middle", "square", 45),  # the last definition wins, and its line is kept
        ("C", "Done?", "diamond", 44),
    ]
    assert [(e.src, e.dst, e.label, e.type, e.stroke, e.length, e.line) for e in d.edges] == [
        ("A", "B", "", "arrow_point", "normal", 1, 42),
        ("B", "C", "next step", "arrow_point", "normal", 1, 44),
    ]


def test_rejection_names_the_offending_line_with_a_hint() -> None:
    source = "---\ntitle: t\n---\nflowchart TD\n  A --> B\n  B --> C[unclosed\n  C --> D"
    result = parse(source, path="notes/gpu.md", line=10)
    assert result.diagram is None
    (problem,) = result.diagnostics
    assert (problem.path, problem.severity, problem.code) == ("notes/gpu.md", Severity.WARNING, "diagram-syntax")
    assert problem.line == 15  # `B --> C[unclosed`: the label runs on to the end, unclosed
    assert "no cards" in problem.hint
    assert problem.format().startswith("notes/gpu.md:15: warning: Mermaid rejects this diagram")


@pytest.mark.parametrize(
    ("source", "line"),
    [
        ("graph TD\n  A --> B\n  B -> C", 3),
        ("graph TD\n  A --> B\n\n  subgraph S\n    x\n", 5),  # the last line written
        ("sequenceDiagram\n  A->>B: hi\n  A->>C", 3),
        ("stateDiagram-v2\n  A --> B\n  state Two Words {\n  }", 3),
        ("mindmap\n  root\n  second", 3),
        ("flowchrt TD\n  A --> B", 1),
    ],
)
def test_error_lines_per_kind(source: str, line: int) -> None:
    (problem,) = parse(source, path="p.md", line=1).diagnostics
    assert problem.line == line, problem


def test_kinds_we_do_not_read_give_at_most_an_info() -> None:
    result = parse("gantt\n  title Plan\n  section A\n  task :a1, 0, 1", path="p.md", line=3)
    assert result.diagram is None
    assert [(d.severity, d.code) for d in result.diagnostics] == [(Severity.INFO, "diagram-kind-unsupported")]


def test_labels_are_display_text() -> None:
    d = _diagram(
        "graph LR\n"
        '  A["#quot;Quoted#quot; &amp; <b>bold</b><br/>second line"] --> B["`**Bold** and _em_`"]\n'
        "  B -->|a #9829; b| C[寒武纪，昆仑芯]\n"
        "  C -- .ptx (PTX(Virtual) ISA code) --> D"
    )
    assert [n.label for n in d.nodes] == ['"Quoted" & bold\nsecond line', "Bold and em", "寒武纪，昆仑芯", "D"]
    assert [e.label for e in d.edges] == ["", "a ♥ b", ".ptx (PTX(Virtual) ISA code)"]


def test_subgraphs_members_parents_and_endpoints() -> None:
    d = _diagram(
        "graph TB\n"
        "  subgraph outer [Outer box]\n"
        "    subgraph inner [Inner box]\n"
        "      a --> b\n"
        "    end\n"
        "    c\n"
        "  end\n"
        "  x --> inner"
    )
    assert [(s.id, s.title, sorted(s.members), s.parent, s.line) for s in d.subgraphs] == [
        ("inner", "Inner box", ["a", "b"], "outer", 3),
        ("outer", "Outer box", ["c", "inner"], None, 2),
    ]
    assert {n.id: n.parent for n in d.nodes} == {"a": "inner", "b": "inner", "c": "outer", "x": None}
    assert _edges(d)[-1] == ("x", "Inner box", "")  # an edge to a subgraph points at its cluster


def test_chains_and_groups_expand_like_mermaid() -> None:
    d = _diagram("graph LR\n  A & B --> C & D --> E")
    assert [(e.src, e.dst) for e in d.edges] == [("A", "C"), ("A", "D"), ("B", "C"), ("B", "D"), ("C", "E"), ("D", "E")]


def test_link_vocabulary() -> None:
    d = _diagram("graph LR\n  A <-.-> B\n  B ====> C\n  C ~~~ D\n  D x--x E\n  E e1@--o F")
    assert [(e.type, e.stroke, e.length, e.id) for e in d.edges] == [
        ("double_arrow_point", "dotted", 1, None),
        ("arrow_point", "thick", 3, None),
        ("arrow_open", "invisible", 1, None),
        ("double_arrow_cross", "normal", 1, None),
        ("arrow_circle", "normal", 1, "e1"),
    ]


def test_mindmap_tree() -> None:
    d = _diagram("mindmap\n  root((推理))\n    预填充\n      分块\n    解码")
    assert [(n.id, n.label, n.shape, n.parent, n.depth, n.line) for n in d.nodes] == [
        ("0", "推理", "circle", None, 0, 2),
        ("1", "预填充", "default", "0", 1, 3),
        ("2", "分块", "default", "1", 2, 4),
        ("3", "解码", "default", "0", 1, 5),
    ]
    assert _edges(d) == [("推理", "预填充", ""), ("预填充", "分块", ""), ("推理", "解码", "")]


def test_sequence_participants_messages_and_notes() -> None:
    d = _diagram(
        "sequenceDiagram\n"
        "  participant U as Main Thread (Train Loop)\n"
        "  actor Bob\n"
        "  U->>Bob: submit(data) -> enqueue\n"
        "  Bob-->>U: done\n"
        "  Note over U,Bob: both"
    )
    assert [(n.id, n.label, n.shape, n.line) for n in d.nodes] == [
        ("U", "Main Thread (Train Loop)", "participant", 2),
        ("Bob", "Bob", "actor", 3),
    ]
    assert [(e.src, e.dst, e.label, e.type, e.stroke, e.line) for e in d.edges] == [
        ("U", "Bob", "submit(data) -> enqueue", "->>", "normal", 4),
        ("Bob", "U", "done", "-->>", "dotted", 5),
    ]
    assert [(n.targets, n.placement, n.text, n.line) for n in d.notes] == [(("U", "Bob"), "over", "both", 6)]
    as_dict = diagram_to_dict(d)
    assert as_dict["participants"] == [
        {"id": "U", "name": "Main Thread (Train Loop)", "kind": "participant", "line": 2},
        {"id": "Bob", "name": "Bob", "kind": "actor", "line": 3},
    ]
    first = {"from": "U", "to": "Bob", "text": "submit(data) -> enqueue", "arrow": "->>", "line": 4}
    assert cast(list[object], as_dict["messages"])[0] == first


def test_state_diagram() -> None:
    d = _diagram(
        "stateDiagram-v2\n"
        "  [*] --> Idle\n"
        '  state "Running a job" as Run\n'
        "  Idle --> Run : start\n"
        "  state Run {\n"
        "    [*] --> Work\n"
        "  }\n"
        "  Run --> [*]"
    )
    assert [(n.id, n.label, n.shape, n.parent) for n in d.nodes] == [
        ("root_start", "[*]", "start", None),
        ("Idle", "Idle", "default", None),
        ("Run", "Running a job", "composite", None),
        ("Run_start", "[*]", "start", "Run"),
        ("Work", "Work", "default", "Run"),
        ("root_end", "[*]", "end", None),
    ]
    assert _edges(d) == [("[*]", "Idle", ""), ("Idle", "Running a job", "start"), ("[*]", "Work", ""),
                         ("Running a job", "[*]", "")]  # fmt: skip


def test_diagram_to_dict_is_json_ready() -> None:
    d = _diagram("graph LR\n  subgraph S [Box]\n    A[Alpha] -->|go| B\n  end")
    as_dict = diagram_to_dict(d)
    assert json.loads(json.dumps(as_dict, ensure_ascii=False)) == as_dict
    assert set(as_dict) == {"line", "kind", "direction", "title", "nodes", "edges", "subgraphs"}
    assert cast(list[object], as_dict["nodes"])[0] == {"id": "A", "label": "Alpha", "shape": "square", "line": 3,
                                                       "parent": "S"}  # fmt: skip
    edge = {"src": "A", "dst": "B", "src_label": "Alpha", "dst_label": "B", "label": "go", "type": "arrow_point"}
    assert as_dict["edges"] == [{**edge, "stroke": "normal", "length": 1, "line": 3}]
    assert as_dict["subgraphs"] == [
        {"id": "S", "title": "Box", "members": ["B", "A"], "parent": None, "direction": None, "line": 2}
    ]


def test_front_matter_title() -> None:
    assert _diagram("---\ntitle: GPU stack\n---\ngraph LR\n  A --> B").title == "GPU stack"


def test_edge_limit_is_mermaids() -> None:
    ok = "graph LR\n" + "\n".join(f"  n{i} --> n{i + 1}" for i in range(500))
    assert parse(ok, path="p.md", line=1).diagram is not None
    over = ok + "\n  x --> y"
    (problem,) = parse(over, path="p.md", line=1).diagnostics
    assert "Edge limit" in problem.message and problem.line == 502


def test_values_are_frozen() -> None:
    d = _diagram("graph LR\n  A --> B")
    for value in (d, d.nodes[0], d.edges[0], DiagramResult(None)):
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(value, "diagram" if isinstance(value, DiagramResult) else "line", 3)
    assert isinstance(d.nodes[0], Node) and isinstance(d.edges[0], Edge)
