"""One user's week, through real Anki: build, review, edit the notes, rebuild, re-import.

Re-importing must update what changed, add what is new, never duplicate, keep
every review, leave the user's own edits in Anki alone and tag what was removed.
"""

from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path

from anki_helpers import import_apkg, new_collection, notes_by_guid
from notes2anki.config import Config, resolve
from notes2anki.pipeline import build
from notes2anki.reconcile import REMOVED_TAG

V1 = {
    "serving.md": """# LLM Serving
## KV Cache
Caches the keys and values of past tokens.
## Continuous batching
Requests join and leave the batch at every decode step.
## Prefill
Processes the whole prompt in one pass.
## Decode
Generates one token per step.
## Quantization
Stores weights in fewer bits.
""",
    "training.md": """# Training
## Data parallelism
Every GPU holds a full replica.
## ZeRO
Shards optimizer states across ranks.
""",
}

V2 = {
    # Two answers changed (KV Cache, Prefill); "Continuous batching" reworded a little with the same
    # answer; "Quantization" moved to training.md; "Decode" deleted; two new definitions added.
    "serving.md": """# LLM Serving
## KV Cache
Caches the keys and values of past tokens, per layer, in GPU memory.
## Continuous batching 连续批处理
Requests join and leave the batch at every decode step.
## Prefill
Processes the whole prompt in one pass; it is compute-bound.
## Glossary
- **PagedAttention**: stores the KV cache in fixed-size blocks, like virtual memory pages.
- **Speculative decoding**: a small draft model proposes tokens that the large model verifies.
""",
    "training.md": """# Training
## Data parallelism
Every GPU holds a full replica.
## ZeRO
Shards optimizer states across ranks.
## Quantization
Stores weights in fewer bits.
""",
}


def _write(root: Path, files: dict[str, str]) -> None:
    root.mkdir(exist_ok=True)
    for old in root.glob("*.md"):
        old.unlink()
    for name, text in files.items():
        (root / name).write_text(text, encoding="utf-8")


def _build(root: Path, tmp_path: Path, now: int):
    settings, _ = resolve(Config(), notes=[root], deck="Serving")
    settings = replace(settings, out_dir=tmp_path / "decks", ledger_dir=tmp_path / "cards")
    return build(settings, now=now)


def _guid_of(result, question: str) -> str:
    (card,) = [c for c in result.extraction.cards if c.question == question]
    return card.guid


def test_a_week_of_edits_keeps_every_review(tmp_path):
    root = tmp_path / "notes"
    t1 = int(time.time()) - 7 * 86400
    _write(root, V1)
    first = _build(root, tmp_path, t1)
    col = new_collection(tmp_path / "anki")
    try:
        log = import_apkg(col, first.output)
        assert log.new == len(first.extraction.cards) == 7

        # Review four cards through Anki's scheduler, so they carry review history.
        reviewed = {q: _guid_of(first, q) for q in ("KV Cache", "Continuous batching", "Quantization", "ZeRO")}
        before = notes_by_guid(col)
        for guid in reviewed.values():
            card = col.get_note(before[guid]["id"]).cards()[0]
            card.start_timer()
            col.sched.answerCard(card, 3)
        revlog = {g: col.db.scalar("select count() from revlog where cid in (select id from cards where nid=?)",
                                   before[g]["id"]) for g in reviewed.values()}
        assert all(n == 1 for n in revlog.values())

        # The user fixes a typo inside Anki on a card whose source will not change.
        zero = col.get_note(before[reviewed["ZeRO"]]["id"])
        zero["Back"] = zero["Back"] + "<p>(my own note)</p>"
        col.update_note(zero)

        _write(root, V2)
        second = _build(root, tmp_path, t1 + 3600)
        report = {(c.what, c.question) for c in second.plan.reconciliation.changes}
        assert ("updated", "KV Cache") in report and ("updated", "Prefill") in report
        assert ("renamed", "Continuous batching 连续批处理") in report
        assert ("moved", "Quantization") in report
        assert ("removed", "Decode") in report
        added = {q for what, q in report if what == "added"}
        assert len(added) >= 1

        log = import_apkg(col, second.output)
        after = notes_by_guid(col)

        # No duplicates: every note in Anki is one of this build's cards or a removed one.
        live = {c.guid for c in second.extraction.cards}
        assert set(after) == live | {e.id for e in second.plan.reconciliation.removed}
        assert col.note_count() == len(after)
        assert log.new == len(second.extraction.cards) - 6, "only the new cards were added"

        # Changed answers updated.
        assert "per layer" in after[reviewed["KV Cache"]]["fields"]["Back"]
        assert "compute-bound" in after[_guid_of(first, "Prefill")]["fields"]["Back"]

        # Reworded and moved cards kept their note, card and review history.
        for question in ("Continuous batching", "Quantization"):
            guid = reviewed[question]
            assert after[guid]["id"] == before[guid]["id"]
            assert col.db.scalar("select count() from revlog where cid in (select id from cards where nid=?)",
                                 after[guid]["id"]) == 1
        assert after[reviewed["Continuous batching"]]["fields"]["Front"] == "Continuous batching 连续批处理"
        assert after[reviewed["Quantization"]]["fields"]["Source"] == "training.md:6"

        # The removed card is tagged and marked; the user's edit survived (its source did not change).
        decode = after[_guid_of(first, "Decode")]
        assert REMOVED_TAG in decode["tags"] and "Removed from the notes" in decode["fields"]["Back"]
        assert col.find_notes(f"tag:{REMOVED_TAG}") == [decode["id"]]
        assert "(my own note)" in after[reviewed["ZeRO"]]["fields"]["Back"]

        # Nothing changed: the same package, byte for byte, and re-importing changes nothing.
        package = second.output.read_bytes()
        third = _build(root, tmp_path, t1 + 7200)
        assert third.plan.reconciliation.changes == ()
        assert third.output.read_bytes() == package
        log = import_apkg(col, third.output)
        assert (log.new, log.updated, log.conflicting) == (0, 0, 0)
        assert notes_by_guid(col) == after
    finally:
        col.close()


def test_two_decks_never_share_a_guid(tmp_path):
    root = tmp_path / "notes"
    _write(root, V1)
    a, _ = resolve(Config(), notes=[root], deck="A")
    b, _ = resolve(Config(), notes=[root], deck="B")
    ga = {c.guid for c in build(replace(a, out_dir=tmp_path, ledger_dir=tmp_path), now=1).extraction.cards}
    gb = {c.guid for c in build(replace(b, out_dir=tmp_path, ledger_dir=tmp_path), now=1).extraction.cards}
    assert ga and gb and not ga & gb
