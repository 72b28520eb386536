"""The build as one plain function: find notes → read → parse → extract → package.

Tests call these functions directly; the CLI only formats what they return.
Each stage hands the next frozen values, and every problem the build survives
comes back as a diagnostic instead of being printed.
"""

from __future__ import annotations

import hashlib
import signal
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from . import incremental, ledger
from .atomic import remove_leftovers
from .cache import Cache, FileResult, deck_folder, file_digest
from .cards import Card, drop_duplicates
from .config import Settings
from .diagnostics import Diagnostic, Severity, error, warning
from .diagrams import Diagram
from .document import parse_document
from .errors import InputError
from .extractors import ExtractOptions, extract
from .extractors.diagrams import parse_fence
from .incremental import Deck, NoteRead, Report
from .ledger import Ledger
from .media import new_build
from .package import digest_part, package_digest, write_package
from .reconcile import Reconciliation, many_removed, reconcile, removed_card
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
    cached: int = 0
    """How many notes were not read again because the cache still held them."""
    duplicates: tuple[Diagnostic, ...] = ()
    """The warnings about cards dropped as duplicates (also in ``diagnostics``)."""
    reads: tuple[NoteRead, ...] = field(default=(), compare=False, repr=False)
    """Each note as read (its cards before duplicates were dropped): what an incremental rebuild starts from."""

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
        return [*self.extraction.cards, *map(removed_card, self.reconciliation.removed)]


@dataclass(frozen=True)
class BuildResult:
    plan: Plan
    output: Path
    written: bool

    @property
    def extraction(self) -> Extraction:
        return self.plan.extraction


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


def extract_file(ref: FileRef, options: ExtractOptions) -> FileResult:
    """Read, parse and extract one note (the unit of work that runs in parallel)."""
    source, diags = read(ref)
    if source is None:
        return FileResult(ref.rel, False, (), tuple(diags))
    found = extract(parse_document(source), options)
    return FileResult(ref.rel, True, tuple(found.cards), (*diags, *found.diagnostics), source.digest,
                      found.lookups)


def _extract_job(job: tuple[FileRef, ExtractOptions]) -> FileResult:
    result = extract_file(*job)
    for card in result.cards:
        # Hashed here, in the worker: the digests travel with the card (cached in its __dict__), and the
        # main process, which every card passes through, would otherwise hash them all one after another.
        _ = card.answer_digest, card.content_digest
    return result


def _indexed_job(job: tuple[int, tuple[FileRef, ExtractOptions]]) -> tuple[int, FileResult]:
    return job[0], _extract_job(job[1])


PARALLEL_MIN_BYTES = 96 * 1024
"""Below this much Markdown to read, starting worker processes costs more than it saves (measured: the two
break even at about 90 KB on two cores)."""


def _size(ref: FileRef) -> int:
    try:
        return ref.path.stat().st_size
    except OSError:
        return 0


