"""The file importer and the plan importer on hostile files: GBK, BOM, mixed newlines, control characters,
emoji, invalid dates and a 1 MB cell. They answer with counts and reasons (exit 0/1/2), never a traceback,
and what they report is what they stored."""

from __future__ import annotations

import codecs

from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from responder.models import Event, Message
from responder.routing.fengong import Plan, PlanError, parse_plan
from tests.fuzz.strategies import DATES, hostile_text

NEWLINES = st.sampled_from(["\n", "\r\n", "\r"])
ENCODINGS = st.sampled_from(["utf-8", "utf-8-sig", "gbk", "gb18030", "utf-16"])
CELL = st.one_of(hostile_text, st.sampled_from(DATES), st.just("长" * (1 << 20)).filter(lambda _: True))
HEADERS = ["工单编号", "受理时间", "诉求内容", "标题", "联系电话", "诉求类型", "external_id", "received_at", "content"]


def encode(text: str, encoding: str) -> bytes:
    try:
        return text.encode(encoding)
    except UnicodeEncodeError:  # GBK cannot hold emoji: such a file would come with replacement marks
        return text.encode(encoding, "replace")


@st.composite
def csv_files(draw) -> bytes:
    header = draw(st.lists(st.sampled_from(HEADERS), min_size=1, max_size=5, unique=True))
    rows = draw(st.lists(st.lists(st.one_of(hostile_text, st.sampled_from(DATES)), min_size=len(header),
                                  max_size=len(header) + 1), max_size=6))
    if draw(st.booleans()) and rows:
        rows[0][-1] = "长" * (1 << 20)  # a 1 MB cell
    newline = draw(NEWLINES)
    lines = [",".join(header)] + [",".join(c.replace(",", "，").replace('"', "”") for c in row) for row in rows]
    text = "".join(line + (newline if i % 2 else draw(NEWLINES)) for i, line in enumerate(lines))
    return encode(text, draw(ENCODINGS))


def stored(db) -> tuple[int, int]:
    result = (db.session.scalar(select(func.count(Message.id))),
              db.session.scalar(select(func.count(Event.id)).where(Event.action == "receive")))
    db.session.remove()
    return result


@settings(settings.get_profile("fuzz"), max_examples=25)
@given(data=csv_files() | st.binary(max_size=300))
def test_file_import_reports_every_row_and_never_crashes(app, db, tmp_path, data):
    path = tmp_path / "in.csv"
    path.write_bytes(data)
    before = stored(db)
    result = app.test_cli_runner().invoke(args=["import", str(path), "--channel", "hotline"])
    assert result.exit_code in (0, 1, 2), result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    after = stored(db)
    assert after[0] == after[1]  # every stored message has its receive event
    if result.exit_code == 2:
        assert after == before
    else:
        accepted = int(result.output.split("接收 ")[1].split(" 条")[0])
        assert after[0] - before[0] == accepted


def test_file_import_jsonl_with_bom_control_characters_and_emoji(app, db, tmp_path):
    path = tmp_path / "in.jsonl"
    lines = ['{"external_id": "J-1", "received_at": "2026-11-20T09:30:00+08:00", "content": "路灯\\u0007坏了😀\\r\\n"}',
             '{"external_id": "J-2", "received_at": "2026-02-30T09:30:00+08:00", "content": "日期不存在"}',
             "not json", "[1, 2]", '{"external_id": "J-3", "received_at": "昨天", "content": "\\u0000"}']
    path.write_bytes(codecs.BOM_UTF8 + "\r\n".join(lines).encode())
    result = app.test_cli_runner().invoke(args=["import", str(path), "--channel", "newmedia"])
    assert result.exit_code == 1, result.output
    assert "接收 1 条" in result.output and "拒绝 4 条" in result.output
    assert stored(db) == (1, 1)


PLAN_LINES = ["序号\t工作任务\t责任单位", "1\t做好政务公开工作\t党政办牵头，各办（所、中心）配合", "一、加强政策解读",
              "（一）主动公开。责任单位：财政所、农业农村办", "| 序号 | 工作任务 | 责任单位 |", "|---|---|---|",
              "| 2 | 12345热线 | 综合行政执法办公室 |", "2026年6月底前完成", "牵头单位：", "责任单位：😀<script>"]


@st.composite
def plan_texts(draw) -> bytes:
    lines = draw(st.lists(st.sampled_from(PLAN_LINES) | hostile_text, max_size=12))
    text = "".join(line + draw(NEWLINES) for line in lines)
    return encode(text, draw(ENCODINGS))


@settings(settings.get_profile("fuzz"))
@given(data=plan_texts() | st.binary(max_size=300), suffix=st.sampled_from([".txt", ".md", ".tsv", ".docx", ".xlsx"]))
def test_plan_parser_returns_a_plan_or_a_plan_error(tmp_path, data, suffix):
    path = tmp_path / f"plan{suffix}"
    path.write_bytes(data)
    try:
        plan = parse_plan(path)
    except PlanError as exc:
        assert str(exc)
        return
    assert isinstance(plan, Plan)
    for task in plan.tasks:
        assert isinstance(task.text, str) and all(isinstance(u, str) and u for u in task.lead + task.assist)


@settings(settings.get_profile("fuzz"), max_examples=15)
@given(data=plan_texts())
def test_plan_import_command_exits_cleanly(app, tmp_path, data):
    path = tmp_path / "plan.txt"
    path.write_bytes(data)
    result = app.test_cli_runner().invoke(args=["plan", "import", str(path), "--dry-run", "--json"])
    assert result.exit_code in (0, 1, 2), result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
