"""Answers from the user: one keypress on a terminal, one line otherwise.

On a terminal the quiz reads single keys in cbreak mode (no Enter needed, no
echo; output and Ctrl-C keep working), restoring the terminal on the way out
whatever happens. Without a terminal (a pipe, a script, a test) it reads one
line per answer, so ``printf '3\\n1\\nq\\n' | notes2anki quiz`` works.

Keys come back as short names: ``"enter"``, ``"space"``, ``"ctrl-c"``,
``"esc"``, a character (``"3"``, ``"q"``), or for a line, its text stripped and
lower-cased (an empty line is ``"enter"``). End of input raises ``EOFError``.
"""

from __future__ import annotations

import os
import select
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Protocol, TextIO

_NAMES = {"\r": "enter", "\n": "enter", " ": "space", "\x03": "ctrl-c", "\x1b": "esc", "\x7f": "backspace"}


class Keys(Protocol):
    line_mode: bool
    """True when answers are whole lines (not a terminal)."""

    def read(self, timeout: float | None = None) -> str | None:
        """The next key or line; ``None`` if ``timeout`` seconds pass first (keypress mode only)."""
        ...


class LineKeys:
    """One answer per line from a text stream."""

    line_mode = True

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def read(self, timeout: float | None = None) -> str | None:
        line = self.stream.readline()
        if not line:
            raise EOFError
        text = line.strip().lower()
        return text or "enter"


class TtyKeys:
    """Single keypresses from a terminal file descriptor in cbreak mode (POSIX)."""

    line_mode = False

    def __init__(self, fd: int) -> None:
        self.fd = fd

    def read(self, timeout: float | None = None) -> str | None:
        ready, _, _ = select.select([self.fd], [], [], timeout)
        if not ready:
            return None
        data = os.read(self.fd, 1)
        if not data:
            raise EOFError
        if data == b"\x1b" or data[0] >= 0x80:
            data += self._drain()  # an escape sequence (arrow keys) or the rest of a UTF-8 character
        if data == b"\x04":
            raise EOFError
        text = data.decode("utf-8", errors="replace")
        if text.startswith("\x1b") and len(text) > 1:
            return "esc-seq"
        return _NAMES.get(text, text.lower())

    def _drain(self) -> bytes:
        more = b""
        while select.select([self.fd], [], [], 0.02)[0]:
            chunk = os.read(self.fd, 8)
            if not chunk:
                break
            more += chunk
        return more


class WindowsKeys:
    """Single keypresses from the Windows console."""

    line_mode = False

    def read(self, timeout: float | None = None) -> str | None:  # pragma: no cover - Windows only
        import msvcrt
        import time

        deadline = None if timeout is None else time.monotonic() + timeout
        while not msvcrt.kbhit():  # type: ignore[attr-defined,unused-ignore]
            if deadline is not None and time.monotonic() >= deadline:
                return None
            time.sleep(0.02)
        ch = msvcrt.getwch()  # type: ignore[attr-defined,unused-ignore]
        if ch in ("\x00", "\xe0"):
            msvcrt.getwch()  # type: ignore[attr-defined,unused-ignore]
            return "esc-seq"
        if ch in ("\x1a", "\x04"):
            raise EOFError
        return _NAMES.get(ch, str(ch).lower())


@contextmanager
def open_keys(stream: TextIO) -> Iterator[Keys]:
    """Keypresses if ``stream`` is a terminal, else lines; the terminal is restored on exit."""
    if not stream.isatty():
        yield LineKeys(stream)
        return
    if sys.platform == "win32":  # pragma: no cover
        yield WindowsKeys()
        return
    import termios
    import tty

    fd = stream.fileno()
    saved = termios.tcgetattr(fd)
    try:
        tty.setcbreak(fd)
        yield TtyKeys(fd)
    finally:
        termios.tcsetattr(fd, termios.TCSADRAIN, saved)
