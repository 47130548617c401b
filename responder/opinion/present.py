"""Opinion events and hotspots as the API and the pages show them (no personal data: messages by number)."""

from __future__ import annotations

from datetime import datetime

from responder.auth.principal import Principal
from responder.models import Hotspot, OpinionDeadline, OpinionEvent, utcnow
from responder.models.base import local_iso as iso
from responder.opinion import rules
from responder.opinion import service as events


def deadline_state(deadline: OpinionDeadline, now: datetime) -> dict:
    """A deadline with what the page shows: met in time, met late, missed, or seconds left."""
    if deadline.met_at is not None:
        state = "met" if deadline.met_at <= deadline.due_at else "met_late"
    else:
        state = "missed" if deadline.due_at < now else "open"
    return {"kind": deadline.kind, "label": rules.DEADLINE_LABELS[deadline.kind], "due_at": iso(deadline.due_at),
            "met_at": iso(deadline.met_at), "state": state, "late_flagged_at": iso(deadline.late_at),
            "seconds_left": int((deadline.due_at - now).total_seconds()) if state == "open" else None}


def cycle(event: OpinionEvent) -> list[dict]:
    """The five stages with which are done and which is current (all done once closed)."""
    position = len(rules.CYCLE) if event.stage == "closed" else rules.CYCLE.index(event.stage)
    return [{"stage": s, "label": rules.STAGES[s], "done": i < position, "current": i == position}
            for i, s in enumerate(rules.CYCLE)]


def event_dict(event: OpinionEvent, actor: Principal, *, full: bool = True) -> dict:
    now = utcnow()
    data = {
        "id": event.id, "title": event.title, "level": event.level, "level_label": rules.LEVELS[event.level],
        "discovered_at": iso(event.discovered_at), "summary": event.summary, "stage": event.stage,
        "stage_label": rules.STAGES[event.stage], "units": [u.name for u in event.units],
        "deadlines": [deadline_state(d, now) for d in event.deadlines],
        "message_count": events.message_count(event.id),
        "outcome": event.outcome, "closed_at": iso(event.closed_at),
    }
    if full:
        due = {d.kind: d.due_at for d in event.deadlines}
        data["cycle"] = cycle(event)
        data["responses"] = [
            {"id": r.id, "channel": r.channel, "channel_label": rules.CHANNELS[r.channel],
             "responded_at": iso(r.responded_at), "content": r.content, "meets": r.meets,
             "on_time": r.responded_at <= due[r.meets] if r.meets in due else None, "by": r.created_by}
            for r in event.responses]
        data["evaluation"] = event.evaluation
        data["evaluated_at"] = iso(event.evaluated_at)
        data["messages"] = [{"tracking_no": m.tracking_no, "title": m.title, "received_at": iso(m.received_at)}
                            for m in events.linked_messages(event.id, actor)]
    return data


def hotspot_dict(spot: Hotspot) -> dict:
    return {
        "id": spot.id, "kind": spot.kind, "key": spot.key, "label": spot.label, "window": spot.window,
        "window_start": iso(spot.window_start), "window_end": iso(spot.window_end), "count": spot.count,
        "baseline": spot.baseline, "spread": spot.spread, "score": spot.score,
        "sample_message_ids": list(spot.message_ids or [])[:10], "status": spot.status,
        "event_id": spot.event_id, "detected_at": iso(spot.created_at),
    }
