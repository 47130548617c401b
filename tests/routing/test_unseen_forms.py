"""seeds/000 rewritten, in code, into forms the importer was not written against — a |-table with a 序号
column and repeated headers, an .xlsx with merged cells and separate 牵头/配合 columns, a .docx with vertically
merged section cells and one unit per paragraph, a prose plan with parenthesised units — and every lead/assist
split checked against the seed read by hand (EXPECTED_000)."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import pytest

from responder.routing.fengong import FLAG_NO_UNIT, parse_plan, parse_responsibility
from tests.routing.test_fengong import EXPECTED_000, TABLE_SEED, need_seeds

TITLE = "开平市百合镇2021年政务公开工作要点分工方案"


def seed_rows() -> list[tuple[str, str, str, str]]:
    """(section, number, text, responsibility) per item, read from the seed's raw cells (not by the parser)."""
    need_seeds()
    rows, section = [], None
    for line in TABLE_SEED.read_text(encoding="utf-8").splitlines():
        cells = line.split("\t")
        if len(cells) < 2 or cells[0].strip() == "工作任务":
            continue
        section = cells[0].strip() or section
        resp = cells[2].strip() if len(cells) > 2 else ""
        parts = re.split(r"(?:(?<=^)|(?<=[。；]))\s*(\d{1,2})\.\s*", cells[1].strip())
        rows.extend((section, parts[i], parts[i + 1].strip(), resp) for i in range(1, len(parts) - 1, 2))
    assert len(rows) == 36
    return rows


def expected(number: str) -> tuple[list[str], list[str], str | None]:
    want = EXPECTED_000[int(number)]
    if want is None:
        return [], [], FLAG_NO_UNIT
    lead, assist = want if isinstance(want, tuple) else (want, [])
    return lead, assist, None


def check(plan) -> None:
    assert len(plan.tasks) == 36
    for index, task in enumerate(plan.tasks, start=1):
        assert task.number == str(index), (index, task.number, task.text[:20])
        assert (task.lead, task.assist, task.flagged) == expected(task.number), (task.number, task.responsibility)
    assert sorted(plan.units) == sorted(["党政综合办公室", "经济发展办公室", "综合行政执法办公室", "财政所",
                                         "农业农村办公室", "农业综合服务中心", "公共服务办公室", "公共服务中心",
                                         "司法所"])
    assert plan.groups == ["各职能办公室"]


def _assist_split(resp: str) -> tuple[str, str]:
    """The seed's one phrase split into 牵头 and 配合 columns (only row 19 names an assisting group)."""
    match = re.fullmatch(r"(.+?)牵头[，,](.+?)(?:配合)+", resp)
    return (match.group(1), match.group(2)) if match else (resp, "")


# --- | table: 序号 column, markdown separator, header repeated at page breaks, section cell once -------------

def pipe_table(path: Path) -> None:
    lines = [f"# {TITLE}", "", "| 序号 | 工作任务 | 具体要求 | 责任单位 | 完成时限 |", "| :-: | --- | --- | --- | --- |"]
    last = None
    for i, (section, number, text, resp) in enumerate(seed_rows()):
        if i and i % 10 == 0:
            lines += ["", "| 序号 | 工作任务 | 具体要求 | 责任单位 | 完成时限 |", "|---|---|---|---|---|"]
        deadline = "2021年12月1日前" if number == "26" else ""
        lines.append(f"| {number} | {section if section != last else ''} | {text} | {resp} | {deadline} |")
        last = section
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_pipe_table_with_number_column(tmp_path):
    path = tmp_path / "plan.md"
    pipe_table(path)
    plan = parse_plan(path)
    check(plan)
    assert plan.title == TITLE
    tasks = {t.number: t for t in plan.tasks}
    assert tasks["26"].deadline == "2021年12月1日前" and tasks["5"].section == "三、做好财政信息公开。"


# --- xlsx: title merged across, merged section cells, separate 牵头单位 / 配合单位 columns ----------------

