#!/usr/bin/env python3
"""Seeded random flowcharts for comparing our parser with Mermaid's (dev-only).

    /work/venv/bin/python tools/mermaid-oracle/generate.py 5 --seed 3   # print five

Each diagram mixes what real notes and Mermaid's grammar offer: every link type and
length, both link-text forms (with quotes, parentheses, CJK, entities, <br/>), chains
and `&` groups, every node shape and `@{ shape }` data, markdown strings, nested
subgraphs with titles and directions, comments, styles, classes, linkStyle, click,
`;` separators, front matter and directives, and a share of deliberate mistakes
(unbalanced brackets, bad arrows, `end` as an id, parentheses in unquoted labels, a
comment after a statement, out-of-range linkStyle). Same seed, same diagrams.
``mutate_sources`` makes random edits of given sources (any kind).
"""

from __future__ import annotations

import argparse
import random

HEADERS = ["flowchart TD", "flowchart LR", "graph TD", "graph LR", "graph BT", "flowchart RL",
           "flowchart TB", "graph", "flowchart", "graph TD;", "flowchart-elk TD", "graph  LR  ",
           "flowchart >", "graph v"]  # fmt: skip
IDS = ["A", "B", "C", "D", "E", "node1", "n_2", "TensorRT-LLM", "Llama.cpp", "vLLM", "x1", "o1",
       "模型", "节点A", "Qwen3", "ab-cd", "S1", "API", "db", "x", "o", "v", "default", "endpoint",
       "Start", "1", "42a", "a.b", "Kernel_2", "GPU侧", "Ωmega", "data/in", "Foo$Bar", "q?"]  # fmt: skip
BAD_IDS = ["end", "graph", "style", "class", "a=b", "A B", "x-->y", "click", "subgraph"]
WORDS = ["Hello", "world", "GPU", "kernel", "load data", "Step 1", "推理框架", "高性能计算", "模型权重",
         "a, b", "x: y", "50%", "C++", "e.g. x86", "v1.2", "Q4_K_M", "→ next", "a & b", "it's",
         "Prefill 阶段", "top-8 routing", "#quot;quoted#quot;", "#9829; love", "&amp; more",
         "line1<br/>line2", "a<br>b", "α β", "tab\tsep", "x / y", "1 + 1", "under_score",
         "dash - dash", "dot . dot", "pipe-free", "semi"]  # fmt: skip
PUNCT_WORDS = ["(parens)", "f(x)", "a [b] c", "{brace}", "x|y", 'say "hi"', "a (b (c)) d", "PTX(Virtual)",
               "[*]", "a = b", "x -- y", "~~~", "end"]  # fmt: skip
SHAPES = [("[", "]"), ("(", ")"), ("([", "])"), ("[[", "]]"), ("[(", ")]"), ("((", "))"), (">", "]"),
          ("{", "}"), ("{{", "}}"), ("[/", "/]"), ("[\\", "\\]"), ("[/", "\\]"), ("[\\", "/]"),
          ("(((", ")))"), ("(-", "-)")]  # fmt: skip
LINKS = ["-->", "---", "-.->", "-.-", "==>", "===", "--o", "--x", "o--o", "x--x", "<-->", "<-.->",
         "<==>", "~~~", "---->", "-...->", "====>", "----", "-..-", "==o", "==x", "o==o", "x-.-x",
         "--->", "-.-.->"]  # fmt: skip
BAD_LINKS = ["->", "- ->", "=>", "<-", "-- >", "-.>", "~~", "==", "--"]
OPEN_TEXT = [("--", "-->"), ("--", "---"), ("-.", ".->"), ("-.", ".-"), ("==", "==>"), ("==", "==="),
             ("--", "--x"), ("--", "--o"), ("<--", "-->"), ("<-.", ".->"), ("<==", "==>"),
             ("--", "---->"), ("x--", "--x"), ("o--", "--o")]  # fmt: skip
