"""What a careful reader takes for a term, and what for a label, a step or a sentence.

The definition extractor finds *candidates* by shape (a bold key and a colon, a
sentence that opens with a code span and 是…); this module decides whether the
key really names a term. Words lists are data: field labels (``返回值``,
``Example``), ordinal steps (``第一步``, ``Step 2``), pronoun subjects
(``这是``, ``This is``) and copulas. Every check here looks at a short, bounded
window of text, so the cost per candidate is constant whatever the line length.
"""

from __future__ import annotations

import re
import unicodedata

from ._inline import OPAQUE


def words(text: str) -> frozenset[str]:
    """A word list written as text: one entry per whitespace-separated word."""
    return frozenset(text.split())


FIELD_LABELS = words("""
用途 作用 说明 描述 简介 介绍 返回 返回值 返回类型 输入 输出 输入参数 输出参数 参数 参数说明 入参 出参 函数原型
原型 接口 示例 例子 举例 例如 比如 案例 样例 注意 注意事项 注 提示 警告 小贴士 贴士 优点 缺点 优势 劣势 好处
坏处 不足 弊端 原因 来源 出处 解决 解决办法 解决方法 解决方案 方案 执行位置 调用方式 调用 背景 效果 结果 结论
总结 小结 目的 目标 问题 答案 答 问 思路 方法 做法 步骤 流程 过程 特点 特征 特性 区别 联系 关系 场景 应用
应用场景 适用场景 使用场景 用法 使用方法 使用方式 前提 条件 前置条件 要求 限制 局限 局限性 缺陷 备注 补充 参考
参考资料 参考文献 资料 链接 地址 文件 文件名 路径 位置 代码 源码 源代码 命令 版本 时间 日期 作者 状态 类型 含义
意义 核心 核心思想 关键 关键点 要点 重点 核心问题 收益 代价 影响 风险 建议 现象 分析 原理 机制 实现 实现方式
功能 性能 速度 容量 大小 成本 复杂度 时间复杂度 空间复杂度 输入输出 默认值 默认 取值 范围 取值范围 单位 格式
示意 图示 如图 公式 定义 概念 细节 其他 其它 更多 相关 注释 解释 理由 动机 挑战 难点 痛点 收获 心得 疑问 思考
待办 链接地址 优化 改进 对比 比较 演示 输出结果 运行结果 返回结果 示例代码 代码示例 配置 配置项 环境 依赖 安装
用例 测试 作业 练习 答疑 相同点 相异点 共同点 不同点 异同 布局 形状 访问 键 值 前缀 索引 数据 地址 内容 流程图
架构图 图 表 引用 出自 译者 翻译 致谢 鸣谢 关于作者 关于 作者 ps p.s 原文 原文链接 对应原文 对应代码 代码地址
项目地址 转载 声明 免责声明 版权 许可 许可证 更新 acknowledgements acknowledgments thanks credits license
disclaimer update updated changelog purpose note notes nb example examples eg e.g tip tips hint warning caution
important pros cons advantage advantages disadvantage disadvantages benefit benefits drawback drawbacks reason
reasons source sources solution solutions problem problems goal goals result results summary conclusion
conclusions background file files path paths location reader writer input inputs output outputs returns return
return value parameters parameter params args arguments usage use effect effects status type version author date
time link links reference references todo insights insight why how what what it adds why
this matters why it matters idea key idea key ideas motivation approach method methods steps step process
context observation observations answer question q a cause fix workaround impact cost costs tradeoff tradeoffs
trade-off trade-offs limitation limitations requirement requirements prerequisite prerequisites caveat caveats
takeaway takeaways recap tl;dr tldr overview intro introduction details detail default defaults format formula
setup config configuration install installation test tests demo code snippet command commands shape dtype size
range unit units feature features strengths weaknesses challenge challenges issue issues bug bugs fixes change
changes notice remark remarks comment comments description definition meaning explanation figure fig
content contents characteristic characteristics mechanism role 回答 解答 文档 推荐 提示
scenario scenarios baseline baselines setup workload workloads dataset datasets hardware environment testbed
acknowledge acknowledgement acknowledgment 设想 假设 猜想 洞察 实验设置 实验环境 测试环境 硬件环境 软件环境
基线 数据集 评估数据集 训练数据集
""") | frozenset((
    "return value", "see also", "key insight", "key insights", "what it adds", "why this matters", "why it matters",
    "key idea", "key ideas", "special thanks", "best practice", "best practices", "key takeaway", "key takeaways",
    "key observations", "key points", "key point", "fun fact", "side note", "in short", "core idea", "main idea",
    "core ideas", "main ideas", "big picture", "tl;dr"))
"""Keys that label a field of the text rather than name a term (compared lower-case, gloss removed)."""

_LABEL_SUFFIXES = ("团队", "如下", "所示", "包括", "包含", "例如", "比如", "如下所示", "以下", "分为", "有以下",
                   "主要有", "步骤", "流程", "特点", "优点", "缺点", "原因", "区别", "示例", "注意", "关系", "差异",
                   "对比", "比较", "联系", "异同", "优势", "劣势", "提示", "影响", "提升", "收益", "意义", "作用",
                   "用途", "目的", "价值", "方法", "方式", "做法", "特征", "洞察")
_LABEL_PREFIXES = ("示例", "例", "注意", "【", "[", "提示", "补充", "备注", "总结", "小结", "关于", "对应", "参考",
                   "原文配图", "配图")
_ACTION_PREFIXES = ("提高", "优化", "增加", "使用", "提升", "减少", "降低", "避免", "采用", "选择", "设置", "调整",
                    "确保", "检查", "开启", "关闭", "启用", "禁用", "安装", "配置", "修改", "添加", "删除", "尽量",
                    "合理", "保持", "定义", "支持", "维护", "创建", "构建", "获取", "清理", "格式化", "启动", "停止",
                    "判断", "遍历", "准备", "释放", "申请", "查询", "查看", "切换", "打开", "运行", "编译", "下载",
                    "上传", "加载", "保存", "读取", "写入", "发送", "接收", "替换", "重启", "登录", "进入", "退出",
                    "初始化", "注册", "断开", "拷贝", "复制", "导入", "导出", "编写", "验证", "确认", "部署", "挂载",
                    "卸载", "拉取", "推送", "克隆", "解压", "指定", "修复", "升级", "执行", "调用", "提交", "拿到",
                    "得到", "获得")
