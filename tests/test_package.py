"""Writing the .apkg: deterministic bytes, atomic replacement, frozen note types."""

from __future__ import annotations

import zipfile

import pytest

from notes2anki import notetypes
from notes2anki.cards import Card
from notes2anki.errors import OutputError
from notes2anki.package import write_package


def _card(i: int, **kw) -> Card:
    base = dict(kind="section", guid=f"g{i:015d}", question=f"Q{i}", answer=f"A{i}", front=f"Q{i}",
                back=f"<p>A{i}</p>", context=("T",), path="a.md", line=i, tags=("notes2anki::T",))
    base.update(kw)
    return Card(**base)


def test_same_cards_same_bytes(tmp_path):
    cards = [_card(i) for i in range(5)]
    write_package(cards, "D", tmp_path / "a.apkg", default_mtime=1_800_000_000)
    write_package(cards, "D", tmp_path / "b.apkg", default_mtime=1_800_000_000)
    assert (tmp_path / "a.apkg").read_bytes() == (tmp_path / "b.apkg").read_bytes()


def test_package_is_a_zip_with_collection_and_media(tmp_path):
    write_package([_card(1)], "D", tmp_path / "d.apkg", default_mtime=1_800_000_000)
    with zipfile.ZipFile(tmp_path / "d.apkg") as zf:
        assert sorted(zf.namelist()) == ["collection.anki2", "media"]


def test_failed_write_leaves_the_previous_deck(tmp_path, monkeypatch):
    out = tmp_path / "d.apkg"
    write_package([_card(1)], "D", out, default_mtime=1_800_000_000)
    before = out.read_bytes()

    def boom(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("notes2anki.package.os.replace", boom)
    with pytest.raises(OutputError) as info:
        write_package([_card(1), _card(2)], "D", out, default_mtime=1_800_000_001)
    assert "no space left" in info.value.diagnostics[0].message.lower()
    assert out.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["d.apkg"], "no temporary file left behind"


def test_unwritable_output_is_an_output_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(OutputError):
        write_package([_card(1)], "D", blocker / "d.apkg", default_mtime=1)


def test_note_type_fields_are_frozen():
    # Anki refuses to update notes whose note type gained or lost a field: never change these.
    assert notetypes.BASIC.fields == ("Front", "Back", "Context", "Source", "Extra", "Kind", "Reverse")
    assert notetypes.CLOZE.fields == ("Text", "Back", "Context", "Source", "Extra", "Kind")
    assert (notetypes.BASIC_ID, notetypes.CLOZE_ID) == (1_738_405_231, 1_738_405_232)


def test_template_changes_come_with_a_later_mtime():
    digests = [d for d, _ in notetypes.RELEASES]
    times = [t for _, t in notetypes.RELEASES]
    assert notetypes.template_digest() == digests[-1], (
        "templates or CSS changed: append (template_digest(), a later time) to notetypes.RELEASES")
    assert times == sorted(set(times)), "release times must strictly increase"
