"""Pure: map spreadsheet headers and cell values (and JSONL values) onto intake payload fields.

Used by `intake.files` for CSV and XLSX imports. A target is a key path into the payload:
("content",), ("citizen", "phone") or ("meta", "platform").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone

from openpyxl.utils.datetime import from_excel

CHINA_TZ = timezone(timedelta(hours=8))
TOP_FIELDS = (
    "channel", "external_id", "received_at", "content", "title",
    "request_type", "urgency", "address", "consent_public",
)
CITIZEN_FIELDS = ("name", "phone", "id_number")

# Header names exported by 12345 / 领导信箱 systems, most specific first: when two columns map to the
# same field (e.g. 工单编号 and 编号), the earlier alias wins and the other column is ignored.
ALIASES: dict[tuple[str, ...], tuple[str, ...]] = {
    ("external_id",): ("工单编号", "工单号", "信件编号", "留言编号", "编号"),
    ("received_at",): ("受理时间", "来电时间", "留言时间", "来信时间", "时间"),
    ("content",): ("诉求内容", "留言内容", "来信内容", "信件内容", "内容", "正文"),
    ("title",): ("留言主题", "标题", "主题", "留言标题", "信件标题"),
    ("request_type",): ("诉求类型", "类型", "类别"),
    ("urgency",): ("紧急程度", "是否紧急"),
    ("citizen", "name"): ("姓名", "来电人", "来信人", "联系人"),
    ("citizen", "phone"): ("联系电话", "电话", "手机", "手机号", "手机号码", "来电号码"),
    ("citizen", "id_number"): ("身份证号", "身份证号码"),
    ("address",): ("诉求地址", "事发地址", "地址"),
    ("consent_public",): ("是否公开", "同意公开", "是否同意公开"),
}
_ALIAS_INDEX = {
    alias: (target, rank) for target, names in ALIASES.items() for rank, alias in enumerate(names, 1)
}

REQUEST_TYPES = {
    "咨询": "consult", "求助": "help", "投诉": "complaint", "举报": "report", "建议": "suggestion",
    "意见建议": "suggestion", "表扬": "praise", "表扬感谢": "praise", "感谢": "praise",
    "依申请公开": "disclosure", "信息公开": "disclosure", "政府信息公开": "disclosure",
}
REQUEST_CODES = frozenset(REQUEST_TYPES.values())
URGENCY = {
    "紧急": "urgent", "特急": "urgent", "加急": "urgent", "是": "urgent", "true": "urgent", "1": "urgent",
    "urgent": "urgent", "一般": "normal", "普通": "normal", "非紧急": "normal", "否": "normal",
    "false": "normal", "0": "normal", "normal": "normal",
}
CONSENT = {
    "是": True, "同意": True, "公开": True, "true": True, "1": True, "yes": True, "y": True,
    "否": False, "不同意": False, "不公开": False, "false": False, "0": False, "no": False, "n": False,
}

# C0/C1 control characters except \t and \n; \r goes too, so Windows line breaks inside cells become \n.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_HEADER_NOISE = re.compile(r"[\s\ufeff\u200b\u200c\u200d\u2060]+")
_SPREADSHEET_TIME = re.compile(
    r"(\d{4})(?:[/-]|年)(\d{1,2})(?:[/-]|月)(\d{1,2})(?:日\s*|\s+|T)"
    r"(\d{1,2})[:：](\d{2})(?:[:：](\d{2})(\.\d{1,6})?)?"
)


@dataclass
class HeaderMap:
    """Which column feeds which payload target, and which non-empty headers are ignored."""

    columns: list[tuple[int, tuple[str, ...]]] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)

    def has(self, target: tuple[str, ...]) -> bool:
        return any(t == target for _, t in self.columns)


def clean_text(value: str) -> str:
    """Strip control characters and surrounding whitespace from a cell's text."""
    return _CONTROL.sub("", value).strip()


def lookup(header: str) -> tuple[tuple[str, ...], int] | None:
    """The (target, rank) a header maps to — rank 0 for CONTRACT names, lower wins — or None if unknown."""
    name = _HEADER_NOISE.sub("", header).rstrip("*＊")
    key = name.lower()
    if key in TOP_FIELDS:
        return (key,), 0
    prefix, _, rest = key.partition(".")
    if prefix == "citizen" and rest in CITIZEN_FIELDS:
        return ("citizen", rest), 0
    if prefix == "meta" and rest:
        return ("meta", name.partition(".")[2]), 0
    return _ALIAS_INDEX.get(name)


