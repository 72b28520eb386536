"""Score the definition and question extractors against the hand labels.

    python eval/score.py [--corpora PATH] [-v] [--only tune|held-out]

Runs the real pipeline over the corpora (``corpus`` in ``eval/labels.yaml``,
relative to the repository root, or ``--corpora``), keeps the ``definition``
and ``question`` cards of the labelled files, and matches them to the labels
as ``eval/LABELLING.md`` describes: by ``(path, line, kind)`` with
multiplicity, then within ±1 line for what is left; predictions on a
``maybe`` or outside a file's ``line_range`` count neither way. Prints
precision and recall per kind (all files, the tuning files and the held-out
third), per-file figures, and with ``-v`` every false positive and miss.

The held-out third is fixed by a hash of each path, not chosen by hand: tune
on the rest, and read the held-out figures as the honest ones. Without the
corpora the script says so and exits 0; it is not part of the test suite.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from notes2anki.config import Config, resolve
from notes2anki.pipeline import extract_cards
from notes2anki.render import html_to_text

ROOT = Path(__file__).resolve().parent.parent
KINDS = ("definition", "question")
TOLERANCE = 1


@dataclass(frozen=True)
class Item:
    path: str
    line: int
    kind: str
    text: str


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    cards: int = 0
    found: int = 0
    ignored: int = 0
    false_positives: list[Item] = field(default_factory=list)
    misses: list[Item] = field(default_factory=list)

    def add(self, other: Score) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.cards += other.cards
        self.found += other.found
        self.ignored += other.ignored
        self.false_positives += other.false_positives
        self.misses += other.misses

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.found / self.cards if self.cards else 1.0

    def row(self) -> str:
        return (f"P {self.precision:5.3f} ({self.tp}/{self.tp + self.fp})   "
                f"R {self.recall:5.3f} ({self.found}/{self.cards})   maybes/outside {self.ignored}")


def held_out(path: str) -> bool:
    """The fixed held-out third: a hash of the path, so nobody picks it."""
    return int(hashlib.sha1(path.encode("utf-8")).hexdigest(), 16) % 3 == 0


def _take(pool: Counter[tuple[int, str]], line: int, kind: str, tolerance: int) -> bool:
    for delta in (0, *(d for t in range(1, tolerance + 1) for d in (-t, t))):
        key = (line + delta, kind)
        if pool[key] > 0:
            pool[key] -= 1
            return True
    return False


def score_file(entry: dict[str, object], predictions: Sequence[Item], kind: str) -> Score:
    """Match one file's predictions of one kind against its labels."""
    path = str(entry["path"])
    cards = [c for c in entry.get("cards") or [] if c["kind"] == kind]  # type: ignore[attr-defined]
    maybes = [m for m in entry.get("maybes") or [] if m["kind"] == kind]  # type: ignore[attr-defined]
    first, last = entry.get("line_range") or (1, 10**9)  # type: ignore[misc]
    preds = [p for p in predictions if p.kind == kind]
    score = Score(cards=len(cards))
    inside = [p for p in preds if first <= p.line <= last]
    score.ignored += len(preds) - len(inside)
    pool: Counter[tuple[int, str]] = Counter((c["line"], kind) for c in cards)
    maybe_lines = {m["line"] for m in maybes}
    unmatched: list[Item] = []
    # Exact lines first, so a neighbour never steals another prediction's label.
    for pred in inside:
        if not _take(pool, pred.line, kind, 0):
            unmatched.append(pred)
    for pred in unmatched:
        if _take(pool, pred.line, kind, TOLERANCE):
            score.tp += 1
        elif any(abs(pred.line - line) <= TOLERANCE for line in maybe_lines):
            score.ignored += 1
        else:
            score.fp += 1
            score.false_positives.append(pred)
    score.tp += len(inside) - len(unmatched)
    score.found = len(cards) - sum(pool.values())
    for card in cards:
        key = (card["line"], kind)
        if pool[key] > 0:
            pool[key] -= 1
            score.misses.append(Item(path, card["line"], kind, card.get("term") or card.get("question") or ""))
    return score


def predict(corpora: Path, paths: Iterable[str]) -> dict[str, list[Item]]:
    """Definition and question cards the real pipeline makes for each labelled file."""
    wanted = set(paths)
    settings, _ = resolve(Config(), notes=[corpora], deck="eval")
    extraction = extract_cards(settings)
    found: dict[str, list[Item]] = defaultdict(list)
    for card in extraction.cards:
        if card.path in wanted and card.kind in KINDS:
            found[card.path].append(Item(card.path, card.line, card.kind, html_to_text(card.front)))
    return found


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--labels", type=Path, default=ROOT / "eval" / "labels.yaml")
    parser.add_argument("--corpora", type=Path, help="folder holding the labelled notes")
    parser.add_argument("-v", "--verbose", action="store_true", help="list false positives and misses")
    parser.add_argument("--only", choices=("tune", "held-out"), help="with -v, list only this part")
    args = parser.parse_args(argv)

    labels = yaml.safe_load(args.labels.read_text(encoding="utf-8"))
    corpora = args.corpora or (ROOT / labels["corpus"])
    if not corpora.is_dir():
        print(f"corpora not found at {corpora}: nothing to score (pass --corpora PATH)")
        return 0
    files = labels["files"]
    predictions = predict(corpora, [f["path"] for f in files])

    totals = {part: {kind: Score() for kind in KINDS} for part in ("all", "tune", "held-out")}
    print(f"{'file':<78} {'part':<8} {'def P/R':>16} {'q P/R':>16}")
    for entry in files:
        path = entry["path"]
        part = "held-out" if held_out(path) else "tune"
        cells = []
        for kind in KINDS:
            score = score_file(entry, predictions.get(path, []), kind)
            totals["all"][kind].add(score)
            totals[part][kind].add(score)
            cells.append(f"{score.tp}/{score.tp + score.fp} {score.found}/{score.cards}")
        print(f"{path[-78:]:<78} {part:<8} {cells[0]:>16} {cells[1]:>16}")
    print()
    for part, by_kind in totals.items():
        for kind in KINDS:
            print(f"{part:<9} {kind:<11} {by_kind[kind].row()}")
    if args.verbose:
        parts = [args.only] if args.only else ["tune", "held-out"]
        for part in parts:
            for kind in KINDS:
                score = totals[part][kind]
                print(f"\n== {part} {kind}: false positives ({len(score.false_positives)})")
                for item in score.false_positives:
                    print(f"  {item.path}:{item.line}  {item.text[:100]}")
                print(f"== {part} {kind}: misses ({len(score.misses)})")
                for item in score.misses:
                    print(f"  {item.path}:{item.line}  {item.text}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
