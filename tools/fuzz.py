"""Fuzz every parser notes2anki has with generated notes, and report what broke or crawled.

    python tools/fuzz.py                         # 100,000 inputs on all cores (a few minutes on 2)
    python tools/fuzz.py --inputs 2000 --jobs 1  # a quick look
    python tools/fuzz.py --replay fuzz-failures/3-pipeline.md   # run one saved input again

Dev-only; ``tests/test_fuzz.py`` runs a small seeded sample of the same generators and targets
through hypothesis (``N2A_FUZZ_EXAMPLES=12000 python -m pytest tests/test_fuzz.py`` for a long run).

Inputs come from five generators, each a function of a seeded ``random.Random`` so any input
can be made again from its number: ``arbitrary`` (characters from a Markdown, CJK and
whitespace-heavy alphabet), ``soup`` (Markdown and flashcard syntax pieces), ``structured``
(whole notes: headings, lists, tables, fences, definitions, Q/A, ``::``, clozes, HTML, math,
images), ``mermaid`` (diagrams of every kind read) and ``mutation`` (a slice of a real note from
``../shared/corpora`` with spans inserted, deleted, duplicated, swapped and characters flipped;
the notes are read at run time, never copied).

Every input goes through each target: the Markdown reader (``markdown.parse`` and
``document.parse_document``), the Mermaid parser (the raw input for diagram inputs, else every
Mermaid fence), each extractor of ``extractors.REGISTRY`` on its own, rendering
(``render_markdown``, block and inline) and the whole ``pipeline.extract_file`` from bytes on
disk. A target fails if it raises, runs past ``--timeout`` seconds, or breaks a promise: card
HTML that could run code in Anki, a tag with a space in it, media from outside the notes
folder, a source line outside the note. Slow inputs (time per character far above the
target's median) are re-run doubled and quadrupled to show whether they grow super-linearly.
"""

from __future__ import annotations

import argparse
import contextlib
import multiprocessing
import os
import random
import re
import shutil
import signal
import statistics
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from types import FrameType
from urllib.parse import urlsplit

from notes2anki import diagrams, extractors, markdown, render
from notes2anki.cards import Card
from notes2anki.diagnostics import Diagnostic
from notes2anki.document import Document, parse_document
from notes2anki.extractors import Context, ExtractOptions
from notes2anki.pipeline import extract_file
from notes2anki.sources import FileRef, SourceFile, decode, normalise_newlines

CORPORA = Path(__file__).resolve().parents[2] / "shared" / "corpora"

# ---------------------------------------------------------------------------------------------
# Generators: (rng) -> text


LETTERS = "abcxyzABCQ0123456789"
PUNCT = "#*_`~[]()!<>|:-=+$\\{}\"'./&;%@^?,"
CJK = "中文模型推理是指（）：，。？！「」【】《》、；“”的了吗"
SPACES = " \t\n\n\n\r\u00a0\u3000\u200b\u200d\ufeff\u2028\u2029\x0b\x0c"
ODD = "\x00\x01\x1b\x7f\u202e\u0301é①Ⅰ＃＊：🚀✅\U0001f9e0\ufffd"
ALPHABET = LETTERS * 3 + PUNCT * 2 + CJK * 2 + SPACES * 2 + ODD
WORDS = ["KV Cache", "vLLM", "推理", "张量并行", "RDMA", "the", "is", "是", "a", "定义", "GPU", "x", "Q", "A",
         "term", "模型", "what", "为什么", "how", "NCCL", "SM", "Warp", "😀", "e.g.", "http://x.org/a"]

PIECES = [
    "\n", "\n\n", " ", "  ", "    ", "\t", "# ", "## ", "### ", "###### ", "####### ", "#", "- ", "* ", "+ ", "1. ",
    "2) ", "> ", ">", "```", "```\n", "```mermaid\n", "```python\n", "~~~", "    code", "---", "***", "===", "___",
    "**", "__", "*", "_", "`", "``", "~~", "[", "]", "(", ")", "](", "![", "![[", "]]", "![[x.png|30]]", "[[",
    "<", ">", "</", "<br>", "<details>", "</details>", "<summary>", "<img src=", "<img src=x onerror=alert(1)>",
    "<script>", "</script>", "<a href=", "javascript:", "data:", "<!--", "-->", "<div>", "</div>", "&amp;",
    "&#x", "&lt;", ";", "|", "| a | b |\n|---|---|\n", "|---|", ":", "：", "::", ":::", " :: ", "{{c1::", "{{c2::",
    "::hint}}", "}}", "==", "==x==", "$", "$$", "$$\n", "$x^2$", "\\(", "\\)", "\\[", "\\]", "\\", "Q:", "A:",
    "Q：", "A：", "问：", "答：", "Question:", "Answer:", "是", "是指", "即", " is a ", " refers to ", "?", "？",
    "（", "）", "(", "**术语（Term）**：", "- **X**: ", "- `k`: ", "Term\n: def\n", "{#id}", "---\ntitle: x\n---\n",
    "ab", "中文", "KV Cache", "1.2 ", "第一章 ", "😀", "\u00a0", "\u3000", "\u200b", "\r\n", "\r", "\x00",
]
HEADERS = ["graph TD\n", "flowchart LR\n", "graph\n", "sequenceDiagram\n", "stateDiagram-v2\n", "stateDiagram\n",
           "mindmap\n", "classDiagram\n", "---\ntitle: t\n---\nflowchart TD\n", "%%{init: {}}%%\ngraph LR\n", ""]
