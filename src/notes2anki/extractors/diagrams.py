"""Mermaid diagrams become cards: each edge is knowledge worth asking about.

Questions use the diagram's own words (labels, never ids). What is asked
depends on the diagram's shape (see ``diagrams/structure.py``):

- a node and where it leads (``推理框架 → ?``), children in diagram order;
- in a hierarchy (a mind map of a field), a node and what it belongs to, with
  the path from the root as context;
- a labelled link (``NVCC —.ptx→ ?``), and its reverse when the answer is unique
  and the label says more than yes/no;
- in a process, a pipeline of three or more steps as one ordered card;
- a subgraph and its members; a sequence diagram's messages, pair by pair and
  in order; a state diagram's events between states.

Nothing is said twice: links inside a pipeline card make no link or child
cards of their own, a single labelled link is a link card rather than a child
card, and a node whose only child repeats its name makes no card.
"""

from __future__ import annotations

import html
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from markdown_it.token import Token

from ..cards import Card
from ..diagnostics import Diagnostic
from ..diagrams import Diagram, DiagramResult, Edge, parse
from ..diagrams.structure import Structure
from ..document import Document
from ..reconcile import loose
from ..render_diagram import EdgeView, diagram_context_html, diagram_source_html, neighbourhood_html
from . import Context, Extractor

RULES = ("children", "parent", "edge", "chain", "group", "sequence", "state")


@dataclass
class _Draft:
    """A card being assembled; drafts with the same question are merged."""

    kind: str
    rule: str
    question: str
    answers: list[str]
    line: int
    context: tuple[str, ...]
    tag_trail: tuple[str, ...]
    front_note: str = ""
    ordered: bool = False
    numbered: bool = False
    where: str = ""
    """HTML showing where the answer sits (the path from the root, or the edge's neighbourhood)."""


def _text(label: str) -> str:
    return " ".join(label.split())


def _repeats(parent: str, child: str) -> bool:
    """Whether ``child`` just repeats ``parent``'s name (``NPU`` → ``NPU``, ``vLLM`` → ``vLLM 0.6``)."""
    a, b = loose(parent), loose(child)
    if not a or not b:
        return False
    short, long_ = sorted((a, b), key=len)
    return short == long_ or (short in long_ and len(short) >= 0.8 * len(long_))


