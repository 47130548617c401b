"""The demo's opinion event and hotspots: a burst of near-identical 停水 complaints from one village that the
real detection pass finds, one hotspot converted to an event (as a supervisor would), one response recorded."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from responder.auth.principal import Principal
from responder.extensions import db
from responder.hotspots import service as hotspots
from responder.intake.service import receive_batch
from responder.models import Hotspot, OpinionEvent, utcnow
from responder.opinion import service as events

SUPERVISOR = Principal(role="supervisor", name="supervisor", kind="user")
UNITS = ["茅冈村委会", "公共服务办公室"]
_WATER = ("茅冈村从{when}开始停水，到现在还没来水，家里老人小孩连做饭的水都没有，"
          "也没看到任何停水通知，问了村委说不清楚，请尽快恢复供水！")
BURST = [  # (channel, external id, hours ago, when, meta)
    ("newmedia", "wx-3919000101", 9.0, "前天早上", {"platform": "wechat", "nickname": "茅冈阿婆"}),
    ("newmedia", "wb-5032000202", 7.5, "前天上午", {"platform": "weibo", "nickname": "开平茅冈人"}),
    ("hotline", "GD20260032101", 6.0, "前天早上", {}),
    ("newmedia", "dy-7353000303", 4.5, "前天", {"platform": "douyin", "nickname": "茅冈小李"}),
    ("hotline", "GD20260032140", 3.0, "前天早上", {}),
    ("newmedia", "wx-3919000404", 1.5, "前天早上", {"platform": "wechat", "nickname": "阿芳"}),
]


def _burst(actor: str) -> None:
    now = utcnow()
    receive_batch([{"channel": channel, "external_id": ext, "received_at": (now - timedelta(hours=ago)).isoformat(),
                    "content": _WATER.format(when=when), "meta": meta, "consent_public": channel == "newmedia"}
                   for channel, ext, ago, when, meta in BURST], actor)


def stage(actor: str) -> dict:
    """Load the burst, run detection, and make an event of the cluster it finds (skipped if an event exists)."""
    if db.session.scalar(select(func.count(OpinionEvent.id))):
        return {"hotspots": 0, "event": None}
    _burst(actor)
    hotspots.run()
    cluster = db.session.scalar(select(Hotspot).where(Hotspot.kind == "cluster", Hotspot.status == "new")
                                .order_by(Hotspot.count.desc()))
    found = db.session.scalar(select(func.count(Hotspot.id)))
    if cluster is None:
        return {"hotspots": found, "event": None}
    event = hotspots.convert(cluster, {
        "title": "茅冈村集中停水引发网民关注", "level": "major", "units": UNITS,
        "discovered_at": (utcnow() - timedelta(hours=1)).isoformat(),
        "summary": "茅冈村多名村民通过微信、微博、抖音和12345热线反映停水两天且无停水通知，"
                   "网上转发增多。"}, SUPERVISOR)
    events.advance(event, {"note": "与供水公司、村委会会商"}, SUPERVISOR)
    events.add_response(event, {"channel": "new_media", "content": (
        "百合镇政府官方微信发布情况说明：茅冈村停水系主供水管爆裂，抢修队已到场，"
        "预计今晚 20 时前恢复供水，期间安排送水车进村。")}, SUPERVISOR)
    return {"hotspots": found, "event": event.id}
