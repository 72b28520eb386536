"""What the commands share: options, settings from config + flags, diagnostics, progress."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from .. import extractors, wording
from ..config import Config, Settings, find_config, load_config, resolve
from ..diagnostics import Diagnostic, Severity
from ..pipeline import Progress

notes_argument = click.argument("notes", nargs=-1, type=click.Path(exists=True, path_type=Path))
config_option = click.option("--config", "config_path",
                             type=click.Path(exists=True, dir_okay=False, path_type=Path),
                             help="Config file (default: notes2anki.yaml in the current folder).")
deck_option = click.option("--deck", help="Deck name (default: from the config, or the notes folder's name).")
out_file_option = click.option("--out", "out_file", type=click.Path(dir_okay=False, path_type=Path),
                               help="Write the deck to exactly this .apkg file.")
out_dir_option = click.option("--out-dir", type=click.Path(file_okay=False, path_type=Path),
                              help="Folder for <deck-name>.apkg (default: decks/).")


def check_out(out_file: Path | None, out_dir: Path | None) -> None:
    """The usage rules of --out and --out-dir (exit 2 when broken)."""
    if out_file is not None and out_dir is not None:
        raise click.UsageError("use either --out or --out-dir, not both")
    if out_file is not None and out_file.suffix.lower() != ".apkg":
        raise click.BadParameter("the deck file must end in .apkg", param_hint="--out")


def print_diagnostics(diagnostics: Sequence[Diagnostic]) -> None:
    """Compiler-style lines on stderr, sorted by place."""
    colours = {Severity.ERROR: "red", Severity.WARNING: "yellow", Severity.INFO: "blue"}
    for d in sorted(diagnostics, key=lambda d: (d.path, d.line or 0)):
        where = click.style(d.where() + ":", bold=True)
        level = click.style(str(d.severity) + ":", fg=colours[d.severity])
        click.echo(f"{where} {level} {d.message}" + (f" ({d.hint})" if d.hint else ""), err=True)


def load_settings(notes: Sequence[Path], config_path: Path | None,
                  **overrides: Any) -> tuple[Settings, list[Diagnostic]]:
    """Settings from the config file (given, or found in the current folder) and command-line overrides."""
    path = config_path or find_config(Path.cwd())
    config, diags = (load_config(path, extractors.names(), extractors.rule_names(), list(wording.DEFAULTS))
                     if path else (Config(), []))
    settings, more = resolve(config, notes=notes, **overrides)
    return settings, diags + more


@contextmanager
def progress_bar(label: str) -> Iterator[Progress]:
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


def exit_code(diagnostics: Sequence[Diagnostic], strict: bool = False) -> int:
    """1 if anything is an error (or, with ``strict``, a warning), else 0."""
    worst = max((d.severity.value for d in diagnostics), default=-1)
    if worst >= Severity.ERROR.value or (strict and worst >= Severity.WARNING.value):
        return 1
    return 0


def shown(path: Path) -> str:
    """A path as the user would type it: relative to the current folder when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)
