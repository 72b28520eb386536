"""Card HTML back to Markdown, for the few fields that exist only as HTML.

Most of what the quiz shows is a card's plain-text question and Markdown
answer. A cloze note's text, the ``back`` of a card without a Markdown answer
and the ``extra`` field exist only as the HTML that goes to Anki; this turns
them into Markdown the terminal renderer lays out like everything else. Tags
never survive: formatting becomes Markdown, everything else becomes its text.
Math keeps its LaTeX source (Anki's ``\\(…\\)`` becomes ``$…$``).
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

_MD_SPECIAL = re.compile(r"([\\`*_<>|~&])")
_LINE_START = re.compile(r"^(\s*)([#>+=-]|\d+[.)])", re.MULTILINE)
_MATH_INLINE = re.compile(r"\\\((.+?)\\\)", re.DOTALL)
_MATH_DISPLAY = re.compile(r"\\\[(.+?)\\\]", re.DOTALL)
_BLANK_LINES = re.compile(r"\n{3,}")

_BLOCKS = {"p", "div", "ul", "ol", "table", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "dl", "hr", "section",
           "details", "summary"}
_INLINE_MARKS = {"b": "**", "strong": "**", "i": "*", "em": "*", "s": "~~", "del": "~~"}
_DROP = {"script", "style", "head", "title"}


def escape_markdown(text: str) -> str:
    """Plain text as Markdown that shows exactly that text (``$…$`` math is left as math)."""
    # Brackets as entities: ``\\[`` would open display math (``texbrackets``).
    escaped = _MD_SPECIAL.sub(r"\\\1", text).replace("[", "&#91;").replace("]", "&#93;")
    return _LINE_START.sub(lambda m: m.group(1) + m.group(2)[:-1] + "\\" + m.group(2)[-1], escaped)


class _Converter(HTMLParser):
    def __init__(self, collapsed: bool) -> None:
        super().__init__(convert_charrefs=True)
        self.dropped = {*_DROP} if collapsed else {*_DROP, "details"}
        self.out: list[str] = []
        self.lists: list[list[int]] = []  # one counter per open list; [-1] for bullets
        self.pre = 0
        self.code = 0
        self.drop = 0
        self.row: list[str] | None = None
        self.rows: list[list[str]] = []
        self.cell: list[str] | None = None

    # -- helpers ---------------------------------------------------------
    def write(self, text: str) -> None:
        if self.drop:
            return
        if self.cell is not None:
            self.cell.append(text)
        else:
            self.out.append(text)

    def newline(self, blank: bool = False) -> None:
        if self.cell is not None:
            self.cell.append(" ")
            return
        self.out.append("\n\n" if blank else "\n")

    # -- parser callbacks ------------------------------------------------
    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.dropped:
            self.drop += 1
        elif tag == "br":
            self.newline()
        elif tag in _BLOCKS:
            if tag in ("ul", "ol"):
                self.lists.append([0 if tag == "ol" else -1])
            if tag == "table":
                self.rows = []
            self.newline(blank=True)
            if tag.startswith("h") and len(tag) == 2:
                self.write("**")
        elif tag == "li":
            self.newline()
            indent = "   " * max(0, len(self.lists) - 1)
            counter = self.lists[-1] if self.lists else [-1]
            if counter[0] >= 0:
                counter[0] += 1
                self.write(f"{indent}{counter[0]}. ")
            else:
                self.write(f"{indent}- ")
        elif tag in ("dt", "dd"):
            self.newline(blank=True)
            if tag == "dt":
                self.write("**")
        elif tag == "pre":
            self.pre += 1
            self.newline(blank=True)
            lang = ""
            for name, value in attrs:
                if name == "class" and value:
                    lang = value.replace("language-", "").split()[0]
            self.write(f"```{lang}\n")
        elif tag == "code":
            if self.pre:
                for name, value in attrs:
                    if name == "class" and value and self.out and self.out[-1] == "```\n":
                        self.out[-1] = "```" + value.replace("language-", "").split()[0] + "\n"
            else:
                self.code += 1
                self.write("`")
        elif tag in _INLINE_MARKS:
            self.write(_INLINE_MARKS[tag])
        elif tag == "tr":
            self.row = []
        elif tag in ("td", "th"):
            self.cell = []
        elif tag == "img":
            alt = dict(attrs).get("alt") or ""
            if alt:
                self.write(escape_markdown(alt))

    def handle_endtag(self, tag: str) -> None:
        if tag in self.dropped:
            self.drop = max(0, self.drop - 1)
        elif tag in _BLOCKS:
            if tag.startswith("h") and len(tag) == 2:
                self.write("**")
            if tag in ("ul", "ol") and self.lists:
                self.lists.pop()
            if tag == "table":
                self._flush_table()
            self.newline(blank=True)
        elif tag == "dt":
            self.write("**")
        elif tag == "pre":
            self.pre = max(0, self.pre - 1)
            if self.out and not self.out[-1].endswith("\n"):
                self.write("\n")
            self.write("```")
            self.newline(blank=True)
        elif tag == "code" and not self.pre:
            self.code = max(0, self.code - 1)
            self.write("`")
        elif tag in _INLINE_MARKS:
            self.write(_INLINE_MARKS[tag])
        elif tag in ("td", "th") and self.cell is not None:
            text = "".join(self.cell).strip().replace("|", "\\|")
            self.cell = None
            if self.row is not None:
                self.row.append(text)
        elif tag == "tr" and self.row is not None:
            self.rows.append(self.row)
            self.row = None

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in ("br", "img", "hr"):
            self.handle_endtag(tag)

    def handle_data(self, data: str) -> None:
        if self.pre or self.code:
            self.write(data)
        else:
            self.write(_with_math(data))

    def _flush_table(self) -> None:
        rows, self.rows = self.rows, []
        if not rows:
            return
        columns = max(len(r) for r in rows)
        lines = []
        for i, row in enumerate(rows):
            cells = row + [""] * (columns - len(row))
            lines.append("| " + " | ".join(cells) + " |")
            if i == 0:
                lines.append("|" + "---|" * columns)
        self.write("\n".join(lines))


def _with_math(text: str) -> str:
    """Escape text for Markdown, turning Anki's MathJax delimiters back into ``$``."""
    parts: list[str] = []
    pos = 0
    for m in re.finditer(rf"{_MATH_DISPLAY.pattern}|{_MATH_INLINE.pattern}", text, re.DOTALL):
        parts.append(escape_markdown(text[pos:m.start()]))
        if m.group(1) is not None:
            parts.append(f"$${m.group(1).strip()}$$")
        else:
            parts.append(f"${m.group(2).strip()}$")
        pos = m.end()
    parts.append(escape_markdown(text[pos:]))
    return "".join(parts)


def html_to_markdown(fragment: str, collapsed: bool = True) -> str:
    """Markdown showing what an HTML field shows: formatting kept, tags gone.

    With ``collapsed=False``, ``<details>`` blocks (folded until clicked in Anki) are left out.
    """
    if not fragment.strip():
        return ""
    converter = _Converter(collapsed)
    converter.feed(fragment)
    converter.close()
    text = "".join(converter.out)
    lines = [line.rstrip() for line in text.split("\n")]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip("\n")