"""Keys that start with a verb name an action or a step ("提高时钟频率"), not a term."""
_EN_ACTIONS = words("""
format append use add create build run set check install configure define map bucket drive mirror generate mask
compute apply load save start stop call pass send receive update initialize init register remove replace convert
enable disable select choose pick make keep avoid ensure verify validate read write fetch store launch wait
return get put find collect merge split sort filter parse match combine compare measure profile test train
evaluate deploy download upload clone copy move open close switch try repeat prepare allocate free release
submit reduce increase decrease improve optimize minimize maximize prefer skip consider handle implement export
import wrap schedule
""")
"""Imperative verbs: "Format the prompt", "Add `--flag`" are instructions, not terms and definitions."""
_CLAUSE_WORDS = ("规定", "指出", "认为", "表明", "显示", "提到", "如下", "包括", "包含", "需要", "可以", "能够",
                 "应该", "必须", "分为", "通过", "基于", "使用", "对于", "依赖", "允许", "进行", "采用", "提交",
                 "获取", "做", "用于", "为例", "甚至")
"""Words that make a run of Chinese a clause rather than a name."""
_NOUN_TAILS = ("寄存器", "架构", "结构", "协议", "网卡", "算法", "模型", "接口", "指令", "机制", "技术", "框架",
               "模式", "函数", "内核", "阶段", "方案", "队列", "驱动", "设备", "缓存", "内存", "显存", "总线", "芯片",
               "引擎", "调度器", "并行", "格式", "器", "表", "库", "层", "卡", "码", "包", "区", "池", "组", "集",
               "树", "图", "栈", "堆", "核", "端", "口", "位", "域", "键", "值", "块", "页", "轴", "类", "对象",
               "参数", "变量", "字段", "属性", "矩阵", "向量", "张量", "坐标", "指针", "数组")
"""How a Chinese noun that follows a Latin name ends (``Doorbell寄存器``, ``x86 架构``)."""
_STEP_NOUNS = ("时延", "延迟", "单元", "模块", "节点", "时间", "周期", "阶段", "过程", "开销", "成本", "函数", "操作",
               "指令", "点", "运行时")
"""Noun endings that make "执行时延" a name even though it starts like a verb phrase."""

_CN_NUM = "〇零一二三四五六七八九十百两"
_ORDINAL = re.compile(
    rf"^(?:第\s*[0-9{_CN_NUM}]{{1,4}}\s*[步章节点条个阶段部分层级轮次种类]?"
    rf"|(?:步骤|环节|方法|方案|情况|场景)\s*[0-9{_CN_NUM}a-z]{{1,3}}"
    r"|(?:step|part|round|case|option|method|approach|rule|item|example|cluster|gpu|node|rank"
    r"|dim|worker|device|thread|process|machine|server|host|layer|block|group|team|version|v|baseline|experiment"
    r"|run|trial|setting|config|model|scenario|test|sample|query|request|batch|node|card|gpu)\s*[0-9]{1,4}"
    r"(?:\s*[-~–]\s*[0-9]{1,4})?"
    rf"|[（(]?[0-9{_CN_NUM}]{{1,4}}[)）.、．]?"
    r"|[①-⑳]|[a-z][.)]|[ivx]{1,4}[.)]"
    r"|first|second|third|fourth|fifth|then|next|finally|last|lastly|首先|其次|然后|接着|最后|最终|再次)$",
    re.IGNORECASE,
)
_LEAD_ORDINAL = re.compile(
    rf"^\s*(?:[0-9]{{1,3}}[、.．)）]|[（(][0-9{_CN_NUM}]{{1,3}}[)）]|[{_CN_NUM}]{{1,3}}、|[①-⑳])\s*")

_EXTENSIONS = words(
    "py md markdown cu cuh c h cc cpp hpp cxx js ts tsx jsx json yaml yml toml txt sh bash zsh rs go java kt sql "
    "cfg ini conf log csv tsv html htm css ipynb pt pth bin so o a whl tar gz zip xml proto lock env rst tex pdf png "
    "jpg svg")
_VERSION_START = re.compile(r"^v?[0-9]+\.[0-9]+")
_URL = re.compile(r"^(?:https?://|ftp://|www\.)\S+$", re.IGNORECASE)
_MEASURE = re.compile(r"^[~≈约<>≤≥]?\s*[0-9][0-9.,]*(?:\s*[%xX×])?(?:\s*[A-Za-z/]{1,6})?"
                      r"(?:\s*[/每]\s*[A-Za-z]{1,4})?\s*$")
"""``180 ms``, ``~8 GB``, ``263 tokens/s``: each run of spaces leads to something, so no run is split two ways."""
_REFERENCE = re.compile(r"#[0-9]|\b(?:pr|issue|pull request)\s?#?[0-9]|\bcommit\s(?:[0-9]+|[0-9a-f]{7,40})\b",
                        re.IGNORECASE)
_FLAG = re.compile(r"^--?[A-Za-z][\w-]*(?:[ =][^ ]+)?$")
_VERSION = re.compile(r"^v?[0-9]+(?:\.[0-9]+)+(?:[a-z+-][a-z0-9+-]*)?$", re.IGNORECASE)
"""``1.2.3``, ``v2.0rc1``: the suffix starts after the last number, so no digit is read two ways."""

SENTENCE_PUNCT = frozenset("，。；！？,;!?、")
_OPEN = "（("
_CLOSE = "）)"
QUOTES = {'"': '"', "“": "”", "「": "」", "『": "』", "'": "'", "‘": "’", "《": "》"}

# Pronoun and determiner subjects: "这是…", "This is…" say something about the text, not a term.
CN_PRONOUN_START = ("这", "那", "它", "该", "此", "其", "本", "上述", "以上", "下面", "如下", "我们", "你", "他",
                    "她")
EN_NON_SUBJECT = words("""
this that these those it its they them their there here we our you your i he she his her a an the some each
every all any most many much such one another other both either neither if when while because so but and or then
also however thus now which what who whom whose how why where in on at for with by from to of as after before
since unlike like no not only just even still yet first second finally next note let see each my mine yours ours
once although though whereas unless until whether above below thanks overall specifically similarly likewise
instead meanwhile everything everyone nothing something anything someone
""")

CN_COPULAS = ("的全称是", "的全称为", "的意思是", "英文全称为", "英文全称是", "中文全称为", "中文译为", "中文名为",
              "中文名是", "中文叫", "译为", "全名为", "全名是", "就是指", "是指", "指的是", "即是", "即为", "全称为",
              "全称是", "全称叫", "全称", "意为", "意思是", "可以简单理解为", "可以理解为", "可理解为", "简单理解为",
              "又称为", "也称为", "又称", "也称", "又叫做", "又叫", "也叫做", "也叫", "简称为", "简称", "被称为",
              "被称作", "定义为", "被定义为", "代表着", "代表", "对应着", "对应", "指代", "表示", "特指", "就是", "即",
              "指")
