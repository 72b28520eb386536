"""The ``notes2anki`` command: a thin skin over :mod:`notes2anki.pipeline`.

Only this package imports click. Each command lives in a module of its own
and only turns options into library calls and results into output; this
module converts the library's errors into messages and exit codes in one place:
0 ok, 1 error, 2 usage (click's own).
"""

from __future__ import annotations

import contextlib
import gc
import importlib
import os
import sys
from typing import Any, NoReturn

import click

from .. import __version__
from ..errors import Notes2AnkiError
from .common import print_diagnostics

_COMMANDS = ("build", "cards", "graph", "preview", "quiz", "watch")
"""One module per command, each defining ``command``; a new command is a new module and a name here."""


class _Group(click.Group):
    """Loads each command's module only when it runs (a build never imports the quiz's terminal UI);
    converts the library's errors to one-line messages and exit code 1."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(_COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in _COMMANDS:
            return None
        module = importlib.import_module(f"{__name__}.{cmd_name}")
        command: click.Command = module.command
        return command

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except Notes2AnkiError as exc:
            print_diagnostics(exc.diagnostics)
            click.echo(f"notes2anki: stopped; {exc.outcome}.", err=True)
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
    """The console script: run one command, then leave without tearing the heap down.

    A build allocates hundreds of thousands of small objects (cards, ledger entries) that all live to
    the end and hold no reference cycles, so the cyclic collector would only rescan them, over and over
    (about 0.1 s of a one-note rebuild of 5,000 notes), and freeing them one by one at exit costs
    another 0.04 s. So the collector is off (worker processes inherit that) and the process ends with
    ``os._exit`` once output is flushed, as mypy does. ``watch`` collects after each rebuild itself.
    """
    gc.disable()
    try:
        cli(prog_name="notes2anki")
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        if exc.code is not None and not isinstance(exc.code, int):
            click.echo(exc.code, err=True)
    _hard_exit(code)


def _hard_exit(code: int) -> NoReturn:
    for stream in (sys.stdout, sys.stderr):
        # A closed pipe (``notes2anki build | head``) or stream: nothing left to say there.
        with contextlib.suppress(OSError, ValueError):
            stream.flush()
    os._exit(code)
