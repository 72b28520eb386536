"""A deterministic generator of realistic synthetic note vaults, for benchmarks.

``python benchmarks/vault.py OUT --files 5000 --seed 1`` writes OUT/ with
nested folders of mixed Chinese/English notes (~4 KB each): nested headings,
definitions in the styles real notes use (bold term + colon, bullet term,
code term, glossed sentences, term tables, Q/A pairs), math, code blocks,
local images (by relative path, as Obsidian embeds found by name, and some
missing, as in notes copied without their pictures) and, in a third of the
files, a Mermaid flowchart with labelled edges. The same arguments always give
the same bytes.
"""

from __future__ import annotations

import argparse
import random
import struct
import zlib
from pathlib import Path

ZH_TERMS = ["张量并行", "流水线并行", "数据并行", "专家并行", "算子融合", "显存带宽", "访存瓶颈", "批处理调度",
            "前缀缓存", "投机解码", "量化感知训练", "梯度累积", "混合精度", "通信重叠", "内核融合", "负载均衡"]
EN_TERMS = ["KV Cache", "PagedAttention", "RadixAttention", "FlashAttention", "ZeRO", "NCCL", "RDMA", "RoCE",
            "InfiniBand", "NVLink", "Tensor Core", "SM", "Warp", "CUDA Graph", "Triton", "TensorRT", "vLLM",
            "SGLang", "Megatron", "DeepSpeed", "FSDP", "LoRA", "AWQ", "GPTQ", "SmoothQuant", "Prefill", "Decode"]
ZH_PHRASES = ["把计算切分到多个设备上执行", "减少显存占用并提高吞吐", "在 decode 阶段受限于显存带宽",
              "通过重叠通信与计算隐藏延迟", "需要在精度和速度之间权衡", "常用于大模型的训练和推理",
              "依赖高速互联网络实现低延迟通信", "可以显著降低首 token 延迟", "由调度器在每一步动态决定"]
EN_PHRASES = ["splits the work across devices", "reduces memory use and raises throughput",
              "is bound by memory bandwidth during decode", "hides latency by overlapping communication",
              "trades accuracy for speed", "is common in large model training and serving",
              "relies on a fast interconnect", "lowers time to first token", "is decided by the scheduler each step"]
CODE = ['```python\nimport torch\nx = torch.randn(4096, 4096, device="cuda")\ny = x @ x.T\n```',
        '```cpp\n__global__ void add(float* a, float* b, int n) {\n  int i = blockIdx.x * blockDim.x + threadIdx.x;\n'
        '  if (i < n) a[i] += b[i];\n}\n```',
        '```bash\nnvcc -O3 -arch=sm_90 kernel.cu -o kernel\n./kernel\n```']
MATH = ["$O(n^2 d)$", "$2 \\times L \\times H \\times d$", "$\\frac{QK^T}{\\sqrt{d_k}}$", "$\\text{吞吐} = B / T$"]


def _png(seed: int) -> bytes:
    """A tiny valid PNG (2x2 pixels) whose colour depends on ``seed``."""
    raw = b"".join(b"\x00" + bytes([(seed * 37) % 256, (seed * 91) % 256, (seed * 53) % 256]) * 2 for _ in range(2))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def _definition(rng: random.Random, zh: bool) -> str:
    term = rng.choice(ZH_TERMS if zh and rng.random() < 0.5 else EN_TERMS)
    text = rng.choice(ZH_PHRASES if zh else EN_PHRASES)
    style = rng.randrange(6)
    if style == 0:
        return f"- **{term}**：{text}。" if zh else f"- **{term}**: {text}."
    if style == 1:
        return f"- {term}：{text}。" if zh else f"- {term}: {text}."
    if style == 2:
        return f"- `{term.lower().replace(' ', '_')}`: {text}"
    if style == 3:
        return f"{term}（{rng.choice(EN_TERMS)}）是一种{text}的技术。" if zh else f"{term} is a technique that {text}."
    if style == 4:
        return f"**{term}** — {text}"
    return f"Q：什么是 {term}？\nA：{text}。" if zh else f"Q: What is {term}?\nA: It {text}."


def _mermaid(rng: random.Random, n: int) -> str:
    nodes = rng.sample(EN_TERMS + ZH_TERMS, k=4 + n % 4)
    lines = ["```mermaid", f"flowchart {rng.choice(['LR', 'TD'])}"]
    for i, name in enumerate(nodes):
        lines.append(f'    N{i}["{name}"]')
    for i in range(1, len(nodes)):
        parent = rng.randrange(i)
        if rng.random() < 0.4:
            lines.append(f"    N{parent} -- {rng.choice(['调用', 'calls', '.ptx', 'feeds', '依赖'])} --> N{i}")
        else:
            lines.append(f"    N{parent} --> N{i}")
    lines.append("```")
    return "\n".join(lines)


def _mark(rng: random.Random, term: str) -> str:
    """A term as real notes write it: often in code, bold or a link (about 4 inline marks per KB)."""
    roll = rng.random()
    if roll < 0.35:
        return f"`{term.lower().replace(' ', '_')}`"
    if roll < 0.55:
        return f"**{term}**"
    if roll < 0.65:
        return f"[{term}](https://example.org/{term.lower().replace(' ', '-')})"
    return term


