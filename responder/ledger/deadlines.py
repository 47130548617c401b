"""Deadlines written in Chinese official prose, resolved to dates (pure; used by the commitment extractor).

Absolute: 2019年6月30日, 6月30日, 6月底/月底, 上旬/中旬/下旬, 年底/年内/年中/上半年/下半年, 春节前, 国庆前;
relative, counted from the reply date: N个工作日内 (on the official calendar), N日/天/周/个月内.
A date without a year takes the reply's year, or the next one when that would lie well in the past
(the last one when well ahead), or the year of a dated phrase before it in the sentence. set_by() leaves
out dates that set nothing: a signature, the citizen's own date, a span counted from some event.
"""

from __future__ import annotations

import calendar as month_calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from responder.workflow.calendar import WorkCalendar

DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
          "九": 9, "元": 1}
NUM = r"[0-9０-９]+|[零〇一二两三四五六七八九十]+"
# 正月初一 by Gregorian year: "春节前" means by the eve (除夕) of the next one.
SPRING_FESTIVAL = {
    2010: (2, 14), 2011: (2, 3), 2012: (1, 23), 2013: (2, 10), 2014: (1, 31), 2015: (2, 19), 2016: (2, 8),
    2017: (1, 28), 2018: (2, 16), 2019: (2, 5), 2020: (1, 25), 2021: (2, 12), 2022: (2, 1), 2023: (1, 22),
    2024: (2, 10), 2025: (1, 29), 2026: (2, 17), 2027: (2, 6), 2028: (1, 26), 2029: (2, 13), 2030: (2, 3),
}
# A yearless date this far before the reply is read as next year's (replies cite recent past dates too),
# and one this far after it as last year's ("直至11月底才完成" in a January reply).
PAST_TOLERANCE = timedelta(days=120)
FUTURE_TOLERANCE = timedelta(days=300)


def number(text: str) -> int | None:
    """Arabic or Chinese numerals up to 99 (一, 十, 十五, 二十三, 15, １５)."""
    text = text.translate(str.maketrans("０１２３４５６７８９", "0123456789"))
    if text.isdigit():
        return int(text)
    if "十" in text:
        tens, _, ones = text.partition("十")
        high = 1 if not tens else DIGITS.get(tens)
        low = 0 if not ones else DIGITS.get(ones)
        return None if high is None or low is None else high * 10 + low
    return DIGITS.get(text)


def _month_end(year: int, month: int) -> date:
    return date(year, month, month_calendar.monthrange(year, month)[1])


def _year(word: str | None, digits: str | None, base: date) -> int | None:
    """The year a phrase names: 2019年, 今年/本年, 明年/次年, 后年; None when it names none."""
    if digits:
        value = number(digits)
        if value is None:
            return None
        return value + 2000 if value < 100 else value
    return {"今年": base.year, "本年": base.year, "当年": base.year, "本年度": base.year, "明年": base.year + 1,
            "次年": base.year + 1, "来年": base.year + 1, "后年": base.year + 2, "去年": base.year - 1,
            "上年": base.year - 1, "前年": base.year - 2}.get(word or "")


