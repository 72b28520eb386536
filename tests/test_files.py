"""Whatever is in the notes folder, a build finishes, names what it skipped and builds the rest.

One test per kind of odd file a cloned repository or an exported wiki can hold: symbolic links
that loop or lead out, files the user may not read, odd names, line ends, encodings and
invisible spaces, and things that are not files at all (a folder, a pipe, a socket). Each
asserts the warning (with the path, printed on one line) or the correct reading, and that the
good note next to it still makes its cards.

Permission denied is tested twice: with the read monkeypatched to fail (runs everywhere),
and for real with ``chmod 000`` in a separate build process — as root, which reads anything,
that process runs without the capabilities that let root ignore file permissions
(``setpriv``), so the kernel really refuses the read.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from notes2anki.cli import cli

Notes = Callable[..., Path]
"""The ``notes`` fixture: writes files into a notes folder and returns it."""

GOOD = ("# Good\n\n## 数据并行 Data Parallelism\n每张 GPU 保存一份完整的模型副本。\n\n"
        "- **KV Cache**：缓存 key 和 value。\n")
GOOD_FRONTS = {"数据并行 Data Parallelism", "什么是 KV Cache？"}
posix_only = pytest.mark.skipif(os.name == "nt", reason="POSIX file system features")


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def build(root: Path, *args: str) -> tuple[Result, list[tuple[list[str], list[str]]]]:
    """``notes2anki build ROOT`` into deck.apkg; returns the result and the deck's notes."""
    result = run("build", str(root), "--out", "deck.apkg", "--deck", "Files", *args)
    assert result.exit_code == 0, result.output
    return result, deck_notes(Path("deck.apkg"))


def deck_notes(apkg: Path) -> list[tuple[list[str], list[str]]]:
    """(fields, tags) of every note in a package, read from its collection as Anki stores it."""
    with zipfile.ZipFile(apkg) as zf:
        Path("collection.anki2").write_bytes(zf.read("collection.anki2"))
    conn = sqlite3.connect("collection.anki2")
    try:
        rows = conn.execute("SELECT flds, tags FROM notes").fetchall()
    finally:
        conn.close()
    return [(flds.split("\x1f"), tags.split()) for flds, tags in rows]


def fronts(notes: list[tuple[list[str], list[str]]]) -> set[str]:
    return {fields[0] for fields, _ in notes}


def cards_json(root: Path) -> list[dict[str, object]]:
    result = run("cards", str(root), "--format", "json")
    assert result.exit_code == 0, result.output
    records: list[dict[str, object]] = json.loads(result.stdout)
    return records


def warnings(result: Result, code_text: str) -> list[str]:
    return [line for line in result.output.splitlines() if "warning:" in line and code_text in line]


def assert_good_built(notes: list[tuple[list[str], list[str]]]) -> None:
    assert fronts(notes) >= GOOD_FRONTS, fronts(notes)


# --- symbolic links ----------------------------------------------------------------------------


@posix_only
def test_symlink_loop_is_cut_with_a_warning_and_the_rest_built(notes: Notes) -> None:
    root = notes({"good.md": GOOD, "sub/b.md": "# B\n\n## Inner\ntext\n"})
    (root / "sub" / "loop").symlink_to(root, target_is_directory=True)
    result, deck = build(root)
    (line,) = warnings(result, "loops back")
    assert "sub/loop" in line
    assert_good_built(deck)
    assert "Inner" in fronts(deck)


@posix_only
def test_a_config_glob_through_links_reads_each_note_once(notes: Notes, chdir: Path, tmp_path: Path) -> None:
    """``notes/**/*.md`` in the config is walked like a folder: loops cut, links out refused."""
    root = notes({"good.md": GOOD, "sub/b.md": "# B\n\n## Inner\ntext\n"})
    (root / "sub" / "loop").symlink_to(root, target_is_directory=True)
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "secret.md").write_text("# Secret\n\n## Password\nhunter2\n", encoding="utf-8")
    (root / "out").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    (chdir / "notes2anki.yaml").write_text(f"deck: Files\nnotes:\n  - '{root}/**/*.md'\n", encoding="utf-8")
    result = run("build", "--out", "deck.apkg")
    assert result.exit_code == 0, result.output
    assert "Read 2 files" in result.output
    assert len(warnings(result, "loops back")) == 1 and len(warnings(result, "points outside")) == 1
    deck = deck_notes(Path("deck.apkg"))
    assert_good_built(deck)
    assert sorted(fronts(deck)) == sorted([*GOOD_FRONTS, "Inner"])