def map_header(cells: list | tuple) -> HeaderMap:
    """Map a header row; duplicates of a field keep the best-ranked column, the rest are ignored."""
    best: dict[tuple[str, ...], tuple[int, int]] = {}
    ignored: list[tuple[int, str]] = []
    for index, cell in enumerate(cells):
        header = _header_text(cell)
        if not header:
            continue
        hit = lookup(header)
        if hit is None:
            ignored.append((index, header))
            continue
        target, rank = hit
        if target in best and best[target][0] <= rank:
            ignored.append((index, header))
            continue
        if target in best:
            loser = best[target][1]
            ignored.append((loser, _header_text(cells[loser])))
        best[target] = (rank, index)
    columns = sorted((index, target) for target, (_, index) in best.items())
    return HeaderMap(columns=columns, ignored=[h for _, h in sorted(ignored)])


def _header_text(cell: object) -> str:
    return "" if cell is None else clean_text(str(cell).replace("\ufeff", ""))


def convert(target: tuple[str, ...], value: object) -> object | None:
    """Turn one cell (str from CSV, typed from XLSX) into its payload value; None means omit the key."""
    name = ".".join(target)
    if name == "received_at" and not isinstance(value, str | type(None)):
        return _received_at_cell(value)
    text = cell_text(value)
    if text is None:
        return None
    if name == "received_at":
        return normalise_received_at(text)
    if name == "request_type":
        key = text.lower().removesuffix("类")
        return REQUEST_TYPES.get(key) or (key if key in REQUEST_CODES else text)
    if name == "urgency":
        return URGENCY.get(text.lower(), text)
    if name == "consent_public":
        return CONSENT.get(text.lower(), text)
    return text


def cell_text(value: object) -> str | None:
    """A cell as cleaned text: integral floats lose their ".0" (ids, phone numbers); blank → None."""
    if value is None:
        return None
    if isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, float) and value.is_integer():
        text = str(int(value))
    elif isinstance(value, datetime | date | time):
        text = value.isoformat()
    else:
        text = str(value)
    return clean_text(text) or None


def clean_object(item: dict, *, top: bool = True) -> dict:
    """A JSONL object with control characters stripped and all-whitespace strings dropped, at every level."""
    cleaned = {}
    for key, value in item.items():
        if isinstance(value, str):
            value = clean_text(value)
            if not value:
                continue
            if top and key == "received_at":
                value = normalise_received_at(value)
        elif isinstance(value, dict):
            value = clean_object(value, top=False)
        cleaned[key] = value
    return cleaned


def normalise_received_at(text: str) -> str:
    """Rewrite spreadsheet date-times without an offset as ISO 8601 +08:00; pass anything else through."""
    match = _SPREADSHEET_TIME.fullmatch(text)
    if not match:
        return text
    year, month, day, hour, minute, second, fraction = match.groups()
    micro = int(fraction[1:].ljust(6, "0")) if fraction else 0
    try:
        moment = datetime(int(year), int(month), int(day), int(hour), int(minute), int(second or 0), micro)
    except ValueError:
        return text
    return moment.replace(tzinfo=CHINA_TZ).isoformat()


def _received_at_cell(value: object) -> str | None:
    """XLSX date cells (and unformatted Excel serial numbers) → ISO 8601, naive times taken as +08:00."""
    if isinstance(value, (int, float)) and not isinstance(value, bool) and 20000 <= value < 80000:
        value = from_excel(value)
    if isinstance(value, datetime):
        if value.microsecond:  # Excel stores days as floats; undo sub-second rounding noise
            value = (value + timedelta(microseconds=500_000)).replace(microsecond=0)
        if value.tzinfo is None:
            value = value.replace(tzinfo=CHINA_TZ)
        return value.isoformat()
    if isinstance(value, date) and not isinstance(value, datetime):
        return datetime.combine(value, time(), CHINA_TZ).isoformat()
    return cell_text(value)
