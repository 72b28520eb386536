"""An incremental rebuild must give exactly what a full build gives: same ledger, same package, same report.

Two copies of one vault go through the same random edits. One is rebuilt as
``notes2anki build`` does (incrementally when it can); the other always in full.
After every edit their ledgers must be byte-identical, their packages must hold
the same rows (and carry the same digest), and their change reports must match;
now and then both decks are imported into real Anki collections, which must end
up holding the same notes.
"""

from __future__ import annotations

import os
import random
import shutil
from dataclasses import dataclass, field, replace
from pathlib import Path

import pytest

from anki_helpers import import_apkg, new_collection, notes_by_guid, package_rows
from notes2anki.config import Config, resolve
from notes2anki.incremental import Report
from notes2anki.package import written_digest
from notes2anki.pipeline import PARALLEL_MIN_BYTES, build, rebuild, report
from notes2anki.reconcile import COMMON_ANSWER

PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000") + b"\0" * 16

TOPICS = ["KV cache", "PagedAttention", "RoCE", "NCCL all-reduce", "FlashAttention", "张量并行", "流水线并行",
          "量化 Quantization", "Speculative decoding", "MoE 路由", "LoRA", "RDMA"]


@dataclass
class Note:
    title: str
    sections: list[tuple[str, str]] = field(default_factory=list)
    diagram: bool = False
    image: str = ""

    def text(self) -> str:
        if not self.title and not self.sections:
            return ""  # an empty note (made a moment ago, say): skipped, with a warning
        out = [f"# {self.title}", ""]
        for heading, body in self.sections:
            out += [f"## {heading}", "", body, ""]
        if self.image:
            out += [f"![figure]({self.image})", ""]
        if self.diagram:
            out += ["```mermaid", "flowchart LR", f"  A[{self.title}] -- feeds --> B[Cache]", "  B --> C[Decode]",
                    "```", ""]
        return "\n".join(out)


class Vault:
    """Notes as a model, written into two folders at once."""

    def __init__(self, rng: random.Random, roots: list[Path]) -> None:
        self.rng, self.roots, self.notes, self.serial = rng, roots, {}, 0
        for _ in range(8):
            self.add()

    def _section(self) -> tuple[str, str]:
        self.serial += 1
        topic = self.rng.choice(TOPICS)
        body = f"{topic} works like this, case {self.serial}."
        if self.rng.random() < 0.4:
            body += f"\n\n- **Term{self.serial}**: what term {self.serial} means"
        return f"{topic} {self.serial}", body

    def add(self, name: str | None = None) -> str:
        self.serial += 1
        name = name or f"{'sub/' if self.serial % 3 == 0 else ''}n{self.serial:03d}.md"
        picture = self.rng.choice(["", "", "", "img/a.png", "img/b.png", "img/none.png", "c.png"])
        note = Note(f"Note {self.serial}", [self._section() for _ in range(self.rng.randint(1, 4))],
                    self.rng.random() < 0.3, picture)
        self.notes[name] = note
        return name

    def write(self) -> None:
        for root in self.roots:
            if not (root / "img").exists():
                (root / "img").mkdir(parents=True)
                for name in ("a.png", "b.png"):
                    (root / "img" / name).write_bytes(PNG + name.encode())
            for path in root.rglob("*.md"):
                if path.relative_to(root).as_posix() not in self.notes:
                    path.unlink()
            for name, note in self.notes.items():
                path = root / name
                path.parent.mkdir(parents=True, exist_ok=True)
                text = note.text()
                if not path.exists() or path.read_text(encoding="utf-8") != text:
                    path.write_text(text, encoding="utf-8")
                    self.serial += 1
                    os.utime(path, ns=(self.serial * 10**9, self.serial * 10**9))

    def edit(self) -> str:
        """One random edit of the kind notes see, applied to the model; returns what it was."""
        rng = self.rng
        name = rng.choice(sorted(self.notes))
        note = self.notes[name]
        what = rng.choice(["append", "append", "rename", "rename", "reanswer", "drop", "move", "delete-note",
                           "new-note", "copy-note", "touch", "empty", "duplicate", "nothing", "revert", "image",
                           "append", "new-note", "rename", "reanswer", "blank" if rng.random() < 0.2 else "nothing",
                           "picture-comes", "picture-goes"])
        if what == "append":
            note.sections.append(self._section())
        elif what == "rename" and note.sections:
            i = rng.randrange(len(note.sections))
            heading, body = note.sections[i]
            note.sections[i] = (heading + rng.choice([" explained", " 详解", "!"]), body)
        elif what == "revert" and note.sections:
            i = rng.randrange(len(note.sections))
            heading, body = note.sections[i]
            for tail in (" explained", " 详解", "!"):
                heading = heading.removesuffix(tail)
            note.sections[i] = (heading, body)
        elif what == "reanswer" and note.sections:
            i = rng.randrange(len(note.sections))
            heading, body = note.sections[i]
            note.sections[i] = (heading, body + " And more.")
        elif what == "drop" and note.sections:
            note.sections.pop(rng.randrange(len(note.sections)))
        elif what == "move" and note.sections and len(self.notes) > 1:
            other = self.notes[rng.choice([n for n in sorted(self.notes) if n != name])]
            other.sections.insert(rng.randint(0, len(other.sections)), note.sections.pop())
        elif what == "delete-note" and len(self.notes) > 3:
            del self.notes[name]
        elif what == "new-note":
            self.add()
        elif what == "copy-note":
            copy = self.add()
            self.notes[copy] = Note(note.title, list(note.sections), note.diagram)
        elif what == "touch":
            self.serial += 1
            for root in self.roots:
                if (root / name).exists():
                    os.utime(root / name, ns=(self.serial * 10**9, self.serial * 10**9))
        elif what == "empty":  # a new, still empty note
            self.notes[self.add()] = Note("")
        elif what == "blank" and len(self.notes) > 3:  # a note emptied: its cards stay, left alone
            note.sections, note.title = [], ""
        elif what == "image":
            self.serial += 1
            picture = rng.choice(["a.png", "b.png"])
            for root in self.roots:
                image = root / "img" / picture
                image.write_bytes(PNG + str(self.serial).encode())
                os.utime(image, ns=(self.serial * 10**9, self.serial * 10**9))
        elif what in ("picture-comes", "picture-goes"):
            # A missing picture turns up (``c.png``, a bare name, anywhere under the root), or one in the way
            # of a picture found further on (``sub/img/a.png`` for ``sub/``'s notes), or goes again.
            self.serial += 1
            picture = rng.choice(["img/none.png", "deep/er/c.png", "c.png", "sub/img/a.png"])
            for root in self.roots:
                image = root / picture
                if what == "picture-goes":
                    image.unlink(missing_ok=True)
                    continue
                image.parent.mkdir(parents=True, exist_ok=True)
                image.write_bytes(PNG + picture.encode())
                os.utime(image, ns=(self.serial * 10**9, self.serial * 10**9))
        elif what == "duplicate" and note.sections:
            note.sections.append(note.sections[0])
        self.write()
        return f"{what} {name}"