ZH_OPENERS = ["在实际部署中，", "实验表明，", "对比之下，", "一般来说，", "需要注意的是，", "在多机场景下，"]
EN_OPENERS = ["In practice, ", "In our runs, ", "By contrast, ", "Usually, ", "Note that ", "Across nodes, "]


def _paragraph(rng: random.Random, zh: bool, sentences: int) -> str:
    """Prose about terms, not definitions of them: the term is rarely the sentence's subject."""
    pool = ZH_PHRASES if zh else EN_PHRASES
    terms = EN_TERMS if not zh or rng.random() < 0.5 else ZH_TERMS
    out = []
    for _ in range(sentences):
        term = _mark(rng, rng.choice(terms))
        if zh:
            out.append(f"{rng.choice(ZH_OPENERS)}使用 {term} 时{rng.choice(pool)}，{rng.choice(pool)}。")
        else:
            out.append(f"{rng.choice(EN_OPENERS)}with {term} the system {rng.choice(pool)}, which {rng.choice(pool)}.")
    return "".join(out) if zh else " ".join(out)


def _points(rng: random.Random, zh: bool) -> str:
    """A bullet list of points, the most common block in real notes after paragraphs."""
    pool = ZH_PHRASES if zh else EN_PHRASES
    lead = "使用 " if zh else "with "
    items = (f"- {lead}{_mark(rng, rng.choice(EN_TERMS))}, {rng.choice(pool)}" for _ in range(rng.randrange(3, 6)))
    return "\n".join(items)


def note(n: int, seed: int) -> tuple[str, list[str]]:
    """The text of note ``n`` and the image names it refers to.

    Density follows the real notes in ../shared/corpora: about one card per KB
    (a few sections of prose, a few definitions, an occasional question).
    """
    rng = random.Random(seed * 1_000_003 + n)
    zh = rng.random() < 0.6
    title = f"{rng.choice(ZH_TERMS)} 学习笔记 {n}" if zh else f"{rng.choice(EN_TERMS)} notes {n}"
    parts = [f"# {title}", "", _paragraph(rng, zh, 3), ""]
    images: list[str] = []
    headings = rng.sample(ZH_TERMS if zh else EN_TERMS, k=5)
    for s in range(1, rng.randrange(3, 5)):
        parts += [f"## {s}. {headings[s - 1]} {rng.choice(['原理', 'Overview', '实现', 'Tuning'])}", ""]
        for _ in range(rng.randrange(2, 4)):
            parts += [_paragraph(rng, zh, rng.randrange(3, 6)), ""]
            if rng.random() < 0.6:
                parts += [_points(rng, zh), ""]
        if s == 1 and rng.random() < 0.6:
            for _ in range(rng.randrange(2, 4)):
                definition = _definition(rng, zh)
                # Bullets stay one list; other styles are paragraphs of their own, as in real notes.
                parts += [definition] if definition.startswith("- ") else ["", definition, ""]
            parts.append("")
        if rng.random() < 0.3:
            parts += [f"计算量约为 {rng.choice(MATH)}，显存占用约为 {rng.choice(MATH)}。" if zh
                      else f"The cost is about {rng.choice(MATH)} and memory about {rng.choice(MATH)}.", ""]
        if rng.random() < 0.35:
            parts += [rng.choice(CODE), ""]
        if rng.random() < 0.12:
            image, style = f"img{n % 50}.png", rng.random()
            if style < 0.4:
                images.append(image)
                parts += [f"![diagram](images/{image})", ""]
            elif style < 0.8:  # an Obsidian embed: a bare name, found anywhere under the root
                images.append(image)
                parts += [f"![[{image}]]", ""]
            else:  # notes copied without their pictures, as many real ones are: the image is missing
                parts += [f"![screenshot](assets/shot-{n}.png)", ""]
        if rng.random() < 0.12:
            parts += ["| 术语 | 说明 |" if zh else "| Term | Description |", "| --- | --- |"]
            for _ in range(3):
                parts.append(f"| {rng.choice(EN_TERMS)} | {rng.choice(ZH_PHRASES if zh else EN_PHRASES)} |")
            parts.append("")
    if n % 5 == 0:
        parts += ["## 结构 Map", "", _mermaid(rng, n), ""]
    return "\n".join(parts) + "\n", images


def generate(out: Path, files: int, seed: int = 1) -> list[Path]:
    """Write the vault; returns the note paths in order."""
    out.mkdir(parents=True, exist_ok=True)
    (out / "images").mkdir(exist_ok=True)
    for i in range(50):
        (out / "images" / f"img{i}.png").write_bytes(_png(i))
    paths: list[Path] = []
    for n in range(files):
        folder = out / f"topic{n % 20:02d}" / f"part{(n // 20) % 10}"
        folder.mkdir(parents=True, exist_ok=True)
        text, _images = note(n, seed)
        path = folder / f"note{n:05d}.md"
        path.write_text(text.replace("](images/", "](../../images/"), encoding="utf-8")
        paths.append(path)
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    paths = generate(args.out, args.files, args.seed)
    size = sum(p.stat().st_size for p in paths)
    print(f"wrote {len(paths)} notes, {size / len(paths) / 1024:.1f} KB each on average, to {args.out}")


if __name__ == "__main__":
    main()