@posix_only
@pytest.mark.parametrize("kind", ["folder", "file"])
def test_symlink_out_of_the_notes_folder_is_refused(notes: Notes, tmp_path: Path, kind: str) -> None:
    root = notes({"good.md": GOOD})
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "secret.md").write_text("# Secret\n\n## Password\nhunter2\n", encoding="utf-8")
    if kind == "folder":
        (root / "out").symlink_to(outside, target_is_directory=True)
    else:
        (root / "out.md").symlink_to(outside / "secret.md")
    result, deck = build(root)
    (line,) = warnings(result, "points outside the notes folder")
    assert "out" in line
    assert_good_built(deck)
    assert "hunter2" not in json.dumps(deck, ensure_ascii=False)


@posix_only
def test_an_image_found_by_name_through_a_link_out_is_refused(notes: Notes, tmp_path: Path) -> None:
    """``![[name.png]]`` is looked up anywhere under the root: a link found that way may lead out."""
    root = notes({"good.md": GOOD, "a.md": "# A\n\n## Picture\n![[leak.png]]\n"})
    (tmp_path / "secret.txt").write_text("TOP SECRET", encoding="utf-8")
    (root / "sub").mkdir()
    (root / "sub" / "leak.png").symlink_to(tmp_path / "secret.txt")
    result, deck = build(root)
    (line,) = warnings(result, "outside the notes folder")
    assert line.startswith("a.md:4:") and "leak.png" in line
    assert_good_built(deck)
    with zipfile.ZipFile("deck.apkg") as zf:
        assert not any(b"TOP SECRET" in zf.read(name) for name in zf.namelist())


@posix_only
def test_symlink_to_a_note_inside_is_read_once(notes: Notes) -> None:
    root = notes({"good.md": GOOD})
    (root / "alias.md").symlink_to(root / "good.md")
    result, deck = build(root)
    assert_good_built(deck)
    assert "duplicate" in result.output  # the same cards twice: reported, kept once
    assert len([f for f in fronts(deck) if f == "数据并行 Data Parallelism"]) == 1


@posix_only
def test_broken_symlink_is_a_warning(notes: Notes) -> None:
    root = notes({"good.md": GOOD})
    (root / "gone.md").symlink_to(root / "nowhere.md")
    result, deck = build(root)
    (line,) = warnings(result, "points to nothing")
    assert "gone.md" in line
    assert_good_built(deck)


# --- permission denied -------------------------------------------------------------------------


def test_unreadable_file_is_skipped_with_a_warning(notes: Notes, monkeypatch: pytest.MonkeyPatch) -> None:
    """The read itself fails as it does without permission (simulated: see the module docstring)."""
    root = notes({"good.md": GOOD, "secret.md": "# Secret\n\n## S\nbody\n"})
    real_open = os.open

    def fake_open(path: str | Path, flags: int, mode: int = 0o777, *, dir_fd: int | None = None) -> int:
        if str(path).endswith("secret.md"):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_open(path, flags, mode, dir_fd=dir_fd)

    monkeypatch.setattr(os, "open", fake_open)
    result, deck = build(root)
    (line,) = warnings(result, "permission denied")
    assert line.startswith("secret.md:") and "skipped" in line
    assert "Read 1 file (skipped 1)" in result.output
    assert_good_built(deck)


def test_unreadable_folder_is_skipped_with_a_warning(notes: Notes, monkeypatch: pytest.MonkeyPatch) -> None:
    root = notes({"good.md": GOOD, "locked/b.md": "# B\n\n## Hidden\ntext\n"})
    real_scandir = os.scandir

    def fake_scandir(path: str | Path | None = None) -> Iterator[os.DirEntry[str]]:
        if str(path).endswith("locked"):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", fake_scandir)
    result, deck = build(root)
    (line,) = warnings(result, "cannot read folder")
    assert "locked" in line and "permission denied" in line
    assert_good_built(deck)


def _without_root_powers() -> list[str] | None:
    """A command prefix under which file permissions apply (``[]`` if they already do)."""
    if os.name == "nt":
        return None
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        return None
    probe = subprocess.run([setpriv, "--bounding-set=-dac_override,-dac_read_search", "true"], capture_output=True)
    return [setpriv, "--bounding-set=-dac_override,-dac_read_search"] if probe.returncode == 0 else None


@pytest.mark.skipif(_without_root_powers() is None, reason="running as root without setpriv: cannot drop root's "
                    "right to read any file (the monkeypatched test above still runs)")
def test_really_unreadable_file_and_folder(notes: Notes, chdir: Path) -> None:
    root = notes({"good.md": GOOD, "secret.md": "# Secret\n\n## S\nbody\n", "locked/b.md": "# B\n\n## H\nx\n"})
    (root / "secret.md").chmod(0)
    (root / "locked").chmod(0)
    try:
        prefix = _without_root_powers() or []
        proc = subprocess.run([*prefix, sys.executable, "-m", "notes2anki", "build", str(root), "--out", "deck.apkg",
                               "--deck", "Files"], capture_output=True, text=True, timeout=120,
                              env={**os.environ, "NOTES2ANKI_CACHE_DIR": str(chdir / "cache")})
    finally:
        (root / "secret.md").chmod(0o644)
        (root / "locked").chmod(0o755)
    assert proc.returncode == 0, proc.stderr
    assert "secret.md: warning: cannot read file: permission denied; skipped" in proc.stderr
    assert "locked: warning: cannot read folder: permission denied; skipped" in proc.stderr
    assert_good_built(deck_notes(chdir / "deck.apkg"))