def _settings(root: Path, out: Path):
    settings, _ = resolve(Config(), notes=[root], deck="D")
    return replace(settings, out_dir=out / "decks", ledger_dir=out / "cards", cache_dir=out / "cache")


def _shown(done: Report, root: Path) -> tuple:
    """A report with the copy's own folder names taken out."""
    diags = tuple(replace(d, path=d.path.replace(str(root), "ROOT")) for d in done.diagnostics)
    return done.files, done.skipped, done.counts, diags, done.changes, done.removed, done.written


@pytest.mark.parametrize("seed", range(8))
def test_incremental_rebuilds_match_full_builds_over_random_edits(tmp_path, seed):
    rng = random.Random(seed)
    inc, full = tmp_path / "inc", tmp_path / "full"
    vault = Vault(rng, [inc / "notes", full / "notes"])
    vault.write()
    # The full copy keeps no cache either: it reads every note every time, the oracle for the cache too.
    s_inc, s_full = _settings(inc / "notes", inc), replace(_settings(full / "notes", full), cache_dir=None)
    col_inc, col_full = new_collection(tmp_path / "anki-inc"), new_collection(tmp_path / "anki-full")
    incremental = 0
    now = 1_700_000_000
    try:
        for step in range(40):
            what = vault.edit() if step else "first build"
            now += rng.choice([100, 100, 0, -300])  # the clock may stand still or go back
            got = rebuild(s_inc, now=now)
            want = report(build(s_full, now=now))
            incremental += got.incremental
            assert _shown(got, inc) == _shown(want, full), what
            assert s_inc.ledger_path.read_bytes() == s_full.ledger_path.read_bytes(), what
            assert package_rows(s_inc.out_path) == package_rows(s_full.out_path), what
            assert written_digest(s_inc.out_path) == written_digest(s_full.out_path), what
            if step % 8 == 7:
                import_apkg(col_inc, s_inc.out_path)
                import_apkg(col_full, s_full.out_path)
                mine = {g: {k: v for k, v in n.items() if k != "id"} for g, n in notes_by_guid(col_inc).items()}
                theirs = {g: {k: v for k, v in n.items() if k != "id"} for g, n in notes_by_guid(col_full).items()}
                assert mine == theirs, what
    finally:
        col_inc.close()
        col_full.close()
    assert incremental >= 12, f"only {incremental} of 40 builds were incremental"