def xlsx_plan(path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append([TITLE])
    sheet.merge_cells("A1:E1")
    sheet.append(["序号", "工作任务", "具体要求", "牵头单位", "配合单位"])
    start, last = 3, None
    rows = seed_rows()
    for i, (section, number, text, resp) in enumerate(rows):
        lead, assist = _assist_split(resp)
        sheet.append([int(number), section, text, lead or None, assist or None])
        row = 3 + i
        if section != last and last is not None and row - 1 > start:
            sheet.merge_cells(f"B{start}:B{row - 1}")
        if section != last:
            start = row
        last = section
    book.save(path)


def test_xlsx_with_merged_cells_and_assist_column(tmp_path):
    path = tmp_path / "plan.xlsx"
    xlsx_plan(path)
    plan = parse_plan(path)
    check(plan)
    assert plan.title == TITLE


# --- docx: vMerge section cells, a title row spanning the table, units one per paragraph -----------------

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _p(text: str) -> str:
    return f"<w:p><w:r><w:t xml:space=\"preserve\">{escape(text)}</w:t></w:r></w:p>"


def _tc(paragraphs: list[str], merge: str | None = None, span: int = 1) -> str:
    props = ""
    if merge == "restart":
        props += '<w:vMerge w:val="restart"/>'
    elif merge == "continue":
        props += "<w:vMerge/>"
    if span > 1:
        props += f'<w:gridSpan w:val="{span}"/>'
    body = "".join(_p(x) for x in paragraphs) or "<w:p/>"
    return f"<w:tc>{'<w:tcPr>' + props + '</w:tcPr>' if props else ''}{body}</w:tc>"


def docx_plan(path: Path) -> None:
    rows = [f"<w:tr>{_tc([TITLE], span=3)}</w:tr>",
            f"<w:tr><w:trPr><w:tblHeader/></w:trPr>{_tc(['工作任务'])}{_tc(['具体要求'])}{_tc(['责任单位'])}</w:tr>"]
    last = None
    for section, number, text, resp in seed_rows():
        units = [u for u in re.split(r"[、]", resp) if u] if "牵头" not in resp else [resp]
        first = section != last
        rows.append(f"<w:tr>{_tc([section] if first else [], 'restart' if first else 'continue')}"
                    f"{_tc([f'{number}. {text}'])}{_tc(units)}</w:tr>")
        last = section
    body = _p("附件") + f"<w:tbl>{''.join(rows)}</w:tbl>" + _p("")
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("word/document.xml", f"<w:document {W}><w:body>{body}</w:body></w:document>")


def test_docx_with_merged_sections_and_units_per_paragraph(tmp_path):
    path = tmp_path / "plan.docx"
    docx_plan(path)
    plan = parse_plan(path)
    check(plan)
    assert plan.tasks[0].section == "一、做好各类规划主动公开。"


# --- prose: sections as headings, units in a closing parenthesis or on a 责任单位 line -----------------------

def prose_plan(path: Path) -> None:
    lines = [TITLE, "", "为做好2021年政务公开工作，现将重点任务分工如下：", ""]
    last = None
    for section, number, text, resp in seed_rows():
        if section != last:
            lines.append(section)
            last = section
        if not resp:
            lines.append(f"{number}. {text}")
        elif number in ("5", "23"):
            lines += [f"{number}. {text}", f"责任单位：{resp}"]
        else:
            lines.append(f"{number}. {text}（{resp}）")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_prose_with_parenthesised_units(tmp_path):
    path = tmp_path / "plan.txt"
    prose_plan(path)
    plan = parse_plan(path)
    assert plan.form == "prose"
    check(plan)


# --- responsibility phrases as other published plans write them -----------------------------------------

@pytest.mark.parametrize("phrase, lead, assist", [
    ("区发展改革局、区财政局按职责分工负责", ["区发展改革局", "区财政局"], []),
    ("市政务服务数据管理局牵头，各区政府、市直各单位按职责分工负责",
     ["市政务服务数据管理局", "各区政府", "市直各单位"], []),
    ("县政府办公室（牵头），县财政局", ["县政府办公室"], ["县财政局"]),
    ("县政府办主办，县财政局、县审计局", ["县政府办"], ["县财政局", "县审计局"]),
    ("县教育局负责，县财政局协助落实", ["县教育局"], ["县财政局"]),
    ("各科室按职责分工落实", ["各科室"], []),
    ("区委宣传部、区委网信办，区政府办公室", ["区委宣传部", "区委网信办", "区政府办公室"], []),
])
def test_phrases_of_other_plans(phrase, lead, assist):
    assert parse_responsibility(phrase) == (lead, assist)


def test_xlsx_cell_with_two_numbered_items_on_separate_lines(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["工作任务", "具体要求", "责任单位"])
    sheet.append(["一、队伍建设", "32. 加强队伍建设\n33. 规范开展考核评议", "党政综合办公室\n司法所"])
    path = tmp_path / "plan.xlsx"
    book.save(path)
    tasks = parse_plan(path).tasks
    assert [(t.number, t.text, t.lead) for t in tasks] == [
        ("32", "加强队伍建设", ["党政综合办公室", "司法所"]), ("33", "规范开展考核评议", ["党政综合办公室", "司法所"])]
