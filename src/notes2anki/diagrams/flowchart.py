"""Mermaid flowcharts (``flowchart`` / ``graph``): the grammar of ``flow.jison`` and what
Mermaid's ``FlowDB`` records while parsing it.

The parser is recursive descent over :mod:`flowchart_lexer`'s tokens and accepts the
language of Mermaid 12.3.0's LALR grammar (production numbers in comments refer to the
compiled parser). The ``_FlowDB`` half replays the database calls that grammar's actions
make, in the same order, because order decides the result: the last label given to an
id wins, an id already used as an edge id is never a node, a node claimed by one
subgraph is dropped from later ones, and Mermaid itself throws (and so rejects the
diagram) on an unknown ``@{ shape }``, a ``linkStyle`` index past the last edge, more
than 500 edges, or a ``subgraph`` with no name.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from notes2anki.diagrams import flowchart_lexer as tk
from notes2anki.diagrams.chars import JS_SPACE, js_trim
from notes2anki.diagrams.labels import display
from notes2anki.diagrams.model import Diagram, Edge, Node, Subgraph
from notes2anki.diagrams.shapedata import VALID_SHAPES, ShapeDataError, parse_shape_data
from notes2anki.diagrams.source import MermaidSyntaxError, Prepared

MAX_EDGES = 500
"""Mermaid's default ``maxEdges``; a site cannot raise it from inside a diagram."""


def parse_flowchart(prepared: Prepared, first_line: int) -> Diagram:
    """The diagram in ``prepared`` (a flowchart), or :class:`MermaidSyntaxError`."""
    parser = _Parser(prepared.text)
    try:
        parser.parse()
    except _FlowError as exc:
        raise MermaidSyntaxError(exc.message, prepared.line_of_offset(exc.offset)) from None
    return parser.db.diagram(prepared, first_line)


class _FlowError(Exception):
    """Mermaid would reject the flowchart; ``offset`` is where, in the lexed text."""

    def __init__(self, message: str, offset: int) -> None:
        super().__init__(message)
        self.message = message
        self.offset = offset


@dataclass
class _Text:
    """A label as the grammar builds it: raw text and Mermaid's label type."""

    text: str
    type: str  # "text", "string" or "markdown"


@dataclass
class _Link:
    type: str
    stroke: str
    length: int
    text: _Text | None = None
    id: str | None = None
    offset: int = 0


@dataclass
class _Vertex:
    id: str
    offset: int
    text: str | None = None
    label_type: str = "text"
    shape: str = ""
    label_offset: int = -1


@dataclass
class _EdgeRecord:
    src: str
    dst: str
    text: str
    label_type: str
    type: str
    stroke: str
    length: int
    id: str
    user_id: bool
    offset: int


@dataclass
class _SubgraphRecord:
    id: str
    title: str
    nodes: list[str]
    direction: str | None
    offset: int


@dataclass
class _Dir:
    """A ``direction`` statement's value inside a document."""

    value: str


_Item = str | _Dir  # what a document collects: node/subgraph ids and directions


