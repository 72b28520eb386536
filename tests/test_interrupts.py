"""A build that is killed, interrupted, out of disk or out of permission loses nothing.

Real ``python -m notes2anki build`` processes rebuild a deck of a few hundred notes after an
edit and are killed (SIGKILL) or interrupted (SIGINT, as Ctrl-C sends it to the whole process
group) at seeded random moments. After each: the deck is the previous one or the complete new
one, a valid package that real Anki imports; the ledger loads; the only leftovers are hidden
``.tmp`` files nothing reads; and a rerun completes with deck and ledger agreeing.

A full disk and a read-only output folder are tested both simulated (a monkeypatched write
fails with ENOSPC / EROFS, runs everywhere) and for real where the machine allows it: a tiny
tmpfs and a read-only bind mount, each in a private mount namespace (``unshare -m``, needs
root), and a file size limit (``ulimit -f``). Two builds of one deck at once are two real
processes.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import random
import resource
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time
import types
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from notes2anki import ledger as ledger_module
from notes2anki import package as package_module
from notes2anki import pipeline as pipeline_module
from notes2anki.cli import cli

pytestmark = pytest.mark.skipif(os.name == "nt", reason="POSIX signals and file locks")

DECK = "Kill"
NOTES = 240


def write_note(root: Path, i: int, version: int = 0) -> None:
    path = root / f"topic{i % 8}" / f"note{i:03d}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    parts = [f"# 笔记 {i} Notes\n"]
    for s in range(4):
        parts.append(f"## 第 {s} 节 Section {i}.{s}\n这一节讲并行计算的第 {s} 个方面（版本 {version}）。\n")
        parts.append(f"- **术语{i}x{s}**：第 {s} 个术语的定义，第 {version} 版。\n"
                     f"- `key_{i}_{s}`: the value that sets step {s} of version {version}.\n")
    path.write_text("\n".join(parts), encoding="utf-8")


def edit_vault(root: Path, round_: int) -> None:
    """A round of edits: some notes reworded, one added, one deleted (so deck and ledger both change)."""
    rng = random.Random(round_)
    for i in rng.sample(range(NOTES), 12):
        write_note(root, i, round_)
    write_note(root, NOTES + round_, round_)
    victim = root / f"topic{round_ % 8}" / f"note{(round_ * 37) % NOTES:03d}.md"
    victim.unlink(missing_ok=True)


class Work:
    """A folder with notes/, decks/, cards/ and a cache, and how to build it."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.notes = folder / "notes"
        self.deck = folder / "decks" / f"{DECK}.apkg"
        self.ledger = folder / "cards" / f"{DECK}.yaml"
        self.env = {**os.environ, "NOTES2ANKI_CACHE_DIR": str(folder / "cache"), "TMPDIR": str(folder / "tmp")}
        (folder / "tmp").mkdir(exist_ok=True)

    def command(self) -> list[str]:
        return [sys.executable, "-m", "notes2anki", "build", "notes", "--deck", DECK, "--out", str(self.deck)]

    def start(self, command: list[str] | None = None) -> subprocess.Popen[str]:
        return subprocess.Popen(command or self.command(), cwd=self.folder, env=self.env, text=True,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)

    def build(self, preexec_fn: Callable[[], None] | None = None) -> subprocess.CompletedProcess[str]:
        return subprocess.run(self.command(), cwd=self.folder, env=self.env, text=True, capture_output=True,
                              timeout=120, preexec_fn=preexec_fn)

    def snapshot(self) -> tuple[bytes, bytes]:
        return self.deck.read_bytes(), self.ledger.read_bytes()

    def leftovers(self) -> list[Path]:
        keep = {self.deck.name, self.ledger.name, f".{self.ledger.name}.lock"}
        return sorted(p for d in (self.deck.parent, self.ledger.parent) for p in d.iterdir() if p.name not in keep)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A vault built once (deck, ledger, cache); each test works on a copy."""
    folder = tmp_path_factory.mktemp("built")
    work = Work(folder)
    for i in range(NOTES):
        write_note(work.notes, i)
    proc = work.build()
    assert proc.returncode == 0, proc.stderr
    return folder


@pytest.fixture
def work(built: Path, tmp_path: Path) -> Work:
    shutil.copytree(built, tmp_path / "work", symlinks=True)
    return Work(tmp_path / "work")


def package_guids(apkg: Path) -> set[str]:
    """The note GUIDs in a package (and that it is a complete zip with our digest)."""
    import sqlite3

    with zipfile.ZipFile(apkg) as zf:
        assert zf.testzip() is None
        assert zf.comment.startswith(b"notes2anki:")
        data = zf.read("collection.anki2")
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "c.anki2"
        db.write_bytes(data)
        conn = sqlite3.connect(db)
        try:
            return {row[0] for row in conn.execute("SELECT guid FROM notes")}
        finally:
            conn.close()


def anki_imports(apkg: Path, folder: Path) -> int:
    """Import into a fresh real Anki collection; the number of notes Anki took in."""
    from anki_helpers import import_apkg, new_collection

    col = new_collection(folder)
    try:
        log = import_apkg(col, apkg)
    finally:
        col.close()
    return log.new


def assert_consistent(work: Work) -> None:
    """After a completed build: the ledger loads and lists exactly the deck's notes."""
    book = ledger_module.load(work.ledger)
    assert book is not None
    assert {e.id for e in book.entries} == package_guids(work.deck)


