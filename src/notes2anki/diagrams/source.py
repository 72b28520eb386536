"""Mermaid's preprocessing, replayed: the text its diagram parsers actually see.

Before any diagram grammar runs, Mermaid normalises newlines, rewrites quoted HTML
attributes, strips YAML front matter, ``%%{...}%%`` directives and ``%%`` comment lines,
trims the start, replaces entity codes (``#quot;``) by private placeholders and appends a
newline. Each step changes what parses (a bare ``%%`` line is a node; a comment after a
statement is not removed), so we replay them in Mermaid's order, by hand-written scans
(linear time, no backtracking regexes), while keeping track of which file line every
line of the result came from.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import cached_property

from notes2anki.diagrams.chars import JS_SPACE, LINE_TERMINATORS, is_word, js_trim, skip_space


class MermaidSyntaxError(Exception):
    """Mermaid would refuse the diagram. ``line`` is 0-based within the diagram source."""

    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


ENTITY_OPEN = "\ufb02\u00b0"
"""Mermaid's placeholder for ``#`` of an entity code (``#quot;`` -> ``ﬂ°quot¶ß``)."""
ENTITY_NUM_OPEN = "\ufb02\u00b0\u00b0"
ENTITY_CLOSE = "\u00b6\u00df"


@dataclass(frozen=True)
class Prepared:
    """The text a diagram parser sees, and where each of its lines came from."""

    text: str
    origins: tuple[int, ...]
    """``origins[i]``: 0-based line of the original source that line ``i`` of ``text`` came from."""
    title: str
    """Front matter ``title``, if any."""
    kind: str | None
    """Mermaid's diagram id (``flowchart-v2``, ``sequence``, ...); ``None`` if it detects none."""

    def origin_of_line(self, line: int) -> int:
        """Original 0-based line of 0-based processed line ``line`` (clamped)."""
        if not self.origins:
            return 0
        return self.origins[min(max(line, 0), len(self.origins) - 1)]

    @cached_property
    def _newlines(self) -> list[int]:
        return [m.start() for m in re.finditer("\n", self.text)]

    def line_of_offset(self, offset: int) -> int:
        """Original 0-based line of the character at ``offset`` in ``text``."""
        return self.origin_of_line(bisect_right(self._newlines, offset - 1))


class _Mapped:
    """Text plus, for each of its lines, the original line it came from."""

    def __init__(self, text: str, origins: list[int]) -> None:
        self.text = text
        self.origins = origins

    def _newlines(self) -> list[int]:
        text, out, i = self.text, [], self.text.find("\n")
        while i != -1:
            out.append(i)
            i = text.find("\n", i + 1)
        return out

    def delete(self, spans: list[tuple[int, int]]) -> _Mapped:
        """Remove the (sorted, disjoint) ``spans``; lines keep the origin of their first kept character."""
        if not spans:
            return self
        text, origins = self.text, self.origins
        newlines = self._newlines()

        def origin_at(offset: int) -> int:
            return origins[min(bisect_right(newlines, offset - 1), len(origins) - 1)]

        pieces: list[str] = []
        new_origins: list[int] = []
        pending = True
        fallback = origin_at(0)
        kept: list[tuple[int, int]] = []
        cursor = 0
        for start, end in spans:
            if start > cursor:
                kept.append((cursor, start))
            cursor = max(cursor, end)
        if cursor < len(text):
            kept.append((cursor, len(text)))
        for start, end in kept:
            pieces.append(text[start:end])
            if pending:
                new_origins.append(origin_at(start))
                pending = False
            nl = text.find("\n", start, end)
            while nl != -1:
                if nl + 1 < end:
                    new_origins.append(origin_at(nl + 1))
                else:
                    pending = True
                    fallback = origin_at(nl + 1)
                nl = text.find("\n", nl + 1, end)
        if pending:
            new_origins.append(fallback)
        return _Mapped("".join(pieces), new_origins)



