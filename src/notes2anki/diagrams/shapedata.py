"""The ``@{ shape: ..., label: "..." }`` bodies of flowchart nodes: a small YAML subset.

Mermaid hands these bodies to js-yaml with the JSON schema: one-line bodies as a flow
mapping (``{ shape: rect, label: "x" }``), multi-line bodies as a block mapping. Notes use
only flat ``key: value`` pairs with quoted or plain scalars, which is what we read; plain
scalars are typed as in the JSON schema (``true``, ``false``, ``null``, numbers), since
Mermaid's truthiness tests (a ``label: 0`` is ignored) depend on it. Anything we cannot
read raises :class:`ShapeDataError`, which the flowchart parser reports as a rejection,
as js-yaml's exception is in Mermaid.
"""

from __future__ import annotations

import re

Scalar = str | int | float | bool | None


class ShapeDataError(Exception):
    """The body is not YAML we (or js-yaml) can read."""


VALID_SHAPES = frozenset(
    (
        "anchor", "bang", "bolt", "bow-rect", "bow-tie-rectangle", "bpmn-activity", "bpmn-annotation",
        "bpmn-boundary", "bpmn-data", "bpmn-data-store", "bpmn-end", "bpmn-gateway", "bpmn-intermediate",
        "bpmn-start", "brace", "brace-l", "brace-r", "braces", "browser", "bucket", "card", "choice", "circ",
        "circle", "cloud", "collate", "com-link", "comment", "composite", "console", "constructor", "cross-circ",
        "crossed-circle", "curv-trap", "curved-trapezoid", "cyl", "cylinder", "das", "data-store", "database",
        "datastore", "db", "dbl-circ", "decision", "delay", "diam", "diamond", "directory", "disk", "display",
        "div-proc", "div-rect", "divided-process", "divided-rectangle", "doc", "docs", "document", "documents",
        "double-circle", "doublecircle", "event", "extract", "f-circ", "filled-circle", "flag", "flip-tri",
        "flipped-triangle", "folder", "fork", "fr-circ", "fr-rect", "framed-circle", "framed-rectangle", "h-cyl",
        "half-rounded-rectangle", "hex", "hexagon", "horizontal-cylinder", "hourglass", "icon", "in-out",
        "internal-storage", "inv-trapezoid", "join", "junction", "lean-l", "lean-left", "lean-r", "lean-right",
        "lightning-bolt", "lin-cyl", "lin-doc", "lin-proc", "lin-rect", "lined-cylinder", "lined-document",
        "lined-process", "lined-rectangle", "loop-limit", "manual", "manual-file", "manual-input", "notch-pent",
        "notch-rect", "notched-pentagon", "notched-rectangle", "note", "odd", "out-in", "paper-tape", "person",
        "pill", "prepare", "priority", "proc", "process", "processes", "procs", "question", "rect", "rectangle",
        "rounded", "shaded-process", "sl-rect", "sloped-rectangle", "sm-circ", "small-circle", "st-doc",
        "st-rect", "stacked-document", "stacked-rectangle", "stadium", "start", "state", "stop", "stored-data",
        "subproc", "subprocess", "subroutine", "summary", "tag-doc", "tag-proc", "tag-rect", "tagged-document",
        "tagged-process", "tagged-rectangle", "terminal", "text", "trap-b", "trap-t", "trapezoid",
        "trapezoid-bottom", "trapezoid-top", "tri", "triangle", "win-pane", "window-pane",
    )
)  # fmt: skip
"""Lower-case, underscore-free names Mermaid 12.3.0's ``isValidShape`` accepts (its ``in``
test also lets ``constructor`` through, from ``Object.prototype``)."""

_INT = re.compile(r"-?(?:0|[1-9][0-9]*)\Z")
_FLOAT = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]*)?(?:[eE][-+]?[0-9]+)?\Z")


def parse_shape_data(body: str) -> dict[str, Scalar]:
    """The mapping in ``body`` (the concatenated text between ``@{`` and ``}``)."""
    if "\n" not in body:
        return _FlowReader("{\n" + body + "\n}").mapping()
    return _block_mapping(body)


def _typed(plain: str) -> Scalar:
    if plain in ("true", "false"):
        return plain == "true"
    if plain == "null" or plain == "":
        return None
    if _INT.match(plain):
        return int(plain)
    if _FLOAT.match(plain) and any(c.isdigit() for c in plain):
        return float(plain)
    return plain


_ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\", "/": "/", "0": "\0", "r": "\r", " ": " "}