def _run_jobs(jobs: list[tuple[FileRef, ExtractOptions]], workers: int,
              tick: Callable[[], None]) -> Iterator[tuple[int, FileResult]]:
    """(index in ``jobs``, result) for every job, from ``workers`` processes when the work is worth it.

    Workers take the biggest notes first, so one long note met last does not keep
    a core waiting; results come as they are done (callers place them by index).
    """
    new_build()
    sizes = [_size(ref) for ref, _ in jobs]
    if workers <= 1 or len(jobs) < 2 or sum(sizes) < PARALLEL_MIN_BYTES:
        for i, job in enumerate(jobs):
            yield i, _extract_job(job)
            tick()
        return
    import multiprocessing  # only a cold build (or a big change) needs worker processes

    methods = multiprocessing.get_all_start_methods()
    ctx = multiprocessing.get_context("fork" if "fork" in methods else None)
    chunk = max(1, min(32, len(jobs) // (workers * 8)))
    order = sorted(range(len(jobs)), key=lambda i: -sizes[i])
    # Workers ignore Ctrl-C: the parent alone stops the build (and ends the pool), with one message.
    with ctx.Pool(workers, initializer=signal.signal, initargs=(signal.SIGINT, signal.SIG_IGN)) as pool:
        for done in pool.imap_unordered(_indexed_job, [(i, jobs[i]) for i in order], chunksize=chunk):
            yield done
            tick()


def _in_order(done: Iterable[tuple[int, FileResult]]) -> list[FileResult]:
    return [result for _, result in sorted(done, key=lambda pair: pair[0])]


def extract_options(settings: Settings) -> ExtractOptions:
    return ExtractOptions(deck=settings.deck, tag_root=settings.tag_root, disabled=settings.disabled,
                          disabled_rules=settings.disabled_rules, language=settings.language, wording=settings.wording)


def open_cache(settings: Settings) -> Cache:
    """The extraction cache for this deck and these settings (a fresh, empty one if caching is off)."""
    return Cache(settings.cache_dir, _deck_key(settings), repr(extract_options(settings)))


def _deck_key(settings: Settings) -> str:
    return f"{settings.deck}\x1f{settings.out_path.absolute()}"


def _deck_cache(settings: Settings) -> Path | None:
    """The deck's folder in the cache, where builds keep what the next one can reuse (None: caching off)."""
    return deck_folder(settings.cache_dir, _deck_key(settings)) if settings.cache_dir else None


def load_ledger(settings: Settings) -> Ledger | None:
    """The deck's ledger, from the parsed copy in the cache while the file is unchanged."""
    kept = _deck_cache(settings)
    return ledger.load(settings.ledger_path, kept / "ledger.snapshot" if kept else None)


def extract_cards(settings: Settings, progress: Progress | None = None, cache: Cache | None = None) -> Extraction:
    """Read, parse and extract every note; no output is written.

    Notes whose cached result is still valid are not read again; the rest are
    parsed in parallel (``settings.jobs`` processes) and merged in file order,
    so the result is the same as a serial build's.
    """
    refs, diags = find_files(settings)
    options = extract_options(settings)
    cache = cache if cache is not None else open_cache(settings)
    results: list[FileResult | None] = [cache.get(ref.path, file_digest) for ref in refs]
    todo = [i for i, r in enumerate(results) if r is None]
    done = len(refs) - len(todo)

    def tick() -> None:
        nonlocal done
        done += 1
        if progress:
            progress(done, len(refs))

    jobs = [(refs[i], options) for i in todo]
    for j, result in _run_jobs(jobs, settings.jobs, tick):
        results[todo[j]] = result
        cache.put(refs[todo[j]].path, result)
    hits = cache.hits
    cache.save()
    cache.roll()

    files: list[str] = []
    skipped: list[str] = []
    cards: list[Card] = []
    reads: list[NoteRead] = []
    for ref, outcome in zip(refs, results):
        assert outcome is not None
        (files if outcome.read else skipped).append(outcome.rel)
        cards.extend(outcome.cards)
        diags.extend(outcome.diagnostics)
        reads.append(NoteRead(str(ref.path), outcome, cache.index(ref.path)))
    unique, dup_diags = drop_duplicates(cards)
    return Extraction(tuple(files), tuple(skipped), tuple(unique), tuple(diags + dup_diags), hits, tuple(dup_diags),
                      tuple(reads))


def plan(settings: Settings, progress: Progress | None = None, now: int | None = None,
         prune: bool = False) -> Plan:
    """Extract the cards and match them with the ledger; nothing is written.

    ``cards``, ``quiz`` and ``build --dry-run`` all use this, so every command
    sees the same card ids a build would write.
    """
    extraction = extract_cards(settings, progress)
    old = load_ledger(settings)
    stamp = int(time.time()) if now is None else now
    rec = reconcile(old, extraction.cards, settings.deck, stamp, unreadable=extraction.skipped, prune=prune)
    live = sum(1 for e in (old.entries if old else ()) if e.removed is None)
    diags = many_removed(settings.ledger_path, live, rec.count("removed"))
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
        return _build(settings, progress, now, strict=strict, dry_run=dry_run, prune=prune)


def rebuild(settings: Settings, progress: Progress | None = None, now: int | None = None, *,
            strict: bool = False) -> Report:
    """What ``notes2anki build`` does: :func:`build`, but looking only at the notes that changed since the
    last build when that gives the same deck and ledger (``incremental.py``)."""
    with ledger.locked(settings.ledger_path):
        keep = _deck_cache(settings)
        if keep is not None:
            refs, found = find_files(settings)
            options = extract_options(settings)
            cache = Cache(settings.cache_dir, _deck_key(settings), repr(options), lazy=True)
            deck = Deck(settings.deck, settings.out_path, settings.ledger_path, keep, _state_key(settings))
            remove_leftovers(settings.out_path)
            remove_leftovers(settings.ledger_path)
            stamp = int(time.time()) if now is None else now
            done = incremental.rebuild(
                deck, refs, found, cache, lambda todo: _in_order(_run_jobs([(ref, options) for ref in todo],
                                                                           settings.jobs, lambda: None)), stamp, strict)
            if done is not None:
                return done
        return report(_build(settings, progress, now, strict=strict))


def report(result: BuildResult) -> Report:
    """What the change report shows of a full build."""
    x, rec = result.extraction, result.plan.reconciliation
    return Report(x.files, x.skipped, x.counts(), (*x.diagnostics, *result.plan.diagnostics), rec.changes,
                  len(rec.removed), result.output, result.written)


def _build(settings: Settings, progress: Progress | None, now: int | None, *, strict: bool = False,
           dry_run: bool = False, prune: bool = False) -> BuildResult:
    remove_leftovers(settings.out_path)
    remove_leftovers(settings.ledger_path)
    the_plan = plan(settings, progress, now, prune)
    problems = [*the_plan.extraction.diagnostics, *the_plan.diagnostics]
    if dry_run or (strict and any(d.severity is not Severity.INFO for d in problems)):
        return BuildResult(the_plan, settings.out_path, False)
    keep = _deck_cache(settings)
    if keep is not None:
        incremental.forget(keep / STATE)  # it describes the deck and ledger about to be replaced
    x, rec = the_plan.extraction, the_plan.reconciliation
    cards = the_plan.packaged
    removed = cards[len(x.cards):]
    media = {name: Path(path) for card in cards for name, path in card.media}
    files = dict(sorted(media.items()))
    parts = [digest_part(run, rec.mtimes, 0) for run in _runs(x.cards)]
    parts += [digest_part(run, rec.mtimes, 0) for run in _runs(removed)]
    digest = package_digest(settings.deck, len(cards), parts, files)
    write_package(cards, settings.deck, settings.out_path, mtimes=rec.mtimes,
                  default_mtime=max(rec.mtimes.values(), default=0), media=files, keep=keep, digest=digest)
    laid_out = ledger.layout(rec.ledger)
    if rec.ledger_changed or not settings.ledger_path.exists():
        ledger.save(rec.ledger, settings.ledger_path, keep / "ledger.snapshot" if keep else None, laid_out)
    if keep is not None:
        data, entries, sizes = laid_out
        sha1 = hashlib.sha1(data, usedforsecurity=False).digest()
        del laid_out, data  # the ledger's text is not held while the state is made (peak memory)
        state = incremental.capture(_state_key(settings), x.reads, x.cards, x.duplicates, rec, entries, sizes,
                                    sha1, digest)
        if state is not None:
            incremental.save(keep / STATE, state)
    return BuildResult(the_plan, settings.out_path, True)


def _state_key(settings: Settings) -> str:
    """What an incremental rebuild's state must have been made for: the code, the settings and the deck."""
    return f"{Cache(None, '', repr(extract_options(settings))).stamp}\x1f{_deck_key(settings)}"


STATE = "build.state"


def _runs(cards: Sequence[Card]) -> Iterator[list[Card]]:
    """Cards in runs of one note path (a note's cards, in a build's order)."""
    run: list[Card] = []
    for card in cards:
        if run and card.path != run[-1].path:
            yield run
            run = []
        run.append(card)
    if run:
        yield run
