"""The registry of card extractors, and what they share while reading one note.

Extractors run in a fixed, named order (like markdown-it's rules), so config
can switch each off by name and a new source of cards is one new module plus a
line in :data:`REGISTRY`. Each extractor is a function ``(Document, Context) ->
iterable of Card | Diagnostic``. Earlier extractors can *claim* a source line
(a question heading, a term) so later ones do not make a second card of it.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from markdown_it.token import Token

from .. import render
from ..cards import Card
from ..diagnostics import Diagnostic
from ..document import Document
from ..identity import card_guid
from ..media import Lookups, MediaCollector, root_of, this_build
from ..topics import make_tag
from ..wording import language_of, phrase
from ._inline import Flat, closers, flatten


@dataclass(frozen=True)
class ExtractOptions:
    """What extraction needs to know beyond the note itself."""

    deck: str
    tag_root: str = "notes2anki"
    disabled: frozenset[str] = frozenset()
    """Names of extractors switched off in the config."""
    disabled_rules: frozenset[str] = frozenset()
    """Rules (``extractor.rule``) switched off in the config."""
    language: str = "auto"
    """``auto`` (each note's own language), ``zh`` or ``en``."""
    wording: Mapping[str, str] = field(default_factory=dict)
    """Question template overrides (see ``wording.py``)."""


@dataclass
class Context:
    """Per-document helper: renders, builds cards with ids, tags and media, tracks claimed lines.

    Everything an extractor renders goes through here, so every field is
    sanitised and every local image is packed the same way; problems met while
    rendering (a missing image) collect in :attr:`diagnostics`, which
    :func:`extract` returns with the cards.
    """

    doc: Document
    options: ExtractOptions
    claimed: set[int] = field(default_factory=set)
    _language: str | None = field(default=None, repr=False)
    _flats: dict[int, Flat] = field(default_factory=dict, repr=False)
    _closers: dict[int, int] | None = field(default=None, repr=False)
    media: MediaCollector = field(init=False, repr=False)
    """The note's images: resolved against its folder, never outside its notes root."""

    def __post_init__(self) -> None:
        ref = self.doc.source.ref
        self.media = MediaCollector(ref.path.absolute().parent, root_of(ref.path, ref.folders), self.doc.path,
                                    shared=this_build())

    @property
    def diagnostics(self) -> list[Diagnostic]:
        """Problems met while rendering this document (images missing or refused)."""
        return self.media.diagnostics

    def flat(self, inline: Token) -> Flat:
        """``inline`` laid out as text, once per document whichever extractors read it."""
        found = self._flats.get(id(inline))
        if found is None:
            found = self._flats[id(inline)] = flatten(inline)
        return found

    def closers(self) -> dict[int, int]:
        """Index of each block opener of the document -> index of its closer (found once)."""
        if self._closers is None:
            self._closers = closers(self.doc.tokens)
        return self._closers

    def rule_on(self, rule: str) -> bool:
        """Whether rule ``extractor.rule`` is switched on."""
        return rule not in self.options.disabled_rules

    def language(self) -> str:
        """The language questions are worded in: fixed by config, else the note's own."""
        if self.options.language != "auto":
            return self.options.language
        return self.note_language()

    def note_language(self) -> str:
        """The note's own language, whatever the config says (what counts as a name differs by it)."""
        if self._language is None:
            self._language = language_of(self.doc.source.text[:20000])
        return self._language

    def phrase(self, key: str, **fields: str) -> str:
        """Template ``key`` in the note's language, with config overrides."""
        return phrase(key, self.language(), self.options.wording, **fields)

    def render_blocks(self, tokens: Sequence[Token]) -> str:
        """Safe HTML for block tokens of this document (the one place extractors render blocks)."""
        return render.render_blocks(tokens, render.RenderEnv(self.media))

    def render_inline(self, token: Token) -> str:
        """Safe HTML for an inline token of this document."""
        return render.render_inline(token, render.RenderEnv(self.media))

    def render_markdown(self, text: str, inline: bool = False, line: int | None = None) -> str:
        """Safe HTML for a Markdown snippet written by an extractor or taken from this document.

        ``line`` is where the snippet stands in the note, for image warnings.
        """
        return render.render_markdown(text, inline, render.RenderEnv(self.media, line))

    def claim(self, line: int) -> None:
        self.claimed.add(line)

    def is_claimed(self, line: int) -> bool:
        return line in self.claimed

    def card(
        self,
        kind: str,
        *,
        question: str,
        answer: str,
        back: str,
        context: Sequence[str],
        line: int,
        front: str | None = None,
        tag_trail: Sequence[str] | None = None,
        extra_tags: Iterable[str] = (),
        extra: str = "",
        cloze: bool = False,
        reverse: bool = False,
    ) -> Card:
        """A card with its GUID, topic tag and media filled in.

        ``front`` defaults to the escaped question; ``tag_trail`` (the topics the
        card is filed under) defaults to its context. The media files the HTML
        fields refer to are attached to the card. Fields must come
        from the ``render_*`` methods or be built from escaped text: they are
        not sanitised again (``tests/test_security.py`` holds every extractor to it).
        """
        trail = tuple(context)
        tags = [make_tag(self.options.tag_root, trail if tag_trail is None else tag_trail)]
        tags.extend(t for t in extra_tags if t not in tags)
        fields = [front if front is not None else html.escape(question, quote=False), back, extra]
        # Packed names are content hashes: a name occurring in a field is a reference to that file.
        used = {name for name in self.media.files if any(name in f for f in fields)}
        return Card(
            kind=kind,
            guid=card_guid(self.options.deck, kind, trail, question),
            question=question,
            answer=answer,
            front=fields[0],
            back=fields[1],
            context=trail,
            path=self.doc.path,
            line=line,
            tags=tuple(t for t in tags if t),
            extra=fields[2],
            cloze=cloze,
            reverse=reverse,
            media=tuple((name, str(self.media.files[name])) for name in sorted(used)),
        )


ExtractFn = Callable[[Document, Context], Iterable["Card | Diagnostic"]]


@dataclass(frozen=True)
class Extractor:
    name: str
    """The name config uses to switch it on or off."""
    summary: str
    run: ExtractFn
    rules: tuple[str, ...] = ()
    """Names of the extractor's rules that config can switch off (``rules: {name.rule: false}``)."""


def _registry() -> tuple[Extractor, ...]:
    # Imported here so each extractor module can import this package's helpers.
    from . import definitions, diagrams, flashcards, questions, sections

    return (flashcards.EXTRACTOR, questions.EXTRACTOR, definitions.EXTRACTOR, diagrams.EXTRACTOR, sections.EXTRACTOR)


REGISTRY: tuple[Extractor, ...] = _registry()


def names() -> list[str]:
    return [e.name for e in REGISTRY]


def rule_names() -> list[str]:
    return [f"{e.name}.{rule}" for e in REGISTRY for rule in e.rules]


class Extracted(NamedTuple):
    """What one note gave."""

    cards: list[Card]
    diagnostics: list[Diagnostic]
    """The extractors' own, then those met while rendering."""
    lookups: Lookups | None
    """Its image references whose outcome could change while the note does not, for a later build to ask again."""


def extract(doc: Document, options: ExtractOptions) -> Extracted:
    """Run every enabled extractor over one document, in registry order."""
    ctx = Context(doc, options)
    cards: list[Card] = []
    diagnostics: list[Diagnostic] = []
    for extractor in REGISTRY:
        if extractor.name in options.disabled:
            continue
        for item in extractor.run(doc, ctx):
            if isinstance(item, Card):
                cards.append(item)
            else:
                diagnostics.append(item)
    return Extracted(cards, diagnostics + ctx.diagnostics, ctx.media.lookups())
