"""Local images in notes, packed into the deck under collision-free names.

Anki keeps every deck's media in one flat folder, so two notes' ``image.png``
would overwrite each other there. Each file is therefore packed as
``n2a-<first 16 hex digits of its SHA-256><extension, lower-cased>``: the same
picture referenced from two notes is packed once, and two different pictures
never share a name. Cards refer to that name, which is what Anki resolves
against its media folder.

A reference resolves relative to the note's folder, then to the notes root (as
``/x.png`` does in most Markdown tools), then — for a bare file name, as
Obsidian writes ``![[x.png]]`` — to a file of that name anywhere under the
root. Remote images (``http``/``https``) stay links. A file that is missing,
unreadable, or outside the notes root (``../secret.png``, a symbolic link out)
is never packed: the reference is dropped and a warning names ``path:line``.

A note remembers the references whose outcome could change while the note
does not (:class:`Lookups`): those that failed (a picture may have appeared
since), and those found past the first place looked in (a picture may have
appeared in an earlier place). A later build asks again without reading the
note.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple
from urllib.parse import unquote, urlsplit

from .diagnostics import Diagnostic, warning

REMOTE_SCHEMES = frozenset({"http", "https"})
_INDEX_LIMIT = 50_000
"""Files looked at, at most, when searching the notes folder for a bare file name."""
_SKIPPED_DIRS = frozenset({"node_modules", "__pycache__"})


def media_name(path: Path) -> str:
    """The name ``path`` is packed under: content hash plus lower-cased extension."""
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    suffix = path.suffix.lower()
    if not (1 < len(suffix) <= 10 and suffix[1:].isascii() and suffix[1:].isalnum()):
        suffix = ""
    return f"n2a-{h.hexdigest()[:16]}{suffix}"


def root_of(path: Path, folders: tuple[str, ...]) -> Path:
    """The notes root a file was found under: its folder, minus the ``folders`` below the root."""
    root = path.absolute().parent
    for _ in folders:
        root = root.parent
    return root


@dataclass
class Shared:
    """What the notes of one build share when resolving images: each root's real path and its index of
    bare names (one walk of the tree per build, not one per note)."""

    real_roots: dict[Path, Path] = field(default_factory=dict)
    indexes: dict[Path, dict[str, Path]] = field(default_factory=dict)

    def real_root(self, root: Path) -> Path:
        real = self.real_roots.get(root)
        if real is None:
            real = self.real_roots[root] = root.resolve()
        return real

    def index(self, root: Path) -> dict[str, Path]:
        found = self.indexes.get(root)
        if found is None:
            found = self.indexes[root] = _index(root)
        return found


_this_build = Shared()


def this_build() -> Shared:
    """What the build this process is extracting for shares (see :func:`new_build`)."""
    return _this_build


def new_build() -> None:
    """Forget what the last build saw: files may have come and gone since (called before each round of
    extraction, before worker processes start, so they start afresh too)."""
    global _this_build
    _this_build = Shared()


class Lookups(NamedTuple):
    """A note's image references whose outcome could change while the note does not, and each outcome."""

    folder: str
    root: str
    outcomes: tuple[tuple[str, str, str], ...]
    """(``src`` as written, the file it led to or "", the warning's message or ""), in the order met."""

    def same(self, shared: Shared) -> bool:
        """Whether every reference still has the same outcome (nothing is reported or packed)."""
        collector = MediaCollector(Path(self.folder), Path(self.root), "", shared=shared, dry=True)
        for src, *outcome in self.outcomes:
            collector.resolve(src, None)
            if collector.outcomes.get(src) != tuple(outcome):
                return False
        return True


