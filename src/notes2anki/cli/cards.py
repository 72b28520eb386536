"""``notes2anki cards``: what a build would contain, without writing a deck."""

from __future__ import annotations

import json
import shutil
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import click
import yaml

from ..cards import KINDS, Card
from ..pipeline import plan
from ..render import html_to_text
from ..textwidth import pad, truncate, width
from .common import (
    config_option,
    deck_option,
    exit_code,
    load_settings,
    notes_argument,
    print_diagnostics,
    progress_bar,
)


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
    headers = ("KIND", "SOURCE", "FRONT", "BACK")
    widths = [min(max([width(h)] + [width(r[i]) for r in rows]), cap)
              for i, (h, cap) in enumerate(zip(headers, (18, 40, 40, 200)))]
    widths[3] = max(10, columns - sum(widths[:3]) - 6)
    lines = []
    for row in [headers, *rows]:
        lines.append("  ".join(pad(truncate(cell, w), w) for cell, w in zip(row, widths)).rstrip())
    return "\n".join(lines)


FORMATS: dict[str, Callable[[Sequence[Card]], str]] = {
    "json": lambda cards: json.dumps([card_record(c) for c in cards], ensure_ascii=False, indent=2),
    "yaml": lambda cards: yaml.safe_dump([card_record(c) for c in cards], allow_unicode=True,
                                         sort_keys=False, width=1000).rstrip(),
    "table": _table,
}


@click.command("cards")
@notes_argument
@click.option("--format", "fmt", type=click.Choice(list(FORMATS)), default="table", show_default=True,
              help="Output format.")
@deck_option
@config_option
@click.option("--kind", "kinds", multiple=True, type=click.Choice(list(KINDS)),
              help="Only cards of this kind (repeatable).")
def command(notes: tuple[Path, ...], fmt: str, deck: str | None, config_path: Path | None,
            kinds: tuple[str, ...]) -> None:
    """Print the cards NOTES would make, without writing a deck.

    Each record has the card's id (its Anki GUID), kind, front, back, context,
    tags and source (path:line).
    """
    settings, diags = load_settings(notes, config_path, deck=deck)
    with progress_bar("Reading notes") as progress:
        the_plan = plan(settings, progress)
    extraction = the_plan.extraction
    all_diags = [*diags, *extraction.diagnostics, *the_plan.diagnostics]
    print_diagnostics(all_diags)
    cards = [c for c in extraction.cards if not kinds or c.kind in kinds]
    click.echo(FORMATS[fmt](cards))
    sys.exit(exit_code(all_diags))
