"""Mermaid diagrams read the way Mermaid itself reads them, in pure Python.

This package knows diagrams and nothing about cards, Anki or Markdown. Its one promise:
a diagram Mermaid 12.3.0 accepts is read into the same nodes, edges and labels Mermaid's
parser holds, and a diagram Mermaid rejects is rejected here too, with a warning naming
the file line, so that no card is ever made from a diagram that does not render. It
reads flowcharts (``flowchart``/``graph``), mindmaps, sequence diagrams and state
diagrams; other kinds come back as ``None`` with an INFO note.

``parse`` takes any string and always returns; time is linear in the input.
"""

from __future__ import annotations

from collections.abc import Callable

from notes2anki.diagnostics import Diagnostic, Severity, warning
from notes2anki.diagrams.flowchart import parse_flowchart
from notes2anki.diagrams.mindmap import parse_mindmap
from notes2anki.diagrams.model import Diagram, DiagramResult, Edge, Node, Note, Subgraph
from notes2anki.diagrams.sequence import parse_sequence
from notes2anki.diagrams.source import MermaidSyntaxError, Prepared, prepare
from notes2anki.diagrams.state import parse_state

__all__ = [
    "Diagram",
    "DiagramResult",
    "Edge",
    "Node",
    "Note",
    "Subgraph",
    "diagram_to_dict",
    "parse",
]

_READERS: dict[str, Callable[[Prepared, int], Diagram]] = {
    "flowchart-v2": parse_flowchart,
    "flowchart-elk": parse_flowchart,
    "mindmap": parse_mindmap,
    "sequence": parse_sequence,
    "stateDiagram": parse_state,
}

_C4_HEADERS = ("C4Context", "C4Container", "C4Component", "C4Dynamic", "C4Deployment")
_REJECTED_HINT = "no cards are made from it; fix it until Mermaid renders it, e.g. on mermaid.live"


def parse(source: str, *, path: str, line: int) -> DiagramResult:
    """Read the diagram in ``source``, the text inside a ```` ```mermaid ```` fence.

    ``line`` is the 1-based file line of the first line of ``source``; diagnostics carry
    ``path`` and absolute file lines. Never raises.
    """
    try:
        return _parse(source, path, line)
    except RecursionError:
        problem = warning(
            path, line, "The Mermaid diagram is nested too deeply to read (hundreds of levels)",
            "no cards are made from it", "diagram-too-deep",
        )  # fmt: skip
    except Exception as exc:
        problem = warning(
            path, line, f"Could not read the Mermaid diagram ({type(exc).__name__}: {exc})",
            "no cards are made from it; please report this as a notes2anki bug", "diagram-internal-error",
        )  # fmt: skip
    return DiagramResult(None, (problem,))


def _parse(source: str, path: str, line: int) -> DiagramResult:
    try:
        prepared = prepare(source)
    except MermaidSyntaxError as exc:  # front matter js-yaml would refuse
        return _rejected(path, line + exc.line, f"Mermaid rejects this diagram: {exc.message}")
    kind = prepared.kind
    if kind is None or kind == "---":
        what = (
            "it starts with '---' but has no closed front matter"
            if kind == "---"
            else "no Mermaid diagram type is recognised at its start"
        )
        return _rejected(path, line + prepared.origin_of_line(0), f"Mermaid rejects this diagram: {what}")
    if kind == "c4" and not prepared.text.lstrip().startswith(_C4_HEADERS):
        # Mermaid's C4 detector matches `C4Container` anywhere, then its C4 parser fails.
        return _rejected(
            path, line, "Mermaid rejects this diagram: it reads it as C4 (a C4 keyword appears in it) and fails"
        )
    reader = _READERS.get(kind)
    if reader is None:
        note = Diagnostic(
            path,
            line,
            Severity.INFO,
            f"Mermaid {kind} diagrams are not read (only flowchart, mindmap, sequence, state)",
            code="diagram-kind-unsupported",
        )
        return DiagramResult(None, (note,))
    try:
        diagram = reader(prepared, line)
    except MermaidSyntaxError as exc:
        # Mermaid may notice a problem only at the end of the text it appends a newline to;
        # never point past the diagram's last line.
        last = source.replace("\r\n", "\n").replace("\r", "\n").count("\n")
        return _rejected(path, line + min(exc.line, last), f"Mermaid rejects this diagram: {exc.message}")
    return DiagramResult(diagram, ())


def _rejected(path: str, line: int, message: str) -> DiagramResult:
    return DiagramResult(None, (warning(path, line, message, _REJECTED_HINT, "diagram-syntax"),))


def diagram_to_dict(d: Diagram) -> dict[str, object]:
    """A JSON-ready view of ``d`` (keys as in the model; edges also carry endpoint labels)."""
    nodes: list[dict[str, object]] = []
    for n in d.nodes:
        node: dict[str, object] = {"id": n.id, "label": n.label, "shape": n.shape, "line": n.line, "parent": n.parent}
        if d.kind == "mindmap":
            node["depth"] = n.depth
        nodes.append(node)
    edges = [
        {
            "src": e.src,
            "dst": e.dst,
            "src_label": d.label_of(e.src),
            "dst_label": d.label_of(e.dst),
            "label": e.label,
            "type": e.type,
            "stroke": e.stroke,
            "length": e.length,
            "line": e.line,
            **({"id": e.id} if e.id is not None else {}),
        }
        for e in d.edges
    ]
    out: dict[str, object] = {
        "line": d.line,
        "kind": d.kind,
        "direction": d.direction,
        "title": d.title,
        "nodes": nodes,
        "edges": edges,
    }
    if d.kind == "flowchart":
        out["subgraphs"] = [
            {
                "id": s.id,
                "title": s.title,
                "members": list(s.members),
                "parent": s.parent,
                "direction": s.direction,
                "line": s.line,
            }
            for s in d.subgraphs
        ]
    if d.kind == "sequence":
        out["participants"] = [{"id": n.id, "name": n.label, "kind": n.shape, "line": n.line} for n in d.nodes]
        out["messages"] = [
            {"from": e.src, "to": e.dst, "text": e.label, "arrow": e.type, "line": e.line} for e in d.edges
        ]
    if d.kind in ("sequence", "state"):
        out["notes"] = [
            {"targets": list(n.targets), "placement": n.placement, "text": n.text, "line": n.line} for n in d.notes
        ]
    return out
