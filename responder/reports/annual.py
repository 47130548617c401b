"""Annual report tables (政府信息公开工作年度报告 style) for this work: a year's messages counted every way.

Messages received in the year (Beijing dates): by channel, by request type, by handling result (the
message statuses grouped as a report counts them), by month; callbacks by satisfaction; commitments
made in the year by outcome; and the year's KPIs (on-time completion, satisfaction) from reports.kpis.
Each table is one GROUP BY query.
"""

from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy import String, case, cast, func, select

from responder.extensions import db
from responder.models import Callback, Commitment, Message, Response, utcnow
from responder.reports import kpis
from responder.reports.export import Column, Sheet
from responder.reports.hours import local_day
from responder.workflow.sla import TZ

CHANNELS = {"hotline": "12345热线", "mailbox": "领导信箱", "newmedia": "政务新媒体"}
REQUEST_TYPES = {"consult": "咨询", "help": "求助", "complaint": "投诉", "report": "举报", "suggestion": "建议",
                 "praise": "表扬", "disclosure": "依申请公开", None: "未分类"}
# Handling results as a year-end report counts them, from the message statuses.
RESULTS = {
    "published": "已办结", "closed": "已办结（已回访归档）", "replied": "已答复待审核", "in_progress": "办理中",
    "dispatched": "已派单待签收", "analyzed": "待派单", "received": "待研判", "merged": "重复件（已并案）",
    "invalid": "无效件（不予受理）",
}
SATISFACTION = {"satisfied": "满意", "basically_satisfied": "基本满意", "dissatisfied": "不满意"}
COMMITMENT_OUTCOMES = ("按期落实", "逾期落实", "逾期未落实", "未到期", "无明确时限未落实", "其中：已公开落实情况")


def _bounds(year: int) -> tuple[datetime, datetime]:
    return datetime.combine(date(year, 1, 1), time(), TZ), datetime.combine(date(year + 1, 1, 1), time(), TZ)


def _counts(column, year: int) -> dict:
    low, high = _bounds(year)
    rows = db.session.execute(select(column, func.count()).where(Message.received_at >= low,
                                                                 Message.received_at < high).group_by(column))
    return {key: n for key, n in rows}


def _table(labels: dict, found: dict) -> list[dict]:
    rows = [{"item": label, "count": found.get(key, 0)} for key, label in labels.items()]
    rows.extend({"item": str(key), "count": n} for key, n in found.items() if key not in labels)
    return rows


def _months(year: int) -> list[dict]:
    month = func.substr(local_day(Message.received_at), 6, 2)
    found = {int(k): n for k, n in _counts(month, year).items() if k}
    return [{"item": f"{m}月", "count": found.get(m, 0)} for m in range(1, 13)]


def _satisfaction(year: int) -> list[dict]:
    low, high = _bounds(year)
    found = dict(db.session.execute(
        select(Callback.satisfaction, func.count()).join(Message, Message.id == Callback.message_id)
        .where(Message.received_at >= low, Message.received_at < high).group_by(Callback.satisfaction)).all())
    return _table(SATISFACTION, found)


def _commitments(year: int, today: date) -> list[dict]:
    """Commitments made in the year (approved replies), by outcome, in one grouped query."""
    low, high = _bounds(year)
    fulfilled_day, due_text = local_day(Commitment.fulfilled_at), cast(Commitment.due_date, String)
    outcome = case(
        (Commitment.fulfilled_at.isnot(None) & Commitment.due_date.isnot(None) & (fulfilled_day > due_text),
         "逾期落实"),
        (Commitment.fulfilled_at.isnot(None), "按期落实"),
        (Commitment.due_date.is_(None), "无明确时限未落实"),
        (Commitment.due_date < today, "逾期未落实"), else_="未到期")
    query = (select(outcome.label("outcome"), func.count(), func.sum(case((Commitment.status == "published", 1),
                                                                           else_=0)))
             .join(Response, Response.id == Commitment.response_id)
             .where(Commitment.created_at >= low, Commitment.created_at < high, Response.status == "approved")
             .group_by(outcome))
    found, disclosed = {}, 0
    for key, n, published in db.session.execute(query):
        found[key] = n
        disclosed += int(published or 0)
    rows = [{"item": name, "count": found.get(name, 0)} for name in COMMITMENT_OUTCOMES[:-1]]
    return [*rows, {"item": COMMITMENT_OUTCOMES[-1], "count": disclosed}]


def report(year: int) -> dict:
    """Every table of the year's report, plus its KPIs."""
    now = utcnow()
    figures = kpis.summary(kpis.Window(start=date(year, 1, 1), end=date(year, 12, 31), now=now))["totals"]
    tables = {
        "channel": ("按渠道统计", _table(CHANNELS, _counts(Message.channel, year))),
        "request_type": ("按诉求类型统计", _table(REQUEST_TYPES, _counts(Message.request_type, year))),
        "result": ("按办理结果统计", _table(RESULTS, _counts(Message.status, year))),
        "month": ("按月份统计", _months(year)),
        "satisfaction": ("回访满意度", _satisfaction(year)),
        "commitments": ("承诺事项落实情况（回头看）", _commitments(year, now.astimezone(TZ).date())),
    }
    return {"year": year, "total": sum(r["count"] for r in tables["channel"][1]), "kpis": figures, "tables": tables}


KPI_ROWS = (("messages", "受理诉求（件）", "number"), ("on_time_completion_rate", "按期办结率", "rate"),
            ("satisfaction_rate", "满意率", "rate"), ("on_time_sign_rate", "签收及时率", "rate"),
            ("return_rate", "退单率", "rate"), ("reopen_rate", "重办率", "rate"),
            ("hours_mean", "平均办理时长（工作小时）", "number"))


def sheets(found: dict) -> list[Sheet]:
    """The report as export sheets: the KPIs first, then one sheet per table."""
    columns = (Column("item", "项目", width=28), Column("count", "数量", "number", 12))
    kpi_rows = [{"item": label, "value": found["kpis"].get(key), "kind": kind} for key, label, kind in KPI_ROWS]
    result = [Sheet("总体情况", (Column("item", "指标", width=28), Column("value", "数值", "number", 14)),
                    [{"item": r["item"], "value": r["value"]} for r in kpi_rows])]
    result.extend(Sheet(title, columns, rows) for title, rows in found["tables"].values())
    return result


def flat_sheet(found: dict) -> Sheet:
    """All tables in one long CSV sheet: table, item, value."""
    rows = [{"table": "总体情况", "item": label, "value": found["kpis"].get(key)} for key, label, _ in KPI_ROWS]
    for title, table in found["tables"].values():
        rows.extend({"table": title, "item": r["item"], "value": r["count"]} for r in table)
    return Sheet(f"{found['year']}年度统计", (Column("table", "表"), Column("item", "项目"), Column("value", "数值")),
                 rows)
