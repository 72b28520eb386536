"""Local images: resolved, refused or reported, packed under content-hash names, read back by Anki."""

from __future__ import annotations

import hashlib
import json
import os
import re
import zipfile
from pathlib import Path

import pytest

from anki_helpers import import_apkg, new_collection, notes_by_guid
from notes2anki.config import Config, resolve
from notes2anki.media import MediaCollector, media_name
from notes2anki.pipeline import build

NAME = re.compile(r"^n2a-[0-9a-f]{16}\.png$")


def _png(marker: str) -> bytes:
    return b"\x89PNG\r\n\x1a\n" + marker.encode()


NOTE = """\
# T
## Images
![a](img/a.png)
![spaces](<my pic.png>)
![upper](UP.PNG)
![[obs.png|120]]
![remote](https://example.com/r.png)
![missing](nope.png)
![out](../../outside.png)
<img src="img/a.png" width="10" onerror="alert(1)">
![root](/shared/s.png)
"""


@pytest.fixture
def image_notes(tmp_path, notes):
    root = notes({
        "topic/n.md": NOTE,
        "topic/img/a.png": _png("a"),
        "topic/my pic.png": _png("spaces"),
        "topic/UP.PNG": _png("upper"),
        "attachments/obs.png": _png("obsidian"),
        "shared/s.png": _png("shared"),
        "other.md": "# O\n## Again\n![same](topic/img/a.png)\n",
    })
    (tmp_path / "outside.png").write_bytes(_png("outside"))
    return root


def _build(tmp_path: Path, root: Path):
    settings, _ = resolve(Config(), notes=[root], deck="Images", out_dir=tmp_path / "decks")
    return build(settings, now=1_800_000_000)


def test_images_are_packed_under_hash_names_and_problems_are_warnings(tmp_path, image_notes):
    result = _build(tmp_path, image_notes)
    cards = {c.question: c for c in result.extraction.cards}
    card = cards["Images"]
    names = dict(card.media)
    assert len(names) == 5 and all(NAME.match(n) for n in names)
    expected = {image_notes / "topic/img/a.png", image_notes / "topic/my pic.png", image_notes / "topic/UP.PNG",
                image_notes / "attachments/obs.png", image_notes / "shared/s.png"}
    assert {Path(p).resolve() for p in names.values()} == {p.resolve() for p in expected}
    for name, path in names.items():
        assert name == f"n2a-{hashlib.sha256(Path(path).read_bytes()).hexdigest()[:16]}.png"
        assert f'src="{name}"' in card.back
    assert 'src="https://example.com/r.png"' in card.back
    assert 'width="120"' in card.back
    assert "nope.png" not in card.back and "outside" not in card.back and "onerror" not in card.back
    # The same picture from another note is the same media file.
    assert dict(cards["Again"].media).keys() <= names.keys()

    diags = {(d.code, d.where()) for d in result.extraction.diagnostics}
    assert diags == {("image-missing", "topic/n.md:8"), ("image-outside", "topic/n.md:9")}


def test_the_package_holds_the_media_anki_reads(tmp_path, image_notes):
    result = _build(tmp_path, image_notes)
    card = next(c for c in result.extraction.cards if c.question == "Images")
    with zipfile.ZipFile(result.output) as zf:
        index = json.loads(zf.read("media"))
        packed = {name: zf.read(number) for number, name in index.items()}
    assert set(packed) == {n for c in result.extraction.cards for n, _ in c.media}
    for name, path in card.media:
        assert packed[name] == Path(path).read_bytes()
    assert not any(b"outside" in data for data in packed.values())


def test_anki_imports_the_media_and_the_cards_refer_to_it(tmp_path, image_notes):
    result = _build(tmp_path, image_notes)
    card = next(c for c in result.extraction.cards if c.question == "Images")
    col = new_collection(tmp_path / "anki")
    try:
        import_apkg(col, result.output)
        media_dir = Path(col.media.dir())
        note = notes_by_guid(col)[card.guid]
        answer = col.get_note(note["id"]).cards()[0].answer()
        referenced = re.findall(r'<img[^>]*\bsrc="([^"]+)"', answer)
        local = [src for src in referenced if not src.startswith("http")]
        assert sorted(set(local)) == sorted(n for n, _ in card.media)
        for name, path in card.media:
            assert (media_dir / name).read_bytes() == Path(path).read_bytes()
        assert not col.media.check().missing
    finally:
        col.close()


