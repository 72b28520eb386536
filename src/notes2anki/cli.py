"""The ``notes2anki`` command: a thin skin over :mod:`notes2anki.pipeline`.

Only this module imports click. It turns options into :class:`Settings`,
prints diagnostics like a compiler (``path:line: warning: …``) and converts
the library's errors into exit codes in one place: 0 ok, 1 error, 2 usage.
"""

from __future__ import annotations

import json
import shutil
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click
import yaml

from . import __version__, extractors
from .cards import KINDS, Card
from .config import Config, Settings, find_config, load_config, resolve
from .diagnostics import Diagnostic, Severity
from .errors import Notes2AnkiError
from .pipeline import Extraction, Progress, build, extract_cards
from .render import html_to_text
from .textwidth import pad, truncate, width

_NOTES = click.argument("notes", nargs=-1, type=click.Path(exists=True, path_type=Path))
_CONFIG = click.option("--config", "config_path", type=click.Path(exists=True, dir_okay=False, path_type=Path),
                       help="Config file (default: notes2anki.yaml in the current folder).")
_DECK = click.option("--deck", help="Deck name (default: from the config, or the notes folder's name).")


class _Group(click.Group):
    """Converts the library's errors to one-line messages and exit code 1."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except Notes2AnkiError as exc:
            _print_diagnostics(exc.diagnostics)
            click.echo("notes2anki: stopped; nothing was written.", err=True)
            ctx.exit(1)
        except KeyboardInterrupt:
            click.echo("\nnotes2anki: interrupted; the previous deck is unchanged.", err=True)
            ctx.exit(130)
        except BrokenPipeError:
            sys.stderr.close()
            ctx.exit(1)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="notes2anki")
def cli() -> None:
    """Turn Markdown study notes into Anki decks.

    Run 'notes2anki build' with no arguments to build the bundled example notes.
    """


def main() -> None:
    cli(prog_name="notes2anki")


def _print_diagnostics(diagnostics: Sequence[Diagnostic]) -> None:
    colours = {Severity.ERROR: "red", Severity.WARNING: "yellow", Severity.INFO: "blue"}
    for d in sorted(diagnostics, key=lambda d: (d.path, d.line or 0)):
        where = click.style(d.where() + ":", bold=True)
        level = click.style(str(d.severity) + ":", fg=colours[d.severity])
        click.echo(f"{where} {level} {d.message}" + (f" ({d.hint})" if d.hint else ""), err=True)


def _settings(notes: Sequence[Path], config_path: Path | None, **overrides: Any) -> tuple[Settings, list[Diagnostic]]:
    path = config_path or find_config(Path.cwd())
    config, diags = load_config(path, extractors.names()) if path else (Config(), [])
    settings, more = resolve(config, notes=notes, **overrides)
    return settings, diags + more


@contextmanager
def _progress(label: str) -> Iterator[Progress]:
    """A progress bar on stderr, shown only on a terminal and only once work takes over half a second."""
    start = time.monotonic()
    bar: Any = None

    def update(done: int, total: int) -> None:
        nonlocal bar
        if bar is None:
            if time.monotonic() - start < 0.5 or not sys.stderr.isatty():
                return
            bar = click.progressbar(length=total, label=label, file=sys.stderr)
            bar.__enter__()
            bar.update(done)
        else:
            bar.update(1)

    try:
        yield update
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)


def _counts_line(extraction: Extraction) -> str:
    counts = extraction.counts()
    detail = ", ".join(f"{n} {kind}" for kind, n in counts.items())
    return f"{len(extraction.cards)} cards" + (f" ({detail})" if detail else "")


def _exit_code(diagnostics: Sequence[Diagnostic], strict: bool) -> int:
    worst = max((d.severity.value for d in diagnostics), default=-1)
    if worst >= Severity.ERROR.value or (strict and worst >= Severity.WARNING.value):
        return 1
    return 0


@cli.command("build")
@_NOTES
@click.option("--out", "out_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the deck to exactly this .apkg file.")
@click.option("--out-dir", type=click.Path(file_okay=False, path_type=Path),
              help="Folder for <deck-name>.apkg (default: decks/).")
@_DECK
@_CONFIG
@click.option("--strict", is_flag=True, help="Treat warnings as errors: write nothing and exit 1.")
def build_command(notes: tuple[Path, ...], out_file: Path | None, out_dir: Path | None, deck: str | None,
                  config_path: Path | None, strict: bool) -> None:
    """Build an Anki deck (.apkg) from NOTES (Markdown files or folders).

    With no NOTES, reads the 'notes' of notes2anki.yaml; with no config file,
    builds the bundled example notes.
    """
    if out_file is not None and out_dir is not None:
        raise click.UsageError("use either --out or --out-dir, not both")
    if out_file is not None and out_file.suffix.lower() != ".apkg":
        raise click.BadParameter("the deck file must end in .apkg", param_hint="--out")
    settings, diags = _settings(notes, config_path, deck=deck, out_file=out_file, out_dir=out_dir)
    with _progress("Reading notes") as progress:
        result = build(settings, progress=progress, strict=strict)
    all_diags = [*diags, *result.extraction.diagnostics]
    _print_diagnostics(all_diags)
    x = result.extraction
    click.echo(f"Read {len(x.files)} file{'s' if len(x.files) != 1 else ''}"
               + (f" (skipped {len(x.skipped)})" if x.skipped else "")
               + f"; made {_counts_line(x)}.")
    problems = [d for d in all_diags if d.severity is not Severity.INFO]
    if problems:
        click.echo(f"{len(problems)} warning{'s' if len(problems) != 1 else ''} (see above).")
    if result.written:
        click.echo(f"Wrote {_shown(result.output)} (deck \"{settings.deck}\"). "
                   "Import it in Anki with File > Import.")
    else:
        click.echo("Nothing written: --strict and there were warnings.")
    sys.exit(_exit_code(all_diags, strict))


def _shown(path: Path) -> str:
    """A path as the user would type it: relative to the current folder when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def card_record(card: Card) -> dict[str, Any]:
    """One card as ``notes2anki cards`` prints it."""
    return {
        "id": card.guid,
        "kind": card.kind,
        "front": card.front,
        "back": card.back,
        "context": list(card.context),
        "tags": list(card.tags),
        "source": card.source,
    }


