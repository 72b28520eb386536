"""``notes2anki graph``: the diagrams of a note as parsed, for debugging unexpected diagram cards."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from ..diagnostics import Diagnostic
from ..diagrams import Diagram, diagram_to_dict
from ..pipeline import read_diagrams
from .common import exit_code, print_diagnostics


@click.command("graph")
@click.argument("note", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="Output format.")
def command(note: Path, fmt: str) -> None:
    """Print each Mermaid diagram in NOTE as notes2anki reads it.

    For every diagram: its line and kind, its nodes (id → label) and its edges
    (source, target, label, link type). Diagrams Mermaid would reject are
    reported with their line and make no cards.
    """
    found, diagnostics = read_diagrams(note)
    print_diagnostics(diagnostics)
    if fmt == "json":
        click.echo(json.dumps([diagram_to_dict(d) for d in found], ensure_ascii=False, indent=2))
    else:
        click.echo(_text(note, found, diagnostics))
    sys.exit(exit_code(diagnostics))


def _text(note: Path, diagrams: list[Diagram], diagnostics: list[Diagnostic]) -> str:
    lines: list[str] = []
    if not diagrams:
        lines.append(f"{note}: no diagram read" + (" (see above)" if diagnostics else ""))
    for d in diagrams:
        lines.append(f"{note}:{d.line}: {d.kind}" + (f" {d.direction}" if d.direction else "")
                     + (f" \"{d.title}\"" if d.title else "")
                     + f" — {len(d.nodes)} nodes, {len(d.edges)} edges")
        lines.append("  nodes:")
        for n in d.nodes:
            label = n.label.replace("\n", " ⏎ ")
            lines.append(f"    {n.id} → {label}" + (f"  [{n.shape}]" if n.shape else ""))
        lines.append("  edges:")
        for e in d.edges:
            arrow = f"—{e.label}→" if e.label else "→"
            lines.append(f"    {d.label_of(e.src)} {arrow} {d.label_of(e.dst)}  ({e.type}, line {e.line})")
        lines.append("")
    return "\n".join(lines).rstrip()