class _DiagramCards:
    """Drafts for one diagram."""

    def __init__(self, ctx: Context, diagram: Diagram, trail: tuple[str, ...]) -> None:
        self.ctx = ctx
        self.d = diagram
        self.s = Structure.of(diagram)
        self.trail = (*trail, diagram.title) if diagram.title else trail
        self.drafts: dict[str, _Draft] = {}
        self.lines = {n.id: n.line for n in diagram.nodes}

    def label(self, node: str) -> str:
        text = _text(self.d.label_of(node))
        if text == "[*]":  # a state diagram's start or end pseudo-state
            return self.ctx.phrase("diagram-end" if node.endswith("_end") else "diagram-start")
        return text

    def hint(self, count: int) -> str:
        return self.ctx.phrase("diagram-children-hint", count=str(count)) if count > 1 else ""

    def labels(self, nodes: Sequence[str]) -> tuple[str, ...]:
        return tuple(self.label(n) for n in nodes)

    def add(self, draft: _Draft) -> None:
        if not self.ctx.rule_on(f"diagram.{draft.rule}") or not draft.question or not draft.answers:
            return
        seen = self.drafts.get(draft.question)
        if seen is None:
            self.drafts[draft.question] = draft
        elif seen.kind == draft.kind:
            seen.answers.extend(a for a in draft.answers if a not in seen.answers)

    def run(self) -> list[_Draft]:
        if self.d.kind in ("flowchart", "mindmap"):
            self.graph()
        elif self.d.kind == "sequence":
            self.sequence()
        elif self.d.kind == "state":
            self.state()
        return list(self.drafts.values())

    # -- flowcharts and mind maps -------------------------------------------------------------

    def graph(self) -> None:
        s = self.s
        hierarchy = s.is_hierarchy()
        chains = [] if hierarchy else s.chains()
        # A short pipeline whose links all carry labels is better asked link by link.
        chains = [c for c in chains if len(c) >= 3 or any(not e.label for e in c)]
        covered = {(e.src, e.dst, e.line) for chain in chains for e in chain}
        for chain in chains:
            self.chain(chain)
        for node in s.order:
            self.children(node, hierarchy, covered)
        if hierarchy:
            for node in s.order:
                self.parent(node)
        self.links(covered)
        self.groups()

    def path(self, node: str) -> tuple[str, ...]:
        return self.labels(self.s.path_from_root(node))

    def chain(self, chain: list[Edge]) -> None:
        first, last = self.label(chain[0].src), self.label(chain[-1].dst)
        self.add(_Draft("diagram-chain", "chain", self.ctx.phrase("diagram-chain", start=first, end=last),
                        [self.label(chain[0].src), *(self.label(e.dst) for e in chain)], chain[0].line,
                        self.trail, self.trail, self.ctx.phrase("diagram-chain-hint", count=str(len(chain) + 1)),
                        ordered=True, numbered=True, where=self.neighbourhood(chain)))

    def children(self, node: str, hierarchy: bool, covered: set[tuple[str, str, int]]) -> None:
        outs = self.s.out.get(node, [])
        if not outs or all((e.src, e.dst, e.line) in covered for e in outs):
            return
        if len(outs) == 1 and (outs[0].label or _repeats(self.label(node), self.label(outs[0].dst))):
            return
        answers: list[str] = []
        for edge in outs:
            target = self.label(edge.dst)
            answers.append(f"{target} ({_text(edge.label)})" if edge.label else target)
        path = self.path(node) if hierarchy else (self.label(node),)
        where = diagram_context_html(path) if hierarchy and len(path) > 1 else self.neighbourhood(outs)
        self.add(_Draft("diagram-children", "children", self.ctx.phrase("diagram-children", node=self.label(node)),
                        answers, self.lines.get(node, outs[0].line), (*self.trail, *path[:-1]), (*self.trail, *path),
                        self.hint(len(answers)), ordered=True, where=where))

    def parent(self, node: str) -> None:
        edge = self.s.parent(node)
        if edge is None or edge.label or _repeats(self.label(edge.src), self.label(node)):
            return
        path = self.path(node)
        self.add(_Draft("diagram-parent", "parent", self.ctx.phrase("diagram-parent", node=self.label(node)),
                        [self.label(edge.src)], edge.line, (*self.trail, *path[:-2]), (*self.trail, *path),
                        where=diagram_context_html(path, highlight=self.label(edge.src))))

    def links(self, covered: set[tuple[str, str, int]]) -> None:
        edges = [e for es in self.s.out.values() for e in es if e.label and (e.src, e.dst, e.line) not in covered]
        edges.sort(key=lambda e: e.line)
        sources: dict[tuple[str, str], set[str]] = {}
        for e in edges:
            sources.setdefault((e.dst, _text(e.label)), set()).add(e.src)
        for e in edges:
            label, src, dst = _text(e.label), self.label(e.src), self.label(e.dst)
            where = self.neighbourhood(self.around(e), e)
            self.add(_Draft("diagram-edge", "edge", self.ctx.phrase("diagram-edge", src=src, label=label),
                            [dst], e.line, self.trail, self.trail, where=where))
            decision = next((n.shape for n in self.d.nodes if n.id == e.src), "") in ("diamond", "decision")
            if len(sources[(e.dst, label)]) == 1 and len(label) >= 3 and not decision:
                self.add(_Draft("diagram-edge", "edge", self.ctx.phrase("diagram-edge-reverse", dst=dst, label=label),
                                [src], e.line, self.trail, self.trail, where=where))

    def view(self, edge: Edge) -> EdgeView:
        return EdgeView(self.label(edge.src), self.label(edge.dst), _text(edge.label))

    def around(self, edge: Edge) -> list[Edge]:
        """A few edges around ``edge``: into its source, out of its source, out of its target."""
        near = [*self.s.into.get(edge.src, [])[:2], *self.s.out.get(edge.src, [])[:4],
                *self.s.out.get(edge.dst, [])[:2]]
        unique = {(e.src, e.dst, e.line): e for e in near if e is not edge}
        unique[(edge.src, edge.dst, edge.line)] = edge
        return sorted(unique.values(), key=lambda e: e.line)

    def neighbourhood(self, edges: Sequence[Edge], highlight: Edge | None = None) -> str:
        return neighbourhood_html([self.view(e) for e in edges], self.view(highlight) if highlight else None)

    def groups(self) -> None:
        position = {n: i for i, n in enumerate(self.s.order)}
        for sub in self.d.subgraphs:
            members = sorted((m for m in sub.members if m in position), key=position.__getitem__)
            title = _text(sub.title)
            if len(members) >= 2 and title:
                self.add(_Draft("diagram-children", "group", self.ctx.phrase("diagram-group", group=title),
                                list(self.labels(members)), sub.line, self.trail, (*self.trail, title),
                                self.hint(len(members))))

    # -- sequence and state diagrams -----------------------------------------------------------

    def sequence(self) -> None:
        messages = [e for e in self.d.edges if _text(e.label)]
        if not messages:
            return
        for e in messages:
            src, dst = self.label(e.src), self.label(e.dst)
            self.add(_Draft("diagram-sequence", "sequence", self.ctx.phrase("diagram-message", src=src, dst=dst),
                            [_text(e.label)], e.line, self.trail, self.trail, numbered=True))
        if len(messages) >= 2:
            names = [self.label(n.id) for n in self.d.nodes]
            shown = ", ".join(names[:4]) + ("…" if len(names) > 4 else "")
            steps = [f"{self.label(e.src)} → {self.label(e.dst)}: {_text(e.label)}" for e in messages]
            self.add(_Draft("diagram-sequence", "sequence", self.ctx.phrase("diagram-sequence", participants=shown),
                            steps, messages[0].line, self.trail, self.trail, ordered=True, numbered=True))

    def state(self) -> None:
        for e in self.d.edges:
            if not _text(e.label):
                continue
            self.add(_Draft("diagram-state", "state",
                            self.ctx.phrase("diagram-state", src=self.label(e.src), dst=self.label(e.dst)),
                            [_text(e.label)], e.line, self.trail, self.trail))