# --- names ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["with spaces.md", "大模型 推理 笔记.md", "ünïcödé — dash.md", "a%20b#c.md"])
def test_odd_but_printable_names_are_read(notes: Notes, name: str) -> None:
    root = notes({name: "## 调度 Scheduling\n把请求分批处理。\n", "good.md": GOOD})
    result, deck = build(root)
    assert "warning" not in result.output
    assert_good_built(deck)
    (record,) = [c for c in cards_json(root) if "调度" in str(c["front"])]
    assert record["source"] == f"{name}:1"


@posix_only
def test_a_newline_in_a_file_name_is_read_and_shown_escaped(notes: Notes) -> None:
    root = notes({"good.md": GOOD})
    (root / "new\nline.md").write_text("# Odd name\n\n## 调度 Scheduling\n把请求分批处理。\n", encoding="utf-8")
    (root / "bidi\u202egnp.md").write_text("## Trick\nright to left\n", encoding="utf-8")
    result, deck = build(root)
    assert "new\\nline.md: warning: file name contains a line break" in result.output
    assert "bidi\\u202egnp.md: warning:" in result.output
    assert not any(line.startswith("line.md") for line in result.output.splitlines())
    assert_good_built(deck)
    assert "调度 Scheduling" in fronts(deck)
    assert any(c["source"] == "new\\nline.md:3" for c in cards_json(root))


@posix_only
def test_a_very_long_file_name_is_read(notes: Notes) -> None:
    name = "很长的文件名" * 14 + ".md"  # 255 bytes in UTF-8, the usual limit
    assert len(name.encode()) <= 255
    root = notes({name: "## 调度 Scheduling\n把请求分批处理。\n", "good.md": GOOD})
    result, deck = build(root)
    assert "warning" not in result.output
    assert_good_built(deck)
    assert "调度 Scheduling" in fronts(deck)


# --- line ends, encodings, bytes -----------------------------------------------------------------

BODY = "# Title\n\n## First\none\n\n## Second\ntwo\n"


@pytest.mark.parametrize(("label", "raw"), [
    ("crlf", BODY.replace("\n", "\r\n").encode()),
    ("lone cr", BODY.replace("\n", "\r").encode()),
    ("mixed", b"# Title\r\n\r## First\none\n\r\n## Second\rtwo\r\n"),
    ("utf-8 bom", b"\xef\xbb\xbf" + BODY.encode()),
    ("utf-16 le", b"\xff\xfe" + BODY.replace("\n", "\r\n").encode("utf-16-le")),
    ("utf-16 be", b"\xfe\xff" + BODY.encode("utf-16-be")),
])
def test_line_ends_and_encodings_read_with_the_right_lines(notes: Notes, label: str, raw: bytes) -> None:
    root = notes({"note.md": raw, "good.md": GOOD})
    result, deck = build(root)
    assert "warning" not in result.output, label
    assert_good_built(deck)
    sources = {str(c["front"]): c["source"] for c in cards_json(root) if str(c["source"]).startswith("note.md")}
    assert sources == {"First": "note.md:3", "Second": "note.md:6"}, label
    tags = {t for fields, tags in deck if fields[0] in ("First", "Second") for t in tags}
    assert tags == {"notes2anki::Title::First", "notes2anki::Title::Second"}  # the BOM is not part of the title


def test_nul_bytes_are_replaced_with_a_warning_naming_the_line(notes: Notes) -> None:
    root = notes({"nul.md": b"# T\n\n## Data\nbefore\x00after\n", "good.md": GOOD})
    result, deck = build(root)
    (line,) = warnings(result, "NUL bytes")
    assert line.startswith("nul.md:4:")
    assert_good_built(deck)
    assert "Data" in fronts(deck)


def test_undecodable_and_binary_files_are_skipped_and_named(notes: Notes) -> None:
    root = notes({"latin1.md": "# Café\n".encode("latin-1"), "png.md": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
                  "good.md": GOOD})
    result, deck = build(root)
    assert warnings(result, "not valid UTF-8")[0].startswith("latin1.md:1:")
    assert warnings(result, "looks binary")[0].startswith("png.md:")
    assert "(skipped 2)" in result.output
    assert_good_built(deck)


# --- invisible spaces ----------------------------------------------------------------------------