# Statements that poke at corners of the grammar ({a}, {b}: ids in use).
TRICKY = [
    "{a}\n--> {b}", "{a} -->\n{b}", "{a}-->{b}", "{a}--x{b}", "{a} --ox {b}", "{a}---{b}",
    "{a} -- fix box --> {b}", "{a} -- a-b --> {b}", "{a} -- x --x {b}", "{a} -- o --o {b}",
    "{a} -. a.b .-> {b}", "{a} == a=b ==> {b}", "{a} -- text", "{a} -- \"q\" more --> {b}",
    "{a} -->|\"q\" more| {b}", "{a} -->|x| {b}", "{a} -->|x|{b}", "{a}-->|x|\n{b}",
    '{a}["quoted" tail] --> {b}', '{a}[head "quoted"]', '{a}["`**bold** _it_ text`"]',
    "{a} e1@--> {b}\ne1@{{ animate: true }}", "{a} e1@--> {b}\n{a} e1@--> {b}",
    "{a}@{{ shape: rect }} & {b} --> {a}", "{a}@{{ shape: rect }}&{b}",
    "{a}@{{\n  shape: circle\n  label: \"multi\"\n}}",
    "{a}@{{ label: 123 }}", "{a}@{{ label: \"a\nb\" }}", "{a} &{b}", "{a}& {b}", "{a} & {b}",
    "{a}:::c1 --> {b}:::c2", "class {a},{b} c1", "classDef c1,c2 fill:#f00", "classDef default fill:#fff;",
    "style {a} fill:#f9f;stroke:#333", "style {a} fill:#f9f;", "linkStyle default stroke:#f00",
    "linkStyle 0 interpolate basis", "linkStyle 0,1 stroke:red", "linkStyle 00 stroke:red",
    'click {a} callback "tip"', "click {a} call cb()", 'click {a} call cb("x", 1)',
    'click {a} href "https://x.y" _blank', 'click {a} "https://x.y" "tip" _self', "click {a}  callback",
    "accTitle: a title", "accDescr: a description", "accDescr {{\n multi\n line\n}}",
    "%%", "%%{{ broken", "%%{{init: {{'theme': 'dark'}}}}%%", "{a} --> {b} %% note",
    "{a}[Set direction LR] --> {b}", "direction TB", "direction LR {a} --> {b}",
    "End --> {b}", "END --> {b}", "{a} --> end", "{a} --> end-point", "{a} --> endless", "{a} --> end.x",
    "{a} --> End;", "subgraph\n{a}\nend", "subgraph {a} \n{b}\nend", "subgraph X\n{a}\nend\nsubgraph Y\n{a}\nend",
    "subgraph X\n{a}\nend\nsubgraph X\n{b}\nend", "subgraph The end\n{a}\nend", "{a} --> subgraph",
    "{a}((a)) --> {b}(((b)))", "{a}>odd] --> {b}[|f:v|props]", "{a}(-ellipse-) --> {b}",
    "{a}[/a\\b/]", "{a}[\\x\\]", "{a}{{{{hex}}}}", "{a}{{diamond}}", "{a}([stadium]) --> {b}[(cyl)]",
    "{a}[[sub]] --> {b}", "{a}[[x] --> {b}", "{a}[x]] --> {b}", "{a}(x]", "{a}[x)",
    "{a} ---> {b} ----> {a} -----> {b}", "{a} -.-> {b} -..-> {a} -...-> {b}", "{a} ===> {b} ====> {a}",
    "{a} <--> {b} <-.-> {a} <==> {b}", "{a} x--x {b} o--o {a} o--x {b}", "{a} ~~~ {b} ~~~~ {a}",
    "{a} --> {b} & {a}", "{a} & {a} --> {b}", "{a} --> {a}", "{a} --> {b}\n{a} --> {b}",
    "😀 --> {b}", "{a}[😀 emoji] --> {b}", "{a}[tab\there] --> {b}", "{a}\u00a0--> {b}",
    "{a} --> {b}\r\n{b} --> {a}", "graph LR", "{a}[#quot;x#quot;] --> #quot; ", "{a} -- #9829; --> {b}",
    "{a}[<b>bold</b> <i>it</i>] --> {b}", "{a}[a &lt; b &amp;&amp; c] --> {b}", "{a}[x<y] --> {b}",
    "{a} -->|<br/>| {b}", "{a}[\" \"] --> {b}", "{a}[\"\"] --> {b}", "{a}[ ] --> {b}",
    "{a}-- |x| -->{b}", "1 --> 2 --> 3", "1a --> 2b", "{a} --> 1.5", "-x --> {b}",
    "{a} --- {b} --> {a}", "v --> {b}", "{a} --> v", "default --> {b}", "{a}:B --> {b}", "{a}::B",
    "{a},{b} --> C", "{a}*{b} --> C", "{a}#{b} --> C", "a$b --> c!d", "{a}--{b}", "{a}==>{b}",
    "call --> {b}", "href --> {b}", "{a} --> href", "_self --> {b}",
    "{a}@{{ shape: stadium, label: \"x\" }} --> {b}@{{ shape: hex }}",
]
SHAPE_DATA = ["rect", "circle", "diam", "cyl", "hex", "stadium", "doc", "lean-r", "tri", "fork",
              "Rect", "no_such", "bolt", "text", "notch-rect"]  # fmt: skip


