"""How a diagram card shows where its answer sits, as HTML text.

A card made from one edge of a Mermaid diagram is hard to answer out of
context: "what comes after NVCC?" depends on which diagram. These helpers give
the diagram extractor three small, readable pieces, styled by the note type's
CSS (``notetypes.py``) and legible on a phone, in light and dark mode:

- :func:`diagram_context_html` — the path from the diagram's root to the node,
  as breadcrumb steps (``AI Infra → 推理框架 → vLLM``);
- :func:`neighbourhood_html` — a few edges around the one asked about, one per
  line, the asked edge marked and its hidden end shown as a blank;
- :func:`diagram_source_html` — the whole Mermaid source, collapsed behind one
  click (``<details>``), for the back of the card.

They are pure functions over strings: labels are plain text and are escaped,
so a label can never inject markup. Everything they return passes the card
sanitiser unchanged.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass

BLANK = "?"
"""What a hidden node shows on the question side."""


@dataclass(frozen=True)
class EdgeView:
    """One edge as shown: source label, target label, and the edge's own label (may be empty)."""

    source: str
    target: str
    label: str = ""


NEWLINE = "\n"


def _text(label: str) -> str:
    return html.escape(label, quote=False)


def _node(label: str, *, here: bool = False, hidden: bool = False) -> str:
    if hidden:
        return f'<span class="n2a-blank">{BLANK}</span>'
    if here:
        return f'<span class="n2a-here">{_text(label)}</span>'
    return _text(label)


def diagram_context_html(path: Sequence[str], highlight: str | None = None) -> str:
    """The root → node path as an ordered list of steps (``<ol class="n2a-path">``).

    ``highlight`` marks the step(s) with that label — usually the node the card
    asks about; by default the last step. An empty path gives ``""``.
    """
    if not path:
        return ""
    mark = path[-1] if highlight is None else highlight
    items = "".join(
        f'<li class="n2a-here">{_text(step)}</li>' if step == mark else f"<li>{_text(step)}</li>" for step in path
    )
    return f'<ol class="n2a-path">{items}</ol>'


def neighbourhood_html(edges: Sequence[EdgeView], highlight: EdgeView | None = None,
                       hidden: str | None = None) -> str:
    """The edges around one edge, one per line (``<ul class="n2a-edges">``).

    ``highlight`` is marked; nodes labelled ``hidden`` show as a blank, so the
    same helper draws the question side (answer hidden) and the answer side.
    Order is the caller's: diagram order reads best.
    """
    if not edges:
        return ""
    rows = []
    for edge in edges:
        here = edge == highlight
        label = f'<span class="n2a-edge-label">{_text(edge.label)}</span>' if edge.label else ""
        cls = ' class="n2a-here-edge"' if here else ""
        rows.append(
            f"<li{cls}>"
            f"{_node(edge.source, here=here, hidden=edge.source == hidden)}"
            f'<span class="n2a-arrow">—{label}→</span>'
            f"{_node(edge.target, here=here, hidden=edge.target == hidden)}</li>"
        )
    return f'<ul class="n2a-edges">{"".join(rows)}</ul>'


def diagram_source_html(source: str, summary: str = "Mermaid") -> str:
    """The full diagram source, one click away: ``<details>`` closed by default."""
    return (f'<details class="n2a-diagram-source"><summary>{_text(summary)}</summary>'
            f'<pre class="n2a-code"><code class="language-mermaid">{_text(source.strip(NEWLINE))}</code></pre>'
            "</details>")
