"""``notes2anki watch``: rebuild the deck every time a note changes."""

from __future__ import annotations

import gc
import time
from pathlib import Path

import click

from ..errors import Notes2AnkiError
from ..watch import rebuilds, watch_changes
from .build import change_report, counts_line
from .common import (
    check_out,
    config_option,
    deck_option,
    load_settings,
    notes_argument,
    out_dir_option,
    out_file_option,
    print_diagnostics,
    shown,
)


@click.command("watch")
@notes_argument
@out_file_option
@out_dir_option
@deck_option
@config_option
@click.option("-v", "--verbose", is_flag=True, help="List every change, not only the first few of each kind.")
def command(notes: tuple[Path, ...], out_file: Path | None, out_dir: Path | None, deck: str | None,
            config_path: Path | None, verbose: bool) -> None:
    """Build the deck, then rebuild it whenever a note in NOTES changes.

    Each rebuild reads only the notes that changed and prints what changed in
    the deck. Stop with Ctrl-C; the last deck written stays.
    """
    check_out(out_file, out_dir)
    settings, diags = load_settings(notes, config_path, deck=deck, out_file=out_file, out_dir=out_dir)
    print_diagnostics(diags)

    def on_error(exc: Notes2AnkiError) -> None:
        print_diagnostics(exc.diagnostics)
        click.echo("Not rebuilt; fix the problem above and save again.", err=True)

    click.echo(f"Watching {', '.join(shown(p) for p in settings.inputs) or 'the config notes'}; Ctrl-C stops.")
    try:
        for done in rebuilds(settings, watch_changes(settings), on_error):
            started = time.strftime("%H:%M:%S")
            print_diagnostics(list(done.diagnostics))
            click.echo(f"[{started}] {counts_line(done)} → {shown(done.output)}")
            for line in change_report(done, verbose):
                click.echo(line)
            gc.collect()  # the collector is off during builds (see cli.main); clear any cycles between them
    except KeyboardInterrupt:
        click.echo("\nStopped watching.")