@dataclass
class _FlowDB:
    """Mermaid's ``FlowDB``, the calls the grammar's actions make, in the same order."""

    direction: str = "TB"
    vertices: dict[str, _Vertex] = field(default_factory=dict)
    edges: list[_EdgeRecord] = field(default_factory=list)
    edge_ids: set[str] = field(default_factory=set)
    pair_counts: dict[tuple[str, str], int] = field(default_factory=dict)
    subgraphs: list[_SubgraphRecord] = field(default_factory=list)
    subgraph_by_id: dict[str, _SubgraphRecord] = field(default_factory=dict)
    claimed: set[str] = field(default_factory=set)  # nodes some subgraph already holds
    sub_count: int = 0
    limit_offset: int = -1  # where the edge past MAX_EDGES is

    def set_direction(self, raw: str) -> None:
        value = js_trim(raw)
        if "<" in value:
            value = "RL"
        if "^" in value:
            value = "BT"
        if ">" in value:
            value = "LR"
        if "v" in value:
            value = "TB"
        self.direction = "TB" if value == "TD" else value

    def add_vertex(
        self,
        vid: str,
        offset: int,
        text: _Text | None = None,
        shape: str | None = None,
        metadata: str | None = None,
    ) -> None:
        """``addVertex``: called for every occurrence of an id, labelled or not."""
        if not js_trim(vid):
            return
        doc = _shape_doc(metadata, offset) if metadata is not None else None
        if doc is not None and vid in self.subgraph_by_id:
            return
        if vid in self.edge_ids:
            return  # `e1@{ animate: true }` styles edge e1; an edge id is never a node
        vertex = self.vertices.get(vid)
        if vertex is None:
            vertex = self.vertices[vid] = _Vertex(vid, offset)
        if text is not None:
            raw = js_trim(text.text)
            if len(raw) >= 2 and raw[0] == '"' and raw[-1] == '"':
                raw = raw[1:-1]
            vertex.text = raw
            vertex.label_type = text.type
            vertex.label_offset = offset
        elif vertex.text is None:
            vertex.text = vid
        if shape is not None:
            vertex.shape = shape
        if doc:
            self._apply_doc(vertex, doc, offset)

    def _apply_doc(self, vertex: _Vertex, doc: dict[str, object], offset: int) -> None:
        shape = doc.get("shape")
        if shape:
            if not isinstance(shape, str) or shape != shape.lower() or "_" in shape:
                raise _FlowError(f"No such shape: {shape}. Shape names should be lowercase.", offset)
            if shape not in VALID_SHAPES:
                raise _FlowError(f"No such shape: {shape}.", offset)
            vertex.shape = shape
        label = doc.get("label")
        if label:
            vertex.text = _js_string(label)
            label_type = doc.get("labelType")
            vertex.label_type = label_type if label_type in ("markdown", "string", "text") else "markdown"
            vertex.label_offset = offset
        for key in ("icon", "img"):
            if doc.get(key):
                if label is not None and not isinstance(label, str):
                    raise _FlowError("label must be a string", offset)
                if not (isinstance(label, str) and js_trim(label)) and vertex.text == vertex.id:
                    vertex.text = ""

    def add_link(self, starts: list[str], ends: list[str], link: _Link) -> None:
        link_id = link.id.replace("@", "", 1) if link.id is not None else None
        for start in starts:
            for end in ends:
                first = start == starts[-1] and end == ends[0]
                self._add_single_link(start, end, link, link_id if first else None)

    def _add_single_link(self, start: str, end: str, link: _Link, link_id: str | None) -> None:
        text, label_type = "", "text"
        if link.text is not None:
            text = js_trim(link.text.text)
            if len(text) >= 2 and text[0] == '"' and text[-1] == '"':
                text = text[1:-1]
            label_type = link.text.type
        user_id = bool(link_id) and link_id not in self.edge_ids
        if not user_id:
            seen = self.pair_counts.get((start, end), 0)
            link_id = f"L_{start}_{end}_{seen + 1 if seen else 0}"
        assert link_id is not None
        self.pair_counts[(start, end)] = self.pair_counts.get((start, end), 0) + 1
        self.edge_ids.add(link_id)
        if len(self.edges) >= MAX_EDGES and self.limit_offset < 0:
            self.limit_offset = link.offset
        self.edges.append(
            _EdgeRecord(
                start, end, text, label_type, link.type, link.stroke, min(link.length, 10),
                link_id, user_id, link.offset,
            )
        )  # fmt: skip

    def check_link_positions(self, positions: list[str], offset: int) -> None:
        """``linkStyle 3 ...`` throws in Mermaid unless edge 3 exists (and is written ``3``)."""
        for pos in positions:
            if pos == "default":
                continue
            if str(int(pos)) != pos or int(pos) >= len(self.edges):
                raise _FlowError(f"The index {pos} for linkStyle is out of bounds.", offset)

    def add_subgraph(self, sid: _Text, items: list[_Item], title: _Text, same: bool, offset: int) -> str:
        node_id: str | None = js_trim(sid.text)
        if same and any(c in JS_SPACE for c in title.text):
            node_id = None
        nodes: list[str] = []
        seen: set[str] = set()
        direction: str | None = None
        for item in items:
            if isinstance(item, _Dir):
                direction = item.value
            elif js_trim(item) and item not in seen:
                seen.add(item)
                nodes.append(item)
        if node_id is None:
            node_id = f"subGraph{self.sub_count}"
        self.sub_count += 1
        members = [n for n in nodes if n not in self.claimed and n != node_id]
        self.claimed.update(members)
        existing = self.subgraph_by_id.get(node_id)
        if existing is not None:
            existing.nodes.extend(members)
        else:
            record = _SubgraphRecord(node_id, js_trim(title.text), members, direction, offset)
            self.subgraphs.append(record)
            self.subgraph_by_id[node_id] = record
        return node_id

    def diagram(self, prepared: Prepared, first_line: int) -> Diagram:
        def file_line(offset: int) -> int:
            return first_line + prepared.line_of_offset(offset)

        parents: dict[str, str] = {}
        for sub in reversed(self.subgraphs):
            for member in sub.nodes:
                parents[member] = sub.id
        titles = {sub.id: sub.title for sub in self.subgraphs}
        nodes = tuple(
            Node(
                id=v.id,
                label=display(v.text if v.text is not None else v.id, v.label_type == "markdown"),
                shape=v.shape,
                line=file_line(v.label_offset if v.label_offset >= 0 else v.offset),
                parent=parents.get(v.id),
            )
            for v in self.vertices.values()
            if v.id not in titles
        )
        edges = tuple(
            Edge(
                src=e.src, dst=e.dst, label=display(e.text, e.label_type == "markdown"),
                type=e.type, stroke=e.stroke, length=e.length, line=file_line(e.offset),
                id=e.id if e.user_id else None,
            )
            for e in self.edges
        )  # fmt: skip
        subgraphs = tuple(
            Subgraph(
                id=s.id,
                title=display(s.title),
                members=tuple(s.nodes),
                parent=parents.get(s.id),
                direction=s.direction,
                line=file_line(s.offset),
            )
            for s in self.subgraphs
        )
        return Diagram(
            kind="flowchart",
            direction=self.direction,
            line=first_line,
            nodes=nodes,
            edges=edges,
            subgraphs=subgraphs,
            title=prepared.title,
        )


