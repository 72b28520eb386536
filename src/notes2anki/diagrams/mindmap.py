"""Mermaid mindmaps: ``mindmap.jison`` (as compiled into mermaid@12.3.0) and ``MindmapDB``.

A mindmap is an indented outline. Mermaid measures each line's indentation in
characters, makes the first node the root, and hangs every later node under the last
node indented less than it; a second node at the root's indentation is an error
("There can be only one root"). Nodes come out in source order with their parent and
depth, and the tree as parent -> child edges. Ids are Mermaid's node counters ("0",
"1", ...), since the same text may label many nodes.
"""

from __future__ import annotations

from notes2anki.diagrams.chars import JS_SPACE, at_word_boundary, skip_space
from notes2anki.diagrams.labels import display
from notes2anki.diagrams.model import Diagram, Edge, Node
from notes2anki.diagrams.source import MermaidSyntaxError, Prepared

# tokens
SPACELINE, NL, MINDMAP, EOF, SPACELIST, ICON, CLASS, DSTART, DESCR, DEND, NODE_ID, END, ERROR = range(13)
_NAMES = ("a blank line", "a new line", "mindmap", "the end", "indentation", "an icon", "a class", "a node shape",
          "a node description", "the end of the node shape", "a node", "the end", "an error")  # fmt: skip
# states
_INITIAL, _NODE, _NSTR, _NSTR2, _ICON, _CLASS = range(6)

_TYPES = {"[": "rect", "((": "circle", ")": "cloud", "))": "bang", "{{": "hexagon"}

Token = tuple[int, str, int]


def _lex(text: str) -> list[Token]:
    out: list[Token] = []
    states = [_INITIAL]
    n = len(text)
    pos = 0

    while pos < n:
        state = states[-1]
        ch = text[pos]
        kind, end = -1, -1
        if state == _INITIAL:
            w = skip_space(text, pos)
            if text.startswith("%%", w):  # 0: comment, returned as SPACELINE
                eol = text.find("\n", w)
                kind, end = SPACELINE, n if eol == -1 else eol
            elif text[pos : pos + 7].lower() == "mindmap" and at_word_boundary(text, pos + 7):
                kind, end = MINDMAP, pos + 7
            elif text.startswith(":::", pos):
                states.append(_CLASS)
                end = pos + 3
            elif text.startswith("::icon(", pos):
                states.append(_ICON)
                end = pos + 7
            elif ch in JS_SPACE and text.rfind("\n", pos + 1, w) != -1:  # 6: [\s]+[\n]
                kind, end = SPACELINE, text.rfind("\n", pos + 1, w) + 1
            elif ch == "\n":
                end = pos
                while end < n and text[end] == "\n":
                    end += 1
                kind = NL
            elif text.startswith(("-)", "(-", "))"), pos):
                kind, end = DSTART, pos + 2
            elif ch == ")":
                kind, end = DSTART, pos + 1
            elif text.startswith(("((", "{{"), pos):
                kind, end = DSTART, pos + 2
            elif ch in "([":
                kind, end = DSTART, pos + 1
            elif ch in JS_SPACE:
                kind, end = SPACELIST, w
            else:
                end = pos
                while end < n and text[end] not in "([\n){}":
                    end += 1
                if end > pos:
                    kind = NODE_ID
            if kind == DSTART:
                states.append(_NODE)
        elif state == _NODE:
            if text.startswith('"`', pos):
                states.append(_NSTR2)
                end = pos + 2
            elif ch == '"':
                states.append(_NSTR)
                end = pos + 1
            elif text.startswith(("))", "}}", "(-", "-)", "(("), pos):
                kind, end = DEND, pos + 2
            elif ch in ")](":
                kind, end = DEND, pos + 1
            else:
                end = pos
                while end < n and text[end] not in ")](}":
                    end += 1
                if end == pos:  # 36: `.+` to the end of the line
                    end = pos
                    while end < n and text[end] not in "\n\r\u2028\u2029":
                        end += 1
                kind = DESCR if end > pos else -1
            if kind == DEND:
                states.pop()
        elif state in (_NSTR, _NSTR2):
            closer = '"' if state == _NSTR else '`"'
            if text.startswith(closer, pos):
                states.pop()
                end = pos + len(closer)
            else:
                end = pos
                stops = '"' if state == _NSTR else '`"'
                while end < n and text[end] not in stops:
                    end += 1
                kind = DESCR
                if end == pos:
                    end = -1
        elif state == _ICON:
            if ch == ")":
                states.pop()
                end = pos + 1
            else:
                end = text.find(")", pos)
                kind, end = ICON, n if end == -1 else end
        else:  # _CLASS
            states.pop()
            if ch == "\n":
                end = pos + 1
            else:
                eol = pos
                while eol < n and text[eol] not in "\n\r\u2028\u2029":
                    eol += 1
                kind, end = CLASS, eol
        if end < 0 or (end <= pos and kind < 0):
            out.append((ERROR, f"Lexical error: unrecognised text {text[pos:pos + 10]!r}", pos))
            return out
        if kind >= 0:
            out.append((kind, text[pos:end], pos))
        pos = end
    if states[-1] == _INITIAL:
        out.append((EOF, "", n))
    out.append((END, "", n))
    return out


