"""Time notes2anki on pathological notes at growing sizes, and write benchmarks/PATHOLOGICAL.md.

    python benchmarks/pathological.py            # every case at 1/4, 1/2 and full size (about 10 minutes)
    python benchmarks/pathological.py --only "single line" --no-write   # cases whose name contains the text
    python benchmarks/pathological.py --regex-only                      # just the regular expression search

Each case is a generator of one note at a size; each size runs ``pipeline.extract_file`` on it
in a fresh process with a time limit (``--timeout``), which reports the seconds and its peak
memory (max RSS, the interpreter and libraries included: see the baseline row). Times at
1/4, 1/2 and full size show whether the cost grows with the size (x2 columns near 2) or faster.
The 20 MB note is also built end to end (``notes2anki build``).

Regular expressions: every pattern the build uses (module-level compiled patterns, and literal
patterns passed to ``re.split``/``re.search``/… found by reading the source) is searched for
its worst input — a prefix made of the pattern's own words, a character or pair pumped
n times, a suffix that makes the match fail — and the worst one found is timed on its own
(growth from n=256 to n=1024) and inside a note, in every place a line can stand (heading,
paragraph, list key and value, table cell, gloss, Q/A, ``::``), at 2,500, 5,000 and 10,000.
"""

from __future__ import annotations

import argparse
import ast
import importlib
import itertools
import json
import math
import os
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
SRC = HERE.parent / "src" / "notes2anki"
sys.path.insert(0, str(HERE))

import vault  # noqa: E402

# ---------------------------------------------------------------------------------------------
# Cases


@dataclass(frozen=True)
class Case:
    name: str
    full: int
    """The full size, in ``unit``."""
    unit: str
    make: Callable[[int], str]
    build: bool = False
    """Also time a whole ``notes2anki build`` of the full size."""


def realistic(size: int) -> str:
    """Generated study notes (headings, definitions, tables, code, math, diagrams) concatenated to ``size`` bytes."""
    parts: list[str] = []
    total, n = 0, 0
    while total < size:
        text, _ = vault.note(n, seed=7)
        parts.append(text)
        total += len(text.encode())
        n += 1
    return "".join(parts)


def one_line(size: int) -> str:
    rng = random.Random(1)
    words = ["KV Cache", "**粗体**", "`code`", "中文", "：", "是", "the", "$x$", "[a](b)", "::", "==h==", "![[i.png]]",
             "<br>", "{{c1::x}}", "（Term）", "Q:", "|"]
    out: list[str] = []
    total = 0
    while total < size:
        word = rng.choice(words)
        out.append(word + " ")
        total += len(word) + 1
    return "# Long line\n\n" + "".join(out) + "\n"


def staircase(depth: int) -> str:
    return "# Outline\n\n" + "".join("  " * i + f"- level {i}: 第 {i} 层\n" for i in range(depth))


def headings(n: int) -> str:
    return "".join(f"{'#' * (1 + i % 3)} Heading {i} 标题\n内容 {i}：KV Cache 的一段说明。\n\n" for i in range(n))


def bare_headings(n: int) -> str:
    return "".join(f"{'#' * (1 + i % 6)} H{i}\n" for i in range(n))