def _shape_doc(metadata: str, offset: int) -> dict[str, object]:
    try:
        doc: dict[str, object] = dict(parse_shape_data(metadata))
    except ShapeDataError as exc:
        raise _FlowError(f"Bad @{{...}} node data: {exc}", offset) from exc
    for key in ("laneRole", "laneIndex", "drawnExtent"):
        doc.pop(key, None)
    return doc


def _js_string(value: object) -> str:
    if value is True:
        return "true"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


_SEPARATORS = frozenset({tk.NEWLINE, tk.SEMI, tk.EOF})
_LINK_STARTS = frozenset({tk.LINK, tk.LINK_ID, tk.START_LINK})
_TEXT_TOKENS = frozenset({tk.TEXT, tk.TAGSTART, tk.TAGEND, tk.UNICODE_TEXT})
_EDGE_TEXT_TOKENS = frozenset({tk.EDGE_TEXT, tk.UNICODE_TEXT})
_TEXT_NO_TAGS_TOKENS = frozenset(
    {
        tk.NUM, tk.NODE_STRING, tk.SPACE, tk.MINUS, tk.AMP, tk.UNICODE_TEXT, tk.COLON, tk.MULT,
        tk.BRKT, tk.START_LINK,
        # keywords
        tk.STYLE, tk.LINKSTYLE, tk.CLASSDEF, tk.CLASS, tk.CLICK, tk.GRAPH, tk.DIR, tk.SUBGRAPH,
        tk.END, tk.DOWN, tk.UP,
    }
)  # fmt: skip
_STYLE_COMPONENTS = frozenset({tk.NUM, tk.NODE_STRING, tk.COLON, tk.SPACE, tk.BRKT, tk.STYLE})
_ALPHA_NUM_TOKENS = frozenset(
    {tk.NUM, tk.UNICODE_TEXT, tk.NODE_STRING, tk.DIR, tk.DOWN, tk.MINUS, tk.COMMA, tk.COLON,
     tk.AMP, tk.BRKT, tk.MULT}
)  # fmt: skip
# vertex shapes: opener -> [(closer, shape)]
_SHAPES = {
    tk.SQS: ((tk.SQE, "square"),),
    tk.DOUBLECIRCLESTART: ((tk.DOUBLECIRCLEEND, "doublecircle"),),
    tk.ELLIPSE_START: ((tk.ELLIPSE_END, "ellipse"),),
    tk.STADIUMSTART: ((tk.STADIUMEND, "stadium"),),
    tk.SUBROUTINESTART: ((tk.SUBROUTINEEND, "subroutine"),),
    tk.CYLINDERSTART: ((tk.CYLINDEREND, "cylinder"),),
    tk.TAGEND: ((tk.SQE, "odd"),),
    tk.TRAPSTART: ((tk.TRAPEND, "trapezoid"), (tk.INVTRAPEND, "lean_right")),
    tk.INVTRAPSTART: ((tk.INVTRAPEND, "inv_trapezoid"), (tk.TRAPEND, "lean_left")),
}