MERMAID_PIECES = ["-", "--", "-->", "---", "==>", "-.", "-.->", ".->", "~~~", "--o", "--x", "<-->", "|", '"', "`",
                  "(", ")", "((", "))", "[", "]", "[[", "]]", "{", "}", "{{", "}}", "[/", "/]", ">", "@{", ":::",
                  "&", ";", ":", "%%", "#", "#quot;", "<br/>", "end", "subgraph ", "direction LR", "\n", " ", "\t",
                  "A", "B", "x", "o", "<", "[*]", "note ", "as ", "participant ", "actor ", "state ", "loop ",
                  "alt ", "else ", "->>", "-->>", "-x", "+", "activate ", "root((", "::icon(", "classDef ",
                  "style ", "click ", "模型", "\u2028", "\r", "\\", "shape: rect", "label: ", "<<fork>>", "{\n"]


def arbitrary(rng: random.Random) -> str:
    n = int(rng.paretovariate(1.2) * 40) % 4000
    return "".join(rng.choice(ALPHABET) for _ in range(n))


def soup(rng: random.Random) -> str:
    out = []
    for _ in range(rng.randrange(1, 120)):
        r = rng.random()
        out.append(rng.choice(PIECES) if r < 0.7 else rng.choice(WORDS) if r < 0.9 else rng.choice(ALPHABET))
    return "".join(out)


def _word(rng: random.Random) -> str:
    return rng.choice(WORDS)


def _phrase(rng: random.Random, n: int = 6) -> str:
    return " ".join(rng.choice(WORDS + PIECES[:40] if rng.random() < 0.15 else WORDS) for _ in range(rng.randint(1, n)))


def _heading(rng: random.Random) -> str:
    level = rng.choice([1, 2, 2, 3, 3, 4, 6, 7])
    number = rng.choice(["", "", "1. ", "1.2 ", "五、", "(3) ", "第二章 ", "Part 2: ", "06. "])
    tail = rng.choice(["", "", " 🚀", " {#anchor}", " <a name='x'></a>", "？", "?", " #"])
    lead = rng.choice(["#" * level + " ", "#" * level + " ", "#" * level + "\u00a0", " " * rng.randint(0, 4) + "## "])
    if rng.random() < 0.1:
        return f"{_phrase(rng)}\n{rng.choice(['===', '---'])}"
    return lead + number + rng.choice(["什么是 ", "What is ", "为什么", "", "", ""]) + _phrase(rng, 4) + tail


def _list(rng: random.Random) -> str:
    lines = []
    depth = 0
    for _ in range(rng.randint(1, 12)):
        depth = max(0, min(depth + rng.choice([-1, 0, 0, 1]), 30))
        marker = rng.choice(["- ", "* ", "1. ", "- [ ] ", "+ "])
        body = rng.choice([_phrase(rng), _definition_text(rng), _question_text(rng),
                           _phrase(rng) + "：" + _phrase(rng)])
        lines.append("  " * depth + marker + body)
    return "\n".join(lines)


def _definition_text(rng: random.Random) -> str:
    term, value = _phrase(rng, 3), _phrase(rng, 10)
    return rng.choice([
        f"**{term}**：{value}", f"**{term}:** {value}", f"`{term}`: {value}", f"{term}：{value}。",
        f"{term}（{_word(rng)}）是{value}。", f"`{term}` 是{value}的组件。", f"{term} is a {value}.",
        f"**{term}** — {value}", f"{term} :: {value}", f"{term} ::: {value}", f"{term} - {value}",
        f"所谓的\"{term}\"，就是{value}", f"{term}全称是{value}", f"{term}\n: {value}",
    ])