def test_a_full_build_after_incremental_ones_changes_nothing(tmp_path):
    rng = random.Random(99)
    root = tmp_path / "v" / "notes"
    vault = Vault(rng, [root])
    vault.write()
    s = _settings(root, tmp_path / "v")
    for step in range(12):
        vault.edit()
        assert rebuild(s, now=1_700_000_000 + step * 100).written
    ledger, rows = s.ledger_path.read_bytes(), package_rows(s.out_path)
    shutil.rmtree(s.cache_dir)  # no state, no cache: a full build from the notes and the ledger alone
    again = report(build(s, now=1_700_009_999))
    assert again.changes == () and not again.incremental
    assert s.ledger_path.read_bytes() == ledger
    assert package_rows(s.out_path) == rows


class Twins:
    """Two copies of a vault: one rebuilt as ``notes2anki build`` does, one always in full."""

    def __init__(self, tmp_path: Path) -> None:
        self.inc, self.full = tmp_path / "inc", tmp_path / "full"
        self.s_inc = _settings(self.inc / "notes", self.inc)
        self.s_full = replace(_settings(self.full / "notes", self.full), cache_dir=None)  # reads every note
        self.now, self.serial = 1_700_000_000, 0

    def write(self, files: dict[str, str | None]) -> None:
        for root in (self.inc / "notes", self.full / "notes"):
            for name, text in files.items():
                path = root / name
                if text is None:
                    path.unlink()
                    continue
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(text, encoding="utf-8")
                self.serial += 1
                os.utime(path, ns=(self.serial * 10**9, self.serial * 10**9))

    def build(self, files: dict[str, str | None]) -> Report:
        """Write ``files`` (None deletes one), build both copies; they must agree. Returns the incremental one's."""
        self.write(files)
        self.now += 100
        got = rebuild(self.s_inc, now=self.now)
        want = report(build(self.s_full, now=self.now))
        assert _shown(got, self.inc) == _shown(want, self.full)
        assert self.s_inc.ledger_path.read_bytes() == self.s_full.ledger_path.read_bytes()
        assert package_rows(self.s_inc.out_path) == package_rows(self.s_full.out_path)
        return got


def test_a_renamed_cards_old_question_coming_back_elsewhere(tmp_path):
    twins = Twins(tmp_path)
    twins.build({"a.md": "# T\n\n## Alpha\n\nfirst answer\n", "b.md": "# U\n\n## Beta\n\nsecond\n",
                 "c.md": "# V\n\n## Gamma\n\nthird\n"})
    renamed = twins.build({"a.md": "# T\n\n## Alpha explained\n\nfirst answer\n"})
    assert [c.what for c in renamed.changes] == ["renamed"] and renamed.incremental
    # The old question, under the same trail, in another note: it takes the old identity back by exact match.
    back = twins.build({"b.md": "# T\n\n## Alpha\n\nfirst answer, again\n\n## Beta\n\nsecond\n"})
    assert back.incremental
    assert sorted(c.what for c in back.changes) == ["added", "moved", "renamed"]
    # The renamed card is still found, by its own question, in every later build.
    later = twins.build({"c.md": "# V\n\n## Gamma\n\nthird, edited\n"})
    assert [c.what for c in later.changes] == ["updated"] and later.incremental


def test_incremental_rebuild_is_refused_when_a_guid_is_shared_with_an_unread_note(tmp_path):
    twins = Twins(tmp_path)
    twins.build({"a.md": "# T\n\n## Alpha\n\nanswer\n", "b.md": "# U\n\n## Beta\n\nsecond\n"})
    # The same question and trail in a second note: one of the two is a duplicate, decided by note order.
    dup = twins.build({"c.md": "# T\n\n## Alpha\n\nanswer\n"})
    assert not dup.incremental
    assert [d.code for d in dup.diagnostics] == ["duplicate-card"]
    gone = twins.build({"a.md": None})
    assert not gone.incremental
    assert [c.what for c in gone.changes] == ["moved"]


def test_an_emptied_notes_cards_are_held_as_they_are_by_incremental_rebuilds(tmp_path):
    twins = Twins(tmp_path)
    a = "# T\n\n## Alpha\n\nfirst answer\n\n## Beta\n\nsecond answer\n"
    twins.build({"a.md": a, "b.md": "# U\n\n## Gamma\n\nthird\n"})
    emptied = twins.build({"a.md": ""})  # mid-edit, say: its cards are neither packaged nor reported removed
    assert emptied.incremental and emptied.changes == () and emptied.skipped == ("a.md",)
    assert emptied.cards == 1
    # While it stays empty, other notes are rebuilt alone, and cannot take its cards' lines loosely.
    added = twins.build({"b.md": "# U\n\n## Alpha\n\nfirst answer\n\n## Gamma\n\nthird\n"})
    assert added.incremental and [c.what for c in added.changes] == ["added"]
    # Written back: its cards find their lines as they were.
    back = twins.build({"a.md": a, "b.md": "# U\n\n## Gamma\n\nthird\n"})
    assert back.incremental and [c.what for c in back.changes] == ["removed"]
    assert back.cards == 3
    # One of its cards' very identity in another note: a full build gives it that card's line (the empty
    # note is read every time, never cached, so its lines are matched with the rest, incrementally too).
    twins.build({"a.md": ""})
    taken = twins.build({"b.md": "# T\n\n## Alpha\n\nfirst answer\n\n## Gamma\n\nthird\n"})
    assert taken.incremental
    assert sorted((c.what, c.question) for c in taken.changes) == [("moved", "Alpha"), ("moved", "Gamma")]