# --- killed at random points --------------------------------------------------------------------


def test_killed_at_random_points_loses_nothing(work: Work, tmp_path: Path) -> None:
    rng = random.Random(20261125)
    edit_vault(work.notes, 1)
    started = time.perf_counter()
    assert work.build().returncode == 0
    duration = time.perf_counter() - started
    assert_consistent(work)
    verified = {work.deck.read_bytes()}
    kills = {"SIGKILL group": 0, "SIGKILL parent": 0, "SIGINT group": 0}
    outcomes = {"old deck": 0, "new deck": 0}
    for point in range(14):
        edit_vault(work.notes, point + 2)
        before_deck, before_ledger = work.snapshot()
        how = ["SIGKILL group", "SIGKILL parent", "SIGINT group"][point % 3]
        # Most of a build is reading notes; aim half the kills at its end, where the files are written.
        delay = rng.uniform(0.05, duration) if point % 2 else rng.uniform(0.6 * duration, 1.15 * duration)
        proc = work.start()
        time.sleep(delay)
        with contextlib.suppress(ProcessLookupError):
            if how == "SIGKILL parent":
                os.kill(proc.pid, signal.SIGKILL)
            else:
                os.killpg(proc.pid, signal.SIGKILL if how.startswith("SIGKILL") else signal.SIGINT)
        _, err = proc.communicate(timeout=60)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)  # orphaned workers of a parent-only kill
        kills[how] += 1
        if how == "SIGINT group" and proc.returncode == 130:
            assert "notes2anki: interrupted" in err.splitlines()[-1]
        # The deck is the previous one, or the whole new one: a valid package real Anki imports.
        deck = work.deck.read_bytes()
        if deck == before_deck:
            outcomes["old deck"] += 1
        else:
            outcomes["new deck"] += 1
            package_guids(work.deck)
            assert anki_imports(work.deck, tmp_path / f"anki{point}") > 0
        # The ledger loads (previous or new); nothing else in decks/ or cards/ but hidden temp files.
        assert ledger_module.load(work.ledger) is not None
        if work.ledger.read_bytes() != before_ledger:
            assert deck != before_deck, "the ledger never describes a deck that was not written"
        for leftover in work.leftovers():
            assert leftover.name.startswith(".") and leftover.name.endswith(".tmp"), leftover
        # A rerun completes, and deck and ledger agree.
        rerun = work.build()
        assert rerun.returncode == 0, rerun.stderr
        assert_consistent(work)
        if work.deck.read_bytes() not in verified:
            assert anki_imports(work.deck, tmp_path / f"anki-rerun{point}") > 0
            verified.add(work.deck.read_bytes())
    assert all(kills.values()), kills


