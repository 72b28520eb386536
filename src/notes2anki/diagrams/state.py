"""Mermaid state diagrams (``stateDiagram``/``stateDiagram-v2``): ``stateDiagram.jison`` as
compiled into mermaid@12.3.0, and the states and transitions ``StateDB`` derives.

States become nodes (label: the first description — ``state "Long name" as s1`` or
``s1 : text`` — else the id; shape: ``default``, ``start``, ``end``, ``fork``, ``join``,
``choice``, ``composite``; parent: the enclosing composite state), transitions become
edges with their ``: label``. ``[*]`` is Mermaid's start or end pseudo-state: it gets
Mermaid's id (``root_start``, ``Parent_end``) and the label ``[*]``. Notes are kept.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from notes2anki.diagrams.chars import JS_SPACE, at_word_boundary, is_word, js_trim, line_end, skip_space
from notes2anki.diagrams.flowchart_lexer import DirectionIndex
from notes2anki.diagrams.labels import display
from notes2anki.diagrams.model import Diagram, Edge, Node, Note
from notes2anki.diagrams.source import MermaidSyntaxError, Prepared

# tokens
(
    NL, SD, DESCR, ARROW, HIDE_EMPTY, SCALE, WIDTH, COMPOSIT_STATE, STRUCT_START, STRUCT_STOP,
    STATE_DESCR, AS, ID, FORK, JOIN, CHOICE, CONCURRENT, NOTE, LEFT_OF, RIGHT_OF, NOTE_TEXT,
    DIRECTION, ACC_TITLE, ACC_TITLE_VALUE, ACC_DESCR, ACC_DESCR_VALUE, ACC_DESCR_MULTILINE_VALUE,
    CLICK, STRING, HREF, CLASSDEF, CLASSDEF_ID, CLASSDEF_STYLEOPTS, DEFAULT, STYLE, STYLE_IDS,
    STYLEDEF_STYLEOPTS, CLASS, CLASSENTITY_IDS, STYLECLASS, EDGE_STATE, STYLE_SEPARATOR,
    INVALID, END_OF_INPUT, ERROR,
) = range(45)  # fmt: skip
# states
(
    _INITIAL, _STATE, _STATE_STRING, _STATE_ID, _STRUCT, _NOTE, _NOTE_ID, _NOTE_TEXT,
    _FLOATING_NOTE, _FLOATING_NOTE_ID, _CLASSDEF, _CLASSDEFID, _CLASS, _CLASS_STYLE, _STYLE,
    _STYLEDEF_STYLES, _SCALE, _ACC_TITLE, _ACC_DESCR, _ACC_MULTI,
) = range(20)  # fmt: skip
_DIRS = ("TB", "BT", "RL", "LR")
_SPECIAL = (("<<fork>>", FORK), ("<<join>>", JOIN), ("<<choice>>", CHOICE),
            ("[[fork]]", FORK), ("[[join]]", JOIN), ("[[choice]]", CHOICE))  # fmt: skip

Token = tuple[int, str, int]


class _StateSyntaxError(Exception):
    def __init__(self, message: str, offset: int) -> None:
        super().__init__(message)
        self.message = message
        self.offset = offset


class _Lexer:
    def __init__(self, text: str) -> None:
        self.text = text
        self.low = text.lower()
        self.n = len(text)
        self.states = [_INITIAL]
        self.directions = DirectionIndex(text, _DIRS, ignore_case=True) if "direction" in self.low else None
        self._last_cache: dict[tuple[str, int], int] = {}

    def _push(self, state: int) -> None:
        self.states.append(state)

    def _pop(self) -> None:
        if len(self.states) > 1:
            self.states.pop()

    def _word(self, pos: int, word: str) -> bool:
        return self.low.startswith(word, pos) and at_word_boundary(self.text, pos + len(word))

    def _ws_end(self, pos: int) -> int:
        return skip_space(self.text, pos)

    def _line_end(self, pos: int) -> int:
        return line_end(self.text, pos)

    def _last_on_line(self, marker: str, line_end: int) -> int:
        """Last ``marker`` on the line ending at ``line_end`` (cached: tokens revisit a line)."""
        key = (marker, line_end)
        found = self._last_cache.get(key)
        if found is None:
            start = self.text.rfind("\n", 0, line_end) + 1
            found = self._last_cache[key] = self.low.rfind(marker, start, line_end)
        return found

    def tokens(self) -> list[Token]:
        out: list[Token] = []
        pos = 0
        tried_end = False
        while True:
            if pos >= self.n:
                if tried_end:
                    out.append((END_OF_INPUT, "", self.n))
                    return out
                tried_end = True
                state = self.states[-1]
                if state == _INITIAL:
                    out.append((NL, "", self.n))
                elif state in (_STATE_ID, _FLOATING_NOTE_ID, _CLASSDEFID, _CLASS_STYLE, _STYLEDEF_STYLES):
                    kind = {_STATE_ID: ID, _FLOATING_NOTE_ID: ID, _CLASSDEFID: CLASSDEF_STYLEOPTS,
                            _CLASS_STYLE: STYLECLASS, _STYLEDEF_STYLES: STYLEDEF_STYLEOPTS}[state]  # fmt: skip
                    self._pop()
                    out.append((kind, "", self.n))
                elif state in (_ACC_TITLE, _ACC_DESCR, _ACC_MULTI):
                    out.append(({_ACC_TITLE: ACC_TITLE_VALUE, _ACC_DESCR: ACC_DESCR_VALUE}.get(
                        state, ACC_DESCR_MULTILINE_VALUE), "", self.n))  # fmt: skip
                    if state != _ACC_MULTI:
                        self._pop()
                continue
            found = self._next(pos)
            if found is None:
                out.append((ERROR, f"Lexical error: unrecognised text {self.text[pos:pos + 10]!r}", pos))
                return out
            kind, end, value = found
            if kind == ERROR:
                out.append((ERROR, value or "", pos))
                return out
            if kind >= 0:
                out.append((kind, self.text[pos:end] if value is None else value, pos))
            pos = end

    def _process_id(self, start: int, end: int) -> tuple[int, int, str | None] | None:
        """Mermaid's ``processId``: an id stops at ``%%`` (the rest is lexed again)."""
        value = self.text[start:end]
        idx = value.find("%%")
        if idx == 0:
            return None
        if idx > 0:
            end = start + idx
        return (ID, end, self.text[start:end])

    def _next(self, pos: int) -> tuple[int, int, str | None] | None:
        text, low, n = self.text, self.low, self.n
        state = self.states[-1]
        ch = text[pos]
        if state in (_STATE, _STRUCT):
            if ch in JS_SPACE and ch != "\n":  # 10
                end = pos
                while end < n and text[end] in JS_SPACE and text[end] != "\n":
                    end += 1
                return (-1, end, None)
            if ch == "#" or (low.startswith("%%", pos) and not text.startswith("%%{", pos)):  # 11, 12
                return (-1, self._line_end(pos), None)
        if state in (_INITIAL, _STRUCT):
            return self._main(pos, state == _STRUCT)
        if state == _STATE:
            line_end = self._line_end(pos)
            for marker, kind in _SPECIAL:  # 37-42: `.*<<fork>>` (the last one on the line)
                at = self._last_on_line(marker, line_end)
                if at >= pos:
                    self._pop()
                    return (kind, at + len(marker), js_trim(text[pos:at]))
            if ch == '"':
                self._push(_STATE_STRING)
                return (-1, pos + 1, None)
            w = self._ws_end(pos)
            if low.startswith("as", w) and w + 2 < n and text[w + 2] in JS_SPACE:  # 48
                self._push(_STATE_ID)
                return (AS, self._ws_end(w + 2), None)
            if _single_word_error(text, pos, line_end):  # 52
                name = js_trim(text[pos : text.find("{", pos) + 1])
                return (ERROR, pos, f'Error: State name must be a single word. Found: "{name}"')
            end = pos
            while end < n and text[end] not in "\n{" and text[end] not in JS_SPACE:
                end += 1
            if end > pos:
                return (COMPOSIT_STATE, end, None)
            if ch == "\n":
                self._pop()
                return (-1, pos + 1, None)
            if ch == "{":
                self._pop()
                self._push(_STRUCT)
                return (STRUCT_START, pos + 1, None)
            return None
        if state == _STATE_STRING:
            if ch == '"':
                self._pop()
                return (-1, pos + 1, None)
            end = text.find('"', pos)
            return (STATE_DESCR, n if end == -1 else end, None)
        if state in (_STATE_ID, _FLOATING_NOTE_ID):
            stop = "\n{" if state == _STATE_ID else "\n"
            end = pos
            while end < n and text[end] not in stop:
                end += 1
            found = self._process_id(pos, end)
            if found is None:  # an id starting with %% is dropped, and the state stays
                return (-1, end, None)
            self._pop()
            return found
        if state == _NOTE:
            for word, kind in (("left of", LEFT_OF), ("right of", RIGHT_OF)):
                if self._word(pos, word):
                    self._pop()
                    self._push(_NOTE_ID)
                    return (kind, pos + len(word), None)
            if ch == '"':
                self._pop()
                self._push(_FLOATING_NOTE)
                return (-1, pos + 1, None)
            return None
        if state == _NOTE_ID:  # 66 `\s*[^:\n\s\-]+`
            start = self._ws_end(pos)
            end = start
            while end < n and text[end] not in ":\n-" and text[end] not in JS_SPACE:
                end += 1
            if end == start:
                return None
            found = self._process_id(pos, end)
            if found is None:
                return (-1, end, None)
            self._pop()
            self._push(_NOTE_TEXT)
            return found
        if state == _NOTE_TEXT:
            return self._note_text(pos)
        if state == _FLOATING_NOTE:
            w = self._ws_end(pos)
            if low.startswith("as", w):
                self._pop()
                self._push(_FLOATING_NOTE_ID)
                return (AS, self._ws_end(w + 2), None)
            if ch == '"':
                return (-1, pos + 1, None)
            end = text.find('"', pos)
            return (NOTE_TEXT, n if end == -1 else end, None)
        if state == _CLASSDEF:
            end = pos
            while end < n and is_word(text[end]):
                end += 1
            w = self._ws_end(end)
            if end > pos and w > end:
                if low.startswith("default", pos) and end == pos + 7:
                    return (ERROR, pos, "Parse error: unexpected DEFAULT_CLASSDEF_ID")
                self._pop()
                self._push(_CLASSDEFID)
                return (CLASSDEF_ID, w, None)
            return None
        if state in (_CLASSDEFID, _CLASS_STYLE, _STYLEDEF_STYLES):
            self._pop()
            kind = {_CLASSDEFID: CLASSDEF_STYLEOPTS, _CLASS_STYLE: STYLECLASS}.get(state, STYLEDEF_STYLEOPTS)
            return (kind, self._line_end(pos), None)
        if state == _CLASS:  # 28 `(\w+)+((,\s*\w+)*)`
            end = pos
            while end < n and is_word(text[end]):
                end += 1
            if end == pos:
                return None
            while end < n and text[end] == ",":
                j = self._ws_end(end + 1)
                k = j
                while k < n and is_word(text[k]):
                    k += 1
                if k == j:
                    break
                end = k
            self._pop()
            self._push(_CLASS_STYLE)
            return (CLASSENTITY_IDS, end, None)
        if state == _STYLE:  # 31 `[\w,]+\s+`
            end = pos
            while end < n and (is_word(text[end]) or text[end] == ","):
                end += 1
            w = self._ws_end(end)
            if end == pos or w == end:
                return None
            self._pop()
            self._push(_STYLEDEF_STYLES)
            return (STYLE_IDS, w, None)
        if state == _SCALE:
            if ch.isascii() and ch.isdigit():
                end = pos
                while end < n and text[end].isascii() and text[end].isdigit():
                    end += 1
                return (WIDTH, end, None)
            w = self._ws_end(pos)
            if w > pos and self._word(w, "width"):
                self._pop()
                return (-1, w + 5, None)
            return None
        if state in (_ACC_TITLE, _ACC_DESCR):
            self._pop()
            return (ACC_TITLE_VALUE if state == _ACC_TITLE else ACC_DESCR_VALUE, self._line_end(pos), None)
        if state == _ACC_MULTI:
            if ch == "}":
                self._pop()
                return (-1, pos + 1, None)
            end = text.find("}", pos)
            return (ACC_DESCR_MULTILINE_VALUE, n if end == -1 else end, None)
        return None

    def _note_text(self, pos: int) -> tuple[int, int, str | None] | None:
        text, n = self.text, self.n
        w = self._ws_end(pos)
        if w < n and text[w] == ":":  # 67 `\s*:[^:\n;]+`
            end = w + 1
            while end < n and text[end] not in ":\n;":
                end += 1
            if end > w + 1:
                self._pop()
                return (NOTE_TEXT, end, js_trim(text[pos:end][2:]))
        # 68 `[\s\S]*?\n\s*end note\b`: the first `end note` alone after a line break
        at = self.low.find("end note", pos)
        while at != -1:
            j = at
            while j > pos and text[j - 1] in JS_SPACE and text[j - 1] != "\n":
                j -= 1
            if j > pos and text[j - 1] == "\n" and at_word_boundary(text, at + 8):
                self._pop()
                return (NOTE_TEXT, at + 8, js_trim(text[pos:at]))
            if j > pos and text[j - 1] in JS_SPACE:  # more blank lines before: still `\n\s*`
                k = j - 1
                while k > pos and text[k - 1] in JS_SPACE:
                    k -= 1
                if "\n" in text[k:at] and at_word_boundary(text, at + 8):
                    self._pop()
                    return (NOTE_TEXT, at + 8, js_trim(text[pos:at]))
            at = self.low.find("end note", at + 1)
        return None

    def _main(self, pos: int, in_struct: bool) -> tuple[int, int, str | None] | None:
        text, low, n = self.text, self.low, self.n
        ch = text[pos]
        if not in_struct:
            if self._word(pos, "click"):
                return (CLICK, pos + 5, None)
            if self._word(pos, "href"):
                return (HREF, pos + 4, None)
            if ch == '"':
                end = text.find('"', pos + 1)
                if end != -1:
                    return (STRING, end + 1, None)
            if self._word(pos, "default"):
                return (DEFAULT, pos + 7, None)
        if in_struct:
            for word, kind, state in (("classdef", CLASSDEF, _CLASSDEF), ("class", CLASS, _CLASS),
                                      ("style", STYLE, _STYLE)):  # fmt: skip
                if low.startswith(word, pos) and pos + len(word) < n and text[pos + len(word)] in JS_SPACE:
                    self._push(state)
                    return (kind, self._ws_end(pos + len(word)), None)
            if low.startswith("state", pos) and pos + 5 < n and text[pos + 5] in JS_SPACE:
                self._push(_STATE)
                return (-1, self._ws_end(pos + 5), None)
        if self.directions is not None and ch not in "\n\r\u2028\u2029":
            hit = self.directions.match(pos)
            if hit is not None:
                return (DIRECTION, hit[1], hit[0])
        if in_struct:
            if ch == "}":
                self._pop()
                return (STRUCT_STOP, pos + 1, None)
            if ch == "\n":
                return (-1, pos + 1, None)
        else:
            if ch == "\n":
                end = pos
                while end < n and text[end] == "\n":
                    end += 1
                return (NL, end, None)
            if ch in JS_SPACE:
                return (-1, self._ws_end(pos), None)
            if ch == "#" or (text.startswith("%%", pos) and not text.startswith("%%{", pos)):
                return (-1, self._line_end(pos), None)
            if low.startswith("scale", pos) and pos + 5 < n and text[pos + 5] in JS_SPACE:
                self._push(_SCALE)
                return (SCALE, self._ws_end(pos + 5), None)
            found = self._acc(pos)
            if found is not None:
                return found
            for word, kind, state in (("classdef", CLASSDEF, _CLASSDEF), ("class", CLASS, _CLASS),
                                      ("style", STYLE, _STYLE)):  # fmt: skip
                if low.startswith(word, pos) and pos + len(word) < n and text[pos + len(word)] in JS_SPACE:
                    self._push(state)
                    return (kind, self._ws_end(pos + len(word)), None)
            if low.startswith("state", pos) and pos + 5 < n and text[pos + 5] in JS_SPACE:
                self._push(_STATE)
                return (-1, self._ws_end(pos + 5), None)
            if ch == "{":
                self._pop()
                self._push(_STRUCT)
                return (STRUCT_START, pos + 1, None)
        if low.startswith("note", pos) and pos + 4 < n and text[pos + 4] in JS_SPACE:
            self._push(_NOTE)
            return (NOTE, self._ws_end(pos + 4), None)
        if not in_struct:
            for word in ("statediagram-v2", "statediagram"):
                if low.startswith(word, pos) and pos + len(word) < n and text[pos + len(word)] in JS_SPACE:
                    return (SD, self._ws_end(pos + len(word)), None)
            if self._word(pos, "hide empty description"):
                return (HIDE_EMPTY, pos + 22, None)
        if text.startswith("[*]", pos):
            return (EDGE_STATE, pos + 3, None)
        end = pos
        while end < n and text[end] not in ":\n-{" and text[end] not in JS_SPACE:
            end += 1
        if end > pos:
            found = self._process_id(pos, end)
            return (-1, end, None) if found is None else found
        descr = self._descr(pos)
        if descr > pos:
            return (DESCR, descr, js_trim(text[pos:descr]))
        if text.startswith("-->", pos):
            return (ARROW, pos + 3, None)
        if in_struct and text.startswith("--", pos):
            return (CONCURRENT, pos + 2, None)
        if text.startswith(":::", pos):
            return (STYLE_SEPARATOR, pos + 3, None)
        if in_struct:
            return None
        return (INVALID, pos + 1, None)

    def _descr(self, pos: int) -> int:
        """Rule 74 ``\\s*:(?:[^:\\n;]|:[^:\\n;])+``."""
        text, n = self.text, self.n
        w = self._ws_end(pos)
        if w >= n or text[w] != ":":
            return pos
        i = w + 1
        start = i
        while i < n:
            if text[i] not in ":\n;":
                i += 1
            elif text[i] == ":" and i + 1 < n and text[i + 1] not in ":\n;":
                i += 2
            else:
                break
        return i if i > start else pos

    def _acc(self, pos: int) -> tuple[int, int, str | None] | None:
        text, low, n = self.text, self.low, self.n
        for word, kind, state in (("acctitle", ACC_TITLE, _ACC_TITLE), ("accdescr", ACC_DESCR, _ACC_DESCR)):
            if low.startswith(word, pos):
                i = self._ws_end(pos + len(word))
                if i < n and text[i] == ":":
                    self._push(state)
                    return (kind, self._ws_end(i + 1), None)
                if word == "accdescr" and i < n and text[i] == "{":
                    self._push(_ACC_MULTI)
                    return (-1, self._ws_end(i + 1), None)
        return None


