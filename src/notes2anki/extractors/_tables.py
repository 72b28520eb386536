"""Term tables: which tables are glossaries, and their rows as terms and meanings.

A glossary has 2–4 columns, terms in the first and what they mean in another
(``说明``/``含义``/``Description``/``What It Does``…), or a first column headed like
a list of names (``术语``, ``Parameter``, ``Variable``) next to prose. Comparison
matrices (``特性 | RoCE | IB``), rows of attributes (``Protocol | Reliable | Use case``, where one
column of prose is not what the term means), file lists (``File | What It Contains`` with paths)
and tables of values are not glossaries.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markdown_it.token import Token

from ..topics import inline_text
from ._inline import to_markdown
from ._terms import is_label, looks_like_path, term_shape_ok


def _words(text: str) -> frozenset[str]:
    """Header words, one per ``|``-separated entry (entries may contain spaces)."""
    return frozenset(w.strip() for w in text.replace("\n", "|").split("|") if w.strip())


_MEANING = _words("""
说明|含义|意义|描述|解释|定义|作用|功能|用途|介绍|简介|意思|释义|功能说明|作用说明|含义说明|主要作用|主要功能
description|definition|definitions|meaning|meanings|explanation|purpose|role|usage|summary|notes|what it does|what it is
what it means|what-it-does|description / purpose
""")
_TERMS = _words("""
术语|名词|概念|缩写|简称|全称|名称|名字|参数|参数名|字段|字段名|变量|变量名|环境变量|方法|函数|接口|命令|选项|配置|配置项|关键字
原语|组件|模块|类|属性|成员|标志|符号|记号|指令|操作|宏|框架|工具|库|协议|模式|状态|阶段|层|角色|算子|事件|错误码|驱动|设备
term|terms|name|abbreviation|abbr|acronym|concept|parameter|param|parameters|field|fields|variable|variables|env
env var|environment variable|method|methods|function|functions|api|endpoint|option|options|flag|flags|keyword|primitive
component|module|class|attribute|member|property|setting|argument|symbol|notation|operator|instruction|operation
command|directive|macro|framework|tool|library|protocol|mode|state|stage|layer|role|event|error code|driver|device|token
""")
_GLOSS = _words("英文|中文|全称|英文全称|中文名|中文名称|英文名|英文名称|翻译|译名|缩写|简称\n"
                "full name|english|chinese|expansion")
_GLOSS_PARTS = ("全称", "全名", "名称", "英文", "中文", "译名", "翻译", "缩写", "简称", "full name", "expansion",
                "english", "chinese", "abbreviation", "acronym")
"""Parts of a header that names a column of other names (``英文全名``, ``中文名称``, ``English name``)."""


def _gloss_header(header: str) -> bool:
    return header in _GLOSS or (len(header) <= 16 and any(part in header for part in _GLOSS_PARTS))

_NOT_GLOSSARY = _words("""
特性|特点|对比项|对比|维度|指标|项目|方面|比较|区别|性能|场景|文件|文件名|路径|位置|脚本|步骤|序号|时间|日期|版本|模型|硬件
feature|features|aspect|aspects|dimension|metric|metrics|criteria|criterion|category|comparison|file|files|path
filename|location|script|step|steps|no|#|time|date|version|model|hardware|item
""")

_VALUES = _words("""
大小|偏移|偏移量|类型|默认值|默认|取值|取值范围|范围|单位|形状|维度|长度|数量|位置|地址|值|版本|时间|延迟|带宽|吞吐
size|offset|type|default|default value|value|values|range|unit|units|shape|dtype|length|count|address|version|time
latency|bandwidth|throughput
""")
"""Headers of columns that give values (``名字 | 偏移 | 大小``): a table of settings, not of meanings."""


@dataclass(frozen=True)
class Row:
    term: str
    line: int
    """1-based line of the row."""
    cells: tuple[tuple[str, Token], ...]
    """``(header, inline token)`` of each non-empty meaning cell."""
    answer: str
    """The meaning as Markdown."""


def _rows(tokens: Sequence[Token], start: int, end: int) -> list[tuple[int, list[Token]]]:
    rows: list[tuple[int, list[Token]]] = []
    for i in range(start, end):
        tok = tokens[i]
        if tok.type == "tr_open":
            rows.append(((tok.map[0] + 1) if tok.map else 0, []))
        elif tok.type == "inline" and rows:
            rows[-1][1].append(tok)
    return rows


def _prose(cells: Sequence[str]) -> bool:
    """Whether a column reads as explanations rather than values."""
    filled = [c for c in cells if c]
    if not filled:
        return False
    return sum(len(c) >= 6 and not c.replace(".", "").replace(" ", "").isdigit() for c in filled) * 2 >= len(filled)


def term_table_rows(tokens: Sequence[Token], start: int, end: int) -> list[Row]:
    """The rows of a glossary table between ``start`` and ``end`` (none if it is not one)."""
    rows = _rows(tokens, start, end)
    if len(rows) < 2:
        return []
    header = [inline_text(t).strip().lower() for t in rows[0][1]]
    body = rows[1:]
    ncols = len(header)
    if not 2 <= ncols <= 4 or header[0] in _NOT_GLOSSARY:
        return []
    row_texts = [[inline_text(cells[c]) if c < len(cells) else "" for c in range(ncols)] for _, cells in body]
    columns = [[texts[c] for texts in row_texts] for c in range(ncols)]
    meaning = [c for c in range(1, ncols) if header[c] in _MEANING]
    if not meaning:
        if header[0] not in _TERMS and (header[0] or ncols != 2):
            return []
        described = [c for c in range(1, ncols) if not _gloss_header(header[c]) and header[c] not in _VALUES]
        meaning = [c for c in described if _prose(columns[c])]
        if not meaning or len(meaning) < len(described):
            return []  # "Protocol | Reliable | Ordered | Use case": a row of attributes, not a meaning
    firsts = [c for c in columns[0] if c]
    if not firsts or sum(looks_like_path(c) for c in firsts) * 2 > len(firsts):
        return []
    gloss_cols = [c for c in range(1, ncols) if c not in meaning and (_gloss_header(header[c]) or not header[c])]
    out: list[Row] = []
    for (line, cells), texts in zip(body, row_texts):
        term = texts[0] or next((texts[c] for c in gloss_cols if texts[c]), "")
        glosses = [texts[c] for c in gloss_cols if texts[c] and texts[c] != term and len(texts[c]) <= 40]
        if glosses:
            term = f"{term} ({glosses[0]})"
        if not term or is_label(texts[0] or term) or not term_shape_ok(texts[0] or term, plain=False):
            continue
        shown = [c for c in meaning if c < len(cells) and texts[c]]
        if not shown:
            shown = [c for c in range(1, ncols) if c < len(cells) and texts[c] and texts[c] not in term]
        if not shown:
            continue
        named = len(shown) > 1
        out.append(Row(term, line, tuple((rows[0][1][c].content.strip() if named else "", cells[c]) for c in shown),
                       "\n".join(to_markdown(cells[c].children or []) for c in shown)))
    return out
