"""``notes2anki build``: notes in, .apkg out."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..diagnostics import Severity
from ..pipeline import Extraction, build
from .common import (
    config_option,
    deck_option,
    exit_code,
    load_settings,
    notes_argument,
    print_diagnostics,
    progress_bar,
    shown,
)


def counts_line(extraction: Extraction) -> str:
    counts = extraction.counts()
    detail = ", ".join(f"{n} {kind}" for kind, n in counts.items())
    return f"{len(extraction.cards)} cards" + (f" ({detail})" if detail else "")


@click.command("build")
@notes_argument
@click.option("--out", "out_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the deck to exactly this .apkg file.")
@click.option("--out-dir", type=click.Path(file_okay=False, path_type=Path),
              help="Folder for <deck-name>.apkg (default: decks/).")
@deck_option
@config_option
@click.option("--strict", is_flag=True, help="Treat warnings as errors: write nothing and exit 1.")
def command(notes: tuple[Path, ...], out_file: Path | None, out_dir: Path | None, deck: str | None,
            config_path: Path | None, strict: bool) -> None:
    """Build an Anki deck (.apkg) from NOTES (Markdown files or folders).

    With no NOTES, reads the 'notes' of notes2anki.yaml; with no config file,
    builds the bundled example notes.
    """
    if out_file is not None and out_dir is not None:
        raise click.UsageError("use either --out or --out-dir, not both")
    if out_file is not None and out_file.suffix.lower() != ".apkg":
        raise click.BadParameter("the deck file must end in .apkg", param_hint="--out")
    settings, diags = load_settings(notes, config_path, deck=deck, out_file=out_file, out_dir=out_dir)
    with progress_bar("Reading notes") as progress:
        result = build(settings, progress=progress, strict=strict)
    all_diags = [*diags, *result.extraction.diagnostics]
    print_diagnostics(all_diags)
    x = result.extraction
    click.echo(f"Read {len(x.files)} file{'s' if len(x.files) != 1 else ''}"
               + (f" (skipped {len(x.skipped)})" if x.skipped else "")
               + f"; made {counts_line(x)}.")
    problems = [d for d in all_diags if d.severity is not Severity.INFO]
    if problems:
        click.echo(f"{len(problems)} warning{'s' if len(problems) != 1 else ''} (see above).")
    if result.written:
        click.echo(f"Wrote {shown(result.output)} (deck \"{settings.deck}\"). "
                   "Import it in Anki with File > Import.")
    else:
        click.echo("Nothing written: --strict and there were warnings.")
    sys.exit(exit_code(all_diags, strict))