class _Tree:
    """``MindmapDB.addNode``: levels, the single root, parents.

    Mermaid's ``getParent`` scans back for the last node indented less than the new one;
    a stack of the nodes that can still be that answer (levels strictly rising) finds it
    in amortised constant time.
    """

    def __init__(self) -> None:
        self.open: list[int] = []  # indexes of nodes that can still be a parent
        self.levels: list[int] = []
        self.parents: list[int | None] = []
        self.labels: list[str] = []
        self.types: list[str] = []
        self.offsets: list[int] = []
        self.base: int | None = None

    def add(self, level: int, descr: str, node_type: str, offset: int) -> None:
        if not self.levels:
            self.base = level
            level = 0
            parent = None
        else:
            assert self.base is not None
            level -= self.base
            while self.open and self.levels[self.open[-1]] >= level:
                self.open.pop()
            if not self.open:
                raise _MindmapError(f'There can be only one root. No parent could be found for ("{descr}")', offset)
            parent = self.open[-1]
        self.open.append(len(self.levels))
        self.levels.append(level)
        self.parents.append(parent)
        self.labels.append(descr)
        self.types.append(node_type)
        self.offsets.append(offset)


class _MindmapError(Exception):
    def __init__(self, message: str, offset: int) -> None:
        super().__init__(message)
        self.message = message
        self.offset = offset


def parse_mindmap(prepared: Prepared, first_line: int) -> Diagram:
    """The mindmap in ``prepared``, or :class:`MermaidSyntaxError`."""
    text = prepared.text
    line_of = prepared.line_of_offset

    tree = _Tree()
    try:
        _Parser(_lex(text), tree).parse()
    except _MindmapError as exc:
        raise MermaidSyntaxError(exc.message, line_of(exc.offset)) from None
    depths: list[int] = []
    nodes = []
    for i, parent in enumerate(tree.parents):
        depths.append(0 if parent is None else depths[parent] + 1)
        nodes.append(
            Node(
                id=str(i),
                label=display(tree.labels[i], markdown=True),  # Mermaid renders mindmap text as markdown
                shape=tree.types[i],
                line=first_line + line_of(tree.offsets[i]),
                parent=None if parent is None else str(parent),
                depth=depths[i],
            )
        )
    edges = tuple(
        Edge(str(p), str(i), "", "arrow_open", "normal", 1, nodes[i].line)
        for i, p in enumerate(tree.parents)
        if p is not None
    )
    return Diagram("mindmap", None, first_line, tuple(nodes), edges, title=prepared.title)


class _Parser:
    def __init__(self, tokens: list[Token], tree: _Tree) -> None:
        self.tokens = tokens
        self.i = 0
        self.tree = tree

    def _peek(self) -> int:
        return self.tokens[self.i][0]

    def _take(self) -> Token:
        token = self.tokens[self.i]
        self._check(token)
        self.i = min(self.i + 1, len(self.tokens) - 1)
        return token

    def _check(self, token: Token) -> None:
        if token[0] == ERROR:
            raise _MindmapError(token[1], token[2])

    def _fail(self, expected: str) -> None:
        token = self.tokens[self.i]
        self._check(token)
        raise _MindmapError(f"Parse error: expected {expected}, got {_NAMES[token[0]]}", token[2])

    def parse(self) -> None:
        if self._peek() == SPACELINE:
            while self._peek() in (SPACELINE, NL):
                self._take()
        if self._peek() != MINDMAP:
            self._fail("mindmap")
        self._take()
        if self._peek() == NL:
            self._take()
        statements = 0
        while self._peek() != END or statements == 0:
            self._statement()
            statements += 1
            if self._peek() not in (NL, EOF, SPACELINE):
                self._fail("a new line")
            self._take()
            while self._peek() in (NL, EOF):
                self._take()

    def _statement(self) -> None:
        kind = self._peek()
        level = 0
        if kind == SPACELIST:
            level = len(self._take()[1])
            kind = self._peek()
            if kind not in (NODE_ID, DSTART, ICON, CLASS):
                return
        if kind in (NODE_ID, DSTART):
            self._node(level)
        elif kind in (ICON, CLASS, SPACELINE):
            self._take()
        else:
            self._fail("a node")

    def _node(self, level: int) -> None:
        offset = self.tokens[self.i][2]
        if self._peek() == NODE_ID:
            node_id = self._take()[1]  # only names the node in Mermaid's db
            if self._peek() != DSTART:
                self.tree.add(level, node_id, "default", offset)
                return
        start = self._take()[1]
        if self._peek() != DESCR:
            self._fail("a node description")
        descr = self._take()[1]
        if self._peek() != DEND:
            self._fail("the end of the node shape")
        end = self._take()[1]
        node_type = _TYPES.get(start, "default")
        if start == "(":
            node_type = "rounded_rect" if end == ")" else "cloud"
        self.tree.add(level, descr, node_type, offset)