def _safe(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _yearless(found: date | None, base: date) -> date | None:
    if found is not None and found < base - PAST_TOLERANCE:
        return _shift(found, 1)
    if found is not None and found > base + FUTURE_TOLERANCE:
        return _shift(found, -1)
    return found


def _shift(day: date, years: int) -> date:
    return _safe(day.year + years, day.month, day.day) or date(day.year + years, day.month, 28)


YEAR = r"(?:(?P<y>(?:19|20)?[0-9]{2})年|(?P<yw>今年|本年度|本年|当年|明年|次年|来年|后年|去年|上年|前年))"
PART_OF_MONTH = {"上旬": 10, "初": 10, "中旬": 20, "中": 20, "下旬": None, "底": None, "末": None}
MONTH = rf"(?:{NUM}|(?<![0-9０-９])元)"  # 元月 is January
# "2019年中小学招生", "年中考": 中 starting a word is no mid-year.
NOT_SCHOOL = r"(?![小学考专职医心央国部级层队高])"
RE_DAY = re.compile(rf"{YEAR}?(?P<m>{MONTH})月(?:份)?(?P<d>{NUM})(?:日|号)")
RE_MONTH_PART = re.compile(rf"{YEAR}?(?P<m>{MONTH})月(?:份)?(?:的)?(?P<p>上旬|中旬|下旬|底|末|初|中)")
RE_MONTH = re.compile(rf"(?<![从自]){YEAR}?(?P<m>{MONTH})月份?"
                      r"(?:前|之前|以前|内|(?:将|会|可|能|即将|就能|可以)?"
                      r"(?:完成|完工|建成|竣工|开工|动工|启动|实施|到位|投入|交付|通车|开通|开始))")
RE_THIS_MONTH = re.compile(r"(?P<w>本月|当月|下月|下个月)(?:的)?(?P<p>上旬|中旬|下旬|底|末|初|中)?")
RE_YEAR_PART = re.compile(
    rf"{YEAR}?(?P<p>年底|年末|年内|年前|年中{NOT_SCHOOL}|年初|上半年|下半年|一季度|二季度|三季度|四季度|第[一二三四]季度|底)")
RE_YEAR_VERB = re.compile(
    r"(?P<y>(?:19|20)[0-9]{2})年(?:内|前|以前|之前)?(?=(?:全面|全部|基本|正式|年底)?"
    r"(?:开工|动工|完成|完工|建成|竣工|投入使用|通车|开通|交付|到位|启动|实施|开学|开园|开始))")
# School seasons: 秋季(学期/开学/招生) begins by the end of August, 春季 by the end of February.
# Only before what then happens (2016年秋季建成, 秋季开园): "2018年秋季招生工作" names a season's work, not a date.
RE_SEASON = re.compile(rf"{YEAR}?(?P<s>春季|秋季)(?:学期)?(?=前|之前|以前|能|可|将|正式|开始|建成|投入|开园|开学|交付"
                       r"|完工|竣工|入学|接收|就读)")
RE_FESTIVAL = re.compile(r"(?P<f>春节|元旦|国庆|五一|中秋|开学|秋季开学|汛期)(?:节)?(?:前|之前|以前)")
RE_RELATIVE = re.compile(r"(?P<n>(?<![0-9０-９])[0-9０-９]{1,3}|[零〇一二两三四五六七八九十]+|半)"
                         r"(?P<u>个工作日|工作日|自然日|日|天|个星期|周|星期|个月|年)(?:时间)?(?:之内|以内|内)")
RE_YEAR_SUFFIX = re.compile(rf"(?P<y>(?:19|20)[0-9]{{2}})年(?P<p>底|末|内|中{NOT_SCHOOL}|初)")
# A year and month with nothing after (2016年7月，…; 计划于2018年6月面世): the end of that month.
RE_YEAR_MONTH = re.compile(rf"(?<![从自])(?P<y>(?:19|20)[0-9]{{2}})年(?P<m>{MONTH})月份?"
                           r"(?![0-9０-９一二三四五六七八九十]|份?[底末初中上下])")
# A year heading a sentence ("2018年，…") dates a plan only when the sentence goes on to one.
RE_YEAR_ALONE = re.compile(r"(?P<y>(?:19|20)[0-9]{2})年"
                           r"(?=[，,][^。]{0,30}(?:将|预计|力争|争取|拟)|将|起|要|计划|预计|力争|争取)"
                           r"|(?:(?<=决定|计划)(?:于|在)?|(?<=[到至]))(?P<z>(?:19|20)[0-9]{2})年(?![春秋上下底末内中初0-9０-９一二三四五六七八九十元])")
# Phrases that may name a month or day without its year (the year then comes from the context).
YEARLESS = (RE_DAY, RE_MONTH_PART, RE_MONTH, RE_SEASON)

QUARTER_END = {"一": (3, 31), "二": (6, 30), "三": (9, 30), "四": (12, 31)}


@dataclass(frozen=True)
class Found:
    """A deadline phrase: where it is in the text and the date it means."""

    start: int
    end: int
    due: date
    yearless: bool = False  # a month or day without a year, placed in the year the context suggests


def _day(m: re.Match, base: date) -> date | None:
    month, day = number(m["m"]), number(m["d"])
    if not month or not day or month > 12:
        return None
    year = _year(m["yw"], m["y"], base)
    found = _safe(year or base.year, month, day)
    return found if year else _yearless(found, base)


def _month_part(month: int | None, part: str | None, year: int) -> date | None:
    if not month or not 1 <= month <= 12:
        return None
    day = PART_OF_MONTH.get(part or "底")
    return _month_end(year, month) if day is None else date(year, month, day)


def _month_phrase(m: re.Match, base: date) -> date | None:
    month = number(m["m"])
    year = _year(m["yw"], m["y"], base)
    part = m.groupdict().get("p")
    found = _month_part(month, part, year or base.year)
    return found if year else _yearless(found, base)


def _this_month(m: re.Match, base: date) -> date | None:
    month, year = base.month, base.year
    if m["w"] in ("下月", "下个月"):
        month, year = (1, year + 1) if month == 12 else (month + 1, year)
    return _month_part(month, m["p"], year)


def _year_part(m: re.Match, base: date) -> date | None:
    year = _year(m["yw"], m["y"], base)
    part = m["p"]
    if part == "底" and year is None:
        return None  # a bare 底 is a month's (handled above), not a year's
    year = year or base.year
    if part in ("年底", "年末", "年内", "下半年", "底", "四季度", "第四季度"):
        return date(year, 12, 31)
    if part == "年前":  # 年前 in official prose: before the (lunar) new year, the next one unless a year is named
        return _festival("春节", base, _year(m["yw"], m["y"], base))
    if part in ("年中", "上半年", "二季度", "第二季度"):
        return date(year, 6, 30)
    if part == "年初":
        return date(year, 3, 31)
    quarter = part.removeprefix("第")[0]
    month, day = QUARTER_END[quarter]
    return date(year, month, day)


def _festival(name: str, base: date, year: int | None = None) -> date | None:
    if name == "春节":
        for candidate in ([year] if year else [base.year, base.year + 1]):
            if candidate in SPRING_FESTIVAL:
                eve = date(candidate, *SPRING_FESTIVAL[candidate]) - timedelta(days=1)
                if year or eve >= base:
                    return eve
        return None
    fixed = {"元旦": (12, 31), "国庆": (9, 30), "五一": (4, 30), "开学": (8, 31), "秋季开学": (8, 31),
             "汛期": (4, 30), "中秋": (9, 15)}
    if name not in fixed:
        return None
    found = date(year or base.year, *fixed[name])
    return found if year or found >= base else date(base.year + 1, *fixed[name])


def _season(m: re.Match, base: date) -> date | None:
    year = _year(m["yw"], m["y"], base)
    found = date(year or base.year, 8, 31) if m["s"] == "秋季" else date(year or base.year, 3, 1) - timedelta(days=1)
    return found if year else _yearless(found, base)


def _relative(m: re.Match, base: date, calendar: WorkCalendar) -> date | None:
    n = 0.5 if m["n"] == "半" else number(m["n"])
    if not n:
        return None
    unit = m["u"].removeprefix("个")
    if unit == "年":
        return _safe(base.year + int(n), base.month, base.day) or base + timedelta(days=int(365 * n))
    if unit == "工作日":
        return calendar.add_working_days(base, int(n))[0] if n >= 1 else None
    if unit in ("日", "天", "自然日"):
        return base + timedelta(days=int(n))
    if unit in ("周", "星期"):
        return base + timedelta(days=int(7 * n))
    months = int(n) if n >= 1 else 0
    if not months:
        return base + timedelta(days=15)
    month0 = base.month - 1 + months
    year, month = base.year + month0 // 12, month0 % 12 + 1
    return _safe(year, month, min(base.day, month_calendar.monthrange(year, month)[1]))


def _year_suffix(m: re.Match) -> date:
    year = int(m["y"])
    return {"中": date(year, 6, 30), "初": date(year, 3, 31)}.get(m["p"], date(year, 12, 31))


def find_deadlines(text: str, base: date, calendar: WorkCalendar | None = None) -> list[Found]:
    """Every deadline phrase in `text`, in order, with its date (phrases inside longer ones dropped)."""
    calendar = calendar or WorkCalendar()
    found: list[Found] = []
    taken: list[tuple[int, int]] = []
    parsers = [
        (RE_DAY, lambda m: _day(m, base)), (RE_MONTH_PART, lambda m: _month_phrase(m, base)),
        (RE_MONTH, lambda m: _month_phrase(m, base)), (RE_THIS_MONTH, lambda m: _this_month(m, base)),
        (RE_RELATIVE, lambda m: _relative(m, base, calendar)),
        (RE_YEAR_MONTH, lambda m: _month_part(number(m["m"]), None, int(m["y"]))),
        (RE_YEAR_SUFFIX, lambda m: _year_suffix(m)), (RE_YEAR_PART, lambda m: _year_part(m, base)),
        (RE_YEAR_VERB, lambda m: date(int(m["y"]), 12, 31)),
        (RE_YEAR_ALONE, lambda m: date(int(m["y"] or m["z"]), 12, 31)),
        (RE_FESTIVAL, lambda m: _festival(m["f"], base)), (RE_SEASON, lambda m: _season(m, base)),
    ]
    for pattern, parse in parsers:
        for m in pattern.finditer(text):
            if any(s < m.end() and m.start() < e for s, e in taken):
                continue
            due = parse(m)
            if due is not None:
                taken.append((m.start(), m.end()))
                yearless = pattern in YEARLESS and not (m.groupdict().get("y") or m.groupdict().get("yw"))
                found.append(Found(m.start(), m.end(), due, yearless))
    return _in_sequence(sorted(found, key=lambda f: f.start))


def _in_sequence(found: list[Found]) -> list[Found]:
    """A yearless date after a dated one follows it ("2015年上半年竣工，秋季开园": the autumn of 2015)."""
    for i in range(1, len(found)):
        before, this = found[i - 1], found[i]
        if this.yearless and not before.yearless and this.due < before.due:
            due = _shift(this.due, before.due.year - this.due.year)
            found[i] = Found(this.start, this.end, due if due >= before.due else _shift(due, 1), True)
    return found


def set_by(sentence: str, base: date, calendar: WorkCalendar | None = None) -> list[Found]:
    """The deadlines a sentence of a reply sets: not a signature's date, the citizen's own, or a span from an event."""
    return [d for d in find_deadlines(sentence, base, calendar)
            if not (_signature(sentence, d) or _citizens_date(sentence, d) or _after_event(sentence, d))]


def _after_event(sentence: str, found: Found) -> bool:
    """A span counted from some event ("拆迁完成后8个月内", "之日起15日内") is not counted from the reply."""
    return re.search(r"内$", sentence[found.start:found.end]) is not None \
        and re.search(r"(?:后|起)[的]?$", sentence[max(0, found.start - 2):found.start]) is not None


def _citizens_date(sentence: str, found: Found) -> bool:
    """The day the citizen wrote or called ("您于1月29日来信反映") is no deadline, even when it is today."""
    before = sentence[max(0, found.start - 8):found.start]
    return re.search(r"(?:您|你|网友|来信人)[^，,。]{0,4}[于在]$", before) is not None


def _signature(sentence: str, found: Found) -> bool:
    """A full date opening a sentence is the previous reply's signature ("2019年5月29日网友：您好"), not a deadline."""
    return (not sentence[:found.start].strip() and re.search(r"[日号]$", sentence[found.start:found.end]) is not None
            and not re.match(r"[之以]?前|内", sentence[found.end:]))
