"""Template helpers: Beijing time, labels for codes."""

from __future__ import annotations

from flask import Flask

from responder.models.base import LOCAL_TZ
from responder.workflow.states import ASSIGNMENT_LABELS, LABELS, AssignmentStatus, Status

CHANNEL_LABELS = {"hotline": "12345热线", "mailbox": "领导信箱", "newmedia": "政务新媒体"}
REQUEST_TYPE_LABELS = {"consult": "咨询", "help": "求助", "complaint": "投诉", "report": "举报",
                       "suggestion": "建议", "praise": "表扬", "disclosure": "依申请公开"}
SENTIMENT_LABELS = {"negative": "负面", "neutral": "中性", "positive": "正面"}
ROLE_LABELS = {"lead": "主办", "assist": "协办", "operator": "受理员", "unit": "承办人",
               "supervisor": "督办/审核", "admin": "管理员"}
URGENCY_LABELS = {"normal": "一般", "urgent": "紧急"}


def local_time(value, fmt: str = "%Y-%m-%d %H:%M") -> str:
    return value.astimezone(LOCAL_TZ).strftime(fmt) if value else ""


# The navigation each role sees; an entry shows only once its page exists.
NAV = {
    "operator": [("operator.queue", "受理队列"), ("operator.callbacks", "回访队列"), ("web.messages", "全部诉求")],
    "unit": [("unit.inbox", "本单位待办"), ("web.messages", "本单位诉求"), ("events.index", "舆情事件"),
             ("plans.tasks", "重点任务")],
    "supervisor": [("supervisor.desk", "审核督办"), ("supervisor.overdue", "超期看板"),
                   ("supervisor.dashboard", "统计分析"), ("ledger.ledger_page", "回应台账"),
                   ("ledger.review_page", "承诺回头看"), ("ledger.annual_page", "年度统计"),
                   ("events.index", "舆情事件"), ("events.hotspot_list", "热点监测"), ("web.messages", "全部诉求"),
                   ("plans.tasks", "重点任务台账")],
    "admin": [("admin.home", "系统管理"), ("web.messages", "全部诉求"), ("plans.tasks", "重点任务台账")],
}


def _nav(app: Flask, role: str | None) -> list[tuple[str, str]]:
    return [(endpoint, label) for endpoint, label in NAV.get(role or "", []) if endpoint in app.view_functions]


def _unread(user) -> int:
    from responder.notify.service import unread_count

    return unread_count(user.id) if getattr(user, "is_authenticated", False) else 0


def register_filters(app: Flask) -> None:
    app.jinja_env.globals["nav_for"] = lambda role: _nav(app, role)
    app.jinja_env.globals["unread_for"] = _unread
    app.add_template_filter(local_time, "local_time")
    app.add_template_filter(lambda v: LABELS.get(Status(v), v) if v else "", "status_label")
    app.add_template_filter(lambda v: CHANNEL_LABELS.get(v, v or ""), "channel_label")
    app.add_template_filter(lambda v: ASSIGNMENT_LABELS.get(AssignmentStatus(v), v) if v else "",
                            "assignment_status_label")
    app.add_template_filter(lambda v: REQUEST_TYPE_LABELS.get(v, v or "未分类"), "request_type_label")
    app.add_template_filter(lambda v: SENTIMENT_LABELS.get(v, v or ""), "sentiment_label")
    app.add_template_filter(lambda v: ROLE_LABELS.get(v, v or ""), "role_label")
    app.add_template_filter(lambda v: URGENCY_LABELS.get(v, v or ""), "urgency_label")
    from responder.ledger.outcomes import STATE_LABELS

    app.add_template_filter(lambda v: STATE_LABELS.get(v, v or ""), "commitment_state_label")
