"""A note parsed once: its tokens, and the sections its headings make.

Every extractor works from the same :class:`Document`, so each file is parsed
exactly once whatever cards are made from it. A section is a heading plus the
blocks up to the next heading of any level (its *own* content); its trail is
the chain of topics from the top of the notes tree down to it.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from markdown_it.token import Token

from . import markdown
from .diagnostics import Diagnostic, warning
from .markdown import is_mermaid
from .sources import SourceFile
from .topics import clean_topic, inline_text

_INDEX_NAMES = frozenset({"readme", "index", "_index"})


@dataclass(frozen=True)
class Heading:
    level: int
    """1–6."""
    text: str
    """Plain text as written (formatting removed, numbering kept)."""
    topic: str
    """Cleaned for display and tags: numbering, emoji and anchors removed."""
    line: int
    """1-based source line."""
    inline: Token
    """The heading's inline token, for rendering it with its formatting."""


@dataclass(frozen=True)
class Section:
    heading: Heading | None
    """``None`` for the text before a file's first heading."""
    trail: tuple[str, ...]
    """Topics from the notes root down to this section, itself included."""
    start: int
    """Index of the first token of the section's own content."""
    end: int
    """Index past its own content (the next heading, or the end)."""

    @property
    def line(self) -> int:
        return self.heading.line if self.heading else 1


@dataclass(frozen=True)
class Document:
    source: SourceFile
    tokens: Sequence[Token]
    sections: tuple[Section, ...]
    topic: str
    """The file's own topic: its title heading, or its file name."""
    lines: Sequence[str] = field(repr=False)
    """The source split into lines (index 0 is line 1), for extractors that need the raw text."""
    problems: tuple[Diagnostic, ...] = ()
    """What parsing could not read as written (text nested too deeply); reported by the ``section`` extractor."""

    @property
    def path(self) -> str:
        return self.source.rel

    def own_blocks(self, section: Section) -> Sequence[Token]:
        return self.tokens[section.start : section.end]

    def mermaid_fences(self) -> Iterator[tuple[Token, Section]]:
        """Each Mermaid fence with the section it sits in."""
        for section in self.sections:
            for token in self.own_blocks(section):
                if is_mermaid(token) and token.map is not None:
                    yield token, section


def file_topic_from_name(rel: str, folders: Sequence[str]) -> str | None:
    """The topic a file's name gives, or ``None`` for ``README``-style names inside a folder."""
    stem = PurePosixPath(rel).stem
    if stem.lower() in _INDEX_NAMES and folders:
        return None
    return clean_topic(stem.replace("_", " ").replace("-", " ") if " " not in stem else stem)


def parse_document(source: SourceFile) -> Document:
    """Parse a note and cut it into sections with their topic trails."""
    tokens = markdown.parse(source.text)
    heads: list[tuple[int, Heading]] = []
    for i, tok in enumerate(tokens):
        if tok.type == "heading_open" and tok.map is not None:
            inline = tokens[i + 1]
            text = inline_text(inline)
            heads.append((i, Heading(int(tok.tag[1]), text, clean_topic(text) if text else "", tok.map[0] + 1,
                                     inline)))

    folders = tuple(clean_topic(f) for f in source.ref.folders)
    h1s = [h for _, h in heads if h.level == 1]
    # A single H1 that opens the file is its title: it names the file's topic
    # rather than adding a level below the file name.
    titled = len(h1s) == 1 and heads[0][1].level == 1 and bool(h1s[0].topic)
    if titled:
        topic = h1s[0].topic
        base: tuple[str, ...] = folders
    else:
        name = file_topic_from_name(source.rel, source.ref.folders)
        topic = name or (folders[-1] if folders else source.rel)
        base = (*folders, name) if name else folders

    sections: list[Section] = []
    first = heads[0][0] if heads else len(tokens)
    preamble = (*base, topic) if titled else base
    sections.append(Section(None, preamble or (topic,), 0, first))
    stack: list[tuple[int, str]] = []
    for n, (i, head) in enumerate(heads):
        while stack and stack[-1][0] >= head.level:
            stack.pop()
        if head.topic:
            stack.append((head.level, head.topic))
        end = heads[n + 1][0] if n + 1 < len(heads) else len(tokens)
        sections.append(Section(head, (*base, *(t for _, t in stack)), i + 3, end))
    problems: list[Diagnostic] = []
    deep = markdown.too_deep(tokens)
    if deep is not None:
        problems.append(warning(source.rel, deep, f"lists or quotes nested more than {markdown.FLATTEN_AT // 2} "
                                "levels deep; the deeper text is kept as plain text",
                                "flatten the outline", "nested-too-deep"))
    return Document(source, tokens, tuple(sections), topic, source.text.split("\n"), tuple(problems))
