"""``notes2anki build``: notes in, .apkg out, and what changed since the last build."""

from __future__ import annotations

import sys
from collections import defaultdict
from pathlib import Path

import click

from ..diagnostics import Severity
from ..incremental import Report
from ..pipeline import build, rebuild, report
from ..reconcile import REMOVED_TAG, Change
from .common import (
    check_out,
    config_option,
    deck_option,
    exit_code,
    load_settings,
    notes_argument,
    out_dir_option,
    out_file_option,
    print_diagnostics,
    progress_bar,
    shown,
)

_ORDER = ("added", "updated", "renamed", "moved", "revived", "removed")
_LISTED = 20


def counts_line(done: Report) -> str:
    detail = ", ".join(f"{n} {kind}" for kind, n in done.counts.items())
    return f"{done.cards} cards" + (f" ({detail})" if detail else "")


def change_report(done: Report, verbose: bool) -> list[str]:
    """The "what changed since the last build" lines, most interesting first."""
    groups: dict[str, list[Change]] = defaultdict(list)
    for change in done.changes:
        groups[change.what].append(change)
    if not groups:
        return ["No changes since the last build."]
    lines = ["Changes since the last build: "
             + ", ".join(f"{len(groups[w])} {w}" for w in _ORDER if groups.get(w)) + "."]
    for what in _ORDER:
        items = groups.get(what, [])
        limit = len(items) if verbose else _LISTED
        for c in items[:limit]:
            detail = f"{c.before} → {c.question}" if what == "renamed" else c.question
            if what == "moved":
                detail += f" (was {c.before})"
            lines.append(f"  {what:8} {c.source}: {c.kind}: {detail}")
        if len(items) > limit:
            lines.append(f"  … and {len(items) - limit} more {what} (--verbose lists them all)")
    if done.removed:
        lines.append(f"{done.removed} removed card(s) stay in the deck tagged {REMOVED_TAG}: "
                     f'in Anki\'s browser search "tag:{REMOVED_TAG}", delete them, then run '
                     "'notes2anki build --prune' to forget them.")
    return lines


@click.command("build")
@notes_argument
@out_file_option
@out_dir_option
@deck_option
@config_option
@click.option("--strict", is_flag=True, help="Treat warnings as errors: write nothing and exit 1.")
@click.option("--dry-run", is_flag=True, help="Show what would change; write neither deck nor ledger.")
@click.option("--prune", is_flag=True,
              help="Forget cards removed from the notes in an earlier build (after deleting them in Anki).")
@click.option("-v", "--verbose", is_flag=True, help="List every change, not only the first few of each kind.")
def command(notes: tuple[Path, ...], out_file: Path | None, out_dir: Path | None, deck: str | None,
            config_path: Path | None, strict: bool, dry_run: bool, prune: bool, verbose: bool) -> None:
    """Build an Anki deck (.apkg) from NOTES (Markdown files or folders).

    With no NOTES, reads the 'notes' of notes2anki.yaml; with no config file,
    builds the bundled example notes. Each build records its cards in the
    ledger (cards/<deck>.yaml) so cards keep their identity across edits, and
    prints what changed since the last build.
    """
    check_out(out_file, out_dir)
    settings, diags = load_settings(notes, config_path, deck=deck, out_file=out_file, out_dir=out_dir)
    with progress_bar("Reading notes") as progress:
        if dry_run or prune:
            done = report(build(settings, progress=progress, strict=strict, dry_run=dry_run, prune=prune))
        else:
            done = rebuild(settings, progress=progress, strict=strict)
    all_diags = [*diags, *done.diagnostics]
    print_diagnostics(all_diags)
    click.echo(f"Read {len(done.files)} file{'s' if len(done.files) != 1 else ''}"
               + (f" (skipped {len(done.skipped)})" if done.skipped else "")
               + f"; made {counts_line(done)}.")
    for line in change_report(done, verbose):
        click.echo(line)
    problems = [d for d in all_diags if d.severity is not Severity.INFO]
    if problems:
        click.echo(f"{len(problems)} warning{'s' if len(problems) != 1 else ''} (see above).")
    if done.written:
        click.echo(f"Wrote {shown(done.output)} (deck \"{settings.deck}\") and {shown(settings.ledger_path)}. "
                   "Import the deck in Anki with File > Import.")
    elif dry_run:
        click.echo("Dry run: nothing written.")
    else:
        click.echo("Nothing written: --strict and there were warnings.")
    sys.exit(exit_code(all_diags, strict))