def prepare(source: str) -> Prepared:
    """Replay Mermaid's ``preprocessDiagram`` + ``Diagram.fromText`` text handling."""
    text = source.replace("\r\n", "\n").replace("\r", "\n")
    current = _Mapped(_quote_tag_attributes(text), list(range(text.count("\n") + 1)))
    title = ""
    front = match_front_matter(current.text)
    if front is not None:
        body, length = front
        problem = front_matter_problem(body)
        if problem is not None:
            raise MermaidSyntaxError(f"Bad YAML front matter: {problem[0]}", problem[1] + 1)
        title = _front_matter_title(body)
        current = current.delete([(0, length)])
    current = current.delete(_directive_spans(current.text))
    current = current.delete(_comment_line_spans(current.text))
    lead = len(current.text) - len(current.text.lstrip("".join(JS_SPACE)))
    current = current.delete([(0, lead)] if lead else [])
    kind = detect_kind(current.text)
    origins = (*current.origins, current.origins[-1])  # for the newline Mermaid appends
    return Prepared(encode_entities(current.text) + "\n", origins, title, kind)


def _quote_tag_attributes(text: str) -> str:
    """``<(\\w+)([^>]*)>``: inside each tag, ``="x"`` becomes ``='x'``."""
    out: list[str] = []
    cursor = 0
    pos = text.find("<")
    while pos != -1:
        name_end = pos + 1
        while name_end < len(text) and is_word(text[name_end]):
            name_end += 1
        if name_end == pos + 1:
            pos = text.find("<", pos + 1)
            continue
        close = text.find(">", name_end)
        if close == -1:
            break
        out.append(text[cursor:name_end])
        out.append(_DOUBLE_QUOTED_ATTR.sub(r"='\1'", text[name_end:close]))
        cursor = close
        pos = text.find("<", close)
    out.append(text[cursor:])
    return "".join(out)


_DOUBLE_QUOTED_ATTR = re.compile(r'="([^"]*)"')


def match_front_matter(text: str) -> tuple[str, int] | None:
    """Mermaid's ``matchFrontMatter``: (body, length of the whole block) or ``None``."""
    n = len(text)
    cursor = 0
    while cursor < n and text[cursor] in JS_SPACE and text[cursor] not in "\n\r":
        cursor += 1
    indent = text[:cursor]
    if not text.startswith("---", cursor):
        return None
    opening_ends = []
    i = cursor + 3
    while i < n and text[i] in JS_SPACE:
        if text[i] in "\n\r":
            opening_ends.append(i)
        i += 1
    if not opening_ends:
        return None
    fence = indent + "---"

    def closing_end(i: int) -> int:
        if text[i] not in "\n\r" or not text.startswith(fence, i + 1):
            return -1
        last = -1
        j = i + 1 + len(fence)
        while j < n and text[j] in JS_SPACE:
            if text[j] in "\n\r":
                last = j
            j += 1
        return last

    breaks = [i for i in range(opening_ends[0] + 1, n) if text[i] in "\n\r"]
    closing = [i for i in breaks if closing_end(i) != -1]
    if not closing:
        return None
    last_closing = closing[-1]
    opening_end = opening_ends[0]
    for candidate in opening_ends:
        if candidate < last_closing:
            opening_end = candidate
    body_start = opening_end + 1
    for i in closing:
        if body_start <= i <= last_closing:
            return text[body_start:i], closing_end(i) + 1
    return None


def _front_matter_title(body: str) -> str:
    """The top-level ``title:`` of a front matter block (a small YAML subset is enough here)."""
    for line in body.split("\n"):
        if line.startswith("title:"):
            value = line[len("title:") :].strip()
            if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
                value = value[1:-1]
            return value
    return ""


