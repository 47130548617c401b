"""分工方案 import: the pure parser (tables, prose, xlsx, docx) and `responder plan import`."""

from __future__ import annotations

import json
import os
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from responder.routing.fengong import FLAG_NO_UNIT, PlanError, parse_plan, parse_responsibility
from tests.conftest import need

SEEDS = Path(os.environ.get("RESPONDER_SHARED_DATA")
             or Path(__file__).resolve().parents[2] / ".." / "shared" / "data").parent / "seeds"
TABLE_SEED = SEEDS / "000_ea4e6cf0559668e4.txt"
PROSE_SEEDS = [SEEDS / "001_c71d7882e3309fde.txt", SEEDS / "003_94ec5338a4abfcfc.txt"]

DZ, JJ, ZF, CZ = "党政综合办公室", "经济发展办公室", "综合行政执法办公室", "财政所"
NY, NF, GB, GZ, SF = "农业农村办公室", "农业综合服务中心", "公共服务办公室", "公共服务中心", "司法所"

# seeds/000, read by hand: task number -> (lead, assist); None = the row names no unit.
EXPECTED_000 = {
    1: [DZ], 2: [JJ], 3: [ZF], 4: [ZF], 5: [CZ], 6: [NY, NF], 7: [NY, NF, GB], 8: [DZ], 9: [DZ],
    10: [GB], 11: [DZ, GB], 12: [GB], 13: [DZ, JJ, GB], 14: [DZ], 15: [DZ, GZ], 16: None, 17: [JJ, GZ],
    18: [DZ, GZ], 19: ([DZ], ["各职能办公室"]), 20: None, 21: None, 22: None, 23: [DZ, SF], 24: [DZ], 25: [DZ],
    26: [DZ], 27: [DZ], 28: [DZ], 29: [DZ, JJ, CZ], 30: [DZ], 31: [DZ, CZ], 32: [DZ], 33: [DZ], 34: [DZ],
    35: None, 36: None,
}
SECTIONS_000 = {1: "一、做好各类规划主动公开。", 4: "二、做好市场规则标准和监管执法信息公开。",
                16: "七、不断改进政策解读工作方式。", 22: "八、切实增强回应关切效果。",
                33: "十四、加强工作指导。", 36: "十五、狠抓任务落实。"}


def need_seeds():
    need(TABLE_SEED.exists(), f"the plan seeds are not at {SEEDS}")


# --- responsibility phrases --------------------------------------------------------------------------

@pytest.mark.parametrize("phrase, lead, assist", [
    ("局宣教科、办公室主办,各科室协办", ["局宣教科", "办公室"], ["各科室"]),
    ("党政综合办公室牵头，各职能办公室配合配合", ["党政综合办公室"], ["各职能办公室"]),
    ("党政办公室牵头落实", ["党政办公室"], []),
    ("各街道办事处、相关各部门负责落实", ["各街道办事处", "相关各部门"], []),
    ("农业农村办公室、农业综合服务中心", ["农业农村办公室", "农业综合服务中心"], []),
    ("牵头单位：县委办；配合单位：县政府办、财政局", ["县委办"], ["县政府办", "财政局"]),
    ("党政办牵头、财政所配合", ["党政办"], ["财政所"]),
    ("城建办（牵头），各村（社区）参与", ["城建办"], ["各村（社区）"]),
    ("", [], []),
])
def test_responsibility_phrases(phrase, lead, assist):
    assert parse_responsibility(phrase) == (lead, assist)


# --- seeds ---------------------------------------------------------------------------------------------

