"""What a message counts towards in hotspot detection: places named in it and its key terms (pure functions).

Places: 街道/镇/乡 and 区/县 names found by pattern — a name is two to four Han characters that are not
themselves administrative suffixes, so "A7县春华镇金鼎村" yields A7县 and 春华镇. Leading verbs and particles
("反映春华镇") are trimmed and common nouns that end like places (小区, 社区, 城镇, 乡镇…) are refused. It is a
heuristic, not a gazetteer: an office would add its own list of 街道/镇 (see KNOWN_PLACES).
Key terms: the message's highest TF-IDF tokens, with the shipped topic model's IDF (the same jieba tokens).
"""

from __future__ import annotations

import re
from collections import Counter

_HAN_NAME = r"(?:(?![省市区县镇乡村街道路号栋楼的])[\u4e00-\u9fff])"
_PLACE = re.compile(
    r"(?P<code>[A-Z]\d{1,2}(?:区|县))"  # anonymised districts in the shared data: A3区, A7县
    rf"|(?P<town>{_HAN_NAME}{{2,4}}(?:街道|镇|乡))"
    # Han-named 区/县 only right after a 省/市 or at a boundary: inside running text "…区" is mostly 小区, 园区…
    rf"|(?:(?<=[省市])|(?<![\u4e00-\u9fff]))(?P<county>{_HAN_NAME}{{2,3}}(?:区|县))"
)
# Words that end like a place but are not one; checked on the character(s) before the suffix.
_NOT_TOWN = ("城", "集", "小", "重", "古", "各", "全", "本", "该", "我", "每", "特色小", "村", "农", "城关")
_NOT_COUNTY = ("小", "社", "园", "景", "辖", "城", "该", "本", "我", "全", "郊", "片", "校", "营", "学", "军", "分",
               "专", "禁", "厂", "矿", "库", "港", "商", "住", "新", "老", "宿舍", "生活", "居住", "保护", "开发",
               "示范", "功能", "各", "山", "灾", "疫", "试验", "工业", "城区", "市", "郡", "州")
# Verbs and particles that glue onto the front of a name in running text.
_LEADING = ("本人系", "人系", "反映", "关于", "位于", "地处", "咨询", "投诉", "举报", "请问", "希望", "居住", "本人",
            "我们", "我家", "来自", "家住", "住在", "前往", "属于", "以及", "还有", "目前", "现在", "今年")
_LEADING_CHARS = set("在于从到对向和与及的是至往了我住属把被将由请为给就都也去来")
KNOWN_PLACES: tuple[str, ...] = ()  # an office's own 街道/镇 names, always recognised

MAX_TERMS = 5
MIN_TERM_LEN = 2
# Words every complaint uses; they say nothing about which matter surges.
_GENERIC = frozenset("""问题 反映 希望 政府 部门 领导 解决 您好 你好 请问 情况 相关 我们 现在 没有 市民 工作
一个 这个 那个
要求 处理 时间 已经 没有 进行 可以 就是 什么 怎么 为什么 还是 但是 因为 所以 如果 这些 那些 他们 自己 目前 今年 去年
年月 小区 居民 群众 业主 有关 单位 职能 尽快 情况 本人 家里 严重 影响 非常 多次 一直 至今 造成 导致 发现 不能 不是 需要
领导 书记 市长 县长 区长 同志 谢谢 感谢 您好 麻烦 帮助 反应 政策 规定 来电 市民来电 来电人 从前 说不清楚 没来
网友 留言 回复""".split())
_ASCII_OR_DIGIT = re.compile(r"^[\x00-\x7f]+$")


def _trim(name: str, suffix: str) -> str:
    """Drop verbs and particles stuck to the front of a matched name (keeps at least two characters)."""
    stem = name[: -len(suffix)]
    changed = True
    while changed and len(stem) > 2:
        changed = False
        for lead in _LEADING:
            if stem.startswith(lead) and len(stem) - len(lead) >= 2:
                stem, changed = stem[len(lead):], True
        if stem[0] in _LEADING_CHARS and len(stem) > 2:
            stem, changed = stem[1:], True
    return stem + suffix


def places(text: str) -> list[str]:
    """The 区/县 and 街道/镇/乡 names the text mentions, in order of first mention, each once."""
    found: dict[str, None] = {name: None for name in KNOWN_PLACES if name in (text or "")}
    for match in _PLACE.finditer(text or ""):
        kind, name = match.lastgroup, match.group()
        if kind == "code":
            found[name] = None
            continue
        suffix = "街道" if name.endswith("街道") else name[-1]
        name = _trim(name, suffix)
        stem = name[: -len(suffix)]
        refused = _NOT_TOWN if kind == "town" else _NOT_COUNTY
        if any(stem.endswith(word) for word in refused) or stem in _GENERIC:
            continue
        found[name] = None
    return list(found)


def terms(tokens: list[str], idf: dict[str, float], skip: set[str] | None = None) -> list[str]:
    """The MAX_TERMS tokens with the highest TF-IDF (known words; no generic words, numbers, or parts of places)."""
    skip = skip or set()
    counts = Counter(t for t in tokens if len(t) >= MIN_TERM_LEN and t in idf and t not in _GENERIC
                     and not any(t in place for place in skip) and not _ASCII_OR_DIGIT.match(t))
    ranked = sorted(counts, key=lambda t: (-counts[t] * idf[t], t))
    return ranked[:MAX_TERMS]
