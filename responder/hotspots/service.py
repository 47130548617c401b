"""Hotspots (热点): run detection and keep what it finds, alert supervisors once, dismiss, or convert to an event."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import String, and_, cast, func, select, update

from responder.audit import record
from responder.auth.principal import Principal
from responder.errors import Conflict, NotFound, NotPermitted
from responder.extensions import db
from responder.hotspots import detect
from responder.models import Hotspot, HotspotKey, Message, Notification, User, utcnow
from responder.notify.sql import const, insert_new, instant, serialize
from responder.opinion import service as events
from responder.validation import body_object

KIND_LABELS = {"topic": "主题", "tag": "重点领域", "term": "关键词", "place": "地点", "cluster": "相似诉求聚集"}
WINDOW_LABELS = {"24h": "近24小时", "7d": "近7天"}
STATUS_LABELS = {"new": "待处置", "dismissed": "已忽略", "converted": "已转为事件"}
STATUSES = tuple(STATUS_LABELS)
NOTE_COLUMNS = ["user_id", "kind", "title", "body", "dedupe_key", "created_at"]


def _label(surge: detect.Surge) -> str:
    if surge.kind == "cluster":
        title = db.session.scalar(select(func.coalesce(Message.title, func.substr(Message.content, 1, 40)))
                                  .where(Message.id == surge.message_ids[0]))
        return f"{surge.count} 件相似诉求：{(title or '')[:80]}"
    return f"{KIND_LABELS[surge.kind]}「{surge.key}」{WINDOW_LABELS[surge.window]}激增"


def _overlapping(window: str, now: datetime) -> list[Hotspot]:
    """Hotspots of this window whose span overlaps the current one (a continuing surge updates, not repeats)."""
    width = timedelta(seconds=detect.WINDOWS[window].seconds)
    return list(db.session.scalars(select(Hotspot).where(Hotspot.window == window, Hotspot.window_end > now - width)))


def _shares_messages(spot: Hotspot, surge: detect.Surge, overlap: float = 0.5) -> bool:
    mine, theirs = set(surge.message_ids), set(spot.message_ids)
    return bool(mine and theirs) and len(mine & theirs) >= overlap * min(len(mine), len(theirs))


def _match(surge: detect.Surge, candidates: list[Hotspot]) -> Hotspot | None:
    """The open hotspot this surge continues: same key, or — clusters and key terms, whose keys drift as
    a matter goes on (车位 today, 捆绑 tomorrow) — mostly the same messages."""
    same_kind = [spot for spot in candidates if spot.kind == surge.kind]
    if surge.kind != "cluster":
        found = next((spot for spot in same_kind if spot.key == surge.key), None)
        if found is not None or surge.kind != "term":
            return found
    return next((spot for spot in same_kind if _shares_messages(spot, surge, 0.5 if surge.kind == "term" else 0.01)),
                None)


def store(found: list[detect.Surge], now: datetime) -> tuple[int, int]:
    """Insert new hotspots, refresh open ones that continue; dismissed/converted ones stay as decided."""
    created = updated = 0
    open_by_window = {name: _overlapping(name, now) for name in {s.window for s in found}}
    for surge in found:
        spot = _match(surge, open_by_window[surge.window])
        if spot is not None:
            if surge.kind == "term" and surge.key not in spot.key.split("/") and len(spot.key) < 100:
                spot.key = f"{spot.key}/{surge.key}"  # the matter's key terms, in the order they surged
                spot.label = f"{KIND_LABELS['term']}「{spot.key}」{WINDOW_LABELS[spot.window]}激增"
            if spot.status == "new":
                spot.window_start, spot.window_end, spot.count = surge.start, surge.end, surge.count
                spot.baseline, spot.spread, spot.score = surge.baseline, surge.spread, surge.score
                spot.message_ids = surge.message_ids
                updated += 1
            continue
        spot = Hotspot(kind=surge.kind, key=surge.key[:200], label=_label(surge)[:300], window=surge.window,
                       window_start=surge.start, window_end=surge.end, count=surge.count, baseline=surge.baseline,
                       spread=surge.spread, score=surge.score, message_ids=surge.message_ids, created_at=now)
        db.session.add(spot)
        open_by_window[surge.window].append(spot)
        created += 1
    db.session.flush()
    return created, updated


def notify_new(now: datetime) -> int:
    """Tell every supervisor about each new hotspot once (dedupe key per hotspot, then stamped)."""
    pending = and_(Hotspot.status == "new", Hotspot.notified_at.is_(None))
    title = const("【热点】") + Hotspot.label + const("（") + cast(Hotspot.count, String) + const(" 件）")
    rows = (select(User.id, const("alert"), title, const("请研判是否转为舆情事件。"),
                   const("hotspot:") + cast(Hotspot.id, String), instant(now))
            .select_from(Hotspot).join(User, and_(User.active.is_(True), User.role == "supervisor")).where(pending))
    db.session.execute(insert_new(Notification, NOTE_COLUMNS, rows, ["user_id", "dedupe_key"]))
    return db.session.execute(update(Hotspot).where(pending).values(notified_at=now)
                              .execution_options(synchronize_session=False)).rowcount


def run(now: datetime | None = None) -> dict:
    """One detection pass: index new messages, find surges and clusters, store them, alert supervisors."""
    indexed = detect.index_new()
    serialize("hotspots")
    now = now or utcnow()
    found = detect.detect(now)
    created, updated = store(found, now)
    notified = notify_new(now)
    if created:
        record("system", "hotspot.detect", subject_type="hotspot", detail={"new": created, "updated": updated})
    db.session.commit()
    return {"indexed": indexed, "found": len(found), "new": created, "updated": updated, "notified": notified}


def _require_supervisor(actor: Principal) -> None:
    if actor.role != "supervisor":
        raise NotPermitted("只有督办人员可以处置热点")


def get_hotspot(hotspot_id: int) -> Hotspot:
    spot = db.session.get(Hotspot, hotspot_id)
    if spot is None:
        raise NotFound("未找到该热点")
    return spot


def list_hotspots(status: str | None = None, kind: str | None = None):
    """Hotspots, newest window first (a select to paginate)."""
    query = select(Hotspot)
    if status:
        query = query.where(Hotspot.status == status)
    if kind:
        query = query.where(Hotspot.kind == kind)
    return query.order_by(Hotspot.window_end.desc(), Hotspot.score.desc(), Hotspot.id.desc())


def dismiss(spot: Hotspot, actor: Principal) -> None:
    """忽略: not a matter for an event; the same surge is not raised again while its window lasts."""
    _require_supervisor(actor)
    if spot.status != "new":
        raise Conflict("该热点已处置", {"status": spot.status})
    spot.status, spot.decided_by = "dismissed", actor.actor
    record(actor.actor, "hotspot.dismiss", subject_type="hotspot", subject_id=spot.id)
    db.session.commit()


def member_ids(spot: Hotspot) -> list[int]:
    """Every message of the hotspot: a cluster's members, or the key's messages inside the window."""
    if spot.kind == "cluster":
        return list(spot.message_ids)
    # A key-term hotspot may carry several terms that surged together ("车位/捆绑"): any of them counts.
    keys = spot.key.split("/") if spot.kind == "term" else [spot.key]
    return list(dict.fromkeys(db.session.scalars(
        select(HotspotKey.message_id).where(HotspotKey.kind == spot.kind, HotspotKey.key.in_(keys),
                                            HotspotKey.at > detect.epoch(spot.window_start),
                                            HotspotKey.at <= detect.epoch(spot.window_end))
        .order_by(HotspotKey.at, HotspotKey.message_id))))


def convert(spot: Hotspot, body, actor: Principal):
    """转为事件: one action makes an opinion event of the hotspot and links all of its messages."""
    _require_supervisor(actor)
    if spot.status == "converted":
        raise Conflict("该热点已转为舆情事件", {"status": spot.status})
    body = dict(body_object(body or {}))
    body.setdefault("title", spot.label)
    body.setdefault("level", "general")
    body.setdefault("summary", f"由热点监测发现：{spot.label}，{WINDOW_LABELS.get(spot.window, spot.window)}共 "
                               f"{spot.count} 件（此前同期均值 {spot.baseline:g}）。")
    event = events.new_event(body, actor, message_ids=member_ids(spot), source=f"hotspot:{spot.id}")
    spot.status, spot.event_id, spot.decided_by = "converted", event.id, actor.actor
    record(actor.actor, "hotspot.convert", subject_type="hotspot", subject_id=spot.id,
           detail={"event_id": event.id})
    db.session.commit()
    return event
