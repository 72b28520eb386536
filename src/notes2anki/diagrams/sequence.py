"""Mermaid sequence diagrams: ``sequenceDiagram.jison`` (mermaid@12.3.0) and ``SequenceDB``.

Participants become nodes (label: the ``as`` alias, else the name; shape: ``participant``
or ``actor``), messages become edges (type: the arrow as written), notes are kept as
notes. The lexer is case-insensitive and line-oriented like Mermaid's: a message's text
runs from ``:`` to the end of the line but stops at ``#`` and ``;`` (Mermaid's own
rule), and a participant name may contain single dashes but not an arrow. Mermaid
checks some things only after parsing, while applying the statements; so do we:
deactivating a participant that is not active, a created participant without a creating
message, a participant in two boxes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial

from notes2anki.diagrams.chars import JS_SPACE, at_word_boundary, js_trim, line_end, skip_space
from notes2anki.diagrams.labels import display
from notes2anki.diagrams.model import Diagram, Edge, Node, Note
from notes2anki.diagrams.shapedata import ShapeDataError, parse_shape_data
from notes2anki.diagrams.source import MermaidSyntaxError, Prepared

# tokens
(
    NEWLINE, NUM, SD, BOX, PARTICIPANT, ACTOR_KW, CREATE, DESTROY, AS, LOOP, RECT, OPT, ALT,
    ELSE, PAR, PAR_OVER, AND, CRITICAL, OPTION, BREAK, REST, END, LEFT_OF, RIGHT_OF, LINKS,
    LINK, PROPERTIES, DETAILS, OVER, NOTE, ACTIVATE, DEACTIVATE, TITLE, LEGACY_TITLE,
    ACC_TITLE, ACC_TITLE_VALUE, ACC_DESCR, ACC_DESCR_VALUE, ACC_DESCR_MULTILINE_VALUE,
    AUTONUMBER, OFF, COMMA, ACTOR, ARROW, TXT, PLUS, MINUS, CENTRAL, CONFIG_START,
    CONFIG_CONTENT, CONFIG_END, INVALID, END_OF_INPUT, ERROR,
) = range(54)  # fmt: skip

_BLOCKS = {LOOP: "loop", RECT: "rect", OPT: "opt", BREAK: "break"}
# (keyword, token, next state) in rule order 16-33; all need \b after them
_LINE_KEYWORDS = (
    ("box", BOX), ("participant", PARTICIPANT), ("actor", ACTOR_KW), ("create", CREATE),
    ("destroy", DESTROY), ("loop", LOOP), ("rect", RECT), ("opt", OPT), ("alt", ALT),
    ("else", ELSE), ("par", PAR), ("par_over", PAR_OVER), ("and", AND), ("critical", CRITICAL),
    ("option", OPTION), ("break", BREAK),
)  # fmt: skip
_OPENS_LINE = {BOX, LOOP, RECT, OPT, ALT, ELSE, PAR, PAR_OVER, AND, CRITICAL, OPTION, BREAK}
_OPENS_ID = {PARTICIPANT, ACTOR_KW, DESTROY}
# rules 61-86, in order (the arrow as written is what we keep)
_ARROWS = (
    "->>", "<<->>", "-->>", "<<-->>", "->", "-->", "-x", "--x", "-)", "--)", "--|\\", "--|/",
    "--\\\\", "--//", "/|--", "\\|--", "//--", "\\\\--", "-|\\", "-|/", "-\\\\", "-//", "/|-",
    "\\|-", "//-", "\\\\-",
)  # fmt: skip
# rule 60: where a dash run may not continue an actor name
_ACTOR_STOPS = ("-x", "--x", "-)", "--)", "-|\\", "-\\", "-/", "-//", "-|/", "/|-", "\\|-", "//-",
                "\\\\-", "--|\\", "--", "()")  # fmt: skip
_FIRST_EXCLUDED = frozenset("/\\+()<->:\n,;")
_REST_EXCLUDED = frozenset("+<->:\n,;")
# states
_INITIAL, _ID, _ALIAS, _LINE, _CONFIG, _ACC_TITLE, _ACC_DESCR, _ACC_MULTI = range(8)

Token = tuple[int, str, int]


class _Lexer:
    def __init__(self, text: str) -> None:
        self.text = text
        self.low = text.lower()
        self.n = len(text)
        self.states = [_INITIAL]

    def _word(self, pos: int, word: str) -> bool:
        return self.low.startswith(word, pos) and at_word_boundary(self.text, pos + len(word))

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
                    out.append((NEWLINE, "", self.n))
                elif state == _LINE:
                    self.states.pop()
                    out.append((REST, "", self.n))
                elif state == _ALIAS:
                    del self.states[-2:]
                    out.append((NEWLINE, "", self.n))
                elif state in (_ACC_TITLE, _ACC_DESCR, _ACC_MULTI):
                    kind = {_ACC_TITLE: ACC_TITLE_VALUE, _ACC_DESCR: ACC_DESCR_VALUE}.get(
                        state, ACC_DESCR_MULTILINE_VALUE
                    )
                    out.append((kind, "", self.n))
                continue
            found = self._next(pos)
            if found is None:
                out.append((ERROR, f"Lexical error: unrecognised text {self.text[pos:pos + 10]!r}", pos))
                return out
            kind, end, value = found
            if kind >= 0:
                out.append((kind, self.text[pos:end] if value is None else value, pos))
            pos = end

    def _next(self, pos: int) -> tuple[int, int, str | None] | None:
        text, low, n = self.text, self.low, self.n
        state = self.states[-1]
        ch = text[pos]
        if state in (_ID, _ALIAS, _LINE):
            if ch in JS_SPACE and ch != "\n":  # rule 2
                end = pos
                while end < n and text[end] in JS_SPACE and text[end] != "\n":
                    end += 1
                return (-1, end, None)
            if ch == "#":  # rule 3
                return (-1, line_end(text, pos), None)
            if state == _ALIAS:
                self.states.pop()
                self.states.pop()
                if self._word(pos, "as"):
                    self.states.append(_LINE)
                    return (AS, pos + 2, None)
                return (NEWLINE, pos, "")
            if state == _LINE:
                self.states.pop()
                end = pos
                while end < n and text[end] not in "#\n;":
                    end += 1
                return (REST, end, None)
            return self._id_state(pos)
        if state == _CONFIG:
            if ch == "}":
                self.states.pop()
                after = pos + 1
                if _followed_by_as(low, after):
                    self.states.append(_ALIAS)
                else:
                    self.states.pop()
                return (CONFIG_END, pos + 1, None)
            end = text.find("}", pos)
            return (CONFIG_CONTENT, n if end == -1 else end, None)
        if state in (_ACC_TITLE, _ACC_DESCR):
            self.states.pop()
            return (ACC_TITLE_VALUE if state == _ACC_TITLE else ACC_DESCR_VALUE, line_end(text, pos), None)
        if state == _ACC_MULTI:
            if ch == "}":
                self.states.pop()
                return (-1, pos + 1, None)
            end = text.find("}", pos)
            return (ACC_DESCR_MULTILINE_VALUE, n if end == -1 else end, None)
        return self._initial(pos)

    def _initial(self, pos: int) -> tuple[int, int, str | None] | None:
        text, low, n = self.text, self.low, self.n
        ch = text[pos]
        if ch == "\n":  # 0
            end = pos
            while end < n and text[end] == "\n":
                end += 1
            return (NEWLINE, end, None)
        if ch in JS_SPACE:  # 1
            end = pos
            while end < n and text[end] in JS_SPACE:
                end += 1
            return (-1, end, None)
        if ch == "#" or (ch == "%" and not text.startswith("%{", pos)):  # 3, 4
            return (-1, line_end(text, pos), None)
        if ch != "}" and text.startswith("%%", pos + 1):  # 5
            return (-1, line_end(text, pos), None)
        num = _number(text, pos)  # 6
        if num > pos:
            return (NUM, num, None)
        for word, kind in _LINE_KEYWORDS:
            if self._word(pos, word):
                if kind in _OPENS_LINE:
                    self.states.append(_LINE)
                elif kind in _OPENS_ID:
                    self.states.append(_ID)
                return (kind, pos + len(word), None)
        if self._word(pos, "end"):
            return (END, pos + 3, None)
        for word, kind in (("left of", LEFT_OF), ("right of", RIGHT_OF)):
            if self._word(pos, word):
                return (kind, pos + len(word), None)
        for word, kind in (("links", LINKS), ("link", LINK), ("properties", PROPERTIES), ("details", DETAILS)):
            if low.startswith(word, pos) and _link_lookahead(text, pos + len(word)):
                return (kind, pos + len(word), None)
        for word, kind in (("over", OVER), ("note", NOTE)):
            if self._word(pos, word):
                return (kind, pos + len(word), None)
        for word, kind in (("activate", ACTIVATE), ("deactivate", DEACTIVATE)):
            if self._word(pos, word):
                self.states.append(_ID)
                return (kind, pos + len(word), None)
        if low.startswith("title", pos):
            after = pos + 5
            if after < n and text[after] in JS_SPACE and _line_text_end(text, after + 1) > after + 1:
                return (TITLE, _line_text_end(text, after + 1), None)
            if text.startswith(":", after) and after + 1 < n and text[after + 1] in JS_SPACE:
                end = _line_text_end(text, after + 2)
                if end > after + 2:
                    return (LEGACY_TITLE, end, None)
        if low.startswith("acc", pos):
            found = self._acc(pos)
            if found is not None:
                return found
        for word, kind in (("sequencediagram", SD), ("autonumber", AUTONUMBER), ("off", OFF)):
            if self._word(pos, word):
                return (kind, pos + len(word), None)
        if ch == ",":
            return (COMMA, pos + 1, None)
        if ch == ";":
            return (NEWLINE, pos + 1, None)
        end = _actor_end(text, low, pos)  # 60
        if end > pos:
            return (ACTOR, end, js_trim(text[pos:end]))
        for arrow in _ARROWS:  # 61-86
            if low.startswith(arrow, pos):
                return (ARROW, pos + len(arrow), None)
        if ch == ":":  # 87
            return (TXT, _line_text_end(text, pos + 1), None)
        if ch == "+":
            return (PLUS, pos + 1, None)
        if ch == "-":
            return (MINUS, pos + 1, None)
        if text.startswith("()", pos):
            return (CENTRAL, pos + 2, None)
        return (INVALID, pos + 1, None)  # 93

    def _acc(self, pos: int) -> tuple[int, int, str | None] | None:
        text, n = self.text, self.n
        low = self.low
        for word, kind, state in (("acctitle", ACC_TITLE, _ACC_TITLE), ("accdescr", ACC_DESCR, _ACC_DESCR)):
            if low.startswith(word, pos):
                i = skip_space(text, pos + len(word))
                if i < n and text[i] == ":":
                    self.states.append(state)
                    return (kind, skip_space(text, i + 1), None)
                if word == "accdescr" and i < n and text[i] == "{":
                    self.states.append(_ACC_MULTI)
                    return (-1, skip_space(text, i + 1), None)
        return None

    def _id_state(self, pos: int) -> tuple[int, int, str | None] | None:
        """Rules 7 and 11-15: a participant name after ``participant``/``actor``/... ."""
        text, n = self.text, self.n
        if text.startswith("@{", pos):
            self.states.append(_CONFIG)
            return (CONFIG_START, pos + 2, None)
        word_end = pos
        while word_end < n and text[word_end] not in "<>:\n,;@" and text[word_end] not in JS_SPACE:
            word_end += 1
        if word_end > pos:
            after = skip_space(text, word_end)
            if text.startswith("@{", after):  # 11
                return (ACTOR, word_end, js_trim(text[pos:word_end]))
            if _followed_by_as(self.low, word_end):  # 12
                self.states.append(_ALIAS)
                return (ACTOR, word_end, js_trim(text[pos:word_end]))
        run_end = pos
        while run_end < n and text[run_end] not in "<>:\n,;@":
            run_end += 1
        end = _name_end(text, pos, run_end)  # 13
        if end > pos:
            self.states.pop()
            return (ACTOR, end, js_trim(text[pos:end]))
        self.states.pop()
        if run_end < n and text[run_end] == "<":  # 14
            return (INVALID, line_end(text, run_end), None)
        end = line_end(text, pos)  # 15
        if end > pos:
            return (INVALID, end, None)
        return None


def _line_text_end(text: str, pos: int) -> int:
    """End of ``[^#\\n;]*`` from ``pos``."""
    n = len(text)
    while pos < n and text[pos] not in "#\n;":
        pos += 1
    return pos


def _followed_by_as(low: str, pos: int) -> bool:
    """``(?=\\s+as\\s)``."""
    after = skip_space(low, pos)
    return after > pos and low.startswith("as", after) and after + 2 < len(low) and low[after + 2] in JS_SPACE


def _name_end(text: str, pos: int, run_end: int) -> int:
    """Rule 13: the longest ``[^<>:\\n,;@]+`` followed by ``\\s*[\\n;#]`` or the end."""
    after = skip_space(text, run_end)
    if run_end >= len(text) or "\n" in text[run_end:after] or (after < len(text) and text[after] in ";#"):
        return run_end
    hash_at = text.rfind("#", pos + 1, run_end)  # backtrack to just before the last '#'
    return hash_at if hash_at > pos else pos


def _number(text: str, pos: int) -> int:
    """Rule 6: ``([0-9]+(\\.[0-9]{1,2})?|\\.[0-9]{1,2})(?=[ \\n]+)``."""
    n = len(text)
    i = pos
    while i < n and text[i].isascii() and text[i].isdigit():
        i += 1
    candidates = []
    if i > pos:
        candidates.append(i)
    if i < n and text[i] == ".":
        j = i + 1
        k = j
        while k < n and k < j + 2 and text[k].isascii() and text[k].isdigit():
            k += 1
        if k > j:
            candidates.insert(0, k)
            if k - j == 2:
                candidates.insert(1, k - 1)
    for end in candidates:
        if end < n and text[end] in " \n":
            return end
    return pos


def _link_lookahead(text: str, pos: int) -> bool:
    """``(?=[ \\t]+[^\\/\\\\\\+\\(\\)<>:\\n,;\\s\\-])``."""
    i = pos
    while i < len(text) and text[i] in " \t":
        i += 1
    return i > pos and i < len(text) and text[i] not in "/\\+()<>:\n,;-" and text[i] not in JS_SPACE


def _actor_end(text: str, low: str, pos: int) -> int:
    """Rule 60: a name; single dashes may join parts, arrows and ``()`` may not."""
    n = len(text)
    i = pos
    while i < n and text[i] not in _FIRST_EXCLUDED:
        i += 1
    if i == pos:
        return pos
    while i < n:
        if low.startswith(_ACTOR_STOPS, i):
            break
        j = i
        while j < n and text[j] == "-":
            j += 1
        k = j
        while k < n and text[k] not in _REST_EXCLUDED:
            k += 1
        if k == j:
            break
        i = k
    return i


@dataclass
class _Actor:
    name: str
    description: str
    kind: str
    offset: int
    box: int | None = None


@dataclass
class _State:
    """``SequenceDB.apply``: actors, messages, notes, and the checks made while applying."""

    actors: dict[str, _Actor] = field(default_factory=dict)
    messages: list[tuple[str, str, str, str, int]] = field(default_factory=list)
    notes: list[tuple[tuple[str, ...], str, str, int]] = field(default_factory=list)
    """(targets, placement, text, offset) per note."""
    activations: dict[str, int] = field(default_factory=dict)
    box: int | None = None
    boxes: int = 0
    last_created: str | None = None
    last_destroyed: str | None = None

    def add_actor(self, name: str, offset: int, description: str | None = None,
                  kind: str | None = None, config: str | None = None) -> None:  # fmt: skip
        if config is not None:
            try:
                doc = parse_shape_data(config)
            except ShapeDataError as exc:
                raise _SeqError(f"Bad participant data: {exc}", offset) from exc
            if isinstance(doc.get("type"), str):
                kind = str(doc["type"])
            alias = doc.get("alias")
            if alias and (description is None or description == name):
                description = str(alias)
        old = self.actors.get(name)
        box = self.box
        if old is not None:
            if self.box is not None and old.box is not None and self.box != old.box:
                raise _SeqError(f"A same participant should only be defined in one Box: {name}", offset)
            box = old.box if old.box is not None else self.box
            old.box = box
            if description is None:
                return
        self.actors[name] = _Actor(name, name if description is None else description,
                                   kind or "participant", offset, box)  # fmt: skip

    def signal_end(self, name: str, offset: int) -> None:
        if self.activations.get(name, 0) < 1:
            raise _SeqError(f"Trying to inactivate an inactive participant ({name})", offset)
        self.activations[name] -= 1


class _SeqError(Exception):
    def __init__(self, message: str, offset: int) -> None:
        super().__init__(message)
        self.message = message
        self.offset = offset


def parse_sequence(prepared: Prepared, first_line: int) -> Diagram:
    """The sequence diagram in ``prepared``, or :class:`MermaidSyntaxError`."""
    parser = _Parser(_Lexer(prepared.text).tokens())
    try:
        parser.parse()
    except _SeqError as exc:
        raise MermaidSyntaxError(exc.message, prepared.line_of_offset(exc.offset)) from None
    state = parser.state

    def line(offset: int) -> int:
        return first_line + prepared.line_of_offset(offset)

    nodes = tuple(Node(a.name, _text(a.description), a.kind, line(a.offset)) for a in state.actors.values())
    edges = tuple(
        Edge(src, dst, _text(text), arrow, "dotted" if "--" in arrow else "normal", 1, line(offset))
        for src, dst, text, arrow, offset in state.messages
    )
    notes = tuple(Note(targets, where, _text(text), line(offset)) for targets, where, text, offset in state.notes)
    return Diagram("sequence", None, first_line, nodes, edges, notes=notes, title=prepared.title)


class _Parser:
    def __init__(self, tokens: list[Token]) -> None:
        self.tokens = tokens
        self.i = 0
        self.state = _State()
        self.actions: list[Callable[[], None]] = []  # SequenceDB.apply, run after the parse

    def _peek(self, ahead: int = 0) -> int:
        return self.tokens[min(self.i + ahead, len(self.tokens) - 1)][0]

    def _take(self) -> Token:
        token = self.tokens[self.i]
        if token[0] == ERROR:
            raise _SeqError(token[1], token[2])
        self.i = min(self.i + 1, len(self.tokens) - 1)
        return token

    def _expect(self, kind: int, what: str) -> Token:
        if self._peek() != kind:
            token = self.tokens[self.i]
            if token[0] == ERROR:
                raise _SeqError(token[1], token[2])
            shown = token[1].strip()[:30]
            message = f"Parse error: expected {what}" + (f", got {shown!r}" if shown else "")
            raise _SeqError(message, _visible(token))
        return self._take()

    # -- grammar: statements are collected, then applied in order (as Mermaid does) --

    def parse(self) -> None:
        while self._peek() == NEWLINE:
            self._take()
        self._expect(SD, "sequenceDiagram")
        self._document(())
        self._expect(END_OF_INPUT, "the end")
        for action in self.actions:
            action()

    def _document(self, stops: tuple[int, ...]) -> None:
        while True:
            kind = self._peek()
            if kind in stops or kind in (END, END_OF_INPUT):
                return
            if kind in (NEWLINE, INVALID):
                self._take()
                continue
            self._statement()

    def _statement(self) -> None:
        kind = self._peek()
        token = self.tokens[self.i]
        if kind in (PARTICIPANT, ACTOR_KW, DESTROY):
            self._participant(created=False)
        elif kind == CREATE:
            self._take()
            if self._peek() not in (PARTICIPANT, ACTOR_KW, DESTROY):
                self._expect(PARTICIPANT, "participant")
            self._participant(created=True)
        elif kind == BOX:
            self._take()
            self.actions.append(self._apply_box_start)
            self._expect(REST, "a box title")
            while self._peek() in (NEWLINE, PARTICIPANT, ACTOR_KW, DESTROY):
                if self._peek() == NEWLINE:
                    self._take()
                else:
                    self._participant(created=False)
            self._expect(END, "end")
            self.actions.append(self._apply_box_end)
        elif kind in (ACTOR, LINK) and self._peek(1) in (ARROW, CENTRAL):
            self._signal()
        elif kind == AUTONUMBER:
            self._take()
            if self._peek() == NUM:
                self._take()
                if self._peek() == NUM:
                    self._take()
            elif self._peek() == OFF:
                self._take()
            self._newline()
        elif kind in (ACTIVATE, DEACTIVATE):
            self._take()
            name, offset = self._actor()
            self._newline()
            apply = self._apply_activate if kind == ACTIVATE else self._apply_deactivate
            self.actions.append(partial(apply, name, offset))
        elif kind == NOTE:
            self._note()
        elif kind in (LINKS, LINK, PROPERTIES, DETAILS):
            self._take()
            name, offset = self._actor()
            self._text()
            self._newline()
            self.actions.append(partial(self._apply_mention, name, offset))
        elif kind in (TITLE, LEGACY_TITLE, ACC_DESCR_MULTILINE_VALUE):
            self._take()
        elif kind in (ACC_TITLE, ACC_DESCR):
            self._take()
            self._expect(ACC_TITLE_VALUE if kind == ACC_TITLE else ACC_DESCR_VALUE, "a value")
        elif kind in _BLOCKS or kind in (ALT, PAR, PAR_OVER, CRITICAL):
            self._take()
            self._expect(REST, "text")
            middle = {ALT: ELSE, PAR: AND, PAR_OVER: AND, CRITICAL: OPTION}.get(kind)
            self._document((middle,) if middle is not None else ())
            while middle is not None and self._peek() == middle:
                self._take()
                self._expect(REST, "text")
                self._document((middle,))
            self._expect(END, "end")
        else:
            shown = token[1].strip()[:30]
            if kind == ERROR:
                raise _SeqError(token[1], token[2])
            raise _SeqError(f"Parse error: unexpected {shown!r}" if shown else "Parse error", _visible(token))

    def _newline(self) -> None:
        self._expect(NEWLINE, "a new line")

    def _actor(self) -> tuple[str, int]:
        if self._peek() not in (ACTOR, LINK):
            self._expect(ACTOR, "a participant")
        token = self._take()
        return token[1], token[2]

    def _text(self) -> str:
        raw = self._expect(TXT, "':' and a message")[1]
        return _parse_message(js_trim(raw)[1:])

    def _participant(self, created: bool) -> None:
        kind = self._take()[0]
        name, offset = self._actor()
        config = None
        if kind != DESTROY and self._peek() == CONFIG_START:
            self._take()
            config = self._expect(CONFIG_CONTENT, "participant data")[1]
            self._expect(CONFIG_END, "'}'")
        description = None
        if kind != DESTROY and self._peek() == AS:
            self._take()
            description = _parse_message(self._expect(REST, "an alias")[1])
        self._newline()
        if kind == DESTROY:
            self.actions.append(partial(self._apply_destroy, name))
            return
        draw = "actor" if kind == ACTOR_KW else "participant"
        self.actions.append(partial(self._apply_participant, name, offset, description, draw, config, created))

    def _signal(self) -> None:
        src, src_offset = self._actor()
        arrow_offset = self.tokens[self.i][2]
        modifier = None
        if self._peek() == CENTRAL:
            self._take()
            arrow = self._expect(ARROW, "an arrow")[1]
            if self._peek() == CENTRAL:
                self._take()
        else:
            arrow = self._expect(ARROW, "an arrow")[1]
            if self._peek() in (PLUS, MINUS, CENTRAL):
                modifier = self._take()[0]
        dst, dst_offset = self._actor()
        text = self._text()
        self._newline()
        self.actions.append(partial(self._apply_mention, src, src_offset))
        self.actions.append(partial(self._apply_mention, dst, dst_offset))
        self.actions.append(partial(self._apply_message, src, dst, text, arrow, arrow_offset))
        if modifier == PLUS:
            self.actions.append(partial(self._apply_activate, dst, dst_offset))
        elif modifier == MINUS:
            self.actions.append(partial(self._apply_deactivate, src, src_offset))

    def _note(self) -> None:
        offset = self._take()[2]
        if self._peek() in (LEFT_OF, RIGHT_OF):
            placement = "left of" if self._take()[0] == LEFT_OF else "right of"
            targets = [self._actor()]
        else:
            self._expect(OVER, "left of, right of or over")
            placement = "over"
            targets = [self._actor()]
            if self._peek() == COMMA:
                self._take()
                targets.append(self._actor())
        text = self._text()
        self._newline()
        for name, name_offset in targets:
            self.actions.append(partial(self._apply_mention, name, name_offset))
        self.actions.append(partial(self._apply_note, tuple(n for n, _ in targets), placement, text, offset))

    # -- apply ---------------------------------------------------------------------

    def _apply_participant(self, name: str, offset: int, description: str | None, draw: str,
                           config: str | None, created: bool) -> None:  # fmt: skip
        state = self.state
        if created:
            if name in state.actors:
                raise _SeqError("A created participant's id is already used (use 'as' aliases instead)", offset)
            state.last_created = name
        state.add_actor(name, offset, description, draw, config)

    def _apply_destroy(self, name: str) -> None:
        self.state.last_destroyed = name

    def _apply_mention(self, name: str, offset: int) -> None:
        self.state.add_actor(name, offset)

    def _apply_message(self, src: str, dst: str, text: str, arrow: str, offset: int) -> None:
        state = self.state
        if state.last_created is not None:
            if dst != state.last_created:
                raise _SeqError("The created participant does not have an associated creating message", offset)
            state.last_created = None
        elif state.last_destroyed is not None:
            if state.last_destroyed not in (src, dst):
                raise _SeqError("The destroyed participant does not have an associated destroying message", offset)
            state.last_destroyed = None
        state.messages.append((src, dst, text, arrow, offset))

    def _apply_activate(self, name: str, _offset: int) -> None:
        self.state.activations[name] = self.state.activations.get(name, 0) + 1

    def _apply_deactivate(self, name: str, offset: int) -> None:
        self.state.signal_end(name, offset)

    def _apply_note(self, targets: tuple[str, ...], placement: str, text: str, offset: int) -> None:
        self.state.notes.append((targets, placement, text, offset))

    def _apply_box_start(self) -> None:
        self.state.box = self.state.boxes
        self.state.boxes += 1

    def _apply_box_end(self) -> None:
        self.state.box = None


def _text(raw: str) -> str:
    """Display text; sequence diagrams draw SVG text, not sanitised HTML."""
    return display(raw, html_label=False)


def _parse_message(raw: str) -> str:
    """``SequenceDB.parseMessage``: trimmed, a leading ``wrap:``/``nowrap:`` dropped."""
    text = js_trim(raw)
    for prefix in (":wrap:", "wrap:", ":nowrap:", "nowrap:"):
        if text.startswith(prefix):
            return js_trim(text[len(prefix) :])
    return text


def _visible(token: Token) -> int:
    text = token[1]
    return token[2] + len(text) - len(text.lstrip())
