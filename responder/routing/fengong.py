"""Read a 分工方案 (division-of-work plan) into units and tasks — pure: no database, no app.

`parse_plan(path)` accepts
* tables: tab- or `|`-separated text (a Word table exported to text), .xlsx, or the tables of a .docx,
  with a header row naming a task column (工作任务 / 具体要求 …) and a responsibility column
  (责任单位 / 责任科室 …); a row whose first cell is empty continues the section above; header rows
  repeated at page breaks are skipped; one cell holding several numbered items (`32. … 33. …`) gives
  one task per item, all with the row's units;
* prose: numbered items (`1.` / `（一）` / `一、…。body`) under section headings, the responsible units
  in a closing parenthesis (`…（党政办公室牵头落实）`) or on a `责任单位：…` line.

A task whose row or item names no unit is kept with `flagged = "未写明责任单位"`: units are never
guessed. Collective references (各科室, 相关各部门, 各村（社区）…) are kept as groups, not units.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree

FLAG_NO_UNIT = "未写明责任单位"


class PlanError(ValueError):
    """The file cannot be read as a plan (missing, wrong format, corrupt)."""


@dataclass
class Task:
    text: str
    section: str | None = None
    number: str | None = None
    lead: list[str] = field(default_factory=list)
    assist: list[str] = field(default_factory=list)
    deadline: str | None = None
    flagged: str | None = None
    responsibility: str = ""  # the phrase as written


@dataclass
class Plan:
    title: str | None = None
    units: list[str] = field(default_factory=list)
    groups: list[str] = field(default_factory=list)
    tasks: list[Task] = field(default_factory=list)
    form: str = "table"  # table | prose


# --- responsibility phrases -------------------------------------------------------------------------

LEAD_WORDS = ("主办", "牵头", "负责", "承办", "主责")
ASSIST_WORDS = ("协办", "配合", "参与", "协助", "协同")
_ROLE = "|".join(LEAD_WORDS + ASSIST_WORDS)
_ROLE_TAIL = re.compile(rf"(?:(?:{_ROLE})+(?:落实|实施|完成|推进|办理)?|落实)+(?:单位|部门|科室)?$")
_ROLE_HEAD = re.compile(rf"^(?:由)?((?:{_ROLE})(?:单位|部门|科室)?|责任(?:单位|科室|部门))[:：]")
_CLAUSE_SPLIT = re.compile(r"[，,；;。\n]+")
_ITEM_SPLIT = re.compile(r"[、/／\s]+")
_GROUP_HEAD = re.compile(r"^(?:相关|有关|其他|其它|所属|全体|所有)")
_UNIT_SUFFIX = re.compile(
    r"(?:办公室|办|局|委|委员会|厅|所|中心|科|站|部|处|队|院|会|室|组|村|社区|街道|政府|公司|支行|馆|台|庭)"
    r"(?:（[^）]{1,6}）)?$")


def _role_of(word: str) -> str | None:
    if any(w in word for w in ASSIST_WORDS):
        return "assist"
    if any(w in word for w in LEAD_WORDS) or "责任" in word:
        return "lead"
    return None


def clean_name(name: str) -> str:
    """A unit name without spaces, stray punctuation and filler (由…, …等)."""
    name = re.sub(r"\s+", "", name or "")
    name = name.replace("(", "（").replace(")", "）")
    name = name.strip("、，,；;。.:：\"“”'‘’[]【】 ")
    name = re.sub(r"^(?:由|请|均由)", "", name)
    name = re.sub(r"(?:按照?(?:各自)?职责(?:分工)?|根据职责(?:分工)?|依职责|按照?职能(?:分工)?|各司其职)$", "", name)
    name = re.sub(r"(?:等(?:单位|部门)?|共同|具体|分别)$", "", name)
    while name.endswith("）") and name.count("）") > name.count("（"):
        name = name[:-1]
    while name.startswith("（") and name.count("（") > name.count("）"):
        name = name[1:]
    if name.startswith("（") and name.endswith("）") and name.count("（") == 1:
        name = name[1:-1]
    return name.strip("、，,；;。.:： ")


def is_group(name: str) -> bool:
    """A collective reference (各科室, 相关各部门, 各村（社区）…) rather than one unit."""
    return "各" in name or bool(_GROUP_HEAD.match(name))


def parse_responsibility(phrase: str) -> tuple[list[str], list[str]]:
    """`局宣教科、办公室主办,各科室协办` → (lead, assist); a plain list with no role word is all lead.

    Units named after the clause that says who 牵头/主办 and carrying no role word of their own
    (`县政府办公室（牵头），县财政局`) assist: naming a lead says the others are not.
    """
    lead: list[str] = []
    assist: list[str] = []
    unmarked: list[str] = []
    named_lead = False
    text = re.sub(rf"[（(]\s*({_ROLE})\s*[)）]", r"\1", phrase or "")
    for clause in _CLAUSE_SPLIT.split(text):
        clause = clause.strip()
        head = _ROLE_HEAD.match(clause)
        clause_role = _role_of(head.group(1)) if head else None
        if head:
            clause = clause[head.end():]
        pending: list[str] = []
        for item in _ITEM_SPLIT.split(clause):
            role = clause_role
            tail = _ROLE_TAIL.search(item)
            if tail and tail.start() > 0:
                role = _role_of(tail.group(0)) or role or "lead"
                item = item[:tail.start()]
            name = clean_name(item)
            if name:
                pending.append(name)
            if role:
                (assist if role == "assist" else lead).extend(pending)
                named_lead = named_lead or bool(tail and re.search("牵头|主办", tail.group(0)))
                pending = []
        (unmarked if named_lead else lead).extend(pending)
    (assist if named_lead else lead).extend(unmarked)
    lead = list(dict.fromkeys(lead))
    assist = [a for a in dict.fromkeys(assist) if a not in lead]
    return lead, assist


# --- deadlines, numbers, headings -------------------------------------------------------------------

_DEADLINE = re.compile(
    r"(?:\d{4}年)?(?:\d{1,2}月(?:\d{1,2}日|底|末|中旬|上旬|下旬)?|年底|年内|底|上半年|下半年)(?:之前|以前|前)(?:完成)?")
_ITEM_NO = re.compile(r"^\s*(\d{1,3})\s*[.．、](?!\d)\s*")
_PAREN_NO = re.compile(r"^\s*[（(]\s*(\d{1,3}|[一二三四五六七八九十]{1,3})\s*[)）]\s*")
_CN_NO = re.compile(r"^\s*([一二三四五六七八九十百]{1,4})\s*、\s*")
_INLINE_NO = re.compile(r"(?:(?<=^)|(?<=[\s。；;！!]))(\d{1,3})\s*[.．、](?!\d)\s*")


def find_deadline(text: str) -> str | None:
    match = _DEADLINE.search(text or "")
    return match.group(0) if match else None


def _split_numbered(text: str) -> list[tuple[str | None, str]]:
    """`32. A。 33. B。` → [("32", "A。"), ("33", "B。")]: only consecutive numbers split a cell."""
    text = text.strip()
    first = _ITEM_NO.match(text)
    if not first:
        return [(None, text)]
    cuts = [(int(first.group(1)), first.start(), first.end())]
    for match in _INLINE_NO.finditer(text, first.end()):
        if int(match.group(1)) == cuts[-1][0] + 1:
            cuts.append((int(match.group(1)), match.start(), match.end()))
    items = []
    for i, (number, _start, body) in enumerate(cuts):
        end = cuts[i + 1][1] if i + 1 < len(cuts) else len(text)
        items.append((str(number), text[body:end].strip()))
    return items


def _make_task(text: str, number: str | None, section: str | None, phrase: str, deadline: str | None = None) -> Task:
    lead, assist = parse_responsibility(phrase)
    return Task(text=text, section=section, number=number, lead=lead, assist=assist,
                deadline=deadline or find_deadline(text), flagged=None if (lead or assist) else FLAG_NO_UNIT,
                responsibility=phrase.strip())


def _finish(plan: Plan) -> Plan:
    for task in plan.tasks:
        for name in task.lead + task.assist:
            target = plan.groups if is_group(name) else plan.units
            if name not in target:
                target.append(name)
    return plan


# --- tables -----------------------------------------------------------------------------------------

_TASK_HEADERS = ("具体要求", "具体任务", "工作内容", "任务内容", "重点任务", "主要任务", "工作措施", "具体措施")
_SECTION_HEADERS = ("工作任务", "工作事项", "任务类别", "工作项目", "项目", "类别")
_UNIT_HEADERS = ("责任单位", "责任科室", "责任部门", "牵头单位", "责任主体", "承办单位", "主办单位", "责任处室")
_ASSIST_HEADERS = ("配合单位", "协办单位", "配合科室", "配合部门", "协办科室")
_DEADLINE_HEADERS = ("完成时限", "完成时间", "时限", "时间要求", "时间安排", "进度安排")
_NUMBER_HEADERS = ("序号", "编号", "序列", "项次")


def _norm(cell) -> str:
    return re.sub(r"\s+", "", str(cell if cell is not None else ""))


def _header_columns(cells: list[str]) -> dict[str, int] | None:
    """Column indices of a header row, or None when the row is not a header."""
    norm = [_norm(c) for c in cells]
    cols: dict[str, int] = {}
    for i, cell in enumerate(norm):
        if not cell or len(cell) > 12:
            continue
        if "unit" not in cols and any(h in cell for h in _UNIT_HEADERS):
            cols["unit"] = i
        elif "assist" not in cols and any(h in cell for h in _ASSIST_HEADERS):
            cols["assist"] = i
        elif "number" not in cols and cell in _NUMBER_HEADERS:
            cols["number"] = i
        elif "deadline" not in cols and any(h in cell for h in _DEADLINE_HEADERS):
            cols["deadline"] = i
        elif "task" not in cols and any(h in cell for h in _TASK_HEADERS):
            cols["task"] = i
        elif "section" not in cols and any(h in cell for h in _SECTION_HEADERS):
            cols["section"] = i
    if "unit" not in cols or not ({"task", "section"} & cols.keys()):
        return None
    if "task" not in cols:  # only 工作任务: that column holds the tasks themselves
        cols["task"] = cols.pop("section")
    return cols


def _is_heading(text: str) -> bool:
    return bool(_CN_NO.match(text) or _PAREN_NO.match(text))


def parse_table(rows: list[list[str]]) -> Plan | None:
    """A plan from table rows, or None when no header row is found."""
    cols = None
    start = 0
    for i, row in enumerate(rows):
        cols = _header_columns(row)
        if cols:
            start = i
            break
    if cols is None:
        return None
    plan = Plan(form="table")
    plan.title = next((c.strip().lstrip("#").strip() for row in rows[:start] for c in row if c and c.strip()),
                      None)
    section = None

    def cell(row, key):
        """A cell's text; a line break inside a cell (one unit per paragraph in Word, Alt+Enter in Excel)
        separates names in the unit columns and is dropped elsewhere."""
        i = cols.get(key)
        value = str(row[i]).strip() if i is not None and i < len(row) and row[i] is not None else ""
        if key in ("unit", "assist"):
            return value.replace("\n", "、")
        return re.sub(r"\n(?=\s*\d{1,3}\s*[.．、])", " ", value).replace("\n", "")  # keep 32./33. apart

    for row in rows[start + 1:]:
        if not any(_norm(c) for c in row):
            continue
        if _header_columns(row):
            continue  # the header again, after a page break
        filled = [str(c).strip() for c in row if _norm(c)]
        if len(filled) == 1 and not cell(row, "unit") and _is_heading(filled[0]) and len(row) > 1 \
                and not cell(row, "task"):
            section = filled[0]  # a section title spanning the whole row
            continue
        if "section" in cols and cell(row, "section"):
            section = cell(row, "section")
        text = cell(row, "task") or (cell(row, "section") if "section" in cols else "")
        if not text:
            continue
        phrase = cell(row, "unit")
        if cell(row, "assist"):
            phrase = f"{phrase}牵头，{cell(row, 'assist')}配合" if phrase else f"{cell(row, 'assist')}配合"
        deadline = cell(row, "deadline") or None
        column_number = re.sub(r"[.．、\s]", "", cell(row, "number")) or None
        for number, body in _split_numbered(text):
            number = number or (column_number if column_number and column_number.isdigit() else None)
            plan.tasks.append(_make_task(body, number, section, phrase, deadline))
    return _finish(plan)


# --- prose ------------------------------------------------------------------------------------------

_TRAILING_PAREN = re.compile(r"[（(]([^（）()]*(?:[（(][^（）()]*[)）][^（）()]*)*)[)）]\s*[。；;.]?\s*$")
_RESP_LINE = re.compile(r"^\s*[（(]?\s*(?:责任单位|责任科室|责任部门|牵头单位|主办单位|牵头科室)\s*[:：]")


def _looks_like_units(inner: str) -> bool:
    if any(w in inner for w in LEAD_WORDS + ASSIST_WORDS) or inner.endswith("落实"):
        return True
    items = [clean_name(i) for i in re.split(r"[、，,；;]", inner)]
    return bool(items) and all(i and len(i) <= 20 and _UNIT_SUFFIX.search(i) for i in items)


def _split_responsibility(text: str) -> tuple[str, str]:
    """(text without the closing parenthesis, the responsibility phrase or "")."""
    match = _TRAILING_PAREN.search(text)
    if match and _looks_like_units(match.group(1)):
        return text[:match.start()].rstrip(), match.group(1)
    return text, ""


_TITLE = re.compile(r"方案|要点|分工|计划|安排|清单")


def _responsibility_line(line: str) -> str | None:
    if _RESP_LINE.match(line):
        return line.strip("（）() ")
    whole = re.fullmatch(r"[（(]([^（）()]+)[)）][。；;]?", line)
    return whole.group(1) if whole and _looks_like_units(whole.group(1)) else None


def _prose_title(lines: list[str]) -> tuple[str | None, int]:
    """The title line (skipping a web page's breadcrumbs and dates) and where the body starts."""
    for i, line in enumerate(lines):
        if _ITEM_NO.match(line) or _CN_NO.match(line):
            return line, i
        if _TITLE.search(line):
            return line, i + 1
    return None, 0


def parse_prose(lines: list[str]) -> Plan:
    plan = Plan(form="prose")
    section = subsection = None
    current: Task | None = None
    open_title = False  # the current item is a bare title; the next paragraph is its body

    def where():
        return " / ".join(s for s in (section, subsection) if s) or None

    def close():
        nonlocal current, open_title
        if current is not None:
            text, phrase = _split_responsibility(current.text)
            if phrase and not current.responsibility:
                current.text = text
                current.responsibility = phrase
            new = _make_task(current.text, current.number, current.section, current.responsibility)
            plan.tasks.append(new)
        current, open_title = None, False

    lines = [re.sub(r"\[bookmark:[^\]]*\]", "", raw).strip() for raw in lines]
    lines = [line for line in lines if line]
    plan.title, start = _prose_title(lines)
    for line in lines[start:]:
        phrase = _responsibility_line(line)
        if phrase is not None:  # 责任单位：… or （…牵头） on a line of its own: the item above
            if current is not None:
                current.responsibility = phrase
            elif plan.tasks:
                t = plan.tasks[-1]
                plan.tasks[-1] = _make_task(t.text, t.number, t.section, phrase, t.deadline)
            continue
        cn, paren, item = _CN_NO.match(line), _PAREN_NO.match(line), _ITEM_NO.match(line)
        match = item or paren or cn
        if match:
            body = line[match.end():].strip()
            number = match.group(1) if item else match.group(0).strip().rstrip("、")
            head, _, rest = body.partition("。")
            is_item = bool(item) or bool(rest.strip()) or bool(_split_responsibility(body)[1])
            close()
            if not is_item:
                if cn:
                    section, subsection = line, None
                else:
                    subsection = line
                continue
            current = Task(text=body, section=where(), number=number)
            open_title = not re.search(r"[。；;！!]", body) and not _split_responsibility(body)[1]
            continue
        if current is not None and open_title:
            current.text = f"{current.text}。{line}" if current.text else line
            open_title = False
            continue
        close()  # an unnumbered paragraph ends the item before it
    close()
    return _finish(plan)


# --- files ------------------------------------------------------------------------------------------

def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise PlanError("文本编码无法识别（应为 UTF-8 或 GBK）")


def _text_rows(text: str) -> tuple[list[list[str]], list[str]]:
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if any("\t" in line and _header_columns(line.split("\t")) for line in lines):
        return [line.split("\t") for line in lines], lines
    if any("|" in line and _header_columns(line.strip().strip("|").split("|")) for line in lines):
        rows = []
        for line in lines:
            stripped = line.strip()
            if re.fullmatch(r"\|?[\s:|\-]+\|?", stripped) and "-" in stripped:
                continue  # a markdown separator |---|---|
            rows.append(stripped.strip("|").split("|") if "|" in stripped else [stripped])
        return rows, lines
    return [], lines


def _xlsx_rows(path: Path) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for a bad file
        raise PlanError(f"无法读取 Excel 文件：{exc}") from None
    rows = []
    try:
        for sheet in book.worksheets:
            for row in sheet.iter_rows(values_only=True):
                rows.append(["" if v is None else str(v) for v in row])
            rows.append([])
    finally:
        book.close()
    return rows


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _docx_text(element) -> str:
    parts = []
    for node in element.iter():
        if node.tag == f"{_W}t" and node.text:
            parts.append(node.text)
        elif node.tag in (f"{_W}tab",):
            parts.append("\t")
        elif node.tag in (f"{_W}br", f"{_W}cr"):
            parts.append("\n")
        elif node.tag == f"{_W}p" and parts and parts[-1] != "\n":
            parts.append("\n")
    return "".join(parts).strip()


def _docx_blocks(path: Path) -> tuple[list[list[str]], list[str]]:
    """(rows of every table, paragraph lines) from a .docx, read with the standard library."""
    try:
        with zipfile.ZipFile(path) as archive:
            # expat in Python ≥ 3.7.1 resolves no external entities and caps entity expansion
            root = ElementTree.fromstring(archive.read("word/document.xml"))  # noqa: S314
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError) as exc:
        raise PlanError(f"无法读取 Word 文件：{exc}") from None
    body = root.find(f"{_W}body")
    rows: list[list[str]] = []
    lines: list[str] = []
    for block in (body if body is not None else []):
        if block.tag == f"{_W}p":
            lines.append(_docx_text(block))
        elif block.tag == f"{_W}tbl":
            for tr in block.iter(f"{_W}tr"):
                cells = []
                for tc in tr.findall(f"{_W}tc"):
                    props = tc.find(f"{_W}tcPr")
                    merged = props is not None and props.find(f"{_W}vMerge") is not None \
                        and props.find(f"{_W}vMerge").get(f"{_W}val") != "restart"
                    text = "" if merged else _docx_text(tc)  # parse_table reads the line breaks
                    span = props.find(f"{_W}gridSpan") if props is not None else None
                    cells.append(text)
                    cells.extend([""] * (int(span.get(f"{_W}val", "1")) - 1 if span is not None else 0))
                rows.append(cells)
            rows.append([])
            lines.append("")
    return rows, lines


def parse_plan(path) -> Plan:
    """Read a plan file (.txt/.tsv/.md/.csv text, .xlsx, .docx) into units, groups and tasks."""
    path = Path(path)
    if not path.is_file():
        raise PlanError(f"文件不存在：{path}")
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        rows, lines = _xlsx_rows(path), []
    elif suffix == ".docx":
        rows, lines = _docx_blocks(path)
    elif suffix in (".doc", ".xls", ".pdf", ".wps"):
        raise PlanError(f"不支持的文件格式 {suffix}：请另存为 .docx、.xlsx 或文本")
    else:
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise PlanError(f"无法读取文件：{exc}") from None
        if b"\x00" in data[:4096]:
            raise PlanError("不是文本文件")
        rows, lines = _text_rows(_decode(data))
    plan = parse_table(rows) if rows else None
    if plan is not None and plan.title is None:  # a .docx: the title is a paragraph above the table
        plan.title = next((line.strip() for line in lines if line.strip()), None)
    if plan is None:
        if not lines and rows:
            lines = ["\t".join(r).strip() for r in rows]
        plan = parse_prose(lines)
    if not plan.tasks:
        raise PlanError("没有找到编号的工作任务，也没有带“责任单位”表头的表格")
    return plan