class _FlowReader:
    def __init__(self, text: str) -> None:
        self.text = text
        self.i = 0

    def _skip(self) -> None:
        text, n = self.text, len(self.text)
        while self.i < n:
            ch = text[self.i]
            if ch in " \t\r\n":
                self.i += 1
            elif ch == "#" and (self.i == 0 or text[self.i - 1] in " \t\n"):
                end = text.find("\n", self.i)
                self.i = n if end == -1 else end
            else:
                break

    def mapping(self) -> dict[str, Scalar]:
        self._skip()
        if not self.text.startswith("{", self.i):
            raise ShapeDataError("expected a mapping")
        self.i += 1
        out: dict[str, Scalar] = {}
        while True:
            self._skip()
            if self.text.startswith("}", self.i):
                self.i += 1
                break
            if self.text.startswith(",", self.i):
                raise ShapeDataError("expected the node content, but found ','")
            key = self._scalar(key=True)
            self._skip()
            value: Scalar = None
            if self.text.startswith(":", self.i):
                self.i += 1
                self._skip()
                value = None if self.text[self.i : self.i + 1] in (",", "}") else self._scalar(key=False)
            out[str(key)] = value
            self._skip()
            if self.text.startswith(",", self.i):
                self.i += 1
            elif not self.text.startswith("}", self.i):
                raise ShapeDataError("expected ',' or '}'")
        self._skip()
        if self.i != len(self.text):
            raise ShapeDataError("text after the mapping")
        return out

    def _scalar(self, key: bool) -> Scalar:
        text, n = self.text, len(self.text)
        if self.i >= n:
            raise ShapeDataError("unexpected end")
        ch = text[self.i]
        if ch == '"':
            return self._double_quoted()
        if ch == "'":
            return self._single_quoted()
        if ch in "[{":
            raise ShapeDataError("nested collections are not supported")
        if ch in "&!":  # an anchor or a tag names the value that follows
            end = self.i + 1
            while end < n and text[end] not in " \t\n,}":
                end += 1
            if end == self.i + 1:
                raise ShapeDataError(f"the name after {ch!r} is empty")
            self.i = end
            self._skip()
            return self._scalar(key)
        if ch in "*|>%@`":
            raise ShapeDataError(f"a plain value cannot start with {ch!r}")
        start = self.i
        while self.i < n:
            c = text[self.i]
            if c in ",}[]{" or (c == ":" and (self.i + 1 >= n or text[self.i + 1] in " \t\n,}")):
                break
            if c == "#" and text[self.i - 1] in " \t":
                break
            self.i += 1
        plain = " ".join(text[start : self.i].split())
        return plain if key else _typed(plain)

    def _double_quoted(self) -> str:
        text, n = self.text, len(self.text)
        self.i += 1
        out: list[str] = []
        while self.i < n:
            ch = text[self.i]
            if ch == '"':
                self.i += 1
                return "".join(out)
            if ch == "\\" and self.i + 1 < n:
                out.append(_ESCAPES.get(text[self.i + 1], text[self.i + 1]))
                self.i += 2
                continue
            out.append(ch)
            self.i += 1
        raise ShapeDataError("unterminated string")

    def _single_quoted(self) -> str:
        text, n = self.text, len(self.text)
        self.i += 1
        out: list[str] = []
        while self.i < n:
            ch = text[self.i]
            if ch == "'":
                if text.startswith("''", self.i):
                    out.append("'")
                    self.i += 2
                    continue
                self.i += 1
                return "".join(out)
            out.append(ch)
            self.i += 1
        raise ShapeDataError("unterminated string")


def _block_mapping(body: str) -> dict[str, Scalar]:
    """``key: value`` lines; deeper-indented lines continue the previous plain value."""
    out: dict[str, Scalar] = {}
    indent: int | None = None
    last_key: str | None = None
    for raw in body.split("\n"):
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        depth = len(raw) - len(raw.lstrip(" "))
        if indent is None:
            indent = depth
        if depth > indent and last_key is not None and isinstance(out[last_key], str):
            out[last_key] = f"{out[last_key]} {raw.strip()}"
            continue
        if depth != indent:
            raise ShapeDataError("bad indentation")
        key, sep, rest = raw.strip().partition(":")
        if not sep:
            raise ShapeDataError("expected 'key: value'")
        reader = _FlowReader("{" + key + ": " + rest.strip() + "}") if rest.strip() else None
        out[key.strip()] = reader.mapping()[key.strip()] if reader else None
        last_key = key.strip()
    return out
