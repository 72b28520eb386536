"""Measure notes2anki on synthetic vaults and write the results to benchmarks/README.md.

    python benchmarks/run.py                 # sizes 100, 1000, 5000 (about 10 minutes on 2 cores)
    python benchmarks/run.py --sizes 100 --runs 1 --no-write   # a quick look

For each vault size, in one run: the floor (bare markdown-it-py parsing and
rendering every file once, single-threaded, in this process), then the real
command line — a cold build (empty cache, no ledger, no deck), a rebuild with
nothing changed, and a rebuild after editing one note — with wall time, CPU
time (the build and its worker processes), peak memory (the largest process)
and cards made; medians over ``--runs``. For the largest size it also times
``notes2anki watch`` from saving an edit to the new deck being reported, and
where the time of a cold build goes (stage by stage, single process).
"""

from __future__ import annotations

import argparse
import collections
import gc
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE))

import vault  # noqa: E402


def floor(notes: list[Path]) -> float:
    """Seconds for bare markdown-it-py to parse and render every note once, single-threaded."""
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark").enable("table")
    start = time.perf_counter()
    for path in notes:
        md.render(path.read_text(encoding="utf-8"))
    return time.perf_counter() - start


def user_env(extra: dict[str, str]) -> dict[str, str]:
    """The environment of a build run as a user runs it, plus ``extra``.

    An installed Python package runs from compiled bytecode (pip compiles it at install time, and Python
    caches it on first import). Some sandboxes and CI machines set PYTHONDONTWRITEBYTECODE, which would
    add compiling notes2anki's source again to every build measured; it is dropped here.
    """
    env = {**os.environ, **extra}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def run_build(root: Path, work: Path, extra_env: dict[str, str]) -> dict[str, float]:
    """One ``notes2anki build`` as a user runs it: wall, CPU (with workers), peak RSS, cards."""
    env = user_env(extra_env)
    cmd = [sys.executable, "-m", "notes2anki", "build", str(root), "--deck", "bench",
           "--out", str(work / "bench.apkg")]
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=work, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    out = proc.stdout.read() if proc.stdout else ""
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    if status != 0:
        raise SystemExit(f"build failed ({status}):\n{out}")
    cards = int(re.search(r"made (\d+) cards", out).group(1))  # type: ignore[union-attr]
    return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "rss_mb": usage.ru_maxrss / 1024,
            "cards": cards}


def median(rows: list[dict[str, float]]) -> dict[str, float]:
    return {k: statistics.median(r[k] for r in rows) for k in rows[0]}