@dataclass
class MediaCollector:
    """The media of one note: resolves image references and remembers what to pack."""

    folder: Path
    """The note's folder: relative references start here."""
    root: Path
    """The notes root: nothing outside it is packed."""
    note: str
    """The note as diagnostics name it (relative path)."""
    files: dict[str, Path] = field(default_factory=dict)
    """Packed name → absolute path of every file resolved so far."""
    diagnostics: list[Diagnostic] = field(default_factory=list)
    outcomes: dict[str, tuple[str, str]] = field(default_factory=dict)
    """``src`` → (the file it led to or "", the warning's message or "") for each reference whose outcome
    could change while the note does not: those left out, and those found past the first place looked in."""
    shared: Shared = field(default_factory=Shared, repr=False)
    """What it shares with the other collectors of the same build (by default, nothing)."""
    dry: bool = field(default=False, repr=False)
    """Only find files, never read them (to ask again where a reference leads)."""
    _names: dict[Path, str] = field(default_factory=dict, repr=False)
    _warned: set[tuple[str, int | None]] = field(default_factory=set, repr=False)

    def resolve(self, src: str, line: int | None) -> str | None:
        """The ``src`` a card should use for ``src`` as written in the note at ``line``.

        A remote URL is returned unchanged, a local file its packed name (and it
        is added to :attr:`files`), anything else ``None`` with a warning.
        """
        src = src.strip()
        if not src or src in self.files:
            return src or None
        if src.startswith("//"):
            return "https:" + src
        parts = urlsplit(src)
        if len(parts.scheme) > 1:  # one letter is a Windows drive, not a scheme
            if parts.scheme.lower() in REMOTE_SCHEMES:
                return src
            return self._warn(src, line, f"image '{_short(src)}' is not a local file or an http(s) URL; left out",
                              "use a path relative to the note, or an https:// link", "image-unsupported")
        written = unquote(parts.path) or unquote(src)
        root = self.shared.real_root(self.root)
        primary, *others = self._candidates(written, src)
        resolved = primary.resolve()
        if not resolved.is_relative_to(root):
            return self._warn(src, line, f"image '{_short(src)}' is outside the notes folder; not packed",
                              "move it into the notes folder", "image-outside")
        if resolved.is_file():
            # An absolute path's first place depends on what exists: it is asked again too.
            return self._pack(resolved, src, line, later=Path(written).is_absolute())
        for other in others:
            if not os.path.isfile(other):  # (a file or a link to one): what is not there need not be resolved
                continue
            resolved = other.resolve()
            if resolved.is_relative_to(root) and resolved.is_file():
                return self._pack(resolved, src, line, later=True)
        found = self._by_name(written)
        if found is not None:
            # The index holds names, not targets: a link found by name may lead out, or to a pipe.
            resolved = found.resolve()
            if not resolved.is_relative_to(root):
                return self._warn(src, line, f"image '{_short(src)}' is outside the notes folder; not packed",
                                  "move it into the notes folder", "image-outside")
            if resolved.is_file():
                return self._pack(resolved, src, line, later=True)
        return self._warn(src, line, f"image '{_short(src)}' not found",
                          "check the path; it is relative to the note's folder", "image-missing")

    def _candidates(self, written: str, raw: str) -> list[Path]:
        """Where ``src`` may be, most likely first: the note's folder, then the root.

        ``raw`` (percent-escapes kept) is tried after ``written`` for files whose
        names really contain ``%``.
        """
        out: list[Path] = []
        for text in dict.fromkeys((written, raw)):
            path = Path(text)
            if path.is_absolute():
                out.append(path if path.exists() else self.root / text.lstrip("/"))
            else:
                out.append(self.folder / path)
                out.append(self.root / path)
        return out

    def _by_name(self, written: str) -> Path | None:
        """A file named ``written`` anywhere under the root (Obsidian resolves bare names so)."""
        if "/" in written or "\\" in written or written in ("", ".", ".."):
            return None
        return self.shared.index(self.root).get(written)

    def _pack(self, path: Path, src: str, line: int | None, later: bool) -> str | None:
        """``later``: found past the first place looked in, so a file may come to stand in its way."""
        if self.dry:
            self.outcomes.setdefault(src, (str(path), ""))
            return str(path)
        name = self._names.get(path)
        if name is None:
            try:
                name = media_name(path)
            except OSError as exc:
                return self._warn(src, line, f"image '{_short(src)}' cannot be read: "
                                  f"{(exc.strerror or str(exc)).lower()}; left out",
                                  "check the file's permissions", "image-unreadable")
            self._names[path] = name
            self.files[name] = path
        if later:
            self.outcomes.setdefault(src, (str(path), ""))
        return name

    def _warn(self, src: str, line: int | None, message: str, hint: str, code: str) -> str | None:
        """Report ``src`` (once per place) and drop it: always ``None``."""
        self.outcomes.setdefault(src, ("", message))
        if (src, line) not in self._warned:
            self._warned.add((src, line))
            self.diagnostics.append(warning(self.note, line, message, hint, code))
        return None

    def lookups(self) -> Lookups | None:
        """What a later build needs to ask whether this note's images would still resolve as they did."""
        if not self.outcomes:
            return None
        return Lookups(str(self.folder), str(self.root), tuple((src, *out) for src, out in self.outcomes.items()))


def _index(root: Path) -> dict[str, Path]:
    """File name → first path (in sorted walk order) under ``root``; hidden folders skipped."""
    index: dict[str, Path] = {}
    real_root = root.resolve()
    seen = 0
    for folder, dirs, names in os.walk(real_root):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in _SKIPPED_DIRS)
        for name in sorted(names):
            index.setdefault(name, Path(folder) / name)
            seen += 1
        if seen > _INDEX_LIMIT:
            break
    return index


def _short(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