def test_table_seed_every_row():
    need_seeds()
    plan = parse_plan(TABLE_SEED)
    assert plan.form == "table" and plan.title == "开平市百合镇2021年政务公开工作要点分工方案"
    assert plan.units == [DZ, JJ, ZF, CZ, NY, NF, GB, GZ, SF]
    assert plan.groups == ["各职能办公室"]
    assert [t.number for t in plan.tasks] == [str(n) for n in range(1, 37)]
    for task in plan.tasks:
        expected = EXPECTED_000[int(task.number)]
        if expected is None:
            assert (task.lead, task.assist, task.flagged) == ([], [], FLAG_NO_UNIT), task.number
            continue
        lead, assist = expected if isinstance(expected, tuple) else (expected, [])
        assert (task.lead, task.assist, task.flagged) == (lead, assist, None), task.number
    flagged = [t.number for t in plan.tasks if t.flagged]
    assert flagged == ["16", "20", "21", "22", "35", "36"]
    by_number = {int(t.number): t for t in plan.tasks}
    for number, section in SECTIONS_000.items():
        assert by_number[number].section == section
    assert by_number[1].text == "主动公开“十四五”规划纲要、各项规划、政策解读等相关信息。"
    # one Word cell held items 32 and 33: two tasks, the row's unit for both
    assert by_number[32].text.startswith("加强队伍建设") and by_number[32].text.endswith("案例指导。")
    assert by_number[33].text.startswith("依法规范开展政府信息公开工作考核")
    assert by_number[26].deadline == "2021年12月1日前完成"
    assert [t.number for t in plan.tasks if t.deadline] == ["26"]


@pytest.mark.parametrize("index, count, title_part", [(0, 18, "宣城市政务公开办公室"), (1, 30, "苏店镇2022年政务公开工作实施方案")])
def test_prose_seeds_give_numbered_tasks_without_guessing_units(index, count, title_part):
    need_seeds()
    plan = parse_plan(PROSE_SEEDS[index])
    assert plan.form == "prose" and title_part in plan.title
    assert len(plan.tasks) == count
    # neither plan names a responsible unit for its items: all flagged, none guessed
    assert plan.units == [] and all(t.flagged == FLAG_NO_UNIT and not t.lead for t in plan.tasks)
    assert all(t.text and t.number for t in plan.tasks)


def test_prose_seed_003_keeps_numbers_sections_and_titles():
    need_seeds()
    tasks = parse_plan(PROSE_SEEDS[1]).tasks
    first = next(t for t in tasks if t.text.startswith("围绕“四宜”上党建设"))
    assert first.number == "1" and first.section == "四、拓展重点领域信息公开 / （一）应公开尽公开，全面扩大公开范围"
    assert "营造全区干事创业的浓厚氛围" in first.text  # the paragraph under the item's title
    assert [t.number for t in tasks if t.section and t.section.startswith("五、")] == ["（一）", "（二）", "（三）", "（四）"]


def test_prose_seed_001_deadline():
    need_seeds()
    tasks = parse_plan(PROSE_SEEDS[0]).tasks
    assert tasks[8].number == "9" and tasks[8].deadline == "2019年底前"


# --- synthetic forms --------------------------------------------------------------------------------

PROSE = """某区2023年政务公开工作要点任务分工

一、深化重点领域信息公开
（一）推进财政信息公开
1. 做好预决算公开，9月底前完成部门预算公开。（区财政局牵头，各街道办事处、相关各部门负责落实）
2. 加大惠民惠农资金发放信息公开力度。（区农业农村局、区财政局）
3. 做好政府信息公开年报工作。
二、加强平台建设
4. 及时更新政府网站。
（区政务服务数据管理局负责）
"""


def test_prose_with_parenthesised_units(tmp_path):
    path = tmp_path / "plan.txt"
    path.write_text(PROSE, encoding="utf-8")
    plan = parse_plan(path)
    assert plan.form == "prose" and plan.title == "某区2023年政务公开工作要点任务分工"
    assert plan.units == ["区财政局", "区农业农村局", "区政务服务数据管理局"]
    assert plan.groups == ["各街道办事处", "相关各部门"]
    t1, t2, t3, t4 = plan.tasks
    assert (t1.number, t1.lead, t1.assist) == ("1", ["区财政局", "各街道办事处", "相关各部门"], [])
    assert t1.text == "做好预决算公开，9月底前完成部门预算公开。" and t1.deadline == "9月底前完成"
    assert t1.section == "一、深化重点领域信息公开 / （一）推进财政信息公开"
    assert t2.lead == ["区农业农村局", "区财政局"]
    assert t3.flagged == FLAG_NO_UNIT and t3.lead == []
    assert (t4.section, t4.lead) == ("二、加强平台建设", ["区政务服务数据管理局"])


