"""``notes2anki quiz``: drill cards in the terminal, scheduled with FSRS."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from rich.console import Console

from ..cards import KINDS
from ..diagnostics import error
from ..pipeline import plan
from ..quiz import driver, report
from ..quiz.items import Item, items_for
from ..quiz.keys import open_keys
from ..quiz.scheduler import Scheduler
from ..quiz.scope import Scope, suggest, top_topics
from ..quiz.session import Mode, Plan, Session, system_clock
from ..quiz.state import default_path, open_store
from ..quiz.stats import forecast, topic_stats
from ..quiz.terminal import THEME, Screen
from .common import (
    config_option,
    deck_option,
    load_settings,
    notes_argument,
    print_diagnostics,
    progress_bar,
    shown,
)


def _nothing_in_scope(items: list[Item], scope: Scope) -> None:
    """Say why nothing matched and what exists nearby; exit 1."""
    hints: list[str] = []
    for query in scope.topics:
        near = suggest(items, query)
        if near:
            hints.append(f"nearest topics to '{query}': " + "; ".join(f"'{t}'" for t in near))
    if not hints and scope.topics:
        hints.append("topics in these notes: " + "; ".join(f"'{t}'" for t in top_topics(items)))
    if scope.kinds:
        kinds = sorted({i.card.kind for i in items})
        hints.append("kinds in these notes: " + (", ".join(kinds) or "none"))
    message = "no cards in scope (" + scope.describe() + ")" if items else "the notes make no cards"
    print_diagnostics([error("", None, message, "; ".join(hints), "quiz-empty")])
    sys.exit(1)


@click.command("quiz")
@notes_argument
@config_option
@deck_option
@click.option("--tag", "--topic", "topics", multiple=True, metavar="TOPIC",
              help="Only cards under this heading trail or tag prefix, e.g. 'Inference › 大模型推理' or a "
                   "diagram node; case-insensitive (repeatable).")
@click.option("--kind", "kinds", multiple=True, type=click.Choice(list(KINDS)),
              help="Only cards of this kind (repeatable).")
@click.option("--mode", type=click.Choice([m.value for m in Mode]), default=Mode.DUE.value, show_default=True,
              help="due: what the schedule says; cram: everything, weakest first; interview: a timed random "
                   "sample, graded at the end.")
@click.option("--limit", type=click.IntRange(min=1), metavar="N",
              help="At most N cards this session (interview: questions, default 10).")
@click.option("--new", "new", type=click.IntRange(min=0), default=20, show_default=True, metavar="N",
              help="At most N cards never seen before (due mode).")
@click.option("--time-box", type=click.FloatRange(min=1), default=90.0, show_default=True, metavar="SECONDS",
              help="Time per interview question.")
@click.option("--seed", type=int, help="Seed for shuffles and samples, to repeat a session's order.")
@click.option("--state", "state_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Review-state file (default: quiz.sqlite3 in the user data folder).")
@click.option("--stats", is_flag=True, help="Print new/learned/due/weak counts per topic instead of quizzing.")
def command(notes: tuple[Path, ...], config_path: Path | None, deck: str | None, topics: tuple[str, ...],
            kinds: tuple[str, ...], mode: str, limit: int | None, new: int, time_box: float, seed: int | None,
            state_path: Path | None, stats: bool) -> None:
    """Quiz yourself on NOTES in the terminal, with spaced repetition.

    Cards and their ids are the ones 'build' makes, so progress survives edits
    to the notes. Show the answer with space or Enter, grade it 1-4 (Again,
    Hard, Good, Easy), undo with u, quit with q: every grade is saved at once.
    Without a terminal, reads one answer per line.
    """
    settings, diags = load_settings(notes, config_path, deck=deck)
    with progress_bar("Reading notes") as progress:
        the_plan = plan(settings, progress)  # the ids a build would write, renames matched by the ledger
    print_diagnostics([*diags, *the_plan.extraction.diagnostics, *the_plan.diagnostics])
    items = items_for(the_plan.extraction.cards)
    scope = Scope(topics, kinds)
    selected = scope.select(items)
    if not selected:
        _nothing_in_scope(items, scope)
    path = state_path or default_path()
    console = Console(file=sys.stdout, theme=THEME, highlight=False)
    screen = Screen(console)
    scheduler = Scheduler()

    if stats:
        now = system_clock()
        memories = {}
        if path.exists():
            with open_store(path) as store:
                memories = store.load(i.key for i in selected)
        total, rows = topic_stats(selected, memories, scheduler, now)
        screen.print(report.stats_table(total, rows, forecast(selected, memories, now), now))
        return

    quiz_plan = Plan(mode=Mode(mode), limit=limit, new=new, seed=seed, time_box=time_box)
    with open_store(path) as store:
        session = Session(selected, store, scheduler, quiz_plan)
        if session.empty:
            fc = forecast(selected, session.memories, session.started)
            n = len(selected)
            click.echo(f"Nothing due now ({scope.describe()}, {n} card{'s' if n != 1 else ''}).")
            screen.print(report.forecast_line(fc, session.started))
            click.echo("Use --mode cram to drill them anyway, or --new N for more new cards.")
            return
        with open_keys(sys.stdin) as keys:
            driver.run(session, screen, keys)
        screen.print(report.summary(session.summary()))
    screen.hint(f"Progress saved in {shown(path)}")