def _single_word_error(text: str, pos: int, line_end: int) -> bool:
    """Rule 52 ``\\w+\\s+\\w+.*?\\{``: two words and then a ``{`` (on that line)."""
    i = pos
    while i < line_end and is_word(text[i]):
        i += 1
    if i == pos:
        return False
    j = i
    while j < len(text) and text[j] in JS_SPACE:
        j += 1
    if j == i or j >= len(text) or not is_word(text[j]):
        return False
    newline = text.find("\n", j)
    return text.find("{", j, len(text) if newline == -1 else newline) != -1


@dataclass
class _Stmt:
    kind: str  # "state", "relation", "note", "dir"
    id: str = ""
    type: str = "default"
    descriptions: list[str] = field(default_factory=list)
    doc: list[_Stmt] | None = None
    src: _Stmt | None = None
    dst: _Stmt | None = None
    label: str = ""
    offset: int = 0
    note: tuple[str, str] | None = None


class _Parser:
    def __init__(self, tokens: list[Token]) -> None:
        self.tokens = tokens
        self.i = 0
        self.dividers = 0

    def _peek(self) -> int:
        return self.tokens[self.i][0]

    def _take(self) -> Token:
        token = self.tokens[self.i]
        if token[0] == ERROR:
            raise _StateSyntaxError(token[1], token[2])
        self.i = min(self.i + 1, len(self.tokens) - 1)
        return token

    def _fail(self, what: str) -> None:
        token = self.tokens[self.i]
        if token[0] == ERROR:
            raise _StateSyntaxError(token[1], token[2])
        shown = token[1].strip()[:30]
        message = f"Parse error: expected {what}, got {shown!r}" if shown else f"Parse error: expected {what}"
        raise _StateSyntaxError(message, token[2])

    def _expect(self, kind: int, what: str) -> Token:
        if self._peek() != kind:
            self._fail(what)
        return self._take()

    def parse(self) -> list[_Stmt]:
        while self._peek() == NL:
            self._take()
        self._expect(SD, "stateDiagram")
        doc = self._document()
        self._expect(END_OF_INPUT, "the end")
        return doc

    def _document(self) -> list[_Stmt]:
        doc: list[_Stmt] = []
        while self._peek() not in (END_OF_INPUT, STRUCT_STOP):
            if self._peek() == NL:
                self._take()
                continue
            stmt = self._statement()
            if stmt is not None:
                doc.append(stmt)
        return doc

    def _id_statement(self) -> _Stmt:
        kind, value, offset = self._take()
        stmt = _Stmt("state", id=js_trim(value), offset=offset)
        if kind == EDGE_STATE:
            stmt.type = "edge"
        if self._peek() == STYLE_SEPARATOR:
            self._take()
            self._expect(ID, "a class name")
        return stmt

    def _statement(self) -> _Stmt | None:
        kind, value, offset = self.tokens[self.i]
        if kind in (ID, EDGE_STATE):
            first = self._id_statement()
            if self._peek() == DESCR:
                first.descriptions.append(_trim_colon(self._take()[1]))
                return first
            if self._peek() == ARROW:
                arrow_offset = self._take()[2]
                if self._peek() not in (ID, EDGE_STATE):
                    self._fail("a state")
                second = self._id_statement()
                label = _trim_colon(self._take()[1]) if self._peek() == DESCR else ""
                return _Stmt("relation", src=first, dst=second, label=label, offset=arrow_offset)
            return first
        if kind == COMPOSIT_STATE:
            self._take()
            if self._peek() != STRUCT_START:
                return None  # `state X` alone declares nothing in Mermaid (its action keeps a bare string)
            self._take()
            stmt = _Stmt("state", id=js_trim(value), offset=offset)
            stmt.doc = self._document()
            self._expect(STRUCT_STOP, "'}'")
            return stmt
        if kind == STATE_DESCR:
            self._take()
            self._expect(AS, "as")
            raw_id = self._expect(ID, "a state id")[1]
            stmt = _Stmt("state", id=js_trim(raw_id), descriptions=[js_trim(value)], offset=offset)
            if self._peek() == STRUCT_START:
                self._take()
                stmt.doc = self._document()
                self._expect(STRUCT_STOP, "'}'")
            elif ":" in raw_id:  # `state "d" as s1:more` (only without a body) splits at ':'
                parts = raw_id.split(":")
                stmt.id, stmt.descriptions = js_trim(parts[0]), [js_trim(value), js_trim(parts[1])]
            return stmt
        if kind in (FORK, JOIN, CHOICE):
            self._take()
            names = {FORK: "fork", JOIN: "join", CHOICE: "choice"}
            return _Stmt("state", id=js_trim(value), type=names[kind], offset=offset)
        if kind == CONCURRENT:
            self._take()
            self.dividers += 1
            return _Stmt("divider", id=f"divider-id-{self.dividers}", offset=offset)
        if kind == NOTE:
            self._take()
            if self._peek() in (LEFT_OF, RIGHT_OF):
                placement = "left of" if self._take()[0] == LEFT_OF else "right of"
                target = js_trim(self._expect(ID, "a state")[1])
                text = js_trim(self._expect(NOTE_TEXT, "the note text")[1])
                return _Stmt("note", id=target, note=(placement, text), offset=offset)
            text = self._expect(NOTE_TEXT, "the note text")[1]
            self._expect(AS, "as")
            target = js_trim(self._expect(ID, "a note id")[1])
            return _Stmt("note", id=target, note=("over", js_trim(text)), offset=offset)
        if kind in (HIDE_EMPTY, DIRECTION, ACC_DESCR_MULTILINE_VALUE):
            self._take()
            return None
        if kind == SCALE:
            self._take()
            self._expect(WIDTH, "a width")
            return None
        if kind in (ACC_TITLE, ACC_DESCR):
            self._take()
            self._expect(ACC_TITLE_VALUE if kind == ACC_TITLE else ACC_DESCR_VALUE, "a value")
            return None
        if kind == CLICK:
            self._take()
            self._expect(ID, "a state")
            if self._peek() == HREF:
                self._take()
                self._expect(STRING, "a link")
            else:
                self._expect(STRING, "a link")
                self._expect(STRING, "a tooltip")
            self._expect(NL, "a new line")
            return None
        if kind == CLASSDEF:
            self._take()
            self._expect(CLASSDEF_ID, "a class name")
            self._expect(CLASSDEF_STYLEOPTS, "styles")
            return None
        if kind == STYLE:
            self._take()
            self._expect(STYLE_IDS, "state ids")
            self._expect(STYLEDEF_STYLEOPTS, "styles")
            return None
        if kind == CLASS:
            self._take()
            self._expect(CLASSENTITY_IDS, "state ids")
            self._expect(STYLECLASS, "a class name")
            return None
        self._fail("a statement")
        return None