def front_matter_problem(body: str) -> tuple[str, int] | None:
    """What js-yaml would refuse in a front matter block, for the shapes notes use.

    Not a YAML parser: it follows ``key: value`` / ``key:`` / ``- item`` lines and their
    indentation, and checks values for the mistakes that occur in practice (a second
    ``: `` in a plain value, an alias ``*``, a reserved ``@`` or backtick, an unclosed
    quote or bracket, text after a closed flow collection, a line indented under a key
    that already has a value). Returns (message, 0-based line in ``body``) or ``None``.
    """
    levels = [0]  # indentation of the open mappings
    opener = False  # the previous line was `key:` with nothing after it
    scalar_at: int | None = None  # a bare scalar filled the node at this indentation
    block_scalar: int | None = None  # indentation of a `key: |` block's key
    for number, raw in enumerate(body.split("\n")):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        depth = len(raw) - len(raw.lstrip(" "))
        if block_scalar is not None:
            if depth > block_scalar:
                continue
            block_scalar = None
        if depth > levels[-1]:
            if not opener:
                if ": " in line or line.endswith(":"):
                    return ("bad indentation of a mapping entry", number)
                continue  # a plain value continued on the next line
            levels.append(depth)
        else:
            while depth < levels[-1]:
                levels.pop()
            if depth != levels[-1] or depth == scalar_at:
                return ("bad indentation of a mapping entry", number)
        scalar_at = None
        if line.startswith("- ") or line == "-":
            value, opener = line[1:].strip(), False
        else:
            key, value = _split_key(line)
            if key is None:  # a bare scalar: the whole value of the key above
                opener, scalar_at = False, depth
                continue
            opener = not value
        if value[:1] in ("|", ">"):
            block_scalar = depth
            continue
        problem = _yaml_value_problem(value)
        if problem is not None:
            return (problem, number)
    return None


def _split_key(line: str) -> tuple[str | None, str]:
    """``key: value`` at the first ``:`` followed by a space (or ending the line)."""
    if line[:1] in "'\"":
        close = line.find(line[0], 1)
        colon = close + 1 if close != -1 and line[close + 1 : close + 2] == ":" else -1
    else:
        colon = line.find(": ")
        if colon == -1 and line.endswith(":"):
            colon = len(line) - 1
    if colon == -1:
        return None, line
    return line[:colon], line[colon + 1 :].strip()


def _yaml_value_problem(value: str) -> str | None:
    if not value or value[0] == "#":
        return None
    head = value[0]
    if head == "*":
        return "an alias ('*') names no anchor"
    if head in "@`":
        return f"a plain value cannot start with {head!r}"
    if head in "'\"":
        close = value.find(head, 1)
        while head == "'" and close != -1 and value.startswith("''", close):
            close = value.find("'", close + 2)
        if close == -1:
            return "an unclosed quoted value"
        rest = value[close + 1 :].strip()
        return None if not rest or rest.startswith("#") else "text after a quoted value"
    if head in "[{":
        return _flow_problem(value)
    if head in "|>&!%":
        return None
    if ": " in value or value.endswith(":"):
        return "a plain value contains ': ' (quote it)"
    return None


def _flow_problem(value: str) -> str | None:
    depth = 0
    item_start = True
    quote = ""
    for i, ch in enumerate(value):
        if quote:
            if ch == quote:
                quote = ""
            continue
        if ch in "'\"" and item_start:
            quote = ch
        elif ch in "[{":
            depth += 1
            item_start = True
            continue
        elif ch in "]}":
            depth -= 1
            if depth == 0:
                rest = value[i + 1 :].strip()
                return None if not rest or rest.startswith("#") else "text after a flow collection"
        elif ch == ",":
            item_start = True
            continue
        elif ch == "*" and item_start:
            return "an alias ('*') names no anchor"
        if not ch.isspace():
            item_start = False
    return "an unclosed flow collection"


