"""Any string in, a DiagramResult out, in time linear in the input.

Property-style: random and mutated sources never raise; big and pathological sources
(long chains, 10,000 repeated punctuation characters, deep nesting) stay fast, and
four times the input costs roughly four times the time. Kept small: seconds in all.
"""

from __future__ import annotations

import json
import random
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from notes2anki.diagrams import DiagramResult, parse

FIXTURES = Path(__file__).parent / "fixtures"
SOURCES = [case["source"] for path in sorted(FIXTURES.glob("*.json")) for case in json.loads(path.read_text("utf-8"))]
HEADERS = ["graph TD\n", "flowchart LR\n", "sequenceDiagram\n", "stateDiagram-v2\n", "mindmap\n", ""]
PIECES = ["-", "--", "-->", "==>", "-.", ".->", "~~~", "|", '"', "`", "(", ")", "[", "]", "{", "}", "@{", ":::",
          "&", ";", ":", "%%", "%%{", "#", "<br/>", "end", "subgraph ", "direction LR", "\n", " ", "\t", "x", "o",
          "<", ">", "[*]", "note ", "as ", "participant ", "state ", "loop ", "模型", "\u2028", "\r", "\\"]  # fmt: skip


def _check(result: DiagramResult) -> None:
    assert isinstance(result, DiagramResult)
    assert (result.diagram is None) or result.diagnostics == ()
    for d in result.diagnostics:
        assert d.path == "fuzz.md" and d.line is not None and d.line >= 3


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(header=st.sampled_from(HEADERS), body=st.text(max_size=200))
def test_arbitrary_text_never_raises(header: str, body: str) -> None:
    _check(parse(header + body, path="fuzz.md", line=3))


@settings(max_examples=150, deadline=None)
@given(header=st.sampled_from(HEADERS), pieces=st.lists(st.sampled_from(PIECES), max_size=60))
def test_grammar_soup_never_raises(header: str, pieces: list[str]) -> None:
    _check(parse(header + "".join(pieces), path="fuzz.md", line=3))


def test_mutated_fixtures_never_raise() -> None:
    rng = random.Random(20260925)
    for _ in range(800):
        source = rng.choice(SOURCES)
        for _ in range(rng.randint(1, 4)):
            at = rng.randint(0, len(source))
            source = source[:at] + rng.choice(PIECES) + source[at + rng.randint(0, 2) :]
        _check(parse(source, path="fuzz.md", line=3))


def _seconds(build: Callable[[int], str], n: int) -> float:
    source = build(n)
    best = float("inf")
    for _ in range(2):
        started = time.perf_counter()
        _check(parse(source, path="fuzz.md", line=3))
        best = min(best, time.perf_counter() - started)
    return best


def _chain(n: int) -> str:
    return "flowchart LR\n" + "\n".join(f"  n{i}[Step {i}] -->|go {i}| n{i + 1}(Next)" for i in range(n))


GROWING: dict[str, Callable[[int], str]] = {
    "flowchart edges": _chain,
    "one long line of links": lambda n: "graph LR\nA" + " --> A" * n,
    "edge text": lambda n: "graph LR\nA -- " + "word " * n + "--> B",
    "dashes": lambda n: "graph LR\nA" + "-" * n + "B",
    "quotes": lambda n: 'graph LR\nA["' + "x" * n + '"]',
    "ampersands": lambda n: "graph LR\n" + " & ".join(f"n{i}" for i in range(n)) + " --> Z",
    "open brackets": lambda n: "graph LR\nA" + "(" * n,
    "direction word": lambda n: "graph LR\n" + "A " * n + "direction LR",
    "link ids": lambda n: "graph LR\n" + "a@" * n + "--> B",
    "sequence messages": lambda n: "sequenceDiagram\n" + "".join(f"  A{i % 9}->>B: msg {i}\n" for i in range(n)),
    "sequence dashes": lambda n: "sequenceDiagram\n" + "a-" * n,
    "state transitions": lambda n: "stateDiagram-v2\n" + "".join(f"  S{i} --> S{i + 1} : e\n" for i in range(n)),
    "state line": lambda n: "stateDiagram-v2\nstate " + "- " * n,
    "mindmap": lambda n: "mindmap\n  root\n" + "".join(f"    child {i}\n" for i in range(n)),
    "comments": lambda n: "graph LR\n" + "%% c\n" * n + "A --> B",
    "entities": lambda n: "graph LR\nA[" + "#quot;" * n + "]",
    "markdown markers": lambda n: 'graph LR\nA["`' + "**x " * n + '`"]',
}


@pytest.mark.parametrize("name", sorted(GROWING))
def test_time_is_linear(name: str) -> None:
    build = GROWING[name]
    small, large = _seconds(build, 600), _seconds(build, 2400)
    assert large < 0.5, f"{name}: {large:.2f}s for 2400"
    assert large < 10 * max(small, 0.002), f"{name}: {small:.4f}s -> {large:.4f}s for 4x the input"


@pytest.mark.parametrize("char", list("-=.~()[]{}|\"`#&:;<>@%xo \\/*!?^v+,'\n"))
def test_ten_thousand_repeated_punctuation(char: str) -> None:
    for source in (f"graph TD\nA{char * 10000}B", f"graph TD\nA --> B[{char * 10000}]",
                   f"graph TD\nA -- {char * 10000} --> B", f"sequenceDiagram\nA->>B: {char * 10000}",
                   f"stateDiagram-v2\n{char * 10000}", f"mindmap\n  {char * 10000}", char * 10000):  # fmt: skip
        started = time.perf_counter()
        _check(parse(source, path="fuzz.md", line=3))
        assert time.perf_counter() - started < 0.5, repr(source[:40])


def test_deep_nesting_is_a_warning_not_a_crash() -> None:
    source = "graph TD\n" + "subgraph s\n" * 2000 + "a\n" + "end\n" * 2000
    result = parse(source, path="fuzz.md", line=3)
    _check(result)
    assert result.diagram is None
