"""Finding the Markdown files to read, and reading them safely.

A NOTES argument is a file, a folder (walked recursively) or, in the config
file, a glob. Each file found keeps the root it came from, because a card's
``source`` is shown relative to that root and the folders between the root and
the file become part of the card's topic trail.

Reading never raises for a user's file: undecodable, binary, empty or
unreadable files become diagnostics and are skipped, so one bad file never
stops the rest of the deck.
"""

from __future__ import annotations

import codecs
import hashlib
import os
import re
import stat
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .diagnostics import Diagnostic, warning

MARKDOWN_SUFFIXES = (".md", ".markdown")
SKIPPED_DIR_NAMES = frozenset({"node_modules", "__pycache__"})
_GLOB_CHARS = re.compile(r"[*?\[]")


@dataclass(frozen=True)
class FileRef:
    """A Markdown file found on disk, not yet read."""

    path: Path
    """Absolute path."""
    rel: str
    """POSIX path relative to the root it was found under (what ``source`` shows)."""
    folders: tuple[str, ...]
    """Folder names between the root and the file: they add to the topic trail."""


@dataclass(frozen=True)
class SourceFile:
    """A note's text, decoded and with line ends normalised to ``\\n``."""

    ref: FileRef
    text: str
    digest: str
    """SHA-256 of the raw bytes: content identity for caches."""

    @property
    def rel(self) -> str:
        return self.ref.rel


def is_glob(pattern: str) -> bool:
    """True if ``pattern`` uses glob syntax rather than naming a path."""
    return bool(_GLOB_CHARS.search(pattern))


@lru_cache(maxsize=256)
def _glob_regex(pattern: str, below: bool = True) -> re.Pattern[str]:
    """Translate a ``**``-aware glob to a regex over POSIX relative paths.

    With ``below``, a path also matches if a folder above it does (as excludes mean it).
    """
    out: list[str] = []
    i = 0
    while i < len(pattern):
        c = pattern[i]
        close = pattern.find("]", i + 2) if c == "[" else -1
        if close != -1 and "/" not in pattern[i:close]:
            inner = pattern[i + 1 : close].replace("\\", "\\\\")  # a class, as fnmatch reads one
            if inner.startswith("!"):
                inner = "^/" + inner[1:]
            elif inner.startswith("^"):
                inner = "\\" + inner
            out.append(f"[{inner}]")
            i = close + 1
        elif pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif pattern.startswith("**", i):
            out.append(".*")
            i += 2
        elif c == "*":
            out.append("[^/]*")
            i += 1
        elif c == "?":
            out.append("[^/]")
            i += 1
        else:
            out.append(re.escape(c))
            i += 1
    tail = r"(?:/.*)?\Z" if below else r"\Z"
    try:
        return re.compile("".join(out) + tail)
    except re.error:  # a class such as [z-a]: match the pattern as written
        return re.compile(re.escape(pattern) + tail)


def matches_any(rel: str, patterns: Sequence[str]) -> bool:
    """Whether ``rel`` (or a folder above it) matches one of the exclude globs.

    A pattern without a slash matches a name at any depth, as in ``.gitignore``.
    """
    for pattern in patterns:
        pat = pattern.strip("/")
        if "/" not in pat:
            pat = "**/" + pat
        if _glob_regex(pat).match(rel):
            return True
    return False


def _skipped_dir(name: str) -> bool:
    return name.startswith(".") or name in SKIPPED_DIR_NAMES


def _is_markdown(name: str) -> bool:
    return name.lower().endswith(MARKDOWN_SUFFIXES)


