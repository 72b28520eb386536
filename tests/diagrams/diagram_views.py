"""One comparable view of a parse, shared by the fixture tests and the Mermaid oracle.

``tools/mermaid-oracle/compare.py`` builds the same view from Mermaid's own parser
database (``mermaid_view``) and records it in the fixtures as ``expected``; the tests
build it from our result (``our_view``) and compare. Labels are display text.
"""

from __future__ import annotations

from typing import Any

from notes2anki.diagnostics import Severity
from notes2anki.diagrams import DiagramResult, diagram_to_dict


def accepted(result: DiagramResult) -> bool:
    """Whether we accept the diagram: no warning (an INFO about an unread kind is fine)."""
    return not any(d.severity != Severity.INFO for d in result.diagnostics)


def our_view(result: DiagramResult) -> dict[str, Any]:
    """``{"accepted": ...}`` plus, for the kinds we read, nodes and (label) edge triples."""
    if not accepted(result):
        return {"accepted": False}
    diagram = result.diagram
    if diagram is None:
        return {"accepted": True, "kind": None}
    d = diagram_to_dict(diagram)
    nodes: list[Any] = d["nodes"]  # type: ignore[assignment]
    edges: list[Any] = d["edges"]  # type: ignore[assignment]
    view: dict[str, Any] = {"accepted": True, "kind": diagram.kind}
    if diagram.kind == "flowchart":
        view["direction"] = diagram.direction
        view["nodes"] = [[n["id"], n["label"], n["shape"]] for n in nodes]
        view["edges"] = [[e["src_label"], e["dst_label"], e["label"], e["type"], e["stroke"]] for e in edges]
        view["subgraphs"] = [[s.id, s.title, sorted(s.members)] for s in diagram.subgraphs]
    elif diagram.kind == "sequence":
        view["nodes"] = [[n["id"], n["label"], n["shape"]] for n in nodes]
        view["edges"] = [[e["src_label"], e["dst_label"], e["label"]] for e in edges]
    elif diagram.kind == "state":
        view["nodes"] = [[n["id"] if n["label"] != "[*]" else "[*]", n["label"]] for n in nodes]
        view["edges"] = [[e["src_label"], e["dst_label"], e["label"]] for e in edges]
    elif diagram.kind == "mindmap":
        view["nodes"] = [[n["label"], n["depth"]] for n in nodes]
        view["edges"] = [[e["src_label"], e["dst_label"], ""] for e in edges]
    return view