def _question_text(rng: random.Random) -> str:
    q = _phrase(rng, 5)
    return rng.choice([f"为什么{q}？", f"What is {q}?", f"Q: {q}?\nA: {_phrase(rng)}", f"问：{q}\n答：{_phrase(rng)}",
                       f"{q}? {_phrase(rng)}", f"> 问：{q}\n> {_phrase(rng)}"])


def _table(rng: random.Random) -> str:
    cols = rng.randint(1, 5)
    head = rng.choice([["术语", "说明"], ["Term", "Definition"], ["缩写", "英文全名", "中文全名", "描述"], []])
    head = (head + [_word(rng) for _ in range(cols)])[:cols] if head else [_word(rng) for _ in range(cols)]
    rows = ["| " + " | ".join(head) + " |", "|" + "|".join(rng.choice(["---", ":--", "--:", ":-:", "-"])
                                                                for _ in range(cols)) + "|"]
    for _ in range(rng.randint(0, 6)):
        n = cols + rng.choice([0, 0, 0, -1, 1])
        rows.append("| " + " | ".join(rng.choice([_phrase(rng, 3), "", "`x|y`", "\\|", "**b**"]) for _ in range(n))
                    + rng.choice([" |", ""]))
    return "\n".join(rows)


def _fence(rng: random.Random) -> str:
    lang = rng.choice(["", "python", "cpp", "bash", "mermaid", "mermaid", "text", "unknownlang", "js {.x}", "yaml",
                       "sql", "lilypond", "mcschema", "systemd", "c", "java", "diff", "markdown", "html"])
    body = mermaid_source(rng) if lang == "mermaid" else "\n".join(_phrase(rng) for _ in range(rng.randint(0, 5)))
    fence = rng.choice(["```", "~~~", "````"])
    close = rng.choice([fence, fence, fence, "", "``"])
    return f"{fence}{lang}\n{body}\n{close}"


def _html(rng: random.Random) -> str:
    return rng.choice([
        "<details><summary>答案</summary>\n\n" + _phrase(rng) + "\n\n</details>",
        '<img src="../outside.png">', '<img src="images/ok.png" onerror="alert(1)">', "<br>",
        "<script>alert(1)</script>", '<a href="javascript:alert(1)">x</a>', '<span style="color:red">红</span>',
        "<!-- " + _phrase(rng) + " -->", "<div onclick=alert(1)>" + _phrase(rng) + "</div>", "<svg onload=alert(1)>",
        '<img src="/etc/passwd">', '<img src="file:///etc/hosts">', "<iframe src=x></iframe>", "<a name='x'></a>",
    ])


def _math(rng: random.Random) -> str:
    return rng.choice(["$x^2$", "$$\n\\sum_i x_i\n$$", "\\(a+b\\)", "\\[\n\\frac{1}{2}\n\\]", "$5 and $10",
                       "$\\text{中文}$", "$$a$$", "\\[ x \\]", "$<script>$"])


def _image(rng: random.Random) -> str:
    return rng.choice(["![a](images/ok.png)", "![](../outside.png)", "![[ok.png]]", "![x](/etc/passwd)",
                       "![x](https://example.org/a.png)", "![x](missing.png)", "![](images/%6Fk.png)",
                       "![[../outside.png]]", "![x](link-out.png)", "![x](data:image/png;base64,AAAA)"])


BLOCKS: list[Callable[[random.Random], str]] = [
    _heading, _heading, _heading, lambda r: _phrase(r, 30), _list, _table, _fence, _html, _math, _image,
    _definition_text, _definition_text, _question_text, lambda r: f"The {{{{c1::{_word(r)}}}}} is {{{{c2::"
    f"{_word(r)}::hint}}}}.", lambda r: f"大模型 =={_word(r)}== 和 =={_word(r)}==。", lambda r: "> " + _phrase(r),
    lambda r: "---", lambda r: f"---\ntitle: {_word(r)}\ntags: [a, b]\n---",
]


def structured(rng: random.Random) -> str:
    return "\n\n".join(rng.choice(BLOCKS)(rng) for _ in range(rng.randint(1, 25)))


