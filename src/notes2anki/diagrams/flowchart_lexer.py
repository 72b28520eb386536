"""Mermaid's flowchart lexer (``flow.jison``, as compiled into mermaid@12.3.0), by hand.

Jison lexers try their rules in a fixed order and take the first that matches, with a
stack of start conditions (states) that rules push and pop. This module keeps that
order rule by rule, so tokens come out exactly as Mermaid's do, but each rule is a
direct scan instead of a regex: Mermaid's own rules include ``.*direction\\s+TB`` (tried
at every token) and a per-character edge-text rule, which as regexes are quadratic on
long lines. Rule numbers in comments are indexes into the compiled lexer's rule list.

Quirks that are Mermaid's, kept on purpose: ``=`` is not an id character (the build
mangled ``=(?!=)`` into a never-matching ``=(?!)``); a line containing ``direction LR``
anywhere becomes a direction statement; ``end`` swallows the whitespace after it; a
lone ``.`` or ``=`` inside dotted or thick link text cannot be lexed.
"""

from __future__ import annotations

import re
from bisect import bisect_left

from notes2anki.diagrams.chars import (
    JS_SPACE,
    LINE_TERMINATORS,
    at_word_boundary,
    is_unicode_text,
)

# Token kinds.
(
    GRAPH, NODIR, DIR, SEMI, NEWLINE, SPACE, EOF, END_OF_INPUT, SUBGRAPH, END,
    SQS, SQE, PS, PE, ELLIPSE_START, ELLIPSE_END, STADIUMSTART, STADIUMEND,
    SUBROUTINESTART, SUBROUTINEEND, VERTEX_WITH_PROPS_START, CYLINDERSTART, CYLINDEREND,
    DOUBLECIRCLESTART, DOUBLECIRCLEEND, DIAMOND_START, DIAMOND_STOP, TAGEND, TAGSTART,
    TRAPSTART, TRAPEND, INVTRAPSTART, INVTRAPEND, PIPE, STR, MD_STR, TEXT, EDGE_TEXT,
    UNICODE_TEXT, NODE_STRING, NUM, MINUS, BRKT, COLON, STYLE_SEPARATOR, AMP, COMMA, MULT,
    DOWN, UP, SEP, LINK, START_LINK, LINK_ID, SHAPE_DATA, STYLE, DEFAULT, LINKSTYLE,
    INTERPOLATE, CLASSDEF, CLASS, HREF, CLICK, CALLBACKNAME, CALLBACKARGS, LINK_TARGET,
    DIRECTION, ACC_TITLE, ACC_TITLE_VALUE, ACC_DESCR, ACC_DESCR_VALUE,
    ACC_DESCR_MULTILINE_VALUE, ERROR,
) = range(73)  # fmt: skip

TOKEN_NAMES = (
    "GRAPH", "NODIR", "DIR", "';'", "a new line", "a space", "the end", "the end", "subgraph",
    "end", "'['", "']'", "'('", "')'", "'(-'", "'-)'", "'(['", "'])'", "'[['", "']]'", "'[|'",
    "'[('", "')]'", "'((('", "')))'", "'{'", "'}'", "'>'", "'<'", "'[/'", "'\\]'", "'[\\'",
    "'/]'", "'|'", "a quoted string", "a markdown string", "text", "link text", "text",
    "a node id", "a number", "'-'", "'#'", "':'", "':::'", "'&'", "','", "'*'", "'v'", "'^'",
    "'\\|'", "a link", "a link", "an edge id", "node data", "style", "default", "linkStyle",
    "interpolate", "classDef", "class", "href", "click", "a callback", "callback arguments",
    "a link target", "direction", "accTitle", "a title", "accDescr", "a description",
    "a description", "an error",
)  # fmt: skip
"""How messages name each token kind (by the characters a reader typed, where there are some)."""

Token = tuple[int, str, int]
"""(kind, text, offset of its first character in the lexed text)."""

