"""The shape of a parsed diagram: who leads to whom, what is a hierarchy, what is a pipeline.

Card extractors ask these questions of every diagram; answering them here
keeps graph logic (linear in the number of edges) apart from card wording.
Invisible links (``~~~``) only steer layout and self-loops say nothing about
order, so neither counts.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from notes2anki.diagrams.model import Diagram, Edge


@dataclass
class Structure:
    """Adjacency of a diagram's visible edges, with derived views computed once."""

    diagram: Diagram
    out: dict[str, list[Edge]] = field(default_factory=lambda: defaultdict(list))
    """Outgoing edges per node id, in source order."""
    into: dict[str, list[Edge]] = field(default_factory=lambda: defaultdict(list))
    """Incoming edges per node id, in source order."""
    order: list[str] = field(default_factory=list)
    """Node ids in order of first appearance (nodes, then subgraph ids used as endpoints)."""

    @classmethod
    def of(cls, diagram: Diagram) -> Structure:
        s = cls(diagram)
        seen: set[str] = set()
        for node in diagram.nodes:
            if node.id not in seen:
                seen.add(node.id)
                s.order.append(node.id)
        for edge in diagram.edges:
            if edge.stroke == "invisible" or edge.src == edge.dst:
                continue
            s.out[edge.src].append(edge)
            s.into[edge.dst].append(edge)
            for end in (edge.src, edge.dst):
                if end not in seen:
                    seen.add(end)
                    s.order.append(end)
        return s

    def parent(self, node: str) -> Edge | None:
        """The one edge into ``node``, if there is exactly one."""
        edges = self.into.get(node, [])
        return edges[0] if len(edges) == 1 else None

    def is_hierarchy(self) -> bool:
        """A map of a field rather than a process: nearly every node has one parent, few links are labelled."""
        if self.diagram.kind == "mindmap":
            return True
        edges = [e for es in self.out.values() for e in es]
        if not edges:
            return False
        children = [n for n in self.order if self.into.get(n)]
        single = sum(1 for n in children if len(self.into[n]) == 1)
        labelled = sum(1 for e in edges if e.label)
        branching = any(len(es) >= 2 for es in self.out.values())
        return branching and single >= 0.8 * len(children) and labelled * 2 < len(edges)

    def path_from_root(self, node: str) -> list[str]:
        """Ids from the top of the hierarchy down to ``node`` (following single parents; cycles cut)."""
        path = [node]
        seen = {node}
        while (edge := self.parent(path[-1])) is not None and edge.src not in seen:
            path.append(edge.src)
            seen.add(edge.src)
        path.reverse()
        return path

    def _internal(self, node: str) -> bool:
        return len(self.into.get(node, ())) == 1 and len(self.out.get(node, ())) == 1

    def chains(self) -> list[list[Edge]]:
        """Maximal pipelines of three or more nodes whose inner nodes have one way in and one way out."""
        found: list[list[Edge]] = []
        for start in self.order:
            if self._internal(start):
                continue
            for first in self.out.get(start, ()):
                chain = [first]
                seen = {start, first.dst}
                node = first.dst
                while self._internal(node):
                    nxt = self.out[node][0]
                    if nxt.dst in seen:
                        break
                    chain.append(nxt)
                    seen.add(nxt.dst)
                    node = nxt.dst
                if len(chain) >= 2:
                    found.append(chain)
        return found
