"""Table-driven: every fixture case parses to what Mermaid 12.3.0's own parser gives.

Each case in ``fixtures/*.json`` has a hand-written ``source`` and an ``expected`` view
recorded from Mermaid itself (``tools/mermaid-oracle/compare.py --regenerate-fixtures``,
reviewed in the diff); rejected cases also keep Mermaid's ``mermaid_error``. No Node
needed here.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from diagram_views import accepted, our_view

from notes2anki.diagnostics import Severity
from notes2anki.diagrams import parse

FIXTURES = Path(__file__).parent / "fixtures"
CASES: list[tuple[str, dict[str, Any]]] = [
    (f"{path.stem}:{case['name']}", case)
    for path in sorted(FIXTURES.glob("*.json"))
    for case in json.loads(path.read_text(encoding="utf-8"))
]


def test_there_are_plenty_of_cases() -> None:
    assert len(CASES) > 150
    assert sum(not case["expected"]["accepted"] for _, case in CASES) > 40


@pytest.mark.parametrize("case", [case for _, case in CASES], ids=[name for name, _ in CASES])
def test_parse_matches_mermaid(case: dict[str, Any]) -> None:
    result = parse(case["source"], path="notes/x.md", line=7)
    assert our_view(result) == case["expected"]
    if not case["expected"]["accepted"]:
        (problem,) = result.diagnostics
        assert problem.severity is Severity.WARNING
        assert problem.path == "notes/x.md"
        assert problem.code in ("diagram-syntax", "diagram-too-deep")
        assert problem.hint
        last_line = 7 + case["source"].count("\n") + case["source"].count("\r")
        assert problem.line is not None and 7 <= problem.line <= last_line
    elif result.diagram is None:  # a kind we do not read: at most an INFO
        assert accepted(result)
        assert all(d.severity is Severity.INFO for d in result.diagnostics)
    else:
        assert result.diagnostics == ()
