"""Golden files: the cards extracted from the bundled example notes.

Regenerate after an intended change with ``pytest tests/test_golden.py --update-golden``
and review the diff: it is exactly what users' decks will gain or lose.
"""

from __future__ import annotations

import json
from pathlib import Path

from notes2anki.cli.cards import card_record
from notes2anki.config import Config, resolve
from notes2anki.pipeline import extract_cards

GOLDEN = Path(__file__).parent / "golden" / "examples.json"


def test_example_cards_match_the_golden_file(update_golden):
    settings, _ = resolve(Config())
    extraction = extract_cards(settings)
    records = [card_record(c) for c in extraction.cards]
    text = json.dumps(records, ensure_ascii=False, indent=2) + "\n"
    if update_golden:
        GOLDEN.write_text(text, encoding="utf-8")
    assert extraction.diagnostics == ()
    assert json.loads(GOLDEN.read_text(encoding="utf-8")) == records
