#!/usr/bin/env python3
"""Compare notes2anki.diagrams with Mermaid 12.3.0 itself (dev-only; needs Node).

    cd tools/mermaid-oracle && npm install          # once
    /work/venv/bin/python tools/mermaid-oracle/compare.py                 # corpora + fixtures
    /work/venv/bin/python tools/mermaid-oracle/compare.py --generated 3000 --seed 1
    /work/venv/bin/python tools/mermaid-oracle/compare.py --regenerate-fixtures

Sources: every ```mermaid block of the Markdown files under --corpora (default
../shared/corpora, read-only real notes), every case of tests/diagrams/fixtures/*.json,
and optionally --generated N flowcharts from generate.py and --mutated N randomly edited
fixture sources (all kinds). Each goes through oracle.mjs
(Mermaid under jsdom) and through our parser. Reported: diagrams found, accepted and
rejected by each side, agreement on acceptance, and precision/recall of (source label,
target label, edge label) triples where both accept (flowchart edges, state
transitions, sequence messages, mindmap parent->child). Exit status 1 when acceptance
agreement or a precision/recall figure falls below the thresholds, or when Mermaid
accepts a corpus diagram we reject.

--regenerate-fixtures rewrites each fixture's "expected" from the oracle (review the diff).

Labels: Mermaid stores label text raw (entity placeholders, DOMPurify'd HTML); ours are
display text. `mermaid_display` below is the ONE place Mermaid's text is normalised.
"""

from __future__ import annotations

import argparse
import html
import json
import re
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(REPO / "tests" / "diagrams"))

from diagram_views import our_view  # noqa: E402  (the same view the fixture tests compare)

from notes2anki.diagrams import parse  # noqa: E402

FIXTURES = REPO / "tests" / "diagrams" / "fixtures"
OUR_KINDS = {"flowchart-v2": "flowchart", "flowchart-elk": "flowchart", "sequence": "sequence",
             "stateDiagram": "state", "mindmap": "mindmap"}  # fmt: skip


# --- the one place Mermaid's stored label text becomes display text --------------------------

_BR = re.compile(r"<\/?br\s*\/?>", re.IGNORECASE)
_TAG = re.compile(r"<[A-Za-z/!?][^<>]*>")
_EMPHASIS = (
    re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*"),
    re.compile(r"__(?=\S)(.+?)(?<=\S)__"),
    re.compile(r"\*(?=\S)(.+?)(?<=\S)\*"),
    re.compile(r"(?<![A-Za-z0-9])_(?=\S)(.+?)(?<=\S)_(?![A-Za-z0-9])"),
)


def mermaid_display(text: Any, label_type: str | None = "text") -> str:
    """Mermaid's stored label -> what the rendered diagram shows.

    Entity placeholders (``ﬂ°name¶ß`` from ``#name;``) back to entities; for markdown
    labels, emphasis markers dropped and lines dedented; <br> variants -> newline; other
    tags dropped; HTML entities decoded (DOMPurify escaped & < >); spaces collapsed and
    lines trimmed.
    """
    t = "" if text is None else str(text)
    t = t.replace("\ufb02\u00b0\u00b0", "&#").replace("\ufb02\u00b0", "&").replace("\u00b6\u00df", ";")
    if label_type == "markdown":
        for pattern in _EMPHASIS:
            t = pattern.sub(r"\1", t)
        t = "\n".join(line.strip() for line in t.split("\n"))
    t = _BR.sub("\n", t)
    t = _TAG.sub("", t)
    t = html.unescape(t)
    t = "\n".join(re.sub(r"[^\S\n]+", " ", line).strip() for line in t.split("\n"))
    return t.strip()


# --- views: the same normalised shape from both sides -----------------------------------------