"""Copulas that define on their own (longest first)."""
CN_WEAK_COPULAS = ("是", "为")
"""Copulas that define only when what follows reads as a noun phrase."""
_CN_WEAK_REJECT = ("否", "不", "因为", "由于", "为了", "如何", "怎么", "什么", "哪", "谁", "当今", "目前", "如此",
                   "这样", "那样", "一样", "同样", "相同", "一致", "了", "何", "例", "止", "此", "多少", "几", "有",
                   "没", "无", "非常", "很", "十分", "比较", "相对", "更", "相当", "极其", "完全")
"""What after a bare 是 makes a statement, a comparison or a question rather than a definition."""
_CN_FOR_VERBS = ("提供", "分配", "实现", "带来", "创建", "生成", "设置", "准备", "开辟", "引入", "增加", "加入", "保留",
                 "预留", "构建", "打造", "设计", "定制", "优化", "服务", "支持", "持有", "维护", "保存", "存储", "申请",
                 "计算", "执行", "调度", "选择")
"""Verbs after ``为 X`` that make 为 the preposition "for" (``为每个请求分配…``), not a copula."""
_CN_YOU_NOUNS = ("有限", "有效", "有向", "有序", "有损", "有状态")
"""Words that start with 有 but are adjectives of a noun (``是有限状态集合``), not "there is"."""
_CN_SUPERLATIVES = ("高效", "好", "快", "强", "重要", "先进", "流行", "常用", "广泛", "优秀", "成功", "著名", "知名",
                    "主要", "核心", "关键", "具", "受欢迎", "领先", "佳", "优", "热门", "普遍", "常见", "有效", "简单",
                    "复杂", "困难", "难", "高", "低", "新", "早", "大的", "多")
"""What after 最 makes a judgement (``最高效的``), not a definition (``最小重复块``)."""
_SUPERLATIVE_OF = re.compile(r"[^\W\d_]{1,2}的")
"""``最朴素的``: an adjective in the superlative, a judgement (``最小的单位`` still names a unit)."""
_CN_SOFT_REJECT = ("在", "通过", "用", "由", "从", "把", "将", "对", "可以", "能", "会", "要", "需要", "必须", "根据",
                   "以", "主", "让", "使")
"""What after a bare 是 makes a statement unless a noun phrase follows (``是将文本切分成…的工具``)."""
CN_ADVERBS = ("其实", "实际上", "实际", "本质上", "本质", "通常", "一般", "简单来说", "简单地说", "说白了", "可以说",
              "其本质", "本身", "分别", "都", "均", "也", "则", "只", "仅仅", "只不过", "大致", "大概", "无非")
"""Adverbs allowed between a term and its copula (``SoC通常是指…``, ``$A_1$ 和 $A_2$ 分别是…``)."""
CN_DEFINING = ("就是", "是指", "指的是", "即", "全称", "意为", "也就是", "意思是")
"""Copulas that define whatever the subject's last words (``GPU控制通信其实就是…``)."""
SKIP_PREFIXES = ("图中", "而", "此外，", "另外，", "同样，", "类似地，", "所谓的", "所谓", "上述的", "上图中的",
                 "图中的", "文中的", "这里的", "其中，", "其中", "总的来说，", "简单来说，", "简而言之，",
                 "换句话说，", "也就是说，", "一般来说，", "通常，", "In short, ", "In other words, ", "Formally, ",
                 "Here, ", "Simply put, ")
"""Lead-ins a definition sentence may open with before its term."""
EN_COPULAS = ("refers to", "is defined as", "are defined as", "stands for", "is known as", "means", "describes",
              "denotes", "represents", "is", "are")
EN_IS_NEXT = words("a an the one how what where when used known responsible basically simply essentially just any "
                    "each")
EN_IS_ADVERBS = words("itself themselves also typically usually often actually really generally primarily mainly "
                       "still therefore thus")
"""Words that may stand between "is" and its noun phrase ("Talker is itself an AR model")."""
_EN_LABEL_TAILS = words("method methods strategy approach timing flow setting settings status result results "
                        "overview summary note notes example examples details cost costs benefit benefits impact goal "
                        "goals idea ideas problem problems issue issues solution solutions question answer observation "
                        "observations group team teams contributors authors members maintainers recommendation "
                        "recommendations")
"""Last words that make a key a field of a description rather than a term ("Codebook strategy:")."""
_EN_FIELD_TAILS = words("background dataset datasets baseline baselines setup scenario scenarios workload")
"""Last words that make any English key, bold or not, a field of a report ("Eval dataset:")."""
_EN_CHANGE_VERBS = words("add adds extend enhance introduce implement improve refactor fix migrate upgrade investigate "
                         "explore todo")
"""A value that starts with one of these is a to-do item, not a definition ("Add a sleep mechanism…")."""
_CN_CHANGE_VERBS = ("新增", "添加", "增加", "完善", "修复", "改进", "重构")
_CN_ADVICE = ("应", "应该", "应当", "必须", "建议", "尽量", "不要", "避免", "务必", "最好")
_EN_ADVICE = words("should must always never avoid prefer consider ensure remember don't do")
_EN_SMALL = words("of and the for to in on a an with via over")
_EN_AUX = words("is are was were be been does do did not can could will would should must has have had may might")


def is_cjk_char(ch: str) -> bool:
    cp = ord(ch)
    return 0x3400 <= cp <= 0x9FFF or 0xF900 <= cp <= 0xFAFF or 0x3040 <= cp <= 0x30FF or 0xAC00 <= cp <= 0xD7AF


def is_latin_char(ch: str) -> bool:
    return ch.isascii() and (ch.isalnum() or ch in "_")


_PARENS = re.compile(r"[（()）]")
_UNQUOTE = str.maketrans("", "", "`*_\"'“”「」")


def core(term: str) -> str:
    """A term without its gloss, lower-cased and without spaces: for comparing terms."""
    if not _PARENS.search(term):
        text = "".join(term.split()).translate(_UNQUOTE) or term
        return unicodedata.normalize("NFKC", text).lower().strip(":：-—– ")
    out: list[str] = []
    depth = 0
    for ch in term:
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            depth = max(0, depth - 1)
        elif depth == 0 and not ch.isspace() and ch not in "`*_\"'“”「」":
            out.append(ch)
    text = "".join(out) or term
    return unicodedata.normalize("NFKC", text).lower().strip(":：-—– ")