def _walk(root: Path, excludes: Sequence[str], diags: list[Diagnostic],
          depth: int | None = None) -> Iterator[FileRef]:
    """Yield Markdown files under ``root`` in a stable (sorted) order, at most ``depth`` folders down.

    Symlinked folders are followed once (loops are cut), but never out of the
    root: notes elsewhere on disk are not this deck's notes.
    """
    real_root = root.resolve()
    seen: set[Path] = {real_root}
    stack: list[tuple[Path, tuple[str, ...]]] = [(root, ())]
    while stack:
        folder, parts = stack.pop()
        try:
            with os.scandir(folder) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError as exc:
            diags.append(warning(_display(folder), None, f"cannot read folder: {_reason(exc)}; skipped",
                                 "check its permissions", "unreadable-folder"))
            continue
        subfolders: list[tuple[Path, tuple[str, ...]]] = []
        for entry in entries:
            rel = "/".join((*parts, entry.name))
            try:
                is_dir = entry.is_dir()
                is_link = entry.is_symlink()
            except OSError:
                continue
            if is_dir:
                if _skipped_dir(entry.name) or matches_any(rel, excludes):
                    continue
                if is_link:
                    target = Path(entry.path).resolve()
                    if target in seen:
                        diags.append(warning(_display(Path(entry.path)), None,
                                             "symbolic link loops back to a folder already read; skipped",
                                             code="symlink-loop"))
                        continue
                    if not target.is_relative_to(real_root):
                        diags.append(warning(_display(Path(entry.path)), None,
                                             "symbolic link points outside the notes folder; skipped",
                                             "name the target folder as a NOTES argument if you want it",
                                             "symlink-outside"))
                        continue
                    seen.add(target)
                if depth is None or len(parts) + 1 < depth:
                    subfolders.append((Path(entry.path), (*parts, entry.name)))
            elif _is_markdown(entry.name) and not matches_any(rel, excludes):
                if is_link and not Path(entry.path).resolve().is_relative_to(real_root):
                    diags.append(warning(_display(Path(entry.path)), None,
                                         "symbolic link points outside the notes folder; skipped",
                                         "name the target file as a NOTES argument if you want it",
                                         "symlink-outside"))
                    continue
                problem = _not_a_file(entry, is_link)
                if problem:
                    diags.append(warning(_display(Path(entry.path)), None, problem,
                                         "remove it or exclude it from the notes", "not-a-file"))
                    continue
                yield _ref(Path(entry.path), rel, parts, diags)
        stack.extend(reversed(subfolders))


def _not_a_file(entry: os.DirEntry[str], is_link: bool) -> str:
    """Why a Markdown-named entry is not a file to read (``""`` if it is one).

    A named pipe would block the build forever and a device would never end,
    so only regular files are read.
    """
    try:
        if entry.is_file():
            return ""
        mode = entry.stat().st_mode
    except OSError:
        return "symbolic link points to nothing; skipped" if is_link else "cannot inspect file; skipped"
    return f"{_file_kind(mode)}, not a file; skipped"


def _file_kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "named pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "device"
    return "special file"


