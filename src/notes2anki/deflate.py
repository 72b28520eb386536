"""Deflating a big file in independent chunks, so an unchanged chunk is never compressed twice.

A package's collection is tens of MB, and a one-note edit changes a few of its
pages. Each :data:`CHUNK` of the file is deflated on its own (a fresh
compressor, ended on a byte boundary with a full flush) and the chunks are
joined with an empty final block: one valid deflate stream, as pigz makes,
about 2% bigger than deflating the file whole. A chunk's
compressed bytes are kept by the hash of its content, so the next build
compresses only the chunks that differ; chunks are compressed in threads (zlib
releases the GIL), so a first build uses every core.
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import zlib
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import BinaryIO

from .atomic import write_cache_file

CHUNK = 1 << 18
"""Bytes per independently deflated chunk: small enough that an edit recompresses little, big enough
that restarting the compressor costs little (~2% in size)."""
LEVEL = 1
"""Deflate level: 1 compresses card text nearly as well as 6 (HTML is repetitive) at several times the speed."""
END = b"\x03\x00"
"""An empty final deflate block: ends a stream of full-flushed chunks."""


def deflate_chunk(data: bytes) -> bytes:
    """``data`` as deflate blocks that need nothing before them and end on a byte boundary."""
    compressor = zlib.compressobj(LEVEL, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush(zlib.Z_FULL_FLUSH)


class ChunkStore:
    """Compressed chunks by the hash of their content; kept in one file between builds (a cache)."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.old: dict[bytes, bytes] = {}
        self.used: dict[bytes, bytes] = {}
        self.compressed = 0
        """How many chunks this store's user had to compress (the rest came from the last build)."""
        if path is not None:
            with contextlib.suppress(OSError, EOFError, ValueError, TypeError):
                data = marshal.loads(path.read_bytes())
                if isinstance(data, dict):
                    self.old = data

    def chunks(self, src: BinaryIO, threads: int = 2) -> Iterator[tuple[bytes, bytes]]:
        """``(raw, deflated)`` for each chunk of ``src``, in order; misses are compressed in threads."""
        window: deque[tuple[bytes, bytes, bytes | Future[bytes]]] = deque()
        with ThreadPoolExecutor(max(1, threads)) as pool:
            while True:
                raw = src.read(CHUNK)
                if raw:
                    key = hashlib.sha1(raw, usedforsecurity=False).digest()
                    hit = self.old.get(key) or self.used.get(key)
                    window.append((raw, key, hit if hit is not None else pool.submit(deflate_chunk, raw)))
                while window and (not raw or len(window) > 2 * threads):
                    head, key, done = window.popleft()
                    if isinstance(done, Future):
                        done = done.result()
                        self.compressed += 1
                    self.used[key] = done
                    yield head, done
                if not raw:
                    return

    def save(self) -> None:
        """Keep the chunks this build used (and only those); a failure just means more compressing next time."""
        if self.path is not None:
            write_cache_file(self.path, marshal.dumps(self.used))


class Precompressed:
    """Stands in for a zip member's compressor: hands out deflate bytes already made by :class:`ChunkStore`.

    :mod:`zipfile` computes the member's CRC and size from the raw bytes written
    to it and asks its compressor for the bytes to store; this one returns the
    deflated chunk set before each write, and the end block on flush.
    """

    def __init__(self) -> None:
        self.next = b""

    def compress(self, data: bytes) -> bytes:
        out, self.next = self.next, b""
        return out

    def flush(self) -> bytes:
        return END