class _Parser:
    def __init__(self, text: str) -> None:
        self.tokens = tk.FlowLexer(text).tokens()
        self.i = 0
        self.db = _FlowDB()

    # -- token helpers -------------------------------------------------------------------

    def _peek(self, ahead: int = 0) -> int:
        return self.tokens[min(self.i + ahead, len(self.tokens) - 1)][0]

    def _take(self) -> tk.Token:
        token = self.tokens[self.i]
        if token[0] == tk.ERROR:
            raise _FlowError(token[1], token[2])
        if self.i < len(self.tokens) - 1:
            self.i += 1
        return token

    def _expect(self, kind: int) -> tk.Token:
        if self._peek() != kind:
            self._fail(tk.TOKEN_NAMES[kind])
        return self._take()

    def _fail(self, expected: str) -> None:
        kind, text, offset = self.tokens[self.i]
        if kind == tk.ERROR:
            raise _FlowError(text, offset)
        if kind in (tk.END_OF_INPUT, tk.EOF):
            # Something was left open (a bracket, a quote, a subgraph): point at the last
            # thing written rather than past the end of the diagram.
            last = next((t for t in reversed(self.tokens[: self.i]) if t[1].strip()), None)
            where = _first_visible(last[1], last[2]) if last is not None else offset
            raise _FlowError(f"Parse error: expected {expected} before the end of the diagram", where)
        got = repr(text.strip()[:40]) if text.strip() else tk.TOKEN_NAMES[kind]
        raise _FlowError(f"Parse error: expected {expected}, got {got}", _first_visible(text, offset))

    # -- grammar -------------------------------------------------------------------------

    def parse(self) -> None:
        try:
            self._graph_config()
            self._document(top=True)
        except _FlowError:
            if self.db.limit_offset >= 0:
                raise self._edge_limit() from None
            raise
        if self.db.limit_offset >= 0:
            raise self._edge_limit()

    def _edge_limit(self) -> _FlowError:
        return _FlowError(
            f"Edge limit exceeded: more than {MAX_EDGES} edges (Mermaid's maxEdges)", self.db.limit_offset
        )

    def _graph_config(self) -> None:
        while self._peek() in (tk.SPACE, tk.NEWLINE):
            self._take()
        self._expect(tk.GRAPH)
        if self._peek() == tk.NODIR:
            self._take()
            self.db.set_direction("TB")
            return
        direction = self._expect(tk.DIR)[1]
        # FirstStmtSeparator: SEMI | NEWLINE | spaceList NEWLINE
        if self._peek() == tk.SPACE:
            while self._peek() == tk.SPACE:
                self._take()
            self._expect(tk.NEWLINE)
        elif self._peek() in (tk.SEMI, tk.NEWLINE):
            self._take()
        else:
            self._fail("';' or a new line after the direction")
        self.db.set_direction(direction)

    def _document(self, top: bool) -> list[_Item]:
        items: list[_Item] = []
        while True:
            kind = self._peek()
            if kind == tk.END_OF_INPUT:
                if top:
                    return items
                self._fail("end")
            if kind == tk.END and not top:
                return items
            if kind in (tk.SEMI, tk.NEWLINE, tk.SPACE, tk.EOF):
                self._take()
                continue
            self._statement(items)

    def _statement(self, items: list[_Item]) -> None:
        kind = self._peek()
        if tk.is_id_token(kind):
            items.extend(self._vertex_statement())
        elif kind == tk.STYLE:
            self._style_statement()
        elif kind == tk.LINKSTYLE:
            self._link_style_statement()
        elif kind == tk.CLASSDEF:
            self._take()
            self._expect(tk.SPACE)
            self._id_string()
            self._expect(tk.SPACE)
            self._styles()
        elif kind == tk.CLASS:
            self._take()
            self._expect(tk.SPACE)
            self._id_string()
            self._expect(tk.SPACE)
            self._id_string()
        elif kind == tk.CLICK:
            self._click_statement()
        elif kind == tk.SUBGRAPH:
            items.append(self._subgraph())
            return
        elif kind == tk.DIRECTION:
            items.append(_Dir(self._take()[1]))
            return
        elif kind in (tk.ACC_TITLE, tk.ACC_DESCR):
            self._take()
            self._expect(tk.ACC_TITLE_VALUE if kind == tk.ACC_TITLE else tk.ACC_DESCR_VALUE)
            return
        elif kind == tk.ACC_DESCR_MULTILINE_VALUE:
            self._take()
            return
        else:
            self._fail("a statement")
        self._separator()

    def _separator(self) -> None:
        if self._peek() not in _SEPARATORS:
            self._fail("a new line or ';'")
        self._take()

    def _id_string(self) -> tuple[str, int]:
        if not tk.is_id_token(self._peek()):
            self._fail("a node id")
        offset = self.tokens[self.i][2]
        parts = []
        while tk.is_id_token(self._peek()):
            parts.append(self._take()[1])
        return "".join(parts), offset

    def _space_list(self) -> None:
        self._expect(tk.SPACE)
        while self._peek() == tk.SPACE:
            self._take()

    def _shape_data(self) -> str:
        parts = []
        while self._peek() == tk.SHAPE_DATA:
            parts.append(self._take()[1])
        return "".join(parts)

    def _skip_spaces_then(self, kind: int) -> bool:
        """Whether SPACE+ followed by ``kind`` comes next (without consuming)."""
        j = 0
        while self._peek(j) == tk.SPACE:
            j += 1
        return j > 0 and self._peek(j) == kind

    # vertexStatement (productions 45-52)
    def _vertex_statement(self) -> list[str]:
        group, metadata = self._node()
        nodes = list(group)
        self._after_node(group, metadata)
        while self._peek() in _LINK_STARTS:
            link = self._link()
            target, metadata = self._node()
            if metadata is not None:
                self.db.add_vertex(target[-1], self._offset(), metadata=metadata)
            self.db.add_link(group, target, link)
            if self._peek() == tk.SPACE:
                self._space_list()
            nodes = target + nodes
            group = target
        return nodes

    def _after_node(self, group: list[str], metadata: str | None) -> None:
        if metadata is not None:
            self.db.add_vertex(group[-1], self._offset(), metadata=metadata)
        if self._peek() == tk.SPACE:
            self._space_list()

    def _offset(self) -> int:
        return self.tokens[self.i][2]

    # node (53-55): styledVertex, joined by ' & '
    def _node(self) -> tuple[list[str], str | None]:
        group = [self._styled_vertex()]
        while True:
            if self._peek() == tk.SHAPE_DATA:
                metadata = self._shape_data()
                if not self._skip_spaces_then(tk.AMP):
                    return group, metadata
                self._space_list()
                self._take()  # AMP
                self._space_list()
                group.append(self._styled_vertex())
                self.db.add_vertex(group[-2], self._offset(), metadata=metadata)
            elif self._skip_spaces_then(tk.AMP):
                self._space_list()
                self._take()
                self._space_list()
                group.append(self._styled_vertex())
            else:
                return group, None

    def _styled_vertex(self) -> str:
        vid = self._vertex()
        if self._peek() == tk.STYLE_SEPARATOR:
            self._take()
            self._id_string()
        return vid

    # vertex (58-74)
    def _vertex(self) -> str:
        vid, offset = self._id_string()
        kind = self._peek()
        db = self.db
        if kind == tk.PS:
            self._take()
            if self._peek() == tk.PS:
                self._take()
                text = self._text()
                self._expect(tk.PE)
                self._expect(tk.PE)
                db.add_vertex(vid, offset, text, "circle")
            else:
                text = self._text()
                self._expect(tk.PE)
                db.add_vertex(vid, offset, text, "round")
        elif kind == tk.DIAMOND_START:
            self._take()
            if self._peek() == tk.DIAMOND_START:
                self._take()
                text = self._text()
                self._expect(tk.DIAMOND_STOP)
                self._expect(tk.DIAMOND_STOP)
                db.add_vertex(vid, offset, text, "hexagon")
            else:
                text = self._text()
                self._expect(tk.DIAMOND_STOP)
                db.add_vertex(vid, offset, text, "diamond")
        elif kind == tk.VERTEX_WITH_PROPS_START:
            self._take()
            self._expect(tk.NODE_STRING)
            self._expect(tk.COLON)
            self._expect(tk.NODE_STRING)
            self._expect(tk.PIPE)
            text = self._text()
            self._expect(tk.SQE)
            db.add_vertex(vid, offset, text, "rect")
        elif kind in _SHAPES:
            self._take()
            text = self._text()
            closers = _SHAPES[kind]
            for closer, shape in closers:
                if self._peek() == closer:
                    self._take()
                    db.add_vertex(vid, offset, text, shape)
                    break
            else:
                self._fail(" or ".join(tk.TOKEN_NAMES[c] for c, _ in closers))
        else:
            db.add_vertex(vid, offset)
        return vid

    def _text(self) -> _Text:
        """``text``: STR / MD_STR / a text token, then more text tokens."""
        kind = self._peek()
        if kind == tk.STR:
            result = _Text(self._take()[1], "string")
        elif kind == tk.MD_STR:
            result = _Text(self._take()[1], "markdown")
        elif kind in _TEXT_TOKENS:
            result = _Text(self._take()[1], "text")
        else:
            self._fail("label text")
        parts = [result.text]
        while self._peek() in _TEXT_TOKENS:
            parts.append(self._take()[1])
        result.text = "".join(parts)
        return result

    # link (75-87)
    def _link(self) -> _Link:
        link_id = None
        if self._peek() == tk.LINK_ID:
            link_id = self._take()[1]
        offset = _first_visible(self.tokens[self.i][1], self._offset())
        if self._peek() == tk.START_LINK:
            start = self._take()[1]
            text = self._edge_text()
            end = self._expect(tk.LINK)[1]
            link = destruct_link(end, start)
            link.text = text
        else:
            link = destruct_link(self._expect(tk.LINK)[1])
            if self._peek() == tk.PIPE:
                self._take()
                link.text = self._text()
                self._expect(tk.PIPE)
                if self._peek() == tk.SPACE:
                    self._take()
        link.id = link_id
        link.offset = offset
        return link

    def _edge_text(self) -> _Text:
        kind = self._peek()
        if kind == tk.STR:
            result = _Text(self._take()[1], "string")
        elif kind == tk.MD_STR:
            result = _Text(self._take()[1], "markdown")
        elif kind in _EDGE_TEXT_TOKENS:
            result = _Text(self._take()[1], "text")
        else:
            self._fail("link text")
        parts = [result.text]
        while self._peek() in _EDGE_TEXT_TOKENS:
            parts.append(self._take()[1])
        result.text = "".join(parts)
        return result

    # subgraph (33-35)
    def _subgraph(self) -> str:
        offset = self._take()[2]
        if self._peek() != tk.SPACE:
            self._separator()
            items = self._document(top=False)
            self._expect(tk.END)
            # Mermaid's addSubGraph(undefined, ...) throws reading `undefined.text`.
            raise _FlowError("A subgraph needs an id or a title", offset)
        self._take()
        name = self._text_no_tags()
        title, same = name, True
        if self._peek() == tk.SQS:
            self._take()
            title, same = self._text(), False
            self._expect(tk.SQE)
        self._separator()
        items = self._document(top=False)
        self._expect(tk.END)
        return self.db.add_subgraph(name, items, title, same, offset)

    def _text_no_tags(self) -> _Text:
        kind = self._peek()
        if kind == tk.STR:
            result = _Text(self._take()[1], "text")
        elif kind == tk.MD_STR:
            result = _Text(self._take()[1], "markdown")
        elif kind in _TEXT_NO_TAGS_TOKENS:
            result = _Text(self._take()[1], "text")
        else:
            self._fail("a subgraph name")
        parts = [result.text]
        while self._peek() in _TEXT_NO_TAGS_TOKENS:
            parts.append(self._take()[1])
        result.text = "".join(parts)
        return result

    # styles (108, 122-134)
    def _style_statement(self) -> None:
        self._take()
        self._expect(tk.SPACE)
        vid, offset = self._id_string()
        self._expect(tk.SPACE)
        self._styles()
        self.db.add_vertex(vid, offset)

    def _styles(self) -> None:
        while True:
            if self._peek() not in _STYLE_COMPONENTS:
                self._fail("a style")
            while self._peek() in _STYLE_COMPONENTS:
                self._take()
            if self._peek() != tk.COMMA:
                return
            self._take()

    def _link_style_statement(self) -> None:
        offset = self._take()[2]
        self._expect(tk.SPACE)
        if self._peek() == tk.DEFAULT:
            self._take()
            positions = ["default"]
        else:
            positions = [self._expect(tk.NUM)[1]]
            while self._peek() == tk.COMMA:
                self._take()
                positions.append(self._expect(tk.NUM)[1])
        self._expect(tk.SPACE)
        if self._peek() == tk.INTERPOLATE:
            self._take()
            self._expect(tk.SPACE)
            self._alpha_num()
            self.db.check_link_positions(positions, offset)
            if self._peek() == tk.SPACE:
                self._take()
                self._styles()
            return
        self._styles()
        self.db.check_link_positions(positions, offset)

    def _alpha_num(self) -> None:
        if self._peek() not in _ALPHA_NUM_TOKENS:
            self._fail("a name")
        while self._peek() in _ALPHA_NUM_TOKENS:
            self._take()

    # click (109-122)
    def _click_statement(self) -> None:
        self._take()
        kind = self._peek()
        if kind == tk.CALLBACKNAME:
            self._take()
            if self._peek() == tk.CALLBACKARGS:
                self._take()
            self._optional_tooltip()
        elif kind == tk.HREF:
            self._take()
            self._expect(tk.STR)
            self._optional_link_tail()
        elif kind in _ALPHA_NUM_TOKENS:
            self._alpha_num()
            self._optional_tooltip()
        elif kind == tk.STR:
            self._take()
            self._optional_link_tail()
        else:
            self._fail("a click action")

    def _optional_tooltip(self) -> None:
        if self._peek() == tk.SPACE:
            self._take()
            self._expect(tk.STR)

    def _optional_link_tail(self) -> None:
        """After a link: ``[SPACE STR] [SPACE LINK_TARGET]``."""
        if self._peek() != tk.SPACE:
            return
        self._take()
        if self._peek() == tk.LINK_TARGET:
            self._take()
            return
        self._expect(tk.STR)
        if self._peek() == tk.SPACE:
            self._take()
            self._expect(tk.LINK_TARGET)


