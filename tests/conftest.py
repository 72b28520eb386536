"""Shared fixtures: example notes, a CLI runner, and real Anki collections."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from notes2anki.config import EXAMPLES_DIR


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true",
                     help="rewrite golden files from the current output instead of comparing")


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden")) or os.environ.get("NOTES2ANKI_UPDATE_GOLDEN") == "1"


@pytest.fixture
def examples() -> Path:
    return EXAMPLES_DIR


@pytest.fixture
def notes(tmp_path: Path) -> Any:
    """Write notes into a temporary folder: ``notes({"a.md": "..."})`` returns the folder."""

    def write(files: dict[str, str | bytes], folder: str = "notes") -> Path:
        root = tmp_path / folder
        for name, content in files.items():
            path = root / name
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, encoding="utf-8")
        root.mkdir(parents=True, exist_ok=True)
        return root

    return write


@pytest.fixture(autouse=True)
def _own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test gets an empty extraction cache of its own, never the user's."""
    monkeypatch.setenv("NOTES2ANKI_CACHE_DIR", str(tmp_path / ".cache"))


@pytest.fixture(autouse=True)
def chdir(tmp_path: Path) -> Iterator[Path]:
    """Every test runs inside an empty temporary folder, so nothing is written into the checkout
    (decks/ and cards/ default to the current folder)."""
    old = Path.cwd()
    os.chdir(tmp_path)
    try:
        yield tmp_path
    finally:
        os.chdir(old)