def flowchart(edges: int, per_diagram: int | None = None) -> str:
    rng = random.Random(3)
    per = per_diagram or edges
    blocks = []
    for d in range(max(1, edges // per)):
        lines = ["```mermaid", "flowchart LR"]
        for i in range(per):
            parent = rng.randrange(i + 1)
            label = f"|step {i}|" if i % 4 == 0 else ""
            lines.append(f"  d{d}n{parent}[节点 {parent}] -->{label} d{d}n{i + 1}[Node {i + 1}]")
        lines.append("```")
        blocks.append(f"## Diagram {d}\n\n" + "\n".join(lines))
    return "# Diagrams\n\n" + "\n\n".join(blocks) + "\n"


def sequence(messages: int) -> str:
    body = "".join(f"  P{i % 7}->>P{(i * 3 + 1) % 7}: message {i}\n" for i in range(messages))
    return f"# Sequence\n\n```mermaid\nsequenceDiagram\n{body}```\n"


def mindmap(nodes: int) -> str:
    lines, depth = ["mindmap", "  root((Root))"], 2
    rng = random.Random(5)
    for i in range(nodes):
        depth = max(2, min(depth + rng.choice([-1, 0, 1]), 40))
        lines.append("  " * depth + f"node {i}")
    return "# Map\n\n```mermaid\n" + "\n".join(lines) + "\n```\n"


def run_of(piece: str) -> Callable[[int], str]:
    """``piece`` n times in a row, in a paragraph, a definition key, a list value, a table cell and a heading."""
    def make(n: int) -> str:
        r = piece * n
        return (f"# Run\n\n## {r}\n\na {r} b\n\n- **{r}**：定义\n- **术语**：{r}\n\n| 术语 | 说明 |\n|---|---|\n"
                f"| {r} | {r} |\n\nQ: {r}\nA: {r}\n")
    return make


def table_rows(n: int) -> str:
    return "# Table\n\n| 术语 | 说明 |\n| --- | --- |\n" + "".join(f"| term{i} | 第 {i} 个定义 |\n" for i in range(n))


def table_columns(n: int) -> str:
    return "# Table\n\n|" + "".join(f" c{i} |" for i in range(n)) + "\n|" + "---|" * n + "\n|" + " x |" * n + "\n"


CASES: list[Case] = [
    Case("realistic notes, one file", 20_000_000, "bytes", realistic, build=True),
    Case("single line of prose", 1_000_000, "chars", one_line),
    Case("single heading line", 1_000_000, "chars", lambda n: "# " + "标题 title " * (n // 9) + "\n\nbody\n"),
    Case("lists nested on one line (- - - x)", 10_000, "levels", lambda n: "# L\n\n" + "- " * n + "x\n"),
    Case("ordered lists nested on one line (1. 1. x)", 10_000, "levels", lambda n: "# L\n\n" + "1. " * n + "x\n"),
    Case("quotes nested (> > x)", 10_000, "levels", lambda n: "# Q\n\n" + "> " * n + "x\n"),
    Case("list staircase, 2 spaces a level (size ~ depth²)", 1_000, "levels", staircase),
    Case("headings with a line each", 100_000, "headings", headings),
    Case("headings, nothing else", 100_000, "headings", bare_headings),
    Case("flowchart edges, one diagram (Mermaid's limit is 500)", 50_000, "edges", flowchart),
    Case("flowchart edges, diagrams of 500", 50_000, "edges", lambda n: flowchart(n, 500)),
    Case("sequence diagram messages", 50_000, "messages", sequence),
    Case("mindmap nodes", 50_000, "nodes", mindmap),
    Case("commas between two definitions in a paragraph", 1_800, "commas",
         lambda n: "# T\n\n`Scheduler` 是决定调度的组件" + "，" * n + "x，而 `Worker` 是执行任务的组件。\n"),
    Case("table rows", 100_000, "rows", table_rows),
    Case("table columns", 10_000, "columns", table_columns),
    Case("code fence of 1 MB", 1_000_000, "chars", lambda n: "# C\n\n```python\n" + "x = 1\n" * (n // 6) + "```\n"),
    Case("hostile code, 40 fences of 50,000 chars", 40, "fences",
         lambda n: "# C\n\n" + "".join(f"```{lang}\n{chr(10) * 50_000}```\n\n```lilypond\n{'a' * 50_000}```\n\n"
                                       for lang in itertools.islice(itertools.cycle(["c", "java", "python"]), n // 2))),
    Case("images ![[x.png]]", 10_000, "images", lambda n: "# I\n\n" + "".join(f"![[img{i}.png]] " for i in range(n))),
    Case("raw HTML <div> nested", 10_000, "tags", lambda n: "# H\n\n<div>" * 1 + "<div>" * n + "x" + "</div>" * n),
    Case("raw HTML unclosed <details>", 10_000, "tags", lambda n: "# H\n\n" + "<details>\n\n" * n + "x\n"),
    *[Case(f"{label} in a row", 10_000, "repeats", run_of(piece)) for label, piece in [
        ("**", "**"), ("$", "$"), ("[", "["), ("<", "<"), ("`", "`"), ("|", "|"), (":", ":"), ("：", "："),
        ("::", "::"), ("==", "=="), ("{{c1::", "{{c1::"), ("\\(", "\\("), ("![[", "![["), ("(", "("), ("（", "（"),
        ("*", "*"), ("_", "_"), ("~", "~"), ("&", "&"), ('"', '"'), ("-", "-"), ("#", "#"), ("]", "]"),
        (">", ">"), ("!", "!"), ("\\", "\\"), ("**a ", "**a "), ("$a ", "$a "), ("[a](", "[a]("), ("<a ", "<a "),
        ("`a ", "`a "), ("a ", "a "), ("中", "中")]],
]


# ---------------------------------------------------------------------------------------------
# Regular expressions


_SCANS = {"search", "sub", "subn", "split", "findall", "finditer"}


def _methods(source: str, name: str) -> tuple[str, ...]:
    """How the code runs pattern ``name``: ``match`` (anchored at one place) and/or ``search`` (tried everywhere)."""
    used = set(re.findall(rf"\b{re.escape(name)}\.(\w+)\(", source))
    kinds = {"search" if m in _SCANS else "match" for m in used if m in _SCANS | {"match", "fullmatch"}}
    return tuple(sorted(kinds)) or ("match",)


def patterns() -> list[tuple[str, re.Pattern[str], tuple[str, ...]]]:
    """Every regular expression a build can run, with how it is run.

    Compiled at module level (or in a module-level table), or written literally
    at a ``re.split``/``re.search``/… call.
    """
    found: dict[str, tuple[re.Pattern[str], tuple[str, ...]]] = {}
    for path in sorted(SRC.rglob("*.py")):
        rel = path.relative_to(SRC.parent).with_suffix("")
        if rel.parts[1] in ("quiz", "cli") or rel.name == "__main__":
            continue
        parts = rel.parts[:-1] if rel.name == "__init__" else rel.parts
        module = importlib.import_module(".".join(parts))
        source = path.read_text(encoding="utf-8")
        for name, value in vars(module).items():
            if isinstance(value, re.Pattern) and isinstance(value.pattern, str):
                found.setdefault(f"{rel.name}.{name}", (value, _methods(source, name)))
            elif isinstance(value, tuple):
                for i, item in enumerate(value):
                    if isinstance(item, tuple) and item and isinstance(item[-1], re.Pattern):
                        # a table of patterns, run in a loop: read how from the loop (`pattern.match(`)
                        found.setdefault(f"{rel.name}.{name}[{i}]", (item[-1], _methods(source, "pattern")))
        for node in ast.walk(ast.parse(source)):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and isinstance(node.func.value, ast.Name) and node.func.value.id == "re"
                    and node.func.attr in _SCANS | {"match", "fullmatch"}
                    and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
                how = ("search",) if node.func.attr in _SCANS else ("match",)
                found.setdefault(f"{rel.name}:{node.lineno} re.{node.func.attr}",
                                 (re.compile(node.args[0].value), how))
    return [(name, pattern, how) for name, (pattern, how) in sorted(found.items())]


PUMPS = [" ", "a", "A", "1", ".", ":", "：", "#", "-", "*", "`", "(", "（", "中", "\t", "{", "}", "<", ">", "/", "=",
         "|", "[", "]", "$", "\\", "_", '"', "'", "!", "?", ",", "~", "a ", "1.", "1 ", ". ", "<a", "{#", "--", "->",
         "#1", "a1", " 1", "a.", "ab", "\n", " \n", "第1", "-a", "a-", "%%"]
SUFFIXES = ["", "!", "\n", "\x00", "x", "}"]
_WORD = re.compile(r"\\[a-zA-Z]|[A-Za-z]{2,}|[\u3400-\u9fff]+|[^\w\s\\()\[\]{}|*+?^$.]")


def _prefixes(pattern: str) -> list[str]:
    words = {w for w in _WORD.findall(pattern) if not w.startswith("\\")}
    return ["", "1", "v1.", "http://", "<p", "{#", "Q", "step", "#", "第", *sorted(words)[:40]]


def _time(fn: Callable[[str], object], text: str) -> float:
    started = time.perf_counter()
    fn(text)
    return time.perf_counter() - started


def worst_input(pattern: re.Pattern[str], methods: tuple[str, ...]) -> tuple[str, str, str, str]:
    """``(method, prefix, pump, suffix)`` that makes ``pattern`` slowest at n=256."""
    best = (0.0, (methods[0], "", "a", ""))
    for prefix, pump, suffix in itertools.product(_prefixes(pattern.pattern), PUMPS, SUFFIXES):
        text = prefix + pump * 256 + suffix
        for method in methods:
            seconds = _time(getattr(pattern, method), text)
            if seconds > best[0]:
                best = (seconds, (method, prefix, pump, suffix))
            if seconds > 2:
                return best[1]
    return best[1]


@dataclass(frozen=True)
class RegexResult:
    name: str
    method: str
    prefix: str
    pump: str
    suffix: str
    times: tuple[float, ...]
    """Seconds at n = 256, 512, 1024 (fewer if it got too slow)."""

    @property
    def shown(self) -> str:
        return self.prefix + repr(self.pump)[1:-1] + "×n" + repr(self.suffix)[1:-1]


def regex_report(timeout: float) -> list[RegexResult]:
    rows = []
    for name, pattern, how in patterns():
        method, prefix, pump, suffix = worst_input(pattern, how)
        fn = getattr(pattern, method)
        times = []
        for n in (256, 512, 1024):
            seconds = _time(fn, prefix + pump * n + suffix)
            times.append(seconds)
            if seconds > timeout / 4:
                break
        row = RegexResult(name, method, prefix, pump, suffix, tuple(times))
        rows.append(row)
        print(f"  {name:40} {method:6} {row.shown:28} " + " ".join(f"{t * 1000:8.2f}ms" for t in times), flush=True)
    return rows


def hostile_note(prefix: str, pump: str, suffix: str) -> Callable[[int], str]:
    def make(n: int) -> str:
        s = prefix + pump * n + suffix
        return (f"# {s}\n\n## 1. {s}\n\n{s}\n\n- {s}\n- **{s}**：定义\n- **Key**: {s}\n- {s}：definition\n"
                f"- `{s}`: value\n\n| 术语 | 说明 |\n|---|---|\n| {s} | {s} |\n\n专家（{s}）是一种网络。\n\n"
                f"{s}是一种技术。\n\nQ: {s}\nA: {s}\n\n{s} :: {s}\n")
    return make


# ---------------------------------------------------------------------------------------------
# Measuring


@dataclass
class Measurement:
    n: int
    size: int
    """Bytes of the note."""
    seconds: float | None = None
    """``None``: out of time, or failed."""
    rss_mb: float = math.nan
    cards: int = 0
    build: Measurement | None = None
    """A whole ``notes2anki build`` of the same note, for the cases that ask for one."""


@dataclass
class CaseResult:
    name: str
    unit: str
    rows: list[Measurement]


def _child(path: Path) -> None:
    """In the measuring process: extract one note, print seconds, cards and peak memory as JSON."""
    import gc

    from notes2anki.extractors import ExtractOptions
    from notes2anki.pipeline import extract_file
    from notes2anki.sources import FileRef

    gc.set_threshold(50_000, 50, 100)  # as notes2anki.cli.main sets it
    started = time.perf_counter()
    result = extract_file(FileRef(path, path.name, ()), ExtractOptions(deck="Pathological"))
    seconds = time.perf_counter() - started
    print(json.dumps({"seconds": seconds, "cards": len(result.cards),
                      "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))


def measure(path: Path, n: int, timeout: float) -> Measurement:
    """One extraction in a fresh process."""
    row = Measurement(n, path.stat().st_size)
    try:
        out = subprocess.run([sys.executable, __file__, "--child", str(path)], capture_output=True, text=True,
                             timeout=timeout, check=True)
    except subprocess.TimeoutExpired:
        print("    out of time", flush=True)
        return row
    except subprocess.CalledProcessError as exc:
        print(f"    failed: {exc.stderr[-800:]}", flush=True)
        return row
    data = json.loads(out.stdout.strip().splitlines()[-1])
    row.seconds, row.rss_mb, row.cards = float(data["seconds"]), float(data["rss_mb"]), int(data["cards"])
    return row


def measure_build(path: Path, work: Path, timeout: float) -> Measurement:
    """A whole ``notes2anki build`` of the folder holding ``path``: wall time and peak memory."""
    row = Measurement(0, path.stat().st_size)
    env = {**os.environ, "NOTES2ANKI_CACHE_DIR": str(work / "cache")}
    cmd = [sys.executable, "-m", "notes2anki", "build", str(path.parent), "--deck", "pathological",
           "--out", str(work / "pathological.apkg")]
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=work, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    while time.perf_counter() < started + timeout:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            if status == 0:
                row.seconds, row.rss_mb = time.perf_counter() - started, usage.ru_maxrss / 1024
            return row
        time.sleep(0.05)
    proc.kill()
    proc.wait()
    return row


def sizes(full: int) -> list[int]:
    return [max(1, full // 4), max(1, full // 2), full]


def run_case(case: Case, work: Path, timeout: float) -> CaseResult:
    result = CaseResult(case.name, case.unit, [])
    for n in sizes(case.full):
        folder = work / f"case-{len(os.listdir(work))}"
        folder.mkdir()
        path = folder / "note.md"
        path.write_text(case.make(n), encoding="utf-8")
        row = measure(path, n, timeout)
        result.rows.append(row)
        print(f"    {n:>10,} {case.unit} ({row.size / 1e6:.2f} MB): {_cell(row)}", flush=True)
        if case.build and n == case.full:
            row.build = measure_build(path, work, timeout * 3)
            print(f"    whole build: {_cell(row.build)}", flush=True)
        path.unlink()
        if row.seconds is None:
            break
    return result


# ---------------------------------------------------------------------------------------------
# Report


def _growth(rows: list[Measurement]) -> str:
    """Cost ratio of each doubling: about 2 is linear, 4 quadratic."""
    times = [r.seconds for r in rows]
    if len(times) < 3 or None in times:
        return "—"
    a, b, c = (t or 0.0 for t in times)
    if c < 0.05:
        return "(too fast)"
    return f"{b / max(a, 1e-4):.1f}, {c / max(b, 1e-4):.1f}"


def verdict(rows: list[Measurement]) -> str:
    times = [r.seconds for r in rows]
    if len(times) < 3 or None in times:
        return "**out of time**"
    a, b, c = (t or 0.0 for t in times)
    if c > 0.05 and c / max(b, 1e-4) > 3 and b / max(a, 1e-4) > 3:
        return "**super-linear**"
    if c > 10:
        return "over 10 s (linear)"
    return "ok"


def _cell(row: Measurement | None) -> str:
    if row is None:
        return "—"
    if row.seconds is None:
        return "out of time"
    return f"{row.seconds:.2f} s · {row.rss_mb:.0f} MB"


def write_report(results: list[CaseResult], regexes: list[RegexResult], baseline: Measurement,
                 hostile: dict[str, CaseResult], out: Path, elapsed: float) -> None:
    empty = f"{(baseline.seconds or 0) * 1000:.0f} ms and {baseline.rss_mb:.0f} MB"
    lines = [
        "# Pathological notes: time and memory against size",
        "",
        "Written by `python benchmarks/pathological.py` (do not edit by hand). Each cell is one",
        "`pipeline.extract_file` (read, decode, parse, every extractor, render) in a fresh process: seconds",
        f"and peak memory (max RSS; an empty note takes {empty}: the interpreter and libraries).",
        "*x2* is the cost ratio of each doubling of the input: about 2 is linear, 4 quadratic, 8 cubic.",
        "A case over 10 s, or growing faster than its input, is a bug.",
        "",
        f"Machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}; whole run {elapsed / 60:.0f} min.",
        "",
        "| case | sizes (¼, ½, full) | ¼ | ½ | full | x2 | verdict |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for res in results:
        cells = [_cell(r) for r in res.rows] + ["—"] * (3 - len(res.rows))
        size = ", ".join(f"{r.n:,}" for r in res.rows) + f" {res.unit} ({res.rows[-1].size / 1e6:.2f} MB)"
        lines.append(f"| {_md(res.name)} | {size} | {' | '.join(cells)} | {_growth(res.rows)} | "
                     f"{verdict(res.rows)} |")
        for r in res.rows:
            if r.build is not None:
                lines.append(f"| ↳ the whole `notes2anki build` of it | | | | {_cell(r.build)} | | |")
    if regexes:
        lines += [
            "",
            "## Regular expressions",
            "",
            "Every pattern a build runs, run the way the code runs it (`match` at one place, or `search`,",
            "`sub`, `split`… at every place), with the worst input the search found (a prefix, a piece",
            "repeated n times, a suffix) and the pattern's own time on it at n = 256, 512 and 1024 (*x4*:",
            "about 4 is linear, 16 quadratic, 64 cubic). Then a note with that line in every place a line",
            "can stand (headings, paragraph, list keys and values, table cells, gloss, Q/A, `::`) through",
            "the whole extraction at n = 2,500, 5,000 and 10,000.",
            "",
            "| pattern | run as | worst input | n=256 | n=512 | n=1024 | x4 | note, 2,500 | 5,000 | 10,000 | verdict |",
            "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
        ]
        for rx in regexes:
            cells = [f"{t * 1000:.2f} ms" for t in rx.times] + ["—"] * (3 - len(rx.times))
            ratio = f"{rx.times[2] / max(rx.times[0], 1e-6):.0f}" if len(rx.times) == 3 else "—"
            note = hostile.get(rx.name)
            note_rows = note.rows if note else []
            note_cells = [_cell(x) for x in note_rows] + ["—"] * (3 - len(note_rows))
            lines.append(f"| `{rx.name}` | {rx.method} | `{_md(rx.shown)}` | {' | '.join(cells)} | {ratio} | "
                         f"{' | '.join(note_cells)} | {verdict(note_rows) if note_rows else '—'} |")
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("`", "'")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--only", help="run only the cases whose name contains this text")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds per measurement")
    parser.add_argument("--regex-only", action="store_true")
    parser.add_argument("--no-regex", action="store_true")
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args(argv)
    if args.child:
        _child(args.child)
        return 0

    started = time.perf_counter()
    results: list[CaseResult] = []
    regexes: list[RegexResult] = []
    hostile: dict[str, CaseResult] = {}
    with tempfile.TemporaryDirectory(prefix="n2a-pathological-") as tmp:
        work = Path(tmp)
        (work / "empty.md").write_text("# Empty\n", encoding="utf-8")
        baseline = measure(work / "empty.md", 0, args.timeout)
        print(f"baseline (an empty note): {_cell(baseline)}", flush=True)
        if not args.regex_only:
            for case in CASES:
                if args.only and args.only not in case.name:
                    continue
                print(case.name, flush=True)
                results.append(run_case(case, work, args.timeout))
        if not args.no_regex and not args.only:
            print("regular expressions: searching each pattern's worst input", flush=True)
            regexes = regex_report(args.timeout)
            for rx in regexes:
                print(f"  a note made of the worst line of {rx.name}", flush=True)
                case = Case(rx.name, 10_000, "repeats", hostile_note(rx.prefix, rx.pump, rx.suffix))
                hostile[rx.name] = run_case(case, work, args.timeout)
    elapsed = time.perf_counter() - started
    if not args.no_write:
        write_report(results, regexes, baseline, hostile, HERE / "PATHOLOGICAL.md", elapsed)
        print(f"wrote {HERE / 'PATHOLOGICAL.md'}")
    bad = [r.name for r in [*results, *hostile.values()] if verdict(r.rows) not in ("ok", "over 10 s (linear)")]
    slow = [r.name for r in [*results, *hostile.values()] if verdict(r.rows) == "over 10 s (linear)"]
    if slow:
        print("over 10 s: " + "; ".join(slow))
    if bad:
        print("super-linear or out of time: " + "; ".join(bad))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