def mermaid_source(rng: random.Random) -> str:
    """A diagram of a kind notes2anki reads, mostly well formed (blocks closed), sometimes not."""
    kind = rng.choice(["flow", "flow", "sequence", "state", "mindmap", "soup"])
    ids = [f"n{i}" for i in range(rng.randint(2, 12))] + ["A", "B", "模型"]
    lines: list[str] = []
    opened = 0
    sloppy = rng.random() < 0.1  # leave blocks unclosed or close too many

    def block(opener: str, closer: str) -> None:
        nonlocal opened
        if opened and (rng.random() < 0.3 or (sloppy and rng.random() < 0.3)):
            lines.append(closer)
            opened -= 1
        elif rng.random() < 0.15:
            lines.append(opener)
            opened += 1

    if kind == "flow":
        lines.append(rng.choice(["flowchart LR", "graph TD", "flowchart", "graph BT"]))
        for _ in range(rng.randint(1, 25)):
            a, b = rng.choice(ids), rng.choice(ids)
            shape = rng.choice(["", "", f"[{_word(rng)}]", f'["{_word(rng)}"]', f"({_word(rng)})",
                                f"{{{_word(rng)}}}", f"(({_word(rng)}))", f">{_word(rng)}]", f"[/{_word(rng)}/]",
                                "@{ shape: rect }"])
            link = rng.choice(["-->", "---", "-.->", "==>", f"-- {_word(rng)} -->", f"-->|{_word(rng)}|", "~~~",
                               "--o", "<-->", "-->"])
            block(f"  subgraph {rng.choice(ids)}s [{_word(rng)}]", "  end")
            lines.append(rng.choice([f"  {a}{shape} {link} {b}", f"  {a} & {b} --> {rng.choice(ids)}",
                                     f"  {a}:::cls", "  classDef cls fill:#f9f", f"  style {a} fill:#f00",
                                     "  %% comment", f"  {a}{shape} {link} {b} {link} {rng.choice(ids)}",
                                     f"  {a}{shape} {link} {b}", f"  {a}{shape} {link} {b}"]))
        closer = "  end"
    elif kind == "sequence":
        lines.append("sequenceDiagram")
        for _ in range(rng.randint(1, 20)):
            a, b = rng.choice(ids), rng.choice(ids)
            block(rng.choice([f"  loop {_word(rng)}", "  alt x", "  opt y", "  rect rgb(0,0,0)"]), "  end")
            lines.append(rng.choice([f"  {a}->>{b}: {_phrase(rng, 3)}", f"  participant {a} as {_word(rng)}",
                                     f"  {a}-->>{b}: {_word(rng)}", f"  Note over {a},{b}: {_word(rng)}",
                                     f"  {a}-x{b}: x", f"  actor {a}", f"  {a}->>{b}: {_word(rng)}"]))
        closer = "  end"
    elif kind == "state":
        lines.append(rng.choice(["stateDiagram-v2", "stateDiagram"]))
        for _ in range(rng.randint(1, 20)):
            a, b = rng.choice(ids), rng.choice(ids)
            block(f"  state {a}c {{", "  }")
            lines.append(rng.choice([f"  [*] --> {a}", f"  {a} --> {b} : {_word(rng)}", f"  {a} --> [*]",
                                     f"  state {a}f <<fork>>", f"  note right of {a}: x", f"  {a} : {_word(rng)}",
                                     "  direction LR", f"  {a} --> {b}"]))
        closer = "  }"
    elif kind == "mindmap":
        lines += ["mindmap", f"  root(({_word(rng)}))"]
        depth = 2
        for _ in range(rng.randint(1, 20)):
            depth = max(2, depth + rng.choice([-1, 0, 1]))
            lines.append("  " * depth + rng.choice([_word(rng), f"[{_word(rng)}]", "::icon(fa fa-book)",
                                                    f"({_word(rng)})", _phrase(rng, 3)]))
        closer = ""
    else:
        lines.append(rng.choice(HEADERS) + "".join(rng.choice(MERMAID_PIECES) for _ in range(rng.randint(1, 80))))
        closer = ""
    if not sloppy:
        lines += [closer] * opened
    text = "\n".join(lines)
    if rng.random() < 0.15:
        text = _mutate(rng, text, MERMAID_PIECES)
    return text


def _mermaid_input(rng: random.Random) -> str:
    return mermaid_source(rng)


@dataclass
class Corpus:
    notes: list[str] = field(default_factory=list)


_CORPUS = Corpus()


def corpus_notes(folder: Path = CORPORA) -> list[str]:
    """The real notes to mutate (read once per process); empty when the corpora are not there."""
    if not _CORPUS.notes and folder.is_dir():
        for path in sorted(folder.rglob("*.md")):
            with contextlib.suppress(OSError, UnicodeDecodeError):
                _CORPUS.notes.append(path.read_text(encoding="utf-8"))
    return _CORPUS.notes


