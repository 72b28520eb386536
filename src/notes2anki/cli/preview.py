"""``notes2anki preview``: every card as Anki will show it, on one HTML page."""

from __future__ import annotations

import sys
import webbrowser
from pathlib import Path

import click

from ..config import deck_file_name
from ..pipeline import extract_cards
from ..preview import DEFAULT_MATHJAX, write_preview
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


@click.command("preview")
@notes_argument
@deck_option
@config_option
@click.option("--out", "out_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the page to this file (default: <output folder>/<deck name>.preview.html).")
@click.option("--open", "open_page", is_flag=True, help="Open the page in the web browser.")
@click.option("--dark/--light", "dark", default=None,
              help="Start in dark or light mode (default: as the system is; the page has a switch).")
@click.option("--mathjax", default=DEFAULT_MATHJAX, show_default=True, metavar="URL",
              help="MathJax script to typeset math with (a local copy works offline).")
def command(notes: tuple[Path, ...], deck: str | None, config_path: Path | None, out_file: Path | None,
            open_page: bool, dark: bool | None, mathjax: str) -> None:
    """Write a static HTML page of every card NOTES would make, front and back.

    Cards are rendered from the deck's own templates and CSS, with math,
    highlighted code and images, so you can check a deck before importing it.
    Search by text, tag:TOPIC or kind:KIND; click a tag to filter by it.
    """
    if out_file is not None and out_file.suffix.lower() not in (".html", ".htm"):
        raise click.BadParameter("the preview file must end in .html", param_hint="--out")
    settings, diags = load_settings(notes, config_path, deck=deck)
    with progress_bar("Reading notes") as progress:
        extraction = extract_cards(settings, progress)
    all_diags = [*diags, *extraction.diagnostics]
    print_diagnostics(all_diags)
    out = out_file or settings.out_dir / f"{deck_file_name(settings.deck)}.preview.html"
    write_preview(extraction.cards, settings.deck, out, diagnostics=all_diags, mathjax=mathjax, dark=dark)
    click.echo(f"Wrote {shown(out)} ({len(extraction.cards)} cards, deck \"{settings.deck}\").")
    if open_page:
        webbrowser.open(out.resolve().as_uri())
    sys.exit(exit_code(all_diags))