SPACES = {"nbsp": "\u00a0", "ideographic": "\u3000", "zero-width": "\u200b", "bom inside": "\ufeff",
          "thin": "\u2009", "narrow nbsp": "\u202f"}


def test_invisible_spaces_in_headings_and_terms_make_valid_tags_in_real_anki(notes: Notes, tmp_path: Path) -> None:
    from anki_helpers import import_apkg, new_collection, notes_by_guid

    body = ("# {name}{s}笔记{s}Notes\n\n## 调度{s}Scheduling\n把请求分批处理。\n\n"
            "- **KV{s}Cache**：缓存 key 和 value。\n")
    root = notes({f"{name}.md": body.replace("{s}", ch).replace("{name}", name) for name, ch in SPACES.items()})
    result, deck = build(root)
    assert "warning" not in result.output
    assert len(deck) == 2 * len(SPACES)  # a section and a definition card per note
    col = new_collection(tmp_path / "anki")
    try:
        import_apkg(col, Path("deck.apkg"))
        imported = notes_by_guid(col)
    finally:
        col.close()
    assert len(imported) == 2 * len(SPACES)
    written = {tag for _, tags in deck for tag in tags}
    for note in imported.values():
        tags = note["tags"]
        assert isinstance(tags, list) and len(tags) == 1, tags  # Anki did not split it on a space
        assert tags[0] in written and not any(c.isspace() or c in "\u200b\ufeff" for c in tags[0]), tags


# --- things that are not notes -------------------------------------------------------------------


def test_a_folder_named_like_a_note_is_walked(notes: Notes) -> None:
    root = notes({"good.md": GOOD, "folder.md/inner.md": "## Inner\ntext\n"})
    result, deck = build(root)
    assert "warning" not in result.output
    assert_good_built(deck)
    assert "Inner" in fronts(deck)


def _subprocess_build(root: Path, cwd: Path, *notes_args: str) -> subprocess.CompletedProcess[str]:
    """A real build process: a test of something that could hang must not hang the test run."""
    return subprocess.run([sys.executable, "-m", "notes2anki", "build", *(notes_args or (str(root),)),
                           "--out", "deck.apkg", "--deck", "Files"], capture_output=True, text=True, timeout=60,
                          cwd=cwd, env={**os.environ, "NOTES2ANKI_CACHE_DIR": str(cwd / "cache")})


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes")
def test_a_named_pipe_called_md_is_skipped_without_hanging(notes: Notes, chdir: Path) -> None:
    root = notes({"good.md": GOOD})
    os.mkfifo(root / "pipe.md")
    proc = _subprocess_build(root, chdir)
    assert proc.returncode == 0, proc.stderr
    assert "pipe.md: warning: named pipe (FIFO), not a file; skipped" in proc.stderr
    assert_good_built(deck_notes(chdir / "deck.apkg"))
    proc = _subprocess_build(root, chdir, str(root / "pipe.md"), str(root / "good.md"))  # named on the command line
    assert proc.returncode == 0 and "pipe.md: warning: named pipe (FIFO), not a file; skipped" in proc.stderr


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes")
def test_an_image_that_is_a_named_pipe_does_not_hang_the_build(notes: Notes, chdir: Path) -> None:
    root = notes({"good.md": GOOD, "a.md": "# A\n\n## Picture\n![[pipe.png]] ![](pipe.png)\n"})
    os.mkfifo(root / "pipe.png")
    proc = _subprocess_build(root, chdir)
    assert proc.returncode == 0, proc.stderr
    assert "a.md:4: warning: image 'pipe.png' not found" in proc.stderr
    assert_good_built(deck_notes(chdir / "deck.apkg"))


@pytest.mark.skipif(not hasattr(socket, "AF_UNIX"), reason="unix sockets")
def test_a_socket_called_md_is_skipped(notes: Notes, chdir: Path) -> None:
    root = notes({"good.md": GOOD})
    server = socket.socket(socket.AF_UNIX)
    try:
        os.chdir(root)  # a socket path must be short: bind it by its relative name
        server.bind("sock.md")
        os.chdir(chdir)
        proc = _subprocess_build(root, chdir)
    finally:
        server.close()
    assert proc.returncode == 0, proc.stderr
    assert "sock.md: warning: socket, not a file; skipped" in proc.stderr
    assert_good_built(deck_notes(chdir / "deck.apkg"))


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")
def test_a_device_named_on_the_command_line_is_refused_not_read_forever(notes: Notes, chdir: Path) -> None:
    root = notes({"good.md": GOOD})
    proc = _subprocess_build(root, chdir, "/dev/zero", str(root / "good.md"))
    assert proc.returncode == 0, proc.stderr
    assert "zero: warning: device, not a file; skipped" in proc.stderr
    assert_good_built(deck_notes(chdir / "deck.apkg"))