def measure(size: int, runs: int, base: Path) -> dict[str, object]:
    root = base / f"vault{size}"
    notes = vault.generate(root, size, seed=1)
    work = base / f"work{size}"
    work.mkdir(exist_ok=True)
    cache = base / f"cache{size}"
    env = {"NOTES2ANKI_CACHE_DIR": str(cache)}
    floors = [floor(notes) for _ in range(runs)]
    cold, nochange, edit = [], [], []
    target = notes[len(notes) // 2]
    for n in range(runs):
        shutil.rmtree(cache, ignore_errors=True)
        shutil.rmtree(work / "cards", ignore_errors=True)
        (work / "bench.apkg").unlink(missing_ok=True)
        cold.append(run_build(root, work, env))
        nochange.append(run_build(root, work, env))
        target.write_text(target.read_text(encoding="utf-8") + f"\n## Edit {n}\nOne more paragraph, run {n}.\n",
                          encoding="utf-8")
        edit.append(run_build(root, work, env))
    size_mb = sum(p.stat().st_size for p in notes) / 1e6
    return {"size": size, "mb": size_mb, "floor": statistics.median(floors), "cold": median(cold),
            "nochange": median(nochange), "edit": median(edit), "root": root, "work": work, "env": env}


def watch_latency(root: Path, work: Path, env: dict[str, str], edits: int = 5) -> float:
    """Median seconds from saving a one-note edit to ``notes2anki watch`` reporting the new deck."""
    log = work / "watch.log"
    with open(log, "w") as fh:
        proc = subprocess.Popen([sys.executable, "-m", "notes2anki", "watch", str(root), "--deck", "bench",
                                 "--out", str(work / "bench.apkg")], cwd=work, env=user_env(env),
                                stdout=fh, stderr=subprocess.DEVNULL)
    try:
        deadline = time.time() + 600
        while "→" not in log.read_text(encoding="utf-8") and time.time() < deadline:
            time.sleep(0.1)
        time.sleep(1.0)
        notes = sorted(root.rglob("*.md"))
        latencies = []
        for n in range(edits):
            target = notes[(n * 997) % len(notes)]
            before = log.read_text(encoding="utf-8").count("→")
            start = time.perf_counter()
            target.write_text(target.read_text(encoding="utf-8") + f"\nWatch edit {n}.\n", encoding="utf-8")
            while log.read_text(encoding="utf-8").count("→") == before and time.perf_counter() - start < 30:
                time.sleep(0.01)
            latencies.append(time.perf_counter() - start)
            time.sleep(1.0)
        return statistics.median(latencies)
    finally:
        proc.terminate()
        proc.wait(10)


def stages(root: Path) -> list[tuple[str, float]]:
    """Where a cold build's time goes, stage by stage, in one process (no cache, no workers)."""
    from notes2anki import extractors
    from notes2anki.document import parse_document
    from notes2anki.extractors import Context, ExtractOptions
    from notes2anki.sources import discover, read

    times: collections.Counter[str] = collections.Counter()
    start = time.perf_counter()
    refs, _ = discover([root])
    times["find files"] += time.perf_counter() - start
    options = ExtractOptions(deck="bench")
    for ref in refs:
        t = time.perf_counter()
        source, _ = read(ref)
        times["read"] += time.perf_counter() - t
        assert source is not None
        t = time.perf_counter()
        doc = parse_document(source)
        times["parse (markdown-it-py + plugins)"] += time.perf_counter() - t
        ctx = Context(doc, options)
        for extractor in extractors.REGISTRY:
            t = time.perf_counter()
            for _ in extractor.run(doc, ctx):
                pass
            times[f"extract: {extractor.name}"] += time.perf_counter() - t
    return times.most_common()


def edit_stages(root: Path, work: Path, env: dict[str, str], runs: int = 3) -> list[tuple[str, float]]:
    """Where a one-note rebuild's time goes (medians of ``runs`` edits, built in this process after the
    measured builds, so the cache, kept collection, ledger and state are as a user's would be)."""
    from dataclasses import replace

    from notes2anki import incremental, ledger, pipeline
    from notes2anki.cache import Cache
    from notes2anki.config import Config, resolve

    os.environ.update(env)
    settings, _ = resolve(Config(), notes=[root], deck="bench", out_file=work / "bench.apkg")
    settings = replace(settings, ledger_dir=work / "cards")
    stages = [(pipeline, "find_files", "find the notes"),
              (incremental, "load", "read the last build's state"),
              (pipeline, "_extract_job", "parse the edited note"),
              (incremental, "kept_record", "read the kept collection's record"),
              (incremental, "reconcile", "match the edited note's cards with its ledger lines"),
              (incremental, "write_package", "update the collection, write the package"),
              (ledger, "write", "write the ledger"),
              (Cache, "patch", "update the cache"),
              (incremental, "save", "save the state"),
              (pipeline, "rebuild", "the whole rebuild")]
    spent: dict[str, list[float]] = collections.defaultdict(list)
    originals = {}
    for owner, name, _ in stages:
        originals[(owner, name)] = original = getattr(owner, name)

        def timed(*a: object, _f: object = original, _n: str = name, **k: object) -> object:
            t = time.perf_counter()
            try:
                return _f(*a, **k)  # type: ignore[operator]
            finally:
                spent[_n].append(time.perf_counter() - t)
        setattr(owner, name, timed)
    gc.disable()  # as the console command runs builds (see notes2anki.cli.main)
    try:
        notes = sorted(root.rglob("*.md"))
        for n in range(runs):
            target = notes[(n * 1999) % len(notes)]
            target.write_text(target.read_text(encoding="utf-8") + f"\n## Stage edit {n}\n\nMore.\n",
                              encoding="utf-8")
            if not pipeline.rebuild(settings).incremental:
                raise SystemExit("the one-note rebuild was not incremental")
    finally:
        gc.enable()
        for (owner, name), original in originals.items():
            setattr(owner, name, original)
    return [(label, statistics.median(spent[name])) for _, name, label in stages if spent.get(name)]


TABLE_START, TABLE_END = "<!-- results -->", "<!-- /results -->"


def report(results: list[dict[str, object]], watch: float | None, profile: list[tuple[str, float]],
           runs: int, edit_profile: list[tuple[str, float]] | None = None) -> str:
    lines = [f"Measured {time.strftime('%Y-%m-%d')} on {os.cpu_count()} cores, Python "
             f"{sys.version.split()[0]}; medians of {runs} run(s). Wall and CPU in seconds (CPU includes the "
             "worker processes); memory is the peak of the largest process.", "",
             "| notes | MB | floor: markdown-it-py | cold build | CPU | peak MB | no-change rebuild | "
             "one-note edit | cards |",
             "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for r in results:
        cold, noch, edit = r["cold"], r["nochange"], r["edit"]  # type: ignore[assignment]
        lines.append(f"| {r['size']} | {r['mb']:.1f} | {r['floor']:.2f} | {cold['wall']:.2f} | {cold['cpu']:.2f} | "  # type: ignore[index]
                     f"{cold['rss_mb']:.0f} | {noch['wall']:.2f} | {edit['wall']:.2f} | {cold['cards']:.0f} |")  # type: ignore[index]
    lines.append("")
    big = results[-1]
    cold, edit, noch = big["cold"], big["edit"], big["nochange"]  # type: ignore[assignment]
    lines.append(f"At {big['size']} notes: cold build / floor = {cold['wall'] / big['floor']:.2f}; "  # type: ignore[index,operator]
                 f"one-note rebuild = {edit['wall']:.2f} s, "  # type: ignore[index]
                 f"{100 * edit['wall'] / cold['wall']:.1f}% of the cold build; "  # type: ignore[index]
                 f"no-change rebuild = {noch['wall']:.2f} s.")  # type: ignore[index]
    by_size = {r["size"]: r for r in results}
    if 1000 in by_size and 5000 in by_size:
        per = {s: by_size[s]["cold"]["wall"] / s for s in (1000, 5000)}  # type: ignore[index]
        lines.append(f"Time per note: {1000 * per[1000]:.2f} ms at 1,000, {1000 * per[5000]:.2f} ms at 5,000 "
                     f"(ratio {per[5000] / per[1000]:.2f}).")
    if watch is not None:
        lines.append(f"`notes2anki watch`: {watch:.2f} s from saving a one-note edit to the new deck "
                     f"(median of 5 edits, {big['size']} notes).")
    if profile:
        total = sum(t for _, t in profile)
        lines += ["", f"Where a cold build's time goes ({big['size']} notes, one process, no cache):", "",
                  "| stage | seconds | share |", "| --- | ---: | ---: |"]
        lines += [f"| {name} | {t:.2f} | {100 * t / total:.0f}% |" for name, t in profile]
    if edit_profile:
        lines += ["", f"Where a one-note rebuild's time goes ({big['size']} notes, in-process, medians of 3; "
                  "Python's start-up and imports come on top):", "", "| stage | seconds |", "| --- | ---: |"]
        lines += [f"| {name} | {t:.3f} |" for name, t in edit_profile]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 5000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-write", action="store_true", help="print the table instead of updating README.md")
    parser.add_argument("--keep", type=Path, help="build the vaults here and keep them")
    args = parser.parse_args()
    base = args.keep or Path(tempfile.mkdtemp(prefix="n2a-bench-"))
    base.mkdir(parents=True, exist_ok=True)
    try:
        results = []
        for size in args.sizes:
            print(f"measuring {size} notes…", file=sys.stderr)
            results.append(measure(size, args.runs, base))
        big = results[-1]
        watch = watch_latency(big["root"], big["work"], big["env"])  # type: ignore[arg-type]
        profile = stages(big["root"])  # type: ignore[arg-type]
        edit_profile = edit_stages(big["root"], big["work"], big["env"])  # type: ignore[arg-type]
        text = report(results, watch, profile, args.runs, edit_profile)
    finally:
        if args.keep is None:
            shutil.rmtree(base, ignore_errors=True)
    if args.no_write:
        print(text)
        return
    readme = HERE / "README.md"
    old = readme.read_text(encoding="utf-8")
    start, end = old.index(TABLE_START) + len(TABLE_START), old.index(TABLE_END)
    readme.write_text(old[:start] + "\n" + text + "\n" + old[end:], encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
