"""Shared by the quiz tests: a clock tests move by hand, cards made to order, notes to quiz."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from notes2anki.cards import Card
from notes2anki.identity import card_guid
from notes2anki.quiz.items import Item, items_for
from notes2anki.quiz.scheduler import Scheduler
from notes2anki.quiz.session import Plan, Session
from notes2anki.quiz.state import Store

START = datetime(2025, 3, 1, 9, 0, tzinfo=timezone.utc)


class Clock:
    """A fixed clock that moves only when told to."""

    def __init__(self, now: datetime = START) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        self.now += timedelta(**delta)
        return self.now


def card(question: str, answer: str = "answer", *, kind: str = "section", context: tuple[str, ...] = ("Notes",),
         path: str = "notes.md", line: int = 1, **fields: Any) -> Card:
    """A card with a real GUID (from deck "Test", kind, context and question)."""
    tags = fields.pop("tags", ("notes2anki::" + "::".join(c.replace(" ", "_") for c in (*context, question)),))
    return Card(kind=kind, guid=card_guid("Test", kind, context, question), question=question, answer=answer,
                front=fields.pop("front", question), back=fields.pop("back", f"<p>{answer}</p>"),
                context=context, path=path, line=line, tags=tags, **fields)


def deck(n: int = 5, topics: tuple[tuple[str, ...], ...] = (("A",),)) -> list[Item]:
    """``n`` cards spread over ``topics`` in turn, questions ``Q0``, ``Q1``…"""
    return items_for(card(f"Q{i}", f"answer {i}", context=topics[i % len(topics)], line=i + 1) for i in range(n))


def session(items: list[Item], store: Store, clock: Clock, **plan: Any) -> Session:
    plan.setdefault("seed", 7)
    return Session(items, store, Scheduler(), Plan(**plan), clock)


NOTES = {
    "infra.md": """\
# AI Infra 学习笔记

## Training 训练

### 数据并行 Data Parallelism

每张 GPU 保存一份完整的模型副本。

### ZeRO

把优化器状态、梯度和参数切分到各个 rank 上。

## Inference 推理

### 大模型推理

分为 **prefill** 和 **decode** 两个阶段，decode 受显存带宽限制。

### KV Cache 显存估算

每个 token 的 KV Cache 大小为 $2 \\times n_{layers} \\times d$。

| 框架 | 说明 |
| --- | --- |
| vLLM | 以 PagedAttention 为核心 |
""",
}


def write_notes(root: Path, files: dict[str, str] | None = None) -> Path:
    notes = root / "notes"
    for name, text in (files or NOTES).items():
        path = notes / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return notes