class Gen:
    def __init__(self, rng: random.Random) -> None:
        self.r = rng
        self.ids = rng.sample(IDS, rng.randint(3, 9))
        self.edges = 0
        self.lines: list[str] = []

    def chance(self, p: float) -> bool:
        return self.r.random() < p

    def word(self) -> str:
        r = self.r
        if self.chance(0.04):
            return r.choice(PUNCT_WORDS)
        return " ".join(r.choice(WORDS) for _ in range(r.randint(1, 3)))

    def label(self, in_pipes: bool = False) -> str:
        r = self.r
        text = self.word()
        roll = r.random()
        if roll < 0.35:
            return '"' + text.replace('"', "#quot;") + '"'
        if roll < 0.45:
            return '"`' + r.choice(["**", "_", "*", ""]) + text.replace('"', "") + r.choice(["**", "", "_"]) + ' md`"'
        if roll < 0.47 and not in_pipes:
            return text + " " + r.choice(PUNCT_WORDS)  # often invalid
        return text

    def node_id(self) -> str:
        if self.chance(0.005):
            return self.r.choice(BAD_IDS)
        return self.r.choice(self.ids)

    def node(self) -> str:
        r = self.r
        nid = self.node_id()
        roll = r.random()
        if roll < 0.45:
            out = nid
        elif roll < 0.9:
            opener, closer = r.choice(SHAPES)
            if self.chance(0.01):
                closer = closer[:-1] or "]"  # unbalanced
            out = f"{nid}{opener}{self.label()}{closer}"
        else:
            body = f"shape: {r.choice(SHAPE_DATA)}"
            if self.chance(0.6):
                body += f', label: "{self.word()}"'
            out = f"{nid}@{{ {body} }}"
        if self.chance(0.08):
            out += ":::" + r.choice(["hot", "cold", "c1"])
        return out

    def group(self) -> str:
        parts = [self.node()]
        while self.chance(0.18):
            parts.append(self.node())
        sep = " & " if self.chance(0.95) else self.r.choice(["&", " &", "& "])
        return sep.join(parts)

    def link(self) -> str:
        r = self.r
        roll = r.random()
        if roll < 0.01:
            return f" {r.choice(BAD_LINKS)} "
        edge_id = f"e{self.edges}@" if self.chance(0.05) else ""
        if roll < 0.55:
            arrow = r.choice(LINKS)
            text = f"|{self.label(in_pipes=True)}|" if self.chance(0.35) else ""
            return f" {edge_id}{arrow}{text} " if self.chance(0.85) else f"{edge_id}{arrow}{text}"
        start, end = r.choice(OPEN_TEXT)
        return f" {edge_id}{start} {self.label(in_pipes=True)} {end} "

    def statement(self) -> str:
        r = self.r
        roll = r.random()
        if roll < 0.55:
            out = self.group()
            for _ in range(r.choice([1, 1, 1, 2, 3])):
                out += self.link() + self.group()
                self.edges += 1
            return out.rstrip() if self.chance(0.8) else out
        if roll < 0.65:
            return self.node()
        if roll < 0.7:
            return f"style {self.node_id()} fill:#f9f,stroke:#333,stroke-width:{r.randint(1, 4)}px"
        if roll < 0.73:
            return f"classDef {r.choice(['hot', 'cold', 'default'])} fill:#{r.randint(0, 999):03d},color:#fff"
        if roll < 0.75:
            return f"class {self.node_id()} {r.choice(['hot', 'cold'])}"
        if roll < 0.78:
            index = r.randint(0, self.edges) if self.edges else 0
            return f"linkStyle {index} stroke:#f00,stroke-width:2px"
        if roll < 0.8:
            return f'click {self.node_id()} "https://example.com" "tip"'
        if roll < 0.85:
            return "%% " + self.word()
        if roll < 0.855:
            return self.group() + " %% trailing comment"
        if roll < 0.9:
            return self.group() + "; " + self.group() + " --> " + self.group()
        if roll < 0.97:
            return r.choice(TRICKY).format(a=self.node_id(), b=self.node_id())
        return ""

    def subgraph(self, depth: int) -> None:
        r = self.r
        roll = r.random()
        name = r.choice(["S1", "grp", "G2", "模块", "Stage_1"]) + str(depth)
        if roll < 0.3:
            head = f"subgraph {name} [{self.label()}]"
        elif roll < 0.5:
            head = f'subgraph "{self.word()}"'
        elif roll < 0.7:
            head = f"subgraph {name}[{self.label()}]"
        elif roll < 0.85:
            head = f"subgraph {self.word()}"
        else:
            head = f"subgraph {name}"
        indent = "    " * depth
        self.lines.append(indent + head)
        if self.chance(0.3):
            self.lines.append(indent + "    direction " + r.choice(["TB", "LR", "RL", "BT"]))
        self.body(depth + 1, r.randint(1, 4))
        if not self.chance(0.02):
            self.lines.append(indent + "end")

    def body(self, depth: int, count: int) -> None:
        for _ in range(count):
            if depth < 3 and self.chance(0.12):
                self.subgraph(depth)
            else:
                self.lines.append("    " * depth + self.statement())

    def diagram(self) -> str:
        r = self.r
        if self.chance(0.05):
            self.lines.append("---\ntitle: " + self.word() + "\n---")
        if self.chance(0.05):
            self.lines.append('%%{init: {"theme": "dark"}}%%')
        self.lines.append(r.choice(HEADERS))
        self.body(1, r.randint(1, 12))
        sep = "\n" if self.chance(0.9) else ";"
        return sep.join(self.lines)