def _directive_spans(text: str) -> list[tuple[int, int]]:
    """Where Mermaid's ``directiveRegex`` matches (it removes every match)."""
    spans: list[tuple[int, int]] = []
    n = len(text)
    pos = text.find("%%{")
    while pos != -1:
        i = skip_space(text, pos + 3)
        word_end = i
        while word_end < n and is_word(text[word_end]):
            word_end += 1
        if word_end == i:
            pos = text.find("%%{", pos + 1)
            continue
        i = word_end
        after = skip_space(text, i)
        if after < n and text[after] == ":":
            i = after + 1
        i = skip_space(text, i)
        if i < n and is_word(text[i]):
            while i < n and is_word(text[i]):
                i += 1
        else:
            while i < n and not text.startswith("}%%", i):
                if text[i] == "\n":
                    i += 1
                elif text[i] in LINE_TERMINATORS:
                    break
                else:
                    i += 1
        i = skip_space(text, i)
        if text.startswith("}%%", i):
            i += 3
        spans.append((pos, i))
        pos = text.find("%%{", max(i, pos + 1))
    return spans


def _comment_line_spans(text: str) -> list[tuple[int, int]]:
    """Where ``/^\\s*%%(?!{)[^\\n]+\\n?/gm`` matches (Mermaid's ``cleanupComments``)."""
    spans: list[tuple[int, int]] = []
    n = len(text)
    starts = [0] + [m.end() for m in _LINE_BREAK.finditer(text)]
    k = 0
    while k < len(starts):
        start = starts[k]
        q = skip_space(text, start)
        if text.startswith("%%", q) and q + 2 < n and text[q + 2] not in "{\n":
            end = text.find("\n", q + 2)
            end = n if end == -1 else end + 1
            spans.append((start, end))
            while k < len(starts) and starts[k] < end:
                k += 1
            continue
        # Every later line start inside this whitespace run reaches the same q.
        while k < len(starts) and starts[k] <= q:
            k += 1
    return spans


_LINE_BREAK = re.compile("[\n\u2028\u2029]")


def encode_entities(text: str) -> str:
    """Mermaid's ``encodeEntities``: per line, drop a ``style``/``classDef`` line's last ``;``,
    then turn ``#name;`` / ``#123;`` into placeholders the lexers pass through."""
    # JavaScript's `.` stops at any line terminator: split on all of them, keep them.
    parts = _LINE_BREAK_KEPT.split(text)
    for keyword in ("style", "classDef"):
        for i in range(0, len(parts), 2):
            if keyword in parts[i]:
                parts[i] = _drop_style_semicolon(parts[i], keyword)
    return "".join(_encode_entity_codes(part) if "#" in part else part for part in parts)


_LINE_BREAK_KEPT = re.compile("([\n\u2028\u2029])")


def _drop_style_semicolon(line: str, keyword: str) -> str:
    """``/style.*:\\S*#.*;/g`` on one line, replaced by the match minus its last character."""
    start = line.find(keyword)
    last_semi = line.rfind(";")
    if start == -1 or last_semi == -1:
        return line
    colon_in_run = False
    for i in range(start + len(keyword), last_semi):
        ch = line[i]
        if ch in JS_SPACE:
            colon_in_run = False
        elif ch == ":":
            colon_in_run = True
        elif ch == "#" and colon_in_run:
            return line[:last_semi] + line[last_semi + 1 :]
    return line


def _encode_entity_codes(line: str) -> str:
    out: list[str] = []
    cursor = 0
    pos = line.find("#")
    while pos != -1:
        end = pos + 1
        while end < len(line) and is_word(line[end]):
            end += 1
        if end > pos + 1 and end < len(line) and line[end] == ";":
            inner = line[pos + 1 : end]  # ASCII word characters only
            opener = ENTITY_NUM_OPEN if inner.isdigit() else ENTITY_OPEN
            out.append(line[cursor:pos] + opener + inner + ENTITY_CLOSE)
            cursor = end + 1
            pos = line.find("#", cursor)
        else:
            pos = line.find("#", pos + 1)
    out.append(line[cursor:])
    return "".join(out)