# Lexer states (jison start conditions).
(
    INITIAL, STRING, MD_STRING, ACC_TITLE_STATE, ACC_DESCR_STATE, ACC_DESCR_MULTILINE, DIR_STATE,
    TEXT_STATE, ELLIPSE_TEXT, TRAP_TEXT, EDGE_TEXT_STATE, THICK_EDGE_TEXT, DOTTED_EDGE_TEXT,
    CLICK_STATE, CALLBACKNAME_STATE, CALLBACKARGS_STATE, SHAPE_DATA_STATE, SHAPE_DATA_STR,
) = range(18)  # fmt: skip

# NODE_STRING's characters (rule 106), '-' being allowed only before [^>\-.].
_NODE_CHARS = frozenset(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!\"#$%&'*+.`?\\_/"
)
# Characters LINK_ID (rule 61) can be built of: [^\s"[\](){}|].
_LINK_ID_STOP = JS_SPACE | frozenset('"[](){}|')
_TEXT_STOP = frozenset('[](){}|"')  # rule 117 stops at these
_DIRECTIONS = ("TB", "BT", "RL", "LR", "TD")  # rules 56-60, in order
_KEYWORDS = (
    # rules 25-30: (word, token), each needing a word boundary after it
    ("style", STYLE), ("default", DEFAULT), ("linkStyle", LINKSTYLE),
    ("interpolate", INTERPOLATE), ("classDef", CLASSDEF), ("class", CLASS),
)  # fmt: skip
_GRAPH_WORDS = ("flowchart-elk", "swimlane-beta", "graph", "flowchart")
_LINK_TARGETS = ("_self", "_blank", "_parent", "_top")
# After the quote rules, every state ends with these (79..116, '<*>' in flow.jison).
_BRACKET_PUSH = {
    "(": (PS, TEXT_STATE),
    "[": (SQS, TEXT_STATE),
    "{": (DIAMOND_START, TEXT_STATE),
    "|": (PIPE, TEXT_STATE),
}