_UNSEEN_CATEGORIES = frozenset({"Cc", "Zl", "Zp"})
_BIDI_CONTROLS = frozenset("\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def printable(name: str) -> str:
    """``name`` with line breaks, control and text-direction characters written as escapes (``a\\nb.md``).

    File names may contain any of them; printed raw they would split a
    ``path:line:`` message in two or reorder the text around them.
    """
    if name.isprintable() and not any(c in _BIDI_CONTROLS for c in name):
        return name
    return "".join(c.encode("unicode_escape").decode("ascii")
                   if unicodedata.category(c) in _UNSEEN_CATEGORIES or c in _BIDI_CONTROLS else c for c in name)


def _ref(path: Path, rel: str, folders: tuple[str, ...], diags: list[Diagnostic]) -> FileRef:
    """A file reference whose ``rel`` is safe to print, with a warning if the name had to be escaped."""
    shown = printable(rel)
    if shown != rel:
        diags.append(warning(shown, None, "file name contains a line break or another control character; "
                             "read anyway, shown escaped as here", "rename the file", "file-name-control"))
    return FileRef(path, shown, folders)


def discover(
    paths: Iterable[Path], excludes: Sequence[str] = (), globs: Iterable[tuple[Path, str]] = ()
) -> tuple[list[FileRef], list[Diagnostic]]:
    """Expand NOTES (files, folders) and config globs into a de-duplicated file list.

    ``globs`` are ``(base folder, pattern)`` pairs; a glob's root is its longest
    literal folder prefix, so ``notes/**/*.md`` shows sources relative to
    ``notes/``. The root is walked like a NOTES folder (symbolic link loops cut,
    links out refused, pipes skipped, all with warnings) and the rest of the
    pattern picks files from it; ``*`` and ``**`` never match hidden names.
    Paths that do not exist are the caller's to report: here they yield nothing.
    """
    diags: list[Diagnostic] = []
    found: list[FileRef] = []
    seen: set[Path] = set()

    paths, globs = list(paths), list(globs)
    many = len(paths) + len(globs) > 1

    def add(ref: FileRef) -> None:
        # One root cannot list a file twice (symlinked folders are cut); only several roots can overlap.
        key = ref.path.resolve() if many else ref.path
        if key not in seen:
            seen.add(key)
            found.append(ref)

    for path in paths:
        if path.is_dir():
            for ref in _walk(path, excludes, diags):
                add(ref)
        elif path.exists():
            add(_ref(path.absolute(), path.name, (), diags))
    for base, pattern in globs:
        literal = []
        for part in Path(pattern).parts:
            if is_glob(part):
                break
            literal.append(part)
        root = (base / Path(*literal)) if literal else base
        rest = "/".join(Path(pattern).parts[len(literal) :])
        if not root.is_dir() or not rest:
            continue
        wanted = _glob_regex(rest, below=False)
        depth = None if "**" in rest else rest.count("/") + 1
        for ref in _walk(root, excludes, diags, depth):
            name = ref.path.name
            if not name.startswith(".") and wanted.match("/".join((*ref.folders, name))):
                add(ref)
    return found, diags


def read(ref: FileRef) -> tuple[SourceFile | None, list[Diagnostic]]:
    """Read and decode one note; ``None`` with a warning if it cannot be used."""
    where = ref.rel
    try:
        raw = _read_bytes(ref.path)
    except _NotAFile as exc:
        return None, [warning(where, None, f"{exc}, not a file; skipped", "remove it or exclude it from the notes",
                              "not-a-file")]
    except OSError as exc:
        return None, [warning(where, None, f"cannot read file: {_reason(exc)}; skipped",
                              "check that the file exists and is readable", "unreadable-file")]
    except MemoryError:
        return None, [warning(where, None, "file is too large to read into memory; skipped",
                              "split it into smaller notes", "file-too-large")]
    text, problem = decode(raw)
    if text is None:
        return None, [warning(where, problem[0], problem[1], problem[2], "undecodable-file")]
    diags: list[Diagnostic] = []
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        diags.append(warning(where, line, "file contains NUL bytes; they were replaced with U+FFFD",
                             "remove them or check the file is really Markdown", "nul-bytes"))
        text = text.replace("\x00", "\ufffd")
    if not text.strip():
        diags.append(warning(where, None, "file is empty; no cards made from it",
                             "add notes to it or exclude it", "empty-file"))
        return None, diags
    return SourceFile(ref, text, hashlib.sha256(raw).hexdigest()), diags


class _NotAFile(Exception):
    """A path that is not a regular file (its kind is the message)."""


def _read_bytes(path: Path) -> bytes:
    """The bytes of a regular file; a pipe, socket or device raises :class:`_NotAFile` instead of blocking.

    The file is opened non-blocking and checked on the open descriptor, so a
    FIFO swapped in after the walk cannot hang the build either.
    """
    mode = os.stat(path).st_mode
    if not stat.S_ISREG(mode):
        raise _NotAFile(_file_kind(mode))
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    with os.fdopen(fd, "rb") as fh:
        mode = os.fstat(fh.fileno()).st_mode
        if not stat.S_ISREG(mode):
            raise _NotAFile(_file_kind(mode))
        return fh.read()


def decode(raw: bytes) -> tuple[str | None, tuple[int | None, str, str]]:
    """Decode a note's bytes: UTF-8 (BOM optional) or UTF-16 with a BOM.

    Returns ``(text, _)`` with line ends normalised, or ``(None, (line, message,
    hint))`` describing why the bytes are not a text file we can read.
    """
    ok: tuple[int | None, str, str] = (None, "", "")
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return normalise_newlines(raw.decode("utf-16")), ok
        except UnicodeDecodeError:
            return None, (None, "file starts with a UTF-16 mark but is not valid UTF-16; skipped",
                          "re-save it as UTF-8")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if b"\x00" in raw[:8192]:
            return None, (None, "file looks binary, not Markdown; skipped",
                          "rename it or exclude it from the notes")
        line = raw.count(b"\n", 0, exc.start) + 1
        return None, (line, f"file is not valid UTF-8 (byte 0x{raw[exc.start]:02x}); skipped",
                      "re-save it as UTF-8")
    return normalise_newlines(text), ok


def normalise_newlines(text: str) -> str:
    """CRLF and lone CR become LF, so line numbers mean the same everywhere."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def _reason(exc: OSError) -> str:
    return (exc.strerror or str(exc)).lower()


def _display(path: Path) -> str:
    try:
        return printable(os.path.relpath(path))
    except ValueError:
        return printable(str(path))