def generate_flowcharts(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return [Gen(random.Random(rng.random())).diagram() for _ in range(count)]


# Edits that break or bend any kind of diagram: arrows, brackets, keywords, separators.
MUTATIONS = ["-", "--", "->", "->>", ":", ";", "\n", " ", "(", ")", "[", "]", "{", "}", '"', "#", "%%", "end",
             "x", "o", "<", ">", "|", "&", "*", "@", "as ", "note ", "[*]", "-->", "loop ", "participant ",
             "state ", "  ", "\t", "::", "`", "=", ".", "direction LR", "+", ",", "_"]  # fmt: skip


def mutate_sources(sources: list[str], count: int, seed: int) -> list[str]:
    """``count`` copies of random ``sources``, each with one to three random edits."""
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        text = rng.choice(sources)
        for _ in range(rng.randint(1, 3)):
            at = rng.randint(0, len(text))
            roll = rng.random()
            if roll < 0.5:
                text = text[:at] + rng.choice(MUTATIONS) + text[at:]
            elif roll < 0.8:
                text = text[:at] + text[at + rng.randint(1, 3) :]
            else:
                other = rng.randint(0, len(text))
                text = text[:at] + text[other : other + rng.randint(1, 8)] + text[at:]
        out.append(text)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("count", type=int)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    for i, src in enumerate(generate_flowcharts(args.count, args.seed)):
        print(f"%% ---- #{i}\n{src}\n")


if __name__ == "__main__":
    main()