# Mermaid 12.3.0's detectors, in the order it registers them (the first match wins).
# `C4Context|C4Container|...` is unanchored after its first alternative, exactly as there.
_JS_WS = "[" + re.escape("".join(sorted(JS_SPACE))) + "]"
_DETECTORS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(pattern.replace(r"\s", _JS_WS), flags))
    for kind, pattern, flags in (
        ("flowchart-elk", r"\s*flowchart-elk", 0),
        ("mindmap", r"\s*mindmap", 0),
        ("architecture", r"\s*architecture", 0),
        ("agentflow", r"\s*agentflow-beta\b", 0),
        ("c4", r"\s*C4Context|.*?(?:C4Container|C4Component|C4Dynamic|C4Deployment)", re.S),
        ("kanban", r"\s*kanban", 0),
        ("classDiagram", r"\s*classDiagram", 0),
        ("er", r"\s*erDiagram", 0),
        ("gantt", r"\s*gantt", 0),
        ("info", r"\s*info", 0),
        ("pie", r"\s*pie", 0),
        ("requirement", r"\s*requirement", 0),
        ("sequence", r"\s*sequenceDiagram", 0),
        ("swimlane", r"\s*swimlane-beta\b", 0),
        ("flowchart-v2", r"\s*(graph|flowchart)", 0),
        ("timeline", r"\s*timeline", 0),
        ("gitGraph", r"\s*gitGraph", 0),
        ("stateDiagram", r"\s*stateDiagram", 0),
        ("journey", r"\s*journey", 0),
        ("quadrantChart", r"\s*quadrantChart", 0),
        ("sankey", r"\s*sankey", 0),
        ("packet", r"\s*packet", 0),
        ("xychart", r"\s*xychart", 0),
        ("block", r"\s*block", 0),
        ("eventmodeling", r"\s*eventmodeling", 0),
        ("treeView", r"\s*treeView-beta", 0),
        ("radar", r"\s*radar-beta", 0),
        ("ishikawa", r"\s*ishikawa(-beta)?\b", re.I),
        ("treemap", r"\s*treemap", 0),
        ("railroad", r"\s*railroad-beta", re.I),
        ("railroadEbnf", r"\s*railroad-ebnf-beta", re.I),
        ("railroadAbnf", r"\s*railroad-abnf-beta", re.I),
        ("railroadPeg", r"\s*railroad-peg-beta", re.I),
        ("venn", r"\s*venn-beta", 0),
        ("wardley", r"\s*wardley-beta", re.I),
        ("cynefin", r"\s*cynefin-beta(?:\s|:|\Z)", 0),
        ("usecase", r"\s*usecase-beta(?:\s|\Z)", 0),
    )
)


def detect_kind(text: str) -> str | None:
    """Mermaid's ``detectType`` on the cleaned text (``None``: it throws UnknownDiagramError)."""
    if js_trim(text).lower() == "error":
        return "error"
    if text.lower().lstrip("".join(JS_SPACE)).startswith("---"):
        return "---"
    text = _strip_any_comments(text)
    for kind, pattern in _DETECTORS:
        if pattern.match(text):
            return kind
    return None


def _strip_any_comments(text: str) -> str:
    """Mermaid's ``stripAnyComments``: drop every ``%%`` to end of line (for detection only)."""
    out: list[str] = []
    consumed = 0
    search = 0
    while search < len(text):
        marker = text.find("%%", search)
        if marker == -1:
            break
        line_end = text.find("\n", marker)
        if line_end == -1:
            break
        start = marker
        while start > consumed and text[start - 1] in JS_SPACE:
            start -= 1
        out.append(text[consumed:start] + "\n")
        consumed = line_end + 1
        search = consumed
    out.append(text[consumed:])
    return "".join(out)