def _mutate(rng: random.Random, text: str, pieces: list[str]) -> str:
    for _ in range(rng.randint(1, 8)):
        n = len(text)
        a = rng.randint(0, n)
        b = min(n, a + int(rng.expovariate(1 / 20)))
        op = rng.randrange(7)
        if op == 0:
            text = text[:a] + rng.choice(pieces) + text[a:]
        elif op == 1:
            text = text[:a] + text[b:]
        elif op == 2:
            text = text[:b] + text[a:b] * rng.randint(1, 5) + text[b:]
        elif op == 3 and n:
            c = rng.randint(0, n)
            d = min(n, c + (b - a))
            if b <= c:
                text = text[:a] + text[c:d] + text[b:c] + text[a:b] + text[d:]
        elif op == 4 and a < n:
            text = text[:a] + rng.choice(ALPHABET) + text[a + 1 :]
        elif op == 5:
            text = text[:a] + rng.choice(["\n", "\n\n", "  ", "    ", "\t", "\r"]) + text[a:]
        else:
            text = text[:a] + rng.choice(WORDS) + text[b:]
    return text


def mutation(rng: random.Random) -> str:
    notes = corpus_notes()
    if not notes:
        return _mutate(rng, structured(rng), PIECES)
    lines = rng.choice(notes).split("\n")
    if rng.random() < 0.02:
        start, count = 0, len(lines)  # now and then a whole note, up to ~420 KB
    else:
        count = int(rng.expovariate(1 / 60)) + 1
        start = rng.randrange(max(1, len(lines) - count + 1))
    text = "\n".join(lines[start : start + count])
    if rng.random() < 0.2:
        other = rng.choice(notes)
        at = rng.randrange(max(1, len(other)))
        text += other[at : at + rng.randint(0, 2000)]
    return _mutate(rng, text, PIECES)


GENERATORS: dict[str, Callable[[random.Random], str]] = {
    "arbitrary": arbitrary,
    "soup": soup,
    "structured": structured,
    "mermaid": _mermaid_input,
    "mutation": mutation,
}
MIX = ["arbitrary"] * 2 + ["soup"] * 2 + ["structured"] * 3 + ["mermaid"] * 2 + ["mutation"] * 3


def make_input(seed: int, index: int, kind: str | None = None) -> tuple[str, str]:
    """Input number ``index`` of run ``seed``: ``(generator name, text)``; the same numbers give the same text."""
    rng = random.Random(seed * 1_000_003 + index)
    kind = kind or rng.choice(MIX)
    return kind, GENERATORS[kind](rng)


# ---------------------------------------------------------------------------------------------
# Promises checked on every output

SAFE_SCHEMES = ("", "http", "https", "mailto")
FORBIDDEN_TAGS = {"script", "style", "iframe", "frame", "object", "embed", "svg", "math", "form", "input", "button",
                  "textarea", "audio", "video", "canvas", "template", "link", "meta", "base", "applet"}


_C0_OR_SPACE = "".join(map(chr, range(0x21)))


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in FORBIDDEN_TAGS:
            self.problems.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}>")
            if name in ("href", "src", "action", "formaction", "xlink:href", "srcdoc"):
                # As browsers read a URL (WHATWG): C0 controls and spaces around it and tabs and
                # line breaks in it are ignored; other white space (a no-break space) is not.
                url = (value or "").strip(_C0_OR_SPACE).replace("\t", "").replace("\n", "").replace("\r", "")
                scheme = urlsplit(url).scheme.lower()
                if scheme not in SAFE_SCHEMES:
                    self.problems.append(f"<{tag} {name}={value!r}>")


def unsafe_html(fragment: str) -> list[str]:
    """What in ``fragment`` could run code in Anki's web view (empty if nothing)."""
    parser = _Tags()
    parser.feed(fragment)
    parser.close()
    return parser.problems


class BrokenPromise(AssertionError):
    """An output that breaks one of the guarantees in the README."""


def check_card(card: Card, root: Path, lines: int) -> None:
    for name in ("front", "back", "extra"):
        problems = unsafe_html(getattr(card, name))
        if problems:
            raise BrokenPromise(f"{card.kind} card {name} could run code: {problems[:3]}")
    for tag in card.tags:
        if not tag or any(c in tag for c in " \u3000\"") or any(ord(c) < 32 for c in tag):
            raise BrokenPromise(f"invalid Anki tag {tag!r}")
    for name, path in card.media:
        if not Path(path).resolve().is_relative_to(root.resolve()):
            raise BrokenPromise(f"media {name} packed from outside the notes folder: {path}")
    if not 1 <= card.line <= max(lines, 1):
        raise BrokenPromise(f"{card.kind} card source line {card.line} outside the note's {lines} lines")


