"""Nothing in a note can run code inside Anki, whatever the notes contain.

Raw HTML is sanitised with nh3; HTML rendered from Markdown alone is trusted
because markdown-it escapes what it writes — the property test below checks
that trust (the sanitiser would change nothing in it), and the attack note
checks every extractor's output, field by field.
"""

from __future__ import annotations

import html
import os
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

from hypothesis import given, settings
from hypothesis import strategies as st

from notes2anki.document import parse_document
from notes2anki.extractors import ExtractOptions, extract
from notes2anki.render import render_markdown
from notes2anki.sanitize import clean_html
from notes2anki.sources import FileRef, SourceFile

FORBIDDEN_TAGS = {"script", "style", "iframe", "frame", "object", "embed", "svg", "math", "form", "input",
                  "button", "textarea", "audio", "video", "canvas", "template", "link", "meta", "base"}
SAFE_SCHEMES = ("http", "https", "mailto")
VOID = {"br", "hr", "img", "input", "meta", "link", "wbr", "col", "area", "base", "source"}


class _Events(HTMLParser):
    """A normalised event stream: tags with their (unescaped) attributes, and text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.events: list[tuple[object, ...]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.events.append(("start", tag, tuple(sorted((k, v or "") for k, v in attrs))))

    def handle_endtag(self, tag: str) -> None:
        if tag not in VOID:  # <br /> and <br> are the same element
            self.events.append(("end", tag))

    def handle_data(self, data: str) -> None:
        if self.events and self.events[-1][0] == "text":
            self.events[-1] = ("text", str(self.events[-1][1]) + data)
        else:
            self.events.append(("text", data))


def events(fragment: str) -> list[tuple[object, ...]]:
    parser = _Events()
    parser.feed(fragment)
    parser.close()
    return [e for e in parser.events if e[0] != "text" or str(e[1]).strip()]


def unsafe(fragment: str) -> list[str]:
    """What in ``fragment`` could run code in Anki's web view."""
    problems = []
    for event in events(fragment):
        if event[0] != "start":
            continue
        tag, attrs = event[1], event[2]
        if tag in FORBIDDEN_TAGS:
            problems.append(f"<{tag}>")
        for name, value in attrs:  # type: ignore[attr-defined]
            if name.startswith("on"):
                problems.append(f"{tag} {name}")
            if name in ("href", "src", "action", "formaction", "xlink:href"):
                scheme = urlsplit(value.strip()).scheme.lower()
                if scheme and scheme not in SAFE_SCHEMES:
                    problems.append(f"{tag} {name}={value}")
    return problems


PIECES = [*"ab 中文*_`[]()!#>-+=|~$\\:/.\n&\"'{}", "javascript:", "data:", "http://x", "](", "![a](", "- ", "1. ",
          "```\n", "| a | b |\n|---|---|\n", "$x$", "\\(", "==", "::"]
MARKDOWN = st.lists(st.sampled_from(PIECES), max_size=60).map("".join)


@settings(max_examples=int(os.environ.get("N2A_FUZZ_EXAMPLES", "300")), deadline=None)
@given(MARKDOWN)
def test_markdown_without_raw_html_renders_only_what_the_sanitiser_keeps(text):
    rendered = render_markdown(text)
    assert events(clean_html(rendered)) == events(rendered)
    assert unsafe(rendered) == []


ATTACK = """# Attack <img src=x onerror=alert(1)>

<script>alert(1)</script>
<iframe src="https://evil.example"></iframe>
<img src="x.png" onerror="alert(1)">
<a href="javascript:alert(1)">click</a>
<div onclick="alert(1)" style="position:fixed">box</div>
<svg onload=alert(1)><circle/></svg>

## Definitions
- **XSS<script>alert(1)</script>**：跨站脚本<img src=x onerror=alert(2)>攻击。
- `<img src=x onerror=alert(3)>`: a code term.
- Click: [here](javascript:alert(4)) and <a href="JaVaScRiPt:alert(5)">there</a>.

What is <b onmouseover=alert(6)>bold</b>? It is <iframe src=x></iframe> dangerous.

Q: <script>alert(7)</script>?
A: <img src=x onerror=alert(8)>

| Term | Meaning |
| --- | --- |
| <svg/onload=alert(9)> | a <a href="data:text/html,<script>alert(10)</script>">link</a> |

KV cache :: <script>alert(11)</script> keys and values
The {{c1::<img src=x onerror=alert(12)>}} cloze.

```mermaid
flowchart LR
A["<img src=x onerror=alert(13)>"] --> B["<script>alert(14)</script>"]
A -- "<a href='javascript:alert(15)'>x</a>" --> C
```
"""


def test_no_extractor_lets_code_through():
    doc = parse_document(SourceFile(FileRef(Path("/n/attack.md"), "attack.md", ()), ATTACK, "0"))
    cards = extract(doc, ExtractOptions(deck="D")).cards
    assert len(cards) >= 5
    kinds = {c.kind for c in cards}
    assert {"definition", "section"} <= kinds and any(k.startswith("diagram") for k in kinds)
    for card in cards:
        for name in ("front", "back", "extra"):
            assert unsafe(getattr(card, name)) == [], (card.kind, name, getattr(card, name))
        for text in (*card.context, card.path):
            # Plain-text fields are escaped when written to Anki (notetypes.note_fields).
            assert "<" not in html.escape(text)