PIPE_TABLE = """| 序号 | 工作任务 | 具体要求 | 责任科室 | 完成时限 |
|---|---|---|---|---|
| 1 | 一、政策解读 | 1. 做好重大政策解读。 | 局宣教科、办公室主办,各科室协办 | 长期坚持 |
|  |  | 2. 开展政策进社区活动。 | 法规科 | 6月底前 |
| 序号 | 工作任务 | 具体要求 | 责任科室 | 完成时限 |
| 2 | 二、回应关切 | 3. 及时回应网民留言。 |  |  |
"""


def test_pipe_table(tmp_path):
    path = tmp_path / "plan.md"
    path.write_text(PIPE_TABLE, encoding="utf-8")
    plan = parse_plan(path)
    assert plan.form == "table"
    assert plan.units == ["局宣教科", "办公室", "法规科"] and plan.groups == ["各科室"]
    assert [(t.number, t.section, t.lead, t.assist, t.deadline, t.flagged) for t in plan.tasks] == [
        ("1", "一、政策解读", ["局宣教科", "办公室"], ["各科室"], "长期坚持", None),
        ("2", "一、政策解读", ["法规科"], [], "6月底前", None),
        ("3", "二、回应关切", [], [], None, FLAG_NO_UNIT),
    ]


def test_xlsx_table(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["某镇分工方案"])
    sheet.append(["工作任务", "具体要求", "责任单位"])
    sheet.append(["一、财政公开", "1. 公开预算。", "财政所"])
    sheet.append([None, "2. 公开补贴发放情况。", "农业农村办公室牵头，各村（社区）配合"])
    sheet.append(["工作任务", "具体要求", "责任单位"])
    sheet.append(["二、其他", "3. 修订公开指南。", None])
    path = tmp_path / "plan.xlsx"
    book.save(path)
    plan = parse_plan(path)
    assert plan.title == "某镇分工方案" and plan.units == ["财政所", "农业农村办公室"]
    assert plan.groups == ["各村（社区）"]
    assert [(t.section, t.lead, t.assist, t.flagged) for t in plan.tasks] == [
        ("一、财政公开", ["财政所"], [], None),
        ("一、财政公开", ["农业农村办公室"], ["各村（社区）"], None),
        ("二、其他", [], [], FLAG_NO_UNIT),
    ]


def _docx(path: Path, rows: list[list[str]], paragraphs: list[str]) -> None:
    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    para = "".join(f"<w:p><w:r><w:t>{p}</w:t></w:r></w:p>" for p in paragraphs)
    cells = lambda row: "".join(  # noqa: E731
        "<w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p/></w:tc>" if c is None
        else f"<w:tc><w:p><w:r><w:t>{c}</w:t></w:r></w:p></w:tc>" for c in row)
    table = "<w:tbl>" + "".join(f"<w:tr>{cells(r)}</w:tr>" for r in rows) + "</w:tbl>" if rows else ""
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("word/document.xml", f"<w:document {w}><w:body>{para}{table}</w:body></w:document>")


def test_docx_table_and_prose(tmp_path):
    table = tmp_path / "table.docx"
    _docx(table, [["工作任务", "具体要求", "责任单位"], ["一、规划公开", "1. 公开规划。", "党政办公室"],
                  [None, "2. 公开解读。", "党政办公室牵头、司法所配合"]], ["某镇分工方案"])
    plan = parse_plan(table)
    assert plan.title == "某镇分工方案" and plan.units == ["党政办公室", "司法所"]
    assert [(t.section, t.lead, t.assist) for t in plan.tasks] == [
        ("一、规划公开", ["党政办公室"], []), ("一、规划公开", ["党政办公室"], ["司法所"])]
    prose = tmp_path / "prose.docx"
    _docx(prose, [], ["某镇实施方案", "1. 公开预算。（财政所负责）", "2. 公开规划。"])
    plan = parse_plan(prose)
    assert [(t.text, t.lead, t.flagged) for t in plan.tasks] == [
        ("公开预算。", ["财政所"], None), ("公开规划。", [], FLAG_NO_UNIT)]


