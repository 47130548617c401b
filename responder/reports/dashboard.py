"""Dashboard figures for supervisors: volumes, sentiment trend, hot topics and unit rates (read-only SQL)."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from sqlalchemy import and_, case, func, select

from responder.extensions import db
from responder.models import AnalysisResult, Message
from responder.reports import kpis
from responder.reports.hours import local_day
from responder.workflow.sla import TZ

DASHBOARD_DAYS = 30
HOT_DAYS = 7


def _since(days: int, today) -> datetime:
    return datetime.combine(today - timedelta(days=days - 1), time(), TZ)


def _current_analysis():
    return and_(AnalysisResult.message_id == Message.id, AnalysisResult.current.is_(True))


def chart_data(now: datetime) -> dict:
    """Every dashboard series, each from one GROUP BY query over messages received recently."""
    today = now.astimezone(TZ).date()
    since = _since(DASHBOARD_DAYS, today)
    recent = Message.received_at >= since
    topic = AnalysisResult.topic
    channel = db.session.execute(select(Message.channel, func.count()).where(recent)
                                 .group_by(Message.channel).order_by(func.count().desc())).all()
    topics = db.session.execute(select(topic, func.count()).select_from(Message).outerjoin(
        AnalysisResult, _current_analysis()).where(recent).group_by(topic).order_by(func.count().desc())).all()
    day = local_day(Message.received_at)
    per_day = dict(db.session.execute(select(day, func.count()).where(recent).group_by(day)).all())
    mood = dict(db.session.execute(select(day, func.avg(AnalysisResult.sentiment)).select_from(Message).join(
        AnalysisResult, _current_analysis()).where(recent).group_by(day)).all())
    days = [(today - timedelta(days=n)).isoformat() for n in range(DASHBOARD_DAYS - 1, -1, -1)]
    return {
        "channel": [{"name": k, "value": v} for k, v in channel],  # codes; the page shows the labels
        "topic": [{"name": k or "未研判", "value": v} for k, v in topics],
        "day": {"days": days, "counts": [per_day.get(d, 0) for d in days]},
        "sentiment": {"days": days, "mean": [round(mood[d], 3) if mood.get(d) is not None else None for d in days]},
        "hot": hot_topics(now),
    }


def hot_topics(now: datetime, limit: int = 10) -> list[dict]:
    """Topics of the last HOT_DAYS days against the HOT_DAYS before, busiest first."""
    today = now.astimezone(TZ).date()
    start, middle = _since(2 * HOT_DAYS, today), _since(HOT_DAYS, today)
    recent = func.sum(case((Message.received_at >= middle, 1), else_=0))
    earlier = func.sum(case((Message.received_at < middle, 1), else_=0))
    rows = db.session.execute(
        select(AnalysisResult.topic, recent.label("recent"), earlier.label("earlier")).select_from(Message)
        .join(AnalysisResult, _current_analysis())
        .where(Message.received_at >= start, AnalysisResult.topic.is_not(None))
        .group_by(AnalysisResult.topic).having(recent > 0).order_by(recent.desc(), AnalysisResult.topic).limit(limit)
    ).all()
    return [{"topic": t, "recent": int(r), "earlier": int(e), "change": int(r) - int(e)} for t, r, e in rows]


def unit_rates(now: datetime) -> list[dict]:
    """On-time completion and satisfaction by lead unit over the dashboard window (reports.kpis)."""
    today = now.astimezone(TZ).date()
    window = kpis.Window(start=today - timedelta(days=DASHBOARD_DAYS - 1), end=today, now=now, by="unit")
    return [{"unit": g["key"] or "未派单", "on_time": g["on_time_completion_rate"],
             "satisfaction": g["satisfaction_rate"], "messages": g["messages"]}
            for g in kpis.summary(window)["groups"]]