# -- the resolver on its own ------------------------------------------------------------------


@pytest.fixture
def collector(tmp_path):
    root = tmp_path / "notes"
    (root / "sub").mkdir(parents=True)
    (root / "sub" / "x.png").write_bytes(_png("x"))
    return MediaCollector(root / "sub", root, "sub/n.md")


def test_remote_images_stay_links(collector):
    assert collector.resolve("https://example.com/a.png", 3) == "https://example.com/a.png"
    assert collector.resolve("http://example.com/a.png", 3) == "http://example.com/a.png"
    assert collector.resolve("//cdn.example.com/a.png", 3) == "https://cdn.example.com/a.png"
    assert collector.files == {} and collector.diagnostics == []


def test_resolving_is_stable_and_idempotent(collector):
    name = collector.resolve("x.png", 1)
    assert name is not None and NAME.match(name)
    assert collector.resolve("./x.png", 2) == name
    assert collector.resolve(name, 3) == name  # a packed name passes through
    assert list(collector.files) == [name]


def test_other_schemes_and_absolute_paths_outside_are_refused(collector, tmp_path):
    secret = tmp_path / "secret.png"
    secret.write_bytes(_png("secret"))
    assert collector.resolve("file:///etc/passwd", 4) is None
    assert collector.resolve(str(secret), 5) is None
    assert collector.resolve("../../secret.png", 6) is None
    codes = [(d.code, d.line) for d in collector.diagnostics]
    assert codes == [("image-unsupported", 4), ("image-outside", 5), ("image-outside", 6)]
    assert collector.files == {}


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symbolic links")
def test_a_symbolic_link_out_of_the_notes_is_refused(collector, tmp_path):
    secret = tmp_path / "secret.png"
    secret.write_bytes(_png("secret"))
    (collector.folder / "link.png").symlink_to(secret)
    assert collector.resolve("link.png", 7) is None
    assert [d.code for d in collector.diagnostics] == ["image-outside"]


def test_a_missing_image_is_reported_once_per_place(collector):
    for _ in range(3):
        assert collector.resolve("gone.png", 2) is None
    collector.resolve("gone.png", 9)
    assert [d.format() for d in collector.diagnostics] == [
        "sub/n.md:2: warning: image 'gone.png' not found (check the path; it is relative to the note's folder)",
        "sub/n.md:9: warning: image 'gone.png' not found (check the path; it is relative to the note's folder)",
    ]


def test_media_names_lower_case_the_extension_and_drop_odd_ones(tmp_path):
    a = tmp_path / "A.JPEG"
    a.write_bytes(b"1")
    b = tmp_path / "b.we ird"
    b.write_bytes(b"1")
    assert media_name(a).endswith(".jpeg")
    assert media_name(b) == media_name(a)[: -len(".jpeg")]


def test_missing_images_are_reported_at_their_own_line(tmp_path, notes):
    root = notes({"n.md": (
        "# T\n"                       # 1
        "## H\n"                      # 2
        "<div>\n"                     # 3
        "<p>x</p>\n"                  # 4
        "<img src='gone1.png'>\n"     # 5
        "</div>\n"                    # 6
        "\n"                          # 7
        "| a |\n"                     # 8
        "|---|\n"                     # 9
        "| ![](gone2.png) |\n"        # 10
        "\n"                          # 11
        "- item\n"                    # 12
        "  text ![](gone3.png)\n"     # 13
    )})
    settings, _ = resolve(Config(), notes=[root], deck="Lines", out_dir=tmp_path / "decks")
    result = build(settings, now=1_800_000_000)
    found = sorted((d.line, d.message) for d in result.extraction.diagnostics if d.code == "image-missing")
    assert found == [(5, "image 'gone1.png' not found"), (10, "image 'gone2.png' not found"),
                     (13, "image 'gone3.png' not found")]