def test_unreadable_files(tmp_path):
    with pytest.raises(PlanError):
        parse_plan(tmp_path / "missing.txt")
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"not a workbook")
    with pytest.raises(PlanError):
        parse_plan(bad)
    empty = tmp_path / "empty.txt"
    empty.write_text("没有任何任务的一段话。\n", encoding="utf-8")
    with pytest.raises(PlanError):
        parse_plan(empty)


# --- the command ----------------------------------------------------------------------------------

@pytest.fixture
def run(app):
    """Through `responder` when registered, else the click command itself inside the app context."""
    from responder.commands.plans import plan_group

    registered = "plan" in app.cli.commands
    runner = app.test_cli_runner() if registered else CliRunner()

    def invoke(*args):
        if registered:
            return runner.invoke(args=["plan", *args])
        return runner.invoke(plan_group, list(args))

    return invoke


def _table_file(tmp_path) -> Path:
    path = tmp_path / "plan.txt"
    path.write_text(PIPE_TABLE.replace("| 2 | 二、回应关切 | 3. 及时回应网民留言。 |  |  |",
                                       "| 2 | 二、回应关切 | 3. 及时回应网民关于噪音扰民的留言。 | 办公室 |  |"),
                    encoding="utf-8")
    return path


def test_command_json_shape_and_dry_run(run, db, tmp_path):
    from responder.models import RoutingRule, Unit

    result = run("import", str(_table_file(tmp_path)), "--dry-run", "--json")
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert set(payload) == {"units", "tasks"}
    assert payload["units"] == ["局宣教科", "办公室", "法规科"]
    assert payload["tasks"][0]["lead"] == ["局宣教科", "办公室"] and payload["tasks"][0]["assist"] == ["各科室"]
    assert all({"text", "lead", "assist"} <= set(t) for t in payload["tasks"])
    assert db.session.query(Unit).count() == 0 and db.session.query(RoutingRule).count() == 0


def test_command_import_is_idempotent(run, db, tmp_path):
    from responder.models import RoutingRule, Unit

    path = _table_file(tmp_path)
    first = run("import", str(path))
    assert first.exit_code == 0, first.output
    assert "新建 3 个" in first.output and "派单规则：新建 3 条" in first.output
    units = sorted(u.name for u in db.session.query(Unit))
    rules = db.session.query(RoutingRule).filter_by(source="plan").order_by(RoutingRule.id).all()
    assert units == sorted(["局宣教科", "办公室", "法规科"])  # groups (各科室) are not units
    assert [r.lead_unit.name for r in rules] == ["局宣教科", "法规科", "办公室"]
    assert [u.name for u in rules[0].assist_units] == ["办公室"]  # the co-lead; the group is left out
    assert rules[0].name == "分工方案：做好重大政策解读" and rules[0].priority == 5
    assert "噪音" in rules[2].keywords
    assert all(r.keywords and not {"公开", "信息", "工作", "做好", "加强"} & set(r.keywords) for r in rules)
    again = run("import", str(path), "--json")
    assert again.exit_code == 0, again.output
    assert set(json.loads(again.stdout)) == {"units", "tasks"}
    assert db.session.query(Unit).count() == 3 and db.session.query(RoutingRule).count() == 3
    assert "未变 3 条" in again.stderr


def test_command_seed_import_skips_rows_without_a_unit(run, db):
    need_seeds()
    from responder.models import RoutingRule, Unit

    result = run("import", str(TABLE_SEED))
    assert result.exit_code == 0, result.output
    assert "未写明责任单位的任务 6 项" in result.output
    assert db.session.query(Unit).count() == 9
    assert db.session.query(RoutingRule).filter_by(source="plan").count() == 30
    assert run("import", str(TABLE_SEED)).exit_code == 0
    assert db.session.query(Unit).count() == 9
    assert db.session.query(RoutingRule).filter_by(source="plan").count() == 30


def test_command_unreadable_file_exits_2(run, db, tmp_path):
    result = run("import", str(tmp_path / "missing.txt"))
    assert result.exit_code == 2 and "无法读取" in result.output
