"""The end-of-session summary and the ``--stats`` table, as rich renderables."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from rich.console import Group, RenderableType
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from ..topics import join_trail
from .scheduler import Grade
from .session import Mode, Summary
from .stats import Forecast, TopicStats
from .terminal import short_interval


def duration(span: timedelta) -> str:
    """``42s``, ``3 min 5 s``, ``1 h 2 min``."""
    seconds = max(0, round(span.total_seconds()))
    if seconds < 60:
        return f"{seconds} s"
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes} min {seconds} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes} min"


def forecast_line(forecast: Forecast, now: datetime) -> Text:
    """``Due: 2 now · 3 within an hour · … · 5 new (never seen)``, then when the next one comes."""
    parts = [(forecast.now, "now"), (forecast.hour, "within an hour"), (forecast.day, "within a day"),
             (forecast.week, "within a week"), (forecast.later, "later"), (forecast.new, "new (never seen)")]
    text = Text("Due: ", style="bold")
    text.append(" · ".join(f"{n} {what}" for n, what in parts if n) or "nothing")
    if forecast.next_due is not None and not forecast.now:
        text.append(f"; next in {short_interval(forecast.next_due - now)}", style="dim")
    return text


def summary(s: Summary) -> RenderableType:
    grades = " · ".join(f"{g.label} {s.grades.get(g, 0)}" for g in Grade)
    head = Text(f"Seen {s.seen} card{'s' if s.seen != 1 else ''} ({s.answers} answer{'s' if s.answers != 1 else ''})"
                f" in {duration(s.elapsed)}")
    lines: list[RenderableType] = [Rule("Summary", style="blue"), head, Text(grades)]
    if s.mode is Mode.INTERVIEW:
        over = f", {s.over_time} over the time box" if s.over_time else ""
        lines.append(Text(f"Interview: {s.asked} question{'s' if s.asked != 1 else ''} asked{over}"))
    if s.left:
        lines.append(Text(f"Not reached: {s.left} (run again to continue)", style="dim"))
    if s.weakest_topics:
        lines.append(Text("Weakest topics:", style="bold"))
        for t in s.weakest_topics:
            lines.append(Text(f"  {join_trail(t.topic)}  ({t.seen} seen, average grade {t.mean:.1f})"))
    if s.weakest_items:
        lines.append(Text("Weakest cards:", style="bold"))
        for item, grade in s.weakest_items:
            line = Text("  ")
            line.append(f"{grade.label:<5}", style=f"grade.{int(grade)}")
            line.append(f"  {item.label}  ")
            line.append(item.card.source, style="dim")
            lines.append(line)
    lines.append(forecast_line(s.forecast, s.ended))
    return Group(*lines)


def stats_table(total: TopicStats, rows: Sequence[TopicStats], forecast: Forecast, now: datetime) -> RenderableType:
    table = Table(box=None, pad_edge=False, header_style="bold")
    table.add_column("topic")
    for name in ("cards", "new", "learning", "learned", "due", "weak"):
        table.add_column(name, justify="right")

    def cells(row: TopicStats) -> list[str]:
        return [str(v) for v in (row.items, row.new, row.learning, row.learned, row.due, row.weak)]

    for row in rows:
        table.add_row(join_trail(row.topic), *cells(row))
    table.add_section()
    table.add_row(Text("total", style="bold"), *cells(total))
    return Group(table, Text(""), forecast_line(forecast, now),
                 Text("weak: graded before and likely to be forgotten within a day (FSRS)", style="dim"))