def _trim_colon(text: str) -> str:
    return js_trim(text[1:]) if text.startswith(":") else js_trim(text)


@dataclass
class _State:
    kind: str
    parent: str | None
    offset: int
    descriptions: list[str] = field(default_factory=list)


@dataclass
class _Graph:
    """The states and transitions Mermaid derives from the statement tree (``StateDB``)."""

    states: dict[str, _State] = field(default_factory=dict)
    edges: list[tuple[str, str, str, int]] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)

    def add(self, stmt: _Stmt, parent: str | None, state_id: str, kind: str) -> None:
        state = self.states.get(state_id)
        if state is None:
            state = self.states[state_id] = _State(kind, parent, stmt.offset)
        state.descriptions.extend(d for d in stmt.descriptions if d)  # Mermaid skips empty ones
        if kind != "default":
            state.kind = kind
        if stmt.doc is not None:
            state.kind = "composite"
            self.walk(stmt.doc, state_id)

    def walk(self, doc: list[_Stmt], parent: str | None) -> None:
        if any(stmt.kind == "divider" for stmt in doc):
            # `--` splits a composite state into concurrent regions; `[*]` is per region.
            region: list[_Stmt] = []
            for stmt in doc:
                if stmt.kind == "divider":
                    self._walk_region(region, parent, stmt.id)
                    region = []
                else:
                    region.append(stmt)
            if region:
                self._walk_region(region, parent, f"{parent}-region-{len(self.edges)}")
            return
        self._walk_region(doc, parent, parent if parent is not None else "root")

    def _walk_region(self, doc: list[_Stmt], parent: str | None, scope: str) -> None:
        for stmt in doc:
            if stmt.kind == "state" and stmt.type == "edge":  # a lone `[*]` is the region's start
                self.add(stmt, parent, scope + "_start", "start")
            elif stmt.kind == "state":
                self.add(stmt, parent, stmt.id, stmt.type)
            elif stmt.kind == "relation":
                assert stmt.src is not None and stmt.dst is not None
                ids = []
                for end, suffix in ((stmt.src, "_start"), (stmt.dst, "_end")):
                    state_id = scope + suffix if end.type == "edge" else end.id
                    self.add(end, parent, state_id, suffix[1:] if end.type == "edge" else end.type)
                    ids.append(state_id)
                self.edges.append((ids[0], ids[1], stmt.label, stmt.offset))
            elif stmt.kind == "note" and stmt.note is not None:
                if stmt.note[0] != "over":  # `note left of X` declares X too; a floating note nothing
                    self.add(stmt, parent, stmt.id, "default")
                self.notes.append(Note((stmt.id,), stmt.note[0], stmt.note[1], stmt.offset))