class FlowLexer:
    """Turns the prepared flowchart text into tokens, ending with END_OF_INPUT or ERROR."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.n = len(text)
        self.states = [INITIAL]
        self.first_graph = True
        self._ws_run = (0, 0)  # cached [start, end) of the last whitespace run measured
        self._id_run = (0, 0, -1)  # cached LINK_ID run: start, end, last usable '@'
        self._directions = DirectionIndex(text) if "direction" in text else None
        self._has_at = "@" in text
        self._text_override: str | None = None  # a rule's yytext when it is not the match

    # -- helpers -----------------------------------------------------------------------

    def _ws_end(self, pos: int) -> int:
        start, end = self._ws_run
        if start <= pos < end:
            return end
        text, n = self.text, self.n
        i = pos
        while i < n and text[i] in JS_SPACE:
            i += 1
        if i > pos:
            self._ws_run = (pos, i)
        return i

    def _push(self, state: int) -> None:
        self.states.append(state)

    def _pop(self) -> None:
        if len(self.states) > 1:
            self.states.pop()

    # -- the token stream ---------------------------------------------------------------

    def tokens(self) -> list[Token]:
        out: list[Token] = []
        pos = 0
        at_end_tried = False
        while True:
            if pos >= self.n:
                if at_end_tried:
                    out.append((END_OF_INPUT, "", self.n))
                    return out
                at_end_tried = True  # jison tries its rules once against the empty rest
                token = self._at_end()
                if token is not None:
                    out.append(token)
                continue
            result = self._next(pos)
            if result is None:
                out.append((ERROR, f"Lexical error: unrecognised text {self.text[pos:pos + 10]!r}", pos))
                return out
            kind, end = result
            if kind >= 0:
                value = self._text_override
                out.append((kind, self.text[pos:end] if value is None else value, pos))
            self._text_override = None
            pos = end

    def _at_end(self) -> Token | None:
        state = self.states[-1]
        n = self.n
        if state == INITIAL:
            return (EOF, "", n)
        empty = {
            ACC_TITLE_STATE: ACC_TITLE_VALUE,
            ACC_DESCR_STATE: ACC_DESCR_VALUE,
            ACC_DESCR_MULTILINE: ACC_DESCR_MULTILINE_VALUE,
            CLICK_STATE: CLICK,
            CALLBACKNAME_STATE: CALLBACKNAME,
            CALLBACKARGS_STATE: CALLBACKARGS,
        }.get(state)
        if empty is None:
            return None
        if state in (ACC_TITLE_STATE, ACC_DESCR_STATE):
            self._pop()
        return (empty, "", n)

    def _next(self, pos: int) -> tuple[int, int] | None:
        """(token kind or -1 for none, end offset), or ``None`` when no rule matches."""
        state = self.states[-1]
        if state == INITIAL:
            return self._initial(pos)
        if state == TEXT_STATE:
            return self._text_state(pos)
        if state in (EDGE_TEXT_STATE, THICK_EDGE_TEXT, DOTTED_EDGE_TEXT):
            return self._edge_text(pos, state)
        if state == STRING:
            return self._string(pos)
        if state == MD_STRING:
            return self._md_string(pos)
        return self._other_state(pos, state)

    def _quote(self, pos: int) -> tuple[int, int] | None:
        """Rules 21 and 24: a quote opens a (markdown) string in every state."""
        text = self.text
        if text[pos] != '"':
            return None
        if pos + 1 < self.n and text[pos + 1] == "`":
            self._push(MD_STRING)
            return (-1, pos + 2)
        self._push(STRING)
        return (-1, pos + 1)

    def _opener(self, pos: int) -> tuple[int, int] | None:
        """Rules 82, 84, 86, 90, 92, 96, 97: the two- and three-character shape openers."""
        text = self.text
        ch = text[pos]
        nxt = text[pos + 1] if pos + 1 < self.n else ""
        if ch == "(":
            if nxt == "-":
                self._push(ELLIPSE_TEXT)
                return (ELLIPSE_START, pos + 2)
            if nxt == "[":
                self._push(TEXT_STATE)
                return (STADIUMSTART, pos + 2)
            if text.startswith("(((", pos):
                self._push(TEXT_STATE)
                return (DOUBLECIRCLESTART, pos + 3)
        elif ch == "[":
            if nxt == "[":
                self._push(TEXT_STATE)
                return (SUBROUTINESTART, pos + 2)
            if nxt == "(":
                self._push(TEXT_STATE)
                return (CYLINDERSTART, pos + 2)
            if nxt == "/":
                self._push(TRAP_TEXT)
                return (TRAPSTART, pos + 2)
            if nxt == "\\":
                self._push(TRAP_TEXT)
                return (INVTRAPSTART, pos + 2)
        return None

    def _bracket(self, pos: int) -> tuple[int, int] | None:
        """Rules 110, 112, 114, 116: a single ``|``, ``(``, ``[`` or ``{`` opens a label."""
        pushed = _BRACKET_PUSH.get(self.text[pos])
        if pushed is None:
            return None
        self._push(pushed[1])
        return (pushed[0], pos + 1)

    def _tail(self, pos: int) -> tuple[int, int] | None:
        """Rules 79 .. 116 that every state ends with ('<*>' in flow.jison)."""
        ch = self.text[pos]
        if ch in JS_SPACE or ch == "~":
            end = self._tilde_link(pos)
            return None if end < 0 else (LINK, end)
        return self._opener(pos) or self._bracket(pos)

    # -- INITIAL ------------------------------------------------------------------------

    def _initial(self, pos: int) -> tuple[int, int] | None:
        text, n = self.text, self.n
        ch = text[pos]
        nxt = text[pos + 1] if pos + 1 < n else ""
        # 0, 2, 4: accessibility statements
        if ch == "a" and text.startswith("acc", pos):
            found = self._acc(pos)
            if found is not None:
                return found
        # 7: shape data
        if ch == "@" and nxt == "{":
            self._push(SHAPE_DATA_STATE)
            self._text_override = ""
            return (SHAPE_DATA, pos + 2)
        # 13: `call` + whitespace opens a callback name
        if ch == "c" and text.startswith("call", pos) and pos + 4 < n and text[pos + 4] in JS_SPACE:
            self._push(CALLBACKNAME_STATE)
            return (-1, self._ws_end(pos + 4))
        # 21, 24
        if ch == '"':
            return self._quote(pos)
        keyword = self._keyword(pos, ch)
        if keyword is not None:
            return keyword
        # 56-60: a line with `direction XX` in it, from here on, is a direction statement
        if self._directions is not None and ch not in LINE_TERMINATORS:
            hit = self._directions.match(pos)
            if hit is not None:
                self._text_override = hit[0]
                return (DIRECTION, hit[1])
        # 61: LINK_ID
        if self._has_at and ch not in _LINK_ID_STOP:
            end = self._link_id(pos)
            if end >= 0:
                return (LINK_ID, end)
        # 62
        if "0" <= ch <= "9":
            end = pos + 1
            while end < n and "0" <= text[end] <= "9":
                end += 1
            return (NUM, end)
        # 63-69
        if ch == "#":
            return (BRKT, pos + 1)
        if ch == ":":
            if text.startswith(":::", pos):
                return (STYLE_SEPARATOR, pos + 3)
            return (COLON, pos + 1)
        single = _SINGLES.get(ch)
        if single is not None:
            return (single, pos + 1)
        # 70-79: links
        if ch in JS_SPACE or ch in "xo<-=.~":
            found = self._link(pos)
            if found is not None:
                return found
        # 82-97: shape openers; 98-102
        if ch in "([":
            found = self._opener(pos)
            if found is not None:
                return found
        if ch == "[" and nxt == "|":
            return (VERTEX_WITH_PROPS_START, pos + 2)
        if ch == ">":
            self._push(TEXT_STATE)
            return (TAGEND, pos + 1)
        if ch == "<":
            return (TAGSTART, pos + 1)
        if ch == "^":
            return (UP, pos + 1)
        if ch == "\\" and nxt == "|":
            return (SEP, pos + 2)
        if ch == "v" and at_word_boundary(text, pos + 1):
            return (DOWN, pos + 1)
        # 106: NODE_STRING
        end = self._node_string(pos)
        if end > pos:
            return (NODE_STRING, end)
        if ch == "-":
            return (MINUS, pos + 1)
        if is_unicode_text(ch):
            return (UNICODE_TEXT, pos + 1)
        if ch in "|([{":
            return self._bracket(pos)
        if ch == "\n":
            end = pos + 1
            while end < n and text[end] == "\n":
                end += 1
            return (NEWLINE, end)
        if ch in JS_SPACE and ch not in "\n\r":
            end = pos + 1
            while end < n and text[end] in JS_SPACE and text[end] not in "\n\r":
                end += 1
            return (SPACE, end)
        return None

    def _acc(self, pos: int) -> tuple[int, int] | None:
        text = self.text
        if text.startswith("accTitle", pos):
            i = self._ws_end(pos + 8)
            if i < self.n and text[i] == ":":
                self._push(ACC_TITLE_STATE)
                return (ACC_TITLE, self._ws_end(i + 1))
        if text.startswith("accDescr", pos):
            i = self._ws_end(pos + 8)
            if i < self.n and text[i] == ":":
                self._push(ACC_DESCR_STATE)
                return (ACC_DESCR, self._ws_end(i + 1))
            if i < self.n and text[i] == "{":
                self._push(ACC_DESCR_MULTILINE)
                return (-1, self._ws_end(i + 1))
        return None

    def _keyword(self, pos: int, ch: str) -> tuple[int, int] | None:
        """Rules 25-44, in order."""
        text = self.text
        if ch not in "sdlicfhge_":
            return None
        for word, kind in _KEYWORDS:
            if text.startswith(word, pos) and at_word_boundary(text, pos + len(word)):
                return (kind, pos + len(word))
        if text.startswith("href", pos) and pos + 4 < self.n and text[pos + 4] in JS_SPACE:
            return (HREF, pos + 5)
        if text.startswith("click", pos) and pos + 5 < self.n and text[pos + 5] in JS_SPACE:
            self._push(CLICK_STATE)
            return (-1, self._ws_end(pos + 5))
        for word in _GRAPH_WORDS:
            if text.startswith(word, pos) and at_word_boundary(text, pos + len(word)):
                if self.first_graph:
                    self.first_graph = False
                    self._push(DIR_STATE)
                return (GRAPH, pos + len(word))
        if text.startswith("subgraph", pos) and at_word_boundary(text, pos + 8):
            return (SUBGRAPH, pos + 8)
        if text.startswith("end", pos) and at_word_boundary(text, pos + 3):
            return (END, self._ws_end(pos + 3))
        for word in _LINK_TARGETS:
            if text.startswith(word, pos) and at_word_boundary(text, pos + len(word)):
                return (LINK_TARGET, pos + len(word))
        return None

    def _link_id(self, pos: int) -> int:
        """Rule 61 ``[^\\s"[\\](){}|]+@(?=[^{"])``: end of the match or -1."""
        start, end, last_at = self._id_run
        if not (start <= pos < end):
            text, n = self.text, self.n
            end = pos
            while end < n and text[end] not in _LINK_ID_STOP:
                end += 1
            last_at = -1
            at = text.rfind("@", pos, end)
            while at != -1:
                if at + 1 < n and text[at + 1] not in '{"':
                    last_at = at
                    break
                at = text.rfind("@", pos, at)
            self._id_run = (pos, end, last_at)
        return last_at + 1 if last_at > pos else -1

    def _node_string(self, pos: int) -> int:
        text, n = self.text, self.n
        i = pos
        while i < n:
            ch = text[i]
            if ch in _NODE_CHARS or (ch == "-" and i + 1 < n and text[i + 1] not in ">-."):
                i += 1
            else:
                break
        return i

    def _link(self, pos: int) -> tuple[int, int] | None:
        """Rules 70, 71, 73, 74, 76, 77, 79 in order."""
        for end_rule, start_rule, state in (
            (self._dash_link, self._dash_start, EDGE_TEXT_STATE),
            (self._thick_link, self._thick_start, THICK_EDGE_TEXT),
        ):
            end = end_rule(pos)
            if end >= 0:
                self._pop()
                return (LINK, end)
            end = start_rule(pos)
            if end >= 0:
                self._push(state)
                return (START_LINK, end)
        end = self._dotted_link(pos)
        if end >= 0:
            self._pop()
            return (LINK, end)
        end = self._dotted_start(pos)
        if end >= 0:
            self._push(DOTTED_EDGE_TEXT)
            return (START_LINK, end)
        end = self._tilde_link(pos)
        if end >= 0:
            return (LINK, end)
        return None

    def _head(self, pos: int) -> int:
        """``\\s*[xo<]?``: where the line characters of a link begin."""
        i = self._ws_end(pos)
        if i < self.n and self.text[i] in "xo<":
            i += 1
        return i

    def _repeated_link(self, pos: int, char: str, ends: str) -> int:
        """``\\s*[xo<]?CC+[C xo>]\\s*`` for C = ``-`` (rule 70) or ``=`` (rule 73)."""
        text, n = self.text, self.n
        i = self._head(pos)
        j = i
        while j < n and text[j] == char:
            j += 1
        count = j - i
        if count >= 2 and j < n and text[j] in ends:
            return self._ws_end(j + 1)
        if count >= 3:
            return self._ws_end(j)
        return -1

    def _dash_link(self, pos: int) -> int:
        return self._repeated_link(pos, "-", "xo>")

    def _thick_link(self, pos: int) -> int:
        return self._repeated_link(pos, "=", "xo>")

    def _dash_start(self, pos: int) -> int:
        i = self._head(pos)
        return self._ws_end(i + 2) if self.text.startswith("--", i) else -1

    def _thick_start(self, pos: int) -> int:
        i = self._head(pos)
        return self._ws_end(i + 2) if self.text.startswith("==", i) else -1

    def _dotted_link(self, pos: int) -> int:
        """Rule 76 ``\\s*[xo<]?-?\\.+-[xo>]?\\s*``."""
        text, n = self.text, self.n
        i = self._head(pos)
        if i < n and text[i] == "-":
            i += 1
        j = i
        while j < n and text[j] == ".":
            j += 1
        if j == i or j >= n or text[j] != "-":
            return -1
        j += 1
        if j < n and text[j] in "xo>":
            j += 1
        return self._ws_end(j)

    def _dotted_start(self, pos: int) -> int:
        i = self._head(pos)
        return self._ws_end(i + 2) if self.text.startswith("-.", i) else -1

    def _tilde_link(self, pos: int) -> int:
        """Rule 79 ``\\s*~~[~]+\\s*``."""
        text, n = self.text, self.n
        i = self._ws_end(pos)
        j = i
        while j < n and text[j] == "~":
            j += 1
        return self._ws_end(j) if j - i >= 3 else -1

    # -- other states ---------------------------------------------------------------------

    def _text_state(self, pos: int) -> tuple[int, int] | None:
        """Inside a node label or between pipes."""
        text, n = self.text, self.n
        ch = text[pos]
        if ch == '"':
            return self._quote(pos)
        if ch in JS_SPACE or ch == "~":
            end = self._tilde_link(pos)
            if end >= 0:
                return (LINK, end)
        nxt = text[pos + 1] if pos + 1 < n else ""
        if ch == "]":
            self._pop()
            if nxt == ")":
                return (STADIUMEND, pos + 2)
            if nxt == "]":
                return (SUBROUTINEEND, pos + 2)
            return (SQE, pos + 1)
        if ch == ")":
            self._pop()
            if nxt == "]":
                return (CYLINDEREND, pos + 2)
            if text.startswith(")))", pos):
                return (DOUBLECIRCLEEND, pos + 3)
            return (PE, pos + 1)
        if ch == "|":
            self._pop()
            return (PIPE, pos + 1)
        if ch == "}":
            self._pop()
            return (DIAMOND_STOP, pos + 1)
        if ch in "([{":
            return self._tail(pos)
        end = pos
        while end < n and text[end] not in _TEXT_STOP:
            end += 1
        return (TEXT, end)

    def _edge_text(self, pos: int, state: int) -> tuple[int, int] | None:
        """Between ``--``/``==``/``-.`` and the end of a labelled link (rules 70-78)."""
        text, n = self.text, self.n
        ch = text[pos]
        if ch == '"':
            return self._quote(pos)
        if state == EDGE_TEXT_STATE:
            end_rule, special, stop = self._dash_link, "-", "-"
        elif state == THICK_EDGE_TEXT:
            end_rule, special, stop = self._thick_link, "=", "="
        else:
            end_rule, special, stop = self._dotted_link, "-.", "."
        if ch in JS_SPACE or ch in "xo<" or ch in special:
            end = end_rule(pos)
            if end >= 0:
                self._pop()
                return (LINK, end)
        if ch == stop:
            # '-' may stand alone (not before another '-'); '=' and '.' never can.
            if stop == "-" and not (pos + 1 < n and text[pos + 1] == "-"):
                return (EDGE_TEXT, pos + 1)
            return self._tail(pos)
        # A run of characters none of which could start the closing link or a string.
        end = pos + 1
        while end < n:
            c = text[end]
            if c in JS_SPACE or c in 'xo<"' or c in special:
                break
            end += 1
        return (EDGE_TEXT, end)

    def _string(self, pos: int) -> tuple[int, int] | None:
        text = self.text
        if text[pos] == '"':
            if pos + 1 < self.n and text[pos + 1] == "`":
                self._push(MD_STRING)
                return (-1, pos + 2)
            self._pop()
            return (-1, pos + 1)
        end = text.find('"', pos)
        return (STR, self.n if end == -1 else end)

    def _md_string(self, pos: int) -> tuple[int, int] | None:
        text, n = self.text, self.n
        i = pos
        while i < n and text[i] not in '`"':
            i += 1
        if i > pos:
            return (MD_STR, i)
        if text.startswith('`"', pos):
            self._pop()
            return (-1, pos + 2)
        if text[pos] == '"':
            return self._quote(pos)
        return self._tail(pos)

    def _other_state(self, pos: int, state: int) -> tuple[int, int] | None:
        text, n = self.text, self.n
        ch = text[pos]
        if state == DIR_STATE:
            return self._dir(pos)
        if state == ELLIPSE_TEXT:
            if ch == '"':
                return self._quote(pos)
            if ch in JS_SPACE or ch == "~":
                end = self._tilde_link(pos)
                if end >= 0:
                    return (LINK, end)
            if ch in "-/)" and pos + 1 < n and text[pos + 1] == ")":
                self._pop()
                return (ELLIPSE_END, pos + 2)
            if ch not in "()[]{}":
                return (TEXT, pos + 1)
            return self._tail(pos)
        if state == TRAP_TEXT:
            return self._trap_text(pos)
        if state == SHAPE_DATA_STATE:
            if ch == '"':
                self._push(SHAPE_DATA_STR)
                return (SHAPE_DATA, pos + 1)
            if ch == "}":
                self._pop()
                return (-1, pos + 1)
            end = pos
            while end < n and text[end] not in '}^"':
                end += 1
            if end > pos:
                return (SHAPE_DATA, end)
            return self._tail(pos)
        if state == SHAPE_DATA_STR:
            if ch == '"':
                self._pop()
                return (SHAPE_DATA, pos + 1)
            end = text.find('"', pos)
            end = n if end == -1 else end
            self._text_override = _newlines_to_br(text[pos:end])
            return (SHAPE_DATA, end)
        if state == CLICK_STATE:
            if ch == '"':
                return self._quote(pos)
            if ch in JS_SPACE:
                self._pop()
                return (-1, pos + 1)
            end = pos
            while end < n and text[end] not in JS_SPACE:
                end += 1
            return (CLICK, end)
        if state == CALLBACKNAME_STATE:
            if ch == "(":
                i = self._ws_end(pos + 1)
                self._pop()
                if i < n and text[i] == ")":
                    return (-1, i + 1)
                self._push(CALLBACKARGS_STATE)
                return (-1, pos + 1)
            end = text.find("(", pos)
            return (CALLBACKNAME, n if end == -1 else end)
        if state == CALLBACKARGS_STATE:
            if ch == ")":
                self._pop()
                return (-1, pos + 1)
            end = text.find(")", pos)
            return (CALLBACKARGS, n if end == -1 else end)
        if state in (ACC_TITLE_STATE, ACC_DESCR_STATE):
            end = text.find("\n", pos)
            self._pop()
            return (ACC_TITLE_VALUE if state == ACC_TITLE_STATE else ACC_DESCR_VALUE, n if end == -1 else end)
        if state == ACC_DESCR_MULTILINE:
            if ch == "}":
                self._pop()
                return (-1, pos + 1)
            end = text.find("}", pos)
            return (ACC_DESCR_MULTILINE_VALUE, n if end == -1 else end)
        return None

    def _dir(self, pos: int) -> tuple[int, int] | None:
        """Right after the first ``graph``/``flowchart``: rules 45-55."""
        text, n = self.text, self.n
        if text[pos] == '"':
            return self._quote(pos)
        ws_end = self._ws_end(pos)
        last_newline = text.rfind("\n", pos, ws_end)
        if last_newline != -1:  # (\r?\n)*\s*\n
            self._pop()
            return (NODIR, last_newline + 1)
        for word in ("LR", "RL", "TB", "BT", "TD", "BR"):
            if text.startswith(word, ws_end) and at_word_boundary(text, ws_end + 2):
                self._pop()
                return (DIR, ws_end + 2)
        if ws_end < n and text[ws_end] in "<>^":
            self._pop()
            return (DIR, ws_end + 1)
        if ws_end < n and text[ws_end] == "v" and at_word_boundary(text, ws_end + 1):
            self._pop()
            return (DIR, ws_end + 1)
        return self._tail(pos)

    def _trap_text(self, pos: int) -> tuple[int, int] | None:
        """Inside ``[/ ... ]`` or ``[\\ ... ]`` (rules 93-95)."""
        text, n = self.text, self.n
        ch = text[pos]
        if ch == '"':
            return self._quote(pos)
        if ch in JS_SPACE or ch == "~":
            end = self._tilde_link(pos)
            if end >= 0:
                return (LINK, end)
        nxt = text[pos + 1] if pos + 1 < n else ""
        if (ch == "(" and nxt in "-[") or text.startswith("(((", pos):
            return self._tail(pos)
        if ch == "[" and nxt in "[(":
            return self._tail(pos)
        if ch in "\\(?=])" and nxt == "]":
            self._pop()
            return (TRAPEND, pos + 2)
        if ch == "/" and nxt == "]":
            self._pop()
            return (INVTRAPEND, pos + 2)
        if ch in "/\\":
            return (TEXT, pos + 1)
        if ch not in "[](){}":
            end = pos
            while end < n and text[end] not in "\\[](){}/":
                end += 1
            return (TEXT, end)
        return self._tail(pos)


_SINGLES = {"&": AMP, ";": SEMI, ",": COMMA, "*": MULT}
_LINE_BREAKS = re.compile("[\n\r\u2028\u2029]")


def _newlines_to_br(value: str) -> str:
    """Rule 10: inside a quoted shape-data string, ``\\n\\s*`` becomes ``<br/>``."""
    if "\n" not in value:
        return value
    out: list[str] = []
    i, n = 0, len(value)
    while i < n:
        ch = value[i]
        if ch == "\n":
            out.append("<br/>")
            i += 1
            while i < n and value[i] in JS_SPACE:
                i += 1
        else:
            out.append(ch)
            i += 1
    return "".join(out)


class DirectionIndex:
    """Answers ``.*direction\\s+XX[^\\n]*`` lexer rules in O(log n) per token.

    The greedy ``.*`` reaches any ``direction`` later on the same line (JavaScript's ``.``
    stops only at line terminators) and backs off to the last one that fits, so per line
    and per direction word we keep the last usable occurrence and where its match ends.
    ``words`` are tried in the order of the lexer's rules.
    """

    def __init__(self, text: str, words: tuple[str, ...] = _DIRECTIONS, ignore_case: bool = False) -> None:
        self.words = words
        self.breaks: list[int] = [m.start() for m in _LINE_BREAKS.finditer(text)]
        # line id (index of the break ending it) -> {direction: (start of `direction`, match end)}
        self.by_line: dict[int, dict[str, tuple[int, int]]] = {}
        scan = text.lower() if ignore_case else text
        n = len(text)
        at = scan.find("direction")
        while at != -1:
            i = at + len("direction")
            j = i
            while j < n and text[j] in JS_SPACE:
                j += 1
            word = text[j : j + 2].upper() if ignore_case else text[j : j + 2]
            if j > i and word in words:
                end = text.find("\n", j + 2)
                end = n if end == -1 else end
                line = bisect_left(self.breaks, at)
                self.by_line.setdefault(line, {})[word] = (at, end)
            at = scan.find("direction", at + 1)

    def match(self, pos: int) -> tuple[str, int] | None:
        """(direction, end of the match) for a token starting at ``pos``, if a rule fires."""
        found = self.by_line.get(bisect_left(self.breaks, pos))
        if not found:
            return None
        for word in self.words:
            hit = found.get(word)
            if hit is not None and hit[0] >= pos:
                return word, hit[1]
        return None


def is_id_token(kind: int) -> bool:
    """``idStringToken``: what node ids are made of."""
    return kind in _ID_TOKENS


_ID_TOKENS = frozenset({NUM, NODE_STRING, DOWN, MINUS, DEFAULT, COMMA, COLON, AMP, BRKT, MULT, UNICODE_TEXT})