def strip_lead_ordinal(text: str, pos: int) -> int:
    """Skip an ordinal like ``1、`` or ``（2）`` written as text at ``pos``."""
    match = _LEAD_ORDINAL.match(text[pos : pos + 12])
    return pos + match.end() if match else pos


def skip_spaces(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in " \t\u3000":
        pos += 1
    return pos


def separator(prose: str, pos: int) -> tuple[str, int] | None:
    """``("colon"|"dash", end)`` if a key separator starts at ``pos`` (after optional spaces)."""
    start = pos
    pos = skip_spaces(prose, pos)
    ch = prose[pos : pos + 1]
    nxt = prose[pos + 1 : pos + 2]
    if ch == "：":
        return "colon", pos + 1
    if ch == ":" and (not nxt or nxt in " \t\n" or is_cjk_char(nxt) or nxt in "`*\"“"):
        return "colon", pos + 1
    if ch == "—":
        end = pos + 1
        while prose[end : end + 1] == "—":
            end += 1
        return "dash", end
    if ch in "–-" and pos > start and nxt in (" ", "\u3000"):
        return "dash", pos + 1
    if prose[pos : pos + 2] == "--" and pos > start and prose[pos + 2 : pos + 3] == " ":
        return "dash", pos + 2
    return None


def gloss_end(text: str, pos: int, limit: int = 80) -> int | None:
    """End of a parenthetical gloss ``（English）``/``(中文)`` starting at ``pos`` (after optional spaces)."""
    pos = skip_spaces(text, pos)
    if text[pos : pos + 1] not in _OPEN:
        return None
    depth = 0
    for i in range(pos, min(len(text), pos + limit)):
        ch = text[i]
        if ch == "\n":
            return None
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            depth -= 1
            if depth == 0:
                return i + 1 if i > pos + 1 else None
    return None


def is_gloss(inner: str, term: str) -> bool:
    """Whether a parenthetical names the term again (another language, the expansion, the abbreviation)."""
    inner = inner.strip()
    if not inner or len(inner) > 70:
        return False
    low = inner.lower()
    if low.startswith(("e.g", "i.e", "eg", "see ", "如", "见", "例如", "比如", "参见", "注", "optional", "可选", "下同",
                       "图", "fig", "单位", "默认", "default")):
        return False
    if _MEASURE.match(inner) or inner.isdigit():
        return False
    if inner.count(",") + inner.count("，") + inner.count("、") >= 2:
        return False  # "多级缓存（L1, L2, L3）": what it is made of, not another name for it
    term_cjk = any(is_cjk_char(c) for c in term)
    inner_latin = any(c.isascii() and c.isalpha() for c in inner)
    inner_cjk = any(is_cjk_char(c) for c in inner)
    if term_cjk:
        return inner_latin
    # A Latin term glossed in Chinese, or expanded ("RDMA (Remote Direct Memory Access)").
    if inner_cjk:
        return sum(1 for c in inner if is_cjk_char(c)) <= 16
    parts = re.split(r"[\s-]+", inner)
    capitalised = len(parts) >= 2 and all(w[:1].isupper() or not w[:1].isalpha() or w in _EN_SMALL for w in parts[:5])
    return inner_latin and (capitalised or inner.isupper() or _abbreviates(inner, term))


def _abbreviates(short: str, name: str) -> bool:
    """``MoE`` for ``Mixture of Experts``: the capitals of one word are the initials of the other's words."""
    capitals = "".join(c for c in short if c.isupper())
    initials = "".join(w[0] for w in re.split(r"[\s-]+", name) if w[:1].isupper())
    return " " not in short.strip() and len(capitals) >= 2 and capitals == initials


def is_ordinal(key: str) -> bool:
    return bool(_ORDINAL.match(key.strip()))


def looks_like_path(text: str) -> bool:
    text = text.strip().strip("`")
    if not text or " " in text:
        return False
    if text.startswith("$"):
        return False
    if text.startswith(("./", "../", "~/", "/")) or text.endswith("/") or (len(text) > 2 and text[1:3] == ":\\"):
        return True
    last = text.rsplit("/", 1)[-1]
    stem, dot, ext = last.rpartition(".")
    if dot and stem and ext.lower() in _EXTENSIONS:
        return True
    return text.count("/") >= 2 and not any(is_cjk_char(c) for c in text)


_ACTION_START = re.compile("|".join(re.escape(v) for v in _ACTION_PREFIXES))


def is_step(key: str) -> bool:
    """A key that starts with a verb: an action or a step (``查询端口信息``, ``Format the prompt``), not a name."""
    plain = core(key).strip("*_`\"' ")
    found = _ACTION_START.match(plain)
    verb = found.group() if found else None
    if verb and has_name_gloss(key):
        return False  # "支持分散/聚合条目(Scatter/gather entries support)": named in two languages, a feature
    short_noun = len(plain) - len(verb or "") <= 3 and plain.endswith(_NOUN_TAILS + _STEP_NOUNS)
    if verb and len(plain) > len(verb) and not short_noun:
        return True  # "提高时钟频率" is an action; "优化器" is a name
    words = key.split()
    return len(words) >= 2 and words[0].lower() in _EN_ACTIONS and not key.isupper()


def is_label(key: str) -> bool:
    """A field label, an ordinal step or a list lead-in, not a term."""
    if _FLAG.match(key.strip("*`\"' ")):
        return False  # "-m", "--ctx-size": a command-line flag is a name
    if "$" in key and has_gloss(key):
        return False  # "Observation（观察，$O_t$）": a quantity with its symbol, not a field
    plain = core(key).strip("*_`\"' ")
    plain = plain[next((i for i, ch in enumerate(plain) if ch.isalnum()), len(plain)) :]  # "📊 原文配图"
    spaced = " ".join(_outside_parens(key).lower().split()).strip(" :：*_`\"'")
    if not plain:
        return True
    if plain in FIELD_LABELS or plain.rstrip("s") in FIELD_LABELS or spaced in FIELD_LABELS or is_ordinal(plain):
        return True
    head, _, rest = spaced.partition(" ")
    if head in _EN_DETERMINERS and (rest in FIELD_LABELS or rest.rstrip("s") in FIELD_LABELS):
        return True  # "The problem", "Our solution": a label behind an article
    if spaced.rsplit(" ", 1)[-1] in _EN_FIELD_TAILS and spaced.isascii():
        return True  # "Design background", "Eval dataset": a field of a write-up
    if plain.startswith(_LABEL_PREFIXES) or is_step(key):
        return True
    words = key.split()
    if words and words[-1] in EN_NON_SUBJECT and len(words) >= 2:
        return True  # "Special thanks to:", "Compared with:"
    if _REFERENCE.search(key):
        return True  # "llama.cpp PR #20288", "Commit 7": a pointer to a change, not a term
    if plain.endswith("性") and len(plain) <= 6 and all(is_cjk_char(c) for c in plain):
        return True  # 可扩展性, 灵活性: a property of something, not a term
    # "编码方式（Encoding Scheme）": named in two languages, a suffix like 方式 no longer makes it a label.
    named_twice = key.rstrip(" :：*").endswith(tuple(_CLOSE)) and has_gloss(key)
    # "传统 peer-direct 方案": a named approach, where "解决方案" alone labels a field.
    named_approach = plain.endswith(("方案", "方式", "方法", "做法")) and re.search(r"[A-Za-z]{2}", plain) is not None
    return plain.endswith(_LABEL_SUFFIXES) and len(plain) <= 12 and any(is_cjk_char(c) for c in plain) and (
        not named_twice) and not named_approach


def has_name_gloss(term: str) -> bool:
    """``消息基于事务(Message based transactions)``: glossed by a name in words, not by code, a link or a note."""
    for opener in _OPEN:
        at = term.find(opener)
        if at > 0:
            end = gloss_end(term, at)
            inner = term[at + 1 : end - 1] if end is not None else ""
            if inner and _NAME_WORDS.match(inner) and is_gloss(inner, term[:at]):
                return True
    return False


_NAME_WORDS = re.compile(r"^[A-Za-z][A-Za-z0-9]*(?:[ /&-]+[A-Za-z0-9]+)*$")


def has_gloss(term: str) -> bool:
    """``OOV（Out-of-Vocabulary）``: a term that names itself twice is a term even where labels or points stand."""
    for opener in _OPEN:
        at = term.find(opener)
        if at > 0:
            end = gloss_end(term, at)
            if end is not None and is_gloss(term[at + 1 : end - 1], term[:at]):
                return True
    return False


def _outside_parens(text: str) -> str:
    out: list[str] = []
    depth = 0
    for ch in text:
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            depth = max(0, depth - 1)
        elif depth == 0:
            out.append(ch)
    return "".join(out)


_EN_DETERMINERS = words("the a an our my your their its this that these those")
_EN_EVALUATIVE = words("better worse faster slower lower higher smaller larger bigger simpler easier harder cheaper "
                       "stronger weaker fewer more less greater improved simplified optimized enhanced reduced "
                       "increased stable efficient flexible scalable robust seamless")
"""First words that make an English key a judgement ("Better compatibility", "Simplified implementation")."""
_EN_COMPARE = words("vs vs. versus")
_EN_NAMING = words("first second third next last one note let see")
"""Ordinals and numerals that do begin names ("First Fit", "One hot encoding")."""
_CN_PREDICATES = ("复杂", "简单", "困难", "容易", "敏感", "明显", "稳定", "灵活", "方便", "重要", "关键", "密集",
                  "不同", "一致", "昂贵", "友好", "高效", "低效", "可靠", "主导", "有限", "显著", "广泛", "频繁",
                  "繁琐", "麻烦", "突出", "较差", "良好", "优秀", "缓慢", "迅速", "充足", "充分",
                  "高", "低", "好", "快", "慢", "强", "弱", "多", "少", "大", "小", "重", "轻")
"""Adjectives that end a claim about something ("延迟低", "实现复杂", "调试困难"), not a name."""
_CN_PREDICATE_WORDS = ("大小", "多少", "权重", "增强", "加强", "偏好", "爱好", "最大", "最小", "最高", "最低", "最多",
                       "最少", "至少", "减少", "缺少", "提高", "降低", "升高", "加快", "减轻", "减弱", "对多", "轻重",
                       "强弱", "高低", "快慢")
"""Words that end in one of those adjectives but are nouns or verbs (``块大小``, ``权重``, ``一对多``)."""
_CN_CLAUSE_MARKS = ("必须", "应该", "应当", "需要", "不能", "不要", "不会", "不用", "不必", "可以", "能够", "无法",
                    "没有", "怎么", "如何", "为什么", "为何", "是否", "不是", "几个", "多少", "多久", "哪些", "哪个",
                    "什么", "至少", "至多", "超过", "大于", "小于", "等于")
"""Modals, negations and question words: a key holding one is a sentence (``S2 Pro 的分析不要重复…``)."""
_CN_CLAUSE_STARTS = ("如果", "虽然", "因为", "所以", "由于", "因此", "然后", "接着", "随着", "对于", "关于", "为了",
                     "通过", "根据", "除了", "但是", "而且", "并且", "首先", "其次", "最后", "此外", "另外", "总之",
                     "之后", "若", "假如", "一个", "一种", "一些", "两个", "两种", "三个", "三种", "几种", "多种",
                     "某个", "某些", "每个", "这", "那", "它", "该",
                     "此")
"""Connectives and sequence words that open a clause or a step (``然后删除容器``, ``因此 SGLang 选择…``)."""
_CN_NEGATED = ("均匀", "稳定", "一致", "明显", "支持", "可用", "可行", "清楚", "准确", "确定", "连续", "动", "变",
               "够", "对", "好", "同", "行")
"""What 不 negates at the end of a claim (``间隔不均匀``, ``纹丝不动``)."""
_CN_TIME_NOUNS = ("实时", "超时", "定时", "延时", "计时", "同时", "及时", "临时", "准时", "按时", "当时", "暂时",
                  "运行时", "小时", "耗时", "工时")
"""Nouns ending in 时 that do not mean "when …" (``运行时``, ``超时``)."""


def is_claim(key: str) -> bool:
    """A key that states something about a thing (a trait, a comparison, a finding) instead of naming it.

    A term is a noun phrase: ``KV Cache``, ``流水线并行``. ``延迟低``, ``实现复杂``,
    ``Encoder caching 对 MOSS 更关键``, ``FP8 kernels are reliable``, ``Better compatibility``
    and ``A vs. B`` are what a list of pros, cons, findings or comparisons is made of.
    """
    outer = " ".join(_outside_parens(key).replace("*", " ").split()).strip(" :：")
    parts = outer.split()
    low = [w.lower() for w in parts]
    if any(w in _EN_COMPARE for w in low) or "对比" in outer:
        return True
    if len(parts) >= 2 and parts[0].isascii() and parts[1].isascii():
        if any(w in _EN_AUX for w in low[1:]):
            return True  # "FP8 kernels are reliable", "Talker does not use RadixCache"
        if low[0].endswith("s") and (low[0][:-1] in _EN_ACTIONS or low[0][:-2] in _EN_ACTIONS):
            return True  # "Reduces TIS clip fraction": a finding, subject left out
        lead = low[0] in EN_NON_SUBJECT and low[0] not in _EN_DETERMINERS and low[0] not in _EN_NAMING
        if low[0] in _EN_EVALUATIVE or lead:
            return True  # "Better compatibility"; "In pre-training", "When the cache is full", "No host sync"
    cjk = [c for c in outer if is_cjk_char(c)]
    if not cjk:
        return False
    if "是" in outer or any(w in outer for w in _CN_CLAUSE_MARKS) or outer.startswith(_CN_CLAUSE_STARTS):
        return True  # "MOSS 的 encoder 和 vocoder 是不同的模型", "X 必须交代", "然后删除容器"
    if outer[:1] == "第" and outer[1:2] in _CN_NUM + "0123456789" and "个" in outer[2:4]:
        return True  # "第一个集群": a reference to one of several things, not a name
    if outer.startswith("从") and "到" in outer:
        return True  # "从单层 VQ 到 RVQ": a passage, not a name
    if outer.startswith("在") and outer.endswith(("中", "时", "上", "下", "里", "内")):
        return True  # "在强化学习（RL）中": where something holds, not a name
    if outer.endswith(("时候", "之后", "之前", "以后", "以前")) or (
            outer.endswith("时") and len(outer) >= 3 and not outer.endswith(_CN_TIME_NOUNS)):
        return True  # "生成时", "credit 耗尽时": a condition, not a name
    tail = outer.rstrip("。.!！")
    if len(tail) >= 3 and tail.endswith(tuple("不" + w for w in _CN_NEGATED)):
        return True  # "间隔本身不均匀", "日志纹丝不动": a negated predicate
    if len(tail) < 3 or tail.endswith(_CN_PREDICATE_WORDS):
        return False
    return tail.endswith(_CN_PREDICATES) and is_cjk_char(tail[-1])


def is_strong_term(key: str) -> bool:
    """A Latin name a reader recognises as a term on sight, whatever surrounds it.

    Acronyms and CamelCase (``EPLB``, ``DeepEP``, ``MoE``), names with digits
    (``FP8``, ``LL128``), identifiers (``max_num_seqs``, ``torch.compile``).
    ``Security`` or ``Fault tolerance`` are ordinary words: terms only in a list of terms,
    and so is a phrase around a name (``CUDA 架构设计原则``, ``Tuning the KV cache size``).
    """
    outer = _outside_parens(key)
    names = [w.strip("*`\"'.,:：") for w in re.split(r"[\s/]+", outer) if w.strip("*`\"'.,:：")]
    if not names or any(is_cjk_char(c) for c in outer) or any(w.lower() in EN_NON_SUBJECT for w in names):
        return False
    strong = [w for w in names if _strong_word(w)]
    # "KV Cache", "Fused MoE" are names; "VLM Architecture Adaptation" is a phrase about one.
    return bool(strong) and (len(names) <= 2 or len(strong) == len(names))


def _strong_word(word: str) -> bool:
    letters = [c for c in word if c.isascii() and c.isalpha()]
    if len(letters) < 2 or not word.isascii():
        return False
    if "_" in word or any(ch.isdigit() for ch in word):
        return True
    if "." in word.strip(".") and word.replace(".", "").isalnum():
        return True
    # A capital inside a piece of the word: "DeepEP", "MoE", "EPLB"; not "Multi-Turn".
    return any(any(ch.isupper() for ch in piece[1:]) for piece in word.split("-"))


_VALUE_EFFECT_CN = ("较高的", "较低的", "更高的", "更低的", "较高", "较低", "更高", "更低", "过高", "过低", "提高",
                    "降低", "增加", "减少", "增大", "减小", "高", "低")
_VALUE_EFFECT_EN = ("the higher", "the lower", "the more", "the less", "the larger", "the smaller", "higher", "lower",
                    "more", "less", "larger", "smaller", "increasing", "decreasing", "a higher", "a lower",
                    "a larger", "a smaller")


_NONE_VALUE = re.compile(r"(?:无|没有)\s*[A-Za-z0-9_ -]{0,24}")


def value_defines(value: str, term: str, code: bool = False) -> bool:
    """Whether a value says what the term is or does (D1), judged by its form.

    Not a definition: a question (``为什么 X 需要…？``, a checklist item), a bare
    name or setting (``**设备**: CPU``, ``Executor: `Foo```) unless it spells the
    term out (``IB: InfiniBand``), the effect of the term's size rather than the
    term itself (``缓存命中率：高缓存命中率可以…``, ``时钟频率：时钟频率越高，…``), and
    for a key in words (not ``code``, which names a function that may well add
    things) a to-do item or advice (``新增休眠机制…``, ``应尽量…``, ``Avoid …``).
    """
    text = " ".join(value.replace("*", "").replace("`", "").split()).strip()
    first_word = text.split(" ", 1)[0] if text else ""
    if not code and (text.startswith(_CN_CHANGE_VERBS) or (
            text.startswith(_CN_ADVICE) and not text.startswith(("应用", "应答", "应对"))) or (
            first_word.lower() in _EN_ADVICE and first_word[:1].isupper())):
        return False
    first = re.split(r"(?<=[。！？!?])|(?<=\.)\s", text, maxsplit=1)[0].strip()
    if first.endswith(("?", "？")):
        return False
    if _NONE_VALUE.fullmatch(text) or text.lower() in ("none", "n/a", "-", "null"):
        return False  # "无 XOR swizzle", "None": a setting left off, not what the term is
    bare = _outside_parens(text).strip(" 。.;；,，")
    if bare and " " not in bare and not any(is_cjk_char(c) for c in bare):
        capitals = "".join(c for c in bare if c.isupper())
        if capitals != "".join(c for c in _outside_parens(term) if c.isalnum()).upper() or len(capitals) < 2:
            return False
    outer = _outside_parens(term)
    cjk_run = "".join(c for c in outer if is_cjk_char(c))[-8:]
    latin = [w.lower() for w in outer.split() if w.isascii()][-4:]
    # The term's own head, as the value might restate it: "命中率", "缓存命中率", "frequency", "clock frequency".
    heads = [cjk_run[i:] for i in range(len(cjk_run) - 1)] + [" ".join(latin[i:]) for i in range(len(latin))]
    heads = [h for h in heads if len(h) >= 2 and not (h.isascii() and len(h) < 4)]
    low = text.lower()
    for lead in _VALUE_EFFECT_CN + _VALUE_EFFECT_EN:
        if low.startswith(lead):
            rest = low[len(lead) :].lstrip().removeprefix("the ")
            if any(rest.startswith(h) for h in heads):
                return False
            break
    return not any(text.startswith(h + "越") for h in heads)


def term_shape_ok(key: str, plain: bool, code: bool = False) -> bool:
    """Whether a key is shaped like a term: short, no sentence punctuation, not a clause.

    ``plain`` keys (no bold or code marking them) must also read as a noun:
    no function words that make a phrase of them, no determiner in front.
    """
    key = key.strip()
    outer = _outside_parens(key).strip()
    if not outer or len(outer) > (64 if code else 40 if not plain else 32) or "\n" in key:
        return False
    listed = outer if plain else outer.replace("、", "").replace(",", "")
    if any(ch in SENTENCE_PUNCT for ch in listed) or outer.endswith(("?", "？")):
        return False
    if OPAQUE in outer and plain:
        return False
    cjk = sum(1 for c in outer if is_cjk_char(c))
    words = [w for w in re.split(r"[\s/]+", outer) if w and any(c.isascii() and c.isalpha() for c in w)]
    if cjk > (16 if not plain else 10) or len(words) > (7 if not plain else 5):
        return False
    if looks_like_path(outer) or _URL.match(outer) or not any(c.isalpha() or c == OPAQUE for c in outer):
        return False  # a path, a link, or a bare number ("`2048`: …")
    if plain:
        clause = any(ch in outer for ch in "的是有在了吗呢把被将让使就都也还") or any(w in outer for w in _CLAUSE_WORDS)
        if clause and not has_name_gloss(key):
            return False  # "消息基于事务(Message based transactions)" is named twice: a term, not a clause
        first = outer.split()[0].lower() if outer.split() else ""
        if first in EN_NON_SUBJECT or outer.startswith(CN_PRONOUN_START):
            return False
        parts = outer.split()
        if any(w.lower() in _EN_AUX for w in parts[1:]) or "'s " in outer or "’s " in outer:
            return False  # "Talker does not use RadixCache", "Talker's KV cache": a statement or a phrase
        if any(w[-1:] == "s" and w.islower() and parts[n][:1].isupper() and n + 2 < len(parts)
               for n, w in enumerate(parts[1:])):
            return False  # "Slow AR generates semantic tokens": subject, verb, object
        if len(parts) >= 2 and parts[-1].lower() in _EN_LABEL_TAILS and not outer.isupper():
            return False  # "Startup method", "Key idea": a field of a description
        if not any(c.isalnum() for c in outer):
            return False
    return True


def value_ok(value: str, term: str) -> bool:
    """Whether a value says something: not empty, not only a link, path, number or the term again."""
    value = value.strip().strip("。.;；,，")
    alnum = sum(map(str.isalnum, value))
    if alnum + value.count(OPAQUE) < 3:
        return False  # "不变", "是", "—": a value, not a definition
    if _URL.match(value) or looks_like_path(value) or _MEASURE.match(value) or _VERSION.match(value):
        return False
    first = value.split()[0] if value.split() else ""
    if len(value) <= 30 and (_VERSION.match(first) or _MEASURE.match(first) or _VERSION_START.match(value)):
        return False
    if first.lower() in _EN_CHANGE_VERBS and first[:1].isupper():
        return False
    if first in ("We", "I", "Our", "My") or value.startswith(("我们", "我")):
        return False  # "We implemented…": what the authors did, not what the term is
    items = [i.strip() for i in value.replace("，", ",").replace("、", ",").split(",")]
    if len(items) >= 3 and all(0 < len(i.split()) <= 3 and i[:1].isupper() for i in items if i):
        return False  # "Ji Li, Yefei Chen, Xi Chen": a list of names
    if sum(map(str.isdigit, value)) * 2 > alnum:
        return False  # "3、6、12、24": values, not a definition
    if _is_measure(value):
        return False  # "延迟约 180ms", "8 GB": a measurement, not a definition
    return core(value) != core(term)


def _is_measure(text: str, units: int = 6, lead: bool = False) -> bool:
    """A short value made of numbers and a few unit or property words: ``延迟约 180 ms``, ``263 tokens/s``.

    ``lead``: the number must come first (after 约/~), as after a copula (``为 263 tokens/s``).
    """
    if len(text) > 24 or (lead and not (text[:1].isdigit() or text.startswith(("约", "~", "≈")))):
        return False
    # A number stands on its own ("180 ms", "x 8"); the digit of a name ("FP8", "Y1") is no measurement.
    if not any(ch.isdigit() and (i == 0 or not is_latin_char(text[i - 1])) for i, ch in enumerate(text)):
        return False
    return sum(ch.isalnum() and not ch.isdigit() for ch in text) <= units


def cn_copula(text: str, pos: int, lenient: bool = False, strict: bool = False) -> int | None:
    """End of a Chinese copula at ``pos`` (``是指``, ``即``, ``全称是``…), checking what follows a bare ``是``.

    ``lenient`` (for a symbol: ``$1/N(A)$ 是“学习率”或“步长”``): what follows a bare 是 may be a
    long phrase without 的. ``strict`` (after a comma): it must be a noun phrase with 的 or
    start with 一 (``是一种…``); ``是瓶颈`` there is a statement.
    """
    window = text[pos : pos + 8]
    for word in CN_COPULAS:
        if window.startswith(word):
            end = pos + len(word)
            after = text[end : end + 1]
            if word == "即" and after in ("可", "使", "便", "依", "开", "进", "被", "会", "将", "把", "在", "对", "从",
                                         "刻", "时", "得", "能"):
                return None  # "ALU 即依据指令读取…": 即 as "then", not "that is"
            if word.endswith("指") and after in ("令", "针", "标", "出", "定", "向", "导", "南"):
                return None  # "是指令级别的并行": 是 + 指令, not 是指
            if word == "表示" and after in ("不", "没"):
                return None
            if word.startswith("代表") and after in ("性", "作"):
                return None
            if word in ("对应", "对应着", "代表", "表示", "指") and after == "的" and text[end + 1 : end + 2] != "是":
                return None  # "token D对应的K, V": a modifier, not a copula
            return end
    for word in CN_WEAK_COPULAS:
        if window.startswith(word):
            end = pos + len(word)
            rest = text[end : end + 4].lstrip()
            if (rest.startswith(_CN_WEAK_REJECT) and not rest.startswith(_CN_YOU_NOUNS)) or (
                    word == "为" and rest[:1] in "了什何例止此主") or rest[:1] in "：:":
                return None  # "Flag校验位为：8B" gives a value
            clause = _clause(text, end, 40)
            if len(clause) < 2 or clause.endswith(("？", "?", "倍")) or "吗" in clause or "什么" in clause:
                return None  # "为负" and "是 Kepler 架构的两倍" give values
            if clause.endswith(("例子", "示例", "案例", "代表")):
                return None  # "Higgs 是一个典型例子": an instance of something, not what it is
            if clause.endswith("的") and not clause.startswith("基于"):
                return None  # "是由调度器决定的" states a fact; "是基于 X 发展而来的" still says what it is
            at = clause.find("最")
            judged = at != -1 and (clause.startswith(_CN_SUPERLATIVES, at + 1) or (
                _SUPERLATIVE_OF.match(clause, at + 1) is not None and clause[at + 1] not in "小大"))
            if judged and not clause.endswith("之一"):
                return None  # "是当今最高效的…" judges rather than defines; "最小重复块" still names a unit
            if "而生" in clause or _is_measure(clause, units=10, lead=True):
                return None  # "为存储而生" says what it is for; "为 263 tokens/s", "是 2176 字节" are values
            if rest.startswith(_CN_SOFT_REJECT) and "的" not in clause:
                return None
            if word == "为" and any(verb in clause for verb in _CN_FOR_VERBS):
                return None  # "NVSHMEM 为所有 GPU 提供了…": 为 as "for", then what is done
            if clause.startswith(("一", "基于")) or "的" in clause or (not strict and (len(clause) <= 16 or lenient)):
                return end
            return None
    return None


def _clause(text: str, pos: int, limit: int) -> str:
    end = pos
    stop = min(len(text), pos + limit)
    while end < stop and text[end] not in "，。；,;\n—":
        end += 1
    return text[pos:end].strip()


def en_copula(text: str, pos: int) -> int | None:
    """End of an English copula at ``pos`` ("is a", "refers to", "stands for"…)."""
    window = text[pos : pos + 24]
    for word in EN_COPULAS:
        if window.startswith(word) and text[pos + len(word) : pos + len(word) + 1] in (" ", ""):
            end = pos + len(word)
            if word in ("is", "are"):
                nxt = [w.lower().strip(",") for w in text[end : end + 40].split()[:4]]
                if nxt and nxt[0] in EN_IS_ADVERBS and len(nxt) > 1 and nxt[1] in ("a", "an"):
                    nxt.pop(0)  # "is itself an AR model"; not "is often used"
                if not nxt or nxt[0] not in EN_IS_NEXT:
                    return None
                if nxt[0] == "used" and nxt[1:2] not in (["to"], ["for"]):
                    return None  # "is used to/for …" says what it is for; "is used as `cur_batch`" does not
                if "most" in nxt or "best" in nxt:
                    return None  # "is one of the most popular…" judges rather than defines
            return end
    return None


_CN_FUNCTION_STARTS = ("与", "和", "在", "从", "将", "把", "对", "由", "以", "用", "当", "如果", "按", "虽然", "但",
                       "而", "因为", "所以", "由于", "让", "使", "被", "给", "向")


def cjk_name_ok(name: str) -> bool:
    """Whether a run of Chinese before a gloss reads as a name, not a clause (``使用 RDMA（…）``)."""
    cjk = sum(1 for c in name if is_cjk_char(c))
    return 0 < cjk <= 9 and not any(w in name for w in _CLAUSE_WORDS) and not name.startswith(
        _ACTION_PREFIXES + CN_PRONOUN_START + _CN_FUNCTION_STARTS + _CN_CLAUSE_STARTS)


def noun_tail(tail: str) -> bool:
    return tail.endswith(_NOUN_TAILS) and "的" not in tail


_LEAD_WORDS = ("要求", "依赖", "环境", "requirement", "prerequisite", "dependency", "dependencies", "优点", "缺点",
               "优势", "劣势", "好处", "坏处", "不足", "特点", "特征", "因素", "原因", "方法", "建议", "技巧", "要点",
               "挑战", "限制", "注意事项", "优缺点", "pros", "cons", "advantage", "disadvantage", "benefit",
               "drawback", "limitation", "challenge", "tip", "factor", "reason", "observation", "takeaway",
               "best practice", "lesson", "key point", "highlight", "this article", "this post", "本文", "covers",
               "风险", "risk", "应用场景", "应用领域", "application", "use case", "场景", "checklist", "insight",
               "pitfall", "consideration")


_POINT_HEADINGS = ("why", "为什么", "原因", "reason", "advantage", "disadvantage", "benefit", "drawback", "pros",
                   "cons", "优点", "缺点", "优势", "劣势", "好处", "坏处", "挑战", "challenge", "因素", "factor",
                   "技巧", "tips", "best practice", "lesson", "takeaway", "思考", "风险", "risk", "application",
                   "use case", "应用场景", "应用领域", "checklist", "review", "insight", "pitfall", "consideration",
                   "特点", "future work", "roadmap", "todo", "展望", "未来", "规划", "路线图")


def _word_pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    """English words match whole (plural allowed: "cons" is not in "consists"), Chinese anywhere."""
    latin = "|".join(re.escape(w) for w in words if w.isascii())
    cjk = "|".join(re.escape(w) for w in words if not w.isascii())
    return re.compile(rf"\b(?:{latin})s?\b|{cjk}")


_LEAD_PATTERN = _word_pattern(_LEAD_WORDS)
_POINTS_PATTERN = _word_pattern(_POINT_HEADINGS)


def is_points_heading(heading: str) -> bool:
    """A heading whose list items are points (reasons, pros and cons, tips), not terms."""
    return _POINTS_PATTERN.search(heading.lower()) is not None


def opens_with_lead_in(paragraph: str) -> bool:
    """``Prefill阶段有几个重要特点：`` as the first line, the points on the lines after it (no blank line)."""
    first, newline, _ = paragraph.strip().partition("\n")
    return bool(newline) and is_lead_in(first)


def is_lead_in(paragraph: str) -> bool:
    """``word（词）粒度的优点有：`` / ``Key observations:``: what follows lists points, not terms."""
    last = paragraph.strip().rsplit("\n", 1)[-1].strip().strip("*").strip()
    if not last.endswith((":", "：")):
        return False
    last = re.split(r"[。！？；.!?;]\s*", last)[-1]  # only the sentence that leads in
    return _LEAD_PATTERN.search(last.lower()) is not None