def test_a_ledger_changed_by_hand_or_a_lost_collection_means_a_full_build(tmp_path):
    twins = Twins(tmp_path)
    twins.build({"a.md": "# T\n\n## Alpha\n\nanswer\n", "b.md": "# U\n\n## Beta\n\nsecond\n"})
    older = [(s, s.ledger_path.read_bytes()) for s in (twins.s_inc, twins.s_full)]
    assert twins.build({"b.md": "# U\n\n## Beta\n\nsecond\n\n## Gamma\n\nthird\n"}).incremental
    for s, data in older:  # the ledger restored from version control
        s.ledger_path.write_bytes(data)
    restored = twins.build({"a.md": "# T\n\n## Alpha\n\nanswer, edited\n"})
    assert not restored.incremental
    assert sorted(c.what for c in restored.changes) == ["added", "updated"]
    assert twins.build({"a.md": "# T\n\n## Alpha\n\nanswer, edited again\n"}).incremental
    for kept in twins.s_inc.cache_dir.rglob("collection.anki2"):  # the cache folder's collection lost
        kept.unlink()
    assert not twins.build({"a.md": "# T\n\n## Alpha\n\nanswer, third time\n"}).incremental
    assert twins.build({"a.md": "# T\n\n## Alpha\n\nanswer, fourth time\n"}).incremental


def test_many_changed_notes_are_read_in_parallel_and_still_match_a_full_build(tmp_path):
    twins = Twins(tmp_path)
    notes = {f"n{i:03d}.md": f"# Note {i}\n\n## Topic {i}\n\nabout {i}\n\n- **Term{i}**: meaning {i}\n"
             for i in range(150)}
    twins.build(notes)
    more = "\n## More\n\n" + "more text " * (PARALLEL_MIN_BYTES // 640) + "\n"  # 70 of these: enough for workers
    edited = {name: text + more for name, text in list(notes.items())[:70]}
    assert sum(len(text.encode()) for text in edited.values()) > PARALLEL_MIN_BYTES
    again = twins.build(edited)
    assert again.incremental
    assert [c.what for c in again.changes].count("added") == 70


def test_a_card_read_now_that_could_take_a_renamed_cards_line(tmp_path):
    """A renamed card is matched with its ledger line anew in every build. A card in an earlier note that asks
    the same question (up to case and punctuation) under the same trail comes first, and takes that line."""
    twins = Twins(tmp_path)
    twins.build({"a.md": "# T\n\n## Gamma\n\ngamma\n", "b.md": "# T\n\n## Alpha\n\nfirst answer\n",
                 "c.md": "# V\n\n## Delta\n\ndelta\n"})
    assert [c.what for c in twins.build({"b.md": "# T\n\n## Alpha explained\n\nfirst answer\n"}).changes] == ["renamed"]
    assert twins.build({"c.md": "# V\n\n## Delta\n\ndelta, edited\n"}).incremental
    taken = twins.build({"a.md": "# T\n\n## Gamma\n\ngamma\n\n## alpha Explained!\n\nother answer\n"})
    assert sorted(c.what for c in taken.changes) == ["added", "moved"]  # the line moved to a.md with it


def test_a_renamed_cards_answer_counts_among_the_vanished_cards_answers(tmp_path):
    """A card whose answer is shared by more than a few vanished cards is not matched by its answer; a
    renamed card's line counts among them in a full build, so the rebuild must count it too."""
    twins = Twins(tmp_path)
    same = "the same answer, word for word"
    many = "".join(f"## Point {i}\n\n{same}\n\n" for i in range(COMMON_ANSWER))
    twins.build({"a.md": f"# T\n\n{many}", "b.md": f"# U\n\n## Alpha\n\n{same}\n"})
    assert [c.what for c in twins.build({"b.md": f"# U\n\n## Alpha explained\n\n{same}\n"}).changes] == ["renamed"]
    # All of a.md's points vanish but one, reworded: only the count of lines sharing its answer decides.
    again = twins.build({"a.md": f"# T\n\n## Point 0 again\n\n{same}\n"})
    assert "renamed" not in {c.what for c in again.changes}