# ---------------------------------------------------------------------------------------------
# Targets: (Sandbox, generator name, text) -> number of inputs it consumed


@dataclass
class Sandbox:
    """A notes folder per process: a note, an image inside, a file and a symlink outside it."""

    base: Path
    root: Path = field(init=False)
    note: Path = field(init=False)

    def __post_init__(self) -> None:
        self.root = self.base / "notes"
        (self.root / "sub" / "images").mkdir(parents=True, exist_ok=True)
        png = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000")
        (self.root / "sub" / "images" / "ok.png").write_bytes(png)
        (self.base / "outside.png").write_bytes(png)
        link = self.root / "sub" / "link-out.png"
        if not link.is_symlink():
            link.symlink_to(self.base / "outside.png")
        self.note = self.root / "sub" / "note.md"

    def source(self, text: str) -> SourceFile:
        clean = normalise_newlines(text).replace("\x00", "\ufffd")
        return SourceFile(FileRef(self.note, "sub/note.md", ("sub",)), clean, "0")


OPTIONS = ExtractOptions(deck="Fuzz")


def _random_options(text: str) -> ExtractOptions:
    rng = random.Random(len(text))
    rules = frozenset(r for r in extractors.rule_names() if rng.random() < 0.1)
    return ExtractOptions(deck="Fuzz", tag_root=rng.choice(["notes2anki", "a b", "x::y", ""]),
                          disabled=frozenset(n for n in extractors.names() if rng.random() < 0.1),
                          disabled_rules=rules, language=rng.choice(["auto", "auto", "zh", "en"]))


def _document(box: Sandbox, text: str) -> Document:
    return parse_document(box.source(text))


def target_markdown(box: Sandbox, kind: str, text: str) -> int:
    tokens = markdown.parse(text)
    doc = _document(box, text)
    lines = len(doc.lines)
    for token in tokens:
        if token.map is not None and not 0 <= token.map[0] <= token.map[1] <= lines + 1:
            raise BrokenPromise(f"token {token.type} maps to lines {token.map} of {lines}")
    return 1


def target_mermaid(box: Sandbox, kind: str, text: str) -> int:
    sources = [text] if kind in ("mermaid", "arbitrary", "soup") else []
    if kind != "mermaid":
        sources += [token.content for token, _ in _document(box, text).mermaid_fences()]
    for source in sources:
        result = diagrams.parse(source, path="note.md", line=3)
        if result.diagram is not None and result.diagnostics:
            raise BrokenPromise("a diagram came back together with a rejection")
        for d in result.diagnostics:
            if d.line is None or d.line < 3 or d.code == "diagram-internal-error":
                raise BrokenPromise(f"diagram diagnostic {d.code} at line {d.line}: {d.message}")
    return len(sources)


def _run_extractor(box: Sandbox, text: str, extractor: extractors.Extractor) -> int:
    doc = _document(box, text)
    ctx = Context(doc, OPTIONS)
    for item in extractor.run(doc, ctx):
        if isinstance(item, Card):
            check_card(item, box.root, len(doc.lines))
        elif not isinstance(item, Diagnostic):
            raise BrokenPromise(f"extractor yielded {type(item).__name__}")
    return 1


def target_render(box: Sandbox, kind: str, text: str) -> int:
    for out in (render.render_markdown(text), render.render_markdown(text, inline=True)):
        problems = unsafe_html(out)
        if problems:
            raise BrokenPromise(f"rendered HTML could run code: {problems[:3]}")
    render.html_to_text(render.render_markdown(text))
    return 1


_ENCODINGS = ["utf-8", "utf-8", "utf-8", "utf-8-sig", "utf-16", "utf-16-be-bom", "crlf", "latin-1"]


def _encode(text: str, how: str) -> bytes:
    if how == "utf-16-be-bom":
        return b"\xfe\xff" + text.encode("utf-16-be", "surrogatepass")
    if how == "crlf":
        return text.replace("\n", "\r\n").encode("utf-8")
    if how == "latin-1":
        return text.encode("latin-1", "replace")
    return text.encode(how, "surrogatepass")


def target_pipeline(box: Sandbox, kind: str, text: str) -> int:
    how = _ENCODINGS[len(text) % len(_ENCODINGS)]
    raw = _encode(text, how)
    box.note.write_bytes(raw)
    result = extract_file(FileRef(box.note, "sub/note.md", ("sub",)), _random_options(text))
    lines = (decode(raw)[0] or "").count("\n") + 1
    for card in result.cards:
        check_card(card, box.root, lines)
    for d in result.diagnostics:
        if d.code == "diagram-internal-error":
            raise BrokenPromise(f"diagram internal error: {d.message}")
    return 1