def mermaid_view(result: dict[str, Any]) -> dict[str, Any]:
    """The oracle's result as a comparable, JSON-ready view."""
    if not result.get("ok"):
        return {"accepted": False}
    kind = OUR_KINDS.get(result.get("type") or "")
    if kind is None:  # a kind we do not read (gantt, pie, ...): only acceptance is compared
        return {"accepted": True, "kind": None}
    view: dict[str, Any] = {"accepted": True, "kind": kind}
    if kind == "flowchart":
        subs = {s["id"]: s for s in result["subgraphs"]}
        verts = {v["id"]: v for v in result["vertices"]}

        def label(i: str) -> str:
            if i in subs:
                return mermaid_display(subs[i]["title"])
            v = verts.get(i)
            return mermaid_display(v["text"], v["labelType"]) if v else i

        known = set(verts) | set(subs)
        view["direction"] = result["direction"]
        view["nodes"] = [
            [v["id"], mermaid_display(v["text"], v["labelType"]), v["type"] or ""]
            for v in result["vertices"]
            if v["id"] not in subs
        ]
        view["edges"] = [
            [label(e["start"]), label(e["end"]), mermaid_display(e["text"], e["labelType"]),
             e["type"], e["stroke"]]
            for e in result["edges"]
        ]  # fmt: skip
        view["subgraphs"] = [
            [s["id"], mermaid_display(s["title"]), sorted(n for n in s["nodes"] if n in known)]
            for s in result["subgraphs"]
        ]
    elif kind == "sequence":
        names = {a["id"]: mermaid_display(a["description"]) for a in result["actors"]}
        view["nodes"] = [[a["id"], names[a["id"]], a["type"]] for a in result["actors"]]
        view["edges"] = [
            [names.get(m["from"], m["from"]), names.get(m["to"], m["to"]), mermaid_display(m["message"])]
            for m in result["messages"]
            if m["from"] and m["to"] and m["type"] in _SEQUENCE_MESSAGE_TYPES
        ]
    elif kind == "state":
        desc = {s["id"]: s for s in result["states"]}

        def state_label(i: str) -> str:
            s = desc.get(i)
            if s is None:
                return i
            if s["type"] in ("start", "end"):
                return "[*]"
            return mermaid_display(s["descriptions"][0]) if s["descriptions"] else i

        # `[*]` ids inside concurrent regions are random in Mermaid: compare those by label only.
        view["nodes"] = [
            [s["id"] if state_label(s["id"]) != "[*]" else "[*]", state_label(s["id"])]
            for s in result["states"]
            if s["type"] != "divider"
        ]
        view["edges"] = [
            [state_label(r["from"]), state_label(r["to"]), mermaid_display(r["description"])]
            for r in result["relations"]
        ]
    elif kind == "mindmap":
        by_id = {n["id"]: n for n in result["nodes"]}
        # A mindmap node does not record whether its text was a markdown string; Mermaid
        # renders those as markdown, so markers are dropped here for every node.
        view["nodes"] = [[mermaid_display(n["descr"], "markdown"), n["depth"]] for n in result["nodes"]]
        view["edges"] = [
            [mermaid_display(by_id[n["parent"]]["descr"], "markdown"), mermaid_display(n["descr"], "markdown"), ""]
            for n in result["nodes"]
            if n["parent"] is not None
        ]
    return view


# Message line types that are arrows (not notes, loops, activations...).
_SEQUENCE_MESSAGE_TYPES = {0, 1, 3, 4, 5, 6, 24, 25, 33, 34, *range(41, 62)}


# --- sources --------------------------------------------------------------------------------

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})\s*mermaid\b")


def markdown_diagrams(root: Path) -> list[dict[str, Any]]:
    """Every ```mermaid block under ``root``: {"where", "line", "source"}."""
    found = []
    for path in sorted(root.rglob("*.md")):
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
        i = 0
        while i < len(lines):
            m = _FENCE.match(lines[i])
            if m:
                fence = m.group(1)
                j = i + 1
                while j < len(lines) and not lines[j].lstrip().startswith(fence):
                    j += 1
                rel = path.relative_to(root)
                found.append({"where": f"{rel}:{i + 1}", "line": i + 2, "source": "\n".join(lines[i + 1 : j])})
                i = j
            i += 1
    return found


def fixture_cases() -> list[tuple[Path, list[dict[str, Any]]]]:
    return [(p, json.loads(p.read_text(encoding="utf-8"))) for p in sorted(FIXTURES.glob("*.json"))]


