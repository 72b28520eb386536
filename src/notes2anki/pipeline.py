"""The build as one plain function: find notes → read → parse → extract → package.

Tests call these functions directly; the CLI only formats what they return.
Each stage hands the next frozen values, and every problem the build survives
comes back as a diagnostic instead of being printed.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from . import ledger
from .cards import Card
from .config import Settings
from .diagnostics import Diagnostic, Severity, error, warning
from .diagrams import Diagram
from .document import parse_document
from .errors import InputError
from .extractors import ExtractOptions, extract
from .extractors.diagrams import parse_fence
from .package import write_package
from .reconcile import Reconciliation, reconcile, removed_card
from .sources import FileRef, discover, read

Progress = Callable[[int, int], None]
"""Called as ``progress(done, total)`` while files are processed."""


@dataclass(frozen=True)
class Extraction:
    """What the notes contain: cards, files read, and problems met on the way."""

    files: tuple[str, ...]
    """Files read successfully (relative paths)."""
    skipped: tuple[str, ...]
    """Files found but not readable as notes."""
    cards: tuple[Card, ...]
    diagnostics: tuple[Diagnostic, ...]

    def counts(self) -> dict[str, int]:
        """Cards by kind, in order of first appearance."""
        return dict(Counter(c.kind for c in self.cards))


@dataclass(frozen=True)
class Plan:
    """What a build would do: the cards with their lasting ids, and what changed since the last build."""

    extraction: Extraction
    """Cards carry their final GUIDs (renamed cards keep the ledger's)."""
    reconciliation: Reconciliation
    diagnostics: tuple[Diagnostic, ...]
    """Problems found while planning (beyond the extraction's)."""

    @property
    def packaged(self) -> list[Card]:
        """Every note the package holds: the cards, then the removed ones, marked."""
        return [*self.extraction.cards, *(removed_card(e, REMOVED_MARKER) for e in self.reconciliation.removed)]


@dataclass(frozen=True)
class BuildResult:
    plan: Plan
    output: Path
    written: bool

    @property
    def extraction(self) -> Extraction:
        return self.plan.extraction


REMOVED_MARKER = "Removed from the notes: delete it in Anki (search tag:notes2anki::removed)."


def find_files(settings: Settings) -> tuple[list[FileRef], list[Diagnostic]]:
    """The note files a build reads; raises :class:`InputError` if there are none."""
    missing = [p for p in settings.inputs if not p.exists()]
    if missing:
        raise InputError([error(str(p), None, "no such file or folder", "check the path", "missing-notes")
                          for p in missing])
    refs, diags = discover(settings.inputs, settings.exclude, settings.globs)
    for base, pattern in settings.globs:
        if not any(r.path.is_relative_to(base) for r in refs):
            diags.append(warning("", None, f"glob '{pattern}' matched no Markdown files",
                                 "check the pattern in the config's 'notes'", "glob-empty"))
    if not refs:
        where = ", ".join(str(p) for p in settings.inputs) or ", ".join(p for _, p in settings.globs)
        raise InputError([*diags, error(where, None, "no Markdown files (.md, .markdown) found",
                                        "point NOTES at a folder of notes or a .md file", "no-notes")])
    return refs, diags


def read_diagrams(note: Path) -> tuple[list[Diagram], list[Diagnostic]]:
    """Every Mermaid diagram in one note, as parsed (for ``notes2anki graph``)."""
    source, diags = read(FileRef(note.absolute(), note.name, ()))
    if source is None:
        return [], diags
    doc = parse_document(source)
    found: list[Diagram] = []
    for token, _ in doc.mermaid_fences():
        result = parse_fence(doc, token)
        diags.extend(result.diagnostics)
        if result.diagram is not None:
            found.append(result.diagram)
    return found, diags


def _dedupe(cards: Sequence[Card]) -> tuple[list[Card], list[Diagnostic]]:
    """Keep the first of cards that share a GUID (the same question), warning with both places."""
    first: dict[str, Card] = {}
    kept: list[Card] = []
    diags: list[Diagnostic] = []
    for card in cards:
        seen = first.get(card.guid)
        if seen is None:
            first[card.guid] = card
            kept.append(card)
        else:
            diags.append(warning(card.path, card.line,
                                 f"duplicate {card.kind} card '{_short(card.question)}' "
                                 f"(also at {seen.source}); kept the first",
                                 "reword one of the two, or put them under different headings",
                                 "duplicate-card"))
    return kept, diags


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def extract_cards(settings: Settings, progress: Progress | None = None) -> Extraction:
    """Read, parse and extract every note; no output is written."""
    refs, diags = find_files(settings)
    options = ExtractOptions(deck=settings.deck, tag_root=settings.tag_root, disabled=settings.disabled,
                             disabled_rules=settings.disabled_rules, language=settings.language,
                             wording=settings.wording)
    files: list[str] = []
    skipped: list[str] = []
    cards: list[Card] = []
    for done, ref in enumerate(refs, 1):
        source, read_diags = read(ref)
        diags.extend(read_diags)
        if source is None:
            skipped.append(ref.rel)
        else:
            files.append(ref.rel)
            file_cards, file_diags = extract(parse_document(source), options)
            cards.extend(file_cards)
            diags.extend(file_diags)
        if progress:
            progress(done, len(refs))
    unique, dup_diags = _dedupe(cards)
    return Extraction(tuple(files), tuple(skipped), tuple(unique), tuple(diags + dup_diags))


def plan(settings: Settings, progress: Progress | None = None, now: int | None = None,
         prune: bool = False) -> Plan:
    """Extract the cards and match them with the ledger; nothing is written.

    ``cards``, ``quiz`` and ``build --dry-run`` all use this, so every command
    sees the same card ids a build would write.
    """
    extraction = extract_cards(settings, progress)
    old = ledger.load(settings.ledger_path)
    stamp = int(time.time()) if now is None else now
    rec = reconcile(old, extraction.cards, settings.deck, stamp, unreadable=extraction.skipped, prune=prune)
    diags: list[Diagnostic] = []
    live = sum(1 for e in (old.entries if old else ()) if e.removed is None)
    removed_now = rec.count("removed")
    if live >= 10 and removed_now * 2 > live:
        diags.append(warning(str(settings.ledger_path), None,
                             f"{removed_now} of the deck's {live} cards are no longer in the notes read",
                             "if you built only part of your notes, build them all; check with --dry-run",
                             "many-removed"))
    return Plan(replace(extraction, cards=rec.cards), rec, tuple(diags))


def build(settings: Settings, progress: Progress | None = None, now: int | None = None, *,
          strict: bool = False, dry_run: bool = False, prune: bool = False) -> BuildResult:
    """Plan the build, then write the deck (atomically) and the ledger.

    With ``strict``, any warning means nothing is written; with ``dry_run``
    nothing is written either, but the plan (the change report) is returned.
    The ledger is written after the deck, so it always describes a deck that
    exists; a lock keeps two builds of one deck from interleaving.
    """
    with ledger.locked(settings.ledger_path):
        the_plan = plan(settings, progress, now, prune)
        problems = [*the_plan.extraction.diagnostics, *the_plan.diagnostics]
        if dry_run or (strict and any(d.severity is not Severity.INFO for d in problems)):
            return BuildResult(the_plan, settings.out_path, False)
        cards = the_plan.packaged
        media = {name: Path(path) for card in cards for name, path in card.media}
        rec = the_plan.reconciliation
        write_package(cards, settings.deck, settings.out_path, mtimes=rec.mtimes,
                      default_mtime=max(rec.mtimes.values(), default=0), media=media)
        ledger.save(rec.ledger, settings.ledger_path)
    return BuildResult(the_plan, settings.out_path, True)