def _extractor_target(extractor: extractors.Extractor) -> Callable[[Sandbox, str, str], int]:
    return lambda box, kind, text: _run_extractor(box, text, extractor)


TARGETS: dict[str, Callable[[Sandbox, str, str], int]] = {
    "markdown": target_markdown,
    "mermaid": target_mermaid,
    **{f"extractor:{e.name}": _extractor_target(e) for e in extractors.REGISTRY},
    "render": target_render,
    "pipeline": target_pipeline,
}


# ---------------------------------------------------------------------------------------------
# Running


class Timeout(Exception):
    pass


def _alarm(signum: int, frame: FrameType | None) -> None:
    raise Timeout("no result within the time limit")


@dataclass
class Outcome:
    index: int
    kind: str
    size: int
    times: dict[str, tuple[int, float]]
    """Target -> (inputs consumed, seconds)."""
    failures: list[tuple[str, str, str]]
    """(target, exception summary, where it was raised)."""


_BOX: Sandbox | None = None
_BASE: list[Path] = []


def _box() -> Sandbox:
    """This process's sandbox, under one temporary folder for the whole run."""
    global _BOX
    if _BOX is None:
        if not _BASE:
            _BASE.append(Path(tempfile.mkdtemp(prefix="n2a-fuzz-")))
        _BOX = Sandbox(_BASE[0] / str(os.getpid()))
    return _BOX


def _where(exc: BaseException) -> str:
    frames = traceback.extract_tb(exc.__traceback__)
    ours = [f for f in frames if "notes2anki" in f.filename] or frames
    f = ours[-1]
    return f"{Path(f.filename).name}:{f.lineno} in {f.name}"


def run_one(text: str, kind: str, timeout: float = 0.0, index: int = 0) -> Outcome:
    """Every target on one input; failures are collected, never raised."""
    box = _box()
    times: dict[str, tuple[int, float]] = {}
    failures: list[tuple[str, str, str]] = []
    note = as_note(kind, text)
    for name, target in TARGETS.items():
        if timeout:
            signal.setitimer(signal.ITIMER_REAL, timeout)
        started = time.perf_counter()
        count = 1
        try:
            count = target(box, kind, text if name == "mermaid" else note)
        except Exception as exc:
            failures.append((name, f"{type(exc).__name__}: {str(exc)[:200]}", _where(exc)))
        finally:
            if timeout:
                signal.setitimer(signal.ITIMER_REAL, 0)
        times[name] = (count, time.perf_counter() - started)
    return Outcome(index, kind, len(text), times, failures)


def as_note(kind: str, text: str) -> str:
    """What the Markdown targets read: a diagram input sits in a Mermaid fence under a heading."""
    return f"# Diagram\n\n```mermaid\n{text}\n```\n" if kind == "mermaid" else text


def _job(args: tuple[int, int, float]) -> Outcome:
    seed, index, timeout = args
    kind, text = make_input(seed, index)
    return run_one(text, kind, timeout, index)


def _init_worker() -> None:
    signal.signal(signal.SIGALRM, _alarm)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    sys.setrecursionlimit(10_000)


def run(seed: int, inputs: int, jobs: int, timeout: float) -> Iterator[Outcome]:
    work = ((seed, i, timeout) for i in range(inputs))
    if jobs <= 1:
        _init_worker()
        signal.signal(signal.SIGINT, signal.default_int_handler)
        yield from map(_job, work)
        return
    with multiprocessing.get_context("fork").Pool(jobs, initializer=_init_worker) as pool:
        yield from pool.imap_unordered(_job, work, chunksize=16)


def growth(text: str, kind: str, target: str) -> str:
    """Seconds for the input once, doubled and quadrupled: whether it grows faster than its size."""
    box = _box()
    out = []
    for k in (1, 2, 4):
        started = time.perf_counter()
        with contextlib.suppress(Exception):
            TARGETS[target](box, kind, (text if target == "mermaid" else as_note(kind, text)) * k)
        out.append(time.perf_counter() - started)
    ratio = out[2] / max(out[0], 1e-6)
    return f"{out[0] * 1000:.0f}/{out[1] * 1000:.0f}/{out[2] * 1000:.0f} ms for x1/x2/x4 (x4 costs {ratio:.1f}x)"