def _table(cards: Sequence[Card]) -> str:
    columns = shutil.get_terminal_size((160, 24)).columns if sys.stdout.isatty() else 160
    rows = [(c.kind, c.source, html_to_text(c.front), html_to_text(c.back)) for c in cards]
    widths = [min(max([width(h)] + [width(r[i]) for r in rows]), cap)
              for i, (h, cap) in enumerate(zip(("KIND", "SOURCE", "FRONT", "BACK"), (18, 40, 40, 200)))]
    widths[3] = max(10, columns - sum(widths[:3]) - 6)
    lines = []
    for row in [("KIND", "SOURCE", "FRONT", "BACK"), *rows]:
        lines.append("  ".join(pad(truncate(cell, w), w) for cell, w in zip(row, widths)).rstrip())
    return "\n".join(lines)


_FORMATS: dict[str, Callable[[Sequence[Card]], str]] = {
    "json": lambda cards: json.dumps([card_record(c) for c in cards], ensure_ascii=False, indent=2),
    "yaml": lambda cards: yaml.safe_dump([card_record(c) for c in cards], allow_unicode=True,
                                         sort_keys=False, width=1000).rstrip(),
    "table": _table,
}


@cli.command("cards")
@_NOTES
@click.option("--format", "fmt", type=click.Choice(list(_FORMATS)), default="table", show_default=True,
              help="Output format.")
@_DECK
@_CONFIG
@click.option("--kind", "kinds", multiple=True, type=click.Choice(list(KINDS)),
              help="Only cards of this kind (repeatable).")
def cards_command(notes: tuple[Path, ...], fmt: str, deck: str | None, config_path: Path | None,
                  kinds: tuple[str, ...]) -> None:
    """Print the cards NOTES would make, without writing a deck.

    Each record has the card's id (its Anki GUID), kind, front, back, context,
    tags and source (path:line).
    """
    settings, diags = _settings(notes, config_path, deck=deck)
    with _progress("Reading notes") as progress:
        extraction = extract_cards(settings, progress)
    all_diags = [*diags, *extraction.diagnostics]
    _print_diagnostics(all_diags)
    cards = [c for c in extraction.cards if not kinds or c.kind in kinds]
    click.echo(_FORMATS[fmt](cards))
    sys.exit(_exit_code(all_diags, strict=False))