def test_temp_files_of_a_killed_build_are_cleaned_by_the_next(work: Work) -> None:
    edit_vault(work.notes, 1)
    stray = [work.deck.parent / f".{work.deck.name}.abc123.tmp", work.ledger.parent / f".{work.ledger.name}.x.tmp"]
    for path in stray:
        path.write_bytes(b"partial")
    assert work.build().returncode == 0
    assert [p for p in stray if p.exists()] == []


# --- Ctrl-C -------------------------------------------------------------------------------------


def _interrupt_while_reading(work: Work) -> subprocess.CompletedProcess[str]:
    """Ctrl-C (SIGINT to the process group) while the notes are being read."""
    big = work.notes / "big.md"
    big.write_text("# Big\n\n" + "".join(f"## H{i}\n第 {i} 节的内容：说明。\n\n" for i in range(40_000)), "utf-8")
    proc = work.start()
    time.sleep(2.0)  # well into reading a note that takes several seconds
    os.killpg(proc.pid, signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


def test_ctrl_c_prints_the_message_exits_130_and_keeps_the_deck(work: Work) -> None:
    before = work.snapshot()
    proc = _interrupt_while_reading(work)
    assert proc.returncode == 130, proc.stderr
    assert proc.stderr.rstrip().endswith("notes2anki: interrupted; the previous deck is unchanged.")
    assert work.snapshot() == before
    assert [p for p in work.leftovers()] == []


def _sigint_handler(job: object) -> object:
    return signal.getsignal(signal.SIGINT)


def test_ctrl_c_reaches_only_the_main_process(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Deterministic form of "Ctrl-C prints no worker tracebacks": what a worker does with SIGINT."""
    from notes2anki import pipeline
    from notes2anki.sources import FileRef

    monkeypatch.setattr(pipeline, "_extract_job", _sigint_handler)
    note = tmp_path / "big.md"
    note.write_bytes(b"x" * pipeline.PARALLEL_MIN_BYTES)  # enough to read for workers to start
    jobs = [(FileRef(note, "big.md", ()), None)] * 4
    handlers = {h for _, h in pipeline._run_jobs(jobs, 2, lambda: None)}  # type: ignore[arg-type]
    assert handlers == {signal.SIG_IGN}


# --- two builds at once ----------------------------------------------------------------------------


def test_two_builds_of_one_deck_at_once_do_not_interleave(work: Work) -> None:
    edit_vault(work.notes, 1)
    first, second = work.start(), work.start()
    results = [p.communicate(timeout=120) for p in (first, second)]
    assert first.returncode == 0 and second.returncode == 0, results
    assert_consistent(work)
    assert work.leftovers() == []


def test_a_build_waits_for_the_lock_then_fails_clearly(work: Work) -> None:
    edit_vault(work.notes, 1)
    before = work.snapshot()
    # The same CLI, with the lock's wait cut from 30 s to 1 s so the test is quick.
    shortened = [sys.executable, "-c", "import sys; from notes2anki import ledger; "
                 "ledger.locked.__wrapped__.__defaults__ = (1.0,); from notes2anki.cli import main; "
                 "sys.argv[0] = 'notes2anki'; main()", *work.command()[3:]]
    lock = work.ledger.parent / f".{work.ledger.name}.lock"
    with open(lock, "a+") as held:
        fcntl.flock(held.fileno(), fcntl.LOCK_EX)
        started = time.perf_counter()
        proc = work.start(shortened)
        _, err = proc.communicate(timeout=60)
        waited = time.perf_counter() - started
        fcntl.flock(held.fileno(), fcntl.LOCK_UN)
    assert proc.returncode == 1
    assert "another notes2anki build of this deck is running" in err and "wait for it to finish" in err
    assert "Traceback" not in err
    assert waited >= 1.0
    assert work.snapshot() == before
    assert work.build().returncode == 0  # once the other build is gone, building works again
    assert_consistent(work)


# --- full disk and read-only folders, simulated -------------------------------------------------


def _build_in_process(work: Work) -> Result:
    os.chdir(work.folder)
    return CliRunner().invoke(cli, ["build", "notes", "--deck", DECK, "--out", str(work.deck)])


def test_full_disk_while_writing_the_deck_keeps_deck_and_ledger(work: Work, monkeypatch: pytest.MonkeyPatch) -> None:
    edit_vault(work.notes, 1)
    before = work.snapshot()

    def full(*args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(package_module, "_add", full)
    result = _build_in_process(work)
    assert result.exit_code == 1
    assert "cannot write deck: No space left on device" in result.output
    assert "nothing was written" in result.output
    assert work.snapshot() == before
    assert work.leftovers() == []


def test_full_disk_while_writing_the_ledger_is_a_clear_error(work: Work, monkeypatch: pytest.MonkeyPatch) -> None:
    edit_vault(work.notes, 1)
    _, before_ledger = work.snapshot()

    def fsync(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(ledger_module, "os", types.SimpleNamespace(**{**vars(os), "fsync": fsync}))
    result = _build_in_process(work)
    assert work.ledger.read_bytes() == before_ledger
    assert not isinstance(result.exception, OSError), result.exception
    assert result.exit_code == 1 and "No space left on device" in result.output


@pytest.mark.parametrize("where", ["deck", "ledger"])
def test_full_disk_during_an_incremental_rebuild(work: Work, monkeypatch: pytest.MonkeyPatch, where: str) -> None:
    """The rebuild that reads only the changed notes fails as cleanly as a full one, and the next build
    (a full one: the last build's state is gone) puts everything right."""
    edit_vault(work.notes, 1)
    assert work.build().returncode == 0  # here (a copied kept collection is not trusted): the next is incremental
    monkeypatch.setenv("NOTES2ANKI_CACHE_DIR", work.env["NOTES2ANKI_CACHE_DIR"])  # the in-process build's too
    edit_vault(work.notes, 2)
    before = work.snapshot()

    def full(*args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    if where == "deck":
        monkeypatch.setattr(package_module, "_add", full)
    else:
        monkeypatch.setattr(ledger_module, "os", types.SimpleNamespace(**{**vars(os), "fsync": full}))

    def no_full_build(*args: object, **kwargs: object) -> None:
        raise AssertionError("the rebuild was not incremental")

    monkeypatch.setattr(pipeline_module, "_build", no_full_build)
    result = _build_in_process(work)
    assert result.exit_code == 1 and "No space left on device" in result.output
    assert not isinstance(result.exception, OSError), result.exception
    assert work.snapshot()[1] == before[1]
    if where == "deck":
        assert work.snapshot() == before and "nothing was written" in result.output
    monkeypatch.undo()
    assert work.build().returncode == 0
    assert_consistent(work)


def test_read_only_output_folder_simulated(work: Work, monkeypatch: pytest.MonkeyPatch) -> None:
    edit_vault(work.notes, 1)
    before = work.snapshot()
    real_mkstemp = tempfile.mkstemp

    def mkstemp(suffix: str | None = None, prefix: str | None = None, dir: str | Path | None = None,
                text: bool = False) -> tuple[int, str]:
        if dir is not None and Path(dir) == work.deck.parent:
            raise OSError(errno.EROFS, "Read-only file system")
        return real_mkstemp(suffix, prefix, dir, text)

    monkeypatch.setattr(tempfile, "mkstemp", mkstemp)  # as package.py calls it, for the deck's folder only
    result = _build_in_process(work)
    assert result.exit_code == 1
    assert "cannot write deck: Read-only file system" in result.output
    assert work.snapshot() == before


# --- full disk, read-only folders and size limits, for real -----------------------------------------


def _can_unshare() -> bool:
    if os.geteuid() != 0 or shutil.which("unshare") is None:
        return False
    probe = subprocess.run(["unshare", "-m", "sh", "-c", "mount -t tmpfs -o size=64k tmpfs /mnt"],
                           capture_output=True)
    return probe.returncode == 0


needs_mounts = pytest.mark.skipif(not _can_unshare(), reason="needs root and mount namespaces (unshare -m) to "
                                  "mount a tiny tmpfs or a read-only bind mount; the simulated tests above still run")


def _in_namespace(work: Work, setup: str) -> subprocess.CompletedProcess[str]:
    """Run ``setup`` then the build in a private mount namespace (its mounts vanish with it)."""
    build = " ".join(f"'{part}'" for part in work.command())
    script = f"set -e\n{setup}\nset +e\n{build}\necho \"exit=$?\" >&2\n"
    return subprocess.run(["unshare", "-m", "sh", "-c", script], cwd=work.folder, env=work.env, text=True,
                          capture_output=True, timeout=120)


@needs_mounts
def test_really_full_disk_keeps_deck_and_ledger(work: Work) -> None:
    edit_vault(work.notes, 1)
    before = work.snapshot()
    decks, after = work.deck.parent, work.folder / "after"
    after.mkdir()
    # A tmpfs over decks/ holding the previous deck and a filler, with less room left than a new deck needs;
    # what is on it when the build ends is copied out before the namespace (and the tmpfs) goes.
    setup = (f"cp -a '{decks}/.' '{work.folder}/tmp/'\n"
             f"mount -t tmpfs -o size={len(before[0]) + 96 * 1024} tmpfs '{decks}'\n"
             f"mv '{work.folder}/tmp/{work.deck.name}' '{decks}/'\n"
             f"dd if=/dev/zero of='{decks}/filler' bs=1024 count=64 2>/dev/null\n"
             f"trap 'cp -a \"{decks}/.\" \"{after}/\"' EXIT")
    proc = _in_namespace(work, setup)
    assert "exit=1" in proc.stderr, proc.stderr
    assert "cannot write deck: No space left on device" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert (after / work.deck.name).read_bytes() == before[0]
    assert sorted(p.name for p in after.iterdir()) == sorted([work.deck.name, "filler"])  # no temp file left
    assert work.ledger.read_bytes() == before[1]


@needs_mounts
def test_really_read_only_output_folder_keeps_deck_and_ledger(work: Work) -> None:
    edit_vault(work.notes, 1)
    before = work.snapshot()
    decks = work.deck.parent
    proc = _in_namespace(work, f"mount --bind '{decks}' '{decks}'\nmount -o remount,ro,bind '{decks}'")
    assert "exit=1" in proc.stderr, proc.stderr
    assert "cannot write deck: Read-only file system" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert work.snapshot() == before


@needs_mounts
def test_really_read_only_ledger_folder_is_a_clear_error(work: Work) -> None:
    edit_vault(work.notes, 1)
    before = work.snapshot()
    cards = work.ledger.parent
    proc = _in_namespace(work, f"mount --bind '{cards}' '{cards}'\nmount -o remount,ro,bind '{cards}'")
    assert work.snapshot() == before
    assert "exit=1" in proc.stderr and "Traceback" not in proc.stderr, proc.stderr


def _limit_file_size() -> None:
    resource.setrlimit(resource.RLIMIT_FSIZE, (64 * 1024, 64 * 1024))


def test_file_size_limit_keeps_deck_and_ledger(work: Work) -> None:
    """``ulimit -f 64``: every file the build writes is cut at 64 KB (EFBIG), the scratch database first."""
    edit_vault(work.notes, 1)
    before = work.snapshot()
    proc = work.build(preexec_fn=_limit_file_size)
    assert proc.returncode == 1
    assert work.snapshot() == before
    assert work.leftovers() == []
    assert list((work.folder / "tmp").iterdir()) == []


def test_file_size_limit_is_a_clear_error(work: Work) -> None:
    edit_vault(work.notes, 1)
    proc = work.build(preexec_fn=_limit_file_size)
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr and "cannot write deck" in proc.stderr, proc.stderr


def test_the_deck_and_ledger_are_ordinary_files_not_private_temporaries(work: Work) -> None:
    """Written through a 0600 temporary file, they still get the mode a new file gets (0666 less the umask)."""
    old = os.umask(0o022)
    try:
        edit_vault(work.notes, 1)
        assert work.build().returncode == 0
    finally:
        os.umask(old)
    assert stat.S_IMODE(work.deck.stat().st_mode) == 0o644
    assert stat.S_IMODE(work.ledger.stat().st_mode) == 0o644