def _first_visible(text: str, offset: int) -> int:
    """Offset of the first non-whitespace character of a token (links start with spaces)."""
    stripped = len(text) - len(text.lstrip("".join(JS_SPACE)))
    return offset + stripped if stripped < len(text) else offset


def destruct_link(end: str, start: str | None = None) -> _Link:
    """Mermaid's ``destructLink``: arrow type, stroke and length from the link's characters."""
    info = _destruct_end(end)
    if start is None:
        return info
    start = js_trim(start)
    start_type = "arrow_open"
    if start[:1] in _START_HEADS:
        start_type = _START_HEADS[start[:1]]
        start = start[1:]
    start_stroke = "dotted" if "." in start else "thick" if "=" in start else "normal"
    if start_stroke != info.stroke:
        return _Link("INVALID", "INVALID", 0)
    if start_type == "arrow_open":
        start_type = info.type
    elif start_type != info.type:
        return _Link("INVALID", "INVALID", 0)
    else:
        start_type = "double_" + start_type
    if start_type == "double_arrow":
        start_type = "double_arrow_point"
    return _Link(start_type, start_stroke, info.length)


_START_HEADS = {"<": "arrow_point", "x": "arrow_cross", "o": "arrow_circle"}
_END_HEADS = {"x": ("arrow_cross", "x"), ">": ("arrow_point", "<"), "o": ("arrow_circle", "o")}


def _destruct_end(raw: str) -> _Link:
    text = js_trim(raw)
    line = text[:-1]
    link_type = "arrow_open"
    head = _END_HEADS.get(text[-1:])
    if head is not None:
        link_type = head[0]
        if text.startswith(head[1]):
            link_type = "double_" + link_type
            line = line[1:]
    stroke = "normal"
    length = len(line) - 1
    if line.startswith("="):
        stroke = "thick"
    if line.startswith("~"):
        stroke = "invisible"
    dots = line.count(".")
    if dots:
        stroke = "dotted"
        length = dots
    return _Link(link_type, stroke, length)