def _back(draft: _Draft) -> tuple[str, str]:
    """(HTML, plain text) of a draft's answer; the HTML also shows where the answer sits."""
    items = [html.escape(a, quote=False) for a in draft.answers]
    if len(items) == 1 and not draft.ordered:
        body = f'<div class="n2a-diagram-answer">{items[0]}</div>'
        text = draft.answers[0]
    else:
        tag = "ol" if draft.numbered else "ul"
        body = f'<{tag} class="n2a-diagram-answer">' + "".join(f"<li>{i}</li>" for i in items) + f"</{tag}>"
        text = "\n".join(f"{n}. {a}" if draft.numbered else f"- {a}" for n, a in enumerate(draft.answers, 1))
    if draft.where:
        body += f'<div class="n2a-diagram-where">{draft.where}</div>'
    return body, text


def parse_fence(doc: Document, token: Token) -> DiagramResult:
    """Parse one Mermaid fence of ``doc``; diagnostics carry the file's own line numbers."""
    first_line = token.map[0] + 2 if token.map else 1
    return parse(token.content, path=doc.path, line=first_line)


def extract_diagrams(doc: Document, ctx: Context) -> Iterator[Card | Diagnostic]:
    for token, section in doc.mermaid_fences():
        result = parse_fence(doc, token)
        yield from result.diagnostics
        if result.diagram is None:
            continue
        extra = diagram_source_html(token.content)
        for draft in _DiagramCards(ctx, result.diagram, section.trail).run():
            back, answer = _back(draft)
            front = html.escape(draft.question, quote=False)
            if draft.front_note:
                front += f'<div class="n2a-hint">{html.escape(draft.front_note, quote=False)}</div>'
            yield ctx.card(draft.kind, question=draft.question, answer=answer, front=front, back=back,
                           context=draft.context, tag_trail=draft.tag_trail, line=draft.line, extra=extra)


EXTRACTOR = Extractor("diagram", "Mermaid diagram edges → children, parent, link, pipeline cards",
                      extract_diagrams, RULES)