def run_oracle(sources: list[str]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for start in range(0, len(sources), 500):
        batch = sources[start : start + 500]
        proc = subprocess.run(
            ["node", str(HERE / "oracle.mjs")],
            input=json.dumps(batch),
            capture_output=True,
            text=True,
            cwd=HERE,
            check=True,
        )
        out.extend(json.loads(proc.stdout))
    return out


def run_ours(source: str, line: int = 1) -> dict[str, Any]:
    return our_view(parse(source, path="x", line=line))


# --- comparison -----------------------------------------------------------------------------


class Tally:
    def __init__(self, name: str) -> None:
        self.name = name
        self.found = 0
        self.m_acc = self.o_acc = self.agree = 0
        self.unsupported = 0
        self.unsupported_rejected = 0
        self.matched = self.ours_total = self.theirs_total = 0
        self.node_match = self.node_total = 0
        self.disagreements: list[str] = []
        self.m_accepts_we_reject = 0

    def add(self, where: str, source: str, mine: dict[str, Any], theirs: dict[str, Any], error: str = "") -> None:
        self.found += 1
        self.m_acc += theirs["accepted"]
        self.o_acc += mine["accepted"]
        if mine == {"accepted": True, "kind": None} and not theirs["accepted"]:
            self.unsupported_rejected += 1  # a kind we do not read: we cannot tell it is broken
            return
        if theirs["accepted"] and theirs.get("kind") is None:
            self.unsupported += 1
            if mine != theirs:
                self.disagreements.append(f"{where}: a kind we do not read, but we say {mine}\n{_indent(source)}")
            return
        if theirs["accepted"] == mine["accepted"]:
            self.agree += 1
        else:
            if theirs["accepted"]:
                self.m_accepts_we_reject += 1
            side = "Mermaid accepts, we reject" if theirs["accepted"] else f"Mermaid rejects ({error[:120]}), we accept"
            self.disagreements.append(f"{where}: {side}\n{_indent(source)}")
            return
        if not theirs["accepted"]:
            return
        ours_e = Counter(tuple(e[:3]) for e in mine.get("edges", []))
        theirs_e = Counter(tuple(e[:3]) for e in theirs.get("edges", []))
        matched = sum((ours_e & theirs_e).values())
        self.matched += matched
        self.ours_total += sum(ours_e.values())
        self.theirs_total += sum(theirs_e.values())
        ours_n = Counter(tuple(n) for n in mine.get("nodes", []))
        theirs_n = Counter(tuple(n) for n in theirs.get("nodes", []))
        self.node_match += sum((ours_n & theirs_n).values())
        self.node_total += max(sum(ours_n.values()), sum(theirs_n.values()))
        if ours_e != theirs_e or ours_n != theirs_n:
            lines = [f"{where}: parses differ"]
            for e in sorted((ours_e - theirs_e).elements()):
                lines.append(f"  only ours:    edge {e}")
            for e in sorted((theirs_e - ours_e).elements()):
                lines.append(f"  only Mermaid: edge {e}")
            for n in sorted((ours_n - theirs_n).elements()):
                lines.append(f"  only ours:    node {n}")
            for n in sorted((theirs_n - ours_n).elements()):
                lines.append(f"  only Mermaid: node {n}")
            self.disagreements.append("\n".join(lines) + "\n" + _indent(source))

    def precision(self) -> float:
        return self.matched / self.ours_total if self.ours_total else 1.0

    def recall(self) -> float:
        return self.matched / self.theirs_total if self.theirs_total else 1.0

    def agreement(self) -> float:
        compared = self.found - self.unsupported - self.unsupported_rejected
        return self.agree / compared if compared else 1.0

    def report(self, show: int) -> str:
        lines = [
            f"== {self.name}",
            f"diagrams found: {self.found}  (kinds we do not read: {self.unsupported} accepted by Mermaid,"
            f" {self.unsupported_rejected} rejected by it; left out of the agreement)",
            f"Mermaid: {self.m_acc} accepted, {self.found - self.m_acc} rejected;"
            f" ours: {self.o_acc} accepted, {self.found - self.o_acc} rejected",
            f"acceptance agreement: {self.agree}/{self.found - self.unsupported - self.unsupported_rejected}"
            f" = {self.agreement():.4f}"
            f"  (Mermaid accepts, we reject: {self.m_accepts_we_reject})",
            f"edge triples: ours {self.ours_total}, Mermaid {self.theirs_total}, matched {self.matched};"
            f" precision {self.precision():.4f}, recall {self.recall():.4f}",
            f"node (id, label, shape) agreement: {self.node_match}/{self.node_total}",
        ]
        if self.disagreements:
            lines.append(f"disagreements ({len(self.disagreements)}, first {show}):")
            lines.extend(self.disagreements[:show])
        return "\n".join(lines)


def _indent(text: str, limit: int = 1200) -> str:
    body = text if len(text) <= limit else text[:limit] + "\n..."
    return "\n".join("    | " + line for line in body.split("\n"))


def compare(name: str, items: list[dict[str, Any]]) -> Tally:
    tally = Tally(name)
    oracle = run_oracle([it["source"] for it in items])
    for it, theirs_raw in zip(items, oracle, strict=True):
        theirs = mermaid_view(theirs_raw)
        mine = run_ours(it["source"], it.get("line", 1))
        tally.add(it["where"], it["source"], mine, theirs, theirs_raw.get("error", ""))
    return tally


def regenerate_fixtures() -> None:
    for path, cases in fixture_cases():
        oracle = run_oracle([c["source"] for c in cases])
        for case, raw in zip(cases, oracle, strict=True):
            case["expected"] = mermaid_view(raw)
            if not raw.get("ok"):
                case["mermaid_error"] = raw.get("error", "").split("\n")[0][:200]
            else:
                case.pop("mermaid_error", None)
        path.write_text(json.dumps(cases, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        print(f"rewrote {path.relative_to(REPO)} ({len(cases)} cases)")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpora", type=Path, default=REPO.parent / "shared" / "corpora")
    ap.add_argument("--generated", type=int, default=0, help="also compare N generated flowcharts")
    ap.add_argument("--mutated", type=int, default=0, help="also compare N randomly edited fixture sources")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--show", type=int, default=15, help="disagreements to print per set")
    ap.add_argument("--min-agreement", type=float, default=1.0)
    ap.add_argument("--min-generated-agreement", type=float, default=0.99)
    ap.add_argument("--min-precision", type=float, default=0.995)
    ap.add_argument("--min-recall", type=float, default=0.995)
    ap.add_argument("--regenerate-fixtures", action="store_true")
    args = ap.parse_args()

    if args.regenerate_fixtures:
        regenerate_fixtures()
        return 0

    ok = True
    sets: list[tuple[Tally, float]] = []
    if args.corpora.is_dir():
        items = markdown_diagrams(args.corpora)
        started = time.perf_counter()
        for it in items:
            parse(it["source"], path=it["where"], line=it["line"])
        elapsed = time.perf_counter() - started
        tally = compare(f"corpora ({args.corpora})", items)
        print(tally.report(args.show))
        print(f"our parse time for the corpora's {len(items)} diagrams: {elapsed * 1000:.1f} ms")
        ok &= tally.m_accepts_we_reject == 0
        sets.append((tally, args.min_agreement))
    fixture_items = [
        {"where": f"{path.name}:{case['name']}", "source": case["source"]}
        for path, cases in fixture_cases()
        for case in cases
    ]
    if fixture_items:
        tally = compare("fixtures", fixture_items)
        print(tally.report(args.show))
        sets.append((tally, args.min_agreement))
    if args.generated:
        from generate import generate_flowcharts

        items = [
            {"where": f"generated#{i} (seed {args.seed})", "source": src}
            for i, src in enumerate(generate_flowcharts(args.generated, args.seed))
        ]
        tally = compare(f"generated ({args.generated}, seed {args.seed})", items)
        print(tally.report(args.show))
        sets.append((tally, args.min_generated_agreement))
    if args.mutated:
        from generate import mutate_sources

        sources = [case["source"] for _, cases in fixture_cases() for case in cases]
        items = [
            {"where": f"mutated#{i} (seed {args.seed})", "source": src}
            for i, src in enumerate(mutate_sources(sources, args.mutated, args.seed))
        ]
        tally = compare(f"mutated fixtures ({args.mutated}, seed {args.seed})", items)
        print(tally.report(args.show))
        sets.append((tally, args.min_generated_agreement))
    for tally, min_agreement in sets:
        if tally.agreement() < min_agreement:
            ok = False
        if tally.precision() < args.min_precision or tally.recall() < args.min_recall:
            ok = False
    print("OK" if ok else "FAILED: agreement below the thresholds")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