def parse_state(prepared: Prepared, first_line: int) -> Diagram:
    """The state diagram in ``prepared``, or :class:`MermaidSyntaxError`."""
    try:
        doc = _Parser(_Lexer(prepared.text).tokens()).parse()
    except _StateSyntaxError as exc:
        raise MermaidSyntaxError(exc.message, prepared.line_of_offset(exc.offset)) from None
    graph = _Graph()
    graph.walk(doc, None)
    for state_id, state in graph.states.items():
        if state.kind == "composite" and len(state.descriptions) > 1:
            raise MermaidSyntaxError(
                f"Group nodes can only have label. Remove the additional description for node [{state_id}]",
                prepared.line_of_offset(state.offset),
            )

    def line(offset: int) -> int:
        return first_line + prepared.line_of_offset(offset)

    def label(state_id: str, state: _State) -> str:
        if state.kind in ("start", "end"):
            return "[*]"
        return display(state.descriptions[0], html_label=False) if state.descriptions else state_id

    nodes = tuple(
        Node(state_id, label(state_id, state), state.kind, line(state.offset), state.parent)
        for state_id, state in graph.states.items()
    )
    edges = tuple(
        Edge(src, dst, display(text, html_label=False), "arrow_point", "normal", 1, line(offset))
        for src, dst, text, offset in graph.edges
    )
    notes = tuple(Note(n.targets, n.placement, display(n.text, html_label=False), line(n.line)) for n in graph.notes)
    return Diagram("state", None, first_line, nodes, edges, notes=notes, title=prepared.title)