def _collect(outcomes: Iterator[Outcome], started: float) -> Iterator[Outcome]:
    failed = 0
    for n, outcome in enumerate(outcomes, 1):
        failed += bool(outcome.failures)
        if n % 5000 == 0:
            print(f"  {n:,} inputs, {failed} failing, {time.perf_counter() - started:.0f} s", flush=True)
        yield outcome


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--inputs", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--timeout", type=float, default=20.0, help="seconds per target and input")
    parser.add_argument("--out", type=Path, default=Path("fuzz-failures"), help="folder for failing inputs")
    parser.add_argument("--replay", type=Path, help="run the targets on one saved input and show tracebacks")
    args = parser.parse_args(argv)

    if args.replay:
        text = args.replay.read_text(encoding="utf-8")
        box = _box()
        kind = args.replay.stem.split("-", 2)[-1] if args.replay.stem.count("-") >= 2 else "structured"
        for name, fn in TARGETS.items():
            try:
                fn(box, kind, text if name == "mermaid" else as_note(kind, text))
                print(f"{name}: ok")
            except Exception:
                print(f"{name}: FAILED")
                traceback.print_exc()
        return 0

    started = time.perf_counter()
    corpus = len(corpus_notes())
    print(f"fuzzing {args.inputs:,} inputs (seed {args.seed}, {args.jobs} processes, "
          f"{corpus} corpus notes{'' if corpus else ': mutating generated notes instead'})", flush=True)
    per_target: dict[str, list[tuple[float, int, int]]] = {name: [] for name in TARGETS}
    counts: dict[str, int] = dict.fromkeys(TARGETS, 0)
    kinds: dict[str, int] = {}
    failures: dict[tuple[str, str, str], list[tuple[int, str]]] = {}
    done = 0
    _BASE.append(Path(tempfile.mkdtemp(prefix="n2a-fuzz-")))
    try:
        outcomes = list(_collect(run(args.seed, args.inputs, args.jobs, args.timeout), started))
    finally:
        shutil.rmtree(_BASE[0], ignore_errors=True)
    for outcome in outcomes:
        done += 1
        kinds[outcome.kind] = kinds.get(outcome.kind, 0) + 1
        for name, (count, seconds) in outcome.times.items():
            counts[name] += count
            if count:
                per_target[name].append((seconds, outcome.size, outcome.index))
        for target, summary, where in outcome.failures:
            kind_of = re.sub(r"\d+", "#", summary[:60])  # one group per kind of message, not per number
            failures.setdefault((target, where, kind_of), []).append((outcome.index, summary))
    elapsed = time.perf_counter() - started

    print(f"\n{done:,} inputs in {elapsed:.0f} s; by generator: "
          + ", ".join(f"{k} {v:,}" for k, v in sorted(kinds.items())))
    print(f"{'target':24} {'inputs':>9} {'fail':>5} {'median':>9} {'p99':>9} {'max':>9}  {'slow':>4}")
    slow: list[tuple[float, str, int, int]] = []
    for name, rows in per_target.items():
        times = sorted(t for t, _, _ in rows)
        if not times:
            continue
        rates = [t / max(size, 200) for t, size, _ in rows]
        median_rate = statistics.median(rates)
        outliers = [(t, name, size, index) for t, size, index in rows
                    if t > 0.05 and t / max(size, 200) > 50 * median_rate]
        slow.extend(outliers)
        n_fail = sum(len(v) for (target, _, _), v in failures.items() if target == name)
        print(f"{name:24} {counts[name]:>9,} {n_fail:>5} {statistics.median(times) * 1000:>7.2f}ms "
              f"{times[int(len(times) * 0.99)] * 1000:>7.1f}ms {times[-1] * 1000:>7.0f}ms  {len(outliers):>4}")
    print(f"{'total':24} {sum(counts.values()):>9,}")

    if failures:
        args.out.mkdir(exist_ok=True)
        print(f"\n{len(failures)} distinct failures (target, place); inputs saved in {args.out}/:")
        for (target, where, _), hits in sorted(failures.items(), key=lambda kv: -len(kv[1])):
            index, summary = hits[0]
            kind, text = make_input(args.seed, index)
            saved = args.out / f"{index}-{target.replace(':', '_')}-{kind}.md"
            saved.write_text(text, encoding="utf-8", errors="surrogatepass")
            print(f"  {target}: {where}: {summary} ({len(hits)} inputs; e.g. {saved})")
    else:
        print("\nno failures")

    slow.sort(reverse=True)
    if slow:
        print(f"\n{len(slow)} slow inputs (over 50 ms and 50x the target's median time per character); worst:")
        for seconds, name, size, index in slow[:8]:
            kind, text = make_input(args.seed, index)
            print(f"  {name}: input {index} ({kind}, {size:,} chars) {seconds * 1000:.0f} ms; "
                  f"{growth(text, kind, name)}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
