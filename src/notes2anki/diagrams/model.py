"""What a parsed diagram is: plain frozen values, the same shape for every kind.

Every kind is read into nodes and edges so that a consumer asking "what points to what,
and what does the arrow say?" needs no per-kind code: a flowchart's vertices and links, a
mindmap's tree (parent -> child edges), a sequence diagram's participants and messages, a
state diagram's states and transitions. What only one kind has (subgraphs, notes) has
its own field, empty elsewhere.

Labels are always display text: what a reader of the rendered diagram sees, with quotes,
markdown markers, ``<br>`` tags and entity codes already resolved.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from notes2anki.diagnostics import Diagnostic


@dataclass(frozen=True)
class Node:
    """A box (flowchart vertex, mindmap node, sequence participant, state)."""

    id: str
    """The id the source uses for it (for a sequence participant, its name)."""
    label: str
    """Display text; the id itself when the source never gives one."""
    shape: str
    """Mermaid's own name for the shape: a flowchart vertex type (``round``, ``diamond``,
    ``stadium``, or a ``@{ shape: ... }`` name; ``""`` when none was given, which Mermaid
    draws as a rectangle), a mindmap node type (``default``, ``rounded_rect``, ``rect``,
    ``circle``, ``cloud``, ``bang``, ``hexagon``), a participant type (``participant``,
    ``actor``, ...), a state type (``default``, ``start``, ``end``, ``fork``, ``join``,
    ``choice``, ``composite``)."""
    line: int
    """File line of the occurrence that gave the node its label (its first occurrence if
    nothing ever labels it)."""
    parent: str | None = None
    """Enclosing subgraph (flowchart), composite state (state), parent node (mindmap)."""
    depth: int = 0
    """Mindmap only: 0 for the root, 1 for its children, and so on."""


@dataclass(frozen=True)
class Edge:
    """An arrow between two node ids, in source order."""

    src: str
    dst: str
    label: str
    """Display text on the arrow, ``""`` if none."""
    type: str
    """Arrow head in Mermaid's vocabulary. Flowcharts: ``arrow_point``, ``arrow_open``,
    ``arrow_cross``, ``arrow_circle``, ``double_arrow_point``/``_cross``/``_circle`` (and
    ``INVALID`` where Mermaid stores that, for mismatched start and end of a labelled
    link). Sequence messages: the arrow as written (``->>``, ``-->>``, ``-x``, ...).
    State transitions and mindmap edges: ``arrow_point`` / ``arrow_open``."""
    stroke: str
    """``normal``, ``thick``, ``dotted`` or ``invisible`` (sequence: ``normal``/``dotted``)."""
    length: int
    """Flowchart link length (extra dashes/dots/equals, at most 10); 1 elsewhere."""
    line: int
    """File line of the arrow."""
    id: str | None = None
    """A user-given flowchart edge id (``A e1@--> B``), else ``None``."""


@dataclass(frozen=True)
class Subgraph:
    """A flowchart subgraph (Mermaid draws it as a titled cluster)."""

    id: str
    title: str
    members: tuple[str, ...]
    """Node and subgraph ids directly inside, as Mermaid lists them (each statement's ids
    last-first; a node already in an earlier-closed subgraph is not repeated)."""
    parent: str | None
    """The subgraph this one is nested in, if any."""
    direction: str | None
    """A ``direction`` given inside the subgraph (``TB``, ``BT``, ``RL``, ``LR``)."""
    line: int
    """File line of the ``subgraph`` keyword."""


@dataclass(frozen=True)
class Note:
    """A sequence or state diagram note."""

    targets: tuple[str, ...]
    """Participant or state ids the note is attached to."""
    placement: str
    """``left of``, ``right of`` or ``over``."""
    text: str
    line: int


@dataclass(frozen=True)
class Diagram:
    """One parsed diagram."""

    kind: str
    """``flowchart`` (also for ``graph``), ``mindmap``, ``sequence`` or ``state``."""
    direction: str | None
    """Flowchart/state layout direction (``TB``, ``BT``, ``LR``, ``RL``); ``None`` elsewhere."""
    line: int
    """File line of the diagram's first source line."""
    nodes: tuple[Node, ...]
    """In order of first appearance."""
    edges: tuple[Edge, ...]
    """In source order."""
    subgraphs: tuple[Subgraph, ...] = ()
    """Flowchart only, in the order Mermaid closes them (inner before outer)."""
    notes: tuple[Note, ...] = ()
    title: str = ""
    """The front matter ``title``, if any."""

    @cached_property
    def _labels(self) -> dict[str, str]:
        labels = {node.id: node.label for node in self.nodes}
        # Mermaid draws an edge to a subgraph id as an edge to the titled cluster.
        labels.update((sub.id, sub.title) for sub in self.subgraphs)
        return labels

    def label_of(self, node_id: str) -> str:
        """What the reader sees for ``node_id``: a node's label, a subgraph's title, or the id."""
        return self._labels.get(node_id, node_id)


@dataclass(frozen=True)
class DiagramResult:
    """What :func:`notes2anki.diagrams.parse` returns for any input."""

    diagram: Diagram | None
    """``None`` when Mermaid would reject the source, or its kind is one we do not read."""
    diagnostics: tuple[Diagnostic, ...] = ()
